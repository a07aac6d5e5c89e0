"""The attendance rules (ATT-1 … ATT-9) as pure functions: inputs in, verdict or figures out, no DB writes.

Services apply them inside transactions; attendance.figures feeds them the records of a month.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from committee import calendar
from committee.approvals import Step
from committee.models import Role
from committee.policy import plural_number

HALF = Decimal("0.5")
ONE = Decimal("1")
ZERO = Decimal("0")
CENT = Decimal("0.01")
AM, PM = "am", "pm"
BOTH = frozenset({AM, PM})


def yuan(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


# --- ATT-1: late and early ----------------------------------------------------------------------------


def is_late(sign_in: dt.time | None, late_after: dt.time) -> bool:
    """ATT-1: a sign-in after the policy time (08:30) is late; 08:30 itself is on time."""
    return sign_in is not None and sign_in.replace(microsecond=0) > late_after


def is_early(sign_out: dt.time | None, early_before: dt.time) -> bool:
    """ATT-1: a sign-out before the end of the day (17:30) is leaving early; no sign-out on a day that
    began with a sign-in counts as leaving early too (the register has no proof of the full day)."""
    return sign_out is None or sign_out < early_before


def check_sign_day(day: dt.date, today: dt.date) -> None:
    """ATT-1: a register line is for today or a past day, never a future day."""
    if day > today:
        raise ValidationError(
            {"date": _("%(day)s is in the future: attendance is recorded for today or past days (ATT-1).")
             % {"day": day.isoformat()}}
        )


# --- leave days on working days, with half days -------------------------------------------------------


def check_leave_dates(start: dt.date, start_half: str, end: dt.date, end_half: str) -> None:
    """Refuse an impossible period (end before start; a single day from the afternoon until noon)."""
    if end < start:
        raise ValidationError({"end": _("The last day is before the first day (ATT-3).")})
    if start == end and start_half == PM and end_half == AM:
        raise ValidationError({"end_half": _("On a single day, leave from the afternoon cannot end at noon.")})


def check_leave_range(start: dt.date, end: dt.date, today: dt.date) -> None:
    """Item 10 / CTL-8: leave is requested for the near future, not for far dates (nothing after the end of
    next year, nothing before 1900): a far date is refused with a message, never a crash."""
    if start.year < 1900 or end.year > today.year + 1:
        raise ValidationError({"end": _("Leave can be requested up to the end of next year (%(year)s) only.")
                               % {"year": today.year + 1}})


def check_not_past(start: dt.date, today: dt.date) -> None:
    """ATT-3: leave is requested beforehand; days already past only through the emergency path (ATT-4)."""
    if start < today:
        raise ValidationError({"start": _(
            "%(day)s is already past: leave is requested beforehand. For days already past the department head "
            "records an emergency leave and the written request follows within its deadline (ATT-3, ATT-4).")
            % {"day": start.isoformat()}})


def leave_slots(
    start: dt.date, start_half: str, end: dt.date, end_half: str,
    working_day: Callable[[dt.date], bool] = calendar.is_working_day,
) -> dict[dt.date, frozenset[str]]:
    """The half days of a leave on working days: {date: {"am"}, {"pm"} or {"am", "pm"}}. Weekends and
    holidays are not leave days; a make-up working Saturday (调休) is. ATT-1, ATT-3"""
    out: dict[dt.date, frozenset[str]] = {}
    day = start
    while day <= end and day < dt.date.max:
        if working_day(day):
            halves = set(BOTH)
            if day == start and start_half == PM:
                halves.discard(AM)
            if day == end and end_half == AM:
                halves.discard(PM)
            if halves:
                out[day] = frozenset(halves)
        day += dt.timedelta(days=1)
    return out


def slot_days(slots: dict[dt.date, frozenset[str]]) -> Decimal:
    return sum((HALF * len(h) for h in slots.values()), ZERO)


def overlapping_days(a: dict[dt.date, frozenset[str]], b: dict[dt.date, frozenset[str]]) -> list[dt.date]:
    return sorted(d for d in a.keys() & b.keys() if a[d] & b[d])


# --- ATT-3: who approves a leave -----------------------------------------------------------------------


def leave_routing(days: Decimal, *, approver_role: Role, requester_is_approver: bool) -> list[Step]:
    """ATT-3 (逐级审批, revised 2026-12): up to half a day → the committee approver (ORG-3: 主任 or 书记);
    more than half a day → the committee approver, then the street office's department head; the committee
    approver's own leave, of any length → the street leader. ``days`` is the length of the continuous
    absence (``continuous_days``), not of the one request."""
    if requester_is_approver:
        return [Step(Role.STREET_LEADER, gettext_lazy("Street leader (the committee approver's own leave)"))]
    if days <= HALF:
        return [Step(approver_role, gettext_lazy("Committee approver (half a day or less)"))]
    return [Step(approver_role, gettext_lazy("Committee approver (first step)")),
            Step(Role.DEPARTMENT_HEAD, gettext_lazy("Street-office department head (more than half a day)"))]


def continuous_days(new: dict[dt.date, frozenset[str]], others: Iterable[dict[dt.date, frozenset[str]]],
                    working_day: Callable[[dt.date], bool] = calendar.is_working_day) -> Decimal:
    """ATT-3: the length of the continuous absence a leave belongs to: the leave's own half days joined with
    the person's other open requests that touch it (the same or the next working half day; weekends and
    holidays between do not break it). Four half-day requests in a row are two days."""
    covered: dict[dt.date, set[str]] = {}
    for slots in (new, *others):
        for day, halves in slots.items():
            covered.setdefault(day, set()).update(halves)
    if not new:
        return ZERO

    def step(day: dt.date, delta: int) -> dt.date | None:
        for _i in range(60):  # the next working day is never two months away
            try:
                day = day + dt.timedelta(days=delta)
            except OverflowError:
                return None
            if working_day(day):
                return day
        return None

    total = slot_days(new)
    first, last = min(new), max(new)
    # walk backwards from the leave's first half day
    day, half = first, min(new[first])  # "am" < "pm"
    while True:
        if half == PM:
            prev = (day, AM)
        else:
            d = step(day, -1)
            if d is None:
                break
            prev = (d, PM)
        if prev[1] in covered.get(prev[0], ()) and prev[1] not in new.get(prev[0], ()):
            total += HALF
            day, half = prev
        else:
            break
    day, half = last, max(new[last])
    while True:
        if half == AM:
            nxt = (day, PM)
        else:
            d = step(day, 1)
            if d is None:
                break
            nxt = (d, AM)
        if nxt[1] in covered.get(nxt[0], ()) and nxt[1] not in new.get(nxt[0], ()):
            total += HALF
            day, half = nxt
        else:
            break
    return total


# --- ATT-4: emergency leave paperwork -------------------------------------------------------------------


def paperwork_due(last_day: dt.date, filing_days: int) -> calendar.Deadline:
    """ATT-4: the written request of an emergency leave is filed within N working days after the leave
    (补办): the N-th working day after its last day."""
    return calendar.deadline(last_day, filing_days)


def paperwork_late(due: dt.date, day: dt.date) -> bool:
    """ATT-4: filing after the due day is too late; the days count as absence without leave."""
    return day > due


# --- ATT-5 / ATT-6: a person's month --------------------------------------------------------------------

# Marks of the monthly grid. Short words of the paper register (考勤表).
MARKS = {
    "present": pgettext_lazy("attendance mark", "√"),
    "late": pgettext_lazy("attendance mark", "Late"),
    "early": pgettext_lazy("attendance mark", "Early"),
    "sick": pgettext_lazy("attendance mark", "Sick"),
    "personal": pgettext_lazy("attendance mark", "Pers."),
    "absent": pgettext_lazy("attendance mark", "Abs."),
    "pending": pgettext_lazy("attendance mark", "Wait"),
    "rest": pgettext_lazy("attendance mark", "Off"),
    "half": pgettext_lazy("attendance mark", "½"),
}


@dataclass(frozen=True)
class Record:
    """A register line as the rules see it."""

    sign_in: dt.time | None
    sign_out: dt.time | None


@dataclass(frozen=True)
class LeaveDay:
    """One day of one leave request: its kind, halves and whether it counts (approved) or waits."""

    kind: str  # "sick" | "personal"
    halves: frozenset[str]
    status: str  # "approved" | "pending" (waits for approval: absence until approved) | "told" (ATT-4 paperwork due)


@dataclass(frozen=True)
class Line:
    """One deduction line: why, which rule, how much (yuan)."""

    reason: str
    rule: str
    amount: Decimal
    detail: str = ""


@dataclass
class Day:
    date: dt.date
    working: bool
    counted: bool  # a working day inside the period that counts (employed, not in the future)
    marks: list[str] = field(default_factory=list)
    record: Record | None = None
    open: bool = False  # today, before the end of the working day, not yet signed in: not absence (ATT-1)
    unrecorded: bool = False  # a past working day before the register was kept: nothing known, nothing counted

    @property
    def text(self) -> str:
        return "".join(str(m) for m in self.marks)

    @property
    def tone(self) -> str:
        codes = set(self.codes)
        if "absent" in codes:
            return "bad"
        if codes & {"late", "early"}:
            return "warn"
        if codes & {"sick", "personal", "pending"}:
            return "leave"
        return ""

    codes: list[str] = field(default_factory=list)

    def add(self, code: str, half: bool = False) -> None:
        self.codes.append(code)
        self.marks.append(f"{MARKS[code]}{MARKS['half'] if half else ''}")


@dataclass
class PersonMonth:
    """A person's figures for a month (ATT-5, ATT-6), computed from records, never typed."""

    staff_id: int
    name: str
    wage: Decimal | None
    days: list[Day]
    working_days: int = 0
    counted_days: int = 0
    present_days: Decimal = ZERO
    late: int = 0
    early: int = 0
    sick_days: Decimal = ZERO
    personal_days: Decimal = ZERO
    absent_days: Decimal = ZERO
    pending_days: Decimal = ZERO
    full_attendance: bool = True
    daily_wage: Decimal | None = None
    lines: list[Line] = field(default_factory=list)
    recorded: bool = True  # False: no register was kept this month (nothing counted)

    @property
    def late_early(self) -> int:
        return self.late + self.early

    @property
    def total_deduction(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def net_wage(self) -> Decimal | None:
        return None if self.wage is None else yuan(self.wage - self.total_deduction)


@dataclass(frozen=True)
class MonthPolicy:
    late_after: dt.time
    early_before: dt.time
    full_sick_days: Decimal
    full_personal_days: Decimal
    full_late_early: int
    late_fee: Decimal
    wage_days_divisor: Decimal
    absence_days_deducted: Decimal

    KEYS = ("att.late_after", "att.early_before", "att.full_sick_days", "att.full_personal_days",
            "att.full_late_early", "att.late_fee", "att.wage_days_divisor", "att.absence_days_deducted")

    @classmethod
    def from_values(cls, values: dict) -> MonthPolicy:
        return cls(*(values[k] for k in cls.KEYS))


def month_dates(year: int, month: int) -> list[dt.date]:
    n = pycalendar.monthrange(year, month)[1]
    return [dt.date(year, month, d) for d in range(1, n + 1)]


def person_month(
    *,
    staff_id: int,
    name: str,
    wage: Decimal | None,
    dates: list[dt.date],
    working: set[dt.date],
    today: dt.date,
    employed_from: dt.date | None,
    employed_to: dt.date | None,
    records: dict[dt.date, Record],
    leave: dict[dt.date, list[LeaveDay]],
    policy: MonthPolicy,
    extra_lines: Iterable[Line] = (),
    now: dt.time | None = None,
    kept_from: dt.date | None = dt.date.min,
) -> PersonMonth:
    """ATT-1, ATT-5, ATT-6 for one person and one month.

    A working day counts when the person was employed and it is not in the future. On a counted day:
    a sign-in makes it a present day (late after ``late_after`` unless the morning is on approved leave,
    early before ``early_before`` unless the afternoon is); approved leave halves count as sick or
    personal days; halves with neither a sign-in nor approved leave are absence (旷工); halves covered only
    by a request that still waits for approval count as absence too, marked as waiting (ATT-1, revised
    2026-12); an emergency leave whose written request is not yet due is waiting but not absence (ATT-4).
    Today is not absence before the working day ends (``now`` before ``early_before``; ``now`` None: today
    is never absence yet): it is ``open`` (not yet signed, nothing counted).

    ``kept_from``: the first day of the month the community's register is kept (its first line, or the day
    the keeper started it); days before count nothing. None: no register at all this month (no line, never
    started): nothing is counted (no absence, no figures, no deduction of this app); leave shows as marks
    only, like a coming day. A screen never states what it cannot know (ATT-1).
    """
    recorded = kept_from is not None
    pm = PersonMonth(staff_id=staff_id, name=name, wage=wage, days=[], recorded=recorded)
    for date in dates:
        is_working = date in working
        counted = (
            is_working
            and recorded
            and date >= kept_from
            and date <= today
            and (employed_from is None or date >= employed_from)
            and (employed_to is None or date <= employed_to)
        )
        day = Day(date=date, working=is_working, counted=counted, record=records.get(date))
        pm.days.append(day)
        if is_working:
            pm.working_days += 1
        if not counted:
            if not is_working:
                day.add("rest")
            elif date > today or not recorded or date < kept_from:
                day.unrecorded = date <= today
                # A coming day (or a month without a register) counts nothing, but shows the leave already
                # asked for or approved, so the month page states what is planned (marks only, no figures).
                _mark_planned_leave(day, leave.get(date, ()))
            continue
        pm.counted_days += 1
        approved, waiting, told = _leave_halves(leave.get(date, ()))
        for kind in ("sick", "personal"):
            halves = [h for h, k in approved.items() if k == kind]
            if halves:
                amount = HALF * len(halves)
                if kind == "sick":
                    pm.sick_days += amount
                else:
                    pm.personal_days += amount
                day.add(kind, half=amount == HALF)
        if waiting | told:  # ATT-1: a request still waiting shows on the day, whatever else happened
            pm.pending_days += HALF * len(waiting | told)
        rec = day.record
        if rec is not None and rec.sign_in is not None:
            pm.present_days += ONE - HALF * len(approved)
            flagged = False
            if AM not in approved and is_late(rec.sign_in, policy.late_after):  # ATT-1
                pm.late += 1
                day.add("late")
                flagged = True
            if PM not in approved and is_early(rec.sign_out, policy.early_before) and (
                rec.sign_out is not None or date < today
            ):  # ATT-1 (today's sign-out may still come)
                pm.early += 1
                day.add("early")
                flagged = True
            if not flagged and len(approved) < 2:
                day.codes.insert(0, "present")
                day.marks.insert(0, str(MARKS["present"]))
            if waiting | told:
                day.add("pending", half=len(waiting | told) == 1)
        else:
            if waiting | told:
                day.add("pending", half=len(waiting | told) == 1)
            # ATT-1: today is not absence before the working day ends (the policy's end of day, 17:30)
            day_over = date < today or (now is not None and now >= policy.early_before)
            missing = BOTH - approved.keys() - told
            if missing and day_over:  # ATT-1: no sign-in and no approved leave → absence without leave
                pm.absent_days += HALF * len(missing)
                if missing - waiting:
                    day.add("absent", half=len(missing - waiting) == 1)
            elif missing:
                day.open = True  # today, not over yet: not yet signed in, nothing counted

    # ATT-5: full attendance (never claimed for a month without a register)
    pm.full_attendance = recorded and (
        pm.sick_days <= policy.full_sick_days
        and pm.personal_days <= policy.full_personal_days
        and pm.late_early <= policy.full_late_early
        and pm.absent_days == 0
    )
    # Other apps' lines (e.g. MTG-5) come from their own records and stay when this month has no register.
    pm.lines = (deduction_lines(pm, policy) if recorded else []) + list(extra_lines)
    if wage is not None:
        pm.daily_wage = yuan(Decimal(wage) / policy.wage_days_divisor)
    return pm


def _leave_halves(items) -> tuple[dict[str, str], set[str], set[str]]:
    """The halves of one day by what covers them: approved leave ({half: kind}), a request still waiting for
    approval, and an emergency leave told in time whose written request is still due (ATT-4). An approved
    half is not also waiting; a waiting half is not also told."""
    approved: dict[str, str] = {}
    waiting: set[str] = set()
    told: set[str] = set()
    for item in items:
        for half in item.halves:
            if item.status == "approved":
                approved[half] = item.kind
            elif item.status == "told":
                told.add(half)
            else:
                waiting.add(half)
    waiting -= approved.keys()
    told -= approved.keys() | waiting
    return approved, waiting, told


def _mark_leave(day: Day, approved: dict[str, str], waiting: set[str]) -> None:
    for kind in ("sick", "personal"):
        halves = [h for h, k in approved.items() if k == kind]
        if halves:
            day.add(kind, half=len(halves) == 1)
    if waiting:
        day.add("pending", half=len(waiting) == 1)


def _mark_planned_leave(day: Day, items) -> None:
    """A day that counts nothing (coming, or a month with no register): the leave asked for or approved, as
    marks only; a request still waiting and an emergency leave told are both shown as waiting."""
    approved, waiting, told = _leave_halves(items)
    _mark_leave(day, approved, waiting | told)


def deduction_lines(pm: PersonMonth, policy: MonthPolicy) -> list[Line]:
    """ATT-6: one day's wage (monthly wage ÷ 21.75) per sick day above 2 and per personal day above 1,
    10 yuan per late/early above 3, and the policy's days of wage per day of absence."""
    wage = Decimal(pm.wage) if pm.wage is not None else None

    def days_wage(days: Decimal) -> Decimal:
        return ZERO if wage is None else yuan(wage * days / policy.wage_days_divisor)

    lines = []
    excess_sick = pm.sick_days - policy.full_sick_days
    if excess_sick > 0:
        lines.append(Line(ngettext("Sick leave beyond the allowance (%(n)s): %(d)s day × one day's wage",
                                   "Sick leave beyond the allowance (%(n)s): %(d)s days × one day's wage",
                                   plural_number(excess_sick))
                          % {"n": _num(policy.full_sick_days), "d": _num(excess_sick)},
                          "ATT-6", days_wage(excess_sick)))
    excess_personal = pm.personal_days - policy.full_personal_days
    if excess_personal > 0:
        lines.append(Line(ngettext("Personal leave beyond the allowance (%(n)s): %(d)s day × one day's wage",
                                   "Personal leave beyond the allowance (%(n)s): %(d)s days × one day's wage",
                                   plural_number(excess_personal))
                          % {"n": _num(policy.full_personal_days), "d": _num(excess_personal)},
                          "ATT-6", days_wage(excess_personal)))
    excess_late = pm.late_early - policy.full_late_early
    if excess_late > 0:
        lines.append(Line(_("Late or early beyond the allowance (%(n)s): %(d)s × %(fee)s yuan")
                          % {"n": policy.full_late_early, "d": excess_late, "fee": yuan(policy.late_fee)},
                          "ATT-6", yuan(policy.late_fee * excess_late)))
    if pm.absent_days > 0:
        lines.append(Line(_("Absence without leave: %(d)s days × %(k)s day's wage")
                          % {"d": _num(pm.absent_days), "k": _num(policy.absence_days_deducted)},
                          "ATT-6", days_wage(pm.absent_days * policy.absence_days_deducted)))
    return lines


def _num(value: Decimal) -> str:
    """2.0 → 2, 1.5 → 1.5"""
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


# --- ATT-7: the yearly "treated as resigned" flags ------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Flag:
    staff_id: int
    kind: str  # "continuous_sick" | "total_sick" | "total_personal"
    text: str
    since: dt.date | None = None


def resignation_flags(
    staff_id: int,
    sick: dict[dt.date, Decimal],
    personal: dict[dt.date, Decimal],
    working_days: list[dt.date],
    *,
    continuous_sick_months: int,
    total_sick_months: int,
    total_personal_months: int,
    month_days: Decimal,
) -> list[Flag]:
    """ATT-7 in one calendar year, from approved leave per working day:
    - sick leave of more than N months in one unbroken stretch (consecutive working days on sick leave;
      weekends and holidays between do not break it; the stretch runs past the same date N months on);
    - total sick leave of more than N months, or total personal leave of N months or more, a month being
      ``month_days`` working days (21.75, the PRC monthly paid-day figure)."""
    flags = []
    run_start = run_end = None
    for day in working_days:
        if sick.get(day, ZERO) > 0:
            run_start = run_start or day
            run_end = day
            if run_end >= add_months(run_start, continuous_sick_months):
                flags.append(Flag(staff_id, "continuous_sick",
                                  ngettext("Sick leave for more than %(n)s month without a break since %(day)s (ATT-7)",
                                           "Sick leave for more than %(n)s months without a break since %(day)s (ATT-7)",
                                           continuous_sick_months)
                                  % {"n": continuous_sick_months, "day": run_start.isoformat()}, run_start))
                break
        else:
            run_start = run_end = None
    total_sick = sum(sick.values(), ZERO)
    if total_sick > month_days * total_sick_months:
        flags.append(Flag(staff_id, "total_sick",
                          ngettext("Sick leave this year: %(d)s days, more than %(n)s month (ATT-7)",
                                   "Sick leave this year: %(d)s days, more than %(n)s months (ATT-7)", total_sick_months)
                          % {"d": _num(total_sick), "n": total_sick_months}))
    total_personal = sum(personal.values(), ZERO)
    if total_personal >= month_days * total_personal_months:
        flags.append(Flag(staff_id, "total_personal",
                          ngettext("Personal leave this year: %(d)s days, %(n)s month or more (ATT-7)",
                                   "Personal leave this year: %(d)s days, %(n)s months or more (ATT-7)",
                                   total_personal_months)
                          % {"d": _num(total_personal), "n": total_personal_months}))
    return flags


# --- ATT-8 / ATT-9 ----------------------------------------------------------------------------------------


def inspection_deduction(problem_found: bool, pct: Decimal) -> Decimal:
    """ATT-8: an inspection that finds a problem deducts the policy's share (10%) of the target score."""
    return Decimal(pct) if problem_found else ZERO


def sheet_due(year: int, month: int, due_day: int) -> dt.date:
    """ATT-9: the sheet of a month is due at the street office by the N-th (10th) of the next month."""
    nxt = add_months(dt.date(year, month, 1), 1)
    return nxt.replace(day=due_day)


def previous_month(day: dt.date) -> tuple[int, int]:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month
