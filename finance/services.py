"""Every state change of the finance app: locked, checked with ``rules``, recorded with history.

Each function takes ``acting_user`` as a required keyword and raises ``ValidationError`` with a translated
message naming the rule when the change is not allowed; nothing is saved then.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import acts, approvals, policy, records
from committee.models import CADRE_ROLES, Community, Role, Staff
from committee.scoping import staff_for
from finance import rules
from finance.models import (
    ZERO,
    Audit,
    Budget,
    BudgetLine,
    Cheque,
    Expense,
    FundDecision,
    FundType,
    Invoice,
    InvoiceLine,
    PaymentMethod,
    PurchaseItem,
    Receipt,
    ReceiptCounter,
    Reimbursement,
    Reversal,
)

MONEY_FIELD = models.DecimalField(max_digits=14, decimal_places=2)
# FIN-9: a departure audit is due when any committee cadre leaves (A2 六.5), the bookkeeper too (A4 §12).
DEPARTURE_AUDIT_ROLES = sorted({*CADRE_ROLES, Role.BOOKKEEPER})


def _zero(expr):
    return Coalesce(expr, models.Value(ZERO), output_field=MONEY_FIELD)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members can record finance entries."))
    return staff


def _check_amount(value, field: str, label) -> Decimal:
    error = rules.amount_error(value, str(label))
    if error:
        raise ValidationError({field: error})
    return Decimal(str(value))


_save = records.save  # who acted is named in the history (committee.records)


# --- budgets --------------------------------------------------------------------------------------


def lines_with_figures(queryset):
    """Budget lines annotated with spent (paid), committed (approved, not paid), waiting (pending approval)
    and remaining: one query whatever the number of expenses. FIN-3"""
    return queryset.annotate(
        spent=_zero(Sum("expenses__amount", filter=Q(expenses__state=Expense.State.PAID))),
        committed=_zero(Sum("expenses__amount", filter=Q(expenses__state=Expense.State.APPROVED))),
        waiting=_zero(Sum("expenses__amount", filter=Q(expenses__state=Expense.State.PENDING))),
    ).annotate(remaining=models.ExpressionWrapper(
        models.F("amount") - models.F("spent") - models.F("committed"), output_field=MONEY_FIELD))


def line_remaining(line: BudgetLine, *, exclude: Expense | None = None) -> Decimal:
    qs = Expense.objects.filter(line=line, state__in=[Expense.State.PAID, Expense.State.APPROVED])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    used = qs.aggregate(s=_zero(Sum("amount")))["s"]
    return line.amount - used


# CTL-4: budgets and line amounts decide who approves an expense (FIN-3), so they are set by the street
# office (its finance, or the department head), never by the community that spends them.
BUDGET_SETTERS = (Role.FINANCE, Role.DEPARTMENT_HEAD)


def may_set_budgets(staff: Staff | None, community: Community) -> bool:
    """CTL-4: may ``staff`` open budgets and set line amounts for ``community``?"""
    if staff is None or staff.community_id is not None:
        return False
    day = timezone.localdate()
    return any(approvals.holds_role(staff, role, community, day) for role in BUDGET_SETTERS)


def _budget_setter(acting_user, community: Community) -> Staff:
    staff = _staff(acting_user)
    if not may_set_budgets(staff, community):  # CTL-4
        raise ValidationError(_("Budgets and budget-line amounts are set by the street office's finance or "
                                "department head; the community sees them and cannot change them (CTL-4)."))
    return staff


def _reason(reason: str, field: str = "reason") -> str:
    if not (reason or "").strip():
        raise ValidationError({field: _("Please give a reason for the change (CTL-4).")})
    return reason.strip()[:100]


@transaction.atomic
def create_budget(*, community: Community, year: int, fund_type: str, note: str = "", reason: str = "",
                  acting_user) -> Budget:
    """CTL-4: the street office opens a community's budget of one fund type for a year."""
    _budget_setter(acting_user, community)
    if Budget.objects.filter(community=community, year=year, fund_type=fund_type).exists():
        raise ValidationError({"fund_type": _("This community already has a %(fund)s budget for %(year)s.")
                               % {"fund": FundType(fund_type).label, "year": year}})
    budget = Budget(community=community, year=year, fund_type=fund_type, note=note)
    budget._change_reason = (reason or note or _("Budget opened by the street office")).strip()[:100]
    return _save(budget, acting_user)


@transaction.atomic
def add_line(*, budget: Budget, name: str, amount, reason: str = "", acting_user) -> BudgetLine:
    """CTL-4: the street office adds a line with its amount to a budget."""
    _budget_setter(acting_user, budget.community)
    amount = _check_amount(amount, "amount", _("Budgeted amount"))
    if BudgetLine.objects.filter(budget=budget, name=name.strip()).exists():
        raise ValidationError({"name": _("This budget already has a line named “%(name)s”.") % {"name": name}})
    line = BudgetLine(budget=budget, community=budget.community, name=name.strip(), amount=amount)
    line._change_reason = (reason or _("Budget line set by the street office")).strip()[:100]
    return _save(line, acting_user)


@transaction.atomic
def change_line_amount(*, line: BudgetLine, amount, reason: str, acting_user) -> BudgetLine:
    """CTL-4: the street office changes a budget line's amount with a reason kept in its history; never below
    what is used."""
    _budget_setter(acting_user, line.community)
    amount = _check_amount(amount, "amount", _("Budgeted amount"))
    reason = _reason(reason)
    line = BudgetLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    used = line.amount - line_remaining(line)
    if amount < used:
        raise ValidationError({"amount": _("%(used)s yuan of this line is already spent or committed.")
                               % {"used": rules.yuan(used)}})
    line.amount = amount
    line._change_reason = reason
    return _save(line, acting_user)


def line_changes(budget: Budget, limit: int = 50):
    """CTL-4: the history of a budget's lines (who set which amount, when, why), newest first. One query."""
    return (BudgetLine.history.filter(budget_id=budget.pk).select_related("history_user")
            .order_by("-history_date")[:limit])


# --- expenses -------------------------------------------------------------------------------------


def self_managed_balance(community: Community, *, exclude: Expense | None = None) -> Decimal:
    """FIN-7: what the self-managed cash book holds, less what is approved or waiting to be spent from it."""
    income = Receipt.objects.filter(community=community, reversed=False).aggregate(s=_zero(Sum("amount")))["s"]
    out = Expense.objects.filter(
        community=community, line__budget__fund_type=FundType.SELF_MANAGED,
        state__in=[Expense.State.PAID, Expense.State.APPROVED, Expense.State.PENDING])
    if exclude is not None:
        out = out.exclude(pk=exclude.pk)
    return income - out.aggregate(s=_zero(Sum("amount")))["s"]


def _routing(expense: Expense, *, beyond: bool) -> list[approvals.Step]:
    p = policy.get_many(expense.community, "fin.tier_low", "fin.tier_high", "fin.cheque_from")
    return rules.expense_routing(
        expense.amount, tier_low=p["fin.tier_low"], tier_high=p["fin.tier_high"], fund_type=expense.fund_type,
        beyond_budget=beyond,
        cash_needs_leader=rules.cash_needs_leader(expense.method, expense.amount, p["fin.cheque_from"]))


# --- extension points for other chapters (WEL) -----------------------------------------------------

