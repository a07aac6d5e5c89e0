"""Issue 9, meetings: every action says what happened and who acts next; irreversible actions ask first and
the server refuses a missing reason; the roll call's phone list; forms keep what was typed; the meetings
calendar (a month of meetings, with query counts)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages

from meetings import services
from meetings.models import Attendance, BodyKind, Meeting
from tests import factories as f
from tests.conftest import login
from tests.meetings.conftest import held_meeting, make_body

DAY = dt.date(2026, 3, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0), tick=False):
        yield


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_scheduling_a_meeting_says_when_and_that_the_roll_call_opens_on_the_day(reps_a, director_a):
    c = login(director_a)
    r = c.post(f"/meetings/bodies/{reps_a.pk}/meetings/new/", {
        "title": "第二次居民代表会议", "date": "2026-03-20", "start_time": "09:00", "place": "活动室"})
    assert r.status_code == 302
    [text] = _messages(r)
    assert "居民代表会议" in text and "2026-03-20 09:00" in text
    assert "点名" in text and "2026-03-20" in text  # who acts next and when
    page = c.get(r["Location"])
    assert "2026-03-20" in page.content.decode() and "点名" in page.context["next_step"]


def test_a_refused_meeting_form_keeps_what_was_typed(reps_a, director_a):
    r = login(director_a).post(f"/meetings/bodies/{reps_a.pk}/meetings/new/", {
        "title": "春季代表会议", "date": "1800-01-01", "place": "三楼会议室"})
    assert r.status_code == 200 and r.context["form"].errors["date"]
    html = r.content.decode()
    assert 'value="春季代表会议"' in html and 'value="三楼会议室"' in html
    assert not Meeting.objects.exists()


def test_cancelling_asks_first_and_the_server_refuses_a_missing_reason(reps_a, director_a):
    c = login(director_a)
    m = services.create_meeting(reps_a, title="代表会议", date=dt.date(2026, 3, 20), acting_user=director_a.user)
    page = c.get(f"/meetings/{m.pk}/").content.decode()
    assert 'data-dialog="dlg-cancel-meeting"' in page and '<dialog id="dlg-cancel-meeting"' in page
    assert 'name="reason"' in page
    r = c.post(f"/meetings/{m.pk}/cancel/", {"reason": "  "})
    m.refresh_from_db()
    assert m.status == Meeting.Status.PLANNED
    assert any("原因" in t for t in _messages(r))
    r = c.post(f"/meetings/{m.pk}/cancel/", {"reason": "主任外出开会"})
    m.refresh_from_db()
    assert (m.status, m.cancel_reason) == (Meeting.Status.CANCELLED, "主任外出开会")
    assert any("取消" in t for t in _messages(r))


def test_voiding_a_decision_asks_first_and_needs_a_reason(reps_a, director_a):
    c = login(director_a)
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user)
    d = services.record_decision(m, title="加装电梯", votes_for=20, votes_against=3, votes_abstain=2,
                                 acting_user=director_a.user)
    page = c.get(f"/meetings/{m.pk}/").content.decode()
    assert f'<dialog id="dlg-void-{d.pk}"' in page
    c.post(f"/meetings/decisions/{d.pk}/void/", {})
    d.refresh_from_db()
    assert not d.voided
    r = c.post(f"/meetings/decisions/{d.pk}/void/", {"reason": "表决人数统计有误"})
    d.refresh_from_db()
    assert d.voided and d.void_reason == "表决人数统计有误"
    assert any("加装电梯" in t for t in _messages(r))


def test_finalising_the_minutes_asks_first_and_names_who_approves_next(reps_a, director_a, community_a):
    recorder = f.staff(community_a, "记录员", [])
    m = held_meeting(reps_a, DAY, 25, acting_user=director_a.user, recorder=recorder)
    services.save_minutes(m, text="会议纪要", acting_user=recorder.user)
    c = login(recorder)
    page = c.get(f"/meetings/{m.pk}/").content.decode()
    assert '<dialog id="dlg-close-minutes"' in page
    assert "甲主任" in page  # the approver, named in the confirm dialog
    r = c.post(f"/meetings/{m.pk}/minutes/close/")
    [text] = _messages(r)
    assert "甲主任" in text
    m.refresh_from_db()
    assert m.status == Meeting.Status.SUBMITTED


def test_roll_call_phone_list_posts_ticks_late_and_leave(community_a, director_a):
    body = make_body(community_a, BodyKind.REPRESENTATIVES, 5, acting_user=director_a.user, name="小组代表会议")
    c = login(director_a)
    m = services.create_meeting(body, title="代表会议", date=DAY, acting_user=director_a.user)
    page = c.get(f"/meetings/{m.pk}/roll-call/")
    html = page.content.decode()
    assert "js/rollcall.js" in html and "data-rc-count" in html and "onclick" not in html
    keys = [p["key"] for p in page.context["participants"]]
    assert page.context["present_count"] == 0  # a first roll call: names are ticked as people arrive
    data = {keys[0]: "present", keys[1]: "present", f"{keys[1]}_detail": "late", keys[2]: "present",
            f"{keys[3]}_detail": "excused"}
    r = c.post(f"/meetings/{m.pk}/roll-call/", data)
    assert r.status_code == 302
    by_key = {f"m{a.member_id}": a.status for a in m.attendance.all()}
    assert [by_key[k] for k in keys] == [Attendance.Status.PRESENT, Attendance.Status.LATE,
                                         Attendance.Status.PRESENT, Attendance.Status.EXCUSED,
                                         Attendance.Status.ABSENT]
    [text] = _messages(r)
    assert "3" in text and "5" in text and "4" in text  # 3 of 5 present, quorum 4 not reached
    m.refresh_from_db()
    assert (m.present_count, m.quorum_needed, m.has_quorum) == (3, 4, False)


def test_a_refused_roll_call_keeps_the_ticks(committee_a, director_a):
    c = login(director_a)
    m = services.create_meeting(committee_a, title="居委会会议", date=dt.date(2026, 3, 12), acting_user=director_a.user)
    keys = [p["key"] for p in services.expected_participants(m)]
    r = c.post(f"/meetings/{m.pk}/roll-call/", {keys[0]: "present", keys[2]: "present"})
    assert r.status_code == 200  # refused: the roll call is taken on the day (MTG-3)
    assert not m.attendance.exists()
    html = r.content.decode()
    assert f'id="rc-{keys[0]}" name="{keys[0]}" value="present" checked' in html
    assert f'id="rc-{keys[1]}" name="{keys[1]}" value="present">' in html
    assert r.context["present_count"] == 2


def test_roll_call_message_says_quorum_reached_and_what_next(reps_a, director_a):
    c = login(director_a)
    m = services.create_meeting(reps_a, title="代表会议", date=DAY, acting_user=director_a.user)
    keys = [p["key"] for p in services.expected_participants(m)]
    r = c.post(f"/meetings/{m.pk}/roll-call/", {k: "present" for k in keys[:22]})
    [text] = _messages(r)
    assert "22" in text and "31" in text and "21" in text and "决定" in text


def test_meetings_calendar_shows_the_month_of_the_community(reps_a, director_a, community_b, director_b,
                                                             django_assert_max_num_queries):
    services.create_meeting(reps_a, title="三月代表会议", date=dt.date(2026, 3, 20), acting_user=director_a.user)
    held_meeting(reps_a, DAY, 25, acting_user=director_a.user)
    other = make_body(community_b, BodyKind.COMMITTEE, 3, acting_user=director_b.user, name="乙居委会")
    services.create_meeting(other, title="乙社区会议", date=dt.date(2026, 3, 18), acting_user=director_b.user)
    services.create_meeting(reps_a, title="四月代表会议", date=dt.date(2026, 4, 2), acting_user=director_a.user)
    c = login(director_a)
    c.get("/meetings/calendar/?month=2026-03")  # loads the year's holiday table once
    # 15: the page, the month's meetings and holidays, plus the navigation badge (approvals and inbox tasks; +1 disclosure).
    with django_assert_max_num_queries(18):
        r = c.get("/meetings/calendar/?month=2026-03")
    html = r.content.decode()
    assert "三月代表会议" in html and "会议" in html and "乙社区会议" not in html and "四月代表会议" not in html
    assert "?month=2026-02" in html and "?month=2026-04" in html
    assert "例会" in html  # the street regular meetings of the month (MTG-2), generated
    assert 'aria-current="date"' in html  # today, 2026-03-10
    titles = [e.title for e in r.context["events"]]
    assert titles.index("会议") < titles.index("三月代表会议")  # in date order
    april = c.get("/meetings/calendar/?month=2026-04").content.decode()
    assert "四月代表会议" in april and "三月代表会议" not in april
    assert "清明" in april  # the holiday, by its Chinese name


def test_street_office_sees_the_chosen_community_or_all(reps_a, director_a, community_b, director_b, supervisor):
    services.create_meeting(reps_a, title="甲代表会议", date=dt.date(2026, 3, 20), acting_user=director_a.user)
    other = make_body(community_b, BodyKind.COMMITTEE, 3, acting_user=director_b.user, name="乙居委会")
    services.create_meeting(other, title="乙社区会议", date=dt.date(2026, 3, 18), acting_user=director_b.user)
    c = login(supervisor)
    html = c.get("/meetings/calendar/?month=2026-03").content.decode()
    assert f"甲代表会议（{reps_a.community.name}）" in html and f"乙社区会议（{community_b.name}）" in html
    c.post("/switch-community/", {"community": reps_a.community_id})
    html = c.get("/meetings/calendar/?month=2026-03").content.decode()
    assert "甲代表会议" in html and "乙社区会议" not in html


def test_meetings_calendar_month_outside_the_range_is_clamped_not_a_500(director_a):
    c = login(director_a)
    for bad in ("99999-01", "2026-13", "abc", "0001-01"):
        r = c.get(f"/meetings/calendar/?month={bad}")
        assert r.status_code == 200, bad
        assert _messages(r), bad
