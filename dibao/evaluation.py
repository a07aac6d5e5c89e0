"""POST-6 items of the dibao chapter: the quarterly reviews (DB-3) and the home visits (DB-4) of a
community's year, from ``services.worklist`` (the quarter's applicants and recipients with their review) and
``services.visited_by_quarter``. Counts only: the figure never names a household. The link is the worklist,
open to whoever ``services.may_see_list`` lets read it (the worklist view's own check)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dibao import rules, services
from dibao.models import Case
from posts.evaluation import Figure, year_end


def _open_to(request) -> bool:
    return services.may_see_list(request.user)


def ended_quarters(year: int, today=None) -> list[str]:
    """The quarters of ``year`` that have ended by 31 December or today (the quarter's last day counts)."""
    last = year_end(year, today)
    return [q for q in (f"{year}-Q{n}" for n in (1, 2, 3, 4)) if rules.quarter_bounds(q)[1] <= last]


def _url(quarters) -> str:
    return f"{reverse('dibao_worklist')}?quarter={quarters[-1]}"


def _no_quarter() -> Figure:
    return Figure("—", None, _("No quarter of the year has ended yet."), reverse("dibao_worklist"),
                  open_to=_open_to)


def reviews(community, year) -> Figure:
    """DB-3: household-quarters reviewed ÷ household-quarters due, over the quarters of the year that have
    ended (up to today). A household-quarter is each row of ``services.worklist`` (every applicant and recipient
    of the quarter); it counts as reviewed when its review was recorded in a convened panel meeting (minutes
    approved, quorum), as ``services.quarter_complete`` requires. Four queries per quarter."""
    quarters = ended_quarters(year, timezone.localdate())
    if not quarters:
        return _no_quarter()
    due = done = 0
    for q in quarters:
        for row in services.worklist([community.pk], q):
            due += 1
            done += int(row["review"] is not None and row["review"].meeting.convened)
    url = _url(quarters)
    n = len(quarters)
    if not due:
        return Figure("—", Decimal(0), _("No applicant or recipient household in the quarters ended."), url,
                      open_to=_open_to)
    return Figure(f"{done} / {due}", Decimal(done) / Decimal(due),
                  ngettext("Household-quarters reviewed in a panel meeting with approved minutes, over the "
                           "%(n)s quarter ended.",
                           "Household-quarters reviewed in a panel meeting with approved minutes, over the "
                           "%(n)s quarters ended.", n) % {"n": n}, url, open_to=_open_to)


def visits(community, year) -> Figure:
    """DB-4: recipient household-quarters with a home visit in the quarter ÷ recipient household-quarters,
    over the quarters of the year that have ended (up to today). The households are the worklist's rows that
    are visited (``Case.ACTIVE``, the rows ``services.worklist`` gives a visit state); the visits from
    ``services.visited_by_quarter``. Four queries per quarter and one."""
    quarters = ended_quarters(year, timezone.localdate())
    if not quarters:
        return _no_quarter()
    visited = services.visited_by_quarter([community.pk], year)
    due = done = 0
    for q in quarters:
        for row in services.worklist([community.pk], q):
            if row["case"].status not in Case.ACTIVE:
                continue
            due += 1
            done += int(row["case"].pk in visited.get(q, ()))
    url = _url(quarters)
    if not due:
        return Figure("—", Decimal(0), _("No household to visit in the quarters ended."), url, open_to=_open_to)
    return Figure(f"{done} / {due}", Decimal(done) / Decimal(due),
                  ngettext("Household-quarters with a home visit in the quarter, over the %(n)s quarter ended.",
                           "Household-quarters with a home visit in the quarter, over the %(n)s quarters ended.",
                           len(quarters)) % {"n": len(quarters)}, url, open_to=_open_to)
