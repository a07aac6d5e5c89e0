"""MTG-2 generated schedule, MTG-3 roll call, MTG-4 leave, MTG-5 deductions and award eligibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committee import approvals
from committee.models import Approval, Role
from meetings import deductions, rules, services
from meetings.models import Attendance, LeaveRequest, Meeting
from tests import factories as f
from tests.conftest import login


def at(day: dt.date, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour - 8, 0), tick=False)


def test_mtg_2_october_2026_the_10th_is_a_make_up_working_saturday(db):
    dates = rules.regular_dates(2026, 10, (10, 20, 27))
    assert [d for _s, _n, d in dates] == [dt.date(2026, 10, 10), dt.date(2026, 10, 20), dt.date(2026, 10, 27)]


def test_mtg_2_spring_festival_2026_moves_the_20th_to_the_next_working_day(db):
    dates = rules.regular_dates(2026, 2, (10, 20, 27))
    assert [d for _s, _n, d in dates] == [dt.date(2026, 2, 10), dt.date(2026, 2, 24), dt.date(2026, 2, 27)]


def test_mtg_2_weekends_move_to_monday(db):
    # 2026-01-10 is a Saturday; 2026-09-27 a Sunday
    assert rules.regular_dates(2026, 1, (10, 20, 27))[0][2] == dt.date(2026, 1, 12)
    assert rules.regular_dates(2026, 9, (10, 20, 27))[2][2] == dt.date(2026, 9, 28)


def test_mtg_2_two_meetings_never_on_the_same_day(db):
    # 2026-10-03 and 10-04 are both in the National Day holiday: both would move to 10-08.
    dates = [d for _s, _n, d in rules.regular_dates(2026, 10, (3, 4))]
    assert dates == [dt.date(2026, 10, 8), dt.date(2026, 10, 9)]


@pytest.fixture
def cadres(community_a):
    return {
        "director": f.staff(community_a, "主任", [Role.DIRECTOR]),
        "civil": f.staff(community_a, "民政", [Role.CIVIL_AFFAIRS]),
        "dibao": f.staff(community_a, "低保", [Role.DIBAO_OFFICER]),
        "labour": f.staff(community_a, "劳保", [Role.LABOUR_SECURITY]),
        "service": f.staff(community_a, "综合", [Role.SERVICE_STAFF]),
        "member": f.staff(community_a, "委员", [Role.MEMBER]),
        "archivist": f.staff(community_a, "档案", [Role.ARCHIVIST]),
    }


def test_mtg_2_attendees_by_day_of_month(street, cadres, community_b, supervisor):
    other = f.staff(community_b, "乙主任", [Role.DIRECTOR])
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    names = lambda m: {s.pk for s in services.regular_attendees(m)}  # noqa: E731
    c = cadres
    assert names(m10) == {c["director"].pk, c["civil"].pk, c["dibao"].pk, c["labour"].pk, c["service"].pk, other.pk}
    assert names(m20) == {c["director"].pk, other.pk}
    assert names(m27) == {s.pk for s in cadres.values()} | {other.pk}
    assert supervisor.pk not in names(m27)
    assert (m10.start_time, m10.regular_slot, m27.regular_slot) == (dt.time(14, 30), 0, 2)


def test_mtg_2_the_27th_is_for_every_community_staff_member(street, community_a, supervisor):
    """全体社区干部: a station head, service staff or a newcomer without any role attends the 27th; someone
    who left before the day does not."""
    no_role = f.staff(community_a, "新社工")
    station = f.staff(community_a, "站长", [Role.STATION_HEAD])
    left = f.staff(community_a, "已离职", [Role.MEMBER])
    left.left_on = dt.date(2026, 3, 15)
    left.save()
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    attendees = {s.pk for s in services.regular_attendees(m27)}
    assert {no_role.pk, station.pk} <= attendees and left.pk not in attendees
    assert no_role.pk not in {s.pk for s in services.regular_attendees(m10)}
    r = login(no_role).get("/meetings/regular/?month=2026-03")
    assert [row["mine"] for row in r.context["rows"]] == [False, False, True]


def test_mtg_2_one_persons_check_agrees_with_the_attendee_list(street, cadres, community_a, community_b, supervisor):
    """The meetings home asks ``expected_at_regular`` for the reader alone; it answers what
    ``regular_attendees`` lists, for every slot, for people with and without roles, a leaver, a newcomer
    who starts later, another community's director and a street supervisor."""
    from committee.models import RoleAssignment

    no_role = f.staff(community_a, "新社工")
    left = f.staff(community_a, "已离职", [Role.DIRECTOR])
    left.left_on = dt.date(2026, 3, 15)
    left.save()
    later = f.staff(community_a, "后来者", [Role.DIRECTOR])
    later.joined_on = dt.date(2026, 3, 25)
    later.save()
    ended = f.staff(community_a, "卸任主任", [Role.MEMBER])
    RoleAssignment.objects.create(staff=ended, role=Role.DIRECTOR, community=community_a,
                                  start=dt.date(2025, 1, 1), end=dt.date(2026, 3, 12))
    people = [*cadres.values(), no_role, left, later, ended, f.staff(community_b, "乙主任", [Role.DIRECTOR]),
              supervisor]
    with at(dt.date(2026, 3, 1)):
        meetings = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    for m in meetings:
        listed = {s.pk for s in services.regular_attendees(m)}
        for person in people:
            assert services.expected_at_regular(person, street.pk, m.regular_slot, m.date) == (person.pk in listed), (
                person.name, m.date)