# Checks other apps add to every new or changed expense (the welfare chapter: WEL-5, WEL-6 caps and refused
# uses). ``fn(expense, context)`` raises ValidationError (keyed by a field) to refuse; it runs inside the
# expense's transaction with the budget line locked, before anything is saved. ``context`` is the dict the
# caller passed as ``check_context`` to ``request_expense`` / ``update_expense`` (None when none was given).
_EXPENSE_CHECKS: list = []
# Problems other apps add to ``reimbursement_problems`` (WEL-9: the quarter's completion report and the
# invoice signatures): ``fn(expense, paid_on) -> [message]``.
_REIMBURSEMENT_CHECKS: list = []


def register_expense_check(fn):
    """Add ``fn(expense, context)`` to the checks of every expense (see ``_EXPENSE_CHECKS``)."""
    if fn not in _EXPENSE_CHECKS:
        _EXPENSE_CHECKS.append(fn)
    return fn


def register_reimbursement_check(fn):
    """Add ``fn(expense, paid_on) -> [message]`` to what keeps an expense from being reimbursed."""
    if fn not in _REIMBURSEMENT_CHECKS:
        _REIMBURSEMENT_CHECKS.append(fn)
    return fn


def _validate_expense(expense: Expense, purchase_items) -> bool:
    """The checks of a new or changed expense; returns whether it goes beyond its line (FIN-3)."""
    community = expense.community
    if expense.line.community_id != community.pk:
        raise ValidationError({"line": _("The budget line belongs to another community.")})
    _check_amount(expense.amount, "amount", _("Amount"))
    for check in _EXPENSE_CHECKS:  # other chapters' checks (WEL-5, WEL-6)
        check(expense, getattr(expense, "_check_context", None))
    cheque_from = policy.get(community, "fin.cheque_from")
    if rules.cash_needs_leader(expense.method, expense.amount, cheque_from) and not expense.cash_leader_approval:
        # FIN-6
        raise ValidationError({"method": _(
            "Spending of %(limit)s yuan or more is paid by cheque; to pay cash, tick “ask a leader to approve "
            "cash” (FIN-6).") % {"limit": cheque_from}})
    if expense.is_purchase:  # FIN-8
        needed = policy.get(community, "fin.purchase_people")
        for person, field in ((expense.purchaser_member, "purchaser_member"),
                              (expense.purchaser_station, "purchaser_station")):
            if person is not None and person.community_id != community.pk:
                raise ValidationError({field: _("The person must work in this community.")})
        if not rules.purchasers_enough(expense.purchaser_member, expense.purchaser_station,
                                       expense.purchaser_supervisor, needed):
            raise ValidationError({"purchaser_supervisor": _(
                "A purchase is made by at least %(n)s people: a committee member, a service-station staff "
                "member and a supervisor, all different (FIN-8).") % {"n": needed}})
        if not purchase_items:
            raise ValidationError({"is_purchase": _("List what is bought: item, quantity and unit price (FIN-8).")})
        total = sum((q * p).quantize(rules.CENT) for _i, q, p in purchase_items)
        if total != expense.amount:
            raise ValidationError({"amount": _("The items bought add up to %(total)s yuan, not %(amount)s (FIN-8).")
                                   % {"total": rules.yuan(total), "amount": rules.yuan(expense.amount)}})
    if expense.fund_type == FundType.SELF_MANAGED:  # FIN-7
        _check_decision(expense)
        balance = self_managed_balance(community, exclude=expense if expense.pk else None)
        if expense.amount > balance:
            raise ValidationError({"amount": _(
                "The self-managed cash book holds only %(balance)s yuan that is not yet spent or committed "
                "(FIN-7).") % {"balance": rules.yuan(balance)}})
        return False
    return rules.beyond_line(expense.amount, line_remaining(expense.line, exclude=expense if expense.pk else None))


def _check_decision(expense: Expense) -> None:
    """FIN-7: self-managed funds are spent only on a collective decision of the joint meeting (三委联席会)
    recorded in the minutes, which names a purpose and a ceiling; the spending linked to it never exceeds what
    is left of the ceiling."""
    fd = expense.fund_decision
    if fd is None:
        raise ValidationError({"fund_decision": _(
            "Self-managed funds are spent only on a collective decision of the party committee, residents' "
            "committee and service station recorded in the minutes: choose the decision (FIN-7).")})
    fd = FundDecision.objects.select_for_update(of=("self",)).select_related("decision__meeting").get(pk=fd.pk)
    if fd.community_id != expense.community_id or fd.voided or fd.decision.voided or not fd.decision.adopted:
        raise ValidationError({"fund_decision": _("Choose a decision adopted by this community's meeting (FIN-7).")})
    left = fund_decision_left(fd, exclude=expense if expense.pk else None)
    if expense.amount > left:
        raise ValidationError({"amount": _(
            "The decision “%(purpose)s” allows %(ceiling)s yuan, of which %(left)s yuan is left; this expense of "
            "%(amount)s yuan needs a new decision (FIN-7).") % {"purpose": fd.purpose, "ceiling": rules.yuan(fd.ceiling),
                                                                "left": rules.yuan(left),
                                                                "amount": rules.yuan(expense.amount)}})
    expense.decision = fd.decision


SPENDING_STATES = (Expense.State.PENDING, Expense.State.APPROVED, Expense.State.PAID)


def fund_decision_left(fd: FundDecision, *, exclude: Expense | None = None) -> Decimal:
    """FIN-7: the ceiling of a decision less the spending linked to it that is not withdrawn, refused or
    reversed."""
    qs = Expense.objects.filter(fund_decision=fd, state__in=SPENDING_STATES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return fd.ceiling - qs.aggregate(s=_zero(Sum("amount")))["s"]


def joint_decisions(community: Community):
    """FIN-7: adopted, not voided decisions of this community's joint meeting (三委联席会) with no spending
    decision recorded yet."""
    from meetings.models import BodyKind
    from meetings.services import adopted_decisions

    return adopted_decisions(community).filter(meeting__body__kind=BodyKind.JOINT, fund_decision__isnull=True)


FUND_DECISION_KEEPERS = (Role.DIRECTOR, Role.PARTY_SECRETARY, Role.BOOKKEEPER)


@transaction.atomic
def record_fund_decision(*, community: Community, decision, purpose: str, ceiling, acting_user) -> FundDecision:
    """FIN-7: record the purpose and ceiling of a joint meeting's decision to spend self-managed funds. Only a
    decision of the joint body (三委联席会: party committee, committee and station) counts; it is recorded
    once and never changed (void it with a reason)."""
    from meetings.models import BodyKind, Decision

    staff = _staff(acting_user)
    if staff.community_id != community.pk or not any(
            approvals.holds_role(staff, r, community, timezone.localdate()) for r in FUND_DECISION_KEEPERS):
        raise ValidationError(_("The community's director, secretary or bookkeeper records a spending decision "
                                "(FIN-7)."))
    ceiling = _check_amount(ceiling, "ceiling", _("Ceiling"))
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Name what the decision allows the money to be spent on (FIN-7).")})
    decision = Decision.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=decision.pk)
    if (decision.meeting.community_id != community.pk or not decision.adopted or decision.voided):
        raise ValidationError({"decision": _("Choose a decision adopted by this community's meeting (FIN-7).")})
    if decision.meeting.body.kind != BodyKind.JOINT:
        raise ValidationError({"decision": _(
            "Only the joint meeting of the party committee, residents' committee and service station (三委联席会) "
            "decides on self-managed funds (FIN-7).")})
    if FundDecision.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": _("This decision's purpose and ceiling are already recorded (FIN-7).")})
    return _save(FundDecision(community=community, decision=decision, purpose=purpose.strip(), ceiling=ceiling,
                              recorded_by=staff, recorded_on=timezone.localdate()), acting_user)


