"""SEAL-1 … SEAL-9 through the real services (no mocks of the project's own code)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee import approvals, reminders
from committee.models import Role
from seals import rules, services
from seals.models import Certificate, Handover, Seal, SealUse
from tests import factories as f
from tests.seals.conftest import approve_all, major_decision

pytestmark = pytest.mark.django_db


def _use(seal, staff, **kw):
    kw.setdefault("use_kind", "notice")
    kw.setdefault("matter", "停水通知")
    return services.request_use(seal=seal, acting_user=staff.user, **kw)


# --- SEAL-1 ----------------------------------------------------------------------------------------------


def test_seal_1_a_seal_has_a_custodian_with_the_role_and_a_fixed_place(community_a, supervisor, staff_a):
    with pytest.raises(ValidationError, match="印章保管人|seal custodian"):
        services.create_seal(community=community_a, kind="committee", name="章", place="柜", custodian=staff_a,
                             issued_on=dt.date(2024, 1, 1), acting_user=supervisor.user)
    with pytest.raises(ValidationError):
        services.create_seal(community=community_a, kind="committee", name="章", place="",
                             issued_on=dt.date(2024, 1, 1), acting_user=supervisor.user)
    assert not Seal.objects.exists()


def test_seal_1_only_the_street_office_issues_a_seal(community_a, director_a):
    with pytest.raises(ValidationError, match="SEAL-1"):
        services.create_seal(community=community_a, kind="committee", name="章", place="柜",
                             issued_on=dt.date(2024, 1, 1), acting_user=director_a.user)


def test_seal_1_only_the_custodian_stamps_never_the_approver_or_requester(seal_a, staff_a, director_a, custodian_a):
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    for other in (staff_a, director_a):
        with pytest.raises(ValidationError, match="SEAL-1"):
            services.stamp(use, acting_user=other.user)
    use.refresh_from_db()
    assert use.status == SealUse.Status.APPROVED and use.stamped_at is None
    services.stamp(use, acting_user=custodian_a.user)
    use.refresh_from_db()
    assert use.status == SealUse.Status.STAMPED and use.stamped_by == custodian_a


def test_seal_1_a_custodian_whose_role_ended_cannot_stamp(seal_a, staff_a, director_a, custodian_a):
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    custodian_a.roles.update(end=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="SEAL-1"):
        services.stamp(use, acting_user=custodian_a.user)


def test_seal_1_there_is_no_lend_action():
    import re

    from django.urls import get_resolver

    lend = re.compile(r"(^|_)lend")
    assert not [name for name in dir(services) if lend.search(name.lower())]
    assert not [name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("seals") and lend.search(name)]


# --- SEAL-2 / SEAL-3 / SEAL-4 / CTL-2 ---------------------------------------------------------------------


def test_seal_2_the_register_entry_is_complete_and_numbered_per_community_and_year(seal_a, staff_a, director_a,
                                                                                   custodian_a, resident_a):
    first = _use(seal_a, staff_a)
    second = _use(seal_a, staff_a, use_kind="residence", matter="居住证明", resident=resident_a, address="1号楼")
    assert (first.seq, second.seq) == (1, 2)
    assert second.number == f"用印-{timezone.localdate().year}-0002"
    approve_all(second, director_a)
    services.stamp(second, acting_user=custodian_a.user, copies=2)
    second.refresh_from_db()
    assert (second.requester, second.resident, second.approved_by, second.stamped_by, second.copies) == (
        staff_a, resident_a, director_a, custodian_a, 2)
    assert second.address == "1号楼" and second.stamped_at is not None


def test_seal_3_a_use_not_on_the_list_is_refused(seal_a, staff_a):
    with pytest.raises(ValidationError, match="SEAL-3"):
        _use(seal_a, staff_a, use_kind="lend_to_a_friend")
    assert not SealUse.objects.exists()


def test_seal_4_a_routine_use_is_approved_by_the_director(seal_a, staff_a):
    use = _use(seal_a, staff_a)
    assert [s.role_required for s in approvals.steps_for(use)] == [Role.DIRECTOR]


def test_org_3_seal_uses_go_to_the_party_secretary_where_the_policy_says_so(seal_a, staff_a, director_a,
                                                                             secretary_a, supervisor, street):
    from committee import policy

    policy.set_value(street_office=street, community=None, key="org.committee_approver", raw="party_secretary",
                     reason="按第五篇由书记审批", acting_user=supervisor.user)
    seal_a.community.__dict__.pop("_policy_cache", None)
    use = _use(seal_a, staff_a)
    step = approvals.steps_for(use).get()
    assert step.role_required == Role.PARTY_SECRETARY
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    approvals.decide(step.pk, acting_user=secretary_a.user, approve=True)
    use.refresh_from_db()
    assert use.status == SealUse.Status.APPROVED
    # the approver's own request goes to the street office (CTL-2)
    own = _use(seal_a, secretary_a)
    assert approvals.steps_for(own).get().role_required == Role.DEPARTMENT_HEAD


def test_seal_4_a_use_outside_the_list_needs_the_street_office_first(seal_a, staff_a, director_a, supervisor):
    use = _use(seal_a, staff_a, use_kind="outside", matter="为企业出具证明")
    assert [s.role_required for s in approvals.steps_for(use).order_by("step")] == [Role.DEPARTMENT_HEAD,
                                                                                   Role.DIRECTOR]
    step2 = approvals.steps_for(use).order_by("step").last()
    with pytest.raises(ValidationError):
        approvals.decide(step2.pk, acting_user=director_a.user, approve=True)
    approve_all(use, supervisor, director_a)
    use.refresh_from_db()
    assert use.status == SealUse.Status.APPROVED


def test_seal_4_a_major_use_without_a_decision_is_refused(seal_a, staff_a):
    with pytest.raises(ValidationError, match="SEAL-4"):
        _use(seal_a, staff_a, use_kind="agreement", matter="共建协议", major=True)
    assert not SealUse.objects.exists()


def test_seal_4_a_major_use_with_a_convened_meetings_decision(seal_a, staff_a, director_a, secretary_a):
    decision = major_decision(seal_a.community, staff_a.user, approver=director_a)
    use = _use(seal_a, staff_a, use_kind="agreement", matter="共建协议", major=True, decision=decision)
    assert use.decision == decision


def test_seal_4_a_decision_of_a_meeting_not_convened_is_refused(seal_a, staff_a, director_a):
    decision = major_decision(seal_a.community, staff_a.user, close=False)
    with pytest.raises(ValidationError, match="MTG-6"):
        _use(seal_a, staff_a, use_kind="agreement", matter="共建协议", major=True, decision=decision)


def test_seal_4_another_communitys_decision_is_refused(seal_a, staff_a, community_b, staff_b, director_b):
    decision = major_decision(community_b, staff_b.user, approver=director_b)
    with pytest.raises(ValidationError, match="SEAL-4"):
        _use(seal_a, staff_a, use_kind="agreement", matter="共建协议", major=True, decision=decision)


def test_ctl_2_nobody_approves_their_own_request_the_director_s_goes_to_the_street(seal_a, director_a, supervisor):
    use = _use(seal_a, director_a)
    step = approvals.steps_for(use).get()
    assert step.role_required == Role.DEPARTMENT_HEAD
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    approvals.decide(step.pk, acting_user=supervisor.user, approve=True)


def test_ctl_2_the_custodian_never_approves_a_use_of_the_seal_they_keep(seal_a, staff_a, community_a, custodian_a):
    from committee.models import RoleAssignment

    RoleAssignment.objects.create(staff=custodian_a, role=Role.DIRECTOR, start=dt.date(2020, 1, 1),
                                  community=community_a)
    use = _use(seal_a, staff_a)
    with pytest.raises(ValidationError, match="CTL-2"):
        approve_all(use, custodian_a)


def test_seal_4_a_refused_use_cannot_be_stamped(seal_a, staff_a, director_a, custodian_a):
    use = _use(seal_a, staff_a)
    step = approvals.steps_for(use).get()
    approvals.decide(step.pk, acting_user=director_a.user, approve=False, comment="不符合")
    with pytest.raises(ValidationError, match="SEAL-4"):
        services.stamp(use, acting_user=custodian_a.user)


def test_seal_2_a_use_is_asked_by_the_seals_own_community(seal_a, staff_b):
    with pytest.raises(ValidationError, match="SEAL-2"):
        _use(seal_a, staff_b)


def test_register_use_links_another_chapters_record(seal_a, staff_a, community_a):
    use = services.register_use(community=community_a, matter="考勤表加盖公章", source=staff_a, acting_user=staff_a.user)
    assert use.source == staff_a and use.seal == seal_a


# --- SEAL-5 -----------------------------------------------------------------------------------------------


def test_seal_5_certificate_generated_registered_numbered_without_gaps(seal_a, staff_a, director_a, custodian_a,
                                                                       resident_a, community_a):
    c1 = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="入学",
                                      acting_user=staff_a.user)
    c2 = services.request_certificate(community=community_a, person=resident_a, kind="alive", purpose="领取养老金",
                                      acting_user=staff_a.user)
    assert resident_a.name in c1.body and resident_a.id_number in c1.body
    assert c1.use.resident == resident_a and c1.use.use_kind == "residence"
    # the first is refused: no number is spent on it
    approvals.decide(approvals.steps_for(c1.use).get().pk, acting_user=director_a.user, approve=False, comment="材料不全")
    approve_all(c2.use, director_a)
    services.stamp(c2.use, acting_user=custodian_a.user)
    c1.refresh_from_db()
    c2.refresh_from_db()
    assert c1.seq is None and c1.status == Certificate.Status.REFUSED
    assert c2.seq == 1 and c2.status == Certificate.Status.ISSUED and c2.issued_on == timezone.localdate()


def test_seal_5_a_second_certificate_number_is_impossible(seal_a, staff_a, director_a, custodian_a, resident_a,
                                                          community_a):
    from django.db import IntegrityError, transaction

    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="入学",
                                     acting_user=staff_a.user)
    approve_all(c.use, director_a)
    services.stamp(c.use, acting_user=custodian_a.user)
    c.refresh_from_db()
    with pytest.raises(ValidationError, match="SEAL-4"):
        services.stamp(c.use, acting_user=custodian_a.user)
    other = services.request_certificate(community=community_a, person=resident_a, kind="alive", purpose="x",
                                         acting_user=staff_a.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=other.pk).update(year=c.year, seq=c.seq)


def test_seal_5_a_person_of_another_community_gets_no_certificate(seal_a, staff_a, community_a, resident_b):
    with pytest.raises(ValidationError, match="SEAL-3"):
        services.request_certificate(community=community_a, person=resident_b, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    assert not Certificate.objects.exists() and not SealUse.objects.exists()


def test_seal_5_a_moved_out_person_gets_the_residence_history_only(seal_a, staff_a, community_a, resident_a):
    resident_a.moved_out_on = dt.date(2025, 3, 1)
    resident_a.save()
    with pytest.raises(ValidationError, match="SEAL-3"):
        services.request_certificate(community=community_a, person=resident_a, kind="alive", purpose="x",
                                     acting_user=staff_a.user)
    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    assert "迁出" in c.body and "2025年03月01日" in c.body


def test_seal_5_the_street_office_edits_the_template(seal_a, staff_a, supervisor, community_a, resident_a):
    with pytest.raises(ValidationError):
        services.save_template(street_office=community_a.street_office, kind="residence", title="居住证明",
                               body="x", validity_days=30, acting_user=staff_a.user)
    services.save_template(street_office=community_a.street_office, kind="residence", title="居民居住证明",
                           body="兹证明{name}居住于{address}。{name.__class__}", validity_days=30,
                           acting_user=supervisor.user)
    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    assert c.title == "居民居住证明" and c.validity_days == 30
    assert c.body.startswith(f"兹证明{resident_a.name}") and "{name.__class__}" in c.body


def test_seal_5_a_certificate_is_voided_with_a_reason_never_deleted(seal_a, staff_a, director_a, custodian_a,
                                                                     resident_a, community_a):
    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    approve_all(c.use, director_a)
    services.stamp(c.use, acting_user=custodian_a.user)
    with pytest.raises(ValidationError, match="CTL-5"):
        services.void_certificate(c, reason=" ", acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.void_certificate(c, reason="错误", acting_user=staff_a.user)
    services.void_certificate(c, reason="信息有误", acting_user=director_a.user)
    c.refresh_from_db()
    assert c.status == Certificate.Status.VOID and c.void_reason == "信息有误"
    with pytest.raises(ValidationError):
        c.delete()


def test_seal_5_a_reprint_is_a_copy(seal_a, staff_a, director_a, custodian_a, resident_a, community_a):
    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.record_print(c, acting_user=staff_a.user)  # not stamped yet
    approve_all(c.use, director_a)
    services.stamp(c.use, acting_user=custodian_a.user)
    assert services.record_print(c, acting_user=staff_a.user) is False
    assert services.record_print(c, acting_user=staff_a.user) is True


# --- SEAL-6 -----------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_seal_6_the_7th_working_day_across_the_national_day_holiday(seal_a, director_a, community_a):
    new = f.staff(community_a, "新保管", [Role.SEAL_CUSTODIAN])
    h = services.start_handover(seal=seal_a, took_office_on=dt.date(2026, 9, 29), new_custodian=new,
                                acting_user=director_a.user)
    # 9-30, (10-1 … 10-7 National Day), 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13, 10-14
    assert h.due_on == dt.date(2026, 10, 14)
    states = {d: [r.state for r in reminders.collect([community_a], d) if r.rule == "SEAL-6"]
              for d in (dt.date(2026, 10, 14), dt.date(2026, 10, 15))}
    assert states == {dt.date(2026, 10, 14): ["due"], dt.date(2026, 10, 15): ["overdue"]}


def test_seal_6_both_sides_act_and_the_giver_never_confirms_receipt(seal_a, director_a, custodian_a, community_a):
    new = f.staff(community_a, "新保管", [Role.SEAL_CUSTODIAN])
    h = services.start_handover(seal=seal_a, took_office_on=timezone.localdate(), new_custodian=new,
                                acting_user=director_a.user)
    with pytest.raises(ValidationError, match="SEAL-6"):
        services.receive(h, acting_user=new.user)
    services.hand_over(h, acting_user=custodian_a.user)
    seal_a.refresh_from_db()
    assert seal_a.status == Seal.Status.HANDED_OVER
    with pytest.raises(ValidationError, match="CTL-2"):
        services.receive(h, acting_user=custodian_a.user)
    services.receive(h, acting_user=new.user)
    seal_a.refresh_from_db()
    h.refresh_from_db()
    assert seal_a.status == Seal.Status.IN_USE and seal_a.custodian == new and h.done
    assert not [r for r in reminders.collect([community_a], timezone.localdate()) if r.rule == "SEAL-6"]


def test_seal_6_a_handed_over_seal_is_not_used_until_received(seal_a, director_a, custodian_a, staff_a, community_a):
    new = f.staff(community_a, "新保管", [Role.SEAL_CUSTODIAN])
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    h = services.start_handover(seal=seal_a, took_office_on=timezone.localdate(), new_custodian=new,
                                acting_user=director_a.user)
    services.hand_over(h, acting_user=custodian_a.user)
    with pytest.raises(ValidationError, match="SEAL-6"):
        _use(seal_a, staff_a)
    with pytest.raises(ValidationError, match="SEAL-6"):
        services.stamp(use, acting_user=custodian_a.user)
    services.receive(h, acting_user=new.user)
    services.stamp(use, acting_user=new.user)


# --- SEAL-7 / SEAL-8 ----------------------------------------------------------------------------------------


def test_seal_8_a_use_one_minute_after_the_loss_report_is_refused(seal_a, staff_a, director_a, custodian_a,
                                                                  resident_a, community_a):
    before = _use(seal_a, staff_a)
    cert = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                        acting_user=staff_a.user)
    approve_all(before, director_a)
    approve_all(cert.use, director_a)
    services.stamp(before, acting_user=custodian_a.user)
    at = timezone.now()
    with time_machine.travel(at, tick=False):
        services.report_loss(seal_a, circumstances="办公室被盗", acting_user=custodian_a.user)
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError, match="SEAL-8"):
            services.stamp(cert.use, acting_user=custodian_a.user)
        with pytest.raises(ValidationError, match="SEAL-8"):
            _use(seal_a, staff_a)
    cert.refresh_from_db()
    before.refresh_from_db()
    assert cert.seq is None and cert.status == Certificate.Status.APPROVED  # never issued
    assert before.status == SealUse.Status.STAMPED  # what was stamped before stays valid
    seal_a.refresh_from_db()
    assert seal_a.status == Seal.Status.LOST and seal_a.void_from == at


def test_seal_8_a_loss_needs_the_circumstances(seal_a, custodian_a):
    with pytest.raises(ValidationError):
        services.report_loss(seal_a, circumstances="", acting_user=custodian_a.user)
    seal_a.refresh_from_db()
    assert seal_a.status == Seal.Status.IN_USE


def test_seal_8_the_notice_runs_at_least_30_days_both_ends_included(seal_a, custodian_a, supervisor, community_a):
    services.report_loss(seal_a, circumstances="遗失", acting_user=custodian_a.user)
    assert [r.rule for r in reminders.collect([community_a], timezone.localdate()) if r.rule == "SEAL-8"]
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="30"):
        services.record_notice(seal_a, posted_from=today, posted_until=today + dt.timedelta(days=28),
                               acting_user=supervisor.user)
    with pytest.raises(ValidationError):
        services.record_notice(seal_a, posted_from=today, posted_until=today + dt.timedelta(days=29),
                               acting_user=custodian_a.user)  # the street office posts it
    n = services.record_notice(seal_a, posted_from=today, posted_until=today + dt.timedelta(days=29),
                               acting_user=supervisor.user)
    assert "遗失" in n.text and "作废" in n.text
    assert not [r for r in reminders.collect([community_a], today) if r.rule == "SEAL-8"]


def test_seal_7_the_street_office_issues_the_new_seal_and_collects_the_old(seal_a, supervisor, director_a,
                                                                           custodian_a, staff_a):
    with pytest.raises(ValidationError):
        services.replace_seal(seal_a, name="新章", place="柜", issued_on=timezone.localdate(), custodian=custodian_a,
                              collected_on=timezone.localdate(), acting_user=director_a.user)
    with pytest.raises(ValidationError, match="SEAL-7"):
        services.replace_seal(seal_a, name="新章", place="柜", issued_on=timezone.localdate(), custodian=custodian_a,
                              collected_on=None, acting_user=supervisor.user)
    new = services.replace_seal(seal_a, name="新章", place="柜", issued_on=timezone.localdate(),
                                custodian=custodian_a, collected_on=timezone.localdate(), acting_user=supervisor.user)
    seal_a.refresh_from_db()
    assert seal_a.status == Seal.Status.REPLACED and seal_a.collected_on == timezone.localdate()
    assert new.replaces == seal_a and new.usable
    with pytest.raises(ValidationError, match="SEAL-7"):
        _use(seal_a, staff_a)
    _use(new, staff_a)


# --- verification, masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("王", "王"),
                                              ("𠮷野家", "𠮷*家")])
def test_the_public_page_masks_the_name(name, masked):
    assert rules.mask_name(name) == masked


def test_verify_states(seal_a, staff_a, director_a, custodian_a, resident_a, community_a):
    c = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="x",
                                     acting_user=staff_a.user)
    assert services.verify(c.code)["state"] == "unknown"  # not issued yet
    approve_all(c.use, director_a)
    services.stamp(c.use, acting_user=custodian_a.user)
    shown = services.verify(rules.format_code(c.code).lower())
    assert shown == {"state": "valid", "kind": "居住证明" if False else shown["kind"], "community": community_a.committee_name,
                     "date": timezone.localdate(), "holder": "王*"}
    services.void_certificate(c, reason="错误", acting_user=director_a.user)
    assert services.verify(c.code)["state"] == "voided"
    assert services.verify("ZZZZ-ZZZZ-ZZZZ") == {"state": "unknown"}
    assert services.verify("") == {"state": "unknown"}


def test_every_seal_model_keeps_history():
    from django.apps import apps

    assert all(hasattr(m, "history") for m in apps.get_app_config("seals").get_models()
               if not m.__name__.startswith("Historical"))


__all__ = ["Handover"]


def test_seal_4_the_inbox_card_of_a_use_says_the_seal_matter_and_copies(seal_a, staff_a, director_a):
    from tests.conftest import login

    _use(seal_a, staff_a, matter="致供电公司的联系函", copies=3)
    page = login(director_a).get("/inbox/").content.decode()
    assert "致供电公司的联系函" in page and seal_a.name in page and "用印" in page
