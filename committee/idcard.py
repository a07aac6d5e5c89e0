"""Resident identity card numbers (GB 11643-1999): check digit, birth date, masking for print.

The check digit and date parsing come from python-stdnum; this module adds the rules of the product:
a birth date in the future is refused, and printed numbers are masked (DIS-5).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric


def normalise(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> None:
    """Raise a translated ValidationError unless the value is a valid 18-character resident ID."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters (GB 11643); this one has %(n)d."), params={"n": len(number)},
            code="id_length",
        )
    try:
        ric.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_("The ID number's check digit is wrong (GB 11643): please check each digit."),
                              code="id_checksum") from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(_("The ID number contains an impossible birth date (GB 11643)."),
                              code="id_birth_date") from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("This is not a valid resident ID number (GB 11643)."), code="id_invalid") from None
    if ric.get_birth_date(number) > timezone.localdate():
        raise ValidationError(_("The ID number's birth date lies in the future (GB 11643)."), code="id_future")


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
