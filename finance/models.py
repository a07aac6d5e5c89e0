"""Finance (FIN-1 … FIN-11): budgets and their lines, expenses with tiered approval, cheques, reimbursement
with invoices, self-managed income with numbered receipts, audits, and reversals. Money is Decimal yuan
with two places (FIN-11); nothing here is ever deleted: a wrong entry is reversed by a new one."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee.models import Community, RoleAssignment, Staff
from committee.uploads import UploadField, UploadTo

MONEY = {"max_digits": 12, "decimal_places": 2}


class FundType(models.TextChoices):
    """The funds a community spends (A5 三.1, 六). The welfare issue (WEL) builds on WELFARE."""

    OFFICE = "office", _("Office funds")
    WELFARE = "welfare", _("Public-welfare fund")
    SPECIAL = "special", _("Other special funds")
    SELF_MANAGED = "self_managed", _("Self-managed funds")


class Budget(models.Model):
    """A community's budget of one fund type for one year, split into lines. FIN-3"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="budgets",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    fund_type = models.CharField(_("fund type"), max_length=20, choices=FundType.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "fund_type"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "fund_type"], name="fin_budget_unique_fund_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_fund_type_display()}"

    def get_absolute_url(self):
        return reverse("finance_budget", args=[self.pk])


class BudgetLine(models.Model):
    """One line of a budget (预算支出口径): an amount for one purpose; WEL projects will hang off lines."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="lines", verbose_name=_("budget"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="budget_lines",
                                  verbose_name=_("community"))
    name = models.CharField(_("budget line"), max_length=100)
    amount = models.DecimalField(_("budgeted amount (yuan)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "name"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="fin_line_unique_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fin_line_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.budget} · {self.name}"

    def get_absolute_url(self):
        return reverse("finance_budget", args=[self.budget_id])


class PaymentMethod(models.TextChoices):
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")


class Expense(models.Model):
    """An expense request against a budget line, approved by the FIN-2/FIN-3 routing, then paid by
    cheque, cash or transfer and reimbursed with invoices (FIN-4, FIN-5)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not paid")
        REJECTED = "rejected", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PAID = "paid", _("Paid and reimbursed")
        REVERSED = "reversed", _("Reversed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="expenses",
                                  verbose_name=_("community"))
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses",
                             verbose_name=_("budget line"))
    purpose = models.CharField(_("purpose"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    payee = models.CharField(_("payee"), max_length=100)
    payee_is_person = models.BooleanField(_("paid to an individual"), default=False,
                                          help_text=_("Hardship aid or an allowance to a person: the person signs (FIN-5)."))
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    cash_leader_approval = models.BooleanField(
        _("ask a leader to approve cash"), default=False,
        help_text=_("Cash from 800 yuan needs the approval of the street leader in charge (FIN-6)."))
    finance_notified_on = models.DateField(_("finance notified on"), null=True, blank=True,
                                           help_text=_("Cash of 1000 yuan or more: tell finance a day ahead (FIN-6)."))
    # CTL-6: a notice recorded with an earlier date than the day it was entered is a late entry (补记).
    finance_notified_late = models.BooleanField(_("notice entered late (补记)"), default=False)
    finance_notified_late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    is_purchase = models.BooleanField(_("purchase of goods"), default=False)
    purchaser_member = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("purchaser: committee member"))
    purchaser_station = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("purchaser: service-station staff"))
    purchaser_supervisor = models.CharField(_("purchaser: supervisor"), max_length=50, blank=True)
    attachment = UploadField(_("attachment"), upload_to=UploadTo("finance/expenses"), blank=True)  # CTL-7
    attachment_sha256 = models.CharField(_("attachment checksum (sha256)"), max_length=64, blank=True, editable=False)
    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="finance_expenses",
        verbose_name=_("collective decision"),
        help_text=_("Self-managed funds: the decision recorded in the minutes that allows this expense (FIN-7)."))
    fund_decision = models.ForeignKey(
        "FundDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="expenses",
        verbose_name=_("spending decision"),
        help_text=_("Self-managed funds: the joint meeting's decision with its purpose and ceiling (FIN-7)."))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    beyond_budget = models.BooleanField(_("beyond the budget line"), default=False,
                                        help_text=_("Reported item by item to street leadership (FIN-3)."))
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_on = models.DateField(_("requested on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_late = models.BooleanField(_("payment entered late (补记)"), default=False)  # CTL-6
    paid_late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_expense_amount_positive"),
            models.CheckConstraint(condition=~Q(state="paid") | Q(paid_on__isnull=False), name="fin_paid_has_date"),
        ]
        indexes = [models.Index(fields=["line", "state"]), models.Index(fields=["community", "paid_on"])]

    def __str__(self):
        from finance.rules import yuan

        return f"{self.purpose} {yuan(self.amount)} 元"

    def get_absolute_url(self):
        return reverse("finance_expense", args=[self.pk])

    @property
    def fund_type(self) -> str:
        return self.line.budget.fund_type


class PurchaseItem(models.Model):
    """What a purchase (FIN-8) buys; the invoice lines must match it."""

    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="purchase_items")
    item = models.CharField(pgettext_lazy("goods", "item"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase item")
        verbose_name_plural = _("purchase items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(unit_price__gt=0), name="fin_purchase_item_positive"),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"

    @property
    def community(self):
        return self.expense.community


class Cheque(models.Model):
    """A bank cheque (支票) applied for an approved expense and entered in the cheque register. FIN-4"""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Applied for")
        ISSUED = "issued", _("Issued, to be settled")
        SETTLED = "settled", _("Settled")
        VOID = "void", _("Void")

    UNSETTLED = (State.REQUESTED, State.ISSUED)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="cheques",
                                  verbose_name=_("community"))
    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="cheques", verbose_name=_("expense"))
    fund_type = models.CharField(_("fund type"), max_length=20, choices=FundType.choices)
    project = models.CharField(_("project"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    applied_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("applied by"))
    applied_on = models.DateField(_("applied on"))
    number = models.CharField(_("cheque number"), max_length=40, blank=True)
    department_confirmed = models.BooleanField(_("street department confirmed"), default=False)
    accountant_checked = models.BooleanField(_("accountant checked"), default=False)
    budget_checked = models.BooleanField(_("budget checked"), default=False)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("issued by (cashier)"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    receiver = models.CharField(_("received by"), max_length=50, blank=True)
    receiver_signed = models.BooleanField(_("receiver signed the cheque register"), default=False)
    due_on = models.DateField(_("to be settled by"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settled_late = models.BooleanField(_("settlement entered late (补记)"), default=False)  # CTL-6
    settled_late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    voided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("voided by"))
    returned = models.BooleanField(_("the paper cheque was returned"), default=False)  # FIN-4
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cheque")
        verbose_name_plural = _("cheques")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_cheque_amount_positive"),
            # FIN-4: while one cheque of a community is unsettled, no other is applied for or issued.
            models.UniqueConstraint(fields=["community"], condition=Q(state__in=["requested", "issued"]),
                                    name="fin_one_unsettled_cheque_per_community"),
            models.CheckConstraint(condition=~Q(state__in=["issued", "settled"]) | (
                ~Q(number="") & Q(issued_on__isnull=False) & Q(receiver_signed=True)), name="fin_issued_cheque_complete"),
        ]

    def __str__(self):
        from finance.rules import yuan

        return _("Cheque %(number)s, %(amount)s 元") % {"number": self.number or "—", "amount": yuan(self.amount)}

    def get_absolute_url(self):
        return reverse("finance_expense", args=[self.expense_id])

    @property
    def is_unsettled(self) -> bool:
        return self.state in self.UNSETTLED


class Reimbursement(models.Model):
    """The reimbursement (报销) of a paid expense: invoices and the signatures checklist. FIN-5"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="reimbursements",
                                  verbose_name=_("community"))
    expense = models.OneToOneField(Expense, on_delete=models.PROTECT, related_name="reimbursement")
    signed_handler = models.BooleanField(_("signed by the handler"), default=False)
    signed_station_head = models.BooleanField(_("signed by the service-station head"), default=False)
    signed_director = models.BooleanField(_("signed by the director"), default=False)
    signed_payee = models.BooleanField(_("signed by the person paid"), default=False)
    # FIN-5: each signature of a person with a login is that person's own act (who signed, when).
    signed_handler_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("handler who signed"))
    signed_station_head_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("station head who signed"))
    signed_director_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                           verbose_name=_("director who signed"))
    signed_payee_recorded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handler who recorded the payee's signature"),
        help_text=_("The person paid signs on paper; the handler records it with the scanned document."))
    utility_explanation = models.CharField(
        _("explanation for a utility bill in a person's name"), max_length=200, blank=True)
    is_utility_bill = models.BooleanField(_("water, power, gas or phone bill in a person's or the committee's name"),
                                          default=False)
    completed_on = models.DateField(_("reimbursed on"), null=True, blank=True)
    completed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reimbursement")
        verbose_name_plural = _("reimbursements")

    def __str__(self):
        return _("Reimbursement of %(expense)s") % {"expense": self.expense}

    def get_absolute_url(self):
        return reverse("finance_reimbursement", args=[self.expense_id])


class Invoice(models.Model):
    """An invoice or receipt handed in for reimbursement, with its itemised lines. FIN-5"""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Formal invoice")
        TILL_SLIP = "till_slip", _("Printed till slip with items")
        SELF_MADE = "self_made", _("Self-made voucher")
        PAYMENT_NOTICE = "payment_notice", _("Payment notice")
        POSTAL_RECEIPT = "postal_receipt", _("Postal savings receipt")

    REFUSED = (Kind.PAYMENT_NOTICE, Kind.POSTAL_RECEIPT)

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="invoices",
                                  verbose_name=_("community"))
    reimbursement = models.ForeignKey(Reimbursement, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("invoice number"), max_length=40)
    date = models.DateField(_("invoice date"))
    cheque_number = models.CharField(_("cheque number written on it"), max_length=40, blank=True)
    total = models.DecimalField(_("invoice total (yuan)"), **MONEY)
    voided = models.BooleanField(_("withdrawn"), default=False)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="fin_invoice_total_positive"),
            models.CheckConstraint(condition=~Q(kind__in=["payment_notice", "postal_receipt"]),
                                   name="fin_invoice_kind_accepted"),
        ]

    def __str__(self):
        from finance.rules import yuan

        return f"{self.number} {yuan(self.total)} 元"

    def get_absolute_url(self):
        return reverse("finance_reimbursement", args=[self.reimbursement.expense_id])


class InvoiceLine(models.Model):
    """One itemised line of an invoice: item, quantity, unit price, amount. FIN-5"""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    item = models.CharField(pgettext_lazy("goods", "item"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(unit_price__gt=0) & Q(amount__gt=0),
                                   name="fin_invoice_line_positive"),
        ]

    def __str__(self):
        return f"{self.item} {self.quantity} × {self.unit_price} = {self.amount}"


class ReceiptCounter(models.Model):
    """The last receipt number used by a community; locked while a number is allocated (FIN-7)."""

    community = models.OneToOneField(Community, on_delete=models.PROTECT, related_name="receipt_counter")
    last_number = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.community} · {self.last_number}"


class Receipt(models.Model):
    """Self-managed income with its numbered two-part receipt (payer's copy and stub). FIN-7"""

    class Source(models.TextChoices):
        CLEANING = "cleaning", _("Cleaning fee")
        SPONSORSHIP = "sponsorship", _("Sponsorship by a unit")
        DONATION = "donation", _("Donation by a person")
        SCRAP = "scrap", _("Sale of scrap")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="receipts",
                                  verbose_name=_("community"))
    number = models.PositiveIntegerField(_("receipt number"))
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
                             verbose_name=_("budget line"))
    source = models.CharField(_("kind of income"), max_length=20, choices=Source.choices)
    payer = models.CharField(_("payer"), max_length=100)
    purpose = models.CharField(_("for"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    received_on = models.DateField(_("received on"))
    received_late = models.BooleanField(_("entered late (补记)"), default=False)  # CTL-6
    received_late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by"))
    reversed = models.BooleanField(_("reversed"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="fin_receipt_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_receipt_amount_positive"),
            models.CheckConstraint(condition=Q(number__gt=0), name="fin_receipt_number_positive"),
        ]

    def __str__(self):
        return _("Receipt No. %(number)s") % {"number": self.display_number}

    @property
    def display_number(self) -> str:
        return f"{self.number:06d}"

    def get_absolute_url(self):
        return reverse("finance_receipt", args=[self.pk])


class Reversal(models.Model):
    """A new entry cancelling a recorded expense or receipt, with a reason: nothing is deleted. FIN-11"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="reversals",
                                  verbose_name=_("community"))
    expense = models.OneToOneField(Expense, on_delete=models.PROTECT, null=True, blank=True, related_name="reversal")
    receipt = models.OneToOneField(Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="reversal")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("finance", "recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reversal")
        verbose_name_plural = _("reversals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_reversal_amount_positive"),
            models.CheckConstraint(condition=(Q(expense__isnull=False) & Q(receipt__isnull=True))
                                   | (Q(expense__isnull=True) & Q(receipt__isnull=False)), name="fin_reversal_one_target"),
            models.CheckConstraint(condition=~Q(reason=""), name="fin_reversal_has_reason"),
        ]

    def __str__(self):
        return _("Reversal of %(amount)s yuan: %(reason)s") % {"amount": self.amount, "reason": self.reason}

    def get_absolute_url(self):
        return (self.expense or self.receipt).get_absolute_url()


class FundDecision(models.Model):
    """FIN-7: a collective decision of the joint meeting (三委联席会: party committee, residents' committee and
    service station) allowing self-managed funds to be spent: its purpose and ceiling. Spending linked to it
    never exceeds what is left of the ceiling. Never edited; voided with a reason."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="fund_decisions",
                                  verbose_name=_("community"))
    decision = models.OneToOneField("meetings.Decision", on_delete=models.PROTECT, related_name="fund_decision",
                                    verbose_name=_("decision in the minutes"))
    purpose = models.CharField(_("purpose"), max_length=200)
    ceiling = models.DecimalField(_("ceiling (yuan)"), **MONEY)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=pgettext_lazy("finance", "recorded by"))
    recorded_on = models.DateField(_("recorded on"))
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending decision")
        verbose_name_plural = _("spending decisions")
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ceiling__gt=0), name="fin_fund_decision_ceiling_positive"),
        ]

    def __str__(self):
        from finance.rules import yuan

        return _("%(purpose)s (up to %(ceiling)s yuan)") % {"purpose": self.purpose, "ceiling": yuan(self.ceiling)}

    def get_absolute_url(self):
        return reverse("finance_fund_decisions")


class Audit(models.Model):
    """An internal audit (half-yearly) or a departure audit (离任审计) of a director or bookkeeper. FIN-9"""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Half-yearly internal audit")
        DEPARTURE = "departure", _("Departure audit")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="audits",
                                  verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    role_assignment = models.ForeignKey(RoleAssignment, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("role that ended"))
    done_on = models.DateField(_("audited on"))
    done_late = models.BooleanField(_("entered late (补记)"), default=False)  # CTL-6
    done_late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    auditors = models.CharField(_("auditors"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-done_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="departure") | Q(role_assignment__isnull=False),
                                   name="fin_departure_audit_names_role"),
            models.CheckConstraint(condition=~Q(kind="periodic") | (Q(period_start__isnull=False)
                                   & Q(period_end__isnull=False)), name="fin_periodic_audit_has_period"),
        ]

    def __str__(self):
        return f"{self.community} · {self.get_kind_display()} · {self.done_on}"

    def get_absolute_url(self):
        return reverse("finance_audit_list")


ZERO = Decimal("0.00")
