"""The street office's comparison over the last 12 months (issue 17): one figure per community and month,
and the street leader's monthly report.

Every figure reads its 12 months for all communities with grouped queries: the number of queries depends
neither on the number of communities nor on the months (tests/oversight/test_monthly.py checks 2 and 5).
Values are ``None`` where the month has nothing to measure (a rate without a denominator): shown as "—".
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.services import MID_YEAR_PCT, YEAR_END_PCT, threshold

MONTHS = 12
ZERO = Decimal("0")

Month = tuple[int, int]  # (year, month)


def parse_month(text: str | None, today: dt.date) -> Month | None:
    """``YYYY-MM`` → (year, month); None when it is not a month of 2000 up to the current one."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 2000 or (year, month) > (today.year, today.month):
        return None
    return year, month


def last_months(end: Month, n: int = MONTHS) -> list[Month]:
    """The ``n`` months ending with ``end``, oldest first (the table's newest column is on the right)."""
    year, month = end
    out = []
    for _i in range(n):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def first_day(m: Month) -> dt.date:
    return dt.date(m[0], m[1], 1)


def last_day(m: Month) -> dt.date:
    return dt.date(m[0], m[1], pycalendar.monthrange(*m)[1])


def pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    key: str
    label: object
    rule: str
    fn: Callable  # (communities, months, today) -> {community_id: {month: value}}
    percent: bool = False
    money: bool = False
    # WEL-3 thresholds (45% from July, 90% in December) apply to this rate
    thresholds: bool = False
    # ``url(community, month) -> str``: the records behind a cell (narrowed to that community with
    # ``?community=``); None: no list to link to
    url: Callable | None = None
    # ``open_to(user) -> bool``: who may open ``url`` (the page's own check); None: every street office staff
    open_to: Callable | None = None


def _grouped(qs, field: str, communities, months: list[Month], *, datetime: bool = False, value=None) -> dict:
    """{community_id: {month: n}}: ``qs`` counted (or ``value`` summed) per community and month of ``field``."""
    first, last = first_day(months[0]), last_day(months[-1])
    lookup = f"{field}__date" if datetime else field
    rows = (qs.filter(community__in=communities, **{f"{lookup}__gte": first, f"{lookup}__lte": last})
            .annotate(y=ExtractYear(field), m=ExtractMonth(field))
            .values("community_id", "y", "m").annotate(n=value if value is not None else Count("pk")))
    out: dict = defaultdict(dict)
    for r in rows:
        out[r["community_id"]][(r["y"], r["m"])] = r["n"] or 0
    return {c.pk: {m: out[c.pk].get(m, 0) for m in months} for c in communities}


# --- the figures ------------------------------------------------------------------------------------------

def meetings_held(communities, months, today):
    """MTG-1: meetings held (closed or with minutes waiting) in the month, briefings and studies included."""
    from meetings.models import Meeting
    from meetings.reminders import HELD

    return _grouped(Meeting.objects.filter(status__in=HELD), "date", communities, months)


def grid_visits(communities, months, today):
    """GRID-3: home and unit visits of the visit ledger, by the visit's date."""
    from visits.models import Visit

    return _grouped(Visit.objects.all(), "date", communities, months)


def dibao_visits(communities, months, today):
    """DB-4: home visits (入户调查) of dibao households, by the visit's date."""
    from dibao.models import Visit

    return _grouped(Visit.objects.all(), "visited_on", communities, months)


def dibao_reviews(communities, months, today):
    """DB-3: households reviewed by the panel, by the date of the panel meeting."""
    from dibao.models import Review

    return _grouped(Review.objects.all(), "meeting__date", communities, months)


def archive_items(communities, months, today):
    """ARC-1: archive items filed, by the day they were filed."""
    from archives.models import Item

    return _grouped(Item.objects.all(), "filed_at", communities, months, datetime=True)


def seal_uses(communities, months, today):
    """SEAL-2: seal register entries stamped in the month (a later void keeps its stamp date)."""
    from seals.models import SealUse

    return _grouped(SealUse.objects.filter(stamped_at__isnull=False), "stamped_at", communities, months,
                    datetime=True)


def requests_in_time(communities, months, today):
    """GRID-6: of the requests resolved in the month, the share resolved by their committed day (%)."""
    from visits.models import Request

    first, last = first_day(months[0]), last_day(months[-1])
    done: dict = defaultdict(lambda: [0, 0])
    for cid, closed_at, due_on in Request.objects.filter(
            community__in=communities, status=Request.Status.CLOSED, closed_at__date__gte=first,
            closed_at__date__lte=last).values_list("community_id", "closed_at", "due_on"):
        day = timezone.localdate(closed_at)
        cell = done[(cid, (day.year, day.month))]
        cell[1] += 1
        cell[0] += day <= due_on
    return {c.pk: {m: pct(*done[(c.pk, m)]) if (c.pk, m) in done else None for m in months} for c in communities}


