"""Forms of the disclosure pages. They parse; the rules are decided in disclosure.services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.forms import DateInput
from disclosure.models import Category


def category_choices():
    return [(c.key, c.label) for c in Category.objects.all()]


class FreeTextForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=())
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(label=_("text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("One paragraph a line. No ID, phone, bank card or door numbers: the "
                                       "notice is refused with them (DIS-5)."))

    def __init__(self, *args, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        if edit:
            del self.fields["category"]


class IssueForm(forms.Form):
    posted_from = forms.DateField(label=_("posted from"), widget=DateInput)
    posted_until = forms.DateField(label=_("posted until"), widget=DateInput)
    seal_reference = forms.CharField(
        label=_("seal register entry"), max_length=40, required=False,
        help_text=_("The number of the seal use (用印-YYYY-NNNN) if it was already registered; empty: registered "
                    "now."))

    def __init__(self, *args, until=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["posted_from"].initial = today
        self.fields["posted_until"].initial = until or today + dt.timedelta(days=6)


class CategoryForm(forms.Form):
    cadence = forms.ChoiceField(label=_("posted"), choices=Category.Cadence.choices)
    min_days = forms.IntegerField(label=_("posted at least (days)"), min_value=1, max_value=365, required=False)
    min_working_days = forms.IntegerField(label=_("posted at least (working days)"), min_value=1, max_value=250,
                                          required=False)