def test_mtg_2_a_community_policy_cannot_move_the_streets_schedule(street, community_a, supervisor):
    from committee import policy
    from committee.models import PolicyValue
    from meetings import reminders

    # the policy page refuses a community value (test_policy); a row left from before is never read
    PolicyValue.objects.create(street_office=street, community=community_a, key="mtg.regular_days",
                               value="5,15,25", reason="社区自定")
    PolicyValue.objects.create(street_office=street, community=community_a, key="mtg.regular_time",
                               value="09:00", reason="社区自定")
    schedule = services.regular_schedule(street, 2026, 3)
    assert [(n, t) for _s, n, _d, t in schedule] == [(10, dt.time(14, 30)), (20, dt.time(14, 30)), (27, dt.time(14, 30))]
    [r] = reminders.regular_meeting_coming([community_a], dt.date(2026, 3, 8))
    assert r.due == dt.date(2026, 3, 10)
    # the street office's own value moves it for every community
    policy.set_value(street_office=street, community=None, key="mtg.regular_days", raw="11, 20, 27",
                     reason="街道调整", acting_user=supervisor.user)
    assert services.regular_schedule(street, 2026, 3)[0][2] == dt.date(2026, 3, 11)


def test_mtg_2_generation_is_idempotent(street, supervisor):
    first = services.ensure_regular_meetings(street, 2026, 10, acting_user=supervisor.user)
    again = services.ensure_regular_meetings(street, 2026, 10, acting_user=supervisor.user)
    assert [m.pk for m in first] == [m.pk for m in again]
    assert Meeting.objects.filter(category=Meeting.Category.REGULAR).count() == 3


def test_mtg_2_schedule_page_shows_what_i_attend(cadres, street):
    from tests.conftest import login

    with at(dt.date(2026, 9, 30)):
        r = login(cadres["member"]).get("/meetings/regular/?month=2026-10")
    assert r.status_code == 200
    rows = r.context["rows"]
    assert [row["mine"] for row in rows] == [False, False, True]
    assert [row["date"] for row in rows] == [dt.date(2026, 10, 10), dt.date(2026, 10, 20), dt.date(2026, 10, 27)]


def _roll(meeting, absent, host):
    keys = {p["staff"].pk: p["key"] for p in services.expected_participants(meeting)}
    statuses = {key: ("absent" if pk in absent else "present") for pk, key in keys.items()}
    with at(meeting.date, 16):
        return services.record_roll_call(meeting, statuses, acting_user=host.user)


def test_mtg_4_single_absence_approved_by_the_department(cadres, street, supervisor, street_leader):
    director = cadres["director"]
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
        leave = services.request_leave(m20, staff=director, reason="就医", acting_user=director.user)
    [step] = approvals.steps_for(leave)
    assert (step.role_required, leave.in_a_row, step.rule) == (Role.DEPARTMENT_HEAD, 1, "MTG-4")
    with at(dt.date(2026, 3, 2)):
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED
    m20 = _roll(m20, {director.pk}, supervisor)
    assert Attendance.objects.get(meeting=m20, staff=director).status == Attendance.Status.EXCUSED
    assert deductions.monthly_lines([director], 2026, 3) == []


