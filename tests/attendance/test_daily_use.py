"""Daily use (issue 9): figures that never state what they cannot know (ATT-1: today before the end of the
working day, a month without a register, waiting leave in the person's own month), actions that ask first
and say who acts next, the dashboard's sign card and the one-choice leave form."""

import datetime as dt
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine

from attendance import figures, services
from attendance.models import LeaveRequest, RegisterMonth, SignIn
from committee.models import Role
from tests import factories as f
from tests.attendance.conftest import sign_days
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 9)  # a working day; March 2026 has no holiday


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def _kept(community, *people):
    """The register of March 2026 is kept from the 2nd: everyone signed every working day before the 9th."""
    days = [dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6)]
    for p in people:
        sign_days(p, days)


# --- ATT-1: today is not absence before the working day ends ------------------------------------------------


def test_att_1_at_three_in_the_morning_today_is_open_not_absent(community_a, staff_a, director_a):
    _kept(community_a, staff_a, director_a)
    with at(2026, 3, 9, 3, 0):
        page = login(staff_a).get(f"/attendance/staff/{staff_a.pk}/2026/3/")
        home = login(staff_a).get("/attendance/")
    pm = page.context["pm"]
    today = pm.days[MONDAY.day - 1]
    assert pm.absent_days == 0 and pm.total_deduction == 0 and pm.full_attendance
    assert today.open and "absent" not in today.codes
    assert "今天尚未结束" in page.content.decode()
    assert home.context["month"].absent_days == 0


def test_att_1_after_the_end_of_the_working_day_a_day_without_sign_in_is_absent(community_a, staff_a, director_a):
    _kept(community_a, staff_a, director_a)
    with at(2026, 3, 9, 17, 29):
        assert login(staff_a).get(f"/attendance/staff/{staff_a.pk}/2026/3/").context["pm"].absent_days == 0
    with at(2026, 3, 9, 17, 30):  # the policy's end of the day (att.early_before)
        pm = login(staff_a).get(f"/attendance/staff/{staff_a.pk}/2026/3/").context["pm"]
    assert pm.absent_days == 1 and "absent" in pm.days[MONDAY.day - 1].codes


# --- ATT-1: a month without a register counts nothing --------------------------------------------------------


def test_att_1_a_month_without_any_register_line_shows_the_message_and_no_deductions(community_a, staff_a,
                                                                                    director_a):
    with at(2026, 4, 20, 10, 0):
        month = login(director_a).get("/attendance/month/2026/3/")
        person = login(staff_a).get(f"/attendance/staff/{staff_a.pk}/2026/3/")
        xlsx = login(director_a).get("/attendance/month/2026/3/sheet.xlsx")
    cm = month.context["cm"]
    assert not cm.recorded and cm.total_deduction == 0
    assert all(p.absent_days == 0 and not p.lines for p in cm.people)
    assert "本月没有考勤记录" in month.content.decode() and "本月没有考勤记录" in person.content.decode()
    assert person.context["pm"].total_deduction == 0 and person.context["pm"].absent_days == 0
    assert xlsx.status_code == 200
    # a past month is not "started" after the fact: it is imported or recorded line by line
    assert not month.context["can_start"] and month.context["can_import"]


def test_att_1_one_register_line_keeps_the_month_from_that_day(community_a, staff_a, director_a):
    sign_days(director_a, [dt.date(2026, 3, 4)])
    cm = figures.community_month(community_a, 2026, 3, today=dt.date(2026, 4, 20))
    assert cm.kept_from == dt.date(2026, 3, 4) and cm.partly_kept
    pm = next(p for p in cm.people if p.staff_id == staff_a.pk)
    # the 2nd and 3rd were before the register was kept: not absence; from the 4th: 20 working days absent
    assert pm.days[1].unrecorded and "absent" not in pm.days[1].codes
    assert pm.absent_days == 20 and pm.total_deduction == D("4597.70")


