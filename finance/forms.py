from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.forms import DateInput
from committee.models import Staff
from finance import rules
from finance.models import (
    Audit,
    Budget,
    BudgetLine,
    Expense,
    FundDecision,
    FundType,
    Invoice,
    PaymentMethod,
    Receipt,
)


class MoneyField(forms.CharField):
    """An amount in yuan: positive, at most two decimals, with the rule's message (FIN-11)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        text = str(value).replace(",", "").replace("，", "").replace("¥", "").strip()
        error = rules.amount_error(text, str(self.label))
        if error:
            raise forms.ValidationError(error)
        return Decimal(text)


class ActDateField(forms.DateField):
    """A date in a finance form: refused before 1900 or after next year (CTL-8), never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)

    def clean(self, value):
        try:
            day = super().clean(value)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("Enter a real date.")) from None
        if day is not None and not (1900 <= day.year <= timezone.localdate().year + 1):
            raise forms.ValidationError(_("Enter a date between 1900 and next year."))
        return day


LATE_REASON = _("Reason for the late entry (补记)")


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    fund_type = forms.ChoiceField(label=_("Fund type"), choices=FundType.choices)
    note = forms.CharField(label=pgettext_lazy("finance", "Note"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)


class LineForm(forms.Form):
    name = forms.CharField(label=_("Budget line"), max_length=100)
    amount = MoneyField(label=_("Budgeted amount (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)


class LineChangeForm(forms.Form):
    amount = MoneyField(label=_("New amount (yuan)"))
    reason = forms.CharField(label=_("Reason for the change"), max_length=100)


class ExpenseForm(forms.ModelForm):
    amount = MoneyField(label=_("Amount (yuan)"))
    items = forms.CharField(
        label=_("Items bought"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Purchases only: one item a line as “item, quantity, unit price”, e.g. 打印纸, 10, 25.50 (FIN-8)."))

    class Meta:
        model = Expense
        fields = ["line", "purpose", "amount", "payee", "payee_is_person", "method", "cash_leader_approval",
                  "is_purchase", "purchaser_member", "purchaser_station",
                  "purchaser_supervisor", "attachment", "fund_decision"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["line"].queryset = BudgetLine.objects.filter(
            community=community, budget__year__gte=year - 1).select_related("budget").order_by(
            "-budget__year", "budget__fund_type", "name")
        self.fields["line"].label_from_instance = lambda line: f"{line.budget.year} {line.budget.get_fund_type_display()} · {line.name}"
        people = Staff.objects.filter(community=community, left_on__isnull=True).order_by("name")
        self.fields["purchaser_member"].queryset = people
        self.fields["purchaser_station"].queryset = people
        self.fields["fund_decision"].queryset = FundDecision.objects.filter(
            community=community, voided=False).select_related("decision__meeting")
        self.fields["fund_decision"].label = _("Collective decision (self-managed funds)")
        self.order_fields(["line", "fund_decision", "purpose", "amount"])

    def clean_items(self):
        rows = []
        for n, raw in enumerate(self.cleaned_data.get("items", "").splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.replace("，", ",").split(",")]
            try:
                item, qty, price = parts[0], Decimal(parts[1]), Decimal(parts[2])
            except (IndexError, InvalidOperation):
                raise forms.ValidationError(_("Line %(n)s: write “item, quantity, unit price”.") % {"n": n}) from None
            for value, label in ((qty, _("quantity")), (price, _("unit price"))):
                error = rules.amount_error(value, f"{item} {label}")
                if error:
                    raise forms.ValidationError(error)
            rows.append((item, qty, price))
        return rows


class ChequeApplyForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=200)


class ChequeIssueForm(forms.Form):
    number = forms.CharField(label=_("Cheque number"), max_length=40)
    receiver = forms.CharField(label=_("Received by"), max_length=50)
    department_confirmed = forms.BooleanField(label=_("The street department responsible confirmed"), required=False)
    accountant_checked = forms.BooleanField(label=_("The centre's accountant checked"), required=False)
    budget_checked = forms.BooleanField(label=_("The budget was checked"), required=False)
    receiver_signed = forms.BooleanField(label=_("The receiver signed the cheque register"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             error_messages={"required": _("Please give the reason (FIN-11).")})


class ChequeVoidForm(ReasonForm):
    returned = forms.BooleanField(label=_("The paper cheque was returned to finance"), required=False)


class SignForm(forms.Form):
    kind = forms.ChoiceField(choices=[("handler", _("handler")), ("station_head", _("service-station head")),
                                      ("director", _("director"))])


class FundDecisionForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Decision of the joint meeting"), queryset=None)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    ceiling = MoneyField(label=_("Ceiling (yuan)"))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from finance.services import joint_decisions

        self.fields["decision"].queryset = joint_decisions(community)


class SignaturesForm(forms.Form):
    is_utility_bill = forms.BooleanField(label=_("Water, power, gas or phone bill in a person's or the committee's name"),
                                         required=False)
    utility_explanation = forms.CharField(label=_("Explanation of the bill"), max_length=200, required=False)


class InvoiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Invoice.Kind.choices)
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    date = ActDateField(label=_("Invoice date"))
    cheque_number = forms.CharField(label=_("Cheque number written on it"), max_length=40, required=False)
    total = MoneyField(label=_("Invoice total (yuan)"))


CELL = {"class": "cell-input"}  # CSS, not style="" (CSP)


class InvoiceLineForm(forms.Form):
    item = forms.CharField(label=pgettext_lazy("goods", "Item"), max_length=100, required=False, widget=forms.TextInput(attrs=CELL))
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, required=False,
                                  min_value=Decimal("0.01"), widget=forms.TextInput(attrs={**CELL, "inputmode": "decimal"}))
    unit_price = MoneyField(label=_("Unit price"), required=False,
                            widget=forms.TextInput(attrs={**CELL, "inputmode": "decimal"}))
    amount = MoneyField(label=_("Amount"), required=False, widget=forms.TextInput(attrs={**CELL, "inputmode": "decimal"}))

    def clean(self):
        data = super().clean()
        filled = [data.get(k) not in (None, "") for k in ("item", "quantity", "unit_price", "amount")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Fill in item, quantity, unit price and amount on each line used."))
        if all(filled) and rules.line_amount_error(data["quantity"], data["unit_price"], data["amount"]):
            from finance.services import line_mismatch_message  # FIN-5, the same words as the service's check

            self.add_error("amount", line_mismatch_message(data["item"], data["quantity"], data["unit_price"],
                                                           data["amount"]))
        return data


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, extra=5)


class CompleteForm(forms.Form):
    paid_on = ActDateField(label=_("Paid on"), required=False, initial=dt.date.today,
                           help_text=_("Today unless entered late (补记) with a reason (CTL-6)."))
    late_reason = forms.CharField(label=LATE_REASON, max_length=300, required=False)


class NoticeForm(forms.Form):
    notified_on = ActDateField(label=_("Finance was told on"), required=False,
                               help_text=_("Today unless entered late (补记) with a reason (CTL-6)."))
    late_reason = forms.CharField(label=LATE_REASON, max_length=300, required=False)


class ReceiptForm(forms.ModelForm):
    amount = MoneyField(label=_("Amount (yuan)"))
    received_on = ActDateField(label=_("Received on"), required=False,
                               help_text=_("Today unless entered late (补记) with a reason (CTL-6)."))
    late_reason = forms.CharField(label=LATE_REASON, max_length=300, required=False)

    class Meta:
        model = Receipt
        fields = ["source", "payer", "purpose", "amount", "received_on", "late_reason", "line"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(
            community=community, budget__fund_type=FundType.SELF_MANAGED).select_related("budget")
        self.fields["line"].required = False


class AuditForm(forms.ModelForm):
    period_start = ActDateField(label=_("Period from"), required=False)
    period_end = ActDateField(label=_("Period until"), required=False)
    done_on = ActDateField(label=_("Audited on"), required=False,
                           help_text=_("Today unless entered late (补记) with a reason (CTL-6)."))
    late_reason = forms.CharField(label=LATE_REASON, max_length=300, required=False)

    class Meta:
        model = Audit
        fields = ["kind", "period_start", "period_end", "role_assignment", "done_on", "late_reason", "auditors",
                  "findings"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "done_on": DateInput(),
                   "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from committee.models import RoleAssignment
        from finance.services import DEPARTURE_AUDIT_ROLES

        self.fields["role_assignment"].queryset = RoleAssignment.objects.filter(
            community=community, role__in=DEPARTURE_AUDIT_ROLES, end__isnull=False).select_related("staff")
        self.fields["role_assignment"].required = False


__all__ = ["Budget", "PaymentMethod"]
