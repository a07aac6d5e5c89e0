"""DB-3 / DB-4 → POST-6: ``dibao.evaluation.reviews`` and ``visits`` count the household-quarters of the
quarters ended, from the chapter's own worklist (``services.worklist``) and visits; counts only, no names;
the link is the worklist, opened by whoever ``services.may_see_list`` admits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from dibao import evaluation, services
from dibao.models import Case
from posts import evaluation as post_eval
from tests.dibao import helpers as h

pytestmark = pytest.mark.django_db
YEAR = 2026


def _at(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(10)), tick=False)


def _opened_in(case, day):
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))


@pytest.fixture
def year_a(time_machine, community_a, officer_a, director_a):
    """Q1: c1 (opened January) reviewed in a convened meeting and visited. Q2: c2 opens; c1 reviewed in a
    convened meeting and visited, c2 reviewed in a meeting whose minutes are not approved, not visited.
    The clock then stands on August 15 (Q3 running)."""
    _at(time_machine, dt.date(YEAR, 1, 5))
    panel = h.panel(community_a, officer_a.user)
    c1 = h.case(community_a, officer_a.user)
    _at(time_machine, dt.date(YEAR, 3, 1))
    services.record_visit(c1, visitors="低保专干", acting_user=officer_a.user)
    _at(time_machine, dt.date(YEAR, 3, 20))
    h.review(c1, h.meeting(panel, officer_a.user, convene=True, approver=director_a), officer_a.user)
    _at(time_machine, dt.date(YEAR, 4, 5))
    c2 = h.case(community_a, officer_a.user, names=("王大伟",), incomes=(("300", "0", "0"),))
    _at(time_machine, dt.date(YEAR, 6, 1))
    services.record_visit(c1, visitors="低保专干", acting_user=officer_a.user)
    _at(time_machine, dt.date(YEAR, 6, 20))
    h.review(c1, h.meeting(panel, officer_a.user, convene=True, approver=director_a), officer_a.user)
    h.review(c2, h.meeting(panel, officer_a.user), officer_a.user)
    _at(time_machine, dt.date(YEAR, 8, 15))
    return c1, c2


def _worklist_counts(community, quarters):
    due = done = 0
    for q in quarters:
        rows = services.worklist([community.pk], q)
        due += len(rows)
        done += sum(1 for r in rows if r["review"] and r["review"].meeting.convened)
    return done, due


def test_db_3_reviews_equal_the_worklist_of_the_quarters_ended(year_a, community_a):
    fig = evaluation.reviews(community_a, YEAR)
    assert _worklist_counts(community_a, ["2026-Q1", "2026-Q2"]) == (2, 3)
    assert fig.value == "2 / 3" and fig.score == Decimal(2) / Decimal(3)
    assert fig.url.endswith("/dibao/worklist/?quarter=2026-Q2")


def test_db_4_visits_count_household_quarters_with_a_visit(year_a, community_a):
    fig = evaluation.visits(community_a, YEAR)
    assert fig.value == "2 / 3" and fig.score == Decimal(2) / Decimal(3)
    assert services.visited_by_quarter([community_a.pk], YEAR) == {"2026-Q1": {year_a[0].pk},
                                                                   "2026-Q2": {year_a[0].pk}}


def test_db_3_the_current_year_counts_the_quarters_ended_up_to_today(year_a, community_a, time_machine):
    _at(time_machine, dt.date(YEAR, 9, 29))
    assert evaluation.reviews(community_a, YEAR).value == "2 / 3"  # Q3 still running
    _at(time_machine, dt.date(YEAR, 10, 1))
    fig = evaluation.reviews(community_a, YEAR)
    assert fig.value == "2 / 5" and fig.url.endswith("quarter=2026-Q3")
    assert evaluation.visits(community_a, YEAR).value == "2 / 5"


def test_db_3_no_quarter_ended_or_a_future_year_is_not_available(community_a, time_machine):
    _at(time_machine, dt.date(YEAR, 3, 30))
    for fn in (evaluation.reviews, evaluation.visits):
        assert fn(community_a, YEAR).score is None and fn(community_a, YEAR + 1).score is None


def test_db_3_nothing_to_count_earns_nothing(community_a, time_machine):
    _at(time_machine, dt.date(YEAR, 8, 15))
    for fn in (evaluation.reviews, evaluation.visits):
        fig = fn(community_a, YEAR)
        assert fig.value == "—" and fig.score == Decimal(0)


def test_db_4_another_communitys_households_are_not_counted(year_a, community_a, community_b, time_machine):
    officer_b = h.officer(community_b)
    _at(time_machine, dt.date(YEAR, 8, 1))
    cb = h.case(community_b, officer_b.user, names=("赵六",))
    services.record_visit(cb, visitors="低保专干", acting_user=officer_b.user)
    _at(time_machine, dt.date(YEAR, 10, 2))
    assert evaluation.visits(community_b, YEAR).value == "1 / 1"
    assert evaluation.reviews(community_b, YEAR).value == "0 / 1"
    assert evaluation.visits(community_a, YEAR).value == "2 / 5"


def test_db_3_the_figure_shows_counts_and_opens_to_the_worklist_readers(year_a, community_a, officer_a, staff_a):
    for fn in (evaluation.reviews, evaluation.visits):
        fig = fn(community_a, YEAR)
        assert "张" not in fig.value + fig.detail and "王" not in fig.value + fig.detail
        request = RequestFactory().get("/")
        request.user = officer_a.user
        assert fig.open_to(request)
        request.user = staff_a.user  # a committee member without a dibao role: the worklist answers 403
        assert not fig.open_to(request)


def test_db_3_query_count_does_not_grow_with_households(year_a, community_a, officer_a,
                                                        django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        evaluation.reviews(community_a, YEAR)
    with django_assert_max_num_queries(21):
        evaluation.visits(community_a, YEAR)
    for name in ("孙一", "孙二", "孙三"):
        _opened_in(h.case(community_a, officer_a.user, names=(name,)), dt.date(YEAR, 1, 3))
    with django_assert_max_num_queries(20):
        assert evaluation.reviews(community_a, YEAR).value == "2 / 9"
    with django_assert_max_num_queries(21):
        evaluation.visits(community_a, YEAR)


def test_post_6_dibao_items_are_available_on_the_sheet(year_a, community_a):
    rows = {r.item.key: r for r in post_eval.sheet(community_a, YEAR, with_people=False).rows}
    assert rows["dibao.reviews"].figure.available and rows["dibao.reviews"].points is not None
    assert rows["dibao.visits"].figure.score == evaluation.visits(community_a, YEAR).score
