from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from committee.models import Staff
from finance.forms import MoneyField
from finance.models import PaymentMethod
from welfare.models import Activity, Category, Spending


class ProjectForm(forms.Form):
    category = forms.ModelChoiceField(Category.objects.none(), label=_("Category"))
    name = forms.CharField(label=_("Project"), max_length=100)
    owner = forms.ModelChoiceField(Staff.objects.none(), label=_("Project owner"))
    budget = MoneyField(label=_("Budget (yuan)"))
    planned_activities = forms.IntegerField(label=_("Activities planned"), min_value=0, max_value=1000, initial=10)
    activities_plan = forms.CharField(label=_("Planned activities"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False, max_length=2000)
    social_orgs = forms.CharField(label=_("Social organisations supported"), max_length=300, required=False)

    def __init__(self, *args, community, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["owner"].queryset = Staff.objects.filter(community=community, left_on__isnull=True)


class SpendForm(forms.Form):
    kind = forms.ChoiceField(label=_("Paid for"), choices=Spending.Kind.choices)
    activity = forms.ModelChoiceField(Activity.objects.none(), label=_("Event"), required=False,
                                      help_text=_("Prizes and an event's costs: the activity they belong to (WEL-5)."))
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    amount = MoneyField(label=_("Amount (yuan)"))
    top_prize = MoneyField(label=_("Largest single prize (yuan)"), required=False)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = project.activities.all()


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=100)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    form = forms.ChoiceField(label=_("Form"), choices=Activity.Form.choices)
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=1000, initial=1)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100000)
    effect = forms.CharField(label=_("Effect"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(forms.Form):
    surveyed_on = forms.DateField(label=_("Surveyed on"), widget=DateInput)
    sample_size = forms.IntegerField(label=_("Residents asked"), min_value=1, max_value=1000000)
    aware = forms.IntegerField(label=_("Residents who knew of the project"), min_value=0, max_value=1000000)


class ChangeForm(forms.Form):
    source = forms.ModelChoiceField(None, label=_("From project"))
    target = forms.ModelChoiceField(None, label=_("To project"))
    amount = MoneyField(label=_("Amount moved (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = projects
        self.fields["target"].queryset = projects


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AmountForm(forms.Form):
    amount = MoneyField(label=_("Amount (yuan)"))
