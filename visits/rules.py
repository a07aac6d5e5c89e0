"""Pure functions that decide the grid rules. Each cites the rule it decides.

No database access except through ``committee.calendar`` (the working-day table, cached) and the policy
values passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from committee import calendar
from committee.models import Role

# GRID-5: who counts as "director and deputy" (half a day a week) and as "other members" (one hour a day).
DIRECTOR_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
MEMBER_ROLES = (Role.MEMBER, Role.CIVIL_AFFAIRS)

# GRID-5: the holidays before which special households are visited (calendar names from chinese-calendar).
HOLIDAYS = ("New Year's Day", "Spring Festival")

# GRID-3: a visit is at most one working day long (8 hours).
MAX_VISIT_MINUTES = 8 * 60

# GRID-6: the committed time limit by kind of request: a policy key (working days). ``None``: no default
# limit; whoever receives it must give one (a request without a time limit is refused).
REQUEST_DAYS = {
    "consultation": "grid.request_days_question",
    "help": "grid.request_days",
    "repair": "grid.request_days_repair",
    "dispute": "grid.request_days",
    "suggestion": "grid.request_days",
    "complaint": "grid.request_days_complaint",
    "staff_complaint": "grid.request_days_complaint",
    "other": None,
}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """GRID-5: the calendar week (Monday … Sunday) containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)) \
        - dt.timedelta(days=1)
    return start, end


def quarter_label(day: dt.date) -> str:
    return _("%(year)s Q%(q)s") % {"year": day.year, "q": (day.month - 1) // 3 + 1}


def visit_minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def weekly_required_minutes(kind: str, week_start: dt.date, *, director_hours: Decimal,
                            member_hours: Decimal) -> int:
    """GRID-5: the minutes of visits a person owes in the week starting ``week_start``.

    ``kind`` "director" (director and deputy): half a day a week (policy grid.director_visit_hours_week),
    owed in any week with at least one working day; a week entirely off (a long holiday) owes nothing.
    ``kind`` "member": one hour per working day (policy grid.member_visit_hours_day), counted on the
    working-day calendar: holidays owe nothing, a make-up Saturday (调休) owes its hour."""
    working = calendar.working_days_between(week_start, week_start + dt.timedelta(days=6))
    if kind == "director":
        return int(director_hours * 60) if working else 0
    return int(member_hours * 60 * len(working))


def holiday_start(name: str, year: int, holidays: dict[tuple[str, int], dt.date]) -> dt.date | None:
    """GRID-5: the first day of New Year's Day / Spring Festival of ``year`` from the calendar's holiday
    table (``holidays``: (name, year) → first day). New Year's Day is 1 January when the table lacks it;
    the Spring Festival is only known from the table."""
    day = holidays.get((name, year))
    if day is None and name == "New Year's Day":
        return dt.date(year, 1, 1)
    return day


def holiday_window(start: dt.date, *, days_before: int) -> tuple[dt.date, dt.date]:
    """GRID-5: a holiday visit counts from ``days_before`` days before the holiday to its first day."""
    return start - dt.timedelta(days=days_before), start


@dataclass(frozen=True)
class Shortfall:
    staff_id: int
    name: str
    required: int  # minutes
    done: int

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def required_hours(self) -> str:
        return hours_text(self.required)

    @property
    def done_hours(self) -> str:
        return hours_text(self.done)

    @property
    def missing_hours(self) -> str:
        return hours_text(self.missing)


def hours_text(minutes: int) -> str:
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
    return str(hours.normalize()) if hours == hours.to_integral() else str(hours)


def request_days_key(kind: str) -> str | None:
    """GRID-6: the policy key giving a kind's committed time limit, or None (the receiver gives one)."""
    return REQUEST_DAYS.get(kind)


def request_state(due_on: dt.date, closed_on: dt.date | None, day: dt.date) -> str:
    """GRID-6: open (within the limit), overdue (open after it), in_time or late (closed)."""
    if closed_on is None:
        return "overdue" if day > due_on else "open"
    return "in_time" if closed_on <= due_on else "late"
