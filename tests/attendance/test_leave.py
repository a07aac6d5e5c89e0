"""Leave requests through the services and the shared approvals (ATT-3, ATT-4)."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attendance import services
from attendance.models import LeaveRequest
from committee import approvals, policy
from committee.models import Approval, Role
from tests import factories as f
from tests.attendance.conftest import sign_days

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)
SH = ZoneInfo("Asia/Shanghai")


def _request(staff, start=MON, end=None, kind="personal", start_half="am", end_half="pm", user=None,
             on_behalf_reason=""):
    if user is not None and user != staff and not on_behalf_reason:
        on_behalf_reason = "本人住院，电话请假"
    return services.request_leave(staff=staff, kind=kind, start=start, start_half=start_half, end=end or start,
                                  end_half=end_half, reason="家中有事", acting_user=(user or staff).user,
                                  on_behalf_reason=on_behalf_reason)


def _steps(leave):
    return list(approvals.steps_for(leave))


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_half_day_request_is_approved_by_the_director_and_counts(staff_a, director_a):
    leave = _request(staff_a, end_half="am")
    assert leave.days == D("0.5")
    [step] = _steps(leave)
    assert step.role_required == Role.DIRECTOR and step.rule == "ATT-3"
    approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_half_day_with_the_party_secretary_as_committee_approver(staff_a, secretary_a, director_a, street):
    policy.set_value(street_office=street, community=None, key="org.committee_approver",
                     raw=Role.PARTY_SECRETARY, reason="A2", acting_user=None)
    leave = _request(staff_a, end_half="am")
    [step] = _steps(leave)
    assert step.role_required == Role.PARTY_SECRETARY
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    approvals.decide(step.pk, acting_user=secretary_a.user, approve=True)


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_one_day_goes_to_the_director_then_the_department_head(staff_a, director_a, supervisor):
    # ATT-3 revised 2026-12 (逐级审批): more than half a day → committee approver, then department head
    leave = _request(staff_a)
    first, step = _steps(leave)
    assert first.role_required == Role.DIRECTOR and step.role_required == Role.DEPARTMENT_HEAD
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)  # the earlier step first
    approvals.decide(first.pk, acting_user=director_a.user, approve=True)
    with pytest.raises(ValidationError, match="CTL-2"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    approvals.decide(step.pk, acting_user=supervisor.user, approve=False, comment="人手不足")
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.REJECTED


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_the_directors_own_leave_is_routed_to_the_street_leader(director_a, staff_a, supervisor, street_leader):
    leave = _request(director_a, end_half="am")
    [step] = _steps(leave)
    assert step.role_required == Role.STREET_LEADER
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    approvals.decide(step.pk, acting_user=street_leader.user, approve=True)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_a_former_director_on_the_first_day_is_routed_normally(community_a, supervisor):
    former = f.staff(community_a, "前主任", [Role.DIRECTOR], start=dt.date(2020, 1, 1), end=dt.date(2026, 2, 28))
    [step] = _steps(_request(former, end_half="am"))
    assert step.role_required == Role.DIRECTOR


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_nobody_approves_their_own_request_and_no_second_decision(staff_a, director_a, supervisor):
    leave = _request(staff_a, end_half="am")
    [step] = _steps(leave)
    step.role_required = Role.DEPARTMENT_HEAD
    step.save()
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=staff_a.user, approve=True)
    approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=supervisor.user, approve=False, comment="no")
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_end_before_start_is_refused_and_nothing_saved(staff_a):
    with pytest.raises(ValidationError, match="ATT-3"):
        _request(staff_a, start=MON, end=MON - dt.timedelta(days=1))
    assert not LeaveRequest.objects.exists() and not Approval.objects.exists()


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_leave_only_on_non_working_days_is_refused(staff_a):
    with pytest.raises(ValidationError, match="ATT-3"):
        _request(staff_a, start=dt.date(2026, 2, 15), end=dt.date(2026, 2, 23))  # Spring Festival
    assert not LeaveRequest.objects.exists()


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_overlapping_leave_is_refused_but_the_other_half_day_is_fine(staff_a):
    _request(staff_a, end_half="am")
    with pytest.raises(ValidationError, match="重叠"):
        _request(staff_a, start=MON, end=MON + dt.timedelta(days=2))
    afternoon = _request(staff_a, start_half="pm")
    assert afternoon.days == D("0.5")
    assert LeaveRequest.objects.count() == 2


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_a_withdrawn_request_frees_its_days(staff_a):
    leave = _request(staff_a)
    services.withdraw_leave(leave.pk, acting_user=staff_a.user)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.WITHDRAWN
    assert {s.status for s in _steps(leave)} == {Approval.Status.CANCELLED}
    _request(staff_a)


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_request_crossing_months_and_make_up_saturday(staff_a):
    leave = _request(staff_a, start=dt.date(2026, 2, 27), end=dt.date(2026, 3, 3))
    assert leave.days == D("4")  # Fri (today), make-up Sat 28th, Mon, Tue


@time_machine.travel(dt.datetime(2026, 2, 27, 10, 0, tzinfo=SH), tick=False)
def test_att_3_keeper_may_enter_leave_for_a_colleague_who_then_cannot_approve_it(staff_a, keeper_a, director_a):
    leave = _request(staff_a, end_half="am", user=keeper_a)
    [step] = _steps(leave)
    assert step.subject_id == staff_a.pk and step.requested_by_id == keeper_a.pk
    with pytest.raises(ValidationError):
        _request(keeper_a, start=dt.date(2026, 3, 9), user=staff_a)  # a member cannot enter someone else's


# --- ATT-4 emergency leave ------------------------------------------------------------------------------


def _emergency(staff, supervisor, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 3)):
    return services.record_emergency(staff=staff, kind="sick", start=start, start_half="am", end=end,
                                     end_half="pm", reason="急病", acting_user=supervisor.user)


def test_att_4_emergency_leave_filed_in_time_is_routed_and_approved(staff_a, director_a, supervisor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False):
        leave = _emergency(staff_a, supervisor)
    assert leave.state == LeaveRequest.State.PAPERWORK
    assert leave.paperwork_due == dt.date(2026, 3, 6)  # 3 working days after Tue 3rd
    with time_machine.travel(dt.datetime(2026, 3, 6, 17, 0, tzinfo=SH), tick=False):
        services.file_paperwork(leave.pk, reason="急性肠胃炎", acting_user=staff_a.user)
        first, step = _steps(leave)  # two days: director, then department head (ATT-3)
        approvals.decide(first.pk, acting_user=director_a.user, approve=True)
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED


def test_att_4_emergency_leave_filed_one_day_too_late_is_refused_and_counts_as_absence(staff_a, supervisor):
    from attendance import figures

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False):
        leave = _emergency(staff_a, supervisor)
    sign_days(f.staff(staff_a.community, "同事", [Role.MEMBER]), [dt.date(2026, 3, 2)])  # the register is kept
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError, match="ATT-4"):
            services.file_paperwork(leave.pk, reason="急性肠胃炎", acting_user=staff_a.user)
        month = figures.community_month(staff_a.community, 2026, 3, staff_list=[staff_a])
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.PAPERWORK and leave.filed_at is None
    day2 = month.people[0].days[1]
    assert "absent" in day2.codes


def test_att_4_only_the_department_head_records_emergency_leave(staff_a, director_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError, match="ATT-4"):
            _emergency(staff_a, director_a)


def test_att_4_an_emergency_leave_waiting_for_paperwork_cannot_be_withdrawn(staff_a, supervisor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False):
        leave = _emergency(staff_a, supervisor)
        with pytest.raises(ValidationError):
            services.withdraw_leave(leave.pk, acting_user=staff_a.user)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.PAPERWORK
