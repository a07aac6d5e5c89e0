"""Fixtures of the seal chapter: a committee seal of community A kept by its custodian, and a convened
representatives' meeting's adopted major decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from committee import approvals
from committee.models import Role
from seals import services
from tests import factories as f


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def custodian_a(community_a):
    return f.staff(community_a, "甲保管", [Role.SEAL_CUSTODIAN])


@pytest.fixture
def seal_a(community_a, supervisor, custodian_a):
    return services.create_seal(community=community_a, kind="committee", name=f"{community_a.name}居民委员会",
                                place="办公室保险柜", issued_on=dt.date(2024, 1, 5), custodian=custodian_a,
                                acting_user=supervisor.user)


@pytest.fixture
def resident_a(community_a):
    return f.person(community_a, "王䶮")


@pytest.fixture
def resident_b(community_b):
    return f.person(community_b, "李四")


def approve_all(record, *deciders):
    """Each pending step decided by the next person given (a different person per step, CTL-2)."""
    for staff in deciders:
        step = approvals.steps_for(record).filter(status="pending").order_by("step").first()
        approvals.decide(step.pk, acting_user=staff.user, approve=True)


def major_decision(community, user, *, quorum=True, close=True, approver=None):
    from meetings import services as mtg
    from meetings.models import BodyKind

    body = mtg.create_body(community=community, kind=BodyKind.REPRESENTATIVES, name=f"代表会议{community.pk}",
                           acting_user=user)
    for i in range(3):
        mtg.add_member(body, name=f"代表{i}", start=dt.date(2020, 1, 1), acting_user=user)
    meeting = mtg.create_meeting(body, title="代表会议", date=timezone.localdate(), acting_user=user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    statuses = {k: ("present" if quorum or i == 0 else "absent") for i, k in enumerate(keys)}
    meeting = mtg.record_roll_call(meeting, statuses, acting_user=user)
    decision = mtg.record_decision(meeting, title="签订共建协议", major=True, votes_for=3 if quorum else 1,
                                   votes_against=0, votes_abstain=0, acting_user=user)
    if close:
        mtg.save_minutes(meeting, text="纪要", acting_user=user)
        mtg.close_minutes(meeting, acting_user=user)
        if approver is not None:
            step = approvals.steps_for(meeting).filter(status="pending").first()
            approvals.decide(step.pk, acting_user=approver.user, approve=True)
    decision.refresh_from_db()
    return decision