def _cumulative_rate(spent_rows, budgets, communities, months):
    """{cid: {month: spent in the month's year up to its end ÷ the year's budget, %}}; ``spent_rows`` are
    (community_id, budget_year, paid_year, paid_month, amount), ``budgets`` {(community_id, year): amount}."""
    spent: dict = defaultdict(lambda: ZERO)
    for cid, year, py, pm, amount in spent_rows:
        spent[(cid, year, (py, pm))] += amount or ZERO
    out = {}
    for c in communities:
        row = {}
        for m in months:
            total = sum((v for (cid, year, paid), v in spent.items()
                         if cid == c.pk and year == m[0] and paid[0] == m[0] and paid <= m), ZERO)
            row[m] = pct(total, budgets.get((c.pk, m[0])))
        out[c.pk] = row
    return out


def finance_execution(communities, months, today):
    """FIN-3 budgets, WEL-3 thresholds: expenses paid from January to the month's end ÷ the year's budget lines
    (every fund type), per community (%)."""
    from finance.models import BudgetLine, Expense

    years = sorted({m[0] for m in months})
    budgets = {(r["community_id"], r["budget__year"]): r["s"] for r in BudgetLine.objects.filter(
        community__in=communities, budget__year__in=years).values("community_id", "budget__year").annotate(
        s=Sum("amount"))}
    rows = (Expense.objects.filter(community__in=communities, state=Expense.State.PAID,
                                   line__budget__year__in=years, paid_on__year__in=years,
                                   paid_on__lte=last_day(months[-1]))
            .annotate(py=ExtractYear("paid_on"), pm=ExtractMonth("paid_on"))
            .values_list("community_id", "line__budget__year", "py", "pm").annotate(s=Sum("amount")))
    return _cumulative_rate(rows, budgets, communities, months)


def welfare_execution(communities, months, today):
    """WEL-3: welfare fund paid from January to the month's end ÷ the budget of the year's approved and
    completed projects, as in ``welfare.services.community_figures`` (%)."""
    from welfare.models import Project, Spending

    years = sorted({m[0] for m in months})
    budgets = {(r["community_id"], r["plan__year"]): r["s"] for r in Project.objects.filter(
        community__in=communities, plan__year__in=years,
        state__in=[Project.State.APPROVED, Project.State.COMPLETED]).values("community_id", "plan__year").annotate(
        s=Sum("budget"))}
    rows = (Spending.objects.filter(community__in=communities, project__plan__year__in=years,
                                    expense__state="paid", expense__paid_on__year__in=years,
                                    expense__paid_on__lte=last_day(months[-1]))
            .exclude(project__state=Project.State.CANCELLED)
            .annotate(py=ExtractYear("expense__paid_on"), pm=ExtractMonth("expense__paid_on"))
            .values_list("community_id", "project__plan__year", "py", "pm").annotate(s=Sum("expense__amount")))
    return _cumulative_rate(rows, budgets, communities, months)


