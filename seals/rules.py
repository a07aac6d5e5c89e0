"""The rules of the seal chapter as plain functions and tables (SEAL-3, SEAL-4, SEAL-6, SEAL-8).

``USES`` is the allowed list of SEAL-3 (the attachment "社区居委会印章使用范围" of A5): the committee's
work uses (a) and the certificates for residents of this community's register (b). Anything else is
``OUTSIDE``: it needs the street office's approval before the director's (SEAL-4).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WORK, CERTIFICATE, OTHER = "work", "certificate", "outside"


@dataclass(frozen=True)
class Use:
    key: str
    label: object
    group: str  # WORK | CERTIFICATE | OTHER
    # certificates only: a moved-out person may get this one (residence history); the others need a
    # person living in the community today
    moved_out_allowed: bool = False


USES: dict[str, Use] = {u.key: u for u in [
    # SEAL-3 (a): work
    Use("resolution", _("Resolution of the representatives' meeting"), WORK),
    Use("report_up", _("Document sent up in the committee's name"), WORK),
    Use("disclosure", _("Item for the disclosure board"), WORK),
    Use("notice", _("Notice, announcement or leaflet to residents"), WORK),
    Use("statistics", _("Statistics report or archive"), WORK),
    Use("agreement", _("Co-building or resource-sharing agreement"), WORK),
    Use("other_work", _("Other work of the committee"), WORK),
    # SEAL-3 (b): certificates for residents of this community's register
    Use("residence", _("Certificate of residence"), CERTIFICATE, moved_out_allowed=True),
    Use("alive", _("Certificate that a resident is alive"), CERTIFICATE),
    Use("death_at_home", _("Certificate of a normal death at home"), CERTIFICATE),
    Use("dibao", _("Certificate for a dibao application"), CERTIFICATE),
    Use("pension", _("Certificate for a pension (抚恤金) application"), CERTIFICATE),
    Use("disability", _("Certificate for a disability allowance application"), CERTIFICATE),
    Use("student_aid", _("Certificate for a student-aid application"), CERTIFICATE),
    Use("fee_waiver", _("Certificate for a fee waiver"), CERTIFICATE),
    Use("only_child", _("Only-child certificate"), CERTIFICATE),
    Use("dog", _("Certificate for dog licensing"), CERTIFICATE),
    Use("political_review", _("Certificate for a political review"), CERTIFICATE),
    # SEAL-4: outside the list
    Use("outside", _("A use outside the allowed list"), OTHER),
]}

CERTIFICATE_KINDS = [u for u in USES.values() if u.group == CERTIFICATE]


def use(key: str) -> Use | None:
    return USES.get(key)


def use_label(key: str) -> str:
    u = USES.get(key)
    return str(u.label) if u else key


def work_choices():
    return [(u.key, u.label) for u in USES.values() if u.group in (WORK, OTHER)]


def certificate_choices():
    return [(u.key, u.label) for u in CERTIFICATE_KINDS]


def handover_due(took_office_on: dt.date, working_days: int, add_working_days) -> dt.date:
    """SEAL-6: the outgoing committee hands the seal over within ``working_days`` working days of the new
    committee taking office: the due day is the n-th working day after that day (the day itself not
    counted). ``add_working_days`` is committee.calendar's."""
    return add_working_days(took_office_on, working_days)


def notice_long_enough(start: dt.date, end: dt.date, min_days: int) -> bool:
    """SEAL-8: a public notice runs at least ``min_days`` days, both ends included (不少于 includes the
    boundary)."""
    return (end - start).days + 1 >= min_days


def mask_name(name: str) -> str:
    """The holder's name as the public verification page shows it: the first character, then one * per
    character, the last kept for names of three and more (张* · 张*丰 · 欧**娜)."""
    chars = list((name or "").strip())
    if not chars:
        return ""
    if len(chars) == 1:
        return chars[0]
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 12


def normalise_code(raw: str) -> str:
    """A verification code as typed: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-－—_]", "", (raw or "")).upper()[:40]


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


# --- certificate bodies: placeholders, never Python format strings ---------------------------------

PLACEHOLDERS = ("name", "gender", "id_number", "birth_date", "address", "community", "committee", "purpose",
                "moved_out_on", "today")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` … in a template's text with the person's data. Unknown names stay as written;
    nothing else is interpreted (a template is typed by the street office)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text or "")
