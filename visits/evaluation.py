"""POST-6: the grid chapter's items of the annual evaluation, computed by the chapter's own functions.

- ``quotas(community, year)`` — GRID-5: the share of the year's required visit time met, from
  ``visits.quotas.year_totals`` (the weekly quota rules of ``quotas.weekly``, week by week);
- ``requests(community, year)`` — GRID-6: the share of the year's residents' requests resolved within their
  committed time limit, from ``visits.services.request_figures`` (the monthly figures page's counts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from posts.evaluation import Figure, year_end


def _hours(minutes: int) -> str:
    from visits.rules import hours_text

    return hours_text(minutes)


def quotas(community, year) -> Figure:
    """GRID-5: visit time met ÷ visit time required, summed over every director, deputy and member and every
    week of the year that has ended (up to today), each week capped at its requirement."""
    from visits import quotas as grid_quotas

    today = timezone.localdate()
    url = reverse("visits_quotas")
    if today < dt.date(year, 1, 1):
        return Figure("—", None, _("The year has not begun."), url)
    # a week belongs to the year of its Monday and counts once it has ended (the last may end in January)
    rows = grid_quotas.year_totals(community, year, today)
    required = sum(r.required for r in rows)
    met = sum(r.done for r in rows)
    if not required:
        return Figure("—", None, _("No week of this year with visits owed has ended yet."), url)
    return Figure(_("%(met)s of %(required)s hours") % {"met": _hours(met), "required": _hours(required)},
                  Decimal(met) / Decimal(required),
                  _("Visit hours logged against the weekly quotas of the directors, deputies and members, over "
                    "the weeks ended this year; a week's extra hours do not make up another week."), url)


def requests(community, year) -> Figure:
    """GRID-6: requests resolved within their time limit ÷ requests received in the year whose outcome is
    known (resolved, or open past the limit); requests still open within their limit are not counted yet."""
    from visits.services import request_figures

    today = timezone.localdate()
    url = reverse("visits_figures")
    if today < dt.date(year, 1, 1):
        return Figure("—", None, _("The year has not begun."), url)
    counts = request_figures([community], dt.date(year, 1, 1), year_end(year, today), today)[community.pk]
    decided = counts["in_time"] + counts["late"] + counts["overdue"]
    if not decided:
        detail = (_("%(n)s requests are still within their time limit.") % {"n": counts["open"]}
                  if counts["open"] else _("No request was received this year."))
        return Figure("—", None, detail, url)
    return Figure(_("%(ok)s of %(n)s in time") % {"ok": counts["in_time"], "n": decided},
                  Decimal(counts["in_time"]) / Decimal(decided),
                  _("Requests of the year resolved within their committed time limit, among those resolved or "
                    "past their limit; those still within their limit are not counted yet."), url)
