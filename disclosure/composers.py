"""DIS-4: notices composed from the records. The registry other chapters add to.

A chapter that must post something (FIN-10 quarterly finance, FIN-7 self-managed funds, SEAL-8 a lost
seal, DB-5 dibao results, WEL-11 welfare projects) registers a composer in its ``AppConfig.ready``::

    from disclosure import composers

    composers.register(composers.Composer(
        key="finance.quarter",                      # unique, stored on the notice
        label=_("Quarterly finance statement"),     # what the "compose" menu offers
        category=composers.FINANCE,                 # a DIS-1 category key (below)
        rule="FIN-10",
        subjects=finance_quarters,                  # (community, day) -> [Subject]
        compose=compose_finance_quarter,            # (community, subject_key, acting_user) -> Composed
    ))

``subjects`` lists what may be composed today (the quarters that have ended, the lost seals …): a
``Subject(key, label)`` whose key is a plain string (``"2026-Q3"``, ``"seal:12"``) the compose function
understands. ``compose`` draws the figures from the records *now* and returns a ``Composed``; the
disclosure app freezes it into the notice (title, paragraphs, tables and the raw ``figures``) at the moment
of issuing. It raises ``ValidationError`` (naming the field ``subject``) for a subject that may not be
composed (a quarter that has not ended: DIS-4). A composer minimises personal data itself (DIS-5: masked
ID numbers via ``committee.idcard.mask``, building only, no income or medical details); the disclosure app
scans the result again before issuing and refuses what it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# DIS-1 categories (keys stored on notices; the disclosure app gives them labels and the DIS-2 cadence).
POLICY = "policy"  # policies, regulations, finance and procedures          (half year)
PLANS = "plans"  # development plans                                        (half year)
TARGETS = "targets"  # the committee's targets, evaluations and pay        (half year)
FAMILY_PLANNING = "family_planning"  # second-child approvals             (half year)
FINANCE = "finance"  # fund use, self-managed funds (FIN-10, FIN-7)        (quarter)
DIBAO = "dibao"  # relief and dibao recipients (DB-5)                      (quarter)
DISABILITY = "disability"  # disabled persons' household-register changes
WELFARE = "welfare"  # public-welfare projects (WEL-11)
SERVICE_OUTLET = "service_outlet"  # service-outlet income and spending
DONATIONS = "donations"  # donations and fees collected
SEAL = "seal"  # a lost or replaced seal (SEAL-8)
OTHER = "other"  # other matters of public concern


@dataclass(frozen=True)
class Subject:
    key: str
    label: Any


@dataclass
class Table:
    """A table of the notice. Cells are strings as printed (money already formatted); ``totals`` is an
    optional last row printed bold. The header repeats on every printed page."""

    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    totals: list[str] | None = None
    numeric: list[int] = field(default_factory=list)  # column indexes aligned right


@dataclass
class Composed:
    title: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # paragraphs after the tables (e.g. "特此公告。")
    figures: dict = field(default_factory=dict)  # JSON-serialisable raw values, frozen with the notice
    min_days: int | None = None  # minimum posting length in calendar days (SEAL-8: 30)
    min_working_days: int | None = None  # minimum posting length in working days (WEL-11: 10)
    period_start: Any = None  # the period the figures cover (dates), if any
    period_end: Any = None
    source: Any = None  # the record it is about (a Seal …), for links; not stored by value


@dataclass(frozen=True)
class Composer:
    key: str
    label: Any
    category: str
    rule: str
    subjects: Callable[..., list[Subject]]
    compose: Callable[..., Composed]
    order: int = 100


_composers: dict[str, Composer] = {}


def register(composer: Composer) -> Composer:
    _composers[composer.key] = composer
    return composer


def get(key: str) -> Composer | None:
    return _composers.get(key)


def all_composers() -> list[Composer]:
    return sorted(_composers.values(), key=lambda c: (c.order, c.key))
