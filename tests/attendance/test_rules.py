"""The pure rules: routing (ATT-3), leave days on working days, a person's month (ATT-1, ATT-5, ATT-6),
yearly flags (ATT-7), inspections (ATT-8) and the sheet's due day (ATT-9)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from attendance import rules
from attendance.rules import LeaveDay, Record
from committee.models import Role

pytestmark = pytest.mark.django_db

POLICY = rules.MonthPolicy(dt.time(8, 30), dt.time(17, 30), D(2), D(1), 3, D("10.00"), D("21.75"), D(1))


def test_att_1_sign_in_after_half_past_eight_is_late_and_at_it_is_not():
    assert not rules.is_late(dt.time(8, 30), dt.time(8, 30))
    assert rules.is_late(dt.time(8, 31), dt.time(8, 30))
    assert rules.is_early(dt.time(17, 29), dt.time(17, 30))
    assert not rules.is_early(dt.time(17, 30), dt.time(17, 30))


def test_att_3_half_a_day_goes_to_the_committee_approver():
    [step] = rules.leave_routing(D("0.5"), approver_role=Role.DIRECTOR, requester_is_approver=False)
    assert step.role == Role.DIRECTOR
    [step] = rules.leave_routing(D("0.5"), approver_role=Role.PARTY_SECRETARY, requester_is_approver=False)
    assert step.role == Role.PARTY_SECRETARY


def test_att_3_more_than_half_a_day_goes_to_the_committee_approver_then_the_department_head():
    # 逐级审批 (revised 2026-12): two steps
    first, second = rules.leave_routing(D("1"), approver_role=Role.DIRECTOR, requester_is_approver=False)
    assert (first.role, second.role) == (Role.DIRECTOR, Role.DEPARTMENT_HEAD)


def test_att_3_four_adjacent_half_days_are_a_continuous_absence_of_two_days():
    def half(day, h):
        return {day: frozenset({h})}

    mon, tue = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    others = [half(mon, "am"), half(mon, "pm"), half(tue, "am")]
    assert rules.continuous_days(half(tue, "pm"), others) == 2
    # joined across the weekend: Fri afternoon + Mon morning = one day
    fri, next_mon = dt.date(2026, 3, 6), dt.date(2026, 3, 9)
    assert rules.continuous_days(half(next_mon, "am"), [half(fri, "pm")]) == 1
    # not touching: a gap of a half day breaks it
    assert rules.continuous_days(half(tue, "pm"), [half(mon, "am")]) == D("0.5")


def test_att_3_the_directors_own_leave_goes_to_the_street_leader_whatever_its_length():
    for days in (D("0.5"), D("3")):
        [step] = rules.leave_routing(days, approver_role=Role.DIRECTOR, requester_is_approver=True)
        assert step.role == Role.STREET_LEADER


def test_att_3_leave_spanning_a_weekend_counts_working_days_only():
    slots = rules.leave_slots(dt.date(2026, 2, 6), "am", dt.date(2026, 2, 9), "pm")  # Fri – Mon
    assert sorted(slots) == [dt.date(2026, 2, 6), dt.date(2026, 2, 9)]
    assert rules.slot_days(slots) == 2


def test_att_3_make_up_working_saturday_counts_as_a_leave_day():
    # 2026-02-14 is a Saturday worked in exchange for the Spring Festival (调休); 15–23 are holidays.
    slots = rules.leave_slots(dt.date(2026, 2, 12), "am", dt.date(2026, 2, 24), "pm")
    assert sorted(slots) == [dt.date(2026, 2, 12), dt.date(2026, 2, 13), dt.date(2026, 2, 14),
                             dt.date(2026, 2, 24)]


def test_att_3_half_days_morning_and_afternoon():
    day = dt.date(2026, 3, 2)
    assert rules.leave_slots(day, "am", day, "am") == {day: frozenset({"am"})}
    assert rules.leave_slots(day, "pm", day, "pm") == {day: frozenset({"pm"})}
    slots = rules.leave_slots(day, "pm", dt.date(2026, 3, 4), "am")
    assert rules.slot_days(slots) == 2  # ½ + 1 + ½


def test_att_3_afternoon_until_noon_on_one_day_is_refused():
    from django.core.exceptions import ValidationError

    day = dt.date(2026, 3, 2)
    with pytest.raises(ValidationError):
        rules.check_leave_dates(day, "pm", day, "am")
    with pytest.raises(ValidationError):
        rules.check_leave_dates(day, "am", day - dt.timedelta(days=1), "pm")


def _month(records=None, leave=None, wage=D("4350.00"), year=2026, month=3, today=dt.date(2026, 4, 15),
           sign_all=True, **kwargs):
    dates = rules.month_dates(year, month)
    from committee import calendar

    working = {d for d in dates if calendar.is_working_day(d)}
    leave = leave or {}
    if records is None:
        records = {}
    if sign_all:
        for d in working:
            if d not in leave and d not in records:
                records[d] = Record(dt.time(8, 20), dt.time(17, 40))
    return rules.person_month(staff_id=1, name="x", wage=wage, dates=dates, working=working, today=today,
                              employed_from=kwargs.get("employed_from"), employed_to=None, records=records,
                              leave=leave, policy=POLICY, now=kwargs.get("now"))


def _sick(days, kind="sick", halves=frozenset({"am", "pm"}), status="approved"):
    return {d: [LeaveDay(kind, halves, status)] for d in days}


def test_att_5_exactly_two_sick_days_is_full_attendance():
    pm = _month(leave=_sick([dt.date(2026, 3, 2), dt.date(2026, 3, 3)]))
    assert pm.sick_days == 2
    assert pm.full_attendance
    assert pm.total_deduction == 0


def test_att_5_three_sick_days_is_not_full_attendance_and_att_6_deducts_one_days_wage():
    pm = _month(leave=_sick([dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)]))
    assert not pm.full_attendance
    [line] = pm.lines
    assert line.rule == "ATT-6"
    assert line.amount == D("200.00")  # 4350 ÷ 21.75
    assert pm.daily_wage == D("200.00")


def test_att_6_fourth_late_arrival_costs_ten_yuan():
    late = {dt.date(2026, 3, d): Record(dt.time(8, 45), dt.time(17, 40)) for d in (2, 3, 4)}
    pm = _month(records=dict(late))
    assert pm.late == 3 and pm.full_attendance and pm.total_deduction == 0
    late[dt.date(2026, 3, 5)] = Record(dt.time(8, 31), dt.time(17, 40))
    pm = _month(records=late)
    assert pm.late == 4
    assert not pm.full_attendance
    assert [line.amount for line in pm.lines] == [D("10.00")]


def test_att_6_late_and_early_are_added_together():
    recs = {dt.date(2026, 3, 2): Record(dt.time(8, 45), dt.time(17, 0)),  # late and early: two
            dt.date(2026, 3, 3): Record(dt.time(8, 45), dt.time(17, 40)),
            dt.date(2026, 3, 4): Record(dt.time(8, 0), dt.time(16, 0))}
    pm = _month(records=recs)
    assert (pm.late, pm.early) == (2, 2)
    assert pm.total_deduction == D("10.00")


def test_att_6_half_a_day_of_personal_leave_is_within_full_attendance_and_excuses_the_late_morning():
    day = dt.date(2026, 3, 2)
    pm = _month(records={day: Record(dt.time(13, 20), dt.time(17, 40))},
                leave=_sick([day], kind="personal", halves=frozenset({"am"})))
    assert pm.personal_days == D("0.5")
    assert pm.late == 0
    assert pm.present_days == pm.counted_days - D("0.5")
    assert pm.full_attendance


def test_att_6_personal_leave_above_one_day_deducts_the_excess():
    days = [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    leave = _sick(days, kind="personal")
    leave[dt.date(2026, 3, 4)] = [LeaveDay("personal", frozenset({"pm"}), "approved")]
    pm = _month(records={dt.date(2026, 3, 4): Record(dt.time(8, 0), dt.time(12, 0))}, leave=leave)
    assert pm.personal_days == D("2.5")
    [line] = pm.lines
    assert line.amount == D("300.00")  # 1.5 × 200


def test_att_1_and_att_6_a_working_day_without_sign_in_or_leave_is_absence():
    day = dt.date(2026, 3, 2)
    pm = _month(records={}, sign_all=False)
    assert pm.absent_days == pm.counted_days
    pm = _month(records={}, leave={day: [LeaveDay("sick", frozenset({"am"}), "approved")]})
    # signed every other day, on the 2nd: sick in the morning, nothing in the afternoon → half a day absent
    assert pm.absent_days == D("0.5")
    assert [line.amount for line in pm.lines] == [D("100.00")]
    assert not pm.full_attendance


def test_att_1_waiting_leave_counts_as_absence_marked_waiting():
    # revised 2026-12: a day covered only by a request still waiting is absence until approved
    pm = _month(leave=_sick([dt.date(2026, 3, 2)], status="pending"))
    assert pm.pending_days == 1 and pm.absent_days == 1 and pm.sick_days == 0
    assert "pending" in pm.days[1].codes and not pm.full_attendance


def test_att_1_emergency_leave_within_its_paperwork_time_is_waiting_not_absence():
    pm = _month(leave=_sick([dt.date(2026, 3, 2)], status="told"))
    assert pm.pending_days == 1 and pm.absent_days == 0


def test_att_1_future_days_and_days_before_joining_do_not_count():
    pm = _month(records={}, sign_all=False, today=dt.date(2026, 3, 4), employed_from=dt.date(2026, 3, 3),
                now=dt.time(18, 0))
    assert pm.counted_days == 2  # 3rd and 4th
    assert pm.absent_days == 2


def test_att_1_today_is_not_absence_before_the_working_day_ends():
    pm = _month(records={}, sign_all=False, today=dt.date(2026, 3, 4), employed_from=dt.date(2026, 3, 3),
                now=dt.time(10, 0))
    assert pm.absent_days == 1  # the 3rd only; the 4th may still be signed


def test_att_5_february_with_the_spring_festival_has_sixteen_working_days():
    pm = _month(year=2026, month=2, today=dt.date(2026, 3, 10))
    assert pm.working_days == 16
    assert pm.full_attendance


def test_att_6_no_wage_recorded_gives_no_amounts_but_keeps_the_lines():
    pm = _month(leave=_sick([dt.date(2026, 3, d) for d in (2, 3, 4)]), wage=None)
    assert len(pm.lines) == 1 and pm.lines[0].amount == 0


def test_att_7_continuous_sick_leave_above_one_month_is_flagged():
    from committee import calendar

    working = calendar.working_days_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    start = dt.date(2026, 3, 2)
    exactly_a_month = {d: D(1) for d in working if start <= d <= dt.date(2026, 4, 1)}
    kwargs = dict(continuous_sick_months=1, total_sick_months=2, total_personal_months=1, month_days=D("21.75"))
    assert rules.resignation_flags(1, exactly_a_month, {}, working, **kwargs) == []
    more = {d: D(1) for d in working if start <= d <= dt.date(2026, 4, 2)}
    [flag] = rules.resignation_flags(1, more, {}, working, **kwargs)
    assert flag.kind == "continuous_sick" and flag.since == start


def test_att_7_totals_of_sick_and_personal_leave():
    from committee import calendar

    working = calendar.working_days_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    kwargs = dict(continuous_sick_months=1, total_sick_months=2, total_personal_months=1, month_days=D("21.75"))
    # sick leave in separate weeks (never a month without a break): 44 days > 43.5
    sick_days = [d for d in working if d.weekday() in (0, 1)][:44]
    flags = rules.resignation_flags(1, {d: D(1) for d in sick_days}, {}, working, **kwargs)
    assert [f.kind for f in flags] == ["total_sick"]
    assert rules.resignation_flags(1, {d: D(1) for d in sick_days[:43]}, {}, working, **kwargs) == []
    personal = {d: D(1) for d in [d for d in working if d.weekday() == 2][:21]}
    personal[dt.date(2026, 12, 31)] = D("0.5")
    assert rules.resignation_flags(1, {}, personal, working, **kwargs) == []  # 21.5 < 21.75
    personal[dt.date(2026, 12, 31)] = D("1")
    assert [f.kind for f in rules.resignation_flags(1, {}, personal, working, **kwargs)] == ["total_personal"]


def test_att_8_only_a_finding_deducts():
    assert rules.inspection_deduction(True, D(10)) == D(10)
    assert rules.inspection_deduction(False, D(10)) == 0


def test_att_9_sheet_due_by_the_tenth_of_the_next_month():
    assert rules.sheet_due(2026, 3, 10) == dt.date(2026, 4, 10)
    assert rules.sheet_due(2026, 12, 10) == dt.date(2027, 1, 10)
    assert rules.previous_month(dt.date(2026, 1, 5)) == (2025, 12)
