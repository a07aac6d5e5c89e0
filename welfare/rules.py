"""Pure functions deciding the WEL rules (no database): deadlines, caps and shares. The services and the
reminders call them; the tests prove them with their edge cases."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with two decimals (None when the whole is zero)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value) -> str:
    return f"{Decimal(value).quantize(CENT):,.2f}"


# --- WEL-2: the October timeline ------------------------------------------------------------------

# The steps of the annual plan, in order, with the day of the year before the plan's year they are due by.
# The rule's dates stand even when they fall on a weekend or a holiday (Oct 15, 2028 is a Sunday): the
# timeline is the street office's calendar, not a working-day period, so nothing moves to the next working
# day; the dashboards remind before the date, so a weekend deadline is met on the Friday before.
TIMELINE = (
    ("opinions", 10, 10),   # opinions collected "in early October" (上旬): by Oct 10
    ("submitted", 10, 15),  # submitted with the instructor's approval by Oct 15
    ("reviewed", 10, 25),   # the street's first review Oct 15–25
    ("residents", 10, 31),  # approved by the residents' meeting by the end of October
    ("approved", 11, 5),    # street approval and the budget by Nov 5
)
REVIEW_FROM = (10, 15)


def timeline(plan_year: int) -> list[tuple[str, dt.date]]:
    """WEL-2: (step, due date) for the plan of ``plan_year`` (drawn up in the October before)."""
    y = plan_year - 1
    return [(step, dt.date(y, m, d)) for step, m, d in TIMELINE]


def due_of(plan_year: int, step: str) -> dt.date:
    return dict(timeline(plan_year))[step]


def july_round(day: dt.date, plan_year: int) -> bool:
    """WEL-2: the second application round is July of the plan's year."""
    return day.year == plan_year and day.month == 7


# --- WEL-3 / WEL-4 / WEL-7: execution -------------------------------------------------------------


def mid_year(year: int) -> dt.date:
    return dt.date(year, 6, 30)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def reached(part, whole, minimum_pct) -> bool:
    """At least ``minimum_pct`` percent (the boundary included, 不少于)."""
    if not whole:
        return False
    return Decimal(part) * HUNDRED >= Decimal(minimum_pct) * Decimal(whole)


# --- WEL-5: prizes ------------------------------------------------------------------------------


def within_pct(part, whole, cap_pct) -> bool:
    """At most ``cap_pct`` percent (the boundary included, 不超过): exact Decimal arithmetic."""
    return Decimal(part) * HUNDRED <= Decimal(cap_pct) * Decimal(whole)


def excess_over_pct(part, whole, cap_pct) -> Decimal:
    """How many yuan ``part`` is above ``cap_pct`` % of ``whole`` (rounded up to the fen)."""
    over = Decimal(part) - Decimal(cap_pct) * Decimal(whole) / HUNDRED
    return max(over, Decimal(0)).quantize(CENT, rounding="ROUND_UP")


def event_prize_excess(prizes, other_costs, cap_pct) -> Decimal:
    """WEL-5: prizes are part of an event's cost; the largest prize total allowed is p·C/(1−p) for the
    event's other costs C. Returns how many yuan the prizes are above it (0 when within)."""
    p = Decimal(cap_pct) / HUNDRED
    if p >= 1:
        return Decimal(0)
    allowed = p * Decimal(other_costs) / (1 - p)
    over = Decimal(prizes) - allowed
    return max(over, Decimal(0)).quantize(CENT, rounding="ROUND_UP")


# --- WEL-8: mid-year changes -----------------------------------------------------------------------


def change_allowed(moved_before, amount, budget, cap_pct) -> bool:
    return within_pct(Decimal(moved_before) + Decimal(amount), budget, cap_pct)


# --- WEL-9: quarters ------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    last_month = quarter * 3
    return dt.date(year, last_month - 2, 1), dt.date(year, last_month, pycal.monthrange(year, last_month)[1])


def quarter_deadlines(year: int, quarter: int) -> dict[str, dt.date]:
    """WEL-9: the street's plan by the 20th of the quarter's last month, the community's application by the
    25th, the completion report by the quarter's last day."""
    last_month = quarter * 3
    _start, end = quarter_bounds(year, quarter)
    return {"plan": dt.date(year, last_month, 20), "application": dt.date(year, last_month, 25), "report": end}


def report_opens(year: int, quarter: int) -> dt.date:
    """The completion report is written at the quarter's end: from the first day of its last month."""
    return dt.date(year, quarter * 3, 1)


def ended_quarters(day: dt.date, back_years: int = 1) -> list[tuple[int, int]]:
    """Quarters that have ended by ``day`` (newest first), of this year and ``back_years`` before."""
    out = []
    for year in range(day.year, day.year - back_years - 1, -1):
        for q in (4, 3, 2, 1):
            if quarter_bounds(year, q)[1] < day:
                out.append((year, q))
    return out


# --- WEL-10: the two groups -----------------------------------------------------------------------

GROUP_SIZE = 7
