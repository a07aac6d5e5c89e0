"""Finance reminders for the dashboard: cheques to settle (FIN-4), cash notices (FIN-6), audits (FIN-9)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from committee import policy, reminders
from committee.reminders import DUE, OVERDUE


@reminders.register
def cheques_to_settle(communities, day):
    """FIN-4: an issued cheque is settled within 10 working days; overdue after."""
    from finance.models import Cheque

    for cheque in Cheque.objects.filter(community__in=communities, state=Cheque.State.ISSUED).select_related(
            "community"):
        state = reminders.state_for(cheque.due_on, day, warn_days=3)
        if state:
            yield reminders.Reminder(
                community=cheque.community,
                title=_("Cheque %(number)s (%(amount)s yuan) to be settled") % {"number": cheque.number,
                                                                              "amount": cheque.amount},
                rule="FIN-4", due=cheque.due_on, state=state, url=cheque.get_absolute_url(),
                detail=_("No new cheque for this community until it is settled."))


@reminders.register
def cash_notices(communities, day):
    """FIN-6: an approved cash payment above 1000 yuan whose notice to finance is not recorded."""
    from finance.models import Expense, PaymentMethod

    policy.prefetch(communities)
    for e in Expense.objects.filter(community__in=communities, state=Expense.State.APPROVED,
                                    method=PaymentMethod.CASH, finance_notified_on__isnull=True).select_related(
            "community"):
        if e.amount > policy.get(e.community, "fin.cash_notice_above"):
            yield reminders.Reminder(
                community=e.community, title=_("Tell finance a day ahead: cash %(amount)s yuan for %(purpose)s")
                % {"amount": e.amount, "purpose": e.purpose}, rule="FIN-6", due=day, state=DUE,
                url=e.get_absolute_url())


@reminders.register
def audits_due(communities, day):
    """FIN-9: the half-yearly internal audit of the last period, and departure audits of directors and
    bookkeepers whose role ended."""
    from finance import rules, services
    from finance.models import Audit

    communities = list(communities)
    policy.prefetch(communities)
    done, audited = set(), set()
    for kind, community_id, period_end, assignment_id in (
            Audit.objects.filter(Q(community__in=communities, kind=Audit.Kind.PERIODIC)
                                 | Q(kind=Audit.Kind.DEPARTURE, role_assignment__community__in=communities))
            .values_list("kind", "community_id", "period_end", "role_assignment_id")):
        if kind == Audit.Kind.PERIODIC:
            done.add((community_id, period_end))
        else:
            audited.add(assignment_id)
    for community in communities:
        start, end = rules.half_year_periods(day, policy.get(community, "fin.audit_months"))
        if (community.pk, end) not in done:
            due = end + dt.timedelta(days=31)
            state = reminders.state_for(due, day, warn_days=31)
            if state:
                yield reminders.Reminder(
                    community=community, title=_("Internal audit of %(start)s – %(end)s") % {
                        "start": start.isoformat(), "end": end.isoformat()},
                    rule="FIN-9", due=due, state=state, url=reverse("finance_audit_list"))
    for ra in services.departures_due(communities, day, assignments=reminders.assignments(communities, day),
                                      audited=audited):  # the year back is inside the window of assignments
        yield reminders.Reminder(
            community=ra.community, title=_("Departure audit: %(name)s (%(role)s) left on %(day)s") % {
                "name": ra.staff.name, "role": ra.get_role_display(), "day": ra.end.isoformat()},
            rule="FIN-9", due=ra.end, state=OVERDUE if day > ra.end + dt.timedelta(days=30) else DUE,
            url=reverse("finance_audit_list"))
