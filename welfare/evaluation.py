"""POST-6 item of the welfare chapter: the year's public-welfare projects carried out (WEL-3 / WEL-4 /
WEL-7), from ``services.community_figures`` — the same live figures the welfare home page and its reminders
show.

The combination: three parts, each the share of its rule's requirement reached (capped at 1), averaged with
equal weight:

* WEL-3 spending: paid ÷ budget of the approved projects, against policy ``wel.yearend_spend_pct`` (90%);
* WEL-4 social organisations: the paid spending of social-organisation categories ÷ all paid spending, against
  ``wel.social_org_pct`` (70%); nothing paid yet: 0;
* WEL-7 completion: projects completed ÷ approved projects, against ``wel.completion_pct`` (90%).

In the current year the figures are those of today (spending grows until 31 December)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import policy
from posts.evaluation import Figure
from welfare import services

ONE = Decimal(1)


def attainment(part, whole, need) -> Decimal:
    """The share of the requirement ``need`` (a percentage) that ``part`` ÷ ``whole`` reaches, 0 … 1."""
    if not whole or not need:
        return Decimal(0)
    return min(ONE, Decimal(part) * 100 / (Decimal(whole) * Decimal(need)))


def execution(community, year) -> Figure:
    """WEL-3 / WEL-4 / WEL-7 → POST-6: the mean of the three parts above (see the module's docstring)."""
    url = f"{reverse('welfare_home')}?year={year}"
    if year > timezone.localdate().year:
        return Figure("—", None, _("The year has not begun."), url)
    f = services.community_figures([community], year)[community.pk]
    if f["plan"] is None or not f["projects"]:
        return Figure("—", Decimal(0), _("No approved public-welfare project this year."), url)
    p = policy.get_many(community, "wel.yearend_spend_pct", "wel.social_org_pct", "wel.completion_pct")
    parts = (attainment(f["spent"], f["budget"], p["wel.yearend_spend_pct"]),
             attainment(f["social"], f["spent"], p["wel.social_org_pct"]),
             attainment(f["completed"], f["projects"], p["wel.completion_pct"]))
    score = sum(parts, Decimal(0)) / len(parts)
    value = _("%(spent)s%% spent, %(social)s%% to social organisations, %(done)s of %(n)s completed") % {
        "spent": f["spent_pct"] or 0, "social": f["social_spent_pct"] or 0, "done": f["completed"],
        "n": f["projects"]}
    return Figure(value, score,
                  _("The mean of three shares of their requirement reached: spending of the budget, the spending "
                    "to social organisations, and the projects completed."), url)