def attendance_months(communities, months, today) -> dict:
    """ATT-5, ATT-6 for every staff member of every community and month, read in one go: staff, register
    lines, leave, the keepers' month starts and the policy (one query each), plus the deduction providers
    (e.g. MTG-5) once per month. {cid: {month: (full, counted, deduction)}}."""
    from attendance import deductions, rules
    from attendance.figures import leave_by_day, month_policy
    from attendance.models import LeaveRequest, RegisterMonth, SignIn
    from committee import calendar, policy
    from committee.models import Staff

    communities = list(communities)
    by_pk = {c.pk: c for c in communities}
    policy.prefetch(communities)
    first, last = first_day(months[0]), last_day(months[-1])
    staff = list(Staff.objects.filter(community__in=communities)
                 .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=last))
                 .filter(Q(left_on__isnull=True) | Q(left_on__gte=first)).order_by("name", "pk"))
    for s in staff:
        s.community = by_pk[s.community_id]  # the policy cache of the prefetched community (MTG-5 reads it)
    ids = [s.pk for s in staff]
    records: dict = defaultdict(dict)
    first_lines: dict = {}
    for staff_id, cid, date, sign_in, sign_out in SignIn.objects.filter(
            Q(staff_id__in=ids) | Q(community__in=communities), date__gte=first, date__lte=last
    ).values_list("staff_id", "community_id", "date", "sign_in", "sign_out"):
        key = (cid, (date.year, date.month))
        if cid in by_pk and (key not in first_lines or date < first_lines[key]):
            first_lines[key] = date
        records[staff_id][date] = rules.Record(sign_in, sign_out)
    leaves = list(LeaveRequest.objects.filter(staff_id__in=ids, start__lte=last, end__gte=first).exclude(
        state__in=[LeaveRequest.State.WITHDRAWN, LeaveRequest.State.REJECTED]))
    started = {(r.community_id, (r.year, r.month)): r.started_on for r in RegisterMonth.objects.filter(
        community__in=communities, year__gte=first.year, year__lte=last.year)}
    policies = {c.pk: month_policy(c) for c in communities}
    now_time = timezone.localtime().time()
    out: dict = {c.pk: {} for c in communities}
    for m in months:
        dates = rules.month_dates(*m)
        mfirst, mlast = dates[0], dates[-1]
        working = {d for d in dates if calendar.is_working_day(d)}
        in_month = [s for s in staff if (s.joined_on is None or s.joined_on <= mlast)
                    and (s.left_on is None or s.left_on >= mfirst)]
        by_day = leave_by_day([lv for lv in leaves if lv.start <= mlast and lv.end >= mfirst], mfirst, mlast)
        extra: dict = defaultdict(list)
        if in_month and mfirst <= today:
            for line in deductions.extra_lines(in_month, *m):
                extra[line["staff_id"]].append(rules.Line(line["reason"], line["rule"], rules.yuan(line["amount"])))
        now = now_time if mfirst <= today <= mlast else None
        for c in communities:
            # ATT-1: the register is kept from its first line or the day the keeper started the month
            line, start = first_lines.get((c.pk, m)), started.get((c.pk, m))
            if line is not None and (not working or line <= min(working)):
                kept = line
            else:
                days = [d for d in (line, start) if d is not None]
                kept = min(days) if days else None
            full = counted = 0
            deduction = ZERO
            for s in in_month:
                if s.community_id != c.pk:
                    continue
                pm = rules.person_month(
                    staff_id=s.pk, name=s.name, wage=s.monthly_wage, dates=dates, working=working, today=today,
                    employed_from=s.joined_on, employed_to=s.left_on,
                    records={d: r for d, r in records.get(s.pk, {}).items() if mfirst <= d <= mlast},
                    leave=by_day.get(s.pk, {}), policy=policies[c.pk], extra_lines=extra.get(s.pk, ()), now=now,
                    kept_from=kept)
                deduction += pm.total_deduction
                if kept is not None and pm.counted_days:
                    counted += 1
                    full += pm.full_attendance
            out[c.pk][m] = (full, counted, deduction)
    return out


def full_attendance_rate(communities, months, today):
    """ATT-5: staff with full attendance ÷ staff with counted days in a month with a register (%)."""
    data = attendance_months(communities, months, today)
    return {cid: {m: pct(full, counted) for m, (full, counted, _d) in row.items()} for cid, row in data.items()}


def attendance_deductions(communities, months, today):
    """ATT-6 (and the other apps' lines, e.g. MTG-5): the month's wage deductions, yuan."""
    data = attendance_months(communities, months, today)
    return {cid: {m: d for m, (_f, _c, d) in row.items()} for cid, row in data.items()}


def _attendance_url(community, m):
    return reverse("attendance_month", args=list(m))


def _finance_url(community, m):
    """FIN-10: the quarter's report of the month (execution runs from January, the report shows it to date)."""
    return reverse("finance_report") + f"?year={m[0]}&quarter={(m[1] - 1) // 3 + 1}"


def _dibao_url(community, m):
    """DB-3 / DB-4: the worklist of the month's quarter (who is reviewed, who was visited)."""
    return reverse("dibao_worklist") + f"?quarter={m[0]}-Q{(m[1] - 1) // 3 + 1}"


def _dibao_open_to(user) -> bool:
    from dibao.services import may_see_list

    return may_see_list(user)


FIGURES: dict[str, Figure] = {f.key: f for f in [
    Figure("att_full", _("Full-attendance rate"), "ATT-5", full_attendance_rate, percent=True, url=_attendance_url),
    Figure("att_deductions", _("Attendance deductions (yuan)"), "ATT-6", attendance_deductions, money=True,
           url=_attendance_url),
    Figure("mtg_held", _("Meetings held"), "MTG-1", meetings_held, url=lambda c, m: reverse("meetings_home")),
    Figure("fin_exec", _("Finance execution rate"), "FIN-3", finance_execution, percent=True, thresholds=True,
           url=_finance_url),
    Figure("wel_exec", _("Welfare fund execution rate"), "WEL-3", welfare_execution, percent=True, thresholds=True,
           url=lambda c, m: reverse("welfare_home")),
    Figure("grid_visits", _("Visits done"), "GRID-3", grid_visits, url=lambda c, m: reverse("visits_home")),
    Figure("dibao_visits", _("Dibao home visits done"), "DB-4", dibao_visits, url=_dibao_url,
           open_to=_dibao_open_to),
    Figure("dibao_reviews", _("Dibao reviews done"), "DB-3", dibao_reviews, url=_dibao_url, open_to=_dibao_open_to),
    Figure("arc_filed", _("Archive items filed"), "ARC-1", archive_items, url=lambda c, m: reverse("archives_home")),
    Figure("seal_uses", _("Seal uses"), "SEAL-2", seal_uses, url=lambda c, m: reverse("seals_home")),
    Figure("req_in_time", _("Requests resolved in time"), "GRID-6", requests_in_time, percent=True,
           url=lambda c, m: reverse("visits_requests") + "?state=closed"),
]}
DEFAULT_FIGURE = "att_full"


