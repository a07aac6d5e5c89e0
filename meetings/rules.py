"""Pure functions deciding the MTG rules: inputs in, verdict or figure out, no database writes."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from committee import calendar
from committee.approvals import Step
from committee.models import Role

# --- MTG-6 / MTG-7: quorum ------------------------------------------------------------------------


def quorum_fraction(pct) -> Fraction:
    """A Fraction (the policy's type, "2/3") is taken as it is. The policy share (a percentage such as 66.67) as an exact fraction: a value within 0.01 % of a
    fraction with a small denominator is that fraction (66.67 % → 2/3), so 2/3 of 30 stays 20."""
    if isinstance(pct, Fraction):
        return pct
    exact = Fraction(Decimal(str(pct))) / 100
    for den in range(1, 13):
        num = round(exact * den)
        if abs(Fraction(num, den) - exact) <= Fraction(1, 10000):
            return Fraction(num, den)
    return exact


def quorum_needed(members: int, fraction: Fraction) -> int:
    """MTG-6/MTG-7: the least whole number of members present that is at least ``fraction`` of all members,
    in integers (2/3 of 31 → 21, of 30 → 20, of 3 → 2)."""
    if members <= 0:
        return 0
    return -(-members * fraction.numerator // fraction.denominator)


# --- MTG-8 / MTG-9: decisions ---------------------------------------------------------------------


def vote_errors(*, votes_for: int, votes_against: int, votes_abstain: int, present: int) -> dict[str, str]:
    """MTG-8: counts are whole, not negative, and together not more than the members present."""
    errors = {}
    for name, value in (("votes_for", votes_for), ("votes_against", votes_against), ("votes_abstain", votes_abstain)):
        if value is None or value < 0:
            errors[name] = _("A vote count cannot be negative (MTG-8).")
    if not errors and votes_for + votes_against + votes_abstain > present:
        errors["votes_for"] = _(
            "%(votes)s votes were counted but only %(present)s members are present (MTG-8)."
        ) % {"votes": votes_for + votes_against + votes_abstain, "present": present}
    return errors


def adopted(*, votes_for: int, present: int) -> bool:
    """MTG-8: 少数服从多数 — adopted when more than half of the members present vote for it
    (居民委员会组织法: 经到会人员的过半数通过). A tie is not a majority."""
    return votes_for * 2 > present


def major_allowed(kind) -> bool:
    """MTG-9: a major matter (重大事项) is decided only by the residents' meeting or the representative meeting."""
    return bool(kind.may_decide_major)


# --- MTG-2: the street regular meetings ------------------------------------------------------------

# Which roles attend which meeting of the month, by position in mtg.regular_days (10th, 20th, 27th).
# ``None``: every community staff member in post (MTG-2: 全体社区干部, service staff and station head
# included, whatever roles they hold).
ALL_COMMUNITY_STAFF = None
REGULAR_ATTENDEES: tuple[frozenset | None, ...] = (
    frozenset({Role.DIRECTOR, Role.CIVIL_AFFAIRS, Role.DIBAO_OFFICER, Role.LABOUR_SECURITY, Role.SERVICE_STAFF}),
    frozenset({Role.DIRECTOR}),
    ALL_COMMUNITY_STAFF,
)


def regular_roles(slot: int) -> frozenset | None:
    """MTG-2: roles expected at the ``slot``-th regular meeting of a month; ``None`` (the 27th and any later
    extra day): every community staff member."""
    return REGULAR_ATTENDEES[min(slot, len(REGULAR_ATTENDEES) - 1)]


def regular_roles_labels(slot: int) -> list[str]:
    """MTG-2: who attends the ``slot``-th regular meeting, as labels for a page or a reminder."""
    roles = regular_roles(slot)
    if roles is ALL_COMMUNITY_STAFF:
        return [str(_("All community staff (全体社区干部)"))]
    return [str(r.label) for r in Role if r in roles]


def regular_dates(year: int, month: int, days) -> list[tuple[int, int, dt.date]]:
    """MTG-2: ``(slot, nominal day, date)`` of the month's regular meetings. A day that is not a working day
    moves to the next working day (committee.calendar); two meetings never fall on the same date."""
    last = pycalendar.monthrange(year, month)[1]
    out, taken = [], set()
    for slot, day in enumerate(sorted(days)):
        nominal = dt.date(year, month, min(day, last))
        date = calendar.next_working_day(nominal)
        while date in taken:
            date = calendar.next_working_day(date + dt.timedelta(days=1))
        taken.add(date)
        out.append((slot, day, date))
    return out


# --- MTG-4 / MTG-5: absence from regular meetings ----------------------------------------------------


def leave_routing(in_a_row: int) -> list[Step]:
    """MTG-4: a single absence is approved by the street-office department; the second or later in a row by
    the street leader."""
    if in_a_row <= 1:
        return [Step(Role.DEPARTMENT_HEAD, _("Street-office department"))]
    return [Step(Role.STREET_LEADER, _("Street leader"))]


def absences_in_a_row(missed: list[bool]) -> int:
    """Length of the run of misses at the end of a chronological list of attended(False)/missed(True)."""
    n = 0
    for m in reversed(missed):
        if not m:
            break
        n += 1
    return n


def longest_run(missed: list[bool]) -> int:
    best = run = 0
    for m in missed:
        run = run + 1 if m else 0
        best = max(best, run)
    return best


def absence_deduction(wage: Decimal | None, pct: Decimal, absences: int) -> Decimal:
    """MTG-5: each unapproved absence deducts ``pct`` % of that month's wage (never more than the wage)."""
    if not wage or absences <= 0:
        return Decimal("0.00")
    wage = Decimal(str(wage))
    amount = wage * Decimal(str(pct)) / Decimal(100) * absences
    return min(amount, wage).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def award_ineligible(missed: list[bool]) -> bool:
    """MTG-5: two or more absences in a row, approved or not (连续二次以上不参会者), make the person
    ineligible for the year-end award. ``missed``: chronological, True for any absence."""
    return longest_run(missed) >= 2


def resignation_flag(months: list[tuple[int, int, int]]) -> bool:
    """MTG-5: 无故二个月不参加例会 — two calendar months in a row in which the person was called to regular
    meetings and missed every one of them without approval. ``months``: chronological
    ``(month index, meetings called to, missed without approval)``, one per month with meetings; a month
    with no meeting called to neither breaks nor extends the run, a missing month index does break it."""
    run, previous = 0, None
    for index, called, unapproved in months:
        if called and unapproved == called:
            run = run + 1 if previous is not None and previous == index - 1 and run else 1
        else:
            run = 0
        previous = index
        if run >= 2:
            return True
    return False


# --- MTG-11 / MTG-10: cadence ------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def period_start(day: dt.date, months: int) -> dt.date:
    """MTG-6 / MTG-7 / MTG-11: the first day of the calendar period of ``months`` months containing ``day``
    (3: the calendar quarter, 6: the half-year, 12: the year, 1: the month), periods counted from January."""
    index = (day.year * 12 + day.month - 1) // months * months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_end(day: dt.date, months: int) -> dt.date:
    """Last day of the calendar period of ``months`` months containing ``day``."""
    return add_months(period_start(day, months), months) - dt.timedelta(days=1)


def next_due(last_convened: dt.date | None, founded: dt.date, months: int) -> dt.date:
    """MTG-11: every calendar period (quarter, half-year …) needs a convened meeting. After a convened
    meeting the next one is due by the end of the following period; a body that never met is due by the
    end of the period of its founding (its first member's start, MTG-11), not of its newest member."""
    if last_convened is None:
        return period_end(founded, months)
    return period_end(add_months(period_start(last_convened, months), months), months)


def study_due(day: dt.date, weekday: int) -> dt.date:
    """MTG-10: the cadres' study day of the week containing ``day`` (Monday afternoon by default)."""
    return day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=weekday)
