"""CTL-8: personal data is never written to logs. Two pieces:

* ``find(text)``: the resident ID numbers (18 characters whose check digit is right, python-stdnum's
  ``cn.ric``) and mainland mobile numbers (1[3-9] and nine digits) in a text, masked: the detectors of
  DIS-5 (``disclosure.pii``), narrowed to what a log line must never hold. The test suite greps every log
  record it produces with it (``tests/conftest.py``).
* ``MaskPersonalData``: a logging filter on the product's handlers (``config.settings.LOGGING``) that masks
  such numbers in a record before it is written, for what a third-party library might log (a request
  path, an error message quoting a value).
"""

from __future__ import annotations

import logging

from django.views.debug import SafeExceptionReporterFilter
from stdnum.cn import ric

from disclosure import pii


def _id_numbers(text: str):
    for m in pii._ID18.finditer(text):
        if ric.is_valid(m.group(0)):
            yield m


def find(text: str) -> list[tuple[str, str]]:
    """(kind, masked number) of every resident ID number and mobile number in ``text``."""
    text = pii.normalise(text)
    out = [(pii.ID, pii.mask_number(m.group(0))) for m in _id_numbers(text)]
    out += [(pii.MOBILE, pii.mask_number(m.group(0))) for m in pii._MOBILE.finditer(text)]
    return out


def mask(text: str) -> str:
    text = pii.normalise(text)
    for m in list(_id_numbers(text)):
        text = text.replace(m.group(0), pii.mask_number(m.group(0)))
    return pii._MOBILE.sub(lambda m: pii.mask_number(m.group(0)), text)


def record_text(record: logging.LogRecord) -> str:
    """What a handler would write of a record: its message and any exception or stack text."""
    parts = [record.getMessage()]
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    parts += [record.exc_text or "", record.stack_info or ""]
    return "\n".join(p for p in parts if p)


class MaskPersonalData(logging.Filter):
    """Masks ID and mobile numbers in a record's message (and exception text) before a handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record_text(record)
        if find(text):
            record.msg, record.args = mask(record.getMessage()), None
            record.exc_text = mask(record.exc_text) if record.exc_text else record.exc_text
            record.exc_info = None if record.exc_text else record.exc_info
            record.stack_info = mask(record.stack_info) if record.stack_info else record.stack_info
        return True




class HidePostedValues(SafeExceptionReporterFilter):
    """Error reports (the debug page, a mail to ADMINS if one is ever set) list the posted field names but
    none of their values: a resident's form holds ID and phone numbers, incomes and addresses (CTL-8)."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}