def test_att_1_the_keeper_starts_this_months_register_and_it_counts_from_today(community_a, staff_a, director_a,
                                                                              keeper_a):
    with at(2026, 3, 9, 8, 0):
        page = login(keeper_a).get("/attendance/month/2026/3/")
        assert page.context["can_start"] and "开始本月考勤" in page.content.decode()
        refused = login(staff_a).post("/attendance/month/start/")
        response = login(keeper_a).post("/attendance/month/start/", {"next": "/attendance/month/2026/3/"},
                                        follow=True)
        again = login(keeper_a).post("/attendance/month/start/", follow=True)
    assert refused.status_code == 403
    assert response.redirect_chain[-1][0] == "/attendance/month/2026/3/"
    assert "2026-03-09" in response.content.decode()
    assert RegisterMonth.objects.get().started_on == MONDAY and "已经开始" in again.content.decode()
    cm = figures.community_month(community_a, 2026, 3, today=dt.date(2026, 3, 10))
    pm = next(p for p in cm.people if p.staff_id == staff_a.pk)
    assert cm.kept_from == MONDAY and pm.absent_days == 1  # the 9th only; the 10th is today


# --- ATT-1: waiting leave in the person's own month -------------------------------------------------------------


def test_att_1_waiting_leave_shows_in_the_persons_own_month_marked_waiting(community_a, staff_a, director_a):
    _kept(community_a, staff_a, director_a)
    with at(2026, 3, 9, 9, 0):
        login(staff_a).post("/attendance/leave/new/", {"kind": "personal", "length": "pm", "day": "2026-03-11",
                                                       "reason": "家长会"})
        page = login(staff_a).get(f"/attendance/staff/{staff_a.pk}/2026/3/")
    body = page.content.decode()
    assert [lv.state for lv in page.context["leaves"]] == ["pending"]
    assert "等待审批" in body and "03-11" in body
    assert "pending" in page.context["pm"].days[10].codes  # the 11th is marked waiting (待批)


def test_att_1_a_signed_day_with_waiting_leave_still_shows_it(community_a, staff_a, director_a):
    _kept(community_a, staff_a, director_a)
    with at(2026, 3, 9, 9, 0):
        services.request_leave(staff=staff_a, kind="personal", start=MONDAY, start_half="pm", end=MONDAY,
                               end_half="pm", reason="办事", acting_user=staff_a.user)
    SignIn.objects.create(community=community_a, staff=staff_a, date=MONDAY, sign_in=dt.time(8, 20),
                          sign_out=dt.time(12, 0))
    pm = figures.community_month(community_a, 2026, 3, staff_list=[staff_a], today=dt.date(2026, 3, 10)).people[0]
    day = pm.days[MONDAY.day - 1]
    assert "pending" in day.codes and "early" in day.codes and pm.pending_days == D("0.5")


# --- forms and actions ----------------------------------------------------------------------------------------


def test_att_3_half_a_day_is_one_choice_and_the_message_names_who_decides(community_a, staff_a, director_a):
    with at(2026, 3, 9, 9, 0):
        form = login(staff_a).get("/attendance/leave/new/?length=am")
        assert form.context["form"]["day"].value() == MONDAY and form.context["form"]["length"].value() == "am"
        response = login(staff_a).post("/attendance/leave/new/", {"kind": "personal", "length": "am",
                                                                  "day": "2026-03-09", "reason": "社保中心"},
                                       follow=True)
    leave = LeaveRequest.objects.get()
    assert (leave.start, leave.start_half, leave.end, leave.end_half) == (MONDAY, "am", MONDAY, "am")
    assert leave.days == D("0.5")
    assert f"已送主任 {director_a.name} 审批" in response.content.decode()


def test_att_3_several_days_keep_from_and_to(community_a, staff_a, director_a, supervisor):
    with at(2026, 3, 9, 9, 0):
        response = login(staff_a).post("/attendance/leave/new/", {
            "kind": "sick", "length": "longer", "day": "2026-03-09", "start": "2026-03-10", "start_half": "pm",
            "end": "2026-03-12", "end_half": "pm", "reason": "住院"}, follow=True)
    leave = LeaveRequest.objects.get()
    assert (leave.start, leave.end, leave.days) == (dt.date(2026, 3, 10), dt.date(2026, 3, 12), D("2.5"))
    assert "部门负责人" in response.content.decode()  # ATT-3: then the department head


