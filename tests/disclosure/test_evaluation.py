"""DIS-2 → POST-6: ``disclosure.evaluation.on_time``, the share of the year's posting periods posted in, judged
period by period by the cadence page's own rule (``rules.cadence_state``, ``services.cadence``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from disclosure import composers, evaluation, rules, services
from disclosure.models import Category, Notice
from tests.disclosure.conftest import issued

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def posted(community, staff, director, category, day, **kwargs) -> Notice:
    """A notice issued (today, as the service requires) whose first posting day is then set to ``day``."""
    n = issued(community, staff, director, category=category, **kwargs)
    Notice.objects.filter(pk=n.pk).update(posted_from=day, posted_until=day + dt.timedelta(days=30))
    return n


def _cadenced(community):
    return [(c, services.cadence_months(c, community)) for c in Category.objects.all()
            if services.cadence_months(c, community)]


def test_dis_2_on_time_counts_each_period_posted_in_of_a_past_year(community_a, community_b, staff_a, director_a,
                                                                   staff_b, director_b):
    posted(community_a, staff_a, director_a, composers.FINANCE, dt.date(2025, 2, 10))  # Q1
    posted(community_a, staff_a, director_a, composers.FINANCE, dt.date(2025, 8, 1))  # Q3
    posted(community_a, staff_a, director_a, composers.POLICY, dt.date(2025, 3, 1))  # H1
    posted(community_a, staff_a, director_a, composers.DIBAO, dt.date(2024, 12, 30))  # last year: not Q1 2025
    posted(community_a, staff_a, director_a, composers.DIBAO, dt.date(2026, 1, 5))  # next year
    posted(community_b, staff_b, director_b, composers.DIBAO, dt.date(2025, 5, 5))  # another community
    fig = evaluation.on_time(community_a, 2025, today=TODAY)
    # every period of the year counted, each judged by the DIS-2 rule the cadence page applies
    cats = _cadenced(community_a)
    n = sum(12 // months for _c, months in cats)
    assert n == 2 * 4 + 4 * 2  # two quarterly, four half-yearly categories
    assert fig.score == Decimal(3) / Decimal(n)
    assert "3" in fig.value and str(n) in fig.value
    assert rules.cadence_state(dt.date(2024, 12, 30), dt.date(2025, 3, 31), 3)[0] != "ok"  # posted last year
    assert fig.url == "/disclosure/cadence/"


def test_dis_2_the_current_year_counts_up_to_today_and_the_open_period_once_posted(community_a, staff_a,
                                                                                   director_a):
    today = dt.date(2026, 5, 10)
    posted(community_a, staff_a, director_a, composers.FINANCE, dt.date(2026, 4, 20))  # current quarter
    posted(community_a, staff_a, director_a, composers.PLANS, dt.date(2026, 6, 1))  # after today: not yet
    fig = evaluation.on_time(community_a, 2026, today=today)
    # the cadence page's states for the current period on that day
    states = {r["category"].key: r["state"] for r in services.cadence([community_a], today) if r["months"]}
    assert states[composers.FINANCE] == "ok" and states[composers.DIBAO] in ("open", "due", "overdue")
    # Q1 ended unposted for both quarterly categories (2 misses); the finance Q2 is posted (1); the open
    # Q2 of dibao and the open first half years are not counted yet
    assert fig.score == Decimal(1) / Decimal(3)


def test_dis_2_a_year_not_begun_or_with_no_period_ended_is_not_available(community_a):
    fig = evaluation.on_time(community_a, 2027, today=TODAY)
    assert (fig.value, fig.score) == ("—", None) and fig.detail
    fig = evaluation.on_time(community_a, 2026, today=dt.date(2026, 1, 15))
    assert (fig.value, fig.score) == ("—", None) and fig.detail


def test_dis_2_no_category_with_a_cadence_scores_nothing(community_a):
    Category.objects.update(cadence=Category.Cadence.AS_NEEDED)
    fig = evaluation.on_time(community_a, 2025, today=TODAY)
    assert (fig.value, fig.score) == ("—", Decimal(0)) and fig.detail


def test_dis_2_on_time_needs_a_fixed_number_of_queries(django_assert_max_num_queries, community_a, staff_a,
                                                       director_a):
    posted(community_a, staff_a, director_a, composers.FINANCE, dt.date(2025, 2, 10))
    with django_assert_max_num_queries(4):
        few = evaluation.on_time(community_a, 2025, today=TODAY)
    for month in range(1, 13):
        posted(community_a, staff_a, director_a, composers.DIBAO, dt.date(2025, month, 3))
    with django_assert_max_num_queries(4):
        many = evaluation.on_time(community_a, 2025, today=TODAY)
    assert many.score - few.score == Decimal(4) / Decimal(16)


def test_dis_2_the_item_is_available_on_the_post_6_sheet(community_a, staff_a, director_a, rf):
    from posts import evaluation as sheets

    posted(community_a, staff_a, director_a, composers.FINANCE, dt.date(2025, 2, 10))
    rows = {r.item.key: r for r in sheets.sheet(community_a, 2025, with_people=False).rows}
    row = rows["disclosure.on_time"]
    assert row.figure.available and row.figure == evaluation.on_time(community_a, 2025)
    from posts import rules as post_rules

    assert row.points == post_rules.item_points(row.weight, Decimal(1) / Decimal(16))
    request = rf.get("/")
    request.user = staff_a.user
    assert row.figure.open_to(request)
