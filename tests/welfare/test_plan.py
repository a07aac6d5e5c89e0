"""WEL-1, WEL-2: the plan, its projects and the October timeline as acts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from committee import approvals, reminders
from committee.models import Role
from finance.models import Budget, FundType
from tests import factories as f
from tests.welfare import helpers
from welfare import rules, services
from welfare.models import Category, Plan, Project

pytestmark = pytest.mark.django_db


def test_wel_1_default_categories_are_the_street_office_table(community_a):
    names = list(services.categories(community_a.street_office).values_list("name", flat=True))
    assert names == ["购买服务", "社会组织培育", "文体活动", "教育培训", "治安巡防", "文明创建"]
    assert Category.objects.get(street_office=community_a.street_office, name="社会组织培育").social_org


def test_wel_1_project_has_category_budget_owner_and_activities(community_a, staff_a):
    plan = helpers.draft_plan(community_a, staff_a)
    p = plan.projects.get(name="睦邻互助")
    assert (p.category.name, p.budget, p.owner, p.planned_activities, p.social_orgs) == (
        "社会组织培育", p.budget, staff_a, 10, "睦邻志愿队")
    assert p.history.count() == 1


def test_wel_1_category_of_another_street_and_owner_of_another_community_refused(community_a, staff_a, staff_b):
    plan = helpers.draft_plan(community_a, staff_a, projects=())
    other = services.categories(f.street_office()).first()
    with pytest.raises(ValidationError) as e:
        services.add_project(plan, category=other, name="X", owner=staff_a, budget="1.00", acting_user=staff_a.user)
    assert "category" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.add_project(plan, category=helpers.category(community_a, "文体活动"), name="X", owner=staff_b,
                             budget="1.00", acting_user=staff_a.user)
    assert "owner" in e.value.error_dict
    assert not plan.projects.exists()


def test_wel_2_second_plan_for_the_same_year_refused(community_a, staff_a):
    helpers.draft_plan(community_a, staff_a)
    with pytest.raises(ValidationError) as e:
        services.create_plan(community=community_a, year=2026, acting_user=staff_a.user)
    assert "WEL-2" in str(e.value) and "2026" in str(e.value)
    assert Plan.objects.filter(community=community_a).count() == 1


def test_wel_2_plan_year_this_or_next_only(community_a, staff_a):
    for year in (2025, 2028, 99999):
        with pytest.raises(ValidationError):
            services.create_plan(community=community_a, year=year, acting_user=staff_a.user)
    assert services.create_plan(community=community_a, year=2027, acting_user=staff_a.user).year == 2027


def test_wel_2_street_staff_does_not_draw_up_a_community_plan(community_a, supervisor):
    with pytest.raises(ValidationError):
        services.create_plan(community=community_a, year=2026, acting_user=supervisor.user)


def test_wel_2_full_timeline_opens_the_welfare_budget_with_a_line_per_project(plan_a, community_a):
    budget = Budget.objects.get(community=community_a, year=2026, fund_type=FundType.WELFARE)
    assert plan_a.budget == budget
    assert sorted(budget.lines.values_list("name", "amount")) == sorted(
        [("社会组织培育·睦邻互助", plan_a.projects.get(name="睦邻互助").budget),
         ("文体活动·广场舞大赛", plan_a.projects.get(name="广场舞大赛").budget)])
    assert set(plan_a.projects.values_list("state", flat=True)) == {Project.State.APPROVED}
    assert plan_a.opinions_on and plan_a.instructor_approved_on and plan_a.reviewed_on
    assert plan_a.residents_decision and plan_a.approved_on


def test_wel_2_submission_needs_opinions_and_goes_to_the_instructor(community_a, staff_a, instructor_a, director_a):
    plan = helpers.draft_plan(community_a, staff_a)
    with pytest.raises(ValidationError, match="WEL-2"):
        services.submit_plan(plan, acting_user=staff_a.user)
    services.record_opinions(plan, note="意见", acting_user=staff_a.user)
    services.submit_plan(plan, acting_user=staff_a.user)
    step = approvals.steps_for(plan).get()
    assert step.role_required == Role.INSTRUCTOR
    with pytest.raises(ValidationError):  # the director is not the instructor
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    with pytest.raises(ValidationError):  # projects are fixed while it waits
        services.add_project(plan, category=helpers.category(community_a, "文体活动"), name="新", owner=staff_a,
                             budget="1.00", acting_user=staff_a.user)


def test_wel_2_refused_by_the_instructor_goes_back_to_be_redrawn(community_a, staff_a, instructor_a):
    plan = helpers.draft_plan(community_a, staff_a)
    services.record_opinions(plan, note="意见", acting_user=staff_a.user)
    services.submit_plan(plan, acting_user=staff_a.user)
    step = approvals.steps_for(plan).get()
    approvals.decide(step.pk, acting_user=instructor_a.user, approve=False, comment="预算不全")
    plan.refresh_from_db()
    assert plan.submitted_on is None and services.plan_open(plan)


def _to_review(community_a, staff_a, instructor_a):
    plan = helpers.draft_plan(community_a, staff_a)
    services.record_opinions(plan, note="意见", acting_user=staff_a.user)
    services.submit_plan(plan, acting_user=staff_a.user)
    helpers.decide_pending(plan, instructor_a)
    plan.refresh_from_db()
    return plan


def test_wel_2_first_review_by_the_street_reviewer(community_a, staff_a, instructor_a, supervisor):
    plan = _to_review(community_a, staff_a, instructor_a)
    with pytest.raises(ValidationError, match="WEL-2"):
        services.review_plan(plan, acting_user=staff_a.user)
    services.review_plan(plan, note="同意", acting_user=supervisor.user)
    plan.refresh_from_db()
    assert plan.reviewed_by == supervisor and plan.reviewed_on == dt.date(2026, 6, 10)


def test_ctl_2_instructor_does_not_review_the_plan_they_signed(community_a, staff_a, street):
    both = f.staff(street, "指导员兼负责人", [Role.INSTRUCTOR, Role.DEPARTMENT_HEAD], role_community=community_a)
    plan = helpers.draft_plan(community_a, staff_a)
    services.record_opinions(plan, note="意见", acting_user=staff_a.user)
    services.submit_plan(plan, acting_user=staff_a.user)
    helpers.decide_pending(plan, both)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="CTL-2"):
        services.review_plan(plan, acting_user=both.user)


def test_ctl_2_reviewer_does_not_approve_the_plan(community_a, staff_a, instructor_a, director_a, street):
    both = f.staff(street, "负责人兼财务", [Role.DEPARTMENT_HEAD, Role.FINANCE])
    plan = _to_review(community_a, staff_a, instructor_a)
    services.review_plan(plan, acting_user=both.user)
    decision = helpers.residents_decision(community_a, staff_a, director_a)
    services.record_residents_approval(plan, decision=decision, acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="CTL-2"):
        services.approve_plan(plan, acting_user=both.user)
    assert not Budget.objects.filter(community=community_a, fund_type=FundType.WELFARE).exists()


def test_wel_2_residents_approval_needs_a_convened_residents_meeting(community_a, staff_a, instructor_a, supervisor,
                                                                      director_a):
    from meetings.models import BodyKind

    plan = _to_review(community_a, staff_a, instructor_a)
    services.review_plan(plan, acting_user=supervisor.user)
    joint = helpers.residents_decision(community_a, staff_a, director_a, kind=BodyKind.JOINT)
    with pytest.raises(ValidationError) as e:
        services.record_residents_approval(plan, decision=joint, acting_user=staff_a.user)
    assert "decision" in e.value.error_dict


def test_wel_2_minutes_not_approved_is_not_a_convened_meeting(community_a, staff_a, instructor_a, supervisor,
                                                              director_a):
    plan = _to_review(community_a, staff_a, instructor_a)
    services.review_plan(plan, acting_user=supervisor.user)
    open_minutes = helpers.residents_decision(community_a, staff_a, director_a, close=False)
    with pytest.raises(ValidationError):
        services.record_residents_approval(plan, decision=open_minutes, acting_user=staff_a.user)
    plan.refresh_from_db()
    assert plan.residents_decision is None


def test_wel_2_community_cannot_approve_its_own_plan(community_a, staff_a, director_a, instructor_a, supervisor):
    plan = _to_review(community_a, staff_a, instructor_a)
    services.review_plan(plan, acting_user=supervisor.user)
    services.record_residents_approval(plan, decision=helpers.residents_decision(community_a, staff_a, director_a),
                                       acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="CTL-4"):
        services.approve_plan(plan, acting_user=director_a.user)


def test_wel_2_july_round_adds_to_the_plan_not_a_second_plan(plan_a, staff_a, community_a, street_finance,
                                                             time_machine):
    cat = helpers.category(community_a, "教育培训")
    with pytest.raises(ValidationError, match="WEL-2"):  # June: no addition
        services.add_project(plan_a, category=cat, name="暑期课堂", owner=staff_a, budget="500.00",
                             acting_user=staff_a.user)
    time_machine.move_to(dt.datetime(2026, 7, 15, 10, 0), tick=False)
    p = services.add_project(plan_a, category=cat, name="暑期课堂", owner=staff_a, budget="500.00",
                             acting_user=staff_a.user)
    assert p.round == 2 and p.state == Project.State.PLANNED and p.line is None
    with pytest.raises(ValidationError):
        services.create_plan(community=community_a, year=2026, acting_user=staff_a.user)
    services.approve_addition(p, acting_user=street_finance.user)
    p.refresh_from_db()
    assert p.state == Project.State.APPROVED and p.line.amount == p.budget


def test_wel_2_timeline_dates(community_a):
    assert rules.timeline(2027) == [("opinions", dt.date(2026, 10, 10)), ("submitted", dt.date(2026, 10, 15)),
                                    ("reviewed", dt.date(2026, 10, 25)), ("residents", dt.date(2026, 10, 31)),
                                    ("approved", dt.date(2026, 11, 5))]


def _plan_reminders(community, day):
    return [r for r in reminders.collect([community], day) if r.rule == "WEL-2"]


def test_wel_2_reminded_before_oct_15_and_overdue_after(community_a):
    before = {r.title: r for r in _plan_reminders(community_a, dt.date(2026, 10, 8))}
    assert any(r.state == reminders.DUE and r.due == dt.date(2026, 10, 15) for r in before.values())
    after = _plan_reminders(community_a, dt.date(2026, 10, 16))
    assert any(r.state == reminders.OVERDUE and r.due == dt.date(2026, 10, 15) for r in after)
    assert not _plan_reminders(community_a, dt.date(2026, 9, 1))


def test_wel_2_oct_15_on_a_weekend_stands(community_a):
    """Oct 15, 2028 is a Sunday: the deadline stays on the Sunday (it is not moved to Monday); the Friday before
    shows it due, the Monday after overdue."""
    assert dt.date(2028, 10, 15).weekday() == 6
    assert rules.due_of(2029, "submitted") == dt.date(2028, 10, 15)
    friday = [r for r in _plan_reminders(community_a, dt.date(2028, 10, 13)) if r.due == dt.date(2028, 10, 15)]
    assert friday and friday[0].state == reminders.DUE
    sunday = [r for r in _plan_reminders(community_a, dt.date(2028, 10, 15)) if r.due == dt.date(2028, 10, 15)]
    assert sunday[0].state == reminders.DUE
    monday = [r for r in _plan_reminders(community_a, dt.date(2028, 10, 16)) if r.due == dt.date(2028, 10, 15)]
    assert monday[0].state == reminders.OVERDUE


def test_wel_2_done_steps_are_not_reminded(plan_a, community_a, staff_a):
    # a plan of next year with its opinions recorded: that step is not reminded any more
    plan = services.create_plan(community=community_a, year=2027, acting_user=staff_a.user)
    services.record_opinions(plan, note="意见", acting_user=staff_a.user)
    from welfare.reminders import STEP_TITLES

    titles = [r.title for r in _plan_reminders(community_a, dt.date(2026, 10, 9))]
    assert STEP_TITLES["opinions"]() not in titles
    assert STEP_TITLES["submitted"]() in titles


def test_wel_2_reminders_fixed_queries_for_any_number_of_communities(street, django_assert_max_num_queries):
    few = [f.community(street, f"社区{i}") for i in range(2)]
    many = few + [f.community(street, f"社区{i}") for i in range(2, 12)]
    day = dt.date(2026, 10, 20)
    from welfare import reminders as wr

    with django_assert_max_num_queries(1):  # no plan in sight: one query
        list(wr.welfare(few, day))
    for c in many[:3]:
        helpers.draft_plan(c, f.staff(c, "委员", [Role.MEMBER]), year=2027)
    with django_assert_max_num_queries(12) as ctx:
        list(wr.welfare(few, day))
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        list(wr.welfare(many, day))
