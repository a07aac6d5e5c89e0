"""Demo data of the posts chapter (idempotent: a community that already has published posts gets nothing new).

Per community: a joint meeting (三委联席会) decides three posts (finance supervision with two holders, environmental
hygiene, policy publicity: one person holds two posts); the street office issues their badges; every holder but
one has a signed responsibility letter; training before the post; a report to the representatives (one graded by
the street office, one waiting); a published post still taking nominations; a discipline inspection and an open
complaint; the year's evaluation in progress with one mark of the street office."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from committee import approvals, policy
from committee.models import Community, Staff, StreetOffice
from posts import services
from posts.models import Opening, Post

# A one-page PDF: the scanned letter of the demo (the upload check recognises it by its content).
LETTER = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
          b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").select_related("user").first()


def _joint_decision(community, sender, title):
    """POST-2: an adopted decision of a convened joint meeting: roll call, decision, minutes sent by the member
    and approved by the committee approver (not the sender: CTL-2)."""
    from meetings import services as mtg
    from meetings.models import Body, BodyKind

    body = Body.objects.filter(community=community, kind=BodyKind.JOINT, active=True).first()
    if body is None:
        body = mtg.create_body(community=community, kind=BodyKind.JOINT, name=f"{community.name}三委联席会",
                               acting_user=sender.user)
        for suffix in ("secretary", "director", "station"):
            s = _s(community.code, suffix)
            if s:
                mtg.add_member(body, staff=s, start=dt.date(timezone.localdate().year, 1, 1), acting_user=sender.user)
    meeting = mtg.create_meeting(body, title="三委联席会：定岗定责", date=timezone.localdate() - dt.timedelta(days=20),
                                 start_time=dt.time(9, 30), place="社区会议室", acting_user=sender.user)
    keys = [p["key"] for p in mtg.expected_participants(meeting)]
    meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=sender.user)
    decision = mtg.record_decision(meeting, title=title, votes_for=len(keys), votes_against=0, votes_abstain=0,
                                   acting_user=sender.user)
    mtg.save_minutes(meeting, text="研究确定本年度社区岗位及上岗人员。", acting_user=sender.user)
    mtg.close_minutes(meeting, acting_user=sender.user)
    approver = approvals.holders(policy.committee_approver_role(community), community, timezone.localdate()).exclude(
        pk=sender.pk).exclude(user__isnull=True).first()
    step = approvals.steps_for(meeting).filter(status="pending").first()
    if approver is not None and step is not None:
        approvals.decide(step.pk, acting_user=approver.user, approve=True, comment="同意")
    decision.refresh_from_db()
    return decision


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    dept = Staff.objects.filter(user__username="street.dept").select_related("user").first()
    discipline = Staff.objects.filter(user__username="street.discipline").select_related("user").first()
    if street is None or dept is None:
        return
    today = timezone.localdate()
    year = today.year
    if not Post.objects.exists():  # POST-1: a flushed database (transactional tests) gets the six posts back
        import importlib

        from django.apps import apps

        importlib.import_module("posts.migrations.0001_initial").seed_posts(apps, None)
    posts = {p.key: p for p in Post.objects.all()}
    for n, community in enumerate(Community.objects.filter(street_office=street).order_by("pk")):
        if Opening.objects.filter(community=community).exists():
            continue
        director, member = _s(community.code, "director"), _s(community.code, "member")
        deputy, civil = _s(community.code, "deputy"), _s(community.code, "civil")
        if not all((director, member, deputy, civil)):
            continue
        plan = [("finance_supervision", [deputy, member], "监督社区财务收支和账目公开，每季度向居民代表报告。"),
                ("environmental_hygiene", [civil], "负责辖区环境卫生检查，组织每月一次卫生大扫除。"),
                ("policy_publicity", [member], "宣传党的方针政策和惠民政策，办好社区宣传栏。")]
        openings = []
        for key, holders, duties in plan:
            opening = services.publish(community=community, post=posts[key], year=year, places=len(holders),
                                       duties=duties, acting_user=director.user)
            for s in holders:
                services.nominate(opening, staff=s, kind="self", statement="愿意承担本岗位工作。", acting_user=s.user)
            services.announce(opening, acting_user=director.user)
            openings.append((opening, holders))
        decision = _joint_decision(community, member, f"{year}年度定岗定责及上岗人员")
        start = today - dt.timedelta(days=15)
        holdings = []
        for opening, holders in openings:
            holdings += services.decide(opening, decision=decision, holders=holders, start=start,
                                        acting_user=director.user)
        for i, h in enumerate(holdings):
            services.add_training(h, date=start - dt.timedelta(days=3), subject="岗前培训：岗位职责与工作纪律",
                                  hours="3", phase="before", acting_user=director.user)
            if i != len(holdings) - 1:  # POST-3: the last holder has no signed letter yet (flagged)
                services.upload_letter(h, file=ContentFile(LETTER, name="岗位责任书.pdf"), signed_on=start,
                                       acting_user=director.user)
            services.issue_badge(h, number=f"{community.code.upper()}-{i + 1:03d}", acting_user=dept.user)
        # POST-4: reports to the representatives; one graded by the street office, one waiting
        first = services.record_report(holdings[0], year=year, reported_on=today - dt.timedelta(days=2),
                                       report="本年度履行财务监督职责，参加季度财务公开审核四次。",
                                       representatives_opinion="代表满意。", acting_user=director.user)
        services.grade(first, grade="competent", acting_user=dept.user)
        services.record_report(holdings[2], year=year, reported_on=today - dt.timedelta(days=1),
                               report="组织环境卫生大扫除十二次。", acting_user=director.user)
        # POST-2 in progress: public order published, one self-nomination
        open_post = services.publish(community=community, post=posts["public_order"], year=year, places=1,
                                     duties="负责社区治安巡逻和矛盾纠纷调解。", acting_user=director.user)
        services.nominate(open_post, staff=deputy, kind="self", acting_user=deputy.user)
        # POST-5: a discipline inspection and a complaint being followed up
        if discipline is not None:
            services.record_inspection(community=community, date=today - dt.timedelta(days=5),
                                       findings="抽查在岗人员胸牌佩戴情况，一人未佩戴，已当场提醒。",
                                       problem_found=(n == 0), acting_user=discipline.user)
        complaint = services.record_complaint(holding=holdings[2], received_on=today - dt.timedelta(days=3),
                                              complainant="居民（匿名）", text="反映楼道垃圾清理不及时。",
                                              acting_user=director.user)
        services.follow_up(complaint, text="已与环境卫生岗人员沟通，安排当天清理。", acting_user=director.user)
        # POST-6: the year's evaluation in progress with one street-office mark
        services.add_mark(community=community, year=year, points="2" if n == 0 else "-1",
                          reason="社区创新工作加分" if n == 0 else "材料报送不及时", acting_user=dept.user)
    if stdout is not None:
        stdout.write("posts: posts, badges, letters, reviews and evaluations loaded")
