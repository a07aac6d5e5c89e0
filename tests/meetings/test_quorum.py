"""MTG-6 / MTG-7: quorum of 2/3 of all members, in integers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committee import policy
from meetings import rules, services
from meetings.models import BodyKind
from tests.meetings.conftest import held_meeting, make_body

DAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize("members,needed", [(31, 21), (30, 20), (3, 2), (1, 1), (0, 0), (9, 6), (10, 7)])
def test_mtg_6_two_thirds_quorum_in_integers(members, needed):
    assert rules.quorum_needed(members, rules.quorum_fraction(Decimal("66.67"))) == needed


def test_mtg_6_policy_quorum_is_the_rule_books_fraction(community_a):
    assert policy.get(community_a, "mtg.quorum") == Fraction(2, 3)
    assert policy.setting("mtg.quorum").parse("2/3") == Fraction(2, 3)
    assert policy.setting("mtg.quorum").parse("75%") == Fraction(3, 4)
    assert rules.quorum_fraction(Fraction(2, 3)) == Fraction(2, 3)


def test_mtg_6_policy_percentage_becomes_an_exact_fraction():
    assert rules.quorum_fraction(Decimal("66.67")) == Fraction(2, 3)
    assert rules.quorum_fraction(Decimal("50")) == Fraction(1, 2)
    assert rules.quorum_fraction(Decimal("75")) == Fraction(3, 4)
    assert rules.quorum_fraction(Decimal("80")) == Fraction(4, 5)


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_6_decision_refused_with_20_of_31_present(reps_a, director_a):
    meeting = held_meeting(reps_a, DAY, 20, acting_user=director_a.user)
    assert (meeting.present_count, meeting.members_total, meeting.quorum_needed) == (20, 31, 21)
    assert meeting.has_quorum is False
    with pytest.raises(ValidationError, match="MTG-6"):
        services.record_decision(meeting, title="修缮", votes_for=20, votes_against=0, votes_abstain=0,
                                 acting_user=director_a.user)
    assert not meeting.decisions.exists()


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_6_decision_recorded_with_21_of_31_present(reps_a, director_a):
    meeting = held_meeting(reps_a, DAY, 21, acting_user=director_a.user)
    d = services.record_decision(meeting, title="修缮", votes_for=11, votes_against=10, votes_abstain=0,
                                 acting_user=director_a.user)
    assert d.adopted


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_7_consultation_council_quorum_of_three_members(community_a, director_a):
    council = make_body(community_a, BodyKind.CONSULTATION, 3, acting_user=director_a.user)
    one = held_meeting(council, DAY, 1, acting_user=director_a.user)
    assert one.quorum_needed == 2
    with pytest.raises(ValidationError, match="MTG-7"):
        services.record_decision(one, title="议题", votes_for=1, votes_against=0, votes_abstain=0,
                                 acting_user=director_a.user)
    two = held_meeting(council, DAY, 2, acting_user=director_a.user)
    assert services.record_decision(two, title="议题", votes_for=2, votes_against=0, votes_abstain=0,
                                    acting_user=director_a.user).adopted


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_6_members_counted_on_the_meeting_day(reps_a, director_a):
    """A member who left before the meeting is not called and not counted."""
    first = reps_a.members.order_by("pk").first()
    services.end_member(first, end=dt.date(2026, 2, 1), acting_user=director_a.user)
    meeting = held_meeting(reps_a, DAY, 20, acting_user=director_a.user)
    assert (meeting.members_total, meeting.quorum_needed) == (30, 20)
    assert meeting.has_quorum


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_6_street_policy_changes_the_quorum(reps_a, director_a, supervisor, community_a):
    policy.set_value(street_office=community_a.street_office, community=None, key="mtg.quorum", raw="3/4",
                     reason="测试", acting_user=supervisor.user)
    community_a.__dict__.pop("_policy_cache", None)
    meeting = held_meeting(reps_a, DAY, 21, acting_user=director_a.user)
    assert meeting.quorum_needed == 24  # ceil(31 × 3/4)


@time_machine.travel(dt.datetime(2026, 3, 9, 8, 0), tick=False)
def test_mtg_3_roll_call_refused_before_the_meeting_day(reps_a, director_a):
    meeting = services.create_meeting(reps_a, title="会议", date=DAY, acting_user=director_a.user)
    with pytest.raises(ValidationError, match="MTG-3"):
        services.record_roll_call(meeting, {}, acting_user=director_a.user)


@time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False)
def test_mtg_6_roll_call_frozen_once_decisions_recorded(reps_a, director_a):
    meeting = held_meeting(reps_a, DAY, 25, acting_user=director_a.user)
    services.record_decision(meeting, title="议题", votes_for=20, votes_against=0, votes_abstain=0,
                             acting_user=director_a.user)
    with pytest.raises(ValidationError, match="MTG-6"):
        services.record_roll_call(meeting, {}, acting_user=director_a.user)