@transaction.atomic
def void_fund_decision(fd: FundDecision, *, reason: str, acting_user) -> FundDecision:
    """FIN-7/FIN-11: a spending decision recorded wrongly is voided with a reason by the community's director,
    secretary or bookkeeper; nothing is deleted (its history keeps who voided it and why). Refused while
    spending linked to it waits for approval or for payment: withdraw or reverse that first. Paid spending
    stays linked to it in the books."""
    staff = _staff(acting_user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the reason for voiding the decision (FIN-11).")})
    fd = FundDecision.objects.select_for_update(of=("self",)).select_related("community").get(pk=fd.pk)
    if staff.community_id != fd.community_id or not any(
            approvals.holds_role(staff, r, fd.community, timezone.localdate()) for r in FUND_DECISION_KEEPERS):
        raise ValidationError(_("The community's director, secretary or bookkeeper voids a spending decision "
                                "(FIN-7)."))
    if fd.voided:
        raise ValidationError(_("This spending decision is already voided."))
    open_spending = fd.expenses.filter(state__in=(Expense.State.PENDING, Expense.State.APPROVED)).count()
    if open_spending:
        raise ValidationError(_("%(n)s expenses linked to this decision wait for approval or payment: withdraw or "
                                "reverse them first (FIN-7).") % {"n": open_spending})
    fd.voided, fd.void_reason = True, reason.strip()[:200]
    fd._change_reason = fd.void_reason[:100]
    return _save(fd, acting_user)


def fund_decisions_with_left(community: Community):
    """FIN-7: the community's spending decisions with what is spent and left of each. One query."""
    return (FundDecision.objects.filter(community=community).select_related("decision__meeting", "recorded_by")
            .annotate(used=_zero(Sum("expenses__amount", filter=Q(expenses__state__in=SPENDING_STATES))))
            .annotate(left=models.ExpressionWrapper(models.F("ceiling") - models.F("used"),
                                                    output_field=MONEY_FIELD)))


# --- splitting (issue 8, item 7) ------------------------------------------------------------------

SPLIT_DAYS = 30
LIVE_STATES = (Expense.State.PENDING, Expense.State.APPROVED, Expense.State.PAID)


def related_expenses(expense: Expense, *, days: int = SPLIT_DAYS) -> dict:
    """For the approver: the same payee's and the same budget line's expenses of the last ``days`` days
    (not withdrawn, refused or reversed), with their totals. Two queries."""
    since = expense.requested_on - dt.timedelta(days=days)
    base = (Expense.objects.filter(community_id=expense.community_id, state__in=LIVE_STATES,
                                   requested_on__range=(since, expense.requested_on))
            .exclude(pk=expense.pk).select_related("line").order_by("-requested_on", "-pk"))
    payee = list(base.filter(payee=expense.payee))
    line = list(base.filter(line_id=expense.line_id))
    return {"days": days, "payee": payee, "payee_total": sum((e.amount for e in payee), ZERO),
            "line": line, "line_total": sum((e.amount for e in line), ZERO)}


def possible_splitting(communities, day: dt.date, *, days: int = SPLIT_DAYS, lookback: int = 120) -> list[dict]:
    """The street office's "possible splitting" list: for one community, the same payee or the same budget
    line, several expenses within ``days`` days whose total reaches a FIN-2 tier that none of them reaches
    alone. A fixed number of queries whatever the number of expenses (one for expenses, one for policy)."""
    communities = list(communities)
    policy.prefetch(communities)
    tiers = {c.pk: policy.get_many(c, "fin.tier_low", "fin.tier_high") for c in communities}
    rows = list(Expense.objects.filter(community__in=communities, state__in=LIVE_STATES,
                                       line__budget__fund_type__in=[FundType.OFFICE, FundType.WELFARE],
                                       requested_on__range=(day - dt.timedelta(days=lookback), day))
                .select_related("community", "line__budget").order_by("requested_on", "pk"))
    groups: dict = {}
    for e in rows:
        groups.setdefault(("payee", e.community_id, e.payee.strip()), []).append(e)
        groups.setdefault(("line", e.community_id, e.line_id), []).append(e)
    out = []
    for (kind, community_id, _key), items in groups.items():
        if len(items) < 2:
            continue
        for tier in sorted({tiers[community_id]["fin.tier_low"], tiers[community_id]["fin.tier_high"]}):
            best = None
            start = 0
            for end in range(len(items)):
                while items[end].requested_on - items[start].requested_on > dt.timedelta(days=days):
                    start += 1
                window = [e for e in items[start:end + 1] if e.amount < tier]
                total = sum((e.amount for e in window), ZERO)
                if len(window) >= 2 and total >= tier and (best is None or total > best[1]):
                    best = (window, total)
            if best is not None:
                window, total = best
                first = window[0]
                out.append({"kind": kind, "community": first.community, "payee": first.payee if kind == "payee"
                            else "", "line": first.line if kind == "line" else None, "tier": tier,
                            "expenses": window, "total": total, "first": window[0].requested_on,
                            "last": window[-1].requested_on})
    out.sort(key=lambda r: (r["last"], r["total"]), reverse=True)
    return out


@transaction.atomic
def request_expense(*, community: Community, acting_user, purchase_items=(), check_context: dict | None = None,
                    **fields) -> Expense:
    """A new expense request, routed for approval by FIN-2 (amount), FIN-3 (beyond the line) and FIN-6.
    ``check_context`` is handed to the checks other apps registered (``register_expense_check``)."""
    staff = _staff(acting_user)
    if "amount" in fields:
        fields["amount"] = _check_amount(fields["amount"], "amount", _("Amount"))
    expense = Expense(community=community, requested_by=staff, requested_on=timezone.localdate(), **fields)
    expense._check_context = check_context
    line = BudgetLine.objects.select_for_update(of=("self",)).select_related("budget").get(pk=expense.line_id)
    expense.line = line
    beyond = _validate_expense(expense, purchase_items)
    expense.beyond_budget = beyond
    _save(expense, acting_user)
    for item, qty, price in purchase_items:
        _save(PurchaseItem(expense=expense, item=item, quantity=qty, unit_price=price), acting_user)
    approvals.request_approval(
        expense, community=community, steps=_routing(expense, beyond=beyond),
        summary=_("Expense: %(purpose)s, %(amount)s yuan") % {"purpose": expense.purpose, "amount": expense.amount},
        rule="FIN-3" if beyond else "FIN-2", acting_user=acting_user, preparers=_preparers(expense, staff))
    return expense


def _preparers(expense: Expense, *extra: Staff) -> list[Staff]:
    """CTL-2: who prepared an expense (its handler, the purchasers, whoever entered or changed it): none of
    them decides any of its steps."""
    people = [expense.requested_by, expense.purchaser_member, expense.purchaser_station, *extra]
    seen, out = set(), []
    for p in people:
        if p is not None and p.pk not in seen:
            seen.add(p.pk)
            out.append(p)
    return out


EDITABLE = ("purpose", "amount", "payee", "payee_is_person", "method", "cash_leader_approval", "line")


# CTL-5: the keeper who may change a pending expense for its requester (with a reason).
EXPENSE_KEEPERS = (Role.BOOKKEEPER,)


def may_edit_expense(staff: Staff | None, expense: Expense) -> bool:
    """CTL-5: the requester, or the community's bookkeeper acting for them (with a reason)."""
    if staff is None or expense.state != Expense.State.PENDING:
        return False
    if staff.pk == expense.requested_by_id:
        return True
    return staff.community_id == expense.community_id and any(
        approvals.holds_role(staff, role, expense.community, timezone.localdate()) for role in EXPENSE_KEEPERS)


@transaction.atomic
def update_expense(expense: Expense, *, acting_user, reason: str = "", check_context: dict | None = None,
                   **fields) -> Expense:
    """CTL-5: change an expense that is still waiting for approval; only its requester does, or the bookkeeper
    for them with a reason. The approval restarts: open steps are withdrawn and a new round is requested.
    A decided expense is never edited: reverse it with a reason instead (FIN-11)."""
    staff = _staff(acting_user)
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    if expense.state != Expense.State.PENDING:
        raise ValidationError(_("This expense has been decided on and cannot be edited; reverse it with a reason "
                                "instead (FIN-11)."))
    if not may_edit_expense(staff, expense):
        raise ValidationError(_("Only the person who asked for this expense changes it while it waits (or the "
                                "bookkeeper for them, with a reason) (CTL-5)."))
    if staff.pk != expense.requested_by_id:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("You are changing someone else's request: give the reason (CTL-5).")})
        expense._change_reason = reason[:100]
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(expense, key, value)
    expense._check_context = check_context
    BudgetLine.objects.select_for_update(of=("self",)).filter(pk=expense.line_id).first()
    beyond = _validate_expense(expense, list(expense.purchase_items.values_list("item", "quantity", "unit_price")))
    expense.beyond_budget = beyond
    approvals.withdraw(expense, acting_user=acting_user)  # CTL-5: the approval restarts
    _save(expense, acting_user)
    approvals.request_approval(
        expense, community=expense.community, steps=_routing(expense, beyond=beyond),
        summary=_("Expense: %(purpose)s, %(amount)s yuan") % {"purpose": expense.purpose, "amount": expense.amount},
        rule="FIN-3" if beyond else "FIN-2", acting_user=acting_user, subject=expense.requested_by,
        preparers=_preparers(expense, staff))
    return expense


