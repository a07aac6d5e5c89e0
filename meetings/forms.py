from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee import uploads
from committee.forms import DateInput
from committee.models import Person, Staff
from meetings import kinds
from meetings.models import Meeting

FIRST_YEAR = 1900


def last_year() -> int:
    return timezone.localdate().year + 1


def sane_date_error(value) -> str | None:
    """CTL-8: dates before 1900 or after the end of next year are typing errors for meetings (no MTG rule
    needs them); the message says which range is accepted."""
    if value is not None and not (FIRST_YEAR <= value.year <= last_year()):
        return _("Please give a date between %(first)s and %(last)s (CTL-8).") % {
            "first": FIRST_YEAR, "last": last_year()}
    return None


class SaneDatesMixin:
    """Refuses far dates in every DateField of the form with a clear message (CTL-8), never a 500."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and data.get(name) is not None:
                error = sane_date_error(data[name])
                if error:
                    self.add_error(name, error)
        return data


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    name = forms.CharField(label=_("Name of the body"), max_length=120)
    cadence_months = forms.IntegerField(
        label=_("Meets at least every (months)"), min_value=1, max_value=24, required=False,
        help_text=_("Empty: the rule book's cadence for this kind, if any (MTG-11)."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds.choices(community_body=True)


class MemberForm(SaneDatesMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50, required=False,
                           help_text=_("Not needed when you choose a staff member or a resident."))
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=Staff.objects.none(), required=False)
    person = forms.ModelChoiceField(label=_("Resident"), queryset=Person.objects.none(), required=False)
    position = forms.CharField(label=_("Position in the body"), max_length=60, required=False)
    start = forms.DateField(label=_("Member from"), widget=DateInput())

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["staff"].queryset = Staff.objects.filter(community=community, left_on__isnull=True)
            self.fields["person"].queryset = Person.objects.filter(community=community).order_by("name")


class BulkMembersForm(SaneDatesMixin, forms.Form):
    text = forms.CharField(
        label=_("Names, one per line"), widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("“name” or “name, position”; you can paste a column from Excel. A name matching one "
                    "registered resident is linked to that resident."),
    )
    start = forms.DateField(label=_("Member from"), widget=DateInput())


class MeetingForm(SaneDatesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Staff.objects.none(), required=False)
    recorder = forms.ModelChoiceField(label=_("Recorder"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Staff.objects.filter(community=community, left_on__isnull=True) if community else Staff.objects.none()
        self.fields["chair"].queryset = qs
        self.fields["recorder"].queryset = qs


class QuickRecordForm(SaneDatesMixin, forms.Form):
    """MTG-1 / MTG-10: a briefing, summary, study or democratic-life meeting in one step."""

    CATEGORIES = [
        (c, c.label)
        for c in (
            Meeting.Category.MORNING_BRIEFING, Meeting.Category.EVENING_BRIEFING, Meeting.Category.WEEKLY_SUMMARY,
            Meeting.Category.MONTHLY_SUMMARY, Meeting.Category.STUDY, Meeting.Category.DEMOCRATIC_LIFE,
            Meeting.Category.MEETING,
        )
    ]
    category = forms.ChoiceField(label=_("Type"), choices=CATEGORIES)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: the type is used as the title."))
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Staff.objects.none(), required=False)
    minutes = forms.CharField(label=_("Short minutes"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["chair"].queryset = Staff.objects.filter(community=community, left_on__isnull=True)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    proposed_by = forms.CharField(label=_("Proposed by"), max_length=100, required=False)
    major = forms.BooleanField(label=_("Major matter (重大事项, MTG-9)"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None, required=False)
    title = forms.CharField(label=_("Decision"), max_length=200)
    text = forms.CharField(label=_("Text of the decision"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    major = forms.BooleanField(label=_("Major matter (重大事项, MTG-9)"), required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    dissent_name_1 = forms.CharField(label=_("Dissenting member"), max_length=50, required=False)
    dissent_opinion_1 = forms.CharField(label=_("Dissenting opinion"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    dissent_name_2 = forms.CharField(label=_("Another dissenting member"), max_length=50, required=False)
    dissent_opinion_2 = forms.CharField(label=_("Dissenting opinion"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all() if meeting else None

    def dissents(self):
        d = self.cleaned_data
        return [(d.get(f"dissent_name_{i}") or "", d.get(f"dissent_opinion_{i}") or "") for i in (1, 2)]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
                              help_text=_("Approved minutes are final (CTL-5)."))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = uploads.AttachmentField(label=_("File"))  # CTL-7


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the absence"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3}))
