"""Finance work waiting for a person that is not an approval step, for the inbox 待我审批 (committee.inbox).

- the service centre's finance (出纳/财务, a street role): cheques applied for, to issue (FIN-4); approved
  expenses ready to be reimbursed and settled (报销并结清, FIN-5): paid in cash or by transfer, or by a cheque
  that is issued;
- the community's bookkeeper: issued cheques past their settlement day (FIN-4);
- the director and the service-station head: reimbursements with invoices that wait for their signature
  (FIN-5);
- whoever asked for an approved expense: apply for its cheque, or hand in its invoices.

Scoped to the communities the user's roles act for today (committee.scoping, RoleAssignment.for_community);
a fixed number of queries whatever the number of expenses (one per kind of work the user's roles have, plus
the role look-up).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import scoping
from committee.inbox import Source, Task
from committee.models import Role
from finance import rules
from finance.models import Cheque, Expense, Invoice, PaymentMethod


def _money(value) -> str:
    return f"{rules.yuan(value)} 元"


def _role_communities(user, staff, today) -> dict[str, set[int]]:
    """For each role the staff member holds today: the ids of the communities it acts for (a street role with
    no community covers every community of the street office). One query."""
    visible = set(scoping.community_ids(user))
    out: dict[str, set[int]] = {}
    for role, community_id in scoping.roles_on(staff, today):
        if community_id is None:
            ids = visible if staff.community_id is None else set()
        else:
            ids = {community_id} & visible
        out.setdefault(role, set()).update(ids)
    return out


def _issued_cheque():
    return Exists(Cheque.objects.filter(expense=OuterRef("pk"), state=Cheque.State.ISSUED))


def finance_tasks(user):
    """The inbox provider (registered in FinanceConfig.ready): one ``inbox.Source`` per kind of work the
    user's roles have (the inbox reads its rows, the nav badge counts them)."""
    staff = scoping.staff_for(user)
    if staff is None:
        return []
    today = timezone.localdate()
    roles = _role_communities(user, staff, today)
    sources: list[Source] = []
    finance = roles.get(Role.FINANCE, set())
    if finance:
        sources.append(Source(
            Cheque.objects.filter(community_id__in=finance, state=Cheque.State.REQUESTED)
            .select_related("community", "expense", "applied_by").order_by("applied_on", "pk"), _issue_task))
        sources.append(Source(
            Expense.objects.filter(community_id__in=finance, state=Expense.State.APPROVED)
            .annotate(issued=_issued_cheque(),
                      invoiced=Sum("reimbursement__invoices__total", filter=Q(reimbursement__invoices__voided=False)))
            .filter(~Q(method=PaymentMethod.CHEQUE) | Q(issued=True))
            .select_related("community", "requested_by").order_by("approved_on", "pk"), _settle_task))
    keeper = roles.get(Role.BOOKKEEPER, set())
    if keeper:
        sources.append(Source(
            Cheque.objects.filter(community_id__in=keeper, state=Cheque.State.ISSUED, due_on__lt=today)
            .select_related("community", "expense").order_by("due_on", "pk"), _overdue_cheque_task))
    signers = {"director": roles.get(Role.DIRECTOR, set()) if staff.community_id else set(),
               "station_head": roles.get(Role.STATION_HEAD, set()) if staff.community_id else set()}
    if signers["director"] | signers["station_head"]:
        has_invoice = Exists(Invoice.objects.filter(reimbursement__expense=OuterRef("pk"), voided=False))
        open_sign = Q(pk__in=[])
        if signers["director"]:
            open_sign |= Q(community_id__in=signers["director"], reimbursement__signed_director=False)
        if signers["station_head"]:
            open_sign |= Q(community_id__in=signers["station_head"], reimbursement__signed_station_head=False)
        sources.append(Source(
            Expense.objects.filter(open_sign, state=Expense.State.APPROVED)
            .annotate(has_invoice=has_invoice).filter(has_invoice=True)
            .exclude(reimbursement__signed_handler_by=staff)
            .exclude(reimbursement__signed_station_head_by=staff)
            .exclude(reimbursement__signed_director_by=staff)
            .select_related("community", "requested_by").order_by("approved_on", "pk"), _sign_task))
    sources.append(Source(
        Expense.objects.filter(requested_by=staff, state=Expense.State.APPROVED,
                               community_id__in=scoping.community_ids(user))
        .annotate(unsettled=Exists(Cheque.objects.filter(expense=OuterRef("pk"), state__in=Cheque.UNSETTLED)),
                  issued=_issued_cheque(),
                  has_invoice=Exists(Invoice.objects.filter(reimbursement__expense=OuterRef("pk"), voided=False)))
        .filter(has_invoice=False)
        # a cheque applied for and not issued yet waits for finance (their task above), not for the handler
        .exclude(method=PaymentMethod.CHEQUE, unsettled=True, issued=False)
        .select_related("community").order_by("approved_on", "pk"), _handler_task))
    return sources