def test_the_leave_form_keeps_what_was_typed_after_an_error(community_a, staff_a, director_a):
    with at(2026, 3, 9, 9, 0):
        response = login(staff_a).post("/attendance/leave/new/", {
            "kind": "sick", "length": "day", "day": "2026-03-14", "reason": "复查"})  # a Saturday
    body = response.content.decode()
    assert response.status_code == 200 and not LeaveRequest.objects.exists()
    assert "没有工作日" in body and 'value="2026-03-14"' in body and "复查" in body
    assert re.search(r'value="day"[^>]*checked', body) and not re.search(r'value="am"[^>]*checked', body)
    # the error stands under the date the user sees, not under the hidden first/last day
    assert response.context["form"].errors.get("day")


def _pending(staff_a):
    with at(2026, 3, 9, 9, 0):
        return services.request_leave(staff=staff_a, kind="personal", start=dt.date(2026, 3, 11), start_half="am",
                                      end=dt.date(2026, 3, 11), end_half="pm", reason="事", acting_user=staff_a.user)


def test_ctl_5_the_director_sees_no_withdraw_on_someone_elses_leave_and_cannot_post_it(staff_a, director_a):
    leave = _pending(staff_a)
    with at(2026, 3, 9, 10, 0):
        page = login(director_a).get(f"/attendance/leave/{leave.pk}/")
        response = login(director_a).post(f"/attendance/leave/{leave.pk}/withdraw/", {"reason": "代撤"}, follow=True)
    assert not page.context["can_withdraw"] and "dlg-withdraw" not in page.content.decode()
    assert "CTL-5" in response.content.decode()
    leave.refresh_from_db()
    assert leave.state == "pending"


def test_ctl_5_withdraw_asks_first_and_the_requester_needs_no_reason(staff_a, director_a):
    leave = _pending(staff_a)
    with at(2026, 3, 9, 10, 0):
        page = login(staff_a).get(f"/attendance/leave/{leave.pk}/")
        body = page.content.decode()
        assert 'data-dialog="dlg-withdraw"' in body and 'name="reason"' not in body
        response = login(staff_a).post(f"/attendance/leave/{leave.pk}/withdraw/", follow=True)
    leave.refresh_from_db()
    assert leave.state == "withdrawn" and "已撤回" in response.content.decode()


def test_ctl_5_the_keeper_withdraws_for_a_colleague_only_with_a_reason(staff_a, keeper_a, director_a):
    leave = _pending(staff_a)
    with at(2026, 3, 9, 10, 0):
        page = login(keeper_a).get(f"/attendance/leave/{leave.pk}/")
        assert 'name="reason"' in page.content.decode()
        login(keeper_a).post(f"/attendance/leave/{leave.pk}/withdraw/", {"reason": " "})
        leave.refresh_from_db()
        assert leave.state == "pending"
        login(keeper_a).post(f"/attendance/leave/{leave.pk}/withdraw/", {"reason": "本人电话要求撤回"})
    leave.refresh_from_db()
    assert leave.state == "withdrawn" and leave.on_behalf_reason == "本人电话要求撤回"


# --- the dashboard's sign card (ATT-1) ------------------------------------------------------------------------


