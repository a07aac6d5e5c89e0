"""WEL-3, WEL-4, WEL-7: execution computed live from the budget and the expenses, per project and per community,
reminded before the mid-year and year-end deadlines; activity records and their summaries; WEL-11 awareness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from committee import reminders
from finance.models import Expense
from tests import factories as f
from welfare import reminders as wr
from welfare import services

pytestmark = pytest.mark.django_db


def paid(project, user, amount, day, kind="costs"):
    s = services.spend(project, kind=kind, purpose="活动物料", amount=amount, payee="公司", method="transfer",
                       acting_user=user.user)
    Expense.objects.filter(pk=s.expense_id).update(state="paid", paid_on=day)  # paid through finance (FIN-5)
    return s


def wel3(community, day):
    return [r for r in reminders.collect([community], day) if r.rule == "WEL-3"]


def test_wel_3_figures_per_project_and_community(plan_a, social_project, sports_project, staff_a, community_a):
    paid(social_project, staff_a, "4000.00", dt.date(2026, 5, 1))
    services.spend(social_project, kind="costs", purpose="物料", amount="500.00", payee="公司", method="transfer",
                   acting_user=staff_a.user)
    rows = {p.name: p for p in services.project_rows(plan_a.projects.all(), year=2026)}
    assert rows["睦邻互助"].spent == Decimal("4000.00") and rows["睦邻互助"].waiting == Decimal("500.00")
    assert rows["睦邻互助"].exec_pct == Decimal("50.00")
    fig = services.community_figures([community_a], 2026)[community_a.pk]
    assert fig["budget"] == Decimal("10000.00") and fig["spent"] == Decimal("4000.00")
    assert fig["spent_pct"] == Decimal("40.00") and fig["allotment"] == Decimal("10000.00")
    assert fig["budget_pct"] == Decimal("100.00") and fig["social_spent_pct"] == Decimal("100.00")


def test_wel_3_45_percent_paid_on_june_30_meets_mid_year(plan_a, social_project, staff_a, community_a):
    paid(social_project, staff_a, "4500.00", dt.date(2026, 6, 30))
    assert not wel3(community_a, dt.date(2026, 6, 30))
    assert not wel3(community_a, dt.date(2026, 7, 1))


def test_wel_3_45_percent_paid_on_july_1_is_late(plan_a, social_project, staff_a, community_a):
    paid(social_project, staff_a, "4499.99", dt.date(2026, 6, 30))
    paid(social_project, staff_a, "0.01", dt.date(2026, 7, 1))
    on_the_day = wel3(community_a, dt.date(2026, 6, 30))
    assert on_the_day and on_the_day[0].state == reminders.DUE  # before the deadline: reminded, not overdue
    after = wel3(community_a, dt.date(2026, 7, 1))
    assert after and after[0].state == reminders.OVERDUE and "45" in after[0].title


def test_wel_3_reminded_a_month_before_mid_year_not_earlier(plan_a, community_a):
    assert not wel3(community_a, dt.date(2026, 5, 30))
    assert wel3(community_a, dt.date(2026, 6, 1))[0].state == reminders.DUE


def test_wel_3_year_end_90_percent(plan_a, social_project, sports_project, staff_a, community_a):
    paid(social_project, staff_a, "7000.00", dt.date(2026, 3, 1))
    paid(sports_project, staff_a, "1999.99", dt.date(2026, 11, 1))
    due = [r for r in wel3(community_a, dt.date(2026, 12, 5)) if r.due == dt.date(2026, 12, 31)]
    assert due and due[0].state == reminders.DUE
    over = [r for r in wel3(community_a, dt.date(2027, 1, 2)) if r.due == dt.date(2026, 12, 31)]
    assert over and over[0].state == reminders.OVERDUE
    paid(sports_project, staff_a, "0.01", dt.date(2026, 12, 30))
    assert not [r for r in wel3(community_a, dt.date(2027, 1, 2)) if r.due == dt.date(2026, 12, 31)]


def test_wel_3_budget_below_90_percent_of_the_allotment_reminded(community_a, staff_a, street_finance):
    from tests.welfare import helpers

    plan = helpers.draft_plan(community_a, staff_a, projects=(("文体活动", "球赛", "8999.99"),), year=2027)
    services.set_allotment(plan, amount="10000.00", acting_user=street_finance.user)
    items = [r for r in reminders.collect([community_a], dt.date(2026, 10, 1)) if r.rule == "WEL-3"]
    assert items and items[0].due == dt.date(2026, 11, 5)
    services.add_project(plan, category=helpers.category(community_a, "文体活动"), name="棋赛", owner=staff_a,
                         budget="0.01", acting_user=staff_a.user)
    assert not [r for r in reminders.collect([community_a], dt.date(2026, 10, 1)) if r.rule == "WEL-3"]


def test_wel_3_the_community_cannot_set_its_allotment(plan_a, director_a):
    with pytest.raises(ValidationError, match="CTL-4"):
        services.set_allotment(plan_a, amount="1.00", acting_user=director_a.user)


def test_wel_4_social_organisation_share_reminded_at_year_end(plan_a, social_project, sports_project, staff_a,
                                                             community_a):
    paid(social_project, staff_a, "6999.99", dt.date(2026, 3, 1))
    paid(sports_project, staff_a, "3000.01", dt.date(2026, 3, 1))  # 6999.99 of 10000.00: 69.9999%
    items = [r for r in reminders.collect([community_a], dt.date(2026, 12, 10)) if r.rule == "WEL-4"]
    assert items and items[0].state == reminders.DUE
    items = [r for r in reminders.collect([community_a], dt.date(2027, 1, 5)) if r.rule == "WEL-4"]
    assert items and items[0].state == reminders.OVERDUE


def test_wel_4_share_at_70_percent_passes(plan_a, social_project, sports_project, staff_a, community_a):
    paid(social_project, staff_a, "7000.00", dt.date(2026, 3, 1))
    paid(sports_project, staff_a, "2000.00", dt.date(2026, 3, 1))
    fig = services.community_figures([community_a], 2026)[community_a.pk]
    assert fig["social_spent_pct"] == Decimal("77.78")
    assert not [r for r in reminders.collect([community_a], dt.date(2026, 12, 10)) if r.rule == "WEL-4"]


def test_wel_7_activities_and_summaries(plan_a, social_project, sports_project, staff_a, community_a):
    services.record_activity(social_project, title="互助培训", date=dt.date(2026, 3, 5), form="training", sessions=4,
                             participants=40, effect="好", acting_user=staff_a.user)
    services.record_activity(sports_project, title="排练", date=dt.date(2026, 6, 1), form="performance", sessions=2,
                             participants=30, acting_user=staff_a.user)
    s = services.summaries(community_a, 2026)
    assert sum(r["sessions"] for r in s["h1"]) == 6 and not s["h2"]
    assert sum(r["participants"] for r in s["year"]) == 70
    fig = services.community_figures([community_a], 2026)[community_a.pk]
    assert {c["category"].name: c["sessions"] for c in fig["categories"]} == {"社会组织培育": 4, "文体活动": 2}


def test_wel_7_activity_dates_in_the_plan_year_and_not_in_the_future(social_project, staff_a):
    for day in (dt.date(2026, 6, 11), dt.date(2025, 12, 31), dt.date(9999, 1, 1)):
        with pytest.raises(ValidationError) as e:
            services.record_activity(social_project, title="x", date=day, form="other", sessions=1, participants=1,
                                     acting_user=staff_a.user)
        assert "date" in e.value.error_dict


def test_wel_7_fewer_than_10_sessions_per_category_and_completion_reminded(plan_a, social_project, staff_a,
                                                                         community_a):
    services.record_activity(social_project, title="培训", date=dt.date(2026, 3, 5), form="training", sessions=10,
                             participants=40, acting_user=staff_a.user)
    items = [r for r in reminders.collect([community_a], dt.date(2026, 12, 10)) if r.rule == "WEL-7"]
    titles = " ".join(r.title for r in items)
    assert "文体活动" in titles and "社会组织培育" not in titles  # 10 sessions are enough
    assert any("2" in r.title and "0" in r.title for r in items)  # 0 of 2 projects completed
    services.complete_project(social_project, note="完成", acting_user=staff_a.user)
    fig = services.community_figures([community_a], 2026)[community_a.pk]
    assert fig["completed"] == 1 and fig["completed_pct"] == Decimal("50.00")


def test_wel_7_completion_needs_a_note_and_an_approved_project(social_project, staff_a):
    with pytest.raises(ValidationError):
        services.complete_project(social_project, note=" ", acting_user=staff_a.user)
    services.complete_project(social_project, note="完成", acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.complete_project(social_project, note="完成", acting_user=staff_a.user)


def test_wel_11_awareness_survey_share(social_project, staff_a):
    s = services.record_survey(social_project, surveyed_on=dt.date(2026, 6, 1), sample_size=50, aware=41,
                               acting_user=staff_a.user)
    assert s.share == Decimal("82.0")
    for size, aware in ((0, 0), (10, 11), (10, -1)):
        with pytest.raises(ValidationError):
            services.record_survey(social_project, surveyed_on=dt.date(2026, 6, 1), sample_size=size, aware=aware,
                                   acting_user=staff_a.user)
    assert services.project_rows([social_project], year=2026)[0].awareness == s


def test_indicators_for_the_street_comparison(plan_a, social_project, staff_a, community_a, street):
    paid(social_project, staff_a, "1000.00", dt.date(2026, 5, 1))
    other = f.community(street, "丙社区")
    assert wr.spent_indicator([community_a, other], dt.date(2026, 6, 10)) == {community_a.pk: "10.00%",
                                                                           other.pk: "—"}
    assert wr.completed_indicator([community_a], dt.date(2026, 6, 10)) == {community_a.pk: "0/2"}


def test_figures_fixed_queries(street, staff_a, community_a, django_assert_max_num_queries):
    few = [community_a]
    many = few + [f.community(street, f"社区{i}") for i in range(8)]
    with django_assert_max_num_queries(8) as ctx:
        services.community_figures(few, 2026)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        services.community_figures(many, 2026)
