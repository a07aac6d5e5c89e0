"""POST-6: the annual target-responsibility evaluation (目标管理责任书考评) of a community, filled from the
records of every chapter.

The registry
------------
Each chapter contributes an item of the score sheet::

    from posts import evaluation

    evaluation.register_item("dibao.reviews", _("Quarterly dibao reviews done"), "DB-3", compute,
                             default_weight=Decimal("10"), order=50)

``compute(community, year) -> Figure(value, score, detail, url)``:

* ``value`` — the figure as shown (text: "11 / 12 person-months", "3 of 4 quarters");
* ``score`` — the share of the item's weight earned, a Decimal from 0 to 1 (None: not available);
* ``detail`` — one sentence saying how it was counted;
* ``url`` — the page of the records behind the figure (the chapter's own page).

The street office sets each item's weight (``ItemWeight``, ``services.set_weights``); the weights add up to
the sheet's total (policy ``post.eval_total``, 100). An item earns weight × score points. The ATT-8
inspections that found a problem deduct their share (10%) of the total; the street office adds its own
marks with reasons (``Mark``).

Items of chapters that are not on this branch yet are registered with ``register_pending(key, label, rule,
app, function)``: they show "not yet available" until the app is installed and provides ``function``
(a dotted path, same signature as ``compute``). See docs/posts.md for the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posts import rules

ZERO = Decimal("0")


@dataclass
class Figure:
    value: str
    score: Decimal | None
    detail: str = ""
    url: str = ""
    # who may open ``url``: ``open_to(request) -> bool`` (the linked page's own check); None: all staff
    open_to: Callable | None = field(default=None, compare=False, repr=False)

    @property
    def available(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Item:
    key: str
    label: object
    rule: str
    compute: Callable[..., Figure]
    default_weight: Decimal = ZERO
    order: int = 100
    app: str = ""  # the chapter's app; empty: always available


_items: dict[str, Item] = {}


def register_item(key: str, label, rule: str, compute: Callable[..., Figure], *, default_weight=ZERO,
                  order: int = 100, app: str = "") -> Item:
    item = Item(key, label, rule, compute, Decimal(default_weight), order, app)
    _items[key] = item
    return item


def unavailable(reason: str = "") -> Figure:
    return Figure(_("not yet available"), None, reason or _("This chapter is not installed yet."), "")


def register_pending(key: str, label, rule: str, *, app: str, function: str, default_weight=ZERO,
                     order: int = 100) -> Item:
    """An item of a chapter that may not be installed: ``function`` (dotted path) computes it once the app
    exists; until then the sheet says "not yet available" and the item earns nothing."""

    def compute(community, year):
        if not apps.is_installed(app):
            return unavailable()
        try:
            fn = import_string(function)
        except ImportError:
            return unavailable(_("The chapter does not provide this figure yet."))
        return fn(community, year)

    return register_item(key, label, rule, compute, default_weight=default_weight, order=order, app=app)


def items() -> list[Item]:
    return sorted(_items.values(), key=lambda i: (i.order, i.key))


def get(key: str) -> Item | None:
    return _items.get(key)


def year_end(year: int, today: dt.date | None = None) -> dt.date:
    """The last day counted: 31 December, or today in the current year."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


# --- the items whose chapters are on this branch ------------------------------------------------------


def attendance_full(community, year) -> Figure:
    """ATT-5: the full-attendance rate of the year: person-months with full attendance among the person-months
    counted (months with a register, up to today), from ``attendance.figures.community_month``."""
    from attendance import figures
    from attendance.services import oversees

    today = timezone.localdate()
    last = year_end(year, today)
    if last < dt.date(year, 1, 1):
        return Figure("—", None, _("The year has not begun."), "")
    full = counted = 0
    for month in range(1, last.month + 1):
        cm = figures.community_month(community, year, month, today=today)
        if not cm.recorded:
            continue
        for p in cm.people:
            if p.recorded and p.counted_days:
                counted += 1
                full += int(p.full_attendance)
    url = reverse("attendance_month", args=[year, last.month])
    if not counted:
        return Figure("—", Decimal(0), _("No attendance was recorded this year."), url,
                      open_to=lambda request: oversees(request.user, community))
    return Figure(f"{full} / {counted}", Decimal(full) / Decimal(counted),
                  _("Person-months with full attendance among the months recorded."), url,
                  open_to=lambda request: oversees(request.user, community))


