"""Forms of the dibao chapter. Validation of the rules is in ``dibao.services``; the forms only parse. There
is no amount field anywhere: the monthly amount is computed (DB-6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import Household, Person
from committee.uploads import AttachmentField
from dibao.models import PanelSeat, Review


def _money_field(label):
    return forms.DecimalField(label=label, min_value=0, max_digits=10, decimal_places=2, initial=0,
                              error_messages={"min_value": _("An income cannot be negative (DB-6).")})


class CaseForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none())
    assets = forms.CharField(label=_("Assets noted"), max_length=300, required=False,
                             help_text=_("e.g. no car; one flat of 40 m² where the family lives"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(community=community).select_related("building")


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Resident"), queryset=Person.objects.none())
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Person.Relation.choices)
    covered = forms.BooleanField(label=_("Covered by the subsidy"), required=False, initial=True)
    wage = _money_field(_("Wage income per month"))
    pension = _money_field(_("Pension per month"))
    other = _money_field(_("Other income per month"))
    income_source = forms.CharField(label=_("Source of income"), max_length=200, required=False)

    def __init__(self, *args, community, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Person.objects.filter(community=community, moved_out_on__isnull=True)
        if household is not None:
            qs = qs.filter(household=household)
        self.fields["person"].queryset = qs


class IncomeForm(forms.Form):
    wage = _money_field(_("Wage income per month"))
    pension = _money_field(_("Pension per month"))
    other = _money_field(_("Other income per month"))
    income_source = forms.CharField(label=_("Source of income"), max_length=200, required=False)
    covered = forms.BooleanField(label=_("Covered by the subsidy"), required=False)


class VisitForm(forms.Form):
    """DB-4 on a phone: who visited, what changed, each member's income as found."""

    visitors = forms.CharField(label=_("Who visited"), max_length=200)
    visited_on = forms.DateField(label=_("Visited on"), required=False,
                                 help_text=_("Empty: today. An earlier date needs a reason."),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    date_reason = forms.CharField(label=_("Why an earlier date"), max_length=200, required=False)
    family_changes = forms.CharField(label=_("Family changes"), max_length=500, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            for kind, label in (("wage", _("wage")), ("pension", _("pension")), ("other", _("other income"))):
                field = _money_field(f"{m.person.name} · {label}")
                field.initial = getattr(m, kind)
                field.widget.attrs["inputmode"] = "decimal"
                self.fields[f"m{m.pk}_{kind}"] = field

    def incomes(self):
        return {m.pk: (self.cleaned_data[f"m{m.pk}_wage"], self.cleaned_data[f"m{m.pk}_pension"],
                       self.cleaned_data[f"m{m.pk}_other"]) for m in self.members}


class ReviewForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Panel meeting"), queryset=None)
    decision = forms.ChoiceField(label=_("Decision"), choices=Review.Decision.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=999, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class PanelMemberForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=PanelSeat.Category.choices)
    name = forms.CharField(label=_("Name"), max_length=50, required=False,
                           help_text=_("For a member who is not on staff, e.g. a resident representative."))
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False)
    start = forms.DateField(label=_("Member from"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from committee.models import Staff

        self.fields["staff"].queryset = Staff.objects.filter(community=community)


class StandardForm(forms.Form):
    amount = forms.DecimalField(label=_("Standard per person per month (yuan)"), min_value=0, max_digits=10,
                                decimal_places=2)
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    community = forms.ModelChoiceField(label=_("Community"), queryset=None, required=False,
                                       empty_label=_("Every community of the street"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    file = AttachmentField(label=_("File"))
