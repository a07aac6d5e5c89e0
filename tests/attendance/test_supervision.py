"""What the street office sees and does: reminders on the dashboard (ATT-4, ATT-7, ATT-9), inspections
deducting from the target-responsibility score (ATT-8), decisions on resignation flags (ATT-7)."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import figures, reminders, services
from attendance.models import LeaveRequest, MonthlySheet, RegisterMonth
from committee import policy
from committee import reminders as core_reminders
from tests import factories as f
from tests.attendance.conftest import sign_days
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def test_att_9_sheet_not_sent_by_the_tenth_is_overdue_for_the_street_office(community_a, community_b, keeper_a,
                                                                            staff_b, supervisor):
    sign_days(keeper_a, [dt.date(2026, 3, 2)])
    sign_days(staff_b, [dt.date(2026, 3, 31)])
    items = list(reminders.monthly_sheet([community_a, community_b], dt.date(2026, 4, 3)))
    assert {(r.community, r.state, r.due) for r in items} == {(community_a, "due", dt.date(2026, 4, 10)),
                                                              (community_b, "due", dt.date(2026, 4, 10))}
    MonthlySheet.objects.create(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 4, 9),
                                sent_by=keeper_a)
    items = list(reminders.monthly_sheet([community_a, community_b], dt.date(2026, 4, 11)))
    assert [(r.community, r.state, r.rule) for r in items] == [(community_b, "overdue", "ATT-9")]
    with at(2026, 4, 11, 9, 0):
        body = login(supervisor).get("/dashboard/").content.decode()
    assert "2026年03月考勤表报街道办" in body


def test_att_9_no_reminder_for_a_month_with_no_attendance_recorded(community_a, community_b, keeper_a, staff_b,
                                                                    supervisor):
    """ATT-1/ATT-9: a month without a register line and not started by the keeper has no sheet to send."""
    sign_days(staff_b, [dt.date(2026, 2, 27)])  # the month before does not count
    assert list(reminders.monthly_sheet([community_a, community_b], dt.date(2026, 4, 11))) == []
    with at(2026, 4, 11, 9, 0):
        body = login(supervisor).get("/dashboard/").content.decode()
    assert "2026年03月考勤表报街道办" not in body
    RegisterMonth.objects.create(community=community_a, year=2026, month=3, started_on=dt.date(2026, 3, 20),
                                 started_by=keeper_a)
    items = list(reminders.monthly_sheet([community_a, community_b], dt.date(2026, 4, 11)))
    assert [(r.community, r.state) for r in items] == [(community_a, "overdue")]
    sign_days(staff_b, [dt.date(2026, 3, 31)])
    items = list(reminders.monthly_sheet([community_a, community_b], dt.date(2026, 4, 11)))
    assert {r.community for r in items} == {community_a, community_b}


def test_att_9_due_day_follows_the_policy(community_a, keeper_a, street):
    sign_days(keeper_a, [dt.date(2026, 3, 2)])
    policy.set_value(street_office=street, community=community_a, key="att.sheet_due_day", raw="5", reason="区里要求",
                     acting_user=None)
    [item] = reminders.monthly_sheet([community_a], dt.date(2026, 4, 6))
    assert item.state == "overdue" and item.due == dt.date(2026, 4, 5)


def test_att_4_missing_paperwork_is_due_then_overdue(staff_a, supervisor):
    with at(2026, 3, 2, 9, 0):
        services.record_emergency(staff=staff_a, kind="sick", start=dt.date(2026, 3, 2), start_half="am",
                                  end=dt.date(2026, 3, 2), end_half="pm", acting_user=supervisor.user)
    [item] = reminders.emergency_paperwork([staff_a.community], dt.date(2026, 3, 3))
    assert (item.state, item.rule, item.due) == ("due", "ATT-4", dt.date(2026, 3, 5))
    [item] = reminders.emergency_paperwork([staff_a.community], dt.date(2026, 3, 6))
    assert item.state == "overdue"


def _long_sick(staff, start, end):
    return LeaveRequest.objects.create(community=staff.community, staff=staff, kind="sick", start=start, end=end,
                                       days=20, state="approved", requested_by=staff)


def test_att_7_flag_shows_for_the_street_office_until_decided(staff_a, supervisor, staff_b):
    _long_sick(staff_a, dt.date(2026, 3, 2), dt.date(2026, 4, 10))
    _long_sick(staff_b, dt.date(2026, 3, 2), dt.date(2026, 3, 20))  # under a month: no flag
    day = dt.date(2026, 4, 20)
    items = list(reminders.resignation_flags([staff_a.community, staff_b.community], day))
    assert [(r.community, r.rule) for r in items] == [(staff_a.community, "ATT-7")]
    with pytest.raises(ValidationError, match="ATT-7"):
        services.review_flag(staff=staff_a, year=2026, decision="keep", note="病愈返岗", acting_user=staff_b.user)
    with at(2026, 4, 20, 10, 0):
        response = login(supervisor).post(f"/attendance/flags/{staff_a.pk}/2026/",
                                          {"decision": "keep", "note": "住院有证明，已返岗"})
    assert response.status_code == 302
    assert list(reminders.resignation_flags([staff_a.community], day)) == []


def test_att_7_flags_read_with_fixed_queries_for_any_number_of_communities(street):
    communities = [f.community(street, f"社区{i}") for i in range(4)]
    for c in communities:
        person = f.staff(c, "病号")
        _long_sick(person, dt.date(2026, 1, 5), dt.date(2026, 3, 20))

    def count(cs):
        for c in cs:
            c.__dict__.pop("_policy_cache", None)
        with CaptureQueriesContext(connection) as ctx:
            list(reminders.resignation_flags(cs, dt.date(2026, 4, 1)))
        return len(ctx.captured_queries)

    figures.yearly_flags(communities, 2026, today=dt.date(2026, 4, 1))  # warm the calendar cache
    assert count(communities[:1]) == count(communities)


def test_att_8_inspection_with_a_finding_deducts_ten_percent_and_only_the_street_office_records(
        community_a, supervisor, director_a):
    with at(2026, 5, 12, 16, 0):
        with pytest.raises(ValidationError, match="ATT-8"):
            services.record_inspection(community=community_a, date=dt.date(2026, 5, 12), finding="x",
                                       problem_found=True, acting_user=director_a.user)
        services.record_inspection(community=community_a, date=dt.date(2026, 5, 12), finding="",
                                   problem_found=False, acting_user=supervisor.user)
        bad = services.record_inspection(community=community_a, date=dt.date(2026, 5, 12),
                                         finding="两人上班时间不在岗，考勤簿未及时登记", problem_found=True,
                                         acting_user=supervisor.user)
        with pytest.raises(ValidationError, match="ATT-8"):
            services.record_inspection(community=community_a, date=dt.date(2026, 5, 13), finding="",
                                       problem_found=True, acting_user=supervisor.user)
    assert bad.deduction_pct == D("10")
    assert figures.score_deductions(community_a, 2026) == D("10")
    with at(2026, 6, 1, 9, 0):
        services.void_inspection(bad.pk, reason="重复登记", acting_user=supervisor.user)
    assert figures.score_deductions(community_a, 2026) == 0
    assert figures.score_deductions(community_a, 2025) == 0


def test_att_8_inspection_page_shows_the_deduction(community_a, supervisor, staff_a):
    with at(2026, 5, 12, 16, 0):
        response = login(supervisor).post("/attendance/inspections/new/", {
            "community": community_a.pk, "date": "2026-05-12", "problem_found": "on", "finding": "考勤簿缺登记"})
        assert response.status_code == 302
        body = login(staff_a).get("/attendance/inspections/?year=2026").content.decode()
    assert "考勤簿缺登记" in body and "10%" in body


def test_dashboard_with_all_attendance_reminders_reads_a_fixed_number_of_queries(street, supervisor):
    communities = [f.community(street, f"社区{i}") for i in range(2)]
    with at(2026, 4, 20, 9, 0):
        core_reminders.collect(communities, dt.date(2026, 4, 20))
        with CaptureQueriesContext(connection) as few:
            core_reminders.collect(communities, dt.date(2026, 4, 20))
        more = communities + [f.community(street, f"社区{i}") for i in range(2, 6)]
        core_reminders.collect(more, dt.date(2026, 4, 20))
        with CaptureQueriesContext(connection) as many:
            core_reminders.collect(more, dt.date(2026, 4, 20))
    assert len(few.captured_queries) == len(many.captured_queries)