def meetings_cadence(community, year) -> Figure:
    """MTG-11: bodies with a cadence that are not overdue at the year's end (or today), from
    ``meetings.reminders.body_status``."""
    from committee import reminders as core_reminders
    from meetings.reminders import body_status

    day = year_end(year)
    rows = body_status([community], day)
    url = reverse("meetings_home")
    if not rows:
        return Figure("—", Decimal(0), _("No body with a cadence is set up."), url)
    overdue = sum(1 for *_r, state in rows if state == core_reminders.OVERDUE)
    on_time = len(rows) - overdue
    return Figure(_("%(ok)s of %(n)s bodies on time") % {"ok": on_time, "n": len(rows)},
                  Decimal(on_time) / Decimal(len(rows)),
                  _("Meetings held against their cadence: a body is overdue when its period passed without a "
                    "convened meeting."), url)


def finance_execution(community, year) -> Figure:
    """FIN-3 / FIN-10: the budget executed by the year's end: spent to date ÷ budget, from
    ``finance.services.quarter_figures(community, year, 4)``."""
    from finance.services import quarter_figures

    totals = quarter_figures(community, year, 4)["totals"]
    url = reverse("finance_home")
    budget, spent = totals["budget"], totals["spent_to_date"]
    if not budget:
        return Figure("—", Decimal(0), _("No budget for this year."), url)
    rate = spent / budget
    return Figure(f"{(rate * 100).quantize(Decimal('0.1'))}%", min(rate, Decimal(1)),
                  _("Spent of the year's budget."), url)


def att8_points(community, year, total: Decimal) -> tuple[Decimal, Decimal]:
    """ATT-8 → POST-6: (percentage points, points deducted) from ``attendance.figures.score_deductions``."""
    from attendance.figures import score_deductions

    pct = score_deductions(community, year)
    return pct, rules.att8_deduction(total, pct)


register_item("attendance.full", gettext_lazy("Full attendance"), "ATT-5", attendance_full,
              default_weight=15, order=10, app="attendance")
register_item("meetings.cadence", gettext_lazy("Meetings held against their cadence"), "MTG-11",
              meetings_cadence, default_weight=15, order=20, app="meetings")
register_item("finance.execution", gettext_lazy("Budget executed"), "FIN-10", finance_execution,
              default_weight=10, order=30, app="finance")

# --- chapters being built in parallel: wired by the lead after merging ----------------------------------
PENDING = (
    # key, label, rule, app, function the chapter provides, default weight, order
    ("disclosure.on_time", gettext_lazy("Disclosure on time"), "DIS-2", "disclosure",
     "disclosure.evaluation.on_time", 10, 40),
    ("dibao.reviews", gettext_lazy("Quarterly dibao reviews done"), "DB-3", "dibao",
     "dibao.evaluation.reviews", 10, 50),
    ("dibao.visits", gettext_lazy("Dibao household visits done"), "DB-4", "dibao",
     "dibao.evaluation.visits", 5, 55),
    ("welfare.execution", gettext_lazy("Welfare projects carried out"), "WEL-7", "welfare",
     "welfare.evaluation.execution", 10, 60),
    ("archives.filed", gettext_lazy("Archives filed by March"), "ARC-2", "archives",
     "archives.evaluation.filed", 5, 70),
    ("visits.quotas", gettext_lazy("Visit quotas met"), "GRID-5", "visits", "visits.evaluation.quotas", 10, 80),
    ("visits.requests", gettext_lazy("Residents' requests solved in time"), "GRID-6", "visits",
     "visits.evaluation.requests", 10, 90),
)
for _key, _label, _rule, _app, _fn, _w, _order in PENDING:
    register_pending(_key, _label, _rule, app=_app, function=_fn, default_weight=_w, order=_order)


