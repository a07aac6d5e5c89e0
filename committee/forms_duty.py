from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from committee.models import Incident, Outing


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _near(value):
    """Item 10 (CTL-8): a date of an outing, notice or incident is near today: 1900 … next year, never a
    far date that overflows the time-zone arithmetic (a clear message instead of a server error)."""
    if value is None:
        return value
    year = value.year
    if year < 1900 or year > timezone.localdate().year + 1:
        raise forms.ValidationError(_("Give a date between 1900 and next year."))
    return value


class _NearDates:
    near_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.near_fields:
            try:
                _near(data.get(name))
            except forms.ValidationError as e:
                self.add_error(name, e)
        return data


class NearDateTimeField(forms.DateTimeField):
    """A datetime field whose far values (year 1, 9999) are refused before the time zone is applied."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip()[:4].isdigit():
            year = int(value.strip()[:4])
            if year < 1900 or year > timezone.localdate().year + 1:
                raise forms.ValidationError(_("Give a date between 1900 and next year."))
        return super().to_python(value)


class OutingForm(_NearDates, forms.Form):
    near_fields = ("leaves_at", "back_at")
    kind = forms.ChoiceField(label=_("Kind"), choices=Outing.Kind.choices)
    purpose = forms.CharField(label=_("Purpose and place"), max_length=200)
    leaves_at = NearDateTimeField(label=_("Leaves at"), widget=DateTimeInput())
    back_at = NearDateTimeField(label=_("Expected back"), widget=DateTimeInput())
    told = forms.ModelChoiceField(label=_("Asked / told"), queryset=None,
                                  help_text=_("A member asks the director; the director tells the person on duty "
                                              "(ORG-5)."))

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["told"].queryset = colleagues


class ReportBackForm(forms.Form):
    report = forms.CharField(label=_("Report"), max_length=500, required=False)


class AllOutNoticeForm(_NearDates, forms.Form):
    near_fields = ("date",)
    date = forms.DateField(label=_("Day everyone is out"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    contact = forms.CharField(label=_("Contact in the meantime"), max_length=200, required=False,
                              help_text=_("e.g. a phone number residents can call"))


class IncidentForm(_NearDates, forms.Form):
    near_fields = ("occurred_at",)
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    occurred_at = NearDateTimeField(label=_("Occurred at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))


class ReportedForm(forms.Form):
    reported_to = forms.CharField(label=_("Reported to"), max_length=200)
