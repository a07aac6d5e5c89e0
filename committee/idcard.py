"""Resident identity card numbers (GB 11643-1999): length, check digit, birth date; masking for print.

DB-6, ORG: the checks are this module's own, built from python-stdnum's pieces (its check-digit function
and its region table). ``stdnum.cn.ric.validate`` is not used: it also refuses a number whose region code
was created after the holder's birth year, but numbers are issued with the code in force at issue, so the
elderly residents of newer districts hold exactly such numbers. A region code missing from the table is a
warning on the record (``region_warning``), never a refusal. Each refusal names what is wrong.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric

EARLIEST_BIRTH_YEAR = 1900


def normalise(value: str) -> str:
    value = value or ""
    if len(value) == 18 and value.isascii() and value[:17].isdigit() and value[17] in "0123456789Xx":
        return value.upper()  # already compact (the common case: an import reads it eight times a row)
    return ric.compact(value).upper()


def validate_id_number(value: str) -> None:
    """Raise a translated ValidationError naming what is wrong (length, characters, check digit, birth date)
    unless the value is a valid 18-character resident ID. The region code is not checked here."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters (GB 11643); this one has %(n)d."), params={"n": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not number[:17].isascii() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("The ID number has 17 digits followed by a digit or X (GB 11643); this one has other characters."),
            code="id_format",
        )
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("The ID number's check digit is wrong (GB 11643): please check each digit."),
                              code="id_checksum")
    digits = number[6:14]
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            _("The ID number's birth date %(digits)s (characters 7–14) is not a real date (GB 11643)."),
            params={"digits": digits}, code="id_birth_date",
        ) from None
    if born > timezone.localdate():
        raise ValidationError(_("The ID number's birth date lies in the future (GB 11643)."), code="id_future")
    if born.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("The ID number's birth date %(day)s is before %(year)s: please check characters 7–14 (GB 11643)."),
            params={"day": born.isoformat(), "year": EARLIEST_BIRTH_YEAR}, code="id_birth_date",
        )


def region_known(number: str) -> bool:
    """Is the region code (first six digits) in python-stdnum's table of administrative divisions, in any
    period? A code created after the holder's birth counts as known."""
    results = numdb.get("cn/loc").info(normalise(number)[:6])
    return any("county" in props for _part, props in results)


def region_warning(number: str) -> str:
    """A warning for the record when the region code is unknown (a very new or a mistyped code), else ""."""
    number = normalise(number)
    if len(number) < 6 or region_known(number):
        return ""
    return str(_("The region code %(code)s of this ID number is not in the table of administrative divisions: "
                 "please check the first six digits (a warning, the number is accepted).") % {"code": number[:6]})


def check(value: str) -> list[str]:
    """Validate (raising ValidationError) and return the warnings, for forms and imports."""
    validate_id_number(value)
    warning = region_warning(value)
    return [warning] if warning else []


def birth_date(number: str) -> dt.date:
    return ric.get_birth_date(normalise(number))


def gender(number: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(normalise(number)[16]) % 2 else "F"


def mask(number: str) -> str:
    """110105194912310021 → 110105********0021: region kept, birth date hidden (DIS-5)."""
    number = normalise(number)
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"
