"""Welfare demo: 和平里 runs this year's approved plan (projects in several categories, spending waiting for
approval, activities, an awareness survey, both groups, the quarter's money); 银杏 draws up next year's plan
(opinions recorded, waiting for the instructor's approval). Idempotent: a community with a plan of that year is
left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from committee import approvals
from committee.models import Community, Staff
from welfare import rules, services

PROJECTS = [
    ("社会组织培育", "睦邻互助队培育", "16000.00", "睦邻互助志愿队、银龄合唱团"),
    ("文体活动", "社区健身操比赛", "3000.00", "健身操队"),
    ("教育培训", "四点半课堂", "2500.00", "青年志愿者协会"),
    ("治安巡防", "平安楼门巡查", "1500.00", "治安志愿者队"),
]


def _staff(username):
    return Staff.objects.select_related("user", "community").get(user__username=username)


def _decide(record, staff):
    step = approvals.steps_for(record).filter(status="pending").order_by("step").first()
    if step is not None:
        approvals.decide(step.pk, acting_user=staff.user, approve=True, comment="同意")


def _residents_decision(community, member, director, title="审议年度公益事业项目计划", day=None):
    from meetings import services as mtg
    from meetings.models import Body, BodyKind

    name = f"{community.name}居民会议（公益项目）"
    body = Body.objects.filter(community=community, kind=BodyKind.RESIDENTS_MEETING, name=name).first()
    if body is None:
        body = mtg.create_body(community=community, kind=BodyKind.RESIDENTS_MEETING, name=name,
                               acting_user=member.user)
        for person in ["赵大妈", "钱师傅", "孙老师", "李阿姨", "周大爷"]:
            mtg.add_member(body, name=person, start=dt.date(2024, 1, 1), acting_user=member.user)
    meeting = mtg.create_meeting(body, title=title, date=day or timezone.localdate(), place="社区活动室",
                                 acting_user=member.user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=member.user)
    decision = mtg.record_decision(meeting, title="通过" + title.removeprefix("审议"), major=True,
                                   votes_for=len(keys), votes_against=0, votes_abstain=0, acting_user=member.user)
    mtg.save_minutes(meeting, text=f"会议{title}，表决通过。", acting_user=member.user)
    mtg.close_minutes(meeting, acting_user=member.user)
    _decide(meeting, director)
    decision.refresh_from_db()
    return decision


def _convene(body, *, day, title, member, director):
    """MTG-11 / WEL-10: a group meeting held on ``day``: everybody present, minutes closed and approved."""
    from meetings import services as mtg

    meeting = mtg.create_meeting(body, title=title, date=day, place="社区会议室", acting_user=member.user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=member.user)
    mtg.save_minutes(meeting, text=f"{title}：听取项目进展汇报，检查资金使用和活动开展情况。", acting_user=member.user)
    mtg.close_minutes(meeting, acting_user=member.user)
    _decide(meeting, director)


def _quarter_meetings(body, member, director):
    """A meeting in each past quarter of this year (mid last month) and one a week ago in the current quarter."""
    today = timezone.localdate()
    _y, current = rules.quarter_of(today)
    for q in range(1, current + 1):
        day = dt.date(today.year, 3 * q, 15) if q < current else today - dt.timedelta(days=7)
        if day.year != today.year or day > today:
            continue
        _convene(body, day=day, title=f"{body.name}第{q}季度会议", member=member, director=director)


def _groups(community, director, code):
    from meetings import services as mtg

    start = dt.date(timezone.localdate().year, 1, 1)
    mgmt = services.create_group(community=community, kind=services.MANAGEMENT_GROUP, acting_user=director.user)
    mtg.add_member(mgmt, staff=director, position="组长", start=start, acting_user=director.user)
    for name in ["赵大妈", "钱师傅", "孙老师", "李阿姨", "周大爷", "吴会计"]:
        mtg.add_member(mgmt, name=name, start=start, acting_user=director.user)
    sup = services.create_group(community=community, kind=services.SUPERVISION_GROUP, acting_user=director.user)
    mtg.add_member(sup, staff=director, position="组长", start=start, acting_user=director.user)
    for name in ["郑楼长", "王居民代表", "冯退休教师", "陈志愿者", "褚业主代表", "卫党员代表"]:  # seven (WEL-10)
        mtg.add_member(sup, name=name, start=start, acting_user=director.user)
    member = _staff(f"{code}.member")
    for body in (mgmt, sup):
        _quarter_meetings(body, member, director)


@transaction.atomic
def _heping(stdout):
    community = Community.objects.get(code="heping")
    year = timezone.localdate().year
    if services.Plan.objects.filter(community=community, year=year).exists():
        return
    member, director = _staff("heping.member"), _staff("heping.director")
    plan = services.create_plan(community=community, year=year, acting_user=member.user)
    services.set_allotment(plan, amount="25000.00", acting_user=_staff("street.finance").user)
    for cat, name, budget, orgs in PROJECTS:
        services.add_project(plan, category=services.categories(community.street_office).get(name=cat), name=name,
                             owner=member, budget=budget, planned_activities=10, activities_plan="每月开展一次",
                             social_orgs=orgs, acting_user=member.user)
    services.record_opinions(plan, note="居民希望增加老年人健身和青少年课后活动。", acting_user=member.user)
    services.submit_plan(plan, acting_user=member.user)
    _decide(plan, _staff("street.instructor"))
    plan.refresh_from_db()
    services.review_plan(plan, note="项目安排合理，同意报居民会议审议。", acting_user=_staff("street.dept").user)
    services.record_residents_approval(plan, decision=_residents_decision(community, member, director),
                                       acting_user=member.user)
    services.approve_plan(plan, acting_user=_staff("street.finance").user)
    today = timezone.localdate()
    projects = {p.name: p for p in plan.projects.all()}
    social, sports = projects["睦邻互助队培育"], projects["社区健身操比赛"]
    day = max(dt.date(year, 1, 2), today - dt.timedelta(days=20))
    services.record_activity(social, title="志愿者骨干培训", date=day, form="training", sessions=3, participants=45,
                             effect="培养骨干15名", acting_user=member.user)
    contest = services.record_activity(sports, title="健身操比赛", date=today, form="contest", sessions=1,
                                       participants=120, effect="8支队伍参赛", acting_user=member.user)
    services.spend(social, kind="services", purpose="社工机构督导服务", amount="3200.00", payee="阳光社工事务所",
                   method="transfer", acting_user=member.user)
    services.spend(sports, kind="costs", purpose="比赛场地布置和音响", amount="700.00", payee="文化传播公司",
                   method="transfer", activity=contest, acting_user=member.user)
    services.spend(sports, kind="prizes", purpose="比赛奖品（毛巾、水杯）", amount="300.00", payee="百货商店",
                   method="transfer", activity=contest, top_prize="80.00", acting_user=member.user)
    # WEL-7: activities through the year, every category reaching its 10 sessions except 治安巡防 (the honest
    # shortfall the dashboard shows)
    sessions = {"睦邻互助队培育": 7, "社区健身操比赛": 9, "四点半课堂": 10, "平安楼门巡查": 4}
    for name, n in sessions.items():
        for i in range(n):
            day = max(dt.date(year, 1, 2), today - dt.timedelta(days=30 * (i + 1)))
            services.record_activity(projects[name], title=f"{name}第{i + 1}次活动", date=day, form="volunteer",
                                     sessions=1, participants=20 + i, effect="居民参与积极", acting_user=member.user)
    services.record_survey(social, surveyed_on=today, sample_size=60, aware=51, acting_user=member.user)
    q_year, quarter = rules.quarter_of(today)
    for past in range(1, quarter):  # WEL-9: the past quarters' money planned, applied for and reported
        services.record_quarter_plan(community=community, year=q_year, quarter=past, amount="6000.00",
                                     acting_user=_staff("street.finance").user)
        services.apply_quarter(community=community, year=q_year, quarter=past, amount="6000.00",
                               acting_user=member.user)
        services.report_quarter(community=community, year=q_year, quarter=past,
                                report="本季度各项目按计划开展活动，资金按规定使用。", acting_user=member.user)
    services.record_quarter_plan(community=community, year=q_year, quarter=quarter, amount="6000.00",
                                 acting_user=_staff("street.finance").user)
    services.apply_quarter(community=community, year=q_year, quarter=quarter, amount="5800.00",
                           acting_user=member.user)
    _groups(community, director, "heping")
    if stdout:
        stdout.write(f"  welfare: {community.name} plan {year} approved with {len(PROJECTS)} projects\n")


@transaction.atomic
def _yinxing(stdout):
    community = Community.objects.get(code="yinxing")
    year = timezone.localdate().year + 1
    if services.Plan.objects.filter(community=community, year=year).exists():
        return
    member = _staff("yinxing.member")
    plan = services.create_plan(community=community, year=year, acting_user=member.user)
    cats = services.categories(community.street_office)
    for cat, name, budget in (("社会组织培育", "银杏志愿者联盟", "12000.00"), ("文明创建", "文明楼门评选", "2000.00")):
        services.add_project(plan, category=cats.get(name=cat), name=name, owner=member, budget=budget,
                             planned_activities=10, acting_user=member.user)
    services.record_opinions(plan, note="居民建议继续开展志愿服务和文明楼门评选。", acting_user=member.user)
    services.submit_plan(plan, acting_user=member.user)
    if stdout:
        stdout.write(f"  welfare: {community.name} plan {year} waiting for the instructor\n")


NEXT_PROJECTS = [
    ("社会组织培育", "睦邻互助队提升", "17000.00"),
    ("文体活动", "社区运动会", "3500.00"),
    ("教育培训", "四点半课堂（续）", "2500.00"),
]


@transaction.atomic
def _heping_next(stdout):
    """WEL-2: next year's plan has gone through the October timeline's steps already due today."""
    from welfare.reminders import TIMELINE_WARN

    community = Community.objects.get(code="heping")
    today = timezone.localdate()
    year = today.year + 1
    if today < dt.date(today.year, 9, 20) or services.Plan.objects.filter(community=community, year=year).exists():
        return
    due = dict(rules.timeline(year))

    def reached(step):  # the step's date is near (its reminder would show) or past
        return today >= due[step] - dt.timedelta(days=TIMELINE_WARN)

    member, director = _staff("heping.member"), _staff("heping.director")
    plan = services.create_plan(community=community, year=year, acting_user=member.user)
    services.set_allotment(plan, amount="25000.00", acting_user=_staff("street.finance").user)
    cats = services.categories(community.street_office)
    for cat, name, budget in NEXT_PROJECTS:
        services.add_project(plan, category=cats.get(name=cat), name=name, owner=member, budget=budget,
                             planned_activities=10, activities_plan="每月开展一次", acting_user=member.user)
    done = "drawn up"
    if reached("opinions"):
        services.record_opinions(plan, note="居民建议继续办好四点半课堂，增加社区运动会。", acting_user=member.user)
        done = "opinions"
    if reached("submitted"):
        services.submit_plan(plan, acting_user=member.user)
        _decide(plan, _staff("street.instructor"))
        plan.refresh_from_db()
        done = "instructor approved"
    if reached("reviewed"):
        services.review_plan(plan, note="同意报居民会议审议。", acting_user=_staff("street.dept").user)
        done = "reviewed"
    if reached("residents"):
        decision = _residents_decision(community, member, director, title=f"审议{year}年公益事业项目计划")
        services.record_residents_approval(plan, decision=decision, acting_user=member.user)
        done = "residents' meeting"
    if reached("approved"):
        services.approve_plan(plan, acting_user=_staff("street.finance").user)
        done = "approved"
    if stdout:
        stdout.write(f"  welfare: {community.name} plan {year}: {done}\n")


def load(stdout=None) -> None:
    if not Community.objects.filter(code__in=["heping", "yinxing"]).count() == 2:
        return
    _heping(stdout)
    _heping_next(stdout)
    _yinxing(stdout)
