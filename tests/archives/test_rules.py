"""ARC-1 … ARC-6 through the services: filing, late entries, versions, checksums, loans, handover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from archives import rules, services
from archives.models import Category, Item, ItemFile, Loan
from committee.models import Role, RoleAssignment
from tests import factories as f
from tests.archives.conftest import file_one, text_pdf, upload

pytestmark = pytest.mark.django_db


def test_arc_1_the_categories_of_the_rule_book_are_the_policy_table():
    keys = list(Category.objects.values_list("key", flat=True))
    assert keys == [k for k, _ in rules.CATEGORIES]
    assert Category.objects.get(key="petitions").name == "信访登记"


def test_arc_1_an_item_is_filed_in_the_volume_of_its_category_and_year(community_a, archivist_a, cabinet_a):
    item = file_one(community_a, archivist_a, cabinet=cabinet_a, shelf="第2层", pages=3)
    again = file_one(community_a, archivist_a, title="第二件")
    assert item.volume == again.volume and (item.seq, again.seq) == (1, 2)
    assert item.volume.year == timezone.localdate().year and item.volume.category.key == "reports"
    assert item.number.endswith("-001") and item.cabinet == cabinet_a


def test_arc_1_only_the_archivist_files(community_a, staff_a, director_a):
    for who in (staff_a, director_a):
        with pytest.raises(ValidationError, match="ARC-1"):
            file_one(community_a, who)
    assert not Item.objects.exists()


def test_arc_4_a_cabinet_records_all_four_protections(community_a, archivist_a):
    with pytest.raises(ValidationError) as e:
        services.save_cabinet(community=community_a, name="2号柜", place="档案室", fire="灭火器", light="",
                              damp="", theft="锁", acting_user=archivist_a.user)
    assert set(e.value.error_dict) == {"light", "damp"}


def test_arc_3_a_late_entry_into_a_closed_year_needs_its_reason(community_a, archivist_a):
    today = timezone.localdate()
    old = today.year - 2  # its deadline (end of March of the next year) has passed
    with pytest.raises(ValidationError) as e:
        file_one(community_a, archivist_a, year=old)
    assert "late_reason" in e.value.error_dict and "ARC-3" in str(e.value)
    assert not Item.objects.exists()
    item = file_one(community_a, archivist_a, year=old, late_reason="搬迁时找到")
    assert item.late and item.late_reason == "搬迁时找到"
    assert not file_one(community_a, archivist_a, title="今年").late


def test_arc_2_the_filing_deadline_is_the_end_of_march_of_the_next_year():
    assert rules.filing_deadline(2025, 3) == dt.date(2026, 3, 31)
    assert not rules.year_closed(2025, dt.date(2026, 3, 31), 3)
    assert rules.year_closed(2025, dt.date(2026, 4, 1), 3)


def test_arc_3_the_original_is_never_replaced_only_new_versions(community_a, archivist_a):
    item = file_one(community_a, archivist_a, upload_file=upload())
    original = item.files.get()
    with pytest.raises(ValidationError) as e:
        services.add_version(item, upload=upload("v2.pdf", text_pdf("second")), note="", acting_user=archivist_a.user)
    assert "note" in e.value.error_dict
    v2 = services.add_version(item, upload=upload("v2.pdf", text_pdf("second")), note="补全签字页",
                              acting_user=archivist_a.user)
    original.refresh_from_db()
    assert (original.version, v2.version) == (1, 2) and original.file.name != v2.file.name
    assert original.file_sha256 and original.file_sha256 != v2.file_sha256
    with pytest.raises(ValidationError):
        original.delete()


def test_ctl_7_an_html_file_named_pdf_is_refused_and_nothing_saved(community_a, archivist_a):
    with pytest.raises(ValidationError) as e:
        file_one(community_a, archivist_a, upload_file=upload("evil.pdf", b"<html><script>alert(1)</script></html>"))
    assert "upload" in e.value.error_dict and "CTL-7" in str(e.value)
    assert not Item.objects.exists() and not ItemFile.objects.exists()


def test_ctl_7_an_upload_over_the_limit_is_refused(community_a, archivist_a):
    big = upload("big.pdf", text_pdf() + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="CTL-7"):
        file_one(community_a, archivist_a, upload_file=big)
    assert not Item.objects.exists()


def test_search_text_of_a_pdf_is_extracted_at_filing(community_a, archivist_a):
    item = file_one(community_a, archivist_a, upload_file=upload(content=text_pdf("Budget of the year")))
    assert "Budget of the year" in item.text


def test_a_tampered_file_fails_its_checksum_and_is_recorded(community_a, archivist_a):
    item = file_one(community_a, archivist_a, upload_file=upload())
    stored = item.files.get()
    assert services.verify_file(stored, acting_user=archivist_a.user)
    with open(stored.file.path, "ab") as handle:
        handle.write(b"tampered")
    assert not services.verify_file(stored, acting_user=archivist_a.user)
    failure = stored.failures.get()
    assert failure.expected == stored.file_sha256 and failure.found != stored.file_sha256


def test_arc_5_lend_once_return_then_lend_again(community_a, archivist_a, staff_a):
    item = file_one(community_a, archivist_a)
    today = timezone.localdate()
    loan = services.lend(item, borrower=staff_a, purpose="查阅", due_on=today + dt.timedelta(days=7),
                         acting_user=archivist_a.user)
    assert loan.borrower_name == staff_a.name and loan.lent_on == today
    with pytest.raises(ValidationError, match="ARC-5"):
        services.lend(item, borrower_name="王五", purpose="复印", due_on=today, acting_user=archivist_a.user)
    services.return_loan(loan, acting_user=archivist_a.user)
    with pytest.raises(ValidationError):
        services.return_loan(loan, acting_user=archivist_a.user)
    services.lend(item, borrower_name="王五", borrower_unit="区档案馆", purpose="复印", due_on=today,
                  acting_user=archivist_a.user)
    assert Loan.objects.filter(item=item).count() == 2


def test_arc_5_a_due_date_before_the_loan_date_is_refused(community_a, archivist_a):
    item = file_one(community_a, archivist_a)
    with pytest.raises(ValidationError) as e:
        services.lend(item, borrower_name="王五", purpose="复印", due_on=timezone.localdate() - dt.timedelta(days=1),
                      acting_user=archivist_a.user)
    assert "due_on" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.lend(item, borrower_name="王五", purpose="复印", due_on=dt.date(9999, 1, 1),
                      acting_user=archivist_a.user)
    assert "due_on" in e.value.error_dict
    assert not Loan.objects.exists()


def test_arc_5_the_director_lends_other_staff_do_not(community_a, archivist_a, director_a, staff_a):
    item = file_one(community_a, archivist_a)
    due = timezone.localdate()
    with pytest.raises(ValidationError, match="ARC-5"):
        services.lend(item, borrower_name="王五", purpose="复印", due_on=due, acting_user=staff_a.user)
    services.lend(item, borrower_name="王五", purpose="复印", due_on=due, acting_user=director_a.user)


def test_arc_5_overdue_loans_are_on_the_dashboard(community_a, archivist_a):
    from archives import reminders

    item = file_one(community_a, archivist_a)
    today = timezone.localdate()
    loan = services.lend(item, borrower_name="王五", purpose="复印", due_on=today, acting_user=archivist_a.user)
    assert [r.state for r in reminders.loans_due([community_a], today)] == ["due"]
    assert [r.state for r in reminders.loans_due([community_a], today + dt.timedelta(days=1))] == ["overdue"]
    services.return_loan(loan, acting_user=archivist_a.user)
    assert list(reminders.loans_due([community_a], today + dt.timedelta(days=1))) == []


def test_arc_2_last_years_filing_due_until_end_of_march_overdue_after(community_a, archivist_a):
    from archives import reminders

    [r] = reminders.last_year_filing([community_a], dt.date(2027, 1, 5))
    assert (r.state, r.due, r.rule) == ("due", dt.date(2027, 3, 31), "ARC-2")
    [r] = reminders.last_year_filing([community_a], dt.date(2027, 4, 1))
    assert r.state == "overdue"


def test_arc_2_the_year_recorded_as_filed_leaves_the_dashboard(community_a, archivist_a):
    from archives import reminders

    last = timezone.localdate().year - 1
    services.record_year_filed(community=community_a, year=last, acting_user=archivist_a.user)
    assert list(reminders.last_year_filing([community_a], timezone.localdate())) == []
    with pytest.raises(ValidationError):
        services.record_year_filed(community=community_a, year=timezone.localdate().year, acting_user=archivist_a.user)


def _new_archivist(community):
    today = timezone.localdate()
    return f.staff(community, "新档案员", [Role.ARCHIVIST], start=today)


def test_arc_6_the_new_archivist_files_only_after_both_signed(community_a, archivist_a, director_a, staff_a):
    item = file_one(community_a, archivist_a)
    services.lend(item, borrower_name="王五", purpose="复印", due_on=timezone.localdate(), acting_user=archivist_a.user)
    new = _new_archivist(community_a)
    assert not services.archive_rights(new, community_a)  # someone held the role before: a handover first
    h = services.start_handover(community=community_a, outgoing=archivist_a, incoming=new, acting_user=director_a.user)
    assert (h.volumes, h.items, h.on_loan) == (1, 1, 1) and h.inventory_sha256
    with pytest.raises(ValidationError, match="ARC-6"):
        services.sign_handover(h, acting_user=staff_a.user)  # not a side of the handover
    services.sign_handover(h, acting_user=new.user)
    assert not services.archive_rights(new, community_a)
    with pytest.raises(ValidationError, match="ARC-1"):
        file_one(community_a, new)
    services.sign_handover(h, acting_user=archivist_a.user)
    assert services.archive_rights(new, community_a)
    file_one(community_a, new, title="新档案员立卷")


def test_arc_6_a_signer_who_does_not_hold_the_role_is_refused(community_a, archivist_a, director_a):
    new = _new_archivist(community_a)
    h = services.start_handover(community=community_a, outgoing=archivist_a, incoming=new, acting_user=director_a.user)
    RoleAssignment.objects.filter(staff=new).update(end=timezone.localdate() - dt.timedelta(days=1),
                                                    start=timezone.localdate() - dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="ARC-6"):
        services.sign_handover(h, acting_user=new.user)
    h.refresh_from_db()
    assert h.incoming_signed_at is None


def test_arc_6_a_handover_to_someone_without_the_role_is_refused(community_a, archivist_a, director_a, staff_a):
    with pytest.raises(ValidationError) as e:
        services.start_handover(community=community_a, outgoing=archivist_a, incoming=staff_a,
                                acting_user=director_a.user)
    assert "incoming" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.start_handover(community=community_a, outgoing=staff_a, incoming=archivist_a,
                                acting_user=director_a.user)
    assert "outgoing" in e.value.error_dict


def test_arc_6_the_handover_registers_its_seal_use(community_a, archivist_a, director_a, supervisor):
    from seals import services as seals
    from seals.models import SealUse

    custodian = f.staff(community_a, "保管员", [Role.SEAL_CUSTODIAN])
    seals.create_seal(community=community_a, kind="committee", name="甲社区居民委员会", place="柜",
                      issued_on=dt.date(2024, 1, 1), custodian=custodian, acting_user=supervisor.user)
    new = _new_archivist(community_a)
    h = services.start_handover(community=community_a, outgoing=archivist_a, incoming=new, acting_user=director_a.user)
    use = SealUse.objects.get()
    assert h.seal_reference == use.number and seals.entry_for(h) == use and use.use_kind == "statistics"


def test_attack_a_leaver_neither_files_nor_lends(community_a, archivist_a):
    item = file_one(community_a, archivist_a)
    RoleAssignment.objects.filter(staff=archivist_a).update(end=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="ARC-1"):
        file_one(community_a, archivist_a, title="离任后")
    with pytest.raises(ValidationError, match="ARC-5"):
        services.lend(item, borrower_name="王五", purpose="复印", due_on=timezone.localdate(),
                      acting_user=archivist_a.user)


def test_attack_far_years_and_one_person_on_both_sides_of_a_handover(community_a, archivist_a, director_a):
    with pytest.raises(ValidationError) as e:
        file_one(community_a, archivist_a, year=9999, date=timezone.localdate())
    assert "year" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.start_handover(community=community_a, outgoing=archivist_a, incoming=archivist_a,
                                acting_user=director_a.user)
    assert "incoming" in e.value.error_dict
    new = _new_archivist(community_a)
    h = services.start_handover(community=community_a, outgoing=archivist_a, incoming=new, acting_user=director_a.user)
    services.sign_handover(h, acting_user=archivist_a.user)
    with pytest.raises(ValidationError):
        services.sign_handover(h, acting_user=archivist_a.user)  # the outgoing cannot sign the incoming's part


def test_attack_another_communitys_cabinet_is_refused(community_a, community_b, archivist_a):
    b_archivist = f.staff(community_b, "乙档案员", [Role.ARCHIVIST])
    cabinet_b = services.save_cabinet(community=community_b, name="乙柜", place="室", fire="有", light="有",
                                      damp="有", theft="有", acting_user=b_archivist.user)
    with pytest.raises(ValidationError) as e:
        file_one(community_a, archivist_a, cabinet=cabinet_b)
    assert "cabinet" in e.value.error_dict and not Item.objects.filter(community=community_a).exists()
