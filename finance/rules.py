"""Pure functions deciding the finance rules (FIN-*): inputs in, verdict or figure out, no DB writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from committee import calendar
from committee.approvals import Step
from committee.models import Role

CENT = Decimal("0.01")


def yuan(value) -> str:
    """The one money format of the pages and messages: 1200 → "1,200.00" (the caller writes 元 / yuan)."""
    return f"{Decimal(str(value)).quantize(CENT):,.2f}"


def amount_error(value, field_label: str = "") -> str | None:
    """FIN-11: an amount is positive and has at most two decimals (fen). None when fine."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return _("%(field)s: “%(value)s” is not an amount of money (FIN-11).") % {"field": field_label, "value": value}
    if not amount.is_finite():
        return _("%(field)s: “%(value)s” is not an amount of money (FIN-11).") % {"field": field_label, "value": value}
    if amount <= 0:
        return _("%(field)s must be more than 0 yuan (FIN-11).") % {"field": field_label}
    if amount >= Decimal("10000000000"):  # before quantize: 1e400 cannot be quantized (CTL-8)
        return _("%(field)s is too large.") % {"field": field_label}
    if amount != amount.quantize(CENT):
        return _("%(field)s has more than two decimals: money is counted to the fen (FIN-11).") % {"field": field_label}
    return None


def expense_routing(amount: Decimal, *, tier_low: Decimal, tier_high: Decimal, fund_type: str,
                    beyond_budget: bool, cash_needs_leader: bool) -> list[Step]:
    """Who approves an expense, in order.

    FIN-2: below ``tier_low`` → community secretary; from ``tier_low`` up to below ``tier_high`` → secretary
    then community instructor; ``tier_high`` and above → the community-building office director (each boundary
    goes to the stricter tier: 500.00 to the middle, 1000.00 to the top; Revised 2026-12).
    FIN-7: self-managed funds are approved by the community secretary (A5 六.5), after the collective decision.
    FIN-3: beyond the remaining budget line → also street leadership, one report per item.
    FIN-6: cash from 800 yuan → the leader in charge approves paying in cash.
    """
    if fund_type == "self_managed":
        steps = [Step(Role.PARTY_SECRETARY, _("Community secretary (FIN-7)"))]
    elif amount < tier_low:  # FIN-2 lower tier
        steps = [Step(Role.PARTY_SECRETARY, _("Community secretary (FIN-2)"))]
    elif amount < tier_high:  # FIN-2 middle tier; 1000.00 goes to the top tier (1000以上 includes 1000)
        steps = [Step(Role.PARTY_SECRETARY, _("Community secretary (FIN-2)")),
                 Step(Role.INSTRUCTOR, _("Community instructor (FIN-2)"))]
    else:  # FIN-2 upper tier
        steps = [Step(Role.BUILDING_OFFICE_DIRECTOR, _("Community-building office director (FIN-2)"))]
    if beyond_budget:  # FIN-3
        steps.append(Step(Role.STREET_LEADER, _("Street leadership: beyond the budget line (FIN-3)")))
    if cash_needs_leader and not beyond_budget:  # FIN-6 (the street leader's step above covers it too)
        steps.append(Step(Role.STREET_LEADER, _("Leader in charge: payment in cash (FIN-6)")))
    return steps


def beyond_line(amount: Decimal, remaining: Decimal) -> bool:
    """FIN-3: an expense is beyond the budget line when it exceeds what remains of the line."""
    return amount > remaining


def cash_needs_leader(method: str, amount: Decimal, cheque_from: Decimal) -> bool:
    """FIN-6: spending of ``cheque_from`` (800) yuan or more is paid by cheque unless a leader approves cash."""
    return method == "cash" and amount >= cheque_from


def cash_needs_notice(method: str, amount: Decimal, notice_above: Decimal) -> bool:
    """FIN-6: cash spending of ``notice_above`` (1000) yuan or more (1000元以上, boundary included) is notified
    to finance one day ahead."""
    return method == "cash" and amount >= notice_above


def notice_in_time(notified_on: dt.date | None, paid_on: dt.date) -> bool:
    """FIN-6: the notice to finance was given at least one day before the cash is paid."""
    return notified_on is not None and notified_on <= paid_on - dt.timedelta(days=1)


