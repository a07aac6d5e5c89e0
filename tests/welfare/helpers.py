"""Building blocks of the welfare tests (and the permission matrix's world): a convened residents' meeting's
decision and a plan carried through the October timeline to the street's approval."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from committee import approvals
from welfare import services


def decide_pending(record, staff):
    step = approvals.steps_for(record).filter(status="pending").order_by("step").first()
    return approvals.decide(step.pk, acting_user=staff.user, approve=True)


def residents_decision(community, user_staff, approver, *, kind=None, close=True):
    from meetings import services as mtg
    from meetings.models import BodyKind

    body = mtg.create_body(community=community, kind=kind or BodyKind.RESIDENTS_MEETING,
                           name=f"居民会议{community.pk}{kind or ''}", acting_user=user_staff.user)
    for i in range(3):
        mtg.add_member(body, name=f"居民{i}", start=dt.date(2020, 1, 1), acting_user=user_staff.user)
    meeting = mtg.create_meeting(body, title="居民会议", date=timezone.localdate(), acting_user=user_staff.user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=user_staff.user)
    decision = mtg.record_decision(meeting, title="通过公益事业项目计划", major=kind is None, votes_for=3, votes_against=0,
                                   votes_abstain=0, acting_user=user_staff.user)
    if close:
        mtg.save_minutes(meeting, text="纪要", acting_user=user_staff.user)
        mtg.close_minutes(meeting, acting_user=user_staff.user)
        decide_pending(meeting, approver)
    decision.refresh_from_db()
    return decision


def category(community, name):
    return services.categories(community.street_office).get(name=name)


def draft_plan(community, member, projects=(("社会组织培育", "睦邻互助", "8000.00"), ("文体活动", "广场舞大赛", "2000.00")),
               year=None):
    plan = services.create_plan(community=community, year=year or timezone.localdate().year, acting_user=member.user)
    for cat, name, budget in projects:
        services.add_project(plan, category=category(community, cat), name=name, owner=member, budget=budget,
                             planned_activities=10, activities_plan="每月一次", social_orgs="睦邻志愿队",
                             acting_user=member.user)
    return plan


def approved_plan(community, *, member, director, instructor, reviewer, setter, projects=None, allotment="10000.00"):
    """A plan through every step of WEL-2: opinions, the instructor's approval, the street's first review, the
    residents' meeting and the street's approval with the budget."""
    plan = draft_plan(community, member, **({"projects": projects} if projects else {}))
    if allotment:
        services.set_allotment(plan, amount=allotment, acting_user=setter.user)
    services.record_opinions(plan, note="居民希望多办文体活动", acting_user=member.user)
    services.submit_plan(plan, acting_user=member.user)
    decide_pending(plan, instructor)
    plan.refresh_from_db()
    services.review_plan(plan, note="同意", acting_user=reviewer.user)
    decision = residents_decision(community, member, director)
    services.record_residents_approval(plan, decision=decision, acting_user=member.user)
    services.approve_plan(plan, acting_user=setter.user)
    plan.refresh_from_db()
    return plan
