from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import LeaveRequest, ResignationReview
from committee import uploads
from committee.forms import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class LeaveForm(forms.Form):
    """A leave request. The common case is one choice (morning / afternoon / whole day) and a date that
    defaults to today; "several days" opens the first and last day with their halves. ``clean`` turns the
    one choice into the period the services take (start, start_half, end, end_half)."""

    SHORT = ("am", "pm", "day")
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False,
                                   help_text=_("The attendance keeper may enter the leave of a colleague."))
    kind = forms.ChoiceField(label=_("Kind of leave"), choices=LeaveRequest.Kind.choices, widget=forms.RadioSelect)
    length = forms.ChoiceField(label=_("How long"), widget=forms.RadioSelect, initial="day", required=False, choices=[
        ("am", _("Morning")), ("pm", _("Afternoon")), ("day", _("Whole day")), ("longer", _("Several days"))])
    day = forms.DateField(label=_("Date"), widget=DateInput(), required=False,
                          help_text=_("For a morning, an afternoon or a whole day."))
    start = forms.DateField(label=_("First day"), widget=DateInput(), required=False)
    start_half = forms.ChoiceField(label=_("From"), choices=[("am", _("the morning (whole day)")),
                                                              ("pm", _("the afternoon"))], initial="am")
    end = forms.DateField(label=_("Last day"), widget=DateInput(), required=False)
    end_half = forms.ChoiceField(label=_("Until"), choices=[("pm", _("the evening (whole day)")),
                                                             ("am", _("noon"))], initial="pm")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    attachment = uploads.AttachmentField(label=_("Attachment (e.g. sick note)"), required=False)  # CTL-7
    on_behalf_reason = forms.CharField(label=_("Reason for acting on the staff member's behalf"), max_length=200,
                                       required=False,
                                       help_text=_("Only when the attendance keeper acts for a colleague (CTL-5)."))

    def __init__(self, *args, staff_choices=None, editing=False, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "start_half", "end", "end_half"):
            self.fields[name].widget.attrs["data-leave-longer"] = "1"  # attendance/leave.js shows them for "longer"
            self.fields[name].required = False  # only "several days" needs them (``clean``)
        self.fields["day"].widget.attrs["data-leave-short"] = "1"
        if editing:
            del self.fields["attachment"]
        if staff_choices is None and not on_behalf:
            del self.fields["on_behalf_reason"]
        if staff_choices is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].queryset = staff_choices
            self.fields["staff"].required = True

    @classmethod
    def initial_for(cls, start, start_half, end, end_half) -> dict:
        """The form's choice for an existing period: one day's half or whole day, otherwise several days."""
        if start == end and (start_half, end_half) in (("am", "am"), ("pm", "pm"), ("am", "pm")):
            length = {("am", "am"): "am", ("pm", "pm"): "pm", ("am", "pm"): "day"}[(start_half, end_half)]
            return {"length": length, "day": start, "start": start, "end": end}
        return {"length": "longer", "start": start, "start_half": start_half, "end": end, "end_half": end_half}

    def clean(self):
        data = super().clean()
        # No choice posted (a client that sends the period itself): the first and last day decide.
        length = data.get("length") or ("longer" if data.get("start") or data.get("end") else "day")
        data["length"] = length
        if length in self.SHORT:
            day = data.get("day")
            if day is None:
                if "day" not in self.errors:
                    self.add_error("day", _("Give the date."))
                return data
            data["start"] = data["end"] = day
            data["start_half"] = "pm" if length == "pm" else "am"
            data["end_half"] = "am" if length == "am" else "pm"
        elif length == "longer":
            data["start_half"] = data.get("start_half") or "am"
            data["end_half"] = data.get("end_half") or "pm"
            for name, message in (("start", _("Give the first day.")), ("end", _("Give the last day."))):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
        return data


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.community.name}" if obj.community_id else obj.name


class EmergencyForm(forms.Form):
    staff = StaffChoice(label=_("Staff member"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of leave"), choices=LeaveRequest.Kind.choices, widget=forms.RadioSelect)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    start_half = LeaveForm.base_fields["start_half"]
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    end_half = LeaveForm.base_fields["end_half"]
    told_on = forms.DateField(label=_("Told on"), widget=DateInput())
    reason = forms.CharField(label=_("What you were told"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000, required=False)

    def __init__(self, *args, staff_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices


class PaperworkForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    attachment = uploads.AttachmentField(label=_("Attachment (e.g. sick note)"), required=False)  # CTL-7


class RecordForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    sign_in = forms.TimeField(label=_("Signed in at"), widget=TimeInput())
    sign_out = forms.TimeField(label=_("Signed out at"), widget=TimeInput(), required=False)
    note = forms.CharField(label=_("Reason for recording on their behalf"), max_length=200)

    def __init__(self, *args, staff_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices


class CorrectionForm(forms.Form):
    sign_in = forms.TimeField(label=_("Signed in at"), widget=TimeInput(), required=False)
    sign_out = forms.TimeField(label=_("Signed out at"), widget=TimeInput(), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200,
                             help_text=_("Required. The original times stay in the history (ATT-2)."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Punch-clock export (.xlsx or .csv)"),
                           help_text=_("Columns: 姓名, 日期, 签到, 签退. Nothing is saved until you confirm."))


class InspectionForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    date = forms.DateField(label=_("Date of the inspection"), widget=DateInput())
    problem_found = forms.BooleanField(label=_("A problem was found"), required=False)
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=2000)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class SheetSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput(), required=False,
                              help_text=_("Empty: today. An earlier day is a late entry (补记) and needs its reason "
                                          "(CTL-6)."))
    late_reason = forms.CharField(label=_("Reason for the late entry"), max_length=300, required=False)
    seal_reference = forms.CharField(label=_("Seal register entry"), max_length=60, required=False,
                                     help_text=_("The number of the seal register entry for this stamp, such as "
                                                 "用印-2026-0012; empty: a new entry is registered."))
    note = forms.CharField(label=_("Remarks"), max_length=200, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ResignationReview.Decision.choices)
    note = forms.CharField(label=_("Reason"), max_length=300)
