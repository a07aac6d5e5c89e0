"""Issue 8 controls in attendance, through the pages with the attacker's exact request: CTL-2 (one person,
one step), CTL-5 (only the requester changes a waiting leave), CTL-6 (the sheet's date is the server's),
ATT-3 (continuous absence, no past days), ORG-4 (approved leave leaves someone on duty), ATT-1 (the sheet
waits for waiting leave), item 10 (far dates and years answer a page, never a 500)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from attendance import services
from attendance.models import LeaveRequest, MonthlySheet
from committee import approvals
from committee.models import AllOutNotice, Approval, Role, RoleAssignment
from tests import factories as f
from tests.attendance.conftest import sign_days
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def _new(client, start, end=None, start_half="am", end_half="pm", **extra):
    return client.post("/attendance/leave/new/", {"kind": "personal", "start": start, "start_half": start_half,
                                                  "end": end or start, "end_half": end_half, "reason": "家中有事",
                                                  **extra})


def _decide(staff, approval, approve=True):
    return login(staff).post(f"/approvals/{approval.pk}/decide/", {
        "decision": "approve" if approve else "reject", "comment": "" if approve else "不同意"})


# --- CTL-2 ---------------------------------------------------------------------------------------------


def test_ctl_2_a_person_holding_two_roles_cannot_decide_both_steps_of_one_leave(community_a, staff_a, director_a):
    both = f.staff(community_a, "兼任", [Role.DIRECTOR])
    RoleAssignment.objects.create(staff=both, role=Role.DEPARTMENT_HEAD, start=dt.date(2020, 1, 1), community=None)
    with at(2026, 3, 2, 9, 0):
        _new(login(staff_a), "2026-03-04")
        leave = LeaveRequest.objects.get()
        first, second = approvals.steps_for(leave)
        assert _decide(both, first).status_code == 302
        _decide(both, second)  # the attacker's second decision
    second.refresh_from_db()
    leave.refresh_from_db()
    assert second.status == Approval.Status.PENDING and leave.state == LeaveRequest.State.PENDING


def test_ctl_2_the_keeper_who_entered_a_colleagues_leave_cannot_approve_it(community_a, staff_a):
    keeper = f.staff(community_a, "考勤兼主任", [Role.ATTENDANCE_KEEPER, Role.DIRECTOR])
    f.staff(community_a, "值班", [Role.MEMBER])
    with at(2026, 3, 2, 9, 0):
        _new(login(keeper), "2026-03-04", end_half="am", staff=staff_a.pk, on_behalf_reason="本人电话请假")
        leave = LeaveRequest.objects.get()
        [step] = approvals.steps_for(leave)
        _decide(keeper, step)
    step.refresh_from_db()
    assert step.status == Approval.Status.PENDING and leave.on_behalf_reason == "本人电话请假"
    assert step.preparers.filter(pk=keeper.pk).exists()


# --- CTL-5 ---------------------------------------------------------------------------------------------


def test_ctl_5_the_director_sees_no_withdraw_and_cannot_withdraw_someone_elses_leave(staff_a, director_a):
    with at(2026, 3, 2, 9, 0):
        _new(login(staff_a), "2026-03-04", end_half="am")
        leave = LeaveRequest.objects.get()
        page = login(director_a).get(f"/attendance/leave/{leave.pk}/")
        assert not page.context["can_withdraw"]
        assert f"/attendance/leave/{leave.pk}/withdraw/" not in page.content.decode()
        response = login(director_a).post(f"/attendance/leave/{leave.pk}/withdraw/")
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.PENDING


def test_ctl_5_a_colleague_cannot_edit_a_pending_leave(community_a, staff_a, director_a):
    other = f.staff(community_a, "同事", [Role.MEMBER])
    with at(2026, 3, 2, 9, 0):
        _new(login(staff_a), "2026-03-04", end_half="am")
        leave = LeaveRequest.objects.get()
        response = login(other).post(f"/attendance/leave/{leave.pk}/edit/", {
            "kind": "personal", "start": "2026-03-04", "start_half": "am", "end": "2026-03-06", "end_half": "pm",
            "reason": "改"})
    assert response.status_code == 403
    response = login(director_a).post(f"/attendance/leave/{leave.pk}/edit/", {})
    assert response.status_code == 403
    leave.refresh_from_db()
    assert leave.end == dt.date(2026, 3, 4)


def test_ctl_5_the_requester_edits_and_the_approval_restarts_in_a_new_round(staff_a, director_a, supervisor):
    with at(2026, 3, 2, 9, 0):
        client = login(staff_a)
        _new(client, "2026-03-04", end_half="am")
        leave = LeaveRequest.objects.get()
        response = client.post(f"/attendance/leave/{leave.pk}/edit/", {
            "kind": "personal", "start": "2026-03-04", "start_half": "am", "end": "2026-03-05", "end_half": "pm",
            "reason": "延长"})
        assert response.status_code == 302
    leave.refresh_from_db()
    steps = list(approvals.steps_for(leave))
    assert [s.status for s in steps] == ["cancelled", "pending", "pending"]
    assert [s.round for s in steps] == [1, 2, 2] and leave.days == 2


def test_ctl_5_the_keeper_withdraws_for_a_colleague_only_with_a_reason(community_a, staff_a, keeper_a, director_a):
    with at(2026, 3, 2, 9, 0):
        _new(login(staff_a), "2026-03-04", end_half="am")
        leave = LeaveRequest.objects.get()
        login(keeper_a).post(f"/attendance/leave/{leave.pk}/withdraw/")
        leave.refresh_from_db()
        assert leave.state == LeaveRequest.State.PENDING
        login(keeper_a).post(f"/attendance/leave/{leave.pk}/withdraw/", {"on_behalf_reason": "本人住院"})
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.WITHDRAWN and leave.on_behalf_reason == "本人住院"


def test_ctl_5_a_decided_leave_is_never_edited(staff_a, director_a):
    with at(2026, 3, 2, 9, 0):
        client = login(staff_a)
        _new(client, "2026-03-04", end_half="am")
        leave = LeaveRequest.objects.get()
        [step] = approvals.steps_for(leave)
        _decide(director_a, step)
        response = client.post(f"/attendance/leave/{leave.pk}/edit/", {
            "kind": "sick", "start": "2026-03-04", "start_half": "am", "end": "2026-03-04", "end_half": "am",
            "reason": "改"})
    assert response.status_code == 200 and "CTL-5" in response.content.decode()
    leave.refresh_from_db()
    assert leave.kind == "personal" and leave.state == LeaveRequest.State.APPROVED


def test_ctl_5_sign_in_times_change_only_through_the_keepers_correction_with_a_reason(staff_a, keeper_a):
    from attendance.models import SignIn

    record = SignIn.objects.create(community=staff_a.community, staff=staff_a, date=dt.date(2026, 3, 2),
                                   sign_in=dt.time(9, 10), sign_out=dt.time(17, 40))
    with at(2026, 3, 3, 9, 0):
        own = login(staff_a).post(f"/attendance/register/{record.pk}/correct/",
                                  {"sign_in": "08:00", "sign_out": "17:40", "reason": "改"})
        no_reason = login(keeper_a).post(f"/attendance/register/{record.pk}/correct/",
                                         {"sign_in": "08:00", "sign_out": "17:40", "reason": ""})
    assert own.status_code == 403 and no_reason.status_code == 200
    record.refresh_from_db()
    assert record.sign_in == dt.time(9, 10)


# --- CTL-6 ---------------------------------------------------------------------------------------------


def test_ctl_6_the_sheet_sent_date_is_the_servers_and_an_earlier_one_is_a_late_entry(community_a, keeper_a):
    client = login(keeper_a)
    with at(2026, 4, 20, 9, 0):
        typed = client.post("/attendance/month/2026/3/sent/", {"sent_on": "2026-04-08"})
        assert not MonthlySheet.objects.exists() and typed.status_code == 302
        client.post("/attendance/month/2026/3/sent/", {"sent_on": "2026-04-08", "late_reason": "忘记登记"})
        page = client.get("/attendance/month/2026/3/")
        client.post("/attendance/month/2026/2/sent/", {})
    late = MonthlySheet.objects.get(month=3)
    assert late.sent_on == dt.date(2026, 4, 8) and late.sent_late and late.late_reason == "忘记登记"
    assert "补记" in page.content.decode()
    on_time = MonthlySheet.objects.get(month=2)
    assert on_time.sent_on == dt.date(2026, 4, 20) and not on_time.sent_late


# --- ATT-1: the sheet waits for waiting leave -------------------------------------------------------------


def test_att_1_the_sheet_cannot_be_sent_while_leave_of_the_month_waits(community_a, staff_a, keeper_a, director_a):
    with at(2026, 3, 27, 9, 0):
        _new(login(staff_a), "2026-03-30", end_half="am")
    sign_days(keeper_a, [dt.date(2026, 3, 2)])  # the month's register is kept (ATT-1)
    with at(2026, 4, 2, 9, 0):
        response = login(keeper_a).post("/attendance/month/2026/3/sent/", {}, follow=True)
        assert "ATT-1" in response.content.decode() and not MonthlySheet.objects.exists()
        month = login(keeper_a).get("/attendance/month/2026/3/").context
    person = next(p for p in month["cm"].people if p.staff_id == staff_a.pk)
    day = person.days[29]  # the 30th: waiting leave in the morning counts as absence, marked as waiting (ATT-1)
    assert "pending" in day.codes and person.absent_days >= 0.5


# --- ATT-3: splitting and past days ---------------------------------------------------------------------


def test_att_3_two_days_filed_as_four_half_days_route_like_a_two_day_leave(staff_a, director_a, supervisor):
    client = login(staff_a)
    with at(2026, 3, 2, 9, 0):
        for start_half, end_half, day in (("am", "am", "2026-03-04"), ("pm", "pm", "2026-03-04"),
                                          ("am", "am", "2026-03-05"), ("pm", "pm", "2026-03-05")):
            _new(client, day, start_half=start_half, end_half=end_half)
    last = LeaveRequest.objects.order_by("-pk").first()
    assert [s.role_required for s in approvals.steps_for(last)] == [Role.DIRECTOR, Role.DEPARTMENT_HEAD]
    second = LeaveRequest.objects.order_by("pk")[1]
    assert [s.role_required for s in approvals.steps_for(second)] == [Role.DIRECTOR, Role.DEPARTMENT_HEAD]


def test_att_3_an_ordinary_request_for_past_days_is_refused(staff_a):
    with at(2026, 3, 24, 9, 0):
        response = _new(login(staff_a), "2026-03-02")  # 22 days ago
    assert response.status_code == 200 and "ATT-4" in response.content.decode()
    assert not LeaveRequest.objects.exists()


# --- ORG-4: approved leave leaves someone on duty ----------------------------------------------------------


def test_org_4_approving_leave_that_leaves_nobody_on_duty_is_refused_without_a_notice(community_a, staff_a,
                                                                                      director_a, street_leader):
    with at(2026, 3, 2, 9, 0):
        _new(login(staff_a), "2026-03-04", end_half="am")
        r = _new(login(director_a), "2026-03-04", end_half="am", staff=director_a.pk)
        assert r.status_code == 302, r.context["form"].errors
        mine, directors = LeaveRequest.objects.order_by("pk")
        [step] = approvals.steps_for(mine)
        _decide(director_a, step)
        [top] = approvals.steps_for(directors)
        response = _decide(street_leader, top)
    directors.refresh_from_db()
    assert response.status_code == 302 and directors.state == LeaveRequest.State.PENDING
    AllOutNotice.objects.create(community=community_a, date=dt.date(2026, 3, 4), reason="全体外出",
                                posted_on=dt.date(2026, 3, 2), created_by=director_a)
    with at(2026, 3, 2, 10, 0):
        _decide(street_leader, top)
    directors.refresh_from_db()
    assert directors.state == LeaveRequest.State.APPROVED


# --- item 10: far dates and years ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["?day=0001-01-01", "?day=9999-12-31", "?day=x", "?year=99999", "?year=-1",
                                   "?month=13"])
@pytest.mark.parametrize("path", ["/attendance/register/", "/attendance/inspections/", "/attendance/flags/",
                                  "/attendance/leave/", "/attendance/", "/office/", "/office/incidents/",
                                  "/office/notices/"])
def test_item_10_far_query_values_answer_a_page_not_a_500(keeper_a, path, query):
    with at(2026, 3, 2, 9, 0):
        assert login(keeper_a).get(path + query).status_code == 200


@pytest.mark.parametrize("year,month", [(99999, 1), (1, 1), (2026, 13), (2100, 1)])
def test_item_10_far_months_are_not_found(keeper_a, year, month):
    with at(2026, 3, 2, 9, 0):
        assert login(keeper_a).get(f"/attendance/month/{year}/{month}/").status_code == 404


def test_item_10_leave_on_the_last_days_of_year_9999_is_refused_with_a_message(staff_a):
    with at(2026, 3, 2, 9, 0):
        response = _new(login(staff_a), "9999-12-30", "9999-12-31")
    assert response.status_code == 200 and "2027" in response.content.decode()
    assert not LeaveRequest.objects.exists()
    with at(2026, 3, 2, 9, 0):
        services.rules.check_leave_range(dt.date(2026, 3, 3), dt.date(2027, 12, 31), dt.date(2026, 3, 2))


def test_ctl_8_a_sign_in_with_a_next_that_is_no_url_goes_home_not_500(staff_a):
    """Found by tests/fuzz: ``next=+1`` was handed to redirect(), which tried to reverse it as a view name."""
    from tests.conftest import login

    response = login(staff_a).post("/attendance/sign/", {"action": "in", "next": "+1"})
    assert response.status_code == 302
    assert response["Location"] == "/attendance/"
