"""Finance pages. Thin: parse, call a service, show its error, redirect (POST-redirect-GET)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import approvals, calendar, files, money, navigation, printing, scoping
from committee.feedback import flash_errors, form_errors
from committee.models import Role
from committee.scoping import get_for_user, roles_required, staff_for, staff_required, street_office_required
from finance import forms, rules, services
from finance.models import (
    Audit,
    Budget,
    BudgetLine,
    Cheque,
    Expense,
    FundDecision,
    FundType,
    Invoice,
    PaymentMethod,
    Receipt,
    Reimbursement,
)

KEEPERS = (Role.DIRECTOR, Role.PARTY_SECRETARY, Role.BOOKKEEPER)
# The expense list shows 50 rows a page, newest first (a phone shows one page; the admin shows 100)
LIST_PAGE_SIZE = 50


def _errors(request, error: ValidationError, form=None) -> None:
    """Show a service's ValidationError: on the form's fields where it names one (or above the form when
    there is a form), else as messages. A refusal because of an unsettled cheque links to that cheque."""
    cheque = getattr(error, "cheque", None)
    if cheque is not None:
        messages.error(request, format_html('{} <a href="{}">{}</a>', error.messages[0], _cheque_url(cheque),
                                            _("Open the cheque that blocks it")))
    elif form is not None:
        form_errors(form, error)
    else:
        flash_errors(request, error)


def _cheque_url(cheque) -> str:
    return f"{cheque.get_absolute_url()}#cheque-{cheque.pk}"


def _mark_invalid(*forms_) -> None:
    """aria-invalid on every field with an error, so the browser and screen readers point at it."""
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs["aria-invalid"] = "true"


def _first_waiting_step(record) -> str:
    step = approvals.steps_for(record).filter(status="pending").order_by("step").first()
    return step.label if step else ""


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


# --- home and budgets ----------------------------------------------------------------------------


@staff_required
def home(request):
    """Staff: this year's budgets with spent, committed and remaining; cheques, waiting expenses."""
    year = _year(request)
    communities = list([scoping.current_community(request)] if scoping.current_community(request)
                       else scoping.communities(request.user))
    lines = services.lines_with_figures(BudgetLine.objects.filter(community__in=communities, budget__year=year))
    per_budget = defaultdict(lambda: {"amount": 0, "spent": 0, "committed": 0, "waiting": 0, "remaining": 0})
    for line in lines.values("budget_id", "amount", "spent", "committed", "waiting", "remaining"):
        row = per_budget[line["budget_id"]]
        for key in ("amount", "spent", "committed", "waiting", "remaining"):
            row[key] += line[key]
    order = {value: i for i, value in enumerate(FundType.values)}
    budgets = sorted(Budget.objects.filter(community__in=communities, year=year).select_related("community"),
                     key=lambda b: (b.community.name, order.get(b.fund_type, 9)))
    for b in budgets:
        b.figures = per_budget[b.pk]
    cheques = list(Cheque.objects.filter(community__in=communities, state__in=Cheque.UNSETTLED)
                   .select_related("community", "expense"))
    today = timezone.localdate()
    for c in cheques:
        c.overdue = bool(c.due_on and c.due_on < today)
    waiting = Expense.objects.filter(community__in=communities, state=Expense.State.PENDING).count()
    to_pay = Expense.objects.filter(community__in=communities, state=Expense.State.APPROVED).count()
    return render(request, "finance/home.html", {
        "year": year, "budgets": budgets, "cheques": cheques, "waiting": waiting, "to_pay": to_pay,
        "single": len(communities) == 1, "can_keep": _can_keep(request),
        "can_set": scoping.is_street_staff(request.user) and scoping.has_any_role(request.user,
                                                                                 services.BUDGET_SETTERS),
        "can_watch": scoping.is_street_staff(request.user),
    })


def _can_keep(request) -> bool:
    return scoping.is_street_staff(request.user) or scoping.has_any_role(request.user, KEEPERS)


def _require(request, *roles, street=True) -> None:
    """Called after the object was found in the user's scope (another community's object is a 404 first):
    the user must hold one of ``roles`` today, or be street-office staff when ``street``."""
    if street and scoping.is_street_staff(request.user):
        return
    if not scoping.has_any_role(request.user, roles):
        raise PermissionDenied


