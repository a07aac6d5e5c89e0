"""ORG-4 (someone always in the office), ORG-5 (asking before going out, reporting back), ORG-6 (incidents)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from committee import duty, reminders
from committee.models import Incident, Outing, Role
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # an ordinary working day


def at(hour, minute=0, day=MONDAY):
    return day.replace(hour=hour, minute=minute)


def go(staff, told, start, end, community=None):
    return duty.record_outing(community=community or staff.community, staff=staff, kind="meeting",
                              purpose="街道例会", leaves_at=start, back_at=end, told=told,
                              acting_user=staff.user)


def test_org_5_member_going_out_asks_the_director(staff_a, director_a):
    outing = go(staff_a, director_a, at(9), at(11))
    assert outing.told == director_a
    assert outing.history.first().history_user == staff_a.user


def test_org_5_asking_a_plain_member_is_refused(community_a, staff_a, director_a):
    other = f.staff(community_a, "委员乙", [Role.MEMBER])
    with pytest.raises(ValidationError, match="ORG-5"):
        go(staff_a, other, at(9), at(11))
    assert not Outing.objects.exists()


def test_org_5_director_tells_the_person_on_duty(community_a, staff_a, director_a):
    assert go(director_a, staff_a, at(14), at(16)).told == staff_a


def test_org_4_last_person_cannot_leave_the_office_empty(community_a, staff_a, director_a):
    go(staff_a, director_a, at(9), at(12))
    with pytest.raises(ValidationError, match="ORG-4"):
        go(director_a, staff_a, at(10), at(11))


def test_org_4_outside_working_hours_and_on_days_off_is_allowed(community_a, staff_a, director_a):
    go(staff_a, director_a, at(9), at(12))
    go(director_a, staff_a, at(18), at(20))  # after 17:30
    saturday = dt.datetime(2026, 3, 7, 9, tzinfo=TZ)
    go(director_a, staff_a, saturday, saturday.replace(hour=12))


def test_org_4_notice_posted_a_day_ahead_allows_everyone_out(community_a, staff_a, director_a):
    with time_machine.travel(dt.datetime(2026, 2, 27, 9, tzinfo=TZ)):
        duty.post_all_out_notice(community=community_a, day=MONDAY.date(), reason="全体参加街道培训",
                                 contact="街道值班电话 66001000", acting_user=director_a.user)
    go(staff_a, director_a, at(9), at(12))
    go(director_a, staff_a, at(10), at(11))


def test_org_4_notice_on_the_same_day_is_too_late(community_a, director_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, tzinfo=TZ)):
        with pytest.raises(ValidationError, match="ORG-4"):
            duty.post_all_out_notice(community=community_a, day=MONDAY.date(), reason="培训", contact="",
                                     acting_user=director_a.user)


def test_org_4_returned_outing_no_longer_counts(community_a, staff_a, director_a):
    with time_machine.travel(at(9, 5)):
        first = go(staff_a, director_a, at(9), at(12))
        duty.report_back(first, acting_user=staff_a.user, report="已返回")
    with time_machine.travel(at(10)):
        go(director_a, staff_a, at(10), at(11))


def test_org_4_notice_pdf_for_the_board(community_a, staff_a, director_a):
    with time_machine.travel(dt.datetime(2026, 2, 27, 9, tzinfo=TZ)):
        notice = duty.post_all_out_notice(community=community_a, day=MONDAY.date(), reason="全体参加街道培训",
                                          contact="66001000", acting_user=director_a.user)
    response = login(staff_a).get(f"/office/notices/{notice.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "告" in text and "全体参加街道培训" in text and community_a.committee_name in text


def test_org_5_outing_not_reported_back_shows_as_due(community_a, staff_a, director_a):
    go(staff_a, director_a, at(9), at(10))
    with time_machine.travel(at(15)):
        items = reminders.collect([community_a], MONDAY.date())
    assert any(r.rule == "ORG-5" for r in items)


def test_org_6_unreported_incident_is_overdue_until_reported(community_a, staff_a, client_street):
    incident = duty.record_incident(community=community_a, kind="accident", occurred_at=timezone.now(),
                                    place="3号楼", description="燃气泄漏，已疏散", acting_user=staff_a.user)
    items = reminders.collect([community_a], timezone.localdate())
    assert any(r.rule == "ORG-6" and r.is_overdue for r in items)
    assert "燃气泄漏" in client_street.get("/office/incidents/").content.decode()
    duty.mark_reported(incident, reported_to="街道应急办 沈建平", acting_user=staff_a.user)
    assert not any(r.rule == "ORG-6" for r in reminders.collect([community_a], timezone.localdate()))


def test_org_6_report_needs_a_recipient(community_a, staff_a):
    incident = duty.record_incident(community=community_a, kind="disaster", occurred_at=timezone.now(),
                                    place="院内", description="暴雨积水", acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="ORG-6"):
        duty.mark_reported(incident, reported_to=" ", acting_user=staff_a.user)


def test_outing_page_refuses_leaving_the_office_empty_with_the_rule(staff_a, director_a):
    """ORG-4: with the director out, the last one in cannot go out in working hours (at a fixed working-day
    hour, so the test does not depend on when it runs)."""
    with time_machine.travel(at(10), tick=False):
        go(director_a, staff_a, timezone.now() - dt.timedelta(minutes=5), timezone.now() + dt.timedelta(hours=3))
        fmt = "%Y-%m-%dT%H:%M"
        start = timezone.localtime()
        response = login(staff_a).post("/office/outings/new/", {
            "kind": "errand", "purpose": "银行", "leaves_at": start.strftime(fmt),
            "back_at": (start + dt.timedelta(hours=1)).strftime(fmt), "told": director_a.pk})
    assert response.status_code == 200 and "ORG-4" in response.content.decode()
    assert not Outing.objects.filter(staff=staff_a).exists()


def test_whereabouts_board_lists_who_is_in(client_a, staff_a, director_a):
    page = client_a.get("/office/").content.decode()
    assert staff_a.name in page and director_a.name in page


def test_whereabouts_board_query_count_does_not_grow_with_communities(street, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(supervisor)
    for i in range(2):
        c = f.community(street, f"社区{i}")
        f.staff(c, "主任", [Role.DIRECTOR])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/office/").status_code == 200
    for i in range(6):
        c = f.community(street, f"更多{i}")
        f.staff(c, "主任", [Role.DIRECTOR])
        f.staff(c, "委员", [Role.MEMBER])
    with CaptureQueriesContext(connection) as many:
        page = client.get("/office/").content.decode()
    assert len(many.captured_queries) <= len(few.captured_queries)
    assert page.count("更多") >= 6


# --- ORG-5 revised 2026-12: only the director; the deputy while the director is away --------------------


def test_org_5_the_deputy_cannot_approve_an_outing_while_the_director_is_in(community_a, staff_a, director_a):
    deputy = f.staff(community_a, "副主任", [Role.DEPUTY_DIRECTOR])
    with time_machine.travel(at(8, 50), tick=False):
        response = login(staff_a).post("/office/outings/new/", {
            "kind": "meeting", "purpose": "街道例会", "leaves_at": "2026-03-02T09:00",
            "back_at": "2026-03-02T11:00", "told": deputy.pk})
    assert response.status_code == 200 and "ORG-5" in response.content.decode()
    assert not Outing.objects.exists()


def test_org_5_the_deputy_stands_in_while_the_director_is_out(community_a, staff_a, director_a):
    deputy = f.staff(community_a, "副主任", [Role.DEPUTY_DIRECTOR])
    go(director_a, deputy, at(8, 30), at(12))
    assert go(staff_a, deputy, at(9), at(11)).told == deputy


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_item_10_far_dates_on_duty_forms_answer_a_message_not_a_500(community_a, staff_a, director_a, value):
    client = login(staff_a)
    with time_machine.travel(at(8, 50), tick=False):
        r1 = client.post("/office/outings/new/", {"kind": "meeting", "purpose": "x", "leaves_at": value,
                                               "back_at": value, "told": director_a.pk})
        r2 = client.post("/office/incidents/", {"kind": Incident.Kind.choices[0][0], "occurred_at": value,
                                              "place": "x", "description": "x"})
        r3 = client.post("/office/notices/", {"date": value[:10], "reason": "x"})
    for r in (r1, r2, r3):
        assert r.status_code in (200, 302)
    assert "1900" in r1.content.decode()
