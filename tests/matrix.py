"""The permission matrix: every URL of the product × persona × expected status.

Each app adds its entries in ``tests/<app>/matrix.py`` (``ENTRIES += [...]`` style, via ``add``) and, if
its URLs need objects, a world builder that creates them in community A. The test in
``tests/test_permission_matrix.py`` runs every entry for every persona and fails when a URL of the
URLconf has no entry.

Personas: ``anon`` (not logged in), ``staff_a`` (committee member of community A), ``director_a``
(director of A), ``staff_b`` (member of community B), ``street`` (street-office department head).
Objects in the world belong to community A, so ``staff_b`` must get 404 for any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anon", "staff_a", "director_a", "staff_b", "street")
LOGIN = 302  # anonymous users are sent to the login page


@dataclass
class Entry:
    name: str  # URL name
    expect: dict[str, int]
    args: Callable[[dict], list] | None = None  # world -> URL args
    method: str = "get"
    data: Callable[[dict], dict] | None = None  # world -> POST data
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{(' ' + self.note) if self.note else ''}"


ENTRIES: list[Entry] = []
WORLD_BUILDERS: list[Callable[[dict], None]] = []
# URL names not listed in the matrix, with the reason (e.g. Django's own login view).
EXEMPT: dict[str, str] = {}


def add(name: str, expect: dict[str, int], **kwargs: Any) -> None:
    missing = set(PERSONAS) - set(expect)
    if missing:
        raise ValueError(f"{name}: no expected status for {sorted(missing)}")
    ENTRIES.append(Entry(name=name, expect=expect, **kwargs))


def everyone(status: int = 200, *, anon: int = LOGIN, **overrides: int) -> dict[str, int]:
    """Every logged-in persona gets ``status`` unless overridden; anonymous users go to login."""
    out = {p: status for p in PERSONAS}
    out["anon"] = anon
    out.update(overrides)
    return out


def world_builder(fn: Callable[[dict], None]) -> Callable[[dict], None]:
    WORLD_BUILDERS.append(fn)
    return fn


def exempt(name: str, reason: str) -> None:
    EXEMPT[name] = reason


@dataclass
class World:
    objects: dict = field(default_factory=dict)