def on_expense_decided(record: Expense, outcome: str, acting_user) -> None:
    """Called by committee.approvals inside the decide transaction (last step approved, or refused).

    The budget line is locked, so two expenses approved at once against the last of a line cannot both be
    committed: the second is beyond the line and goes on to street leadership (FIN-3).
    """
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if expense.state != Expense.State.PENDING:
        return
    if outcome != "approved":
        expense.state = Expense.State.REJECTED
        _save(expense, acting_user)
        return
    line = BudgetLine.objects.select_for_update(of=("self",)).get(pk=expense.line_id)
    if (expense.fund_type != FundType.SELF_MANAGED and not expense.beyond_budget
            and rules.beyond_line(expense.amount, line_remaining(line, exclude=expense))):
        # FIN-3: the line was used up by other expenses meanwhile; report it to street leadership.
        expense.beyond_budget = True
        _save(expense, acting_user)
        decided_round = approvals.steps_for(expense).aggregate(r=models.Max("round"))["r"] or 1
        added = approvals.request_approval(
            expense, community=expense.community,
            steps=[approvals.Step(Role.STREET_LEADER, _("Street leadership: beyond the budget line (FIN-3)"))],
            summary=_("Expense beyond the budget line: %(purpose)s, %(amount)s yuan")
            % {"purpose": expense.purpose, "amount": expense.amount},
            rule="FIN-3", acting_user=acting_user, subject=expense.requested_by, preparers=_preparers(expense))
        for step in added:  # CTL-2: the added step continues the decided round, so its deciders stay barred
            step.round = decided_round
            step._history_user = acting_user
            step.save(update_fields=["round"])
        return
    expense.state = Expense.State.APPROVED
    expense.approved_on = timezone.localdate()
    _save(expense, acting_user)


@transaction.atomic
def withdraw_expense(expense: Expense, *, acting_user) -> Expense:
    _staff(acting_user)
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    if expense.state != Expense.State.PENDING:
        raise ValidationError(_("Only an expense waiting for approval can be withdrawn."))
    approvals.withdraw(expense, acting_user=acting_user)
    expense.state = Expense.State.WITHDRAWN
    return _save(expense, acting_user)


