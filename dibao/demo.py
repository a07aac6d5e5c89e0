"""Demo data of the dibao chapter (idempotent): per community a compliant review panel (DB-1), a street-wide
standard with its date of effect, cases in every state, a convened panel meeting with this quarter's reviews
(DB-3), home visits (DB-4) and one applicant not yet visited or reviewed this quarter."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from committee import approvals, policy
from committee.models import Community, Household, Staff, StreetOffice
from dibao import services
from dibao.models import Case, Standard


def _s(code: str, suffix: str) -> Staff | None:
    return Staff.objects.filter(user__username=f"{code}.{suffix}").select_related("user").first()


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    from meetings import services as mtg

    street = StreetOffice.objects.filter(code="changan").first()
    dept = Staff.objects.filter(user__username="street.dept").select_related("user").first()
    if street is None or dept is None:
        return
    today = timezone.localdate()
    if not Standard.objects.filter(street_office=street).exists():
        services.set_standard(street_office=street, amount="1450.00", effective_from=dt.date(today.year, 1, 1),
                              reason="本年度城市低保标准", acting_user=dept.user)
    for community in Community.objects.filter(street_office=street).order_by("pk"):
        if services.panel_of(community) is not None:
            continue
        officer, director, civil = _s(community.code, "dibao"), _s(community.code, "director"), _s(community.code,
                                                                                                    "civil")
        if officer is None or director is None or civil is None:
            continue
        user = officer.user
        body = services.create_panel(community, acting_user=user)
        start = dt.date(today.year - 1, 1, 1)
        for staff, cat in ((director, "director"), (civil, "civil_affairs"), (officer, "officer")):
            services.add_panel_member(body, category=cat, staff=staff, start=start, acting_user=user)
        for name, cat in (("刘志明", "resident"), ("陈秀兰", "resident"), ("王桂芳", "resident"),
                          ("赵建军", "resident"), ("物业 孙经理", "property")):
            services.add_panel_member(body, category=cat, name=name, start=start, acting_user=user)
        households = [hh for hh in Household.objects.filter(community=community).prefetch_related("members")
                      .order_by("pk") if hh.members.filter(moved_out_on__isnull=True).exists()][:7]
        cases = []
        for i, hh in enumerate(households):
            case = services.open_case(household=hh, assets="无机动车；自住房一套", acting_user=user)
            for j, person in enumerate(hh.members.filter(moved_out_on__isnull=True).order_by("pk")):
                relation = person.relation or ("head" if j == 0 else "other")
                if j > 0 and relation == "head":
                    relation = "other"
                services.add_member(case, person=person, relation=relation if j else "head",
                                    wage="600.00" if j == 0 and i % 2 == 0 else "0",
                                    pension="900.00" if j == 0 and i % 2 else "0", acting_user=user)
            cases.append(case)
        if len(cases) < 7:
            continue
        meeting = mtg.create_meeting(body, title="低保评审小组月度评审会", date=today, place="社区会议室",
                                     chair=director, recorder=officer, acting_user=user)
        keys = [p["key"] for p in mtg.expected_participants(meeting)]
        meeting = mtg.record_roll_call(meeting, {k: "present" for k in keys}, acting_user=user)
        n = meeting.present_count
        decisions = [("approve", "家庭人均收入低于本地低保标准，同意纳入保障"),
                     ("approve", "经入户调查情况属实，继续享受"),
                     ("suspend", "户主外出务工，收入情况待核实，暂停发放"),
                     ("reject", "家庭人均收入高于本地低保标准")]
        for case, (decision, reasons) in zip(cases[:4], decisions, strict=True):
            if decision == "reject":
                services.set_income(case.members.order_by("pk").first(), wage="6000.00", pension="0", other="0",
                                    acting_user=user)
            services.record_review(case, meeting=meeting, decision=decision, reasons=reasons, votes_for=n,
                                   acting_user=user)
        mtg.save_minutes(meeting, text="评审小组对本季度申请户和低保户逐户评议，表决结果见评审记录。", acting_user=user)
        mtg.close_minutes(meeting, acting_user=user)
        role = policy.committee_approver_role(community)
        approver = approvals.holders(role, community, today).exclude(pk=officer.pk).first()
        step = approvals.steps_for(meeting).filter(status="pending").first()
        if approver is not None and step is not None:
            approvals.decide(step.pk, acting_user=approver.user, approve=True)
        services.change_status(cases[5], to=Case.Status.UNDER_REVIEW, reason="申请材料齐全，提交评审",
                               acting_user=user)
        services.change_status(cases[6], to=Case.Status.ENDED, reason="户主已迁出本社区", acting_user=user)
        for case in cases[:3]:
            services.record_visit(case, visitors=f"{officer.name}、网格员", family_changes="",
                                  notes="家中情况与申报一致", acting_user=user)
        # cases[4] stays an applicant, neither visited nor reviewed this quarter: the worklist shows it.
        if stdout:
            stdout.write(f"dibao: {community.name}: panel, {len(cases)} cases, reviews, visits")
