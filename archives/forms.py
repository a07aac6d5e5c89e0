"""Forms of the archives pages. They parse; the rules are decided in archives.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archives.models import Cabinet, Category, Item
from committee.forms import DateInput
from committee.models import Role, RoleAssignment, Staff
from committee.uploads import AttachmentField


class ItemForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=9999)
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.filter(active=True))
    title = forms.CharField(label=pgettext_lazy("archives", "title"), max_length=300)
    date = forms.DateField(label=_("date of the document"), widget=DateInput)
    responsible = forms.CharField(label=_("responsible body"), max_length=120)
    pages = forms.IntegerField(label=_("pages"), min_value=1, max_value=100000, initial=1)
    medium = forms.ChoiceField(label=_("original"), choices=Item.Medium.choices)
    cabinet = forms.ModelChoiceField(label=_("cabinet"), queryset=Cabinet.objects.none(), required=False)
    shelf = forms.CharField(label=_("shelf"), max_length=40, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    upload = AttachmentField(label=_("file"), required=False)
    late_reason = forms.CharField(label=_("reason for the late entry (补记)"), max_length=300, required=False,
                                  help_text=_("Needed when the year is closed (after its filing deadline)."))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabinet"].queryset = Cabinet.objects.filter(community=community)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["responsible"].initial = getattr(community, "committee_name", "")


class VersionForm(forms.Form):
    upload = AttachmentField(label=_("file"))
    note = forms.CharField(label=_("why a new version"), max_length=300)


class CabinetForm(forms.Form):
    name = forms.CharField(label=_("cabinet"), max_length=60)
    place = forms.CharField(label=_("room"), max_length=120)
    fire = forms.CharField(label=_("protection against fire"), max_length=200)
    light = forms.CharField(label=_("protection against light"), max_length=200)
    damp = forms.CharField(label=_("protection against damp"), max_length=200)
    theft = forms.CharField(label=_("protection against theft"), max_length=200)


class LendForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("borrower (staff)"), queryset=Staff.objects.none(), required=False)
    borrower_name = forms.CharField(label=_("or a person's name"), max_length=60, required=False)
    borrower_unit = forms.CharField(label=_("unit or address"), max_length=120, required=False)
    purpose = forms.CharField(label=pgettext_lazy("archives", "purpose"), max_length=200)
    due_on = forms.DateField(label=_("due back on"), widget=DateInput)

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = Staff.objects.filter(community=community)


class HandoverForm(forms.Form):
    outgoing = forms.ModelChoiceField(label=_("outgoing archivist"), queryset=Staff.objects.none())
    incoming = forms.ModelChoiceField(label=_("incoming archivist"), queryset=Staff.objects.none())
    seal_reference = forms.CharField(label=_("seal register entry"), max_length=60, required=False,
                                     help_text=_("Leave empty to register the stamping of the inventory now."))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = RoleAssignment.objects.filter(community=community, role=Role.ARCHIVIST).values("staff_id")
        self.fields["outgoing"].queryset = Staff.objects.filter(community=community, pk__in=ids)
        self.fields["incoming"].queryset = Staff.objects.filter(
            community=community, pk__in=RoleAssignment.objects.on(timezone.localdate()).filter(
                community=community, role=Role.ARCHIVIST).values("staff_id"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search titles and text"), max_length=100, required=False)
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=9999, required=False)
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.all(), required=False)
