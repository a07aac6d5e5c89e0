"""Forms of the posts pages. They parse; the rules are decided in posts.services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.forms import DateInput
from committee.models import Staff
from committee.uploads import AttachmentField
from posts.models import Grade, Holding, Nomination, Post, Training


def community_staff(community):
    today = timezone.localdate()
    return Staff.objects.filter(community=community).exclude(left_on__lt=today).order_by("name")


class OpeningForm(forms.Form):
    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.filter(active=True))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    places = forms.IntegerField(label=_("number of places"), min_value=1, max_value=50, initial=1)
    duties = forms.CharField(label=_("duties"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].max_value = timezone.localdate().year + 1
        self.fields["post"].label_from_instance = lambda p: f"{p.get_group_display()} · {p.label}"


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Nomination.Kind.choices)
    staff = forms.ModelChoiceField(label=_("candidate"), queryset=Staff.objects.none())
    recommended_by = forms.CharField(label=_("recommended by"), max_length=200, required=False,
                                     help_text=_("For a democratic recommendation: who recommended (e.g. the "
                                                 "residents' representatives of building 3)."))
    statement = forms.CharField(label=_("statement"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                max_length=2000)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["staff"].queryset = community_staff(community)


class DecideForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("decision of the joint meeting"), queryset=None)
    holders = forms.ModelMultipleChoiceField(label=_("post-holders"), queryset=Staff.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("holds the post from"), widget=DateInput)

    def __init__(self, *args, opening=None, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.models import Decision

        self.fields["decision"].queryset = decisions if decisions is not None else Decision.objects.none()
        self.fields["decision"].label_from_instance = lambda d: f"{d.meeting.date:%Y-%m-%d} {d.title}"
        if opening is not None:
            self.fields["holders"].queryset = Staff.objects.filter(
                pk__in=opening.nominations.values("staff_id")).order_by("name")
        self.fields["start"].initial = timezone.localdate()


class EndForm(forms.Form):
    end = forms.DateField(label=_("until"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), max_length=200)


class TrainingForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    subject = forms.CharField(label=pgettext_lazy("training", "subject"), max_length=200)
    hours = forms.DecimalField(label=pgettext_lazy("training", "hours"), max_digits=5, decimal_places=1, min_value=0)
    phase = forms.ChoiceField(label=_("when"), choices=Training.Phase.choices)


class LetterForm(forms.Form):
    file = AttachmentField(label=_("signed responsibility letter"))
    signed_on = forms.DateField(label=_("letter signed on"), widget=DateInput)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    reported_on = forms.DateField(label=_("reported to the representatives on"), widget=DateInput)
    report = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                             max_length=10000)
    file = AttachmentField(label=_("report (file)"), required=False)
    representatives_opinion = forms.CharField(label=_("representatives' evaluation"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class GradeForm(forms.Form):
    # POST-4: a plain text field so that the service, not the form, refuses a grade outside the four
    grade = forms.ChoiceField(label=_("grade"), choices=[("", "—"), *Grade.choices])


class BadgeForm(forms.Form):
    number = forms.CharField(label=_("badge number"), max_length=30)


class ChangePostForm(forms.Form):
    holding = forms.ModelChoiceField(label=_("new post"), queryset=Holding.objects.none())
    number = forms.CharField(label=_("number of the new badge"), max_length=30)

    def __init__(self, *args, badge=None, **kwargs):
        super().__init__(*args, **kwargs)
        if badge is not None:
            self.fields["holding"].queryset = Holding.objects.filter(
                staff=badge.holding.staff, end__isnull=True).exclude(pk=badge.holding_id).select_related("post")
            self.fields["holding"].label_from_instance = lambda h: str(h.post.label)


class LostForm(forms.Form):
    number = forms.CharField(label=_("number of the new badge"), max_length=30)
    fee = forms.DecimalField(label=_("fee paid (yuan)"), max_digits=12, decimal_places=2, min_value=0)


class InspectionForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    problem_found = forms.BooleanField(label=_("a problem was found"), required=False)


class ComplaintForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=DateInput)
    complainant = forms.CharField(label=_("complainant"), max_length=100, required=False)
    text = forms.CharField(label=_("complaint"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class WeightsForm(forms.Form):
    def __init__(self, *args, items=(), weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        weights = weights or {}
        for item in items:
            self.fields[item.key] = forms.CharField(label=f"{item.label}", max_length=10, required=False,
                                                    initial=format(Decimal(weights.get(item.key, 0)).normalize(), "f"))


class MarkForm(forms.Form):
    points = forms.DecimalField(label=_("points (+ or −)"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("reason"), max_length=300)
