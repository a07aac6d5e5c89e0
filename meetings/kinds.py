"""The kinds of meeting bodies: a registry other apps add to (DB-2 dibao panel, WEL-10, GRID-4 …).

``register(key, label, cadence_key=None, cadence_months=None, quorum=True, may_decide_major=False,
rule="")``: a body of this kind meets at least every ``cadence`` months (a policy key, or a fixed number),
needs a 2/3 quorum (policy mtg.quorum) when ``quorum`` is true, and may decide major matters (MTG-9)
when ``may_decide_major`` is true.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from meetings.models import BodyKind


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    cadence_key: str | None = None  # a policy key giving the cadence in months (MTG-11)
    cadence_months: int | None = None  # a fixed cadence when there is no policy key
    quorum: bool = False  # MTG-6/7: decisions need 2/3 of the members present
    may_decide_major: bool = False  # MTG-9
    rule: str = ""
    community_body: bool = True  # False: a street-office body (no community)


_kinds: dict[str, Kind] = {}


def register(key: str, label, **options) -> Kind:
    kind = Kind(key, label, **options)
    _kinds[key] = kind
    return kind


def get(key: str) -> Kind:
    return _kinds.get(key) or Kind(key, key)


def label(key: str):
    return get(key).label


def choices(community_body: bool = True) -> list[tuple[str, object]]:
    return [(k.key, k.label) for k in _kinds.values() if k.community_body == community_body]


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


register(BodyKind.COMMITTEE, BodyKind.COMMITTEE.label, rule="MTG-1")
register(
    BodyKind.REPRESENTATIVES, BodyKind.REPRESENTATIVES.label, cadence_key="mtg.representatives_months",
    quorum=True, may_decide_major=True, rule="MTG-6",
)
register(BodyKind.RESIDENTS_MEETING, BodyKind.RESIDENTS_MEETING.label, quorum=False, may_decide_major=True, rule="MTG-9")
register(
    BodyKind.CONSULTATION, BodyKind.CONSULTATION.label, cadence_key="mtg.council_months", quorum=True, rule="MTG-7"
)
register(BodyKind.JOINT, BodyKind.JOINT.label, rule="FIN-7")
register(BodyKind.MASS_MEETING, BodyKind.MASS_MEETING.label, cadence_key="mtg.mass_meeting_months", rule="MTG-10")
register(BodyKind.STREET_REGULAR, BodyKind.STREET_REGULAR.label, community_body=False, rule="MTG-2")

__all__ = ["Kind", "register", "get", "label", "choices", "all_kinds", "_"]
