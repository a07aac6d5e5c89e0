from django import forms
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from committee.models import Incident, Outing


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OutingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Outing.Kind.choices)
    purpose = forms.CharField(label=_("Purpose and place"), max_length=200)
    leaves_at = forms.DateTimeField(label=_("Leaves at"), widget=DateTimeInput())
    back_at = forms.DateTimeField(label=_("Expected back"), widget=DateTimeInput())
    told = forms.ModelChoiceField(label=_("Asked / told"), queryset=None,
                                  help_text=_("A member asks the director; the director tells the person on duty "
                                              "(ORG-5)."))

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["told"].queryset = colleagues


class ReportBackForm(forms.Form):
    report = forms.CharField(label=_("Report"), max_length=500, required=False)


class AllOutNoticeForm(forms.Form):
    date = forms.DateField(label=_("Day everyone is out"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    contact = forms.CharField(label=_("Contact in the meantime"), max_length=200, required=False,
                              help_text=_("e.g. a phone number residents can call"))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))


class ReportedForm(forms.Form):
    reported_to = forms.CharField(label=_("Reported to"), max_length=200)