def test_mtg_4_second_absence_in_a_row_goes_to_the_street_leader(cadres, street, supervisor, street_leader):
    director = cadres["director"]
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk}, supervisor)  # missed the 10th (unapproved)
    with at(dt.date(2026, 3, 12)):
        leave = services.request_leave(m20, staff=director, reason="外出", acting_user=director.user)
    [step] = approvals.steps_for(leave)
    assert (leave.in_a_row, step.role_required) == (2, Role.STREET_LEADER)
    with at(dt.date(2026, 3, 12)), pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    with at(dt.date(2026, 3, 12)):
        approvals.decide(step.pk, acting_user=street_leader.user, approve=False, comment="工作需要")
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.REJECTED


def test_mtg_4_attending_resets_the_run(cadres, street, supervisor):
    director = cadres["director"]
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk}, supervisor)
    _roll(m20, set(), supervisor)
    with at(dt.date(2026, 3, 21)):
        leave = services.request_leave(m27, staff=director, reason="外出", acting_user=director.user)
    assert leave.in_a_row == 1


def test_mtg_4_leave_refused_for_a_meeting_already_held(cadres, street, supervisor):
    director = cadres["director"]
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk}, supervisor)
    with at(dt.date(2026, 3, 11)), pytest.raises(ValidationError, match="MTG-4"):
        services.request_leave(m10, staff=director, reason="补假", acting_user=director.user)


def test_mtg_4_leave_refused_for_someone_not_expected(cadres, street, supervisor):
    member = cadres["member"]
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
        with pytest.raises(ValidationError, match="MTG-2"):
            services.request_leave(m10, staff=member, reason="外出", acting_user=member.user)


def test_mtg_4_nobody_approves_their_own_leave(cadres, street, supervisor):
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
        leave = services.request_leave(m10, staff=cadres["civil"], reason="外出", acting_user=cadres["civil"].user)
    [step] = approvals.steps_for(leave)
    assert step.status == Approval.Status.PENDING


def test_mtg_5_unapproved_absence_deducts_ten_percent_of_the_wage(cadres, street, supervisor):
    director, civil = cadres["director"], cadres["civil"]
    director.monthly_wage = Decimal("4321.00")
    director.save()
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk, civil.pk}, supervisor)
    _roll(m27, {director.pk}, supervisor)
    lines = {line["staff_id"]: line for line in deductions.monthly_lines(list(cadres.values()), 2026, 3)}
    assert set(lines) == {director.pk, civil.pk}
    assert lines[director.pk]["amount"] == Decimal("864.20")  # 2 × 10 % of 4321.00
    assert lines[civil.pk]["amount"] == Decimal("500.00")
    assert lines[director.pk]["rule"] == "MTG-5"
    assert isinstance(lines[director.pk]["reason"], str)
    assert deductions.monthly_lines(list(cadres.values()), 2026, 4) == []


def test_mtg_5_two_absences_in_a_row_lose_the_year_end_award(cadres, street, supervisor):
    director, civil = cadres["director"], cadres["civil"]
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk, civil.pk}, supervisor)
    _roll(m20, {director.pk}, supervisor)  # civil is not expected on the 20th
    _roll(m27, {civil.pk}, supervisor)  # civil: 10th and 27th missed, in a row of their own meetings
    flags = deductions.award_ineligible([director, civil, cadres["dibao"]], 2026)
    assert flags == {director.pk: True, civil.pk: True, cadres["dibao"].pk: False}


