"""Input rules that hold for every form and import of the product (CTL-8).

* ``no_control_characters`` — refuses C0 control characters (except tab, line feed, carriage return),
  DEL, the C1 block and the Unicode line/paragraph separators U+2028/U+2029 (they break CSV, logs and
  JavaScript strings). ``committee.apps`` adds it to ``django.forms.CharField.default_validators``, so
  every CharField (and Textarea) of every app has it. A field that must accept them opts out with
  ``allow_control_characters(form.fields["x"])``.
* ``sensible_date`` — dates from 1900-01-01 to the end of next year; added to every ``forms.DateField``.
  A field that needs far dates opts out with ``allow_any_date(form.fields["x"])``.
* ``sensible_number`` — a number such as ``1e400`` (or above 10^15) is refused with a message, never a 500.
* ``guard_text_fields`` — the last line behind the forms: a ``pre_save`` check of every model of the
  project, for the values a service takes straight from a POST (a reason, a note). A text with a control
  character or longer than its column is refused with a ValidationError naming the field, before the
  database sees it (PostgreSQL refuses NUL bytes and over-long values with a 500). The log tables
  (``SANITISED``) record what they are given: their text is cleaned and cut to fit instead.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
EARLIEST = dt.date(1900, 1, 1)
DECIMAL_LIMIT = Decimal("1e15")


def find_control_character(text: str) -> str | None:
    """The first forbidden control character of the text, as ``U+000B``, or None."""
    match = CONTROL.search(text or "")
    return f"U+{ord(match.group()):04X}" if match else None


def no_control_characters(value):
    if not isinstance(value, str):
        return
    found = find_control_character(value)
    if found:
        raise ValidationError(
            _("This text contains a control character (%(char)s), which is not allowed (CTL-8)."),
            code="control_character", params={"char": found})


def latest_date() -> dt.date:
    return dt.date(timezone.localdate().year + 1, 12, 31)


def sensible_date(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and not EARLIEST <= value <= latest_date():
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s (CTL-8)."), code="date_range",
            params={"first": EARLIEST.isoformat(), "last": latest_date().isoformat()})


def sensible_number(value):
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValidationError(_("Enter a smaller number (CTL-8)."), code="number_range")
    if isinstance(value, int | float | Decimal) and abs(value) >= DECIMAL_LIMIT:
        raise ValidationError(_("Enter a smaller number (CTL-8)."), code="number_range")


def install_form_validators():
    """Called once from ``committee.apps``: every form field of every app gets the CTL-8 checks."""
    from django import forms

    forms.CharField.default_validators = [no_control_characters]
    forms.DateField.default_validators = [sensible_date]
    forms.DateTimeField.default_validators = [sensible_date]
    forms.IntegerField.default_validators = [sensible_number]  # DecimalField and FloatField inherit it


# Log tables: they record what happened, whatever was typed, so their text is made to fit, never refused.
SANITISED = {"committee.auditevent", "committee.notification", "dibao.access"}
_TEXT_FIELDS: dict[type, list] = {}


def _text_fields(model) -> list:
    fields = _TEXT_FIELDS.get(model)
    if fields is None:
        from django.db import models

        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField)]
        _TEXT_FIELDS[model] = fields
    return fields


def guard_text_fields(sender, instance, raw=False, **kwargs):
    """CTL-8, ``pre_save`` of every project model (connected in ``committee.apps``): see the module text."""
    if raw or hasattr(sender, "instance_type"):  # fixtures; simple_history copies a row already checked
        return
    sanitise = sender._meta.label_lower in SANITISED
    errors = {}
    for field in _text_fields(sender):
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not value:
            continue
        label = str(field.verbose_name)
        if CONTROL.search(value):
            if sanitise:
                value = CONTROL.sub(" ", value)
                setattr(instance, field.attname, value)
            else:
                errors[field.name] = ValidationError(
                    _("%(field)s contains a control character (%(char)s), which is not allowed (CTL-8)."),
                    code="control_character", params={"field": label, "char": find_control_character(value)})
                continue
        limit = getattr(field, "max_length", None)
        if limit and len(value) > limit:
            if sanitise:
                setattr(instance, field.attname, value[:limit])
            else:
                errors[field.name] = ValidationError(
                    _("%(field)s may be at most %(limit)d characters long; this one has %(length)d (CTL-8)."),
                    code="max_length", params={"field": label, "limit": limit, "length": len(value)})
    if errors:
        raise ValidationError(errors)


def allow_control_characters(field):
    """Opt a form field out of the CTL-8 control-character check."""
    field.validators = [v for v in field.validators if v is not no_control_characters]
    return field


def allow_any_date(field):
    """Opt a form DateField out of the 1900 … next-year range."""
    field.validators = [v for v in field.validators if v is not sensible_date]
    return field


def clean_cell(value):
    """A cell of an export with control characters replaced by a space (legacy rows must not break it)."""
    if isinstance(value, str) and CONTROL.search(value):
        return CONTROL.sub(" ", value)
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value):
    """CTL-8: a cell text that a spreadsheet would read as a formula gets a leading apostrophe; control
    characters are replaced. Numbers, dates and None pass unchanged."""
    if not isinstance(value, str):
        return value
    value = clean_cell(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


