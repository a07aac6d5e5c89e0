"""The rules of the disclosure chapter as plain functions (DIS-2 periods, DIS-3 posting length)."""

from __future__ import annotations

import datetime as dt


def period_of(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """DIS-2: the period of ``months`` months (3: quarters, 6: half years) that holds ``day``, counted from
    1 January: (first day, last day)."""
    months = max(1, min(12, int(months)))
    index = (day.month - 1) // months
    first_month = index * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months  # the month after the period
    end = (dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)) - dt.timedelta(days=1)
    return start, end


def previous_period(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    start, _end = period_of(day, months)
    return period_of(start - dt.timedelta(days=1), months)


def cadence_state(last_posted: dt.date | None, day: dt.date, months: int, warn_days: int = 15):
    """DIS-2: (state, due) of a category posted every ``months`` months. Posted in the current period →
    ("ok", end of the period). Not yet, but posted in the previous one → "due" within ``warn_days`` of the
    period's end (before that: "open"). Not posted in the previous period either (nor since) → "overdue",
    due the end of the previous period."""
    start, end = period_of(day, months)
    prev_start, prev_end = previous_period(day, months)
    if last_posted is not None and last_posted >= start:
        return "ok", end
    if last_posted is None or last_posted < prev_start:
        return "overdue", prev_end
    if (end - day).days <= warn_days:
        return "due", end
    return "open", end


def days_posted(start: dt.date, end: dt.date) -> int:
    """Calendar days of a posting period, both ends included (不少于 includes the boundary)."""
    return (end - start).days + 1
