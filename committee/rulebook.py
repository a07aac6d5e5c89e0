"""The rule book as the product shows it: read once from ``docs/rules.md``, the project's own copy.

Rule ids (ATT-3, MTG-7 …) stay on screens for staff who know them; ``{% rule %}`` (committee/templatetags/
rules.py) turns each into a link to its entry on the rules page ``/rules/`` with the rule's plain sentence
as its hover text. The sentences are written in Simplified Chinese; 繁體中文 is the same text converted
character by character with OpenCC (s2tw, as the catalogues are), English shows the English title and
sentence of each entry.

The file's format is described at its top; an entry without a ``- 适用：`` line is a rule the product does
not carry out yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

SOURCE = Path(settings.BASE_DIR) / "docs" / "rules.md"
RULE_ID_RE = re.compile(r"\b([A-Z]{2,4}-\d{1,2})\b")

_CHAPTER_RE = re.compile(r"^## (?P<prefix>[A-Z]+) · (?P<zh>[^·]+?) · (?P<en>.+)$")
_RULE_RE = re.compile(r"^### (?P<id>[A-Z]+-\d+) · (?P<zh>[^·]+?) · (?P<en>.+)$")
_PLACE_RE = re.compile(r"^(?P<name>.+?)\s*`(?P<path>/[^`]*)`$")


@dataclass(frozen=True)
class Place:
    name: str  # in Simplified Chinese, as written in the rule book
    path: str


@dataclass
class Rule:
    id: str
    title_zh: str
    title_en: str
    text_zh: str = ""
    text_en: str = ""
    places: list[Place] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return bool(self.places)


@dataclass
class Chapter:
    prefix: str
    title_zh: str
    title_en: str
    rules: list[Rule] = field(default_factory=list)


def parse(text: str) -> list[Chapter]:
    chapters: list[Chapter] = []
    rule: Rule | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if m := _CHAPTER_RE.match(line):
            chapters.append(Chapter(m["prefix"], m["zh"].strip(), m["en"].strip()))
            rule = None
        elif m := _RULE_RE.match(line):
            if not chapters:
                raise ValueError(f"{SOURCE}: rule {m['id']} before any chapter")
            rule = Rule(m["id"], m["zh"].strip(), m["en"].strip())
            chapters[-1].rules.append(rule)
        elif rule is None or not line:
            continue
        elif line.startswith("- English:"):
            rule.text_en = line.removeprefix("- English:").strip()
        elif line.startswith("- 适用："):
            for part in line.removeprefix("- 适用：").split("；"):
                pm = _PLACE_RE.match(part.strip())
                if not pm:
                    raise ValueError(f"{SOURCE}: {rule.id}: a place is written as 名称 `/path/`: {part!r}")
                rule.places.append(Place(pm["name"], pm["path"]))
        elif not rule.text_zh:
            rule.text_zh = line
        else:
            rule.text_zh += line
    return chapters


@cache
def chapters() -> tuple[Chapter, ...]:
    return tuple(parse(SOURCE.read_text(encoding="utf-8")))


@cache
def _by_id() -> dict[str, Rule]:
    return {r.id: r for c in chapters() for r in c.rules}


def get(rule_id: str) -> Rule | None:
    return _by_id().get(rule_id)


def ids_in(text) -> list[str]:
    """The rule ids written in a text such as "MTG-6 MTG-7" or "FIN-2, FIN-3"."""
    return RULE_ID_RE.findall(str(text or ""))


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2tw")  # characters only, as the catalogues (scripts/compile-messages.py)


@cache
def _hant(text: str) -> str:
    return _converter().convert(text)


def _lang(language: str | None = None) -> str:
    lang = (language or get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return "en"
    if lang in ("zh-hant", "zh-tw", "zh-hk", "zh-mo"):
        return "zh-hant"
    return "zh-hans"


def plain(text: str) -> str:
    """The text without the rule book's bold markers (hover texts are plain)."""
    return text.replace("**", "")


def parts(text: str) -> list[tuple[str, bool]]:
    """(segment, bold) pairs of a text with **bold** defaults, for the rules page."""
    return [(seg, i % 2 == 1) for i, seg in enumerate(text.split("**")) if seg]


def title(rule: Rule, language: str | None = None) -> str:
    lang = _lang(language)
    if lang == "en":
        return rule.title_en
    return _hant(rule.title_zh) if lang == "zh-hant" else rule.title_zh


