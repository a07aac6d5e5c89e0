"""WEL-3 / WEL-4 / WEL-7 → POST-6: ``welfare.evaluation.execution`` combines the figures the welfare chapter
computes live (``services.community_figures``): spending of the budget against 90%, the social-organisation
share against 70%, projects completed against 90%, averaged. The clock stands on June 10, 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from posts import evaluation as post_eval
from tests.welfare.test_execution import paid
from welfare import evaluation, services

pytestmark = pytest.mark.django_db
YEAR = 2026


def _expected(community):
    f = services.community_figures([community], YEAR)[community.pk]
    spend = min(Decimal(1), f["spent"] / f["budget"] / Decimal("0.9"))
    social = min(Decimal(1), f["social"] / f["spent"] / Decimal("0.7")) if f["spent"] else Decimal(0)
    done = min(Decimal(1), Decimal(f["completed"]) / f["projects"] / Decimal("0.9"))
    return (spend + social + done) / 3, f


def test_wel_7_execution_equals_the_chapters_figures(plan_a, social_project, sports_project, staff_a, community_a):
    paid(social_project, staff_a, "4000.00", dt.date(2026, 5, 1))
    paid(sports_project, staff_a, "1000.00", dt.date(2026, 6, 1))
    services.complete_project(social_project, note="完成", acting_user=staff_a.user)
    fig = evaluation.execution(community_a, YEAR)
    expected, f = _expected(community_a)
    assert f["spent_pct"] == Decimal("50.00") and f["social_spent_pct"] == Decimal("80.00") and f["completed"] == 1
    assert fig.score == expected
    # spending 50% of 90% required, social 80% ≥ 70% (full), 1 of 2 completed of 90% required
    assert fig.score == (Decimal(50) / 90 + 1 + Decimal(50) / 90) / 3
    assert "50.00" in fig.value and "1" in fig.value and fig.url.endswith(f"?year={YEAR}")


def test_wel_3_nothing_paid_nothing_completed_earns_nothing(plan_a, community_a):
    fig = evaluation.execution(community_a, YEAR)
    assert fig.score == Decimal(0) and fig.available  # nothing paid, nothing completed


def test_wel_7_every_requirement_met_earns_the_whole_weight(plan_a, social_project, sports_project, staff_a,
                                                            community_a):
    paid(social_project, staff_a, "8000.00", dt.date(2026, 5, 1))
    paid(sports_project, staff_a, "2000.00", dt.date(2026, 6, 1))
    for p in (social_project, sports_project):
        services.complete_project(p, note="完成", acting_user=staff_a.user)
    assert evaluation.execution(community_a, YEAR).score == Decimal(1)


def test_wel_7_no_plan_counts_nothing_and_a_future_year_is_not_available(community_a):
    fig = evaluation.execution(community_a, YEAR)
    assert fig.value == "—" and fig.score == Decimal(0)
    future = evaluation.execution(community_a, YEAR + 1)
    assert future.score is None


def test_wel_7_another_communitys_projects_are_not_counted(plan_a, social_project, staff_a, community_b):
    paid(social_project, staff_a, "8000.00", dt.date(2026, 5, 1))
    assert evaluation.execution(community_b, YEAR).score == Decimal(0)


def test_wel_7_the_current_year_counts_up_to_today(plan_a, social_project, staff_a, community_a, time_machine):
    paid(social_project, staff_a, "4500.00", dt.date(2026, 6, 1))
    before = evaluation.execution(community_a, YEAR).score
    time_machine.move_to(dt.datetime(YEAR, 9, 1, 10, 0), tick=False)
    paid(social_project, staff_a, "2700.00", dt.date(2026, 9, 1))
    assert evaluation.execution(community_a, YEAR).score > before


def test_post_6_welfare_item_is_available_on_the_sheet(plan_a, community_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        evaluation.execution(community_a, YEAR)
    rows = {r.item.key: r for r in post_eval.sheet(community_a, YEAR, with_people=False).rows}
    row = rows["welfare.execution"]
    assert row.figure.available and row.points is not None
    assert row.figure.score == evaluation.execution(community_a, YEAR).score
