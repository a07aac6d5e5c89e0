"""Demo data of the grid and visits chapter (idempotent: a community with grid group members gets nothing
new).

Per community: building heads, a resident representative and a group leader in each grid (GRID-1), two
local units, ledger entries (GRID-2), a week of visits by the director, the deputy and the members with
problems open and solved (GRID-3, GRID-5), the grid work meeting body (GRID-4), and requests in every
state: open, due soon, overdue, resolved in time, resolved late, a complaint about a staff member
(GRID-6)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone, translation

from committee import calendar
from committee.models import Community, Grid, Household, Person, Staff, StreetOffice
from visits import services
from visits.models import GroupMember, LedgerEntry, Request, Visit


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").select_related("user", "community").first()


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    if street is None:
        return
    for community in Community.objects.filter(street_office=street).order_by("pk"):
        if GroupMember.objects.filter(community=community).exists():
            continue
        director, deputy = _s(community.code, "director"), _s(community.code, "deputy")
        member, civil = _s(community.code, "member"), _s(community.code, "civil")
        if None in (director, deputy, member, civil):
            continue
        _community(community, director, deputy, member, civil)
        if stdout:
            stdout.write(f"visits: {community.name}")


def _community(community, director, deputy, member, civil):
    today = timezone.localdate()
    start = today - dt.timedelta(days=90)
    for grid in Grid.objects.filter(community=community).order_by("name"):
        buildings = list(grid.buildings.order_by("name"))
        for building in buildings:
            resident = Person.objects.filter(household__building=building, moved_out_on__isnull=True,
                                             relation="head").order_by("pk").first()
            if resident:
                services.add_group_member(grid, person=resident, position=GroupMember.Position.BUILDING_HEAD,
                                          buildings=[building], start=start, acting_user=director.user)
        people = list(Person.objects.filter(household__building__grid=grid, moved_out_on__isnull=True,
                                            relation="spouse").order_by("pk")[:2])
        for person, position in zip(people, [GroupMember.Position.REPRESENTATIVE, GroupMember.Position.GROUP_LEADER],
                                    strict=False):
            services.add_group_member(grid, person=person, position=position, households=list(
                Household.objects.filter(building__grid=grid).order_by("pk")[:4]), start=start,
                acting_user=director.user)
        first = Household.objects.filter(building__grid=grid).order_by("pk").first()
        services.add_ledger_entry(grid, kind=LedgerEntry.Kind.NEED, household=first,
                                  text="独居老人希望每周有人上门测量血压", acting_user=member.user)
        services.add_ledger_entry(grid, kind=LedgerEntry.Kind.NEIGHBOURS,
                                  text="楼上漏水与楼下住户有矛盾，已调解一次", acting_user=member.user)
    units = [services.save_unit(community=community, name=f"{community.name}卫生服务站", address="社区北门",
                                contact="刘医生", phone="010-66001234", acting_user=member.user),
             services.save_unit(community=community, name=f"{community.name}第一小学", address="东街8号",
                                contact="陈校长", phone="010-66005678", acting_user=member.user)]
    households = list(Household.objects.filter(community=community).select_related("building").order_by("pk"))
    # a week of visits: each working day of the last seven days
    days = [today - dt.timedelta(days=n) for n in range(1, 8)]
    days = [d for d in days if calendar.is_working_day(d)]
    problems_text = ["楼道灯坏了", "想了解高龄津贴怎么申请", "下水道堵塞", "希望增加助餐点"]
    i = 0
    for n, day in enumerate(sorted(days)):
        for staff in (member, civil):
            household = households[i % len(households)] if households else None
            i += 1
            if household is None:
                continue
            services.record_visit(
                community=community, key=uuid.uuid4(), household=household, date=day, start_time=dt.time(9, 0),
                end_time=dt.time(10, 0) if staff == member or n % 2 else dt.time(9, 30), visitors=[staff],
                found="家中情况正常" if n % 2 else "老人身体不适，子女不在身边",
                problems=[problems_text[i % 4]] if n % 2 == 0 else [], solved=(n % 4 == 2),
                follow_up="已联系物业" if n % 4 == 2 else "", acting_user=staff.user)
    if days and households:
        services.record_visit(community=community, key=uuid.uuid4(), household=households[-1], date=days[-1],
                              start_time=dt.time(14, 0), end_time=dt.time(16, 0), visitors=[director, deputy],
                              companions="楼门长", found="孤老家庭，生活基本能自理", problems=["需要安装扶手"],
                              acting_user=director.user)
        services.record_visit(community=community, key=uuid.uuid4(), unit=units[0], date=days[-1],
                              start_time=dt.time(10, 0), end_time=dt.time(11, 30), visitors=[director],
                              found="服务站希望社区协助组织义诊", acting_user=director.user)
    # one problem solved later, by the member
    open_problem = Visit.objects.filter(community=community).order_by("date").first()
    problem = open_problem.problems.filter(solved_at__isnull=True).first() if open_problem else None
    if problem:
        services.solve_problem(problem, solution="已请物业更换，居民满意", acting_user=member.user)
    services.ensure_grid_body(community, acting_user=director.user)
    # requests in every state
    resident = Person.objects.filter(community=community, moved_out_on__isnull=True).order_by("pk").first()
    services.receive_request(community=community, channel=Request.Channel.DESK, kind=Request.Kind.HELP,
                             text="希望帮助联系居家养老服务", resident=resident, assigned_to=civil,
                             acting_user=member.user)
    services.receive_request(community=community, channel=Request.Channel.BOX, kind=Request.Kind.SUGGESTION,
                             text="建议在小区增加自行车棚", acting_user=member.user)
    overdue = services.receive_request(community=community, channel=Request.Channel.COMPLAINT_LINE,
                                       kind=Request.Kind.COMPLAINT, text="夜间施工噪音扰民", contact="13800000001",
                                       assigned_to=member, acting_user=civil.user)
    back = timezone.now() - dt.timedelta(days=20)
    Request.objects.filter(pk=overdue.pk).update(  # demo only: a request received three weeks ago
        received_at=back, due_on=calendar.deadline(timezone.localtime(back).date(), overdue.days).date)
    in_time = services.receive_request(community=community, channel=Request.Channel.PHONE,
                                       kind=Request.Kind.REPAIR, text="3号楼门禁坏了", assigned_to=member,
                                       acting_user=civil.user)
    services.close_request(in_time, resolution="已通知物业当天修好", feedback=Request.Feedback.SATISFIED,
                           acting_user=member.user)
    late = services.receive_request(community=community, channel=Request.Channel.DESK,
                                    kind=Request.Kind.CONSULTATION, text="咨询残疾人证办理", assigned_to=civil,
                                    acting_user=member.user)
    back = timezone.now() - dt.timedelta(days=15)
    Request.objects.filter(pk=late.pk).update(
        received_at=back, due_on=calendar.deadline(timezone.localtime(back).date(), late.days).date)
    services.close_request(Request.objects.get(pk=late.pk), resolution="已告知办理流程和所需材料",
                           feedback=Request.Feedback.PARTLY, feedback_note="希望早点答复", acting_user=civil.user)
    services.record_staff_complaint(staff=member, text="居民反映窗口接待态度不耐烦", source="demo",
                                    resident_name="匿名", acting_user=civil.user)