def show(value, figure: Figure) -> str:
    if value is None:
        return "—"
    return f"{value}%" if figure.percent else str(value)


def comparison(figure: Figure, communities, end: Month, today: dt.date, user=None) -> dict:
    """The table (a row per community, a cell per month, newest right) and the chart of one figure. A cell
    with a value links to its records in that community's list (``?community=``), for a ``user`` who may open
    that list."""
    from committee import scoping

    communities = list(communities)
    months = last_months(end)
    values = figure.fn(communities, months, today) if communities else {}
    linked = figure.url is not None and (figure.open_to is None or (user is not None and figure.open_to(user)))
    rows = []
    for c in communities:
        cells = []
        for m in months:
            v = values.get(c.pk, {}).get(m)
            below = figure.thresholds and v is not None and v < threshold(last_day(m))
            cells.append({"month": m, "value": v, "text": show(v, figure), "below": below,
                          "url": scoping.for_community(figure.url(c, m), c) if linked and v not in (None, 0)
                          else ""})
        rows.append({"community": c, "cells": cells})
    return {"figure": figure, "months": months, "labels": [f"{y}-{mm:02d}" for y, mm in months], "rows": rows,
            "chart": chart(figure, months, rows)}


# One point every 52 units; the first at 60 leaves room for the scale on the left.
STEP = 52
COLOURS = ("#36a", "#b33", "#070", "#c80", "#639", "#088", "#a50", "#555")


def chart(figure: Figure, months, rows) -> dict:
    """A line chart: a line per community over the 12 months (percent figures on a 0–100 scale with the WEL-3
    lines where they apply, counts and yuan on a scale up to the largest value)."""
    values = [cell["value"] for row in rows for cell in row["cells"] if cell["value"] is not None]
    top = Decimal(100) if figure.percent else max([Decimal(v) for v in values] + [Decimal(1)])

    def y(v):
        return 200 - round(float(min(Decimal(v), top) / top) * 180)

    lines = []
    for i, row in enumerate(rows):
        points = [(60 + j * STEP, y(cell["value"])) for j, cell in enumerate(row["cells"]) if cell["value"] is not None]
        lines.append({"community": row["community"], "colour": COLOURS[i % len(COLOURS)],
                      "points": " ".join(f"{x},{yy}" for x, yy in points), "dots": points,
                      "legend_y": 250 + 16 * i})
    width = 60 + STEP * (len(months) - 1) + 40
    return {"lines": lines, "width": width, "height": 250 + 16 * len(rows) + 8,
            "ticks": [{"x": 60 + j * STEP, "label": f"{m[1]:02d}", "year": f"{m[0]}" if j == 0 or m[1] == 1 else ""}
                      for j, m in enumerate(months)],
            "top": show(top if not figure.percent else 100, figure) if not figure.money else str(top),
            "mid_y": y(MID_YEAR_PCT) if figure.thresholds else None,
            "end_y": y(YEAR_END_PCT) if figure.thresholds else None}


def report(communities, month: Month, today: dt.date, user=None) -> dict:
    """The street leader's monthly report: every figure of the month per community, the overdue items (on the
    day printed) and the WEL-3 line."""
    from committee import reminders

    communities = list(communities)
    months = [month]
    figures = list(FIGURES.values())
    values = {f.key: f.fn(communities, months, today) if communities else {} for f in figures}
    overdue: dict = defaultdict(int)
    for item in reminders.collect(communities, today, user=user):
        if item.is_overdue and item.community:
            overdue[item.community.pk] += 1
    rows = []
    for c in communities:
        rows.append({"community": c, "overdue": overdue.get(c.pk, 0),
                     "cells": [show(values[f.key].get(c.pk, {}).get(month), f) for f in figures]})
    bar = threshold(last_day(month))
    below = [c for c in communities if (v := values["wel_exec"].get(c.pk, {}).get(month)) is not None and v < bar]
    return {"figures": figures, "rows": rows, "month": month, "label": f"{month[0]}-{month[1]:02d}",
            "threshold": bar, "threshold_text": f"{bar}%", "welfare_below": below, "mid_pct": f"{MID_YEAR_PCT}%",
            "end_pct": f"{YEAR_END_PCT}%"}
