"""Fixtures of the posts chapter: an adopted decision of a convened joint meeting (三委联席会) of community
A, a post published, announced and decided with a holder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from committee import approvals
from committee.models import Role
from posts import services
from posts.models import Post
from tests import factories as f


def joint_decision(community, user, *, approver, close=True, kind=None, title="岗位分配"):
    from meetings import services as mtg
    from meetings.models import BodyKind

    body = mtg.create_body(community=community, kind=kind or BodyKind.JOINT, name=f"三委联席会{community.pk}{title}",
                           acting_user=user)
    for i in range(3):
        mtg.add_member(body, name=f"委员{i}", start=dt.date(2020, 1, 1), acting_user=user)
    meeting = mtg.create_meeting(body, title="联席会", date=timezone.localdate(), acting_user=user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=user)
    decision = mtg.record_decision(meeting, title=title, votes_for=3, votes_against=0, votes_abstain=0,
                                   acting_user=user)
    if close:
        mtg.save_minutes(meeting, text="纪要", acting_user=user)
        mtg.close_minutes(meeting, acting_user=user)
        step = approvals.steps_for(meeting).filter(status="pending").first()
        approvals.decide(step.pk, acting_user=approver.user, approve=True)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def post_finance(db):
    return Post.objects.get(key="finance_supervision")


@pytest.fixture
def discipline(street):
    return f.staff(street, "纪检员", [Role.DISCIPLINE])


@pytest.fixture
def decision_a(community_a, staff_a, director_a):
    return joint_decision(community_a, staff_a.user, approver=director_a)


def assign(community, post, holders, decision, by, year=None):
    opening = services.publish(community=community, post=post, year=year or timezone.localdate().year, places=2,
                               duties="监督财务", acting_user=by.user)
    for s in holders:
        services.nominate(opening, staff=s, kind="self", acting_user=s.user)
    services.announce(opening, acting_user=by.user)
    return services.decide(opening, decision=decision, holders=holders, start=timezone.localdate(),
                           acting_user=by.user)


@pytest.fixture
def holding_a(community_a, post_finance, staff_a, director_a, decision_a):
    return assign(community_a, post_finance, [staff_a], decision_a, director_a)[0]
