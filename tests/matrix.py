"""The permission matrix: every URL of the product × persona × expected status.

Each app adds its entries in ``tests/<app>/matrix.py`` (via ``add``) and, if its URLs need objects, a world
builder that creates them in community A. ``tests/test_permission_matrix.py`` builds the world once, runs
every entry for every persona and fails when a URL of the URLconf has no entry.

An entry names the status of the five *class* personas (``CLASS_PERSONAS``, the format every entry has
always had):

``anon``        not logged in (public pages 200, the rest the login page: ``LOGIN``)
``staff_a``     a committee member (委员) of community A without any other role: the community class
``director_a``  the director (主任) of A
``staff_b``     a committee member of community B: A's objects are 404 to them
``street``      a street-office department head (分管部门负责人): the street-office class

Every other persona takes its status from its class unless the entry names it (``ROLE_PERSONAS``):

* each other community role of ORG-2 in community A (``secretary_a``, ``dibao_a``, ``bookkeeper_a`` …)
  gets what ``staff_a`` gets — a role adds nothing unless an entry says so (the dibao pages for the dibao
  officer, the accounts for the bookkeeper, the seals for the seal custodian …);
* each other street-office role (``instructor``, ``leader``, ``finance``, ``discipline``, ``sysadmin`` …)
  gets what ``street`` gets;
* the leavers (``leaver_a`` whose employment ended yesterday, ``retired_a`` whose last role ended
  yesterday; both with a session still open from before) get what ``anon`` gets: CTL-3 ends their session,
  so every page that needs a login sends them to the login page;
* the foreign personas (``chief_b``, holding every community role of community B, and ``other_street``, the
  department head of another street office) get ``Entry.foreign`` — 404 on every entry whose ``staff_b``
  is 404 (an object of community A), and are not run on the others unless the entry sets ``foreign``.

So an entry written with the five class personas keeps working; it adds ``dibao_a=200`` where a role
opens a page, and ``foreign=404`` where A's object hides behind a role check that ``staff_b`` fails first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = 302  # anonymous users are sent to the login page

CLASS_PERSONAS = ("anon", "staff_a", "director_a", "staff_b", "street")
# persona -> ORG-2 role key, held in community A (community roles) or for the whole street (street roles)
COMMUNITY_PERSONAS = {
    "deputy_a": "deputy_director",
    "secretary_a": "party_secretary",
    "civil_a": "civil_affairs",
    "dibao_a": "dibao_officer",
    "labour_a": "labour_security",
    "service_a": "service_staff",
    "station_a": "station_head",
    "archivist_a": "archivist",
    "bookkeeper_a": "bookkeeper",
    "seal_a": "seal_custodian",
    "attendance_a": "attendance_keeper",
}
STREET_PERSONAS = {
    "instructor": "instructor",  # the community instructor covering community A
    "leader": "street_leader",
    "building": "building_office_director",
    "finance": "finance",
    "discipline": "discipline",
    "sysadmin": "system_admin",
}
LEAVER_PERSONAS = ("leaver_a", "retired_a")
FOREIGN_PERSONAS = ("chief_b", "other_street")
ROLE_PERSONAS = tuple(COMMUNITY_PERSONAS) + tuple(STREET_PERSONAS)
PERSONAS = CLASS_PERSONAS + ROLE_PERSONAS + LEAVER_PERSONAS + FOREIGN_PERSONAS


def persona_class(persona: str) -> str | None:
    """The class persona whose status a persona takes when an entry does not name it."""
    if persona in COMMUNITY_PERSONAS:
        return "staff_a"
    if persona in STREET_PERSONAS:
        return "street"
    if persona in LEAVER_PERSONAS:
        return "anon"
    return None


@dataclass
class Entry:
    name: str  # URL name
    expect: dict[str, int]
    args: Callable[[dict], list] | None = None  # world -> URL args
    method: str = "get"
    data: Callable[[dict], dict] | None = None  # world -> POST data
    note: str = ""
    foreign: int | None = None  # status for FOREIGN_PERSONAS (default: 404 where staff_b gets 404)

    def __post_init__(self):
        if self.foreign is None and self.expect.get("staff_b") == 404:
            self.foreign = 404
        full = {}
        for persona in PERSONAS:
            if persona in self.expect:
                full[persona] = self.expect[persona]
            elif persona in FOREIGN_PERSONAS:
                if self.foreign is not None:
                    full[persona] = self.foreign
            else:
                full[persona] = self.expect[persona_class(persona)]
        self.expect = full

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{(' ' + self.note) if self.note else ''}"


ENTRIES: list[Entry] = []
WORLD_BUILDERS: list[Callable[[dict], None]] = []
# URL names not listed in the matrix, with the reason (e.g. Django's own login view).
EXEMPT: dict[str, str] = {}


def add(name: str, expect: dict[str, int], **kwargs: Any) -> None:
    missing = set(CLASS_PERSONAS) - set(expect)
    if missing:
        raise ValueError(f"{name}: no expected status for {sorted(missing)}")
    unknown = set(expect) - set(PERSONAS)
    if unknown:
        raise ValueError(f"{name}: unknown personas {sorted(unknown)}")
    ENTRIES.append(Entry(name=name, expect=dict(expect), **kwargs))


def everyone(status: int = 200, *, anon: int = LOGIN, **overrides: int) -> dict[str, int]:
    """Every logged-in class persona gets ``status`` unless overridden; anonymous users go to login.
    Overrides may name any persona (``dibao_a=200``)."""
    out = {p: status for p in CLASS_PERSONAS}
    out["anon"] = anon
    out.update(overrides)
    return out


def roles(status: int, *personas: str) -> dict[str, int]:
    """``{persona: status}`` for several personas: ``everyone(403, **roles(200, "dibao_a", "civil_a"))``."""
    return dict.fromkeys(personas, status)


def community_roles(status: int, *, but: tuple[str, ...] = ()) -> dict[str, int]:
    """Every community-role persona of A except ``but`` gets ``status``: for an object of ``staff_a``'s own
    (their leave, their request) the other roles are not its owner: ``**community_roles(403)``."""
    return {p: status for p in COMMUNITY_PERSONAS if p not in but}


def street_roles(status: int, *, but: tuple[str, ...] = ()) -> dict[str, int]:
    """Every street-office role persona except ``but`` gets ``status``."""
    return {p: status for p in STREET_PERSONAS if p not in but}


def world_builder(fn: Callable[[dict], None]) -> Callable[[dict], None]:
    WORLD_BUILDERS.append(fn)
    return fn


def exempt(name: str, reason: str) -> None:
    EXEMPT[name] = reason


@dataclass
class World:
    objects: dict = field(default_factory=dict)
