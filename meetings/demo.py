"""Demo data of the meetings app (idempotent: bodies are looked up by name, a body that already has
meetings gets no new ones, regular meetings are generated idempotently)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from committee import approvals
from committee.models import Community, Person, Staff, StreetOffice, User
from meetings import rules, services
from meetings.models import Attendance, Body, BodyKind, LeaveRequest, Meeting

START = dt.date(2024, 1, 1)
COUNCIL = ["驻区单位代表 周立", "业委会主任 钱玉珍", "物业经理 孙浩", "老党员 李德胜", "楼门长 吴桂芝",
           "社区民警 郑凯", "居民代表 王丽", "居民代表 冯建中", "社会组织 陈晨"]


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").first()


def _body(community, kind, name, members, acting_user):
    body = Body.objects.filter(community=community, name=name).first()
    if body is not None:
        return body, False
    body = services.create_body(community=community, kind=kind, name=name, acting_user=acting_user)
    for m in members:
        if isinstance(m, Staff):
            services.add_member(body, staff=m, position="", start=START, acting_user=acting_user)
        elif isinstance(m, Person):
            services.add_member(body, person=m, position="居民代表", start=START, acting_user=acting_user)
        else:
            services.add_member(body, name=m, start=START, acting_user=acting_user)
    return body, True


def _held(body, day, present, *, title, chair, recorder, acting_user, place="社区会议室", minutes="", close=True):
    meeting = services.create_meeting(body, title=title, date=day, start_time=dt.time(9, 30), place=place,
                                      chair=chair, recorder=recorder, acting_user=acting_user)
    keys = [p["key"] for p in services.expected_participants(meeting)]
    meeting = services.record_roll_call(
        meeting, {k: ("present" if i < present else "absent") for i, k in enumerate(keys)}, acting_user=acting_user)
    return meeting


@transaction.atomic
def load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    if street is None:
        return
    today = timezone.localdate()
    for n, community in enumerate(Community.objects.filter(street_office=street).order_by("pk")):
        director, secretary = _s(community.code, "director"), _s(community.code, "secretary")
        if director is None or director.user is None:
            continue
        user: User = director.user
        cadres = [s for s in (director, secretary, _s(community.code, "deputy"), _s(community.code, "civil"),
                              _s(community.code, "dibao"), _s(community.code, "labour"), _s(community.code, "member"))
                  if s]
        committee, new_committee = _body(community, BodyKind.COMMITTEE, f"{community.name}居民委员会", cadres, user)
        people = list(Person.objects.filter(community=community).order_by("pk")[:31])
        reps = people + [f"居民代表{i + 1:02d}" for i in range(31 - len(people))]
        representatives, new_reps = _body(community, BodyKind.REPRESENTATIVES, f"{community.name}居民代表会议", reps, user)
        council, new_council = _body(community, BodyKind.CONSULTATION, f"{community.name}协商议事会",
                                     [director] + COUNCIL, user)
        joint_members = [s for s in (secretary, director, _s(community.code, "station"), _s(community.code, "deputy"),
                                     _s(community.code, "bookkeeper")) if s]
        joint, new_joint = _body(community, BodyKind.JOINT, f"{community.name}三委联席会", joint_members, user)
        service = _s(community.code, "service")
        recorder = service or secretary

        if new_reps:
            # A held representatives' meeting with minutes and decisions (MTG-6, MTG-8, MTG-9).
            day = rules.add_months(today, -3 - n).replace(day=15)
            m = _held(representatives, day, 26 - n, title=f"{day.year}年居民代表会议", chair=director,
                      recorder=recorder, acting_user=user, place="社区活动中心")
            item = services.add_agenda_item(m, title="审议老旧小区加装电梯方案", proposed_by="书记、主任", major=True,
                                            acting_user=user)
            services.add_agenda_item(m, title="审议社区公共收益使用计划", proposed_by="书记、主任", acting_user=user)
            services.record_decision(m, title="同意加装电梯方案", agenda_item=item, text="同意按方案在3号楼、5号楼加装电梯，费用按楼层分摊。",
                                     votes_for=19, votes_against=4, votes_abstain=26 - n - 23,
                                     dissents=[(str(reps[3] if isinstance(reps[3], str) else reps[3].name),
                                                "一层住户采光受影响，建议补偿。")], acting_user=user)
            services.record_decision(m, title="公共收益用于增设休闲座椅", votes_for=9, votes_against=10,
                                     votes_abstain=26 - n - 19, acting_user=user)
            services.save_minutes(m, text="会议由主任主持，书记介绍议题。到会代表充分讨论后表决。\n"
                                          "一、加装电梯方案获通过；二、休闲座椅方案未获过半数，暂缓。", acting_user=user)
            services.close_minutes(m, acting_user=user)
        if new_council:
            # heping's council last met five months ago: overdue (MTG-7, MTG-11); the others recently.
            day = rules.add_months(today, -5 if n == 0 else -1).replace(day=8)
            m = _held(council, day, len(COUNCIL) + 1 - 1, title="协商议事会：停车难问题", chair=director,
                      recorder=recorder, acting_user=user)
            services.record_decision(m, title="夜间开放单位停车场", votes_for=7, votes_against=1, votes_abstain=1,
                                     acting_user=user)
            services.save_minutes(m, text="协商夜间停车问题，驻区单位同意夜间开放停车场。", acting_user=user)
        if new_joint:
            # FIN-7: collective decisions on funds by the joint meeting.
            day = rules.add_months(today, -1).replace(day=20)
            m = _held(joint, day, len(joint_members), title="三委联席会：经费使用", chair=secretary,
                      recorder=recorder, acting_user=user)
            services.record_decision(m, title="购置社区服务站办公桌椅（预算3,600元）", votes_for=len(joint_members),
                                     votes_against=0, votes_abstain=0, acting_user=user)
            services.record_decision(m, title="重阳节慰问老人（预算2,000元）", votes_for=len(joint_members) - 1,
                                     votes_against=1, votes_abstain=0, acting_user=user)
            services.save_minutes(m, text="集体研究经费使用事项，形成决定两项。", acting_user=user)
            services.close_minutes(m, acting_user=user)
        if new_committee:
            # MTG-1 / MTG-10: briefings, summaries and the Monday study of the last weeks.
            monday = today - dt.timedelta(days=today.weekday())
            for week in range(1, 5):
                day = monday - dt.timedelta(weeks=week)
                services.quick_record(committee, category=Meeting.Category.STUDY, date=day, chair=secretary,
                                      minutes="学习《城市居民委员会组织法》及街道文件。", acting_user=user)
                services.quick_record(committee, category=Meeting.Category.WEEKLY_SUMMARY,
                                      date=day + dt.timedelta(days=4), chair=director,
                                      minutes="总结本周入户走访和低保复核工作，布置下周任务。", acting_user=user)
            for back in range(1, 4):
                day = today - dt.timedelta(days=back)
                if day.weekday() < 5:
                    services.quick_record(committee, category=Meeting.Category.MORNING_BRIEFING, date=day,
                                          chair=director, minutes="碰头：当日值班、来访接待、入户安排。", acting_user=user)
            services.quick_record(committee, category=Meeting.Category.DEMOCRATIC_LIFE,
                                  date=rules.add_months(today, -2).replace(day=12), chair=secretary,
                                  minutes="开展批评与自我批评。", acting_user=user)
    _regular(street, today)


def _regular(street, today):
    """MTG-2: generated regular meetings of the last two months, this month and next; roll calls of the held
    ones with one unapproved absence (MTG-5), and leave asked for a coming meeting (MTG-4)."""
    host = Staff.objects.filter(user__username="street.dept").first()
    if host is None:
        return
    meetings = []
    for back in (-2, -1, 0, 1):
        month = rules.add_months(today.replace(day=1), back)
        meetings += services.ensure_regular_meetings(street, month.year, month.month, acting_user=host.user)
    absentee = Staff.objects.filter(user__username="heping.dibao").first()
    for m in meetings:
        if m.date >= today or m.status != Meeting.Status.PLANNED:
            continue
        statuses = {p["key"]: "present" for p in services.expected_participants(m)}
        if absentee and m.regular_slot in (0, 2) and m.date.month == rules.add_months(today, -1).month:
            statuses[f"s{absentee.pk}"] = Attendance.Status.ABSENT  # two in a row: no year-end award
        services.record_roll_call(m, statuses, acting_user=host.user)
    coming = [m for m in meetings if m.date > today and m.status == Meeting.Status.PLANNED]
    requester = Staff.objects.filter(user__username="heping.director").first()
    if coming and requester and not LeaveRequest.objects.filter(staff=requester).exists():
        target = next((m for m in coming if requester.pk in {s.pk for s in services.regular_attendees(m)}), None)
        if target:
            leave = services.request_leave(target, staff=requester, reason="参加区民政局培训", acting_user=requester.user)
            step = approvals.steps_for(leave).first()
            approvals.decide(step.pk, acting_user=host.user, approve=True, comment="同意")
    other = Staff.objects.filter(user__username="yinxing.civil").first()
    if coming and other and not LeaveRequest.objects.filter(staff=other).exists():
        target = next((m for m in coming if other.pk in {s.pk for s in services.regular_attendees(m)}), None)
        if target:
            services.request_leave(target, staff=other, reason="孩子生病", acting_user=other.user)
