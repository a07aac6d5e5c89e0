"""Forms of the visits pages. They parse; the rules are decided in visits.services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from committee.models import Building, Grid, Household, Person, Staff
from visits.models import GroupMember, LedgerEntry, LocalUnit, Request


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def community_staff(community):
    today = timezone.localdate()
    return Staff.objects.filter(community=community).exclude(left_on__lt=today).order_by("name")


class HouseholdChoice(forms.ModelChoiceField):
    def label_from_instance(self, h):
        head = next((p.name for p in h.members.all() if p.relation == Person.Relation.HEAD), "")
        return f"{h}{' · ' + head if head else ''}"


class VisitForm(forms.Form):
    """GRID-3: the phone-first visit form. ``key`` is the idempotency key (a UUID, made again on the phone
    for each visit typed)."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    household = HouseholdChoice(label=_("household visited"), queryset=Household.objects.none(), required=False,
                                error_messages={"invalid_choice": _("This household is not in this community's "
                                                                    "register (GRID-3).")})
    unit = forms.ModelChoiceField(label=_("or local unit visited"), queryset=LocalUnit.objects.none(),
                                  required=False,
                                  error_messages={"invalid_choice": _("This unit is not one of this community's "
                                                                      "local units (GRID-3).")})
    date = forms.DateField(label=_("date"), widget=DateInput)
    start_time = forms.TimeField(label=_("visit started at"), widget=TimeInput)
    end_time = forms.TimeField(label=_("visit ended at"), widget=TimeInput)
    visitors = forms.ModelMultipleChoiceField(label=_("who went"), queryset=Staff.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    companions = forms.CharField(label=_("also went (residents)"), max_length=200, required=False,
                                 help_text=_("e.g. the building head"))
    found = forms.CharField(label=_("what was found"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            max_length=2000)
    problems = forms.CharField(label=_("problems raised"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=2000, help_text=_("One problem per line."))
    follow_up = forms.CharField(label=_("follow-up"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                max_length=2000)
    solved = forms.BooleanField(label=_("the problems were solved on the spot"), required=False)

    def __init__(self, *args, community=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["household"].queryset = Household.objects.filter(community=community).select_related(
                "building").prefetch_related("members").order_by("building__name", "unit")
            self.fields["unit"].queryset = LocalUnit.objects.filter(community=community, active=True)
            self.fields["visitors"].queryset = community_staff(community)
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("key", uuid.uuid4())
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("end_time", now.time().replace(second=0, microsecond=0))
            if staff is not None:
                self.initial.setdefault("visitors", [staff.pk])

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("household")) == bool(data.get("unit")):
            self.add_error("household", _("Choose the household or the local unit visited (GRID-3)."))
        return data


class SolveForm(forms.Form):
    solution = forms.CharField(label=_("how it was solved"), max_length=500)


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("resident"), queryset=Person.objects.none())
    position = forms.ChoiceField(label=_("position"), choices=GroupMember.Position.choices)
    buildings = forms.ModelMultipleChoiceField(label=_("buildings"), queryset=Building.objects.none(),
                                               required=False)
    households = forms.ModelMultipleChoiceField(label=_("households"), queryset=Household.objects.none(),
                                                required=False)
    start = forms.DateField(label=_("from"), widget=DateInput)

    def __init__(self, *args, grid: Grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(community=grid.community, moved_out_on__isnull=True)
        self.fields["buildings"].queryset = Building.objects.filter(grid=grid)
        self.fields["households"].queryset = Household.objects.filter(building__grid=grid).select_related(
            "building")
        self.initial.setdefault("start", timezone.localdate())


class EndForm(forms.Form):
    end = forms.DateField(label=_("until"), widget=DateInput)


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LedgerEntry.Kind.choices)
    household = forms.ModelChoiceField(label=_("household"), queryset=Household.objects.none(), required=False)
    text = forms.CharField(label=_("what"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, grid: Grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(building__grid=grid).select_related(
            "building")


class UnitForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    contact = forms.CharField(label=_("contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    grid = forms.ModelChoiceField(label=_("grid"), queryset=Grid.objects.none(), required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.filter(community=community)


class RequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("received"), choices=[c for c in Request.Channel.choices
                                                              if c[0] != Request.Channel.OTHER_CHAPTER])
    kind = forms.ChoiceField(label=_("kind"), choices=Request.Kind.choices)
    text = forms.CharField(label=_("what is asked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    resident = forms.ModelChoiceField(label=_("resident (from the register)"), queryset=Person.objects.none(),
                                      required=False)
    resident_name = forms.CharField(label=_("or the name given"), max_length=50, required=False,
                                    help_text=_("Empty for an anonymous note from the suggestion box."))
    contact = forms.CharField(label=_("contact phone"), max_length=40, required=False)
    grid = forms.ModelChoiceField(label=_("grid"), queryset=Grid.objects.none(), required=False)
    about_staff = forms.ModelChoiceField(label=_("staff member complained about"), queryset=Staff.objects.none(),
                                         required=False)
    days = forms.IntegerField(label=_("time limit (working days)"), required=False, min_value=1, max_value=60,
                              help_text=_("Empty: the committed time limit of the kind (policy). Kind "
                                          "“other” has none: give one."))
    assigned_to = forms.ModelChoiceField(label=_("assigned to"), queryset=Staff.objects.none(), required=False,
                                         help_text=_("Empty: the committee approver."))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Person.objects.filter(community=community, moved_out_on__isnull=True)
        self.fields["grid"].queryset = Grid.objects.filter(community=community)
        self.fields["about_staff"].queryset = community_staff(community)
        self.fields["assigned_to"].queryset = community_staff(community)


class CloseForm(forms.Form):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
                                 required=False)
    feedback = forms.ChoiceField(label=_("resident's feedback"), choices=[("", "—")] + Request.Feedback.choices,
                                 required=False)
    feedback_note = forms.CharField(label=_("what the resident said"), max_length=300, required=False)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("assigned to"), queryset=Staff.objects.none())

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = community_staff(community)
