"""What the inbox 待我审批 shows of a public-welfare plan to approve (WEL-2) and of a mid-year change of
projects (WEL-8): built at display time in the reader's language, a fixed number of queries per kind."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from committee.inbox import Card, yuan


def describe_plan(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for welfare.Plan. One query."""
    plans = records.select_related("community", "created_by").annotate(
        n_projects=Count("projects"), total=Sum("projects__budget"))
    return {p.pk: Card(
        kind=_("Public-welfare plan"),
        title=_("%(community)s: public-welfare plan %(year)s") % {"community": p.community.name, "year": p.year},
        url=p.get_absolute_url(),
        fields=[(_("Year"), p.year), (_("Projects"), p.n_projects), (_("Budget"), yuan(p.total or 0)),
                (_("Drawn up by"), p.created_by.name), (_("Residents' opinions"), (p.opinions_note or "—")[:300])],
        figures=[(_("Allotted by the street office"), yuan(p.allotment) if p.allotment is not None else "—")],
    ) for p in plans}


def describe_change(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for welfare.Change. One query for the changes, one for the plans'
    budgets (the WEL-8 share)."""
    changes = list(records.select_related("community", "plan", "source", "target", "requested_by"))
    from welfare.models import Plan

    budgets = dict(Plan.objects.filter(pk__in={c.plan_id for c in changes}).annotate(total=Sum("projects__budget"))
                   .values_list("pk", "total"))
    out = {}
    for c in changes:
        total = budgets.get(c.plan_id) or 0
        share = f"{c.amount * 100 / total:.1f}%" if total else "—"
        out[c.pk] = Card(
            kind=_("Welfare project change"),
            title=_("%(community)s: move %(amount)s from %(source)s to %(target)s") % {
                "community": c.community.name, "amount": yuan(c.amount), "source": c.source.name,
                "target": c.target.name},
            url=c.get_absolute_url(),
            fields=[(_("From project"), c.source.name), (_("To project"), c.target.name),
                    (_("Amount"), yuan(c.amount)), (_("Reason"), c.reason),
                    (_("Requested by"), f"{c.requested_by.name} · {c.requested_on:%Y-%m-%d}")],
            figures=[(_("Share of the welfare budget"), share)],
        )
    return out