def test_att_1_dashboard_sign_card_signs_in_with_one_post_and_shows_the_time(community_a, staff_a,
                                                                             django_assert_max_num_queries):
    client = login(staff_a)
    with at(2026, 3, 9, 8, 52):
        dashboard = client.get("/dashboard/")
        assert "尚未签到" in dashboard.content.decode() and 'value="in"' in dashboard.content.decode()
        response = client.post("/attendance/sign/", {"action": "in", "next": "/dashboard/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    body = response.content.decode()
    assert "08:52 签到" in body and "迟到" in body and 'value="out"' in body


def test_att_1_an_early_sign_out_asks_first_and_says_it_is_leaving_early(community_a, staff_a):
    client = login(staff_a)
    with at(2026, 3, 9, 8, 20):
        client.post("/attendance/sign/", {"action": "in"})
    with at(2026, 3, 9, 16, 0):
        body = client.get("/dashboard/").content.decode()
        assert 'data-dialog="dlg-sign-out"' in body and "早退" in body
        assert 'name="confirm" value="1"' in body  # the dialog's form says it was confirmed
        # a bare POST (a double tap on the old button) does not sign out early: it says why
        response = client.post("/attendance/sign/", {"action": "out", "next": "/dashboard/"}, follow=True)
        assert "未签退" in response.content.decode() and "17:30" in response.content.decode()
        assert SignIn.objects.get(staff=staff_a).sign_out is None
        response = client.post("/attendance/sign/", {"action": "out", "confirm": "1", "next": "/dashboard/"},
                               follow=True)
    assert "16:00" in response.content.decode() and "早退" in response.content.decode()
    assert SignIn.objects.get(staff=staff_a).sign_out == dt.time(16, 0)
    with at(2026, 3, 9, 17, 40):
        other = f.staff(community_a, "乙", [Role.MEMBER])
        c2 = login(other)
        c2.post("/attendance/sign/", {"action": "in"})
        assert 'data-dialog="dlg-sign-out"' not in c2.get("/dashboard/").content.decode()


def test_the_sign_card_goes_back_only_to_this_site(staff_a):
    with at(2026, 3, 9, 8, 20):
        response = login(staff_a).post("/attendance/sign/", {"action": "in", "next": "https://evil.example/"})
    assert response["Location"] == "/attendance/"


def test_the_street_office_sees_no_sign_card(supervisor):
    with at(2026, 3, 9, 9, 0):
        assert "sign-card" not in login(supervisor).get("/dashboard/").content.decode()


def test_the_persons_month_with_its_leave_list_reads_a_fixed_number_of_queries(community_a, staff_a, director_a,
                                                                              django_assert_max_num_queries):
    _kept(community_a, staff_a, director_a)
    for day in (11, 13, 17):
        _request = services.request_leave  # three waiting requests of the month
        with at(2026, 3, 9, 9, 0):
            _request(staff=staff_a, kind="personal", start=dt.date(2026, 3, day), start_half="am",
                     end=dt.date(2026, 3, day), end_half="am", reason="事", acting_user=staff_a.user)
    client = login(staff_a)
    with at(2026, 3, 9, 10, 0):
        client.get(f"/attendance/staff/{staff_a.pk}/2026/3/")  # warm the session and the calendar
        # session, user, staff, person, 4 figures, the leave list, keeper roles, the navigation (inbox badge) …
        with django_assert_max_num_queries(20):
            response = client.get(f"/attendance/staff/{staff_a.pk}/2026/3/")
    assert len(response.context["leaves"]) == 3


def test_leave_list_shows_50_a_page_and_keeps_the_filter(keeper_a, community_a):
    """The keeper's list of the community's leave pages (50 rows, newest first), not cut at 300."""
    staff = f.staff(community_a, "请假人", [Role.MEMBER])
    LeaveRequest.objects.bulk_create([
        LeaveRequest(community=community_a, staff=staff, kind="sick", start=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                     end=dt.date(2026, 1, 1) + dt.timedelta(days=i), days=1, state="approved", requested_by=staff)
        for i in range(53)])
    client = login(keeper_a)
    first = client.get("/attendance/leave/?state=approved")
    assert len(first.context["leaves"]) == 50
    assert first.context["leaves"][0].start == dt.date(2026, 1, 1) + dt.timedelta(days=52)
    assert "?state=approved&amp;page=2" in first.content.decode()
    second = client.get("/attendance/leave/?state=approved&page=2")
    assert [lv.start.day for lv in second.context["leaves"]] == [3, 2, 1]
    assert client.get("/attendance/leave/?page=99999999999999999999").status_code == 200