def _issue_task(c) -> Task:
    return Task(
        kind=_("Cheque"), title=_("Issue the cheque: %(project)s, %(amount)s")
        % {"project": c.project, "amount": _money(c.amount)},
        url=reverse("finance_cheque_issue", args=[c.pk]), action=_("Issue the cheque"), community=c.community,
        details=[(_("Amount"), _money(c.amount)), (_("Fund type"), c.get_fund_type_display()),
                 (_("Applied for by"), f"{c.applied_by.name} · {c.applied_on:%Y-%m-%d}"),
                 (_("Expense"), c.expense.purpose)])


def _settle_task(e) -> Task:
    return Task(
        kind=_("Reimbursement"), title=_("Reimburse and settle: %(purpose)s, %(amount)s")
        % {"purpose": e.purpose, "amount": _money(e.amount)},
        url=reverse("finance_reimbursement", args=[e.pk]), action=_("Reimburse and settle"),
        community=e.community,
        details=[(_("Amount"), _money(e.amount)), (_("Payee"), e.payee),
                 (_("Payment method"), e.get_method_display()),
                 (_("Invoices handed in"), _money(e.invoiced or 0)),
                 (_("Requested by"), e.requested_by.name),
                 (_("Approved on"), f"{e.approved_on:%Y-%m-%d}" if e.approved_on else "—")])


def _overdue_cheque_task(c) -> Task:
    return Task(
        kind=_("Cheque"), title=_("Overdue cheque %(number)s: %(project)s, to be settled by %(day)s")
        % {"number": c.number, "project": c.project, "day": f"{c.due_on:%Y-%m-%d}"},
        url=c.get_absolute_url() + f"#cheque-{c.pk}", action=_("Open the cheque"), community=c.community,
        details=[(_("Amount"), _money(c.amount)), (_("Received by"), c.receiver),
                 (_("To be settled by"), f"{c.due_on:%Y-%m-%d}"),
                 (_("What to do"), _("Hand in the invoices for reimbursement, or return the cheque to "
                                     "finance to void it (FIN-4)."))])


def _sign_task(e) -> Task:
    return Task(
        kind=_("Reimbursement"), title=_("Sign the reimbursement: %(purpose)s, %(amount)s")
        % {"purpose": e.purpose, "amount": _money(e.amount)},
        url=reverse("finance_reimbursement", args=[e.pk]) + "#signatures", action=_("Sign"),
        community=e.community,
        details=[(_("Amount"), _money(e.amount)), (_("Payee"), e.payee), (_("Handler"), e.requested_by.name)])


def _handler_task(e) -> Task:
    if e.method == PaymentMethod.CHEQUE and not e.unsettled:
        title, action = _("Apply for the cheque: %(purpose)s, %(amount)s"), _("Apply for a cheque")
        url = e.get_absolute_url() + "#cheque"
    else:
        title, action = _("Hand in the invoices: %(purpose)s, %(amount)s"), _("Hand in the invoices")
        url = reverse("finance_reimbursement", args=[e.pk]) + "#invoice-form"
    return Task(kind=_("Expense"), title=title % {"purpose": e.purpose, "amount": _money(e.amount)},
                url=url, action=action, community=e.community,
                details=[(_("Amount"), _money(e.amount)), (_("Payee"), e.payee),
                         (_("Payment method"), e.get_method_display())])
