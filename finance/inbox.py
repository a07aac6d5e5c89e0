"""What the inbox 待我审批 shows of an expense to approve (FIN-2, FIN-3): built at display time in the
reader's language, with the budget line's remaining amount and the same payee's expenses of the last 30
days (a split may hide behind several small ones). Four queries whatever the number of expenses."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee.inbox import Card, yuan
from finance import services
from finance.models import BudgetLine, Expense, PurchaseItem

RECENT_SHOWN = 5


def describe(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for Expense."""
    expenses = list(
        records.select_related("line__budget", "community", "requested_by", "purchaser_member", "purchaser_station")
        .prefetch_related(Prefetch("purchase_items", queryset=PurchaseItem.objects.order_by("pk")))
    )
    if not expenses:
        return {}
    lines = {ln.pk: ln for ln in services.lines_with_figures(
        BudgetLine.objects.filter(pk__in={e.line_id for e in expenses}))}
    since = min(e.requested_on for e in expenses) - dt.timedelta(days=services.SPLIT_DAYS)
    recent_rows = (Expense.objects.filter(community_id__in={e.community_id for e in expenses},
                                          payee__in={e.payee for e in expenses}, state__in=services.LIVE_STATES,
                                          requested_on__range=(since, max(e.requested_on for e in expenses)))
                   .order_by("-requested_on", "-pk").only("pk", "community_id", "payee", "purpose", "amount",
                                                          "requested_on"))
    by_payee = defaultdict(list)
    for r in recent_rows:
        by_payee[(r.community_id, r.payee)].append(r)
    out = {}
    for e in expenses:
        line = lines.get(e.line_id)
        window = e.requested_on - dt.timedelta(days=services.SPLIT_DAYS)
        recent = [r for r in by_payee[(e.community_id, e.payee)]
                  if r.pk != e.pk and window <= r.requested_on <= e.requested_on]
        amount = yuan(e.amount)
        if e.beyond_budget:
            amount += " · " + _("beyond the budget line (FIN-3)")
        fields = [
            (_("Purpose"), e.purpose),
            (_("Amount"), amount),
            (_("Budget line"), f"{e.line.budget} · {e.line.name}"),
            (_("Payee"), e.payee + (f" ({_('individual')})" if e.payee_is_person else "")),
            (_("Payment method"), e.get_method_display()),
            (_("Requested by"), f"{e.requested_by.name} · {e.requested_on.isoformat()}"),
        ]
        items = list(e.purchase_items.all())
        if items:
            fields.append((_("Items"), "；".join(f"{i.item} × {i.quantity:g} @ {yuan(i.unit_price)}" for i in items)))
        figures = []
        if line is not None:
            figures.append((_("Remaining on the budget line (paid and approved deducted)"), yuan(line.remaining)))
            figures.append((_("Remaining after this expense"), yuan(line.remaining - e.amount)))
        total = sum((r.amount for r in recent), services.ZERO)
        figures.append((
            _("Same payee, last %(days)s days") % {"days": services.SPLIT_DAYS},
            ngettext("%(n)s other expense, %(total)s", "%(n)s other expenses, %(total)s", len(recent))
            % {"n": len(recent), "total": yuan(total)},
        ))
        for r in recent[:RECENT_SHOWN]:
            figures.append((r.requested_on.isoformat(), f"{r.purpose} · {yuan(r.amount)}"))
        out[e.pk] = Card(
            kind=_("Expense"),
            title=_("%(purpose)s: %(amount)s to %(payee)s") % {"purpose": e.purpose, "amount": yuan(e.amount),
                                                             "payee": e.payee},
            url=e.get_absolute_url(),
            fields=fields,
            attachments=([(os.path.basename(e.attachment.name), reverse("finance_expense_attachment", args=[e.pk]))]
                         if e.attachment else []),
            figures=figures,
        )
    return out
