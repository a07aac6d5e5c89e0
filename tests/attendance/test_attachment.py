"""A sick note is medical data: only the person, the keepers, the street office and the approvers see it."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from attendance import services
from committee import calendar
from committee.models import Role
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def leave(staff_a, director_a):
    day = calendar.add_working_days(dt.date.today(), 5)
    leave = services.request_leave(staff=staff_a, kind="sick", start=day, start_half="am", end=day,
                                   end_half="am", reason="感冒", acting_user=staff_a.user)
    leave.attachment.save("note.pdf", ContentFile(b"%PDF-1.4\n" + "诊断证明".encode()), save=True)
    return leave


def test_the_person_and_the_approver_open_the_sick_note(leave, staff_a, director_a):
    for who in (staff_a, director_a):
        response = login(who).get(f"/attendance/leave/{leave.pk}/attachment/")
        assert response.status_code == 200
        assert "诊断证明" in b"".join(response.streaming_content).decode()


def test_a_colleague_without_a_keeping_role_cannot_open_the_sick_note(leave, community_a):
    colleague = f.staff(community_a, "同事", [Role.MEMBER])
    assert login(colleague).get(f"/attendance/leave/{leave.pk}/attachment/").status_code == 403


def test_the_leave_page_links_to_the_checked_view_not_to_media(leave, staff_a):
    page = login(staff_a).get(f"/attendance/leave/{leave.pk}/").content.decode()
    assert f"/attendance/leave/{leave.pk}/attachment/" in page
    assert "/media/" not in page
