"""DB-5: the quarter's results composed for the disclosure chapter (DIS-4), minimised (DIS-5): per
recipient household only the head's masked name, the number of covered members and the monthly amount.
No ID number, no address beyond the building, no reasons, no income or medical detail."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.money import to_yuan
from dibao import rules, services
from dibao.models import Case, CaseMember, Review


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明 (first and last character kept)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def subjects(community, day: dt.date):
    """The ended quarters of the last two years, newest first."""
    from disclosure.composers import Subject

    out = []
    key = rules.previous_quarter(rules.quarter_of(day))
    for _i in range(8):
        out.append(Subject(key, rules.quarter_label(key)))
        key = rules.previous_quarter(key)
    return out


def compose(community, subject_key: str, acting_user):
    from disclosure.composers import Composed, Table

    try:
        start, end = rules.quarter_bounds(subject_key)
    except ValueError:
        raise ValidationError({"subject": _("Choose a quarter, e.g. 2026-Q3.")}) from None
    if end >= timezone.localdate():
        raise ValidationError({"subject": _("%(q)s has not ended; its results are posted after it ends (DB-5).")
                               % {"q": rules.quarter_label(subject_key)}})
    complete, problems = services.quarter_complete(community, subject_key)
    if not complete:
        raise ValidationError({"subject": _("The quarter's reviews are incomplete: %(why)s")
                               % {"why": " ".join(problems)}})
    reviews = list(Review.objects.filter(community=community, quarter=subject_key,
                                         decision=Review.Decision.APPROVE)
                   .select_related("case__household__building").order_by("case__household__building__name", "pk"))
    heads = {m.case_id: m.person.name for m in CaseMember.objects.filter(
        case_id__in=[r.case_id for r in reviews], relation="head").select_related("person").order_by("pk")}
    rows, total = [], 0
    for r in reviews:
        building = r.case.household.building.name if r.case.household.building else ""
        rows.append([mask_name(heads.get(r.case_id, "")), building, str(r.covered), f"{to_yuan(r.amount):,.2f}"])
        total += r.amount
    label = rules.quarter_label(subject_key)
    table = Table(columns=[_("Head of household"), _("Building"), _("Covered members"), _("Monthly amount (yuan)")],
                  rows=rows, numeric=[2, 3],
                  totals=[_("Total"), "", str(sum(r.covered for r in reviews)), f"{to_yuan(total):,.2f}"])
    return Composed(
        title=_("Dibao recipients, %(q)s") % {"q": label},
        paragraphs=[_("After the quarterly review by the community's dibao review panel, the following households "
                      "receive the minimum living allowance in %(q)s. Residents who have objections may tell the "
                      "community committee or the street office during the posting period.") % {"q": label}],
        tables=[table],
        closing=[_("Hereby announced.")],
        figures={"quarter": subject_key, "households": len(rows), "covered": sum(r.covered for r in reviews),
                 "total": str(total)},
        period_start=start, period_end=end,
    )


def register():
    from django.utils.translation import gettext_lazy

    from disclosure import composers

    composers.register(composers.Composer(
        key="dibao.quarter", label=gettext_lazy("Quarterly dibao results"), category=composers.DIBAO,
        rule="DB-5", subjects=subjects, compose=compose, order=30,
    ))


__all__ = ["Case", "compose", "subjects", "mask_name", "register"]
