"""Pure functions deciding the dibao rules (no database): the panel's composition (DB-1), quarters
(DB-3/DB-4/DB-5), the assessment of a household against the standard (DB-6) and the visit state (DB-4)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CADRE_CATEGORIES = frozenset({"director", "civil_affairs", "officer", "other_cadre"})
RESIDENT = "resident"
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


# --- DB-1: the panel's composition --------------------------------------------------------------------


def panel_errors(categories: list[str | None], *, max_cadres: int, min_resident_pct: Decimal) -> list[str]:
    """DB-1: at most ``max_cadres`` committee cadres; resident representatives at least ``min_resident_pct``
    per cent of the panel. A member without a category is an error too (the rule cannot be checked)."""
    errors = []
    total = len(categories)
    if total == 0:
        return [_("The panel has no members (DB-1).")]
    missing = sum(1 for c in categories if not c)
    if missing:
        errors.append(ngettext("%(n)s member has no category; give each member a category (DB-1).",
                               "%(n)s members have no category; give each member a category (DB-1).",
                               missing) % {"n": missing})
    cadres = sum(1 for c in categories if c in CADRE_CATEGORIES)
    residents = sum(1 for c in categories if c == RESIDENT)
    if cadres > max_cadres:
        errors.append(_("%(n)s committee cadres sit on the panel; at most %(max)s may (DB-1).")
                      % {"n": cadres, "max": max_cadres})
    if Decimal(residents) * 100 < Decimal(min_resident_pct) * total:
        errors.append(_("%(n)s of %(total)s members are resident representatives; at least %(pct)s%% are needed "
                        "(DB-1).") % {"n": residents, "total": total, "pct": _pct(min_resident_pct)})
    return errors


def _pct(value) -> str:
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


# --- quarters -----------------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(key: str) -> tuple[dt.date, dt.date]:
    """"2026-Q3" → (2026-07-01, 2026-09-30); ValueError for anything else."""
    m = QUARTER_RE.match(key or "")
    if not m:
        raise ValueError(key)
    year, q = int(m.group(1)), int(m.group(2))
    if not 1900 <= year <= 9998:
        raise ValueError(key)
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_quarter(key: str) -> str:
    start, _end = quarter_bounds(key)
    return quarter_of(start - dt.timedelta(days=1))


def quarter_label(key: str) -> str:
    start, _end = quarter_bounds(key)
    return _("%(year)s, quarter %(q)s") % {"year": start.year, "q": (start.month - 1) // 3 + 1}


# --- DB-6: the assessment -----------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass
class Assessment:
    members: int
    covered: int
    total_income: Decimal
    per_capita: Decimal
    standard: Decimal
    eligible: bool
    amount: Decimal
    reasons: list[str] = field(default_factory=list)


def assess(members: list[tuple[Decimal, bool]], standard: Decimal) -> Assessment:
    """DB-6: members are (monthly income, covered) of the household's current members. Per-capita income
    = total income / members; eligible when below the standard; monthly amount = (standard − per-capita)
    × covered members, never below zero, rounded to the cent."""
    standard = Decimal(standard)
    n = len(members)
    covered = sum(1 for _i, c in members if c)
    total = sum((Decimal(i) for i, _c in members), Decimal(0))
    reasons = []
    if n == 0:
        return Assessment(0, 0, total, Decimal(0), standard, False, Decimal("0.00"),
                          [_("The case has no members yet.")])
    per_capita = (total / n).quantize(CENT, ROUND_HALF_UP)
    eligible = per_capita < standard and covered > 0
    if per_capita >= standard:
        reasons.append(_("Per-capita income %(pc)s yuan is not below the standard %(std)s yuan.")
                       % {"pc": per_capita, "std": standard})
    else:
        reasons.append(_("Per-capita income %(pc)s yuan is below the standard %(std)s yuan.")
                       % {"pc": per_capita, "std": standard})
    if covered == 0:
        reasons.append(_("No member is covered by the subsidy."))
    amount = ((standard - per_capita) * covered).quantize(CENT, ROUND_HALF_UP) if eligible else Decimal("0.00")
    return Assessment(n, covered, total, per_capita, standard, eligible, amount, reasons)


# --- DB-4: visits -------------------------------------------------------------------------------------


def visit_state(last_visit: dt.date | None, opened: dt.date, day: dt.date) -> str | None:
    """DB-4: no visit this quarter → "due"; the previous quarter also passed without one (the case was open
    then) → "overdue"; visited this quarter → None."""
    start, _end = quarter_bounds(quarter_of(day))
    if last_visit is not None and last_visit >= start:
        return None
    prev_start, _prev_end = quarter_bounds(previous_quarter(quarter_of(day)))
    if opened < start and (last_visit is None or last_visit < prev_start):
        return "overdue"
    return "due"
