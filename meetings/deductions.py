"""MTG-5: wage deductions and award eligibility from unapproved absences at street regular meetings.

``monthly_lines(staff_list, year, month)`` is registered with the attendance app (ATT-8 monthly sheet) in
MeetingsConfig.ready() when that app provides ``attendance.deductions.register``; the meetings page
"Deductions" shows the same lines, so they are visible without the attendance app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from committee import policy
from meetings import rules
from meetings.models import Attendance, Meeting

HELD = (Meeting.Status.HELD, Meeting.Status.CLOSED)


def _absences(staff_ids, since: dt.date, until: dt.date):
    """{staff_id: [(date, missed_without_leave, missed_at_all)]} for held regular meetings, one query."""
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
        out.setdefault(staff_id, []).append((date, status == Attendance.Status.ABSENT))
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
        n = sum(1 for _d, missed in history.get(s.pk, []) if missed)
        if not n:
            continue
        pct = policy.get(s.community, "mtg.absence_deduction_pct")
        lines.append(
            {
                "staff_id": s.pk,
                "reason": _("%(n)s unapproved absence(s) from street regular meetings × %(pct)s%% of the monthly wage")
                % {"n": n, "pct": pct},
                "rule": "MTG-5",
                "amount": rules.absence_deduction(s.monthly_wage, pct, n),
                "absences": n,
            }
        )
    return lines


def award_ineligible(staff_list, year: int) -> dict[int, bool]:
    """MTG-5: staff with two or more unapproved absences in a row in the year (not eligible for the award)."""
    history = _absences([s.pk for s in staff_list], dt.date(year, 1, 1), dt.date(year, 12, 31))
    return {s.pk: rules.award_ineligible([missed for _d, missed in history.get(s.pk, [])]) for s in staff_list}


__all__ = ["monthly_lines", "award_ineligible", "Decimal"]
