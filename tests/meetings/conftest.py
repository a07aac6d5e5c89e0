from __future__ import annotations

import datetime as dt

import pytest

from committee import approvals, policy
from committee.models import Role
from meetings import services
from meetings.models import BodyKind
from tests import factories as f

START = dt.date(2025, 1, 1)


def make_body(community, kind, n_members, *, acting_user, name=None):
    body = services.create_body(community=community, kind=kind, name=name or f"{kind}-{community.pk}",
                                acting_user=acting_user)
    for i in range(n_members):
        services.add_member(body, name=f"代表{i + 1:02d}", start=START, acting_user=acting_user)
    return body


def held_meeting(body, day, statuses_present: int, *, acting_user, chair=None, recorder=None):
    """A meeting of ``body`` on ``day`` with the first ``statuses_present`` members present (roll call
    taken, minutes not approved yet: it does not count for the cadence)."""
    meeting = services.create_meeting(body, title="会议", date=day, chair=chair, recorder=recorder,
                                      acting_user=acting_user)
    keys = [p["key"] for p in services.expected_participants(meeting)]
    statuses = {k: ("present" if i < statuses_present else "absent") for i, k in enumerate(keys)}
    return services.record_roll_call(meeting, statuses, acting_user=acting_user)


def approve_minutes(meeting, *, recorder=None, approver=None, text="会议纪要"):
    """MTG-6: the recorder writes and sends the minutes; the committee approver (not the recorder, CTL-2)
    approves them. Returns the meeting, now closed (final)."""
    community = meeting.community
    recorder = recorder or meeting.recorder or f.staff(community, "记录员", [Role.MEMBER])
    services.save_minutes(meeting, text=text, acting_user=recorder.user)
    services.close_minutes(meeting, acting_user=recorder.user)
    approver = approver or approvals.holders(policy.committee_approver_role(community), community,
                                             dt.date.today()).exclude(pk=recorder.pk).first()
    [step] = approvals.steps_for(meeting).filter(status="pending")
    approvals.decide(step.pk, acting_user=approver.user, approve=True)
    meeting.refresh_from_db()
    return meeting


def convened_meeting(body, day, statuses_present: int, *, acting_user, chair=None):
    """A meeting that counts (MTG-6/7/11): held with the given attendance and approved minutes."""
    return approve_minutes(held_meeting(body, day, statuses_present, acting_user=acting_user, chair=chair))


@pytest.fixture
def reps_a(community_a, director_a):
    return make_body(community_a, BodyKind.REPRESENTATIVES, 31, acting_user=director_a.user, name="居民代表会议")


@pytest.fixture
def committee_a(community_a, director_a):
    return make_body(community_a, BodyKind.COMMITTEE, 5, acting_user=director_a.user, name="居委会")