@roles_required(*services.BUDGET_SETTERS, street_office=False)
def budget_create(request):
    """The street office's finance or department head: open a year's budget of one fund type (CTL-4)."""
    community = scoping.community_for_write(request)
    if community is None:
        return scoping.choose_community_page(request, _("Finance"))
    form = forms.BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.create_budget(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Budget opened: now add its lines."))
            return redirect(budget)
    return render(request, "committee/form.html", {"form": form, "title": _("New budget · %(c)s") % {"c": community},
                                                   "back": "finance_home"})


@staff_required
def budget_detail(request, pk):
    """Staff who may see the community: a budget's lines with spent, committed, waiting and remaining
    (fixed number of queries whatever the number of expenses)."""
    budget = get_for_user(Budget.objects.select_related("community"), request.user, pk=pk)
    return _budget_page(request, budget)


def _budget_page(request, budget, line_form=None):
    lines = list(services.lines_with_figures(budget.lines.all()).order_by("name"))
    totals = {k: sum((getattr(line, k) for line in lines), 0) for k in ("amount", "spent", "committed", "waiting",
                                                                         "remaining")}
    _mark_invalid(line_form)
    return render(request, "finance/budget.html", {
        "budget": budget, "lines": lines, "totals": totals, "line_form": line_form or forms.LineForm(),
        "can_set": services.may_set_budgets(scoping.staff_for(request.user), budget.community),
        "changes": list(services.line_changes(budget))})


@require_POST
@staff_required
def line_add(request, pk):
    """The street office's finance or department head: add a line to a budget (CTL-4)."""
    budget = get_for_user(Budget, request.user, pk=pk)
    _require(request, *services.BUDGET_SETTERS, street=False)
    form = forms.LineForm(request.POST)
    if form.is_valid():
        try:
            services.add_line(budget=budget, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Budget line added: the community can now ask for expenses on it."))
            return redirect(budget)
    return _budget_page(request, budget, line_form=form)  # what was typed stays, the error beside its field


@staff_required
def line_change(request, pk):
    """The street office's finance or department head: change a line's amount, with a reason (CTL-4)."""
    line = get_for_user(BudgetLine.objects.select_related("budget"), request.user, pk=pk)
    _require(request, *services.BUDGET_SETTERS, street=False)
    form = forms.LineChangeForm(request.POST or None, initial={"amount": line.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_line_amount(line=line, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Budget line changed."))
            return redirect(line.budget)
    return render(request, "committee/form.html", {"form": form, "title": str(line), "back_obj": line.budget})


# --- expenses ------------------------------------------------------------------------------------


@staff_required
def expense_list(request):
    """Staff: expenses of their community (street office: of the chosen or all communities)."""
    qs = scoping.scope_to_current(Expense.objects.all(), request).select_related("community", "line__budget",
                                                                                  "requested_by")
    state = request.GET.get("state") or ""
    if state in Expense.State.values:
        qs = qs.filter(state=state)
    line = request.GET.get("line") or ""
    if line.isdigit():
        qs = qs.filter(line_id=int(line))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(purpose__icontains=q) | Q(payee__icontains=q))
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))  # Meta ordering: newest first
    return render(request, "finance/expense_list.html", {
        "expenses": page, "page": page, "states": Expense.State.choices, "state": state, "q": q})


def _purchase_rows(form):
    return form.cleaned_data.pop("items", []) or []


@staff_required
def expense_create(request):
    """Staff: ask for an expense; the routing (FIN-2, FIN-3, FIN-6) is shown on the next page."""
    community = scoping.community_for_write(request)
    if community is None:
        return scoping.choose_community_page(request, _("Finance"))
    form = forms.ExpenseForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        items = data.pop("items", []) if data.get("is_purchase") else []
        data.pop("items", None)
        try:
            expense = services.request_expense(community=community, acting_user=request.user,
                                               purchase_items=items, **data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            who = _first_waiting_step(expense)
            if who:
                messages.success(request, _("Expense submitted for approval: next, %(who)s decides (it waits in "
                                            "their inbox).") % {"who": who})
            else:
                messages.success(request, _("Expense submitted for approval."))
            return redirect(expense)
    _mark_invalid(form)
    return render(request, "finance/expense_form.html", {
        "form": form, "title": _("New expense · %(c)s") % {"c": community}, "community": community})


@staff_required
def expense_attachment(request, pk):
    """Staff who may see the expense: its attachment."""
    expense = get_for_user(Expense, request.user, pk=pk)
    return files.serve(expense.attachment)


@staff_required
def expense_detail(request, pk):
    """Staff who may see the community: an expense, its approval steps (who, in which role, when), its
    cheque and reimbursement, and the actions open to the user."""
    return _expense_page(request, pk)


def _expense_page(request, pk, **bound):
    """The expense page; ``bound`` replaces an empty form (cheque_form, notice_form, reason_form) by the one
    posted and refused, so what was typed is shown again with its error."""
    expense = get_for_user(Expense.objects.select_related("community", "line__budget", "requested_by",
                                                          "purchaser_member", "purchaser_station",
                                                          "decision__meeting"),
                           request.user, pk=pk)
    _mark_invalid(*bound.values())
    steps = list(approvals.steps_for(expense).order_by("step"))
    cheques = list(expense.cheques.all())
    today = timezone.localdate()
    for c in cheques:
        c.deadline_warning = calendar.unconfirmed_warning(c.due_on) if c.due_on else ""
        c.overdue = bool(c.state == Cheque.State.ISSUED and c.due_on and c.due_on < today)
    open_cheque = Cheque.objects.filter(community=expense.community, state__in=Cheque.UNSETTLED).exclude(
        expense=expense).first()
    staff = scoping.staff_for(request.user)
    is_finance = approvals.holds_role(staff, Role.FINANCE, expense.community, timezone.localdate())
    fund_decision = None
    if expense.fund_decision_id:
        fund_decision = services.FundDecision.objects.select_related("decision__meeting").get(
            pk=expense.fund_decision_id)
        fund_decision.left = services.fund_decision_left(fund_decision)
    context = {
        "related": services.related_expenses(expense), "fund_decision": fund_decision,
        "can_edit": services.may_edit_expense(staff, expense), "void_form": forms.ChequeVoidForm(),
        "expense": expense, "steps": steps, "cheques": cheques,
        "open_cheque": open_cheque, "is_finance": is_finance,
        "items": list(expense.purchase_items.all()), "can_keep": _can_keep(request),
        "cheque_form": forms.ChequeApplyForm(initial={"project": expense.purpose}),
        "reason_form": forms.ReasonForm(), "notice_form": forms.NoticeForm(),
        "issue_form": forms.ChequeIssueForm(),
        "reversal": getattr(expense, "reversal", None) if expense.state == Expense.State.REVERSED else None,
        "capitals": money.capitals(expense.amount),
        "needs_notice": rules.cash_needs_notice(expense.method, expense.amount,
                                                services.policy.get(expense.community, "fin.cash_notice_above")),
        "is_requester": staff.pk == expense.requested_by_id, "waiting_step": _first_waiting_step(expense),
        "open_cheque_url": _cheque_url(open_cheque) if open_cheque else "",
    }
    context.update(bound)
    return render(request, "finance/expense.html", context)


@street_office_required
def splitting(request):
    """Street office: possible splitting: the same payee or budget line, several expenses within 30 days whose
    total reaches a FIN-2 tier none reaches alone. A fixed number of queries."""
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    rows = services.possible_splitting(communities, timezone.localdate())
    return render(request, "finance/splitting.html", {"rows": rows, "days": services.SPLIT_DAYS})


@staff_required
def expense_edit(request, pk):
    """The requester (or the bookkeeper for them, with a reason): change an expense that waits for approval;
    its approval restarts (CTL-5). Refused once decided (FIN-11)."""
    expense = get_for_user(Expense.objects.select_related("community"), request.user, pk=pk)
    staff = scoping.staff_for(request.user)
    if expense.state == Expense.State.PENDING and not services.may_edit_expense(staff, expense):
        raise PermissionDenied  # CTL-5
    form = forms.ExpenseForm(request.POST or None, instance=expense, community=expense.community)
    for name in ("is_purchase", "purchaser_member", "purchaser_station", "purchaser_supervisor", "items",
                 "attachment", "finance_notified_on", "decision", "fund_decision"):
        form.fields.pop(name, None)
    if staff.pk != expense.requested_by_id:
        form.fields["reason"] = forms.forms.CharField(label=_("Reason for changing someone else's request"),
                                                      max_length=100)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE}
        try:
            services.update_expense(Expense.objects.get(pk=expense.pk), acting_user=request.user,
                                    reason=form.cleaned_data.get("reason", ""), **data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Expense changed; its approval starts again."))
            return redirect(expense)
    return render(request, "committee/form.html", {"form": form, "title": _("Change expense"), "back_obj": expense})


def _post_action(request, pk, action, success, *, model=Expense, form_class=None, roles=None, street=True,
                 page=None, form_name=None):
    """A POST action on one object. Refused, with a ``page`` to show: that page again with the posted form
    (``form_name`` in its context), what was typed kept and the error beside its field; else back to the
    object with the error as a message."""
    obj = get_for_user(model, request.user, pk=pk)
    if roles:
        _require(request, *roles, street=street)
    data, form = {}, None
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            if page is not None:
                return page(request, pk, **{form_name: form})
            for name, errs in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for e in errs:
                    messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": e} if label else e)
            return redirect(obj)
        data = form.cleaned_data
    try:
        action(obj, acting_user=request.user, **data)
    except ValidationError as e:
        if page is not None and form is not None and getattr(e, "cheque", None) is None:
            form_errors(form, e)
            return page(request, pk, **{form_name: form})
        _errors(request, e)
    else:
        messages.success(request, success(obj) if callable(success) else success)
    return redirect(obj)


@require_POST
@staff_required
def expense_withdraw(request, pk):
    """Whoever asked for it, the community's keepers or the street office: withdraw a waiting expense."""
    expense = get_for_user(Expense, request.user, pk=pk)
    if expense.requested_by_id != scoping.staff_for(request.user).pk:
        raise PermissionDenied  # only the person who asked withdraws a request (issue 9)
    return _post_action(request, pk, services.withdraw_expense, _("Expense withdrawn: its approval steps are closed."))


@require_POST
@staff_required
def expense_reverse(request, pk):
    """Director, secretary, bookkeeper or street office: reverse an approved or paid expense with a reason."""
    return _post_action(request, pk, services.reverse_expense,
                        _("Expense reversed: a reversal entry with your reason cancels its amount; nothing is deleted."),
                        form_class=forms.ReasonForm, roles=KEEPERS, page=_expense_page, form_name="reason_form")


@require_POST
@staff_required
def expense_notice(request, pk):
    """Staff: record the day finance was told of a cash payment above 1000 yuan (FIN-6)."""
    return _post_action(request, pk, services.record_finance_notice, _("Notice to finance recorded."),
                        form_class=forms.NoticeForm, page=_expense_page, form_name="notice_form")


# --- cheques -------------------------------------------------------------------------------------


@require_POST
@staff_required
def cheque_apply(request, pk):
    """Staff: apply for a cheque for an approved expense (FIN-4)."""
    return _post_action(request, pk, services.apply_cheque,
                        _("Cheque applied for: next, the service centre's finance issues it (it waits in their inbox)."),
                        form_class=forms.ChequeApplyForm, page=_expense_page, form_name="cheque_form")


@staff_required
def cheque_list(request):
    """Staff: the cheque register (street office: every community)."""
    cheques = list(scoping.scope_to_current(Cheque.objects.all(), request).select_related(
        "community", "expense", "issued_by")[:300])
    today = timezone.localdate()
    issuing = _finance_communities(request.user, today)
    for c in cheques:
        c.overdue = bool(c.state == Cheque.State.ISSUED and c.due_on and c.due_on < today)
        c.can_issue = c.state == Cheque.State.REQUESTED and c.community_id in issuing
    return render(request, "finance/cheque_list.html", {"cheques": cheques})


def _finance_communities(user, day) -> set[int]:
    """Ids of the communities the user acts for today as the service centre's finance (FIN-4). One query."""
    from finance.tasks import _role_communities

    staff = scoping.staff_for(user)
    return _role_communities(user, staff, day).get(Role.FINANCE, set()) if staff else set()


@staff_required
def cheque_issue(request, pk):
    """The service centre's cashier (finance role): issue a cheque after the checks of FIN-4."""
    cheque = get_for_user(Cheque.objects.select_related("expense", "community"), request.user, pk=pk)
    _require(request, Role.FINANCE, street=False)
    form = forms.ChequeIssueForm(request.POST or None)
    due = rules.cheque_due(timezone.localdate(), services.policy.get(cheque.community, "fin.cheque_settle_days"))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_cheque(cheque, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Cheque issued; to be settled by %(day)s. Next: the handler hands in the "
                                        "invoices for reimbursement.") % {"day": due.date.isoformat()})
            return redirect(cheque)
    _mark_invalid(form)
    return render(request, "finance/cheque_issue.html", {"form": form, "cheque": cheque, "due": due})


@require_POST
@staff_required
def cheque_void(request, pk):
    """Finance, street office, or the community's keepers: void a cheque applied for with a reason; an issued
    cheque only by finance once it is returned (FIN-4, decided in the service)."""
    return _post_action(request, pk, services.void_cheque,
                        _("Cheque voided: it stays in the register with your reason; the community may apply for "
                          "a new one."), model=Cheque, form_class=forms.ChequeVoidForm, roles=(Role.FINANCE, *KEEPERS))


# --- reimbursement -------------------------------------------------------------------------------


@staff_required
def reimbursement(request, pk):
    """Staff: hand in the invoices and tick the signatures of an approved expense; finance completes it."""
    expense = get_for_user(Expense.objects.select_related("community", "line__budget"), request.user, pk=pk)
    return _reimbursement_page(request, expense)


def _reimbursement_page(request, expense, *, invoice_form=None, line_formset=None, signatures_form=None,
                        complete_form=None):
    """The reimbursement page; a refused form comes back bound: every field and every line as typed, the
    error beside the field or line it is about."""
    reimb = getattr(expense, "reimbursement", None) if hasattr(expense, "reimbursement") else None
    invoices = list(reimb.invoices.prefetch_related("lines")) if reimb else []
    today = timezone.localdate()
    problems = services.reimbursement_problems(expense, reimb, today) if expense.state == Expense.State.APPROVED else []
    cheque = expense.cheques.filter(state=Cheque.State.ISSUED).first()
    staff = scoping.staff_for(request.user)
    initial = {k: getattr(reimb, k) for k in forms.SignaturesForm.base_fields} if reimb else {}
    can_sign = [(kind, rules.signature_label(kind)) for kind in services.SIGNATURES
                if services.may_sign(staff, expense, kind) and not (reimb and getattr(reimb, f"signed_{kind}"))]
    cash_days = services.policy.get(expense.community, "fin.cash_days")
    line_formset = line_formset or forms.InvoiceLineFormSet(prefix="lines")
    _mark_invalid(invoice_form, signatures_form, complete_form, *line_formset.forms)
    return render(request, "finance/reimbursement.html", {
        "expense": expense, "reimbursement": reimb, "invoices": invoices, "problems": problems,
        "signatures_form": signatures_form or forms.SignaturesForm(initial=initial), "can_sign": can_sign,
        "is_handler": staff.pk == expense.requested_by_id,
        "invoice_form": invoice_form or forms.InvoiceForm(initial={"cheque_number": cheque.number if cheque else "",
                                                                   "date": today}),
        "line_formset": line_formset,
        "complete_form": complete_form or forms.CompleteForm(initial={"paid_on": today}),
        "is_finance": approvals.holds_role(staff, Role.FINANCE, expense.community, today),
        "next_cash_day": rules.next_cash_day(today, cash_days) if expense.method == PaymentMethod.CASH else None,
    })


def _reimbursement_form_post(request, expense, form, action, success, done_url, form_name):
    """A form posted on the reimbursement page: ``action(expense, acting_user, **cleaned_data)``; done, the
    ``success`` message and ``done_url``; refused, the page again with the form as typed and its errors."""
    if form.is_valid():
        try:
            action(expense, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, success)
            return redirect(done_url)
    return _reimbursement_page(request, expense, **{form_name: form})


def _next_for_reimbursement(request, expense) -> None:
    """Who acts next on a reimbursement, as a message after each step (issue 9: no dead end)."""
    expense = Expense.objects.select_related("community").get(pk=expense.pk)
    if expense.state != Expense.State.APPROVED:
        return
    reimb = Reimbursement.objects.filter(expense=expense).first()
    problems = services.reimbursement_problems(expense, reimb, timezone.localdate())
    if problems:
        messages.info(request, _("Next, before finance can reimburse: %(what)s") % {"what": problems[0]})
    else:
        messages.info(request, _("Everything is handed in: next, the service centre's finance reimburses and "
                                 "settles it (报销并结清, it waits in their inbox)."))


@require_POST
@staff_required
def signatures(request, pk):
    """Staff: the utility-bill explanation of a reimbursement (FIN-5)."""
    expense = get_for_user(Expense.objects.select_related("community", "line__budget"), request.user, pk=pk)
    return _reimbursement_form_post(request, expense, forms.SignaturesForm(request.POST), services.update_signatures,
                                    _("Saved."), reverse("finance_reimbursement", args=[expense.pk]),
                                    "signatures_form")


@require_POST
@staff_required
def sign(request, pk):
    """The handler, station head or director: sign the reimbursement in one's own login (FIN-5)."""
    expense = get_for_user(Expense, request.user, pk=pk)
    form = forms.SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_reimbursement(expense, kind=form.cleaned_data["kind"], acting_user=request.user)
            messages.success(request, _("Signed."))
            _next_for_reimbursement(request, expense)
        except ValidationError as e:
            _errors(request, e)
    else:
        messages.error(request, _("Choose the capacity you sign in."))
    return redirect("finance_reimbursement", pk=expense.pk)


@require_POST
@staff_required
def payee_signed(request, pk):
    """The handler: record that the person paid signed on paper, with the scanned document (FIN-5)."""
    expense = get_for_user(Expense, request.user, pk=pk)
    try:
        services.record_payee_signature(expense, acting_user=request.user)
        messages.success(request, _("The paid person's signature is recorded."))
        _next_for_reimbursement(request, expense)
    except ValidationError as e:
        _errors(request, e)
    return redirect("finance_reimbursement", pk=expense.pk)


@require_POST
@staff_required
def invoice_add(request, pk):
    """Staff: add an invoice with its itemised lines (FIN-5). Refused, the page comes back with every field
    and every line as typed and the error beside the field or line (naming it and the rule)."""
    expense = get_for_user(Expense.objects.select_related("community", "line__budget"), request.user, pk=pk)
    form = forms.InvoiceForm(request.POST)
    formset = forms.InvoiceLineFormSet(request.POST, prefix="lines")
    lines_ok = formset.is_valid()  # both checked, so every error shows at once
    if form.is_valid() and lines_ok:
        used = [f for f in formset.forms if f.cleaned_data.get("item")]
        lines = [(f.cleaned_data["item"], f.cleaned_data["quantity"], f.cleaned_data["unit_price"],
                  f.cleaned_data["amount"]) for f in used]
        try:
            services.add_invoice(expense, acting_user=request.user, lines=lines, **form.cleaned_data)
        except ValidationError as e:
            _invoice_errors(request, e, form, used)
        else:
            messages.success(request, _("Invoice added."))
            _next_for_reimbursement(request, expense)
            return redirect("finance_reimbursement", pk=expense.pk)
    return _reimbursement_page(request, expense, invoice_form=form, line_formset=formset)


def _invoice_errors(request, error: ValidationError, form, used) -> None:
    """A refusal of ``add_invoice``: a line's error beside that line's amount, the others on the form."""
    if not hasattr(error, "error_dict"):
        return _errors(request, error, form)
    for key, errors in error.error_dict.items():
        if key.startswith("line:") and key[5:].isdigit() and int(key[5:]) < len(used):
            for e in errors:
                used[int(key[5:])].add_error("amount", e)
        else:
            for e in errors:
                form.add_error(key if key in form.fields else None, e)


@require_POST
@staff_required
def invoice_withdraw(request, pk):
    """Staff: take back a wrongly entered invoice, with a reason (it stays in the history)."""
    invoice = get_for_user(Invoice.objects.select_related("reimbursement"), request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_invoice(invoice, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Invoice taken back: it stays in the history with your reason; add the "
                                        "right one."))
        except ValidationError as e:
            _errors(request, e)
    else:
        messages.error(request, _("Please give the reason (FIN-11)."))
    return redirect("finance_reimbursement", pk=invoice.reimbursement.expense_id)


@require_POST
@staff_required
def reimbursement_complete(request, pk):
    """The service centre's finance: accept the papers; the expense is paid, its cheque settled."""
    expense = get_for_user(Expense.objects.select_related("community", "line__budget"), request.user, pk=pk)
    _require(request, Role.FINANCE, street=False)
    return _reimbursement_form_post(request, expense, forms.CompleteForm(request.POST),
                                    services.complete_reimbursement, _("Reimbursed: the expense is paid."),
                                    expense.get_absolute_url(), "complete_form")


# --- self-managed funds --------------------------------------------------------------------------


@staff_required
def receipt_list(request):
    """Staff: self-managed income with its receipts."""
    receipts = scoping.scope_to_current(Receipt.objects.all(), request).select_related("community", "handler")
    return render(request, "finance/receipt_list.html", {"receipts": receipts[:300]})


@staff_required
def receipt_create(request):
    """Staff: record self-managed income; the receipt gets the next number (FIN-7)."""
    community = scoping.community_for_write(request)
    if community is None:
        return scoping.choose_community_page(request, _("Finance"))
    form = forms.ReceiptForm(request.POST or None, community=community,
                             initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.record_receipt(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Receipt No. %(n)s recorded: print it.") % {"n": receipt.display_number})
            return redirect(receipt)
    return render(request, "committee/form.html", {"form": form, "title": _("New self-managed income · %(c)s")
                                                   % {"c": community}, "back": "finance_receipt_list"})


@staff_required
def receipt_detail(request, pk):
    """Staff who may see the community: one receipt."""
    receipt = get_for_user(Receipt.objects.select_related("community", "handler", "line"), request.user, pk=pk)
    from seals.services import entry_for

    return render(request, "finance/receipt.html", {
        "receipt": receipt, "capitals": money.capitals(receipt.amount), "reason_form": forms.ReasonForm(),
        "seal_entry": entry_for(receipt),  # SEAL-2: the register entry of the receipt's stamp
        "reversal": getattr(receipt, "reversal", None) if receipt.reversed else None, "can_keep": _can_keep(request)})


def receipt_pdf_bytes(receipt: Receipt) -> bytes:
    return printing.render_pdf_in("zh-hans", "finance/pdf/receipt.html", {
        "receipt": receipt, "capitals": money.capitals(receipt.amount),
        "copies": [_("Payer's copy"), _("Stub (kept for the accounts)")],
        "seal_org": receipt.community.committee_name, "seal_date": receipt.received_on})


@staff_required
def receipt_pdf(request, pk):
    """Staff who may see the community: the two-part receipt as one A4 PDF (FIN-7)."""
    receipt = get_for_user(Receipt.objects.select_related("community", "handler"), request.user, pk=pk)
    return printing.pdf_response(receipt_pdf_bytes(receipt), f"receipt-{receipt.display_number}.pdf")


@require_POST
@staff_required
def receipt_reverse(request, pk):
    """Director, secretary, bookkeeper or street office: reverse a wrong receipt (its number stays used)."""
    return _post_action(request, pk, services.reverse_receipt, _("Receipt reversed."), model=Receipt,
                        form_class=forms.ReasonForm, roles=KEEPERS)


@staff_required
def fund_decisions(request):
    """Staff: the joint meeting's spending decisions of self-managed funds with ceiling, spent and left; the
    director, secretary or bookkeeper records the purpose and ceiling of a new one (FIN-7)."""
    community, chooser = scoping.one_community(request, _("Finance"))
    if chooser:
        return chooser
    staff = scoping.staff_for(request.user)
    can_record = staff.community_id == community.pk and scoping.has_any_role(request.user,
                                                                             services.FUND_DECISION_KEEPERS)
    form = forms.FundDecisionForm(request.POST or None, community=community) if can_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_fund_decision(community=community, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                _errors(request, e, form)
            else:
                messages.success(request, _("Spending decision recorded: expenses of self-managed funds can now be "
                                            "asked for against it, up to its ceiling (FIN-7)."))
                return redirect("finance_fund_decisions")
        _mark_invalid(form)
    return render(request, "finance/fund_decisions.html", {
        "decisions": list(services.fund_decisions_with_left(community)), "form": form, "community": community,
        "can_void": can_record})


@require_POST
@staff_required
def fund_decision_void(request, pk):
    """The community's director, secretary or bookkeeper: void a spending decision with a reason (FIN-7,
    FIN-11); it stays listed, marked voided, with its history. Refused without a reason."""
    fd = get_for_user(FundDecision, request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for voiding the decision (FIN-11)."))
        return redirect("finance_fund_decisions")
    try:
        services.void_fund_decision(fd, acting_user=request.user, **form.cleaned_data)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("Spending decision voided: it stays listed with your reason; no new spending "
                                    "can be linked to it."))
    return redirect("finance_fund_decisions")


@staff_required
def cashbook(request):
    """Staff: the self-managed cash book of a year with a running balance (FIN-7)."""
    community, chooser = scoping.one_community(request, _("Finance"))
    if chooser:
        return chooser
    year = _year(request)
    return render(request, "finance/cashbook.html", {"book": services.cash_book(community, year),
                                                     "community": community, "year": year})


# --- audits --------------------------------------------------------------------------------------


@staff_required
def audit_list(request):
    """Staff: internal and departure audits; departure audits still due (FIN-9)."""
    audits = scoping.scope_to_current(Audit.objects.all(), request).select_related("community",
                                                                                   "role_assignment__staff")
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    due = list(services.departures_due(communities, timezone.localdate()))
    return render(request, "finance/audit_list.html", {"audits": audits, "due": due})


@street_office_required
def audit_create(request):
    """Street office (the internal audit group): record an audit of the chosen community."""
    community, chooser = scoping.one_community(request, _("Finance"))
    if chooser:
        return chooser
    initial = {"done_on": timezone.localdate()}
    if request.GET.get("role"):
        initial.update(kind=Audit.Kind.DEPARTURE, role_assignment=request.GET["role"])
    form = forms.AuditForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_audit(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e, form)
        else:
            messages.success(request, _("Audit recorded."))
            return redirect("finance_audit_list")
    return render(request, "committee/form.html", {"form": form, "title": _("Record an audit · %(c)s") % {"c": community},
                                                   "back": "finance_audit_list"})


# --- quarterly report ----------------------------------------------------------------------------


def _quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    year = _year(request)
    try:
        quarter = int(request.GET.get("quarter") or (today.month - 1) // 3 + 1)
    except ValueError:
        raise Http404 from None
    if quarter not in (1, 2, 3, 4):
        raise Http404
    return year, quarter


@staff_required
def report(request):
    """Staff: a quarter's income and spending per fund type and budget line (FIN-10)."""
    community, chooser = scoping.one_community(request, _("Finance"))
    if chooser:
        return chooser
    year, quarter = _quarter(request)
    return render(request, "finance/report.html", {"fig": services.quarter_figures(community, year, quarter),
                                                   "quarters": [1, 2, 3, 4],
                                                   "may_post_notice": _may_post_notice(request, community, year, quarter)})


def _may_post_notice(request, community, year, quarter) -> bool:
    """FIN-10 / FIN-7 (DIS-4): once a quarter has ended, the community's own staff draft its notices on the
    disclosure board (composers ``finance.quarter`` and ``finance.self_managed``)."""
    if scoping.is_street_staff(request.user) or rules.quarter_bounds(year, quarter)[1] >= timezone.localdate():
        return False
    staff = staff_for(request.user)
    return (staff is not None and staff.community_id == community.pk
            and navigation.may_open(request, "disclosure_compose"))


@staff_required
def report_xlsx(request):
    """Staff: the quarterly report as an Excel file (FIN-10)."""
    community, chooser = scoping.one_community(request, _("Finance"))
    if chooser:
        return redirect("finance_report")
    year, quarter = _quarter(request)
    from finance.export import quarter_workbook

    content = quarter_workbook(services.quarter_figures(community, year, quarter))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    name = f"{community.name}-{year}-Q{quarter}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


__all__ = ["PermissionDenied", "Count", "Sum", "FundType", "reverse", "dt"]