# --- the sheet ------------------------------------------------------------------------------------


@dataclass
class Row:
    item: Item
    weight: Decimal
    figure: Figure
    points: Decimal | None


@dataclass
class Person:
    staff: object
    mtg5_ineligible: bool
    att7_flagged: bool
    grade: str
    eligible: bool

    @property
    def grade_label(self) -> str:
        from posts.models import Grade

        return str(Grade(self.grade).label) if self.grade in Grade.values else ""


@dataclass
class Sheet:
    community: object
    year: int
    total: Decimal
    rows: list[Row]
    att8_pct: Decimal
    att8_points: Decimal
    marks: list = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    @property
    def earned(self) -> Decimal:
        return sum((r.points for r in self.rows if r.points is not None), ZERO)

    @property
    def available_weight(self) -> Decimal:
        return sum((r.weight for r in self.rows if r.points is not None), ZERO)

    @property
    def pending(self) -> list[Row]:
        return [r for r in self.rows if r.points is None]

    @property
    def marks_total(self) -> Decimal:
        return sum((m.points for m in self.marks if not m.voided), ZERO)

    @property
    def score(self) -> Decimal:
        return rules.round_points(self.earned - self.att8_points + self.marks_total)


def weights_for(street_office) -> dict[str, Decimal]:
    """The street office's weights (``ItemWeight``); the registry's defaults while it has set none."""
    from posts.models import ItemWeight

    rows = dict(ItemWeight.objects.filter(street_office=street_office).values_list("key", "weight"))
    if rows:
        return {i.key: rows.get(i.key, ZERO) for i in items()}
    return {i.key: i.default_weight for i in items()}


def total_for(community) -> Decimal:
    from committee import policy

    return Decimal(policy.get(community, "post.eval_total"))


def people(community, year) -> list[Person]:
    """POST-6: award eligibility per person: MTG-5 (two regular meetings in a row missed) and ATT-7 (a
    resignation flag) from their chapters' services; a grade 不称职 of the year (POST-4)."""
    from attendance.figures import staff_of_month, yearly_flags
    from meetings.deductions import award_ineligible
    from posts.models import Review

    staff = list(staff_of_month(community, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    mtg5 = award_ineligible(staff, year)
    att7 = yearly_flags([community], year)
    grades: dict[int, str] = {}
    for staff_id, grade in Review.objects.filter(community=community, year=year).exclude(grade="").values_list(
            "holding__staff_id", "grade"):
        if grades.get(staff_id) != "incompetent":
            grades[staff_id] = grade
    out = []
    for s in staff:
        m, a, g = bool(mtg5.get(s.pk)), bool(att7.get(s.pk)), grades.get(s.pk, "")
        out.append(Person(s, m, a, g, rules.award_eligible(mtg5_ineligible=m, att7_flagged=a, grade=g)))
    return out


def sheet(community, year, *, with_people: bool = True) -> Sheet:
    """The live score sheet of a community's year, every figure from its chapter's service."""
    from posts.models import Mark

    weights = weights_for(community.street_office)
    total = total_for(community)
    rows = []
    for item in items():
        figure = item.compute(community, year)
        weight = weights.get(item.key, ZERO)
        rows.append(Row(item, weight, figure, rules.item_points(weight, figure.score)))
    pct, deducted = att8_points(community, year, total)
    marks = list(Mark.objects.filter(evaluation__community=community, evaluation__year=year)
                 .select_related("given_by"))
    return Sheet(community, year, total, rows, pct, deducted, marks, people(community, year) if with_people else [])


def freeze(s: Sheet) -> dict:
    """The figures of a closed evaluation, kept as they were (JSON)."""
    return {
        "total": str(s.total), "score": str(s.score), "earned": str(s.earned),
        "att8_pct": str(s.att8_pct), "att8_points": str(s.att8_points), "marks_total": str(s.marks_total),
        "rows": [{"key": r.item.key, "weight": str(r.weight), "value": r.figure.value,
                  "score": None if r.figure.score is None else str(r.figure.score),
                  "points": None if r.points is None else str(r.points)} for r in s.rows],
    }
