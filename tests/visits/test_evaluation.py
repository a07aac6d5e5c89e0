"""POST-6 × GRID-5 / GRID-6: the grid chapter's evaluation items equal what the chapter's own functions
compute for the same year (visits.quotas.weekly week by week; visits.services.request_figures); another
community's records are not counted; the current year counts up to today; nothing to count is said so."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from committee import calendar
from posts import evaluation
from tests import factories as f
from visits import evaluation as grid_eval
from visits import quotas, services
from visits.models import Request, Visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def _visit(staff, household, day, minutes):
    Visit.objects.create(community=staff.community, household=household, date=day, start_time=dt.time(9),
                         end_time=(dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=minutes)).time(),
                         minutes=minutes, key=uuid.uuid4(), recorded_by=staff).visitors.set([staff])


def _request(community, by, *, received: dt.date, due: dt.date, closed: dt.date | None = None):
    req = services.receive_request(community=community, channel="desk", kind="help", text="求助", days=5,
                                   acting_user=by.user)
    tz = timezone.get_current_timezone()
    Request.objects.filter(pk=req.pk).update(
        received_at=dt.datetime.combine(received, dt.time(10), tz), due_on=due,
        closed_at=dt.datetime.combine(closed, dt.time(15), tz) if closed else None,
        status=Request.Status.CLOSED if closed else Request.Status.OPEN)
    return req


# --- GRID-5 ---------------------------------------------------------------------------------------


def test_grid_5_year_totals_equal_the_weekly_quotas_summed(community_a, staff_a, director_a, household_a):
    calendar.clear_cache()
    year = YEAR - 1
    _visit(staff_a, household_a, dt.date(year, 3, 3), 480)  # a week over quota: capped at its requirement
    _visit(staff_a, household_a, dt.date(year, 3, 11), 60)
    _visit(director_a, household_a, dt.date(year, 6, 2), 120)
    rows = {r.staff_id: r for r in quotas.year_totals(community_a, year, TODAY)}
    required, met = {}, {}
    for monday in quotas.weeks_ended(year, TODAY):
        for s in quotas.weekly([community_a], monday)[community_a.pk]:
            required[s.staff_id] = required.get(s.staff_id, 0) + s.required
            met[s.staff_id] = met.get(s.staff_id, 0) + min(s.done, s.required)
    assert {k: r.required for k, r in rows.items()} == required
    assert {k: r.done for k, r in rows.items()} == met
    assert met[staff_a.pk] == 300 + 60  # 3 March's week owes 5 hours: its 3 extra hours are not carried over

    figure = grid_eval.quotas(community_a, year)
    assert figure.score == Decimal(sum(met.values())) / Decimal(sum(required.values()))
    assert figure.url == "/visits/quotas/"


def test_grid_5_weeks_belong_to_the_year_of_their_monday_and_count_once_ended():
    weeks = quotas.weeks_ended(2026, dt.date(2027, 3, 1))
    assert weeks[0] == dt.date(2026, 1, 5) and weeks[-1] == dt.date(2026, 12, 28)  # ends 3 January 2027
    assert quotas.weeks_ended(2026, dt.date(2026, 12, 31))[-1] == dt.date(2026, 12, 21)
    assert quotas.weeks_ended(2026, dt.date(2026, 1, 11)) == [dt.date(2026, 1, 5)]
    assert quotas.weeks_ended(2026, dt.date(2026, 1, 10)) == []


def test_grid_5_the_current_year_counts_the_weeks_ended_by_today(community_a, staff_a, household_a):
    ended = quotas.weeks_ended(YEAR, TODAY)
    rows = quotas.year_totals(community_a, YEAR, TODAY)
    assert sum(r.required for r in rows) == sum(s.required for m in ended
                                                for s in quotas.weekly([community_a], m)[community_a.pk])
    # a visit this week (not ended) is not counted yet
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    if monday.year == YEAR:
        _visit(staff_a, household_a, TODAY, 60)
        assert sum(r.done for r in quotas.year_totals(community_a, YEAR, TODAY)) == sum(r.done for r in rows)


def test_grid_5_another_communitys_visits_and_staff_are_not_counted(community_a, community_b, staff_a,
                                                                     household_b):
    year = YEAR - 1
    staff_b = f.staff(community_b, "乙委员", ["member"])
    _visit(staff_b, household_b, dt.date(year, 3, 3), 60)
    rows = quotas.year_totals(community_a, year, dt.date(year, 12, 31))
    assert {r.staff_id for r in rows} == {staff_a.pk}
    assert sum(r.done for r in rows) == 0
    assert grid_eval.quotas(community_a, year).score == Decimal(0)


def test_grid_5_nothing_owed_is_not_available(community_a):
    figure = grid_eval.quotas(community_a, YEAR - 1)  # nobody holds a role that owes visits
    assert figure.score is None and figure.value == "—"
    assert grid_eval.quotas(community_a, YEAR + 1).score is None


def test_grid_5_query_count_does_not_grow_with_the_weeks(community_a, staff_a, director_a, household_a,
                                                         django_assert_max_num_queries):
    calendar.clear_cache()
    for m in range(1, 13):
        _visit(staff_a, household_a, dt.date(YEAR - 1, m, 10), 60)
    quotas.year_totals(community_a, YEAR - 1, TODAY)  # warm the calendar's cache
    community_a._policy_cache = None
    with django_assert_max_num_queries(6):
        grid_eval.quotas(community_a, YEAR - 1)


# --- GRID-6 ---------------------------------------------------------------------------------------


def test_grid_6_the_share_in_time_equals_the_figures_service(community_a, community_b, staff_a, director_a):
    year = YEAR - 1
    _request(community_a, staff_a, received=dt.date(year, 2, 1), due=dt.date(year, 2, 8), closed=dt.date(year, 2, 5))
    _request(community_a, staff_a, received=dt.date(year, 3, 1), due=dt.date(year, 3, 8), closed=dt.date(year, 3, 9))
    _request(community_a, staff_a, received=dt.date(year, 4, 1), due=dt.date(year, 4, 8))  # open past its limit
    _request(community_a, staff_a, received=dt.date(year - 1, 12, 30), due=dt.date(year, 1, 8),
             closed=dt.date(year, 1, 5))  # last year's: not counted
    director_b = f.staff(community_b, "乙主任", ["director"])
    _request(community_b, director_b, received=dt.date(year, 2, 1), due=dt.date(year, 2, 8),
             closed=dt.date(year, 2, 5))
    counts = services.request_figures([community_a], dt.date(year, 1, 1), dt.date(year, 12, 31))[community_a.pk]
    assert (counts["received"], counts["in_time"], counts["late"], counts["overdue"]) == (3, 1, 1, 1)
    figure = grid_eval.requests(community_a, year)
    assert figure.score == Decimal(1) / Decimal(3)
    assert figure.url == "/visits/figures/"


def test_grid_6_monthly_figures_page_uses_the_same_service(client, community_a, staff_a, director_a):
    _request(community_a, staff_a, received=dt.date(YEAR - 1, 2, 1), due=dt.date(YEAR - 1, 2, 8),
             closed=dt.date(YEAR - 1, 2, 5))
    client.force_login(staff_a.user)
    response = client.get("/visits/figures/", {"month": f"{YEAR - 1}-02"})
    assert response.status_code == 200
    assert response.context["total"]["in_time"] == 1 and response.context["total"]["received"] == 1


def test_grid_6_requests_within_their_limit_are_not_counted_yet(community_a, staff_a, director_a):
    assert grid_eval.requests(community_a, YEAR).score is None  # nothing received
    _request(community_a, staff_a, received=TODAY, due=TODAY + dt.timedelta(days=7))
    figure = grid_eval.requests(community_a, YEAR)
    assert figure.score is None and figure.value == "—"
    _request(community_a, staff_a, received=TODAY, due=TODAY, closed=TODAY)
    assert grid_eval.requests(community_a, YEAR).score == Decimal(1)
    assert grid_eval.requests(community_a, YEAR + 1).score is None


# --- POST-6 ---------------------------------------------------------------------------------------


def test_post_6_the_grid_items_are_available_on_the_sheet(community_a, staff_a, director_a, household_a):
    year = YEAR - 1
    _visit(staff_a, household_a, dt.date(year, 3, 3), 60)
    _request(community_a, staff_a, received=dt.date(year, 2, 1), due=dt.date(year, 2, 8), closed=dt.date(year, 2, 5))
    rows = {r.item.key: r for r in evaluation.sheet(community_a, year, with_people=False).rows}
    assert rows["visits.quotas"].figure.available and rows["visits.quotas"].points is not None
    assert rows["visits.quotas"].figure.score == grid_eval.quotas(community_a, year).score
    assert rows["visits.requests"].figure.score == Decimal(1)
    assert rows["visits.requests"].points == rows["visits.requests"].weight
