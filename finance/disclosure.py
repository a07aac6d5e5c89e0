"""The finance chapter's notices for the public disclosure board (DIS-2, DIS-4, DIS-5).

Two composers, registered in ``FinanceConfig.ready`` with ``disclosure.composers``:

``finance.quarter`` (FIN-10, category finance): the quarter's income and spending per fund type and budget
line, drawn from ``services.quarter_figures`` (the same dict the quarterly report page and its Excel
workbook show), so the board, the screen and the workbook always agree (DIS-4).

``finance.self_managed`` (FIN-7, category finance): the self-managed funds (自管资金) of a quarter: income
per kind of income (receipts less their reversals), each payment with the joint meeting's decision
(三委联席会) behind it, and the cash book's opening and closing balance (``services.cash_book``).

Subjects of both: the quarters that have ended, of this year and the two years before, newest first; key
``"<year>-Q<n>"`` (``"2026-Q3"``). A quarter that has not ended, or a key that is not a quarter, is refused
with a ``ValidationError`` on the field ``subject`` (DIS-4: figures of a period still running would be
posted as if final).

DIS-5 (personal data minimised): no payer of self-managed income is named (a receipt's payer is most often a
resident: the board shows the kind of income and the totals only); a payment names its payee only when it
is not recorded as paid to an individual (``Expense.payee_is_person``), otherwise "个人"; budget-line names,
purposes and decisions are the committee's own words. The disclosure app scans the result again.

Notices are official papers for residents: composed in 简体中文 whatever the drafter's screen language (as
the seal certificates are); the refusals speak the drafter's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.inputs import EARLIEST
from disclosure import composers
from finance import rules, services
from finance.models import ZERO, Expense, FundType, Receipt, Reversal

QUARTER_KEY = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)
YEARS_BACK = 2  # subjects: this year and the two years before


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}


def ended_quarters(community, day: dt.date) -> list[composers.Subject]:
    """The quarters that ended before ``day``, this year and the two years before, newest first."""
    out = []
    for year in range(day.year, day.year - YEARS_BACK - 1, -1):
        for quarter in (4, 3, 2, 1):
            if rules.quarter_bounds(year, quarter)[1] < day:
                out.append(composers.Subject(quarter_key(year, quarter), quarter_label(year, quarter)))
    return out


def parse_quarter(subject_key) -> tuple[int, int, dt.date, dt.date]:
    """DIS-4: the year and quarter of a subject key, refused unless it names a quarter that has ended
    (today by the server's clock, CTL-6)."""
    match = QUARTER_KEY.fullmatch(str(subject_key or "").strip())
    if not match or int(match.group(1)) < EARLIEST.year:
        raise ValidationError({"subject": _("Choose a quarter, such as 2026-Q3 (DIS-4).")})
    year, quarter = int(match.group(1)), int(match.group(2))
    start, end = rules.quarter_bounds(year, quarter)
    if end >= timezone.localdate():
        raise ValidationError({"subject": _(
            "%(quarter)s has not ended yet: its figures are posted once the quarter is over (DIS-4).")
            % {"quarter": quarter_label(year, quarter)}})
    return year, quarter, start, end


def _money(value) -> str:
    return rules.yuan(value)


def _raw(value):
    """Figures frozen with the notice: JSON-serialisable, Decimals as strings with two places, dates in ISO
    form."""
    if isinstance(value, Decimal):
        return str(value.quantize(rules.CENT))  # yuan with fen: "1409.50"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_raw(v) for v in value]
    return value


def _cn_date(day: dt.date) -> str:
    return _("%(year)s-%(month)s-%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def _closing() -> list[str]:
    return [_("Residents with questions about these figures may ask the residents' committee."),
            _("Hereby announced.")]


# --- FIN-10: the quarter's finance statement ----------------------------------------------------------


def compose_quarter(community, subject_key, acting_user=None) -> composers.Composed:
    """FIN-10 / DIS-2 / DIS-4: the quarter's statement from ``services.quarter_figures``."""
    year, quarter, start, end = parse_quarter(subject_key)
    with translation.override("zh-hans"):
        fig = services.quarter_figures(community, year, quarter)
        return _quarter_notice(community, fig)


def _quarter_notice(community, fig) -> composers.Composed:
    year, quarter, start, end = fig["year"], fig["quarter"], fig["start"], fig["end"]
    columns = [_("Budget line"), _("Budget (yuan)"), _("Income this quarter (yuan)"),
               _("Spent this quarter (yuan)"), _("Spent this year to date (yuan)"), _("Remaining budget (yuan)")]
    keys = ("budget", "income", "spent", "spent_to_date", "remaining")
    tables = []
    for fund in fig["funds"]:
        tables.append(composers.Table(
            columns=columns, caption=fund["label"], numeric=[1, 2, 3, 4, 5],
            rows=[[line["name"], *(_money(line[k]) for k in keys)] for line in fund["lines"]],
            totals=[_("Subtotal"), *(_money(fund[k]) for k in keys)]))
    if len(fig["funds"]) > 1:
        tables.append(composers.Table(
            columns=[_("Fund type"), *columns[1:]], caption=_("All funds"), numeric=[1, 2, 3, 4, 5],
            rows=[[fund["label"], *(_money(fund[k]) for k in keys)] for fund in fig["funds"]],
            totals=[_("Total"), *(_money(fig["totals"][k]) for k in keys)]))
    period = {"committee": community.committee_name, "year": year, "quarter": quarter,
              "start": _cn_date(start), "end": _cn_date(end)}
    paragraphs = [_("In keeping with the rules on open village affairs, %(committee)s posts the income and "
                    "spending of %(year)s, quarter %(quarter)s (%(start)s to %(end)s).") % period]
    if fig["funds"]:
        paragraphs.append(_(
            "The tables show, for each fund and budget line, the year's budget, the income and the spending of "
            "this quarter, the spending from January 1 to the end of the quarter and the budget that remains. "
            "Spending counts the payments made in the quarter less the entries reversed in it. Amounts in yuan."))
        paragraphs.append(_("This quarter: income %(income)s yuan, spending %(spent)s yuan; spent this year to "
                            "date %(ytd)s yuan of a budget of %(budget)s yuan.") % {
            "income": _money(fig["totals"]["income"]), "spent": _money(fig["totals"]["spent"]),
            "ytd": _money(fig["totals"]["spent_to_date"]), "budget": _money(fig["totals"]["budget"])})
    else:
        paragraphs.append(_("No budget, income or spending is recorded for this year."))
    figures = _raw({k: v for k, v in fig.items() if k != "community"})
    figures["community"] = {"id": community.pk, "name": community.name}
    return composers.Composed(
        title=_("%(committee)s: finance statement of %(year)s, quarter %(quarter)s") % period,
        paragraphs=paragraphs, tables=tables, closing=_closing(), figures=figures,
        period_start=start, period_end=end, source=None)


# --- FIN-7: self-managed funds of a quarter -----------------------------------------------------------


def compose_self_managed(community, subject_key, acting_user=None) -> composers.Composed:
    """FIN-7 / DIS-4 / DIS-5: the self-managed funds of an ended quarter."""
    year, quarter, start, end = parse_quarter(subject_key)
    with translation.override("zh-hans"):
        return _self_managed_notice(community, year, quarter, start, end)


def self_managed_figures(community, start: dt.date, end: dt.date) -> dict:
    """FIN-7: income per kind (receipts of the period less reversals of receipts dated in it), the
    self-managed payments of the period (and reversals of paid ones dated in it, as negative rows) with their
    decisions, and the cash book's balance at the period's start and end. A fixed number of queries."""
    income: OrderedDict = OrderedDict(
        (s.value, {"source": s.value, "label": str(s.label), "count": 0, "received": ZERO, "reversed": ZERO,
                   "net": ZERO}) for s in Receipt.Source)
    for row in (Receipt.objects.filter(community=community, received_on__range=(start, end))
                .values("source").annotate(n=Count("pk"), s=Sum("amount"))):
        income[row["source"]]["count"] = row["n"]
        income[row["source"]]["received"] = row["s"]
    for row in (Reversal.objects.filter(community=community, receipt__isnull=False, date__range=(start, end))
                .values("receipt__source").annotate(s=Sum("amount"))):
        income[row["receipt__source"]]["reversed"] = row["s"]
    for item in income.values():
        item["net"] = item["received"] - item["reversed"]
    income_rows = [i for i in income.values() if i["count"] or i["reversed"]]

    def payment(e: Expense, amount: Decimal, day: dt.date, kind: str) -> dict:
        fd = e.fund_decision
        decision = fd.decision if fd is not None else e.decision
        return {"kind": kind, "date": day, "purpose": e.purpose,
                # DIS-5: an individual paid (hardship aid, an allowance) is not named.
                "payee": "" if e.payee_is_person else e.payee, "payee_is_person": e.payee_is_person,
                "meeting_date": decision.meeting.date if decision is not None else None,
                "decision": decision.title if decision is not None else "",
                "ceiling": fd.ceiling if fd is not None else None, "amount": amount}

    related = ("fund_decision__decision__meeting", "decision__meeting")
    paid = (Expense.objects.filter(community=community, line__budget__fund_type=FundType.SELF_MANAGED,
                                   paid_on__range=(start, end)).select_related(*related).order_by("paid_on", "pk"))
    payments = [payment(e, e.amount, e.paid_on, "paid") for e in paid]
    reversed_ = (Reversal.objects.filter(community=community, date__range=(start, end),
                                         expense__line__budget__fund_type=FundType.SELF_MANAGED,
                                         expense__paid_on__isnull=False)
                 .select_related(*(f"expense__{r}" for r in related)).order_by("date", "pk"))
    payments += [payment(v.expense, -v.amount, v.date, "reversal") for v in reversed_]
    opening, closing = _balances(community, start, end)
    income_total = sum((i["net"] for i in income_rows), ZERO)
    spent_total = sum((p["amount"] for p in payments), ZERO)
    return {"start": start, "end": end, "opening": opening, "closing": closing, "income": income_rows,
            "income_total": income_total, "payments": payments, "spent_total": spent_total}


def _balances(community, start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """The self-managed cash book's balance before ``start`` and at the end of ``end`` (the service's running
    balance: receipts, payments and reversals)."""
    book = services.cash_book(community, start.year)
    opening = book["brought_forward"]
    closing = None
    for row in book["rows"]:
        if row["date"] < start:
            opening = row["balance"]
        elif row["date"] <= end:
            closing = row["balance"]
    return opening, opening if closing is None else closing


def _self_managed_notice(community, year, quarter, start, end) -> composers.Composed:
    fig = self_managed_figures(community, start, end)
    period = {"committee": community.committee_name, "year": year, "quarter": quarter,
              "start": _cn_date(start), "end": _cn_date(end)}
    paragraphs = [
        _("%(committee)s posts the income and spending of its self-managed funds (cleaning fees, sponsorship, "
          "donations, sale of scrap) in %(year)s, quarter %(quarter)s (%(start)s to %(end)s). Every income has a "
          "numbered receipt; every payment was decided collectively by the joint meeting of the party "
          "committee, the residents' committee and the service station (三委联席会).") % period,
        _("Balance at the start of the quarter %(opening)s yuan; income %(income)s yuan; spending %(spent)s "
          "yuan; balance at the end of the quarter %(closing)s yuan.") % {
            "opening": _money(fig["opening"]), "income": _money(fig["income_total"]),
            "spent": _money(fig["spent_total"]), "closing": _money(fig["closing"])},
    ]
    tables = []
    if fig["income"]:
        tables.append(composers.Table(
            columns=[_("Kind of income"), _("Receipts"), _("Received (yuan)"), _("Reversed (yuan)"),
                     _("Net income (yuan)")],
            caption=_("Income"), numeric=[1, 2, 3, 4],
            rows=[[i["label"], str(i["count"]), _money(i["received"]), _money(i["reversed"]), _money(i["net"])]
                  for i in fig["income"]],
            totals=[_("Total"), str(sum(i["count"] for i in fig["income"])),
                    _money(sum((i["received"] for i in fig["income"]), ZERO)),
                    _money(sum((i["reversed"] for i in fig["income"]), ZERO)), _money(fig["income_total"])]))
    else:
        paragraphs.append(_("No self-managed income was received this quarter."))
    if fig["payments"]:
        rows = []
        for p in fig["payments"]:
            purpose = p["purpose"] if p["kind"] == "paid" else _("Reversal: %(purpose)s") % {"purpose": p["purpose"]}
            rows.append([_cn_date(p["date"]), purpose, p["payee"] or _("An individual"),
                         _cn_date(p["meeting_date"]) if p["meeting_date"] else "—", p["decision"] or "—",
                         _money(p["ceiling"]) if p["ceiling"] is not None else "—", _money(p["amount"])])
        tables.append(composers.Table(
            columns=[_("Paid on"), _("Purpose"), _("Paid to"), _("Joint meeting on"), _("Decision of the joint meeting"),
                     _("Ceiling (yuan)"), _("Amount (yuan)")],
            caption=_("Spending"), numeric=[5, 6], rows=rows,
            totals=[_("Total"), "", "", "", "", "", _money(fig["spent_total"])]))
    else:
        paragraphs.append(_("No self-managed funds were spent this quarter."))
    figures = _raw(fig)
    figures.update({"community": {"id": community.pk, "name": community.name}, "year": year, "quarter": quarter})
    return composers.Composed(
        title=_("%(committee)s: self-managed funds in %(year)s, quarter %(quarter)s") % period,
        paragraphs=paragraphs, tables=tables, closing=_closing(), figures=figures,
        period_start=start, period_end=end, source=None)


def register() -> None:
    composers.register(composers.Composer(
        key="finance.quarter", label=gettext_lazy("Quarterly finance statement"), category=composers.FINANCE,
        rule="FIN-10", subjects=ended_quarters, compose=compose_quarter, order=10))
    composers.register(composers.Composer(
        key="finance.self_managed", label=gettext_lazy("Self-managed funds of a quarter"),
        category=composers.FINANCE, rule="FIN-7", subjects=ended_quarters, compose=compose_self_managed, order=11))
