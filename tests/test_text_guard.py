"""CTL-8 behind the forms: values a view hands straight to a service or a query (a reason, a name, a search)
never reach the database unchecked. A NUL character anywhere in a request answers 400 with a page naming the
field (PostgreSQL refuses NUL in any statement); a text too long for its column or with a control character
is refused by the model guard with a message naming the field; the log tables clean what they are given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from committee.models import AuditEvent
from meetings import services
from meetings.models import Meeting
from tests.conftest import login
from tests.meetings.conftest import make_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(community_a, director_a):
    body = make_body(community_a, "consultation", 3, acting_user=director_a.user)
    return services.create_meeting(body, title="协商会议", date=dt.date(2026, 12, 20), acting_user=director_a.user)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_ctl_8_a_nul_in_a_posted_reason_answers_400_naming_the_field(meeting, director_a):
    r = login(director_a).post(f"/meetings/{meeting.pk}/cancel/", {"reason": "外出\x00开会"})
    assert r.status_code == 400
    text = r.content.decode()
    assert "reason" in text and "U+0000" in text and "CTL-8" in text and "没有保存" in text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b", "?%00=1", "?page=%00"])
def test_ctl_8_a_nul_in_a_search_answers_400_not_500(director_a, query):
    r = login(director_a).get("/residents/" + query)
    assert r.status_code == 400 and "U+0000" in r.content.decode()


def test_ctl_8_a_reason_longer_than_its_column_is_refused_naming_the_field(meeting, director_a):
    r = login(director_a).post(f"/meetings/{meeting.pk}/cancel/", {"reason": "很" * 201}, follow=True)
    assert r.status_code == 200
    assert any("取消原因" in m and "200" in m and "201" in m and "CTL-8" in m for m in _messages(r)), _messages(r)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.cancel_reason == ""


def test_ctl_8_a_control_character_in_a_service_value_is_refused(meeting, director_a):
    with pytest.raises(ValidationError) as e:
        services.cancel_meeting(meeting, reason="外出\x0b开会", acting_user=director_a.user)
    assert "cancel_reason" in e.value.error_dict and "U+000B" in str(e.value)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_ctl_8_the_audit_trail_records_odd_text_cleaned_and_cut_to_fit(director_a):
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, actor_name="x\x00y",
                                      detail="z\x01" * 400)
    event.refresh_from_db()
    assert event.actor_name == "x y" and len(event.detail) == 500 and "\x01" not in event.detail
