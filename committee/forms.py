from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from committee.models import STREET_ROLES, CalendarDay, Community, Role, RoleAssignment, Staff


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffForm(forms.ModelForm):
    """A staff record. The wage is a field only for the street office's wage setters (CTL-4), the leaving
    date only for whoever manages the person's login (CTL-3); others see both read-only on the record."""

    wage_reason = forms.CharField(label=_("Reason for the wage change"), max_length=200, required=False,
                                  help_text=_("Needed when the wage changes (CTL-4)."))

    class Meta:
        model = Staff
        fields = ["name", "gender", "phone", "community", "monthly_wage", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, communities=None, street_staff=False, can_set_wage=False, can_end_employment=True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if street_staff:
            self.fields["community"].queryset = communities
            self.fields["community"].empty_label = _("— street office —")
        else:
            del self.fields["community"]
        if not can_set_wage:
            del self.fields["monthly_wage"]
            del self.fields["wage_reason"]
        else:
            # the database's check (staff_wage_not_negative) would answer in its own words above the form:
            # the field says it under 月工资 first (CTL-8)
            wage = self.fields["monthly_wage"]
            wage.min_value = 0
            wage.validators.append(MinValueValidator(0))
            wage.widget.attrs["min"] = "0"
        if can_set_wage and self.instance.pk is None:
            del self.fields["wage_reason"]
        if not can_end_employment:
            del self.fields["left_on"]


class RoleChoiceField(forms.ChoiceField):
    """Offers the roles the actor may grant; any role of ORG-2 passes the field, so that a role the actor
    may not grant is refused by the service with the rule's message (CTL-1), not "not a valid choice"."""

    def valid_value(self, value):
        return value in Role.values


class RoleAssignmentForm(forms.ModelForm):
    role = RoleChoiceField(label=_("role"))

    class Meta:
        model = RoleAssignment
        fields = ["role", "community", "start", "end", "note", "backdate_reason"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {"backdate_reason": _("Needed when the start date lies in the past (CTL-1).")}

    def __init__(self, *args, staff: Staff, communities=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.staff = staff
        offered = roles if roles is not None else [r for r in Role if (r in STREET_ROLES) == staff.is_street_staff]
        self.fields["role"].choices = [(r.value, r.label) for r in offered]
        if staff.is_street_staff:
            self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
            self.fields["community"].empty_label = _("— all communities —")
        else:
            del self.fields["community"]

    def _post_clean(self):
        # The service validates and saves (committee.accounts.grant_role); the model's clean runs there.
        pass


class EndRoleForm(forms.Form):
    end = forms.DateField(label=_("Last day in the role"), widget=DateInput())
    note = forms.CharField(label=_("Reason"), max_length=200, required=False,
                           help_text=_("Needed when the last day lies in the past (CTL-1)."))


class CloseAccountForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing the login"), max_length=200)


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

    def __init__(self, *args, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if existing is not None:  # a closed login is reopened under its own name
            del self.fields["username"]

    def clean_username(self):
        from committee.models import User

        name = self.cleaned_data["username"].lower()
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name