def text(rule: Rule, language: str | None = None) -> str:
    lang = _lang(language)
    if lang == "en":
        return rule.text_en or rule.title_en
    return _hant(rule.text_zh) if lang == "zh-hant" else rule.text_zh


def chapter_title(chapter: Chapter, language: str | None = None) -> str:
    lang = _lang(language)
    if lang == "en":
        return chapter.title_en
    return _hant(chapter.title_zh) if lang == "zh-hant" else chapter.title_zh


def place_name(place: Place, language: str | None = None) -> str:
    lang = _lang(language)
    if lang == "en":
        return _english_place(place.path) or place.name
    return _hant(place.name) if lang == "zh-hant" else place.name


def hover(rule: Rule, language: str | None = None) -> str:
    """The hover text of a rule id: its title and plain sentence in the reader's language."""
    sep = ": " if _lang(language) == "en" else "："
    return f"{title(rule, language)}{sep}{plain(text(rule, language))}"


def _english_place(path: str) -> str:
    """The English name of a page, from the name its view gives it in the URLconf (no Chinese on an English
    page). Falls back to the rule book's Chinese name for a path this table does not know."""
    return _ENGLISH_PAGES.get(path, "")


_ENGLISH_PAGES = {
    "/dashboard/": "Dashboard",
    "/inbox/": "Waiting for me",
    "/staff/": "Staff",
    "/roles/": "Roles",
    "/policy/": "Rules in force",
    "/calendar/": "Working-day calendar",
    "/audit/": "Audit trail",
    "/access-records/": "Access records",
    "/login/": "Log in",
    "/password/": "Change password",
    "/office/": "In the office",
    "/office/notices/": "All-out notices",
    "/office/incidents/": "Incidents",
    "/residents/": "Residents",
    "/residents/grids/": "Grids",
    "/residents/buildings/": "Buildings",
    "/visits/": "Grids and visits",
    "/visits/responsibility/": "Grid responsibility",
    "/visits/log/": "Visit ledger",
    "/visits/problems/": "Problems raised",
    "/visits/meeting/": "Grid work meeting",
    "/visits/quotas/": "Visit quotas",
    "/visits/units/": "Local units",
    "/visits/requests/": "Residents' requests",
    "/visits/figures/": "Monthly figures",
    "/attendance/": "Attendance",
    "/attendance/register/": "Attendance register",
    "/attendance/leave/": "Leave requests",
    "/attendance/leave/emergency/": "Emergency leave",
    "/attendance/inspections/": "Inspections",
    "/attendance/flags/": "Resignation flags",
    "/meetings/": "Meetings",
    "/meetings/regular/": "Street regular meetings",
    "/meetings/deductions/": "Absence deductions",
    "/finance/": "Finance",
    "/finance/expenses/": "Expenses",
    "/finance/splitting/": "Possible splitting",
    "/finance/cheques/": "Cheque register",
    "/finance/receipts/": "Self-managed income",
    "/finance/decisions/": "Spending decisions",
    "/finance/cashbook/": "Cash book",
    "/finance/audits/": "Audits",
    "/finance/report/": "Quarterly report",
    "/posts/": "Posts",
    "/posts/letters/": "Holders without a letter",
    "/posts/badges/": "Badges",
    "/posts/inspections/": "Badge inspections",
    "/posts/complaints/": "Complaints about badge-holders",
    "/posts/evaluation/items/": "Score sheet",
    "/posts/evaluation/compare/": "Evaluations compared",
    "/disclosure/": "Disclosure board",
    "/disclosure/cadence/": "Disclosure cadence",
    "/disclosure/compose/": "Compose from the records",
    "/disclosure/new/": "New notice",
    "/welfare/": "Public-welfare projects",
    "/welfare/quarters/": "Quarterly welfare money",
    "/welfare/summary/": "Activity summaries",
    "/welfare/groups/": "Project groups",
    "/welfare/tables/": "Categories and refused uses",
    "/archives/": "Archive catalogue",
    "/archives/volumes/": "Volumes",
    "/archives/filing/": "Year-end filing",
    "/archives/cabinets/": "Cabinets",
    "/archives/loans/": "Borrowing register",
    "/archives/handovers/": "Archivist handovers",
}
