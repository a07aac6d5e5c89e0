from django import forms
from django.utils.translation import gettext_lazy as _

from committee.models import STREET_ROLES, CalendarDay, Community, Role, RoleAssignment, Staff


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["name", "gender", "phone", "community", "monthly_wage", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, communities=None, street_staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if street_staff:
            self.fields["community"].queryset = communities
            self.fields["community"].empty_label = _("— street office —")
        else:
            del self.fields["community"]


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "community", "start", "end", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, staff: Staff, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.staff = staff
        if staff.is_street_staff:
            self.fields["role"].choices = [(r.value, r.label) for r in Role if r in STREET_ROLES]
            self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
            self.fields["community"].empty_label = _("— all communities —")
        else:
            self.fields["role"].choices = [(r.value, r.label) for r in Role if r not in STREET_ROLES]
            del self.fields["community"]


class EndRoleForm(forms.Form):
    end = forms.DateField(label=_("Last day in the role"), widget=DateInput())
    note = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Refuse"))])
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyValueForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=200, required=False,
                            help_text=_("Leave empty to return to the default above."))
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=60, regex=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                                help_text=_("Letters, digits and dots, e.g. heping.wang"),
                                error_messages={"invalid": _("Use letters, digits, dots, - and _ only.")})

    def clean_username(self):
        from committee.models import User

        name = self.cleaned_data["username"].lower()
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name
