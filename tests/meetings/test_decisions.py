"""MTG-8 majority and votes, MTG-9 major matters; FIN-7's adopted_decisions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings import rules, services
from meetings.models import BodyKind
from tests.meetings.conftest import held_meeting, make_body

DAY = dt.date(2026, 3, 10)
pytestmark = pytest.mark.usefixtures("_now")


@pytest.fixture
def _now():
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False):
        yield


@pytest.mark.parametrize("votes_for,present,adopted", [(11, 21, True), (10, 21, False), (10, 20, False),
                                                       (11, 20, True), (3, 5, True), (2, 4, False)])
def test_mtg_8_majority_of_those_present_tie_not_adopted(votes_for, present, adopted):
    assert rules.adopted(votes_for=votes_for, present=present) is adopted


def test_mtg_8_tie_is_not_adopted_when_recorded(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 4, acting_user=director_a.user)
    d = services.record_decision(meeting, title="议题", votes_for=2, votes_against=2, votes_abstain=0,
                                 acting_user=director_a.user)
    assert d.adopted is False
    assert d not in services.adopted_decisions(committee_a.community)


def test_mtg_8_more_votes_than_present_refused(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 3, acting_user=director_a.user)
    with pytest.raises(ValidationError) as e:
        services.record_decision(meeting, title="议题", votes_for=2, votes_against=1, votes_abstain=1,
                                 acting_user=director_a.user)
    assert "MTG-8" in str(e.value)
    assert "votes_for" in e.value.error_dict


def test_mtg_8_dissent_recorded_with_member_name(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 5, acting_user=director_a.user)
    d = services.record_decision(meeting, title="议题", votes_for=4, votes_against=1, votes_abstain=0,
                                 dissents=[("代表03", "费用过高"), ("", "")], acting_user=director_a.user)
    assert [(x.name, x.opinion) for x in d.dissents.all()] == [("代表03", "费用过高")]


def test_mtg_8_decision_needs_roll_call_first(committee_a, director_a):
    meeting = services.create_meeting(committee_a, title="会议", date=DAY, acting_user=director_a.user)
    with pytest.raises(ValidationError, match="MTG-6"):
        services.record_decision(meeting, title="议题", votes_for=0, votes_against=0, votes_abstain=0,
                                 acting_user=director_a.user)


def test_mtg_9_committee_cannot_decide_a_major_matter(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 5, acting_user=director_a.user)
    with pytest.raises(ValidationError) as e:
        services.record_decision(meeting, title="小区改造", major=True, votes_for=5, votes_against=0,
                                 votes_abstain=0, acting_user=director_a.user)
    assert "MTG-9" in str(e.value)


def test_mtg_9_major_agenda_item_makes_the_decision_major(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 5, acting_user=director_a.user)
    item = services.add_agenda_item(meeting, title="小区改造", major=True, acting_user=director_a.user)
    with pytest.raises(ValidationError, match="MTG-9"):
        services.record_decision(meeting, title="通过", agenda_item=item, votes_for=5, votes_against=0,
                                 votes_abstain=0, acting_user=director_a.user)


def test_mtg_9_representative_meeting_may_decide_a_major_matter(reps_a, director_a):
    meeting = held_meeting(reps_a, DAY, 25, acting_user=director_a.user)
    d = services.record_decision(meeting, title="小区改造", major=True, votes_for=20, votes_against=3,
                                 votes_abstain=2, acting_user=director_a.user)
    assert d.major and d.adopted


def test_mtg_9_residents_meeting_may_decide_a_major_matter(community_a, director_a):
    body = make_body(community_a, BodyKind.RESIDENTS_MEETING, 10, acting_user=director_a.user)
    meeting = held_meeting(body, DAY, 6, acting_user=director_a.user)
    assert services.record_decision(meeting, title="公约", major=True, votes_for=6, votes_against=0,
                                    votes_abstain=0, acting_user=director_a.user).adopted


def test_fin_7_adopted_decisions_of_the_community_only(community_a, community_b, director_a, director_b):
    joint = make_body(community_a, BodyKind.JOINT, 6, acting_user=director_a.user)
    joint_b = make_body(community_b, BodyKind.JOINT, 3, acting_user=director_b.user)
    m = held_meeting(joint, DAY, 6, acting_user=director_a.user)
    yes = services.record_decision(m, title="购置办公桌椅", votes_for=5, votes_against=1, votes_abstain=0,
                                   acting_user=director_a.user)
    services.record_decision(m, title="否决事项", votes_for=2, votes_against=4, votes_abstain=0,
                             acting_user=director_a.user)
    voided = services.record_decision(m, title="作废事项", votes_for=6, votes_against=0, votes_abstain=0,
                                      acting_user=director_a.user)
    services.void_decision(voided, reason="重复录入", acting_user=director_a.user)
    mb = held_meeting(joint_b, DAY, 3, acting_user=director_b.user)
    services.record_decision(mb, title="乙社区", votes_for=3, votes_against=0, votes_abstain=0,
                             acting_user=director_b.user)
    assert list(services.adopted_decisions(community_a)) == [yes]


def test_void_needs_a_reason(committee_a, director_a):
    meeting = held_meeting(committee_a, DAY, 5, acting_user=director_a.user)
    d = services.record_decision(meeting, title="议题", votes_for=5, votes_against=0, votes_abstain=0,
                                 acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.void_decision(d, reason=" ", acting_user=director_a.user)