def cash_days_of_month(year: int, month: int, days: tuple[int, ...]) -> list[dt.date]:
    """FIN-5: the cash reimbursement days of a month: the 10th and 23rd, each moved to the next working
    day when it is not one."""
    out = []
    for d in days:
        try:
            day = dt.date(year, month, d)
        except ValueError:
            continue
        out.append(calendar.next_working_day(day) if not calendar.is_working_day(day) else day)
    return sorted(set(out))


def is_cash_day(day: dt.date, days: tuple[int, ...]) -> bool:
    """FIN-5: may cash be reimbursed on ``day``?"""
    return day in cash_days_of_month(day.year, day.month, days) or (
        day.day < 10 and day in cash_days_of_month(*_prev_month(day), days))


def next_cash_day(day: dt.date, days: tuple[int, ...]) -> dt.date:
    """FIN-5: the first cash reimbursement day on or after ``day``."""
    y, m = day.year, day.month
    for _i in range(3):
        for d in cash_days_of_month(y, m, days):
            if d >= day:
                return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return day


def _prev_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def line_amount_error(quantity: Decimal, unit_price: Decimal, amount: Decimal) -> bool:
    """FIN-5: an itemised line adds up when quantity × unit price equals its amount (to the fen)."""
    return (quantity * unit_price).quantize(CENT) != amount


def invoice_lines_add_up(lines: list[tuple[Decimal, Decimal, Decimal]], total: Decimal) -> bool:
    """FIN-5: the itemised lines of an invoice add up to the invoice: each line and the sum."""
    return bool(lines) and all(not line_amount_error(q, p, a) for q, p, a in lines) and sum(
        (a for _q, _p, a in lines), Decimal("0")) == total


def purchase_matches(bought: list[tuple[str, Decimal, Decimal]], invoiced: list[tuple[str, Decimal, Decimal]]) -> bool:
    """FIN-8: the invoices' items, quantities and unit prices match what was bought (order does not matter)."""
    def norm(rows):
        totals: dict[tuple[str, Decimal], Decimal] = {}
        for item, qty, price in rows:
            key = (item.strip(), price.quantize(CENT))
            totals[key] = totals.get(key, Decimal("0")) + qty
        return totals
    return norm(bought) == norm(invoiced)


def purchasers_enough(member, station, supervisor: str, needed: int) -> bool:
    """FIN-8: a purchase is made by at least ``needed`` (3) people: a committee member, a station staff
    member and a supervisor, all different."""
    names = {str(p.pk) for p in (member, station) if p is not None}
    if supervisor.strip():
        names.add("s:" + supervisor.strip())
    return len(names) >= needed and member is not None and station is not None and bool(supervisor.strip())


def missing_signatures(*, handler: bool, station_head: bool, director: bool, payee: bool, payee_is_person: bool,
                       approvals_complete: bool, is_utility: bool, utility_explanation: str) -> list[str]:
    """FIN-5: the signatures and papers a reimbursement still lacks (empty when complete)."""
    missing = []
    if not handler:
        missing.append(_("the handler's signature"))
    if not station_head:
        missing.append(_("the service-station head's signature"))
    if not director:
        missing.append(_("the director's signature"))
    if not approvals_complete:
        missing.append(_("the approvals of FIN-2"))
    if payee_is_person and not payee:
        missing.append(_("the signature of the person paid"))
    if is_utility and not utility_explanation.strip():
        missing.append(_("an explanation of the utility bill"))
    return missing


def signature_label(kind: str) -> str:
    """FIN-5: the capacity a signature is given in."""
    return {"handler": _("handler"), "station_head": _("service-station head"), "director": _("director"),
            "payee": _("person paid")}.get(kind, kind)


def cheque_due(issued_on: dt.date, settle_days: int) -> calendar.Deadline:
    """FIN-4: a cheque is settled within ``settle_days`` (10) working days of its issue."""
    return calendar.deadline(issued_on, settle_days)


def half_year_periods(day: dt.date, months: int = 6) -> tuple[dt.date, dt.date]:
    """FIN-9: the last audit period (of ``months`` months, counted from January) that ended before ``day``."""
    index = ((day.month - 1) // months)  # the period ``day`` is in
    start_month = index * months + 1
    year = day.year
    # the period before the current one
    start_month -= months
    if start_month < 1:
        start_month += 12
        year -= 1
    start = dt.date(year, start_month, 1)
    end_month = start_month + months - 1
    end = dt.date(year, end_month, 1)
    next_first = dt.date(year + (end_month // 12), end_month % 12 + 1, 1)
    end = next_first - dt.timedelta(days=1)
    return start, end


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """FIN-10: the first and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1 to 4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)
