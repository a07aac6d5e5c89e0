"""Minutes: written after the roll call, sent for approval, final once approved (CTL-5), never approved by
their preparer (CTL-2); attachments; the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from committee import approvals
from meetings import services
from meetings.models import Meeting, MinutesCorrection
from tests.conftest import login
from tests.meetings.conftest import approve_minutes, held_meeting

DAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False):
        yield


def test_minutes_need_a_held_meeting(committee_a, director_a):
    m = services.create_meeting(committee_a, title="会议", date=DAY, acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.save_minutes(m, text="纪要", acting_user=director_a.user)


def test_mtg_6_minutes_required_then_approved_by_the_committee_approver(reps_a, director_a, staff_a):
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=staff_a)
    with pytest.raises(ValidationError, match="MTG-6"):
        services.close_minutes(m, acting_user=staff_a.user)
    services.save_minutes(m, text="会议纪要正文", acting_user=staff_a.user)
    m = services.close_minutes(m, acting_user=staff_a.user)
    assert m.status == Meeting.Status.SUBMITTED and not m.convened
    [step] = approvals.steps_for(m)
    approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    m.refresh_from_db()
    assert m.status == Meeting.Status.CLOSED and m.convened and m.closed_at


def test_ctl_2_the_recorder_never_approves_the_minutes(reps_a, director_a, staff_a):
    """The director was the recorder (prepared the minutes) and a member sent them: the director may not
    approve them through the approval view, although the director holds the approving role."""
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=director_a)
    services.save_minutes(m, text="纪要", acting_user=staff_a.user)
    services.close_minutes(m, acting_user=staff_a.user)
    [step] = approvals.steps_for(m)
    r = login(director_a).post(f"/approvals/{step.pk}/decide/", {"decision": "approve", "next": m.get_absolute_url()},
                               follow=True)
    assert r.status_code == 200
    step.refresh_from_db()
    m.refresh_from_db()
    assert (step.status, m.status) == ("pending", Meeting.Status.SUBMITTED)
    assert "CTL-2" in r.content.decode()


def test_ctl_2_whoever_sends_the_minutes_is_a_preparer(reps_a, director_a, staff_a):
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=staff_a)
    services.save_minutes(m, text="纪要", acting_user=director_a.user)
    services.close_minutes(m, acting_user=director_a.user)
    [step] = approvals.steps_for(m)
    assert set(step.preparers.values_list("pk", flat=True)) == {staff_a.pk, director_a.pk}
    with pytest.raises(ValidationError, match="CTL-2|ORG-3"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)


def test_ctl_5_approved_minutes_are_never_edited(reps_a, director_a, staff_a):
    m = approve_minutes(held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=staff_a), text="原文")
    with pytest.raises(ValidationError, match="CTL-5"):
        services.save_minutes(m, text="改后", acting_user=staff_a.user)
    r = login(staff_a).post(f"/meetings/{m.pk}/minutes/", {"minutes": "改后", "reason": "更正错别字"})
    assert r.status_code == 200 and "CTL-5" in r.content.decode()
    m.refresh_from_db()
    assert m.minutes == "原文" and not MinutesCorrection.objects.filter(meeting=m).exists()
    with pytest.raises(ValidationError):
        services.record_decision(m, title="晚到的决定", votes_for=20, votes_against=0, votes_abstain=0,
                                 acting_user=director_a.user)


def test_ctl_5_minutes_waiting_for_approval_do_not_change_refused_ones_do(reps_a, director_a, staff_a):
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=staff_a)
    services.save_minutes(m, text="原文", acting_user=staff_a.user)
    services.close_minutes(m, acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="CTL-5"):
        services.save_minutes(m, text="改后", acting_user=staff_a.user)
    [step] = approvals.steps_for(m)
    approvals.decide(step.pk, acting_user=director_a.user, approve=False, comment="漏记表决结果")
    m.refresh_from_db()
    assert m.status == Meeting.Status.HELD
    services.save_minutes(m, text="改后", acting_user=staff_a.user)
    services.close_minutes(m, acting_user=staff_a.user)
    assert approvals.steps_for(m).filter(status="pending", round=2).count() == 1


def test_attachment_stored_and_downloaded_by_the_community_only(reps_a, director_a, staff_b):
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user)
    a = services.add_attachment(m, file=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 " + "签到".encode()), title="签到表",
                                acting_user=director_a.user)
    r = login(director_a).get(f"/meetings/attachments/{a.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 " + "签到".encode()
    assert login(staff_b).get(f"/meetings/attachments/{a.pk}/").status_code == 404


def test_minutes_pdf_text_and_cjk_font(reps_a, director_a):
    m = services.create_meeting(reps_a, title="2026年第一次居民代表会议", date=DAY, place="社区活动室",
                                chair=director_a, acting_user=director_a.user)
    keys = [p["key"] for p in services.expected_participants(m)]
    m = services.record_roll_call(m, {k: ("present" if i < 22 else "absent") for i, k in enumerate(keys)},
                                  acting_user=director_a.user)
    services.add_agenda_item(m, title="审议加装电梯方案", major=True, acting_user=director_a.user)
    services.record_decision(m, title="同意加装电梯", major=True, votes_for=18, votes_against=3, votes_abstain=1,
                             dissents=[("代表05", "低层住户反对")], acting_user=director_a.user)
    services.save_minutes(m, text="会议由主任主持。", acting_user=director_a.user)
    r = login(director_a).get(f"/meetings/{m.pk}/minutes.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in ("2026年第一次居民代表会议", "2026-03-10", "社区活动室", director_a.name, "审议加装电梯方案",
                     "同意加装电梯", "18", "代表05", "低层住户反对", "会议由主任主持", "代表01", "22"):
        assert expected in text.replace(" ", ""), expected
    fonts = [str(font.get_object()["/BaseFont"]) for p in reader.pages
             for font in p["/Resources"]["/Font"].values()]
    assert any("CJK" in name for name in fonts), fonts
