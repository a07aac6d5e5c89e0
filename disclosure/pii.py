"""DIS-5: the scan that refuses a notice holding personal numbers, run on every text of a notice before it
is issued (title, paragraphs, table cells).

What it finds (after full-width characters are normalised, NFKC: １３８ → 138, － → -):

* ``id``: an unmasked ID number: 18 characters (17 digits and a digit or X, with or without a valid check
  digit) or an old 15-digit number. The masked form 110105********002X has no run of digits and passes.
* ``mobile``: 1[3-9] and nine more digits, also written with spaces or dashes (138 0013 8000, 138-0013-8000).
* ``landline``: an area code 0xx / 0xxx, a dash (or the code in brackets) and 7–8 digits (010-65123456).
* ``bank_card``: 13–19 digits (groups separated by spaces or dashes allowed) passing the Luhn check.
* ``door``: a home address beyond the building: a room (502室, 502号房, 502房间, 2单元502, 5号楼502),
  the short forms 3-502 / 5-2-502 (building-unit-room). The building and its unit entrance are allowed
  (5号楼, 5号楼2单元, 5栋2单元): DIS-5 says "住址只写到楼栋", a unit is an entrance of the building,
  not a home.

Not found, on purpose: money (1,234.50 and 12345.00 — a comma or a decimal point breaks a run), dates
(2026-10-01, 2026年10月1日), notice numbers (〔2026〕第0001号, 用印-2026-0012), short counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ID, MOBILE, LANDLINE, BANK_CARD, DOOR = "id", "mobile", "landline", "bank_card", "door"

KIND_LABELS = {
    ID: _("ID number"),
    MOBILE: _("mobile phone number"),
    LANDLINE: _("telephone number"),
    BANK_CARD: _("bank card number"),
    DOOR: _("door number beyond the building"),
}

_ID18 = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_ID15 = re.compile(r"(?<![\d])\d{15}(?![\d])")
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![\d])")
_LANDLINE = re.compile(r"(?<![\d])(?:0\d{2,3}-|[(（]0\d{2,3}[)）] ?)\d{3,4}[ -]?\d{4}(?![\d])")
_CARD = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")
_DOOR = [
    re.compile(r"\d+\s*(?:室|号房|房间)"),  # 502室 · 502号房 · 502房间
    re.compile(r"单元\s*\d{3,4}(?!\d)"),  # 2单元502
    re.compile(r"(?:号楼|栋|幢|座)\s*\d{3,4}(?![\d单])"),  # 5号楼502 (but 5号楼2单元 passes)
    re.compile(r"(?<![\d\-.:/])\d{1,3}-\d{1,2}-\d{3,4}(?![\d\-])"),  # 5-2-502
    re.compile(r"(?<![\d\-.:/〔\[])\d{1,3}-\d{3,4}(?![\d\-.:/])"),  # 3-502
]


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str  # "标题", "第2段", "表1第3行第2列", translated
    excerpt: str  # the number masked, a little of its context

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def __str__(self):
        return f"{self.where}: {self.label} “{self.excerpt}”"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_number(value: str) -> str:
    """Keep the first three and the last two characters of what was found; the rest are stars."""
    chars = [c for c in value if not c.isspace()]
    if len(chars) <= 5:
        return "*" * len(chars)
    return "".join(chars[:3]) + "*" * (len(chars) - 5) + "".join(chars[-2:])


def find(text: str) -> list[tuple[str, str]]:
    """(kind, masked excerpt) of every personal number in one text, in order of appearance."""
    text = normalise(text)
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, str, str]] = []

    def free(m):
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    def hit(kind, m):
        taken.append((m.start(), m.end()))
        value = m.group(0)
        out.append((m.start(), kind, re.sub(r"\d", "*", value) if kind == DOOR else mask_number(value)))

    for m in _ID18.finditer(text):
        hit(ID, m)
    for m in _MOBILE.finditer(text):
        if free(m):
            hit(MOBILE, m)
    for m in _LANDLINE.finditer(text):
        if free(m):
            hit(LANDLINE, m)
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if free(m) and 13 <= len(digits) <= 19 and luhn(digits):
            hit(BANK_CARD, m)
    for m in _ID15.finditer(text):
        if free(m):
            hit(ID, m)
    for pattern in _DOOR:
        for m in pattern.finditer(text):
            if free(m):
                hit(DOOR, m)
    return [(kind, excerpt) for _pos, kind, excerpt in sorted(out)]


def scan(title: str, paragraphs: list[str], tables: list[dict], closing: list[str] = ()) -> list[Finding]:
    """DIS-5: every finding in a notice, each with where it is (title, paragraph n, table t row r column c)."""
    found: list[Finding] = []

    def add(text, where):
        for kind, excerpt in find(text):
            found.append(Finding(kind, where, excerpt))

    add(title, gettext("title"))
    for i, p in enumerate(paragraphs, 1):
        add(p, gettext("paragraph %(n)s") % {"n": i})
    for ti, table in enumerate(tables, 1):
        add(table.get("caption", ""), gettext("table %(t)s caption") % {"t": ti})
        for ci, head in enumerate(table.get("columns", []), 1):
            add(head, gettext("table %(t)s header, column %(c)s") % {"t": ti, "c": ci})
        rows = list(table.get("rows", []))
        if table.get("totals"):
            rows.append(table["totals"])
        for ri, row in enumerate(rows, 1):
            for ci, cell in enumerate(row, 1):
                add(str(cell), gettext("table %(t)s row %(r)s column %(c)s") % {"t": ti, "r": ri, "c": ci})
    for i, p in enumerate(closing, len(paragraphs) + 1):
        add(p, gettext("paragraph %(n)s") % {"n": i})
    return found
