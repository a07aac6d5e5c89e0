"""The other chapters register their stamping through the seal register (SEAL-2): the attendance sheet
(ATT-9), the self-managed funds' receipts (FIN-7) and the resolutions of a representatives' meeting sent
with its minutes (A5 附件 一.1). A void seal refuses each of them and nothing is half-saved (SEAL-8)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attendance import services as att
from attendance.models import MonthlySheet
from committee.models import Role
from seals import services
from seals.models import SealUse
from tests import factories as f
from tests.conftest import login

from .conftest import approve_all, major_decision

APRIL_8 = dt.datetime(2026, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def keeper_a(community_a):
    return f.staff(community_a, "甲考勤员", [Role.ATTENDANCE_KEEPER])


def _send(community, keeper, **kw):
    return att.mark_sheet_sent(community=community, year=2026, month=3, sent_on=dt.date(2026, 4, 8),
                               acting_user=keeper.user, **kw)


def test_att_9_a_sheet_sent_without_a_number_registers_a_seal_use_linked_to_it(seal_a, keeper_a, director_a,
                                                                                client):
    with time_machine.travel(APRIL_8, tick=False):
        sheet = _send(seal_a.community, keeper_a)
        entry = SealUse.objects.get()
        assert sheet.seal_reference == entry.number == "用印-2026-0001"
        assert entry.source == sheet and entry.requester == keeper_a and entry.status == SealUse.Status.PENDING
        assert entry.matter == "2026年03月考勤表报送街道办事处"
        assert services.entry_for(sheet) == entry
        client.force_login(director_a.user)
        page = client.get("/attendance/month/2026/3/").content.decode()
    assert f'href="{entry.get_absolute_url()}"' in page


def test_att_9_a_lost_seal_refuses_the_sheet_and_saves_nothing(seal_a, keeper_a, custodian_a):
    with time_machine.travel(APRIL_8, tick=False):
        services.report_loss(seal_a, circumstances="办公室被盗", acting_user=custodian_a.user)
        with pytest.raises(ValidationError, match="SEAL-8"):
            _send(seal_a.community, keeper_a)
    assert not MonthlySheet.objects.exists()
    assert not SealUse.objects.exists()


@pytest.mark.parametrize("reference", ["用印-2026-0099", "随便写的", "用印-2026-0001=cmd|' /C calc'!A0"])
def test_att_9_a_number_not_in_this_communitys_register_is_refused(seal_a, keeper_a, reference):
    with time_machine.travel(APRIL_8, tick=False):
        with pytest.raises(ValidationError, match="SEAL-2"):
            _send(seal_a.community, keeper_a, seal_reference=reference)
    assert not MonthlySheet.objects.exists()


def test_att_9_another_communitys_entry_number_is_refused(seal_a, keeper_a, community_b, supervisor, staff_b):
    seal_b = services.create_seal(community=community_b, kind="committee", name="乙居委会", place="柜",
                                  issued_on=dt.date(2024, 1, 5),
                                  custodian=f.staff(community_b, "乙保管", [Role.SEAL_CUSTODIAN]),
                                  acting_user=supervisor.user)
    with time_machine.travel(APRIL_8, tick=False):
        other = services.request_use(seal=seal_b, use_kind="report_up", matter="乙考勤表", acting_user=staff_b.user)
        # A's own counter has no 0001 yet: B's 用印-2026-0001 must not be taken for it
        with pytest.raises(ValidationError, match="SEAL-2"):
            _send(seal_a.community, keeper_a, seal_reference=other.number)
    other.refresh_from_db()
    assert other.source is None and not MonthlySheet.objects.exists()


def test_att_9_a_withdrawn_entry_or_one_covering_another_record_is_refused(seal_a, keeper_a, staff_a):
    with time_machine.travel(APRIL_8, tick=False):
        withdrawn = services.request_use(seal=seal_a, use_kind="report_up", matter="考勤表", acting_user=staff_a.user)
        services.withdraw_use(withdrawn, acting_user=staff_a.user)
        with pytest.raises(ValidationError, match="SEAL-2"):
            _send(seal_a.community, keeper_a, seal_reference=withdrawn.number)
        taken = services.request_use(seal=seal_a, use_kind="report_up", matter="考勤表", acting_user=staff_a.user)
        services.link_or_register(community=seal_a.community, reference=taken.number, matter="x",
                                  source=staff_a, acting_user=staff_a.user)
        with pytest.raises(ValidationError, match="另一份记录"):
            _send(seal_a.community, keeper_a, seal_reference=taken.number)
    assert not MonthlySheet.objects.exists()


def test_att_9_an_old_free_text_reference_stays_readable(seal_a, keeper_a, director_a, client):
    sheet = MonthlySheet.objects.create(community=seal_a.community, year=2026, month=2, sent_on=dt.date(2026, 3, 5),
                                        sent_by=keeper_a, seal_reference="用印2026-031")
    with time_machine.travel(APRIL_8, tick=False):
        client.force_login(director_a.user)
        page = client.get("/attendance/month/2026/2/").content.decode()
    assert sheet.seal_reference in page and "/seals/register/?q=" in page


def test_att_9_a_community_without_seals_in_the_register_keeps_its_free_text(community_b, staff_b):
    keeper = f.staff(community_b, "乙考勤员", [Role.ATTENDANCE_KEEPER])
    with time_machine.travel(APRIL_8, tick=False):
        sheet = _send(community_b, keeper, seal_reference="用印2026-031")
    assert sheet.seal_reference == "用印2026-031" and not SealUse.objects.exists()


# --- FIN-7: receipts ---------------------------------------------------------------------------------------


def test_fin_7_a_receipt_registers_its_seal_use(seal_a, staff_a, director_a, custodian_a):
    from finance import services as fin

    receipt = fin.record_receipt(community=seal_a.community, source="donation", payer="张三", purpose="捐赠",
                                 amount="1409.50", acting_user=staff_a.user)
    entry = services.entry_for(receipt)
    assert entry.use_kind == "other_work" and entry.source == receipt
    assert "1,409.50" in entry.matter and "张三" in entry.matter
    approve_all(entry, director_a)
    services.stamp(entry, acting_user=custodian_a.user)
    entry.refresh_from_db()
    assert entry.status == SealUse.Status.STAMPED
    page = login(staff_a).get(receipt.get_absolute_url()).content.decode()
    assert f'href="{entry.get_absolute_url()}">{entry.number}</a>' in page  # the receipt links its entry


def test_fin_7_a_lost_seal_refuses_the_receipt_and_takes_no_number(seal_a, staff_a, custodian_a):
    from finance import services as fin
    from finance.models import Receipt, ReceiptCounter

    services.report_loss(seal_a, circumstances="遗失", acting_user=custodian_a.user)
    with pytest.raises(ValidationError, match="SEAL-8"):
        fin.record_receipt(community=seal_a.community, source="donation", payer="张三", purpose="捐赠",
                           amount="10.00", acting_user=staff_a.user)
    assert not Receipt.objects.exists() and not SealUse.objects.exists()
    assert not ReceiptCounter.objects.filter(last_number__gt=0).exists()


# --- the representatives' meeting's resolutions ----------------------------------------------------------


def test_seal_3_the_resolutions_of_a_representatives_meeting_are_registered_with_its_minutes(seal_a, staff_a,
                                                                                            director_a):
    decision = major_decision(seal_a.community, staff_a.user, approver=director_a)
    entry = services.entry_for(decision.meeting)
    assert entry.use_kind == "resolution" and entry.requester == staff_a
    assert SealUse.objects.count() == 1
    page = login(staff_a).get(decision.meeting.get_absolute_url()).content.decode()
    assert f'href="{entry.get_absolute_url()}">{entry.number}</a>' in page  # the meeting links its entry


def test_seal_8_a_lost_seal_refuses_sending_the_resolutions_and_the_minutes_stay_held(seal_a, staff_a,
                                                                                     custodian_a):
    from meetings.models import Meeting

    services.report_loss(seal_a, circumstances="遗失", acting_user=custodian_a.user)
    with pytest.raises(ValidationError, match="SEAL-8"):
        major_decision(seal_a.community, staff_a.user)
    assert Meeting.objects.get().status == Meeting.Status.HELD
    assert not SealUse.objects.exists()
