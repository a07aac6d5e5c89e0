"""MTG-11 cadence reminders (MTG-6 half-yearly, MTG-7 quarterly, MTG-10 monthly mass meeting and weekly
study), read with a fixed number of queries for all communities of a street."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from committee import reminders as core_reminders
from meetings import kinds, reminders, rules, services
from meetings.models import BodyKind, Meeting
from tests import factories as f
from tests.meetings.conftest import START, convened_meeting, held_meeting, make_body


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, 0), tick=False)


def _states(communities, day):
    return {(b.name, state) for b, _m, _last, _due, state in reminders.body_status(communities, day)}


def test_mtg_11_add_months_keeps_month_end():
    assert rules.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert rules.add_months(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)


def test_mtg_6_representatives_calendar_half_years(reps_a, director_a, community_a):
    """A meeting in the first half of 2026 satisfies that half-year; the next is due by the end of the
    second half (calendar half-years, not six months after the meeting)."""
    with at(dt.date(2026, 1, 5)):
        convened_meeting(reps_a, dt.date(2026, 1, 5), 25, acting_user=director_a.user)
    assert _states([community_a], dt.date(2026, 7, 6)) == {("居民代表会议", None)}
    assert _states([community_a], dt.date(2026, 12, 28)) == {("居民代表会议", "due")}
    assert _states([community_a], dt.date(2027, 1, 2)) == {("居民代表会议", "overdue")}


def test_mtg_6_a_meeting_late_in_a_half_year_does_not_cover_the_next_one(reps_a, director_a, community_a):
    with at(dt.date(2026, 6, 29)):
        convened_meeting(reps_a, dt.date(2026, 6, 29), 25, acting_user=director_a.user)
    [(_b, _m, last, due, _s)] = reminders.body_status([community_a], dt.date(2026, 7, 6))
    assert (last, due) == (dt.date(2026, 6, 29), dt.date(2026, 12, 31))


def test_mtg_6_an_inquorate_meeting_is_not_convened_and_does_not_count(reps_a, director_a, community_a):
    with at(dt.date(2026, 1, 5)):
        convened_meeting(reps_a, dt.date(2026, 1, 5), 25, acting_user=director_a.user)
    with at(dt.date(2026, 9, 7)):
        m = convened_meeting(reps_a, dt.date(2026, 9, 7), 20, acting_user=director_a.user)  # 20 of 31 < 21
    assert m.not_convened and not m.convened
    [(_b, _m, last, due, state)] = reminders.body_status([community_a], dt.date(2027, 1, 4))
    assert (last, due, state) == (dt.date(2026, 1, 5), dt.date(2026, 12, 31), "overdue")


def test_mtg_6_a_meeting_without_approved_minutes_does_not_count(reps_a, director_a, community_a):
    with at(dt.date(2026, 1, 5)):
        held_meeting(reps_a, dt.date(2026, 1, 5), 25, acting_user=director_a.user)
    [(_b, _m, last, _due, state)] = reminders.body_status([community_a], dt.date(2026, 7, 6))
    assert (last, state) == (None, "overdue")


def test_mtg_7_council_quarterly_and_a_cancelled_meeting_does_not_count(community_a, director_a):
    council = make_body(community_a, BodyKind.CONSULTATION, 3, acting_user=director_a.user, name="协商议事会")
    with at(dt.date(2026, 1, 5)):
        convened_meeting(council, dt.date(2026, 1, 5), 3, acting_user=director_a.user)
    with at(dt.date(2026, 3, 30)):
        m = services.create_meeting(council, title="取消", date=dt.date(2026, 5, 30), acting_user=director_a.user)
        services.cancel_meeting(m, reason="疫情", acting_user=director_a.user)
    # Q1 is covered; Q2 needs its own meeting by 30 June (calendar quarters)
    assert _states([community_a], dt.date(2026, 6, 20)) == {("协商议事会", None)}
    assert _states([community_a], dt.date(2026, 6, 25)) == {("协商议事会", "due")}
    assert _states([community_a], dt.date(2026, 7, 1)) == {("协商议事会", "overdue")}


def test_mtg_7_calendar_quarters():
    assert rules.period_start(dt.date(2026, 5, 17), 3) == dt.date(2026, 4, 1)
    assert rules.period_end(dt.date(2026, 5, 17), 3) == dt.date(2026, 6, 30)
    assert rules.period_end(dt.date(2026, 8, 1), 6) == dt.date(2026, 12, 31)
    assert rules.next_due(dt.date(2026, 3, 31), START, 3) == dt.date(2026, 6, 30)
    assert rules.next_due(dt.date(2026, 1, 1), START, 3) == dt.date(2026, 6, 30)
    assert rules.next_due(None, dt.date(2026, 2, 10), 3) == dt.date(2026, 3, 31)


def test_mtg_11_never_held_counts_from_the_first_member(community_a, director_a):
    body = make_body(community_a, BodyKind.MASS_MEETING, 2, acting_user=director_a.user, name="群众大会")
    [(body, months, last, due, state)] = reminders.body_status([community_a], dt.date(2026, 3, 1))
    assert (months, last, due, state) == (1, None, rules.period_end(START, 1), "overdue")


def test_mtg_11_never_met_counts_from_the_founding_not_the_newest_member(reps_a, community_a, director_a):
    """31 representatives since 2025-01-01; one more joins in 2026: the body is still overdue since the
    end of the first half of 2025, its founding period."""
    services.add_member(reps_a, name="新代表", start=dt.date(2026, 11, 20), acting_user=director_a.user)
    [(_b, _m, last, due, state)] = reminders.body_status([community_a], dt.date(2026, 12, 1))
    assert (last, due, state) == (None, dt.date(2025, 6, 30), "overdue")


def test_mtg_11_kinds_of_other_apps_with_a_fixed_cadence(community_a, director_a):
    kinds.register("test_panel", "评议小组", cadence_months=2, rule="DB-2")
    body = make_body(community_a, "test_panel", 2, acting_user=director_a.user, name="评议小组")
    with at(dt.date(2026, 1, 5)):
        convened_meeting(body, dt.date(2026, 1, 5), 2, acting_user=director_a.user)
    # two-month calendar periods: Jan–Feb is covered, Mar–Apr needs a meeting by 30 April
    items = [r for r in core_reminders.collect([community_a], dt.date(2026, 5, 2)) if r.title.startswith("评议小组")]
    assert [(r.rule, r.state, r.due) for r in items] == [("DB-2", "overdue", dt.date(2026, 4, 30))]


def test_mtg_11_a_body_cadence_overrides_the_kind(community_a, director_a):
    body = make_body(community_a, BodyKind.COMMITTEE, 2, acting_user=director_a.user, name="居委会")
    assert _states([community_a], dt.date(2026, 3, 1)) == set()
    body.cadence_months = 1
    body.save()
    assert _states([community_a], dt.date(2026, 3, 1)) == {("居委会", "overdue")}


def test_mtg_10_weekly_study_due_monday_overdue_after(community_a, director_a, committee_a):
    monday = dt.date(2026, 3, 9)
    items = lambda day: [r for r in reminders.weekly_study([community_a], day)]  # noqa: E731
    assert [r.state for r in items(monday)] == ["due"]
    assert [r.state for r in items(monday + dt.timedelta(days=1))] == ["overdue"]
    with at(monday):
        services.quick_record(committee_a, category=Meeting.Category.STUDY, date=monday, minutes="学习文件",
                              acting_user=director_a.user)
    assert items(monday + dt.timedelta(days=1)) == []


@pytest.mark.parametrize("n", [2, 6])
def test_mtg_11_fixed_number_of_queries_for_a_street(street, director_a, django_assert_max_num_queries, n):
    communities = [f.community(street, "社区") for _ in range(n)]
    for c in communities:
        for kind in (BodyKind.REPRESENTATIVES, BodyKind.CONSULTATION, BodyKind.MASS_MEETING, BodyKind.COMMITTEE):
            make_body(c, kind, 3, acting_user=director_a.user)
    for c in communities:
        c.__dict__.pop("_policy_cache", None)
    from committee import calendar

    calendar.ensure_year(2026)
    # policy, the bodies (read by the cadence and by the study: once within a request), the per-community counts
    # (committee.counts, with the holiday names of the years around), the street office's regular-meeting days
    with django_assert_max_num_queries(7):
        list(reminders.body_cadence(communities, dt.date(2026, 3, 10)))
        list(reminders.weekly_study(communities, dt.date(2026, 3, 10)))
        list(reminders.regular_meeting_coming(communities, dt.date(2026, 3, 8)))


def test_mtg_2_reminder_three_days_before_the_next_regular_meeting(community_a, community_b):
    # 2026-02-20 is in the Spring Festival holiday: the meeting is on the 24th.
    assert list(reminders.regular_meeting_coming([community_a], dt.date(2026, 2, 19))) == []
    items = list(reminders.regular_meeting_coming([community_a, community_b], dt.date(2026, 2, 21)))
    assert [(r.community, r.due, r.rule, r.state) for r in items] == [
        (community_a, dt.date(2026, 2, 24), "MTG-2", "due"), (community_b, dt.date(2026, 2, 24), "MTG-2", "due")]
    # across the month end: 2026-10-28 → the next one is 2026-11-10 (not within three days)
    assert list(reminders.regular_meeting_coming([community_a], dt.date(2026, 10, 28))) == []
    [r] = reminders.regular_meeting_coming([community_a], dt.date(2026, 11, 8))
    assert r.due == dt.date(2026, 11, 10)


def test_mtg_11_street_comparison_columns(client_street, reps_a, director_a, community_a, community_b):
    with at(dt.date(2025, 1, 5)):
        convened_meeting(reps_a, dt.date(2025, 1, 5), 25, acting_user=director_a.user)
    assert reminders.overdue_bodies([community_a, community_b], dt.date(2026, 3, 10)) == {community_a.pk: 1}
    assert reminders.meetings_this_year([community_a, community_b], dt.date(2025, 3, 10)) == {community_a.pk: 1}
    response = client_street.get("/dashboard/")
    assert response.status_code == 200
    assert "MTG-11" in response.content.decode()
