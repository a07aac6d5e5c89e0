"""MTG-5: wage deductions and award eligibility from unapproved absences at street regular meetings.

``monthly_lines(staff_list, year, month)`` is registered with the attendance app (ATT-8 monthly sheet) in
MeetingsConfig.ready() when that app provides ``attendance.deductions.register``; the meetings page
"Deductions" shows the same lines, so they are visible without the attendance app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import ngettext

from committee import policy
from meetings import rules
from meetings.models import Attendance, Meeting

HELD = (Meeting.Status.HELD, Meeting.Status.SUBMITTED, Meeting.Status.CLOSED)


def _absences(staff_ids, since: dt.date, until: dt.date):
    """{staff_id: [(date, missed_without_leave, missed_at_all)]} for held regular meetings, one query.
    Waiting leave is not approved: until it is, the absence counts as without leave."""
    rows = (
        Attendance.objects.filter(
            staff_id__in=staff_ids, meeting__category=Meeting.Category.REGULAR, meeting__status__in=HELD,
            meeting__date__gte=since, meeting__date__lte=until,
        )
        .values_list("staff_id", "meeting__date", "status")
        .order_by("meeting__date")
    )
    out: dict[int, list] = {}
    for staff_id, date, status in rows:
        out.setdefault(staff_id, []).append(
            (date, status == Attendance.Status.ABSENT, status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED))
        )
    return out


def monthly_lines(staff_list, year: int, month: int) -> list[dict]:
    """MTG-5: one line per staff member with unapproved absences in the month: each deducts
    mtg.absence_deduction_pct of that month's wage. Keys: staff_id, reason, rule, amount (Decimal)."""
    staff_list = [s for s in staff_list if s.community_id]
    if not staff_list:
        return []
    first = dt.date(year, month, 1)
    last = rules.add_months(first, 1) - dt.timedelta(days=1)
    history = _absences([s.pk for s in staff_list], first, last)
    lines = []
    for s in staff_list:
        n = sum(1 for _d, unapproved, _any in history.get(s.pk, []) if unapproved)
        if not n:
            continue
        pct = policy.get(s.community, "mtg.absence_deduction_pct")
        lines.append(
            {
                "staff_id": s.pk,
                "reason": ngettext("%(n)s unapproved absence from street regular meetings × %(pct)s%% of the monthly wage",
                                   "%(n)s unapproved absences from street regular meetings × %(pct)s%% of the monthly wage",
                                   n) % {"n": n, "pct": pct},
                "rule": "MTG-5",
                "amount": rules.absence_deduction(s.monthly_wage, pct, n),
                "absences": n,
            }
        )
    return lines


def award_ineligible(staff_list, year: int) -> dict[int, bool]:
    """MTG-5: staff with two or more absences in a row in the year, approved or not (连续二次以上不参会者):
    not eligible for the year-end award."""
    history = _absences([s.pk for s in staff_list], dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {s.pk: rules.award_ineligible([missed for _d, _u, missed in history.get(s.pk, [])]) for s in staff_list}


def resignation_flags(staff_list, until: dt.date) -> dict[int, bool]:
    """MTG-5 → ATT-7: staff who missed every regular meeting they were called to, without approval, in two
    calendar months in a row (无故二个月不参加例会), looking back twelve months from ``until``."""
    since = rules.add_months(until.replace(day=1), -11)
    history = _absences([s.pk for s in staff_list], since, until)
    out = {}
    for s in staff_list:
        months: dict[int, list[int]] = {}
        for date, unapproved, _any in history.get(s.pk, []):
            counts = months.setdefault(date.year * 12 + date.month - 1, [0, 0])
            counts[0] += 1
            counts[1] += int(unapproved)
        out[s.pk] = rules.resignation_flag([(i, c, u) for i, (c, u) in sorted(months.items())])
    return out


__all__ = ["monthly_lines", "award_ineligible", "resignation_flags", "Decimal"]