@transaction.atomic
def reverse_expense(expense: Expense, *, reason: str, acting_user) -> Reversal:
    """FIN-11: an approved or paid expense is never deleted; a reversal entry with a reason cancels it."""
    staff = _staff(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for the reversal (FIN-11).")})
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    if expense.state not in (Expense.State.APPROVED, Expense.State.PAID):
        raise ValidationError(_("Only an approved or paid expense is reversed; withdraw one that is waiting."))
    if expense.cheques.filter(state__in=Cheque.UNSETTLED).exists():
        raise ValidationError(_("Void the unsettled cheque of this expense first (FIN-4)."))
    reversal = _save(Reversal(community=expense.community, expense=expense, amount=expense.amount,
                              reason=reason.strip(), date=timezone.localdate(), recorded_by=staff), acting_user)
    expense.state = Expense.State.REVERSED
    _save(expense, acting_user)
    return reversal


# --- cheques (FIN-4) ------------------------------------------------------------------------------


class ChequeBlocks(ValidationError):
    """FIN-4: an unsettled cheque of the community blocks a new one; the page links to ``cheque``."""

    def __init__(self, cheque: Cheque):
        self.cheque = cheque
        super().__init__(_("Cheque for “%(purpose)s” is not settled yet: no new cheque until it is (FIN-4).")
                         % {"purpose": cheque.project})


@transaction.atomic
def apply_cheque(expense: Expense, *, project: str, acting_user) -> Cheque:
    """Apply for a cheque for an approved expense. FIN-4: not while another cheque of the community is
    unsettled (checked under a lock on the community, and held by a partial unique constraint)."""
    staff = _staff(acting_user)
    Community.objects.select_for_update(of=("self",)).get(pk=expense.community_id)
    expense = Expense.objects.select_for_update(of=("self",)).select_related("line__budget").get(pk=expense.pk)
    if expense.state != Expense.State.APPROVED:
        raise ValidationError(_("A cheque is applied for only once the expense is approved (FIN-4)."))
    if expense.method != PaymentMethod.CHEQUE:
        raise ValidationError(_("This expense is not paid by cheque."))
    open_cheque = Cheque.objects.filter(community_id=expense.community_id, state__in=Cheque.UNSETTLED).first()
    if open_cheque is not None:
        raise ChequeBlocks(open_cheque)
    cheque = Cheque(community_id=expense.community_id, expense=expense, fund_type=expense.fund_type,
                    project=project.strip() or expense.purpose, amount=expense.amount, applied_by=staff,
                    applied_on=timezone.localdate())
    try:
        with transaction.atomic():
            _save(cheque, acting_user)
    except IntegrityError:
        raise ValidationError(_("Another cheque of this community is not settled yet: no new cheque until it is "
                                "(FIN-4).")) from None
    return cheque


@transaction.atomic
def issue_cheque(cheque: Cheque, *, number: str, receiver: str, receiver_signed: bool, department_confirmed: bool,
                 accountant_checked: bool, budget_checked: bool, acting_user, issued_on: dt.date | None = None) -> Cheque:
    """The cashier issues the cheque after the department, accountant and budget checks; the receiver signs
    the cheque register; the settlement deadline is computed from the working-day calendar. FIN-4"""
    staff = _staff(acting_user)
    cheque = Cheque.objects.select_for_update(of=("self",)).select_related("community").get(pk=cheque.pk)
    issued_on = issued_on or timezone.localdate()
    if not approvals.holds_role(staff, Role.FINANCE, cheque.community, issued_on):
        raise ValidationError(_("Only the service centre's cashier (finance) issues cheques (FIN-4)."))
    if cheque.state != Cheque.State.REQUESTED:
        raise ValidationError(_("This cheque has already been issued or closed."))
    missing = [label for ok, label in ((department_confirmed, _("the street department's confirmation")),
                                       (accountant_checked, _("the accountant's check")),
                                       (budget_checked, _("the budget check")),
                                       (receiver_signed, _("the receiver's signature in the cheque register")))
               if not ok]
    if missing:
        raise ValidationError(_("The cheque cannot be issued without %(missing)s (FIN-4).")
                              % {"missing": "、".join(str(m) for m in missing)})
    if not number.strip() or not receiver.strip():
        raise ValidationError(_("Enter the cheque number and who received it (FIN-4)."))
    if Cheque.objects.filter(number=number.strip()).exclude(pk=cheque.pk).exists():
        raise ValidationError({"number": _("Cheque number %(n)s is already in the register.") % {"n": number}})
    due = rules.cheque_due(issued_on, policy.get(cheque.community, "fin.cheque_settle_days"))
    cheque.number, cheque.receiver = number.strip(), receiver.strip()
    cheque.receiver_signed, cheque.department_confirmed = True, True
    cheque.accountant_checked = cheque.budget_checked = True
    cheque.issued_by, cheque.issued_on, cheque.due_on = staff, issued_on, due.date
    cheque.state = Cheque.State.ISSUED
    return _save(cheque, acting_user)


@transaction.atomic
def void_cheque(cheque: Cheque, *, reason: str, returned: bool = False, acting_user) -> Cheque:
    """A spoiled or returned cheque is voided with a reason (never deleted). FIN-4: an issued cheque is voided
    only by the service centre's finance, and only once the paper cheque is back: until it is settled or
    returned, the community gets no new cheque. A cheque applied for and not issued yet may be withdrawn by
    the community's keepers too."""
    staff = _staff(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason (FIN-11).")})
    cheque = Cheque.objects.select_for_update(of=("self",)).select_related("community").get(pk=cheque.pk)
    if cheque.state not in Cheque.UNSETTLED:
        raise ValidationError(_("Only an unsettled cheque can be voided."))
    if cheque.state == Cheque.State.ISSUED:
        if not approvals.holds_role(staff, Role.FINANCE, cheque.community, timezone.localdate()):  # FIN-4
            raise ValidationError(_("Only the service centre's finance voids an issued cheque; until it is settled "
                                    "or returned, no new cheque is issued to the community (FIN-4)."))
        if not returned:
            raise ValidationError({"returned": _("An issued cheque is voided only when the paper cheque has been "
                                                 "returned to finance (FIN-4).")})
        cheque.returned = True
    cheque.state, cheque.void_reason, cheque.voided_by = Cheque.State.VOID, reason.strip(), staff
    return _save(cheque, acting_user)


# --- reimbursement (FIN-5, FIN-6, FIN-8) ----------------------------------------------------------


def reimbursement_for(expense: Expense, *, acting_user) -> Reimbursement:
    reimbursement = Reimbursement.objects.filter(expense=expense).first()
    if reimbursement is None:
        reimbursement = _save(Reimbursement(community=expense.community, expense=expense), acting_user)
    return reimbursement


SIGNATURES = ("handler", "station_head", "director")


def _open_reimbursement(expense: Expense, acting_user) -> Reimbursement:
    reimbursement = reimbursement_for(expense, acting_user=acting_user)
    reimbursement = Reimbursement.objects.select_for_update(of=("self",)).get(pk=reimbursement.pk)
    if reimbursement.completed_on:
        raise ValidationError(_("This reimbursement is complete and cannot be changed (FIN-11)."))
    return reimbursement


def may_sign(staff: Staff | None, expense: Expense, kind: str) -> bool:
    """FIN-5: may ``staff`` sign the reimbursement as ``kind`` (handler, station_head, director)?"""
    if staff is None or staff.community_id != expense.community_id:
        return False
    if kind == "handler":
        return staff.pk == expense.requested_by_id
    role = {"station_head": Role.STATION_HEAD, "director": Role.DIRECTOR}[kind]
    return approvals.holds_role(staff, role, expense.community, timezone.localdate())


@transaction.atomic
def sign_reimbursement(expense: Expense, *, kind: str, acting_user) -> Reimbursement:
    """FIN-5: the signature of a person with a login is that person's own act: the handler (who asked for the
    expense), the service-station head or the director signs for themselves; nobody signs for another, and one
    person gives one signature (CTL-2)."""
    staff = _staff(acting_user)
    if kind not in SIGNATURES:
        raise ValidationError(_("Unknown signature."))
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    reimbursement = _open_reimbursement(expense, acting_user)
    if not may_sign(staff, expense, kind):
        raise ValidationError(_("Each signature is given by that person themselves, in their own login: %(name)s "
                                "cannot sign as %(as)s (FIN-5).")
                              % {"name": staff.name, "as": rules.signature_label(kind)})
    if getattr(reimbursement, f"signed_{kind}"):
        raise ValidationError(_("This signature has already been given."))
    others = {getattr(reimbursement, f"signed_{k}_by_id") for k in SIGNATURES if k != kind}
    if staff.pk in others:  # CTL-2
        raise ValidationError(_("%(name)s has already signed this reimbursement in another capacity; every "
                                "signature is a different person's (CTL-2).") % {"name": staff.name})
    setattr(reimbursement, f"signed_{kind}", True)
    setattr(reimbursement, f"signed_{kind}_by", staff)
    return _save(reimbursement, acting_user)


@transaction.atomic
def record_payee_signature(expense: Expense, *, acting_user) -> Reimbursement:
    """FIN-5: the person paid signs on paper; the handler records it, with the signed paper scanned as the
    expense's attachment."""
    staff = _staff(acting_user)
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    reimbursement = _open_reimbursement(expense, acting_user)
    if staff.pk != expense.requested_by_id:
        raise ValidationError(_("The handler of the expense records the paid person's signature (FIN-5)."))
    if not expense.attachment:
        raise ValidationError(_("Attach the scanned paper signed by the person paid to the expense first (FIN-5)."))
    reimbursement.signed_payee, reimbursement.signed_payee_recorded_by = True, staff
    return _save(reimbursement, acting_user)


@transaction.atomic
def update_signatures(expense: Expense, *, acting_user, **checks) -> Reimbursement:
    """The utility-bill explanation of a reimbursement (FIN-5). Signatures are not ticked here: each is the
    signer's own act (``sign_reimbursement``, ``record_payee_signature``)."""
    _staff(acting_user)
    if any(checks.get(f"signed_{k}") for k in (*SIGNATURES, "payee")):
        raise ValidationError(_("Signatures are not ticked for others: each person signs in their own login, the "
                                "handler records the paid person's signature with the scanned paper (FIN-5)."))
    reimbursement = _open_reimbursement(expense, acting_user)
    for key in ("is_utility_bill", "utility_explanation"):
        if key in checks:
            setattr(reimbursement, key, checks[key])
    return _save(reimbursement, acting_user)


@transaction.atomic
def add_invoice(expense: Expense, *, kind: str, number: str, date: dt.date, cheque_number: str, total,
                lines: list[tuple[str, Decimal, Decimal, Decimal]], acting_user) -> Invoice:
    """FIN-5: a formal invoice with its itemised lines; payment notices and postal receipts are refused;
    the lines add up; a cheque-paid expense's invoices carry the cheque number."""
    _staff(acting_user)
    if kind in Invoice.REFUSED:
        raise ValidationError({"kind": _("%(kind)s is not accepted for reimbursement (FIN-5).")
                               % {"kind": Invoice.Kind(kind).label}})
    total = _check_amount(total, "total", _("Invoice total"))
    if not lines:
        raise ValidationError(_("List the items of the invoice: item, quantity, unit price and amount (FIN-5)."))
    for n, (item, qty, price, amount) in enumerate(lines):
        # The key "line:<n>" names the line (0-based in ``lines``) so the page shows the error beside it.
        for value, label in ((qty, _("Quantity")), (price, _("Unit price")), (amount, _("Amount"))):
            error = rules.amount_error(value, f"{item} · {label}")
            if error:
                raise ValidationError({f"line:{n}": error})
        if rules.line_amount_error(qty, price, amount):
            raise ValidationError({f"line:{n}": line_mismatch_message(item, qty, price, amount)})
    if not rules.invoice_lines_add_up([(q, p, a) for _i, q, p, a in lines], total):
        raise ValidationError({"total": _("The invoice lines add up to %(sum)s yuan, not %(total)s (FIN-5).")
                               % {"sum": rules.yuan(sum(a for *_x, a in lines)), "total": rules.yuan(total)}})
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    if expense.state != Expense.State.APPROVED:
        raise ValidationError(_("Invoices are handed in for an approved expense that is not reimbursed yet."))
    cheque = expense.cheques.filter(state=Cheque.State.ISSUED).first()
    if cheque is not None and cheque_number.strip() != cheque.number:
        raise ValidationError({"cheque_number": _("Write the cheque number %(n)s on the invoice (FIN-5).")
                               % {"n": cheque.number}})
    reimbursement = reimbursement_for(expense, acting_user=acting_user)
    invoice = _save(Invoice(community=expense.community, reimbursement=reimbursement, kind=kind, number=number.strip(),
                            date=date, cheque_number=cheque_number.strip(), total=total), acting_user)
    for item, qty, price, amount in lines:
        _save(InvoiceLine(invoice=invoice, item=item, quantity=qty, unit_price=price, amount=amount), acting_user)
    return invoice


def line_mismatch_message(item: str, qty, price, amount) -> str:
    """FIN-5: the refusal of an itemised line that does not add up, naming the item and the rule (the page
    puts it beside the line, with the line's number)."""
    return _("%(item)s: %(qty)s × %(price)s yuan is %(expected)s yuan, not %(amount)s yuan (FIN-5).") % {
        "item": item, "qty": qty, "price": rules.yuan(price),
        "expected": rules.yuan((qty * price).quantize(rules.CENT)), "amount": rules.yuan(amount)}


@transaction.atomic
def withdraw_invoice(invoice: Invoice, *, reason: str, acting_user) -> Invoice:
    _staff(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason (FIN-11).")})
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("reimbursement").get(pk=invoice.pk)
    if invoice.reimbursement.completed_on:
        raise ValidationError(_("This reimbursement is complete and cannot be changed (FIN-11)."))
    invoice.voided, invoice.void_reason = True, reason.strip()
    return _save(invoice, acting_user)


def reimbursement_problems(expense: Expense, reimbursement: Reimbursement | None, paid_on: dt.date) -> list[str]:
    """Everything that keeps an expense from being reimbursed on ``paid_on`` (FIN-4/5/6/8), in plain words."""
    problems = []
    community = expense.community
    if reimbursement is None:
        return [_("No invoices have been handed in yet (FIN-5).")]
    invoices = list(reimbursement.invoices.filter(voided=False).prefetch_related("lines"))
    total = sum((i.total for i in invoices), ZERO)
    if total != expense.amount:
        problems.append(_("The invoices add up to %(total)s yuan; the expense is %(amount)s yuan (FIN-5).")
                        % {"total": rules.yuan(total), "amount": rules.yuan(expense.amount)})
    missing = rules.missing_signatures(
        handler=reimbursement.signed_handler, station_head=reimbursement.signed_station_head,
        director=reimbursement.signed_director, payee=reimbursement.signed_payee,
        payee_is_person=expense.payee_is_person, approvals_complete=approvals.outcome(expense) == "approved",
        is_utility=reimbursement.is_utility_bill, utility_explanation=reimbursement.utility_explanation)
    if missing:
        problems.append(_("Missing: %(list)s (FIN-5).") % {"list": "、".join(str(m) for m in missing)})
    if expense.is_purchase:  # FIN-8
        bought = [(p.item, p.quantity, p.unit_price) for p in expense.purchase_items.all()]
        invoiced = [(line.item, line.quantity, line.unit_price) for i in invoices for line in i.lines.all()]
        if not rules.purchase_matches(bought, invoiced):
            problems.append(_("The invoices' items, quantities and unit prices do not match what was bought (FIN-8)."))
    if expense.method == PaymentMethod.CASH:
        days = policy.get(community, "fin.cash_days")
        if not rules.is_cash_day(paid_on, days):  # FIN-5
            problems.append(_("Cash is reimbursed only on the cash days (the %(days)s of a month, or the next working "
                              "day); the next one is %(next)s (FIN-5).")
                            % {"days": "、".join(f"{d}日" for d in days),
                               "next": rules.next_cash_day(paid_on, days).isoformat()})
        above = policy.get(community, "fin.cash_notice_above")
        if rules.cash_needs_notice(expense.method, expense.amount, above) and not rules.notice_in_time(
                expense.finance_notified_on, paid_on):  # FIN-6
            problems.append(_("Cash above %(limit)s yuan: finance must be told at least one day ahead; record when "
                              "it was told (FIN-6).") % {"limit": above})
    if expense.method == PaymentMethod.CHEQUE and not expense.cheques.filter(state=Cheque.State.ISSUED).exists():
        problems.append(_("No issued cheque for this expense (FIN-4)."))
    for check in _REIMBURSEMENT_CHECKS:  # other chapters' conditions (WEL-9)
        problems.extend(check(expense, paid_on))
    return problems


@transaction.atomic
def complete_reimbursement(expense: Expense, *, paid_on: dt.date | None = None, late_reason: str = "",
                           acting_user) -> Expense:
    """The service centre's finance accepts the papers: the expense is paid and its cheque settled. CTL-6: the
    date is today's; an earlier one is a late entry (补记) with a reason, marked wherever it is shown."""
    staff = _staff(acting_user)
    expense = Expense.objects.select_for_update(of=("self",)).select_related("community", "line__budget").get(pk=expense.pk)
    act = acts.act_date(paid_on, reason=late_reason, field="paid_on")  # CTL-6
    paid_on = act.day
    if not approvals.holds_role(staff, Role.FINANCE, expense.community, paid_on):
        raise ValidationError(_("The service centre's finance accepts reimbursements (FIN-5)."))
    if expense.state != Expense.State.APPROVED:
        raise ValidationError(_("Only an approved expense that is not yet paid can be reimbursed."))
    reimbursement = Reimbursement.objects.select_for_update(of=("self",)).filter(expense=expense).first()
    problems = reimbursement_problems(expense, reimbursement, paid_on)
    if problems:
        raise ValidationError(problems)
    for cheque in expense.cheques.select_for_update(of=("self",)).filter(state=Cheque.State.ISSUED):
        cheque.state, cheque.settled_on = Cheque.State.SETTLED, paid_on
        cheque.settled_late, cheque.settled_late_reason = act.late, act.reason
        _save(cheque, acting_user)
    reimbursement.completed_on, reimbursement.completed_by = paid_on, staff
    _save(reimbursement, acting_user)
    expense.state, expense.paid_on = Expense.State.PAID, paid_on
    expense.paid_late, expense.paid_late_reason = act.late, act.reason
    return _save(expense, acting_user)


@transaction.atomic
def record_finance_notice(expense: Expense, *, notified_on: dt.date | None = None, late_reason: str = "",
                          acting_user) -> Expense:
    """FIN-6: record the day finance was told of a cash payment of 1000 yuan or more. CTL-6: today, or an
    earlier day as a late entry (补记) with a reason."""
    _staff(acting_user)
    act = acts.act_date(notified_on, reason=late_reason, field="notified_on")  # CTL-6
    expense = Expense.objects.select_for_update(of=("self",)).get(pk=expense.pk)
    if expense.state not in (Expense.State.PENDING, Expense.State.APPROVED):
        raise ValidationError(_("This expense is closed."))
    expense.finance_notified_on = act.day
    expense.finance_notified_late, expense.finance_notified_late_reason = act.late, act.reason
    return _save(expense, acting_user)


# --- self-managed income and receipts (FIN-7) -----------------------------------------------------


@transaction.atomic
def record_receipt(*, community: Community, source: str, payer: str, purpose: str, amount,
                   received_on: dt.date | None = None, late_reason: str = "", acting_user,
                   line: BudgetLine | None = None) -> Receipt:
    """Record self-managed income with the next receipt number: allocated under a lock on the community's
    counter, so numbers have no gaps and are never reused (FIN-7)."""
    staff = _staff(acting_user)
    amount = _check_amount(amount, "amount", _("Amount"))
    if line is not None and (line.community_id != community.pk or line.budget.fund_type != FundType.SELF_MANAGED):
        raise ValidationError({"line": _("Choose a self-managed budget line of this community (FIN-7).")})
    if not payer.strip():
        raise ValidationError({"payer": _("Name the payer (FIN-7).")})
    act = acts.act_date(received_on, reason=late_reason, field="received_on")  # CTL-6
    ReceiptCounter.objects.get_or_create(community=community)
    counter = ReceiptCounter.objects.select_for_update(of=("self",)).get(community=community)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    receipt = _save(Receipt(community=community, number=counter.last_number, line=line, source=source,
                            payer=payer.strip(), purpose=purpose.strip(), amount=amount, received_on=act.day,
                            received_late=act.late, received_late_reason=act.reason, handler=staff), acting_user)
    # SEAL-2: the two-part receipt is stamped with the committee seal; its use is registered (a void seal
    # refuses, SEAL-8, and no receipt number is taken).
    from seals.services import link_or_register

    link_or_register(community=community, reference="", source=receipt, acting_user=acting_user,
                     use_kind="other_work", field="amount",
                     matter=lambda: _("Receipt No. %(number)s of self-managed funds: %(payer)s, %(amount)s yuan") % {
                         "number": receipt.number, "payer": receipt.payer, "amount": rules.yuan(amount)})
    return receipt


@transaction.atomic
def reverse_receipt(receipt: Receipt, *, reason: str, acting_user) -> Reversal:
    """FIN-7/FIN-11: a wrong receipt keeps its number (never reused); a reversal entry cancels its amount."""
    staff = _staff(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for the reversal (FIN-11).")})
    receipt = Receipt.objects.select_for_update(of=("self",)).get(pk=receipt.pk)
    if receipt.reversed:
        raise ValidationError(_("This receipt is already reversed."))
    if self_managed_balance(receipt.community) < receipt.amount:
        raise ValidationError(_("The self-managed funds already spent or committed need this income."))
    reversal = _save(Reversal(community=receipt.community, receipt=receipt, amount=receipt.amount,
                              reason=reason.strip(), date=timezone.localdate(), recorded_by=staff), acting_user)
    receipt.reversed = True
    _save(receipt, acting_user)
    return reversal


def cash_book(community: Community, year: int) -> dict:
    """FIN-7: the self-managed cash book of a year: income (receipts), payments and reversals in date order
    with a running balance; the balance brought forward from earlier years. A fixed number of queries."""
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    receipts = Receipt.objects.filter(community=community)
    paid = Expense.objects.filter(community=community, line__budget__fund_type=FundType.SELF_MANAGED,
                                  paid_on__isnull=False)
    reversals = Reversal.objects.filter(community=community).filter(
        Q(receipt__isnull=False) | Q(expense__line__budget__fund_type=FundType.SELF_MANAGED,
                                     expense__paid_on__isnull=False))
    before = (receipts.filter(received_on__lt=start).aggregate(s=_zero(Sum("amount")))["s"]
              - paid.filter(paid_on__lt=start).aggregate(s=_zero(Sum("amount")))["s"]
              - reversals.filter(date__lt=start, receipt__isnull=False).aggregate(s=_zero(Sum("amount")))["s"]
              + reversals.filter(date__lt=start, expense__isnull=False).aggregate(s=_zero(Sum("amount")))["s"])
    rows = []
    for r in receipts.filter(received_on__range=(start, end)).select_related("handler"):
        rows.append({"date": r.received_on, "text": f"{r.get_source_display()} · {r.payer} · {r.purpose}",
                     "ref": _("Receipt No. %(n)s") % {"n": r.display_number}, "income": r.amount, "out": None,
                     "url": r.get_absolute_url(), "order": (r.received_on, 0, r.number)})
    for e in paid.filter(paid_on__range=(start, end)):
        rows.append({"date": e.paid_on, "text": f"{e.purpose} · {e.payee}", "ref": _("Expense"), "income": None,
                     "out": e.amount, "url": e.get_absolute_url(), "order": (e.paid_on, 1, e.pk)})
    for v in reversals.filter(date__range=(start, end)).select_related("receipt", "expense"):
        if v.receipt_id:
            rows.append({"date": v.date, "text": _("Reversal: %(reason)s") % {"reason": v.reason},
                         "ref": _("Receipt No. %(n)s") % {"n": v.receipt.display_number}, "income": None,
                         "out": v.amount, "url": v.get_absolute_url(), "order": (v.date, 2, v.pk)})
        else:
            rows.append({"date": v.date, "text": _("Reversal: %(reason)s") % {"reason": v.reason},
                         "ref": _("Expense"), "income": v.amount, "out": None, "url": v.get_absolute_url(),
                         "order": (v.date, 2, v.pk)})
    rows.sort(key=lambda r: r["order"])
    balance = before
    for row in rows:
        balance += (row["income"] or ZERO) - (row["out"] or ZERO)
        row["balance"] = balance
    return {"year": year, "brought_forward": before, "rows": rows, "balance": balance,
            "income": sum((r["income"] or ZERO for r in rows), ZERO), "out": sum((r["out"] or ZERO for r in rows), ZERO)}


# --- audits (FIN-9) -------------------------------------------------------------------------------


@transaction.atomic
def record_audit(*, community: Community, kind: str, done_on: dt.date | None = None, auditors: str,
                 findings: str = "", period_start=None, period_end=None, role_assignment=None, late_reason: str = "",
                 acting_user) -> Audit:
    """FIN-9: record an audit. CTL-6: the audit date is today's; an earlier one is a late entry (补记)."""
    staff = _staff(acting_user)
    act = acts.act_date(done_on, reason=late_reason, field="done_on")
    if kind == Audit.Kind.DEPARTURE:
        if role_assignment is None or role_assignment.community_id != community.pk:
            raise ValidationError({"role_assignment": _("Choose the ended role of this community (FIN-9).")})
    elif not (period_start and period_end) or period_end < period_start:
        raise ValidationError({"period_end": _("Give the period the audit covers (FIN-9).")})
    if not auditors.strip():
        raise ValidationError({"auditors": _("Name the auditors (FIN-9).")})
    return _save(Audit(community=community, kind=kind, done_on=act.day, done_late=act.late,
                       done_late_reason=act.reason, auditors=auditors.strip(), findings=findings,
                       period_start=period_start, period_end=period_end, role_assignment=role_assignment,
                       recorded_by=staff), acting_user)


def departures_due(communities, day: dt.date, *, since_days: int = 366, assignments=None, audited=None):
    """FIN-9: role assignments of any committee cadre (``CADRE_ROLES``: 居委会干部离任时) and of bookkeepers that
    ended (within a year before ``day``) with no departure audit recorded. One query; none with
    ``assignments`` (``committee.reminders.assignments``, covering the year) and ``audited`` (the ids of the
    role assignments with a departure audit)."""
    from committee.models import RoleAssignment

    if assignments is not None and audited is not None:
        since = day - dt.timedelta(days=since_days)
        return [ra for ra in assignments if ra.role in DEPARTURE_AUDIT_ROLES and ra.end is not None
                and since <= ra.end <= day and ra.pk not in audited]
    return (RoleAssignment.objects.filter(
        community__in=communities, role__in=DEPARTURE_AUDIT_ROLES, end__isnull=False,
        end__lte=day, end__gte=day - dt.timedelta(days=since_days))
        .exclude(pk__in=Audit.objects.filter(kind=Audit.Kind.DEPARTURE).values("role_assignment_id"))
        .select_related("staff", "community"))


# --- quarterly figures (FIN-10) -------------------------------------------------------------------


def quarter_figures(community: Community, year: int, quarter: int) -> dict:
    """FIN-10: income and spending of a community in a quarter, per fund type and budget line, for the
    quarterly report and the disclosure notice (DIS-2). A fixed number of queries.

    Spending counts the expenses paid in the period less reversals of paid expenses dated in it; income is
    self-managed receipts less their reversals. ``spent_to_date`` runs from January 1 to the quarter's end.
    """
    start, end = rules.quarter_bounds(year, quarter)
    year_start = dt.date(year, 1, 1)
    q_paid = Q(expenses__paid_on__range=(start, end))
    ytd_paid = Q(expenses__paid_on__range=(year_start, end))
    q_rev = Q(expenses__reversal__date__range=(start, end), expenses__paid_on__isnull=False)
    ytd_rev = Q(expenses__reversal__date__range=(year_start, end), expenses__paid_on__isnull=False)
    lines = (BudgetLine.objects.filter(community=community, budget__year=year)
             .select_related("budget").order_by("budget__fund_type", "name")
             .annotate(q_paid=_zero(Sum("expenses__amount", filter=q_paid)),
                       ytd_paid=_zero(Sum("expenses__amount", filter=ytd_paid)),
                       q_rev=_zero(Sum("expenses__reversal__amount", filter=q_rev)),
                       ytd_rev=_zero(Sum("expenses__reversal__amount", filter=ytd_rev))))
    income_rows = (Receipt.objects.filter(community=community, received_on__range=(start, end))
                   .values("line_id").annotate(s=Sum("amount")))
    income_rev = (Reversal.objects.filter(community=community, receipt__isnull=False, date__range=(start, end))
                  .values("receipt__line_id").annotate(s=Sum("amount")))
    income_by_line: dict = {}
    for row in income_rows:
        income_by_line[row["line_id"]] = income_by_line.get(row["line_id"], ZERO) + row["s"]
    for row in income_rev:
        income_by_line[row["receipt__line_id"]] = income_by_line.get(row["receipt__line_id"], ZERO) - row["s"]
    funds: OrderedDict = OrderedDict()
    for ft in FundType:
        funds[ft.value] = {"fund_type": ft.value, "label": str(ft.label), "budget": ZERO, "income": ZERO,
                           "spent": ZERO, "spent_to_date": ZERO, "remaining": ZERO, "lines": []}
    for line in lines:
        fund = funds[line.budget.fund_type]
        spent = line.q_paid - line.q_rev
        ytd = line.ytd_paid - line.ytd_rev
        income = income_by_line.get(line.pk, ZERO)
        fund["lines"].append({"name": line.name, "budget": line.amount, "income": income, "spent": spent,
                              "spent_to_date": ytd, "remaining": line.amount - ytd})
        fund["budget"] += line.amount
        fund["spent"] += spent
        fund["spent_to_date"] += ytd
        fund["income"] += income
    unassigned = income_by_line.get(None, ZERO)
    if unassigned:
        funds[FundType.SELF_MANAGED.value]["income"] += unassigned
        funds[FundType.SELF_MANAGED.value]["lines"].append(
            {"name": str(_("Income not assigned to a line")), "budget": ZERO, "income": unassigned, "spent": ZERO,
             "spent_to_date": ZERO, "remaining": ZERO})
    for fund in funds.values():
        fund["remaining"] = fund["budget"] - fund["spent_to_date"]
    fund_list = [f for f in funds.values() if f["lines"]]
    totals = {k: sum((f[k] for f in fund_list), ZERO) for k in ("budget", "income", "spent", "spent_to_date",
                                                                  "remaining")}
    return {"community": community, "year": year, "quarter": quarter, "start": start, "end": end,
            "funds": fund_list, "totals": totals}