def test_mtg_5_two_approved_absences_in_a_row_also_cost_the_award(cadres, street, supervisor):
    """连续二次以上不参会者,年终不得参加评优: approved or not. Approved leave deducts nothing."""
    dibao = cadres["dibao"]
    with at(dt.date(2026, 3, 1)):
        m10, m20, m27 = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
        for m in (m10, m27):
            leave = services.request_leave(m, staff=dibao, reason="住院", acting_user=dibao.user)
            [step] = approvals.steps_for(leave)
            approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    _roll(m10, {dibao.pk}, supervisor)
    _roll(m27, {dibao.pk}, supervisor)
    assert set(Attendance.objects.filter(staff=dibao).values_list("status", flat=True)) == {"excused"}
    assert deductions.award_ineligible([dibao], 2026) == {dibao.pk: True}
    assert deductions.monthly_lines([dibao], 2026, 3) == []
    r = login(cadres["member"]).get("/meetings/deductions/?month=2026-03")
    assert dibao in r.context["ineligible"]


def test_mtg_5_two_months_of_unapproved_absence_raise_the_resignation_flag(cadres, street, supervisor):
    """无故二个月不参加例会的,按自动辭職處理: every regular meeting of two months in a row missed without
    approval. One month, or two months with one meeting attended, is not enough."""
    member, civil, service = cadres["member"], cadres["civil"], cadres["service"]
    for month in (3, 4):
        with at(dt.date(2026, month, 1)):
            meetings = services.ensure_regular_meetings(street, 2026, month, acting_user=supervisor.user)
        for m in meetings:
            absent = {member.pk, civil.pk}
            if month == 4 and m.regular_slot == 0:
                absent = {member.pk}  # civil attends the 10th of April
            if month == 4:
                absent.add(service.pk)  # service misses April only
            _roll(m, absent, supervisor)
    flags = deductions.resignation_flags([member, civil, service], dt.date(2026, 4, 30))
    assert flags == {member.pk: True, civil.pk: False, service.pk: False}
    assert deductions.resignation_flags([member], dt.date(2026, 3, 31)) == {member.pk: False}
    r = login(cadres["director"]).get("/meetings/deductions/?month=2026-04")
    assert r.context["resigned"] == [member]


def test_mtg_5_resignation_flag_rule():
    assert rules.resignation_flag([(10, 3, 3), (11, 3, 3)])
    assert not rules.resignation_flag([(10, 3, 3), (12, 3, 3)])  # not in a row
    assert not rules.resignation_flag([(10, 3, 3), (11, 3, 2)])
    assert rules.award_ineligible([False, True, True]) and not rules.award_ineligible([True, False, True])


def test_ctl_2_the_writer_of_a_leave_request_is_barred_from_deciding_it(cadres, street, supervisor):
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
        leave = services.request_leave(m10, staff=cadres["civil"], reason="外出", acting_user=cadres["civil"].user)
    [step] = approvals.steps_for(leave)
    assert list(step.preparers.values_list("pk", flat=True)) == [cadres["civil"].pk]


def test_mtg_5_lines_registered_with_attendance_if_present():
    from django.apps import apps

    from meetings.deductions import monthly_lines

    try:
        from attendance import deductions as att
    except ImportError:
        pytest.skip("attendance app has no deductions module in this tree")
    if not hasattr(att, "register"):
        pytest.skip("attendance.deductions.register not available yet")
    assert apps.is_installed("meetings")
    assert monthly_lines in getattr(att, "_providers", [monthly_lines])


def test_mtg_5_deductions_page(cadres, street, supervisor, community_a):
    from tests.conftest import login

    director = cadres["director"]
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    _roll(m10, {director.pk}, supervisor)
    r = login(cadres["member"]).get("/meetings/deductions/?month=2026-03")
    assert r.status_code == 200
    assert [line["staff_id"] for line in r.context["lines"]] == [director.pk]


@pytest.mark.parametrize(("hour", "minute", "day", "refused"), [
    (14, 50, 10, False), (15, 1, 10, True), (17, 0, 10, True), (9, 0, 11, False)])
def test_mtg_3_documents_only_in_the_first_30_minutes(street, supervisor, settings, tmp_path, hour, minute, day,
                                                      refused):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    with at(dt.date(2026, 3, 1)):
        m10, *_ = services.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    with time_machine.travel(dt.datetime(2026, 3, day, hour - 8, minute), tick=False):
        upload = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        r = login(supervisor).post(f"/meetings/{m10.pk}/attachments/add/", {"title": "通知", "file": upload})
    assert (r.status_code == 200 and "MTG-3" in r.content.decode()) is refused
    assert m10.attachments.exists() is not refused
