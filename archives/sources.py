"""ARC-7: what the product itself produced, offered for filing in the right category and year.

A *source* is registered with ``register_source(key, label, category_key, offers)``; ``offers(community,
year)`` returns the ``Offer``s of that community and year: the records that exist in another chapter, each
with a stable ``key`` (the record's id), a title, a date and either ``produce_pdf()`` (the chapter's own
print, rendered again here as PDF/A) or stored bytes with their checksum. An offer already filed (an item
with the same ``source`` and ``source_ref``) is not offered again.

The sources of the chapters that exist are in ``archives/product_sources.py``. The disclosure notices (the dibao and welfare quarter postings among them) are the source
``disclosure.notice`` there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Offer:
    key: str  # the record's key inside its source (e.g. the meeting's id); with the source: filed once
    title: str
    date: dt.date
    responsible: str = ""
    produce_pdf: Callable[[], bytes] | None = field(default=None, compare=False)  # rendered as PDF/A
    content: bytes | None = field(default=None, compare=False, repr=False)  # or a stored file …
    sha256: str = ""  # … and the checksum it was stored with
    pages: int | None = None


@dataclass(frozen=True)
class Source:
    key: str
    label: object
    category_key: str
    offers: Callable  # (community, year) -> list[Offer]


_sources: dict[str, Source] = {}


def register_source(key: str, label, category_key: str, offers: Callable) -> Source:
    source = Source(key, label, category_key, offers)
    _sources[key] = source
    return source


def sources() -> list[Source]:
    return list(_sources.values())


def get(key: str) -> Source | None:
    return _sources.get(key)
