"""Forms of the residents' register and of the Excel import page.

The community of a record is never a form field: the view gives it (the user's own, or the one a
street-office user has chosen), and every choice list (households, buildings, grids, staff) is limited to it.
"""

from __future__ import annotations

import pathlib

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee import idcard
from committee.forms import DateInput
from committee.models import Building, Grid, Household, Person, Staff

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".csv")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "id_number", "gender", "household", "relation", "phone", "disabled", "elderly_alone",
                  "serious_illness", "hardship", "volunteer", "moved_out_on", "note"]
        widgets = {"moved_out_on": DateInput()}
        help_texts = {
            "gender": _("Leave empty: it is read from the ID number."),
            "moved_out_on": _("Only when the resident has moved away; the record is kept."),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.fields["household"].queryset = Household.objects.filter(community=community).select_related("building")
        self.fields["household"].empty_label = _("— none —")
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text",
                                                      "class": "uppercase"})  # CSS, not style="" (CSP)

    def clean_id_number(self):
        number = idcard.normalise(self.cleaned_data["id_number"])
        clash = Person.objects.filter(community=self.instance.community, id_number=number).exclude(pk=self.instance.pk)
        other = clash.first()
        if other is not None:
            raise forms.ValidationError(
                _("%(name)s is already registered with this ID number in this community."), params={"name": other.name},
                code="duplicate")
        return number

    def clean_moved_out_on(self):
        day = self.cleaned_data.get("moved_out_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The moving-out date cannot be in the future."), code="future")
        return day

    def clean(self):
        data = super().clean()
        number, gender = data.get("id_number"), data.get("gender")
        # The number's own checks run later (model validation): only a well-formed number has a gender digit.
        if number and gender and len(number) == 18 and number[16].isdigit() and idcard.gender(number) != gender:
            self.add_error("gender", _("The gender does not match the ID number (its 17th digit)."))
        return data


class MoveOutForm(forms.Form):
    moved_out_on = forms.DateField(label=_("Moved out on"), widget=DateInput())

    def clean_moved_out_on(self):
        day = self.cleaned_data["moved_out_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The moving-out date cannot be in the future."), code="future")
        return day


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["building", "unit", "registered_locally", "phone", "note"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.fields["building"].queryset = Building.objects.filter(community=community)
        self.fields["building"].empty_label = _("— none —")

    def clean(self):
        data = super().clean()
        building, unit = data.get("building"), data.get("unit", "")
        if building or unit:
            clash = Household.objects.filter(community=self.instance.community, building=building, unit=unit)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("unit", _("This address is already a household of the community."))
        return data


class _NamedInCommunity(forms.ModelForm):
    """A name unique in the community (buildings, grids)."""

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        model = self._meta.model
        if model.objects.filter(community=self.instance.community, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This name is already used in the community."), code="duplicate")
        return name


class BuildingForm(_NamedInCommunity):
    class Meta:
        model = Building
        fields = ["name", "grid", "address"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, community=community, **kwargs)
        self.fields["grid"].queryset = Grid.objects.filter(community=community)
        self.fields["grid"].empty_label = _("— none —")


class GridForm(_NamedInCommunity):
    """GRID-1: one committee member and one service-station member look after each grid."""

    class Meta:
        model = Grid
        fields = ["name", "committee_member", "station_member"]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, community=community, **kwargs)
        today = timezone.localdate()
        people = Staff.objects.filter(community=community).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        for name in ("committee_member", "station_member"):
            self.fields[name].queryset = people
            self.fields[name].empty_label = _("— nobody yet —")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file"),
        help_text=_("An .xlsx file made from the template (or a .csv file); at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = pathlib.Path(upload.name or "").suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("Upload an .xlsx or .csv file (this one is “%(suffix)s”)."),
                                        params={"suffix": suffix or "?"}, code="suffix")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into several files."), code="size")
        return upload


class ConfirmImportForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
