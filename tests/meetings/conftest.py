from __future__ import annotations

import datetime as dt

import pytest

from meetings import services
from meetings.models import BodyKind

START = dt.date(2025, 1, 1)


def make_body(community, kind, n_members, *, acting_user, name=None):
    body = services.create_body(community=community, kind=kind, name=name or f"{kind}-{community.pk}",
                                acting_user=acting_user)
    for i in range(n_members):
        services.add_member(body, name=f"代表{i + 1:02d}", start=START, acting_user=acting_user)
    return body


def held_meeting(body, day, statuses_present: int, *, acting_user, chair=None):
    """A meeting of ``body`` on ``day`` with the first ``statuses_present`` members present."""
    meeting = services.create_meeting(body, title="会议", date=day, chair=chair, acting_user=acting_user)
    keys = [p["key"] for p in services.expected_participants(meeting)]
    statuses = {k: ("present" if i < statuses_present else "absent") for i, k in enumerate(keys)}
    return services.record_roll_call(meeting, statuses, acting_user=acting_user)


@pytest.fixture
def reps_a(community_a, director_a):
    return make_body(community_a, BodyKind.REPRESENTATIVES, 31, acting_user=director_a.user, name="居民代表会议")


@pytest.fixture
def committee_a(community_a, director_a):
    return make_body(community_a, BodyKind.COMMITTEE, 5, acting_user=director_a.user, name="居委会")
