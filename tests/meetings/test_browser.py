"""A real browser: hold a representatives' meeting, roll call, record a decision, print the minutes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from meetings.models import BodyKind, Decision, Meeting
from tests.conftest import browser_login
from tests.meetings.conftest import make_body

pytestmark = pytest.mark.browser


def test_hold_a_representatives_meeting_in_the_browser(page, transactional_db, director_a, community_a):
    body = make_body(community_a, BodyKind.REPRESENTATIVES, 31, acting_user=director_a.user, name="居民代表会议")
    browser_login(page, director_a)
    page.click("nav#mainnav >> text=会议")
    page.click("text=居民代表会议")
    page.click("text=安排会议")
    page.fill("#id_title", "第一次居民代表会议")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_place", "社区活动室")
    page.select_option("#id_chair", str(director_a.pk))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(body=body)
    page.click("a.btn:has-text('点名考勤')")
    assert "至少到会 21 人" in page.content()
    # Tick the first 22 representatives as they arrive: 22 present, the last nine absent.
    members = list(body.members.order_by("name", "pk"))
    for m in members[:22]:
        page.check(f"input[name=m{m.pk}]")
    page.click("text=保存点名结果")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "已达法定人数" in page.content()
    page.click("a.btn:has-text('记录决定')")
    page.fill("#id_title", "同意加装电梯")
    page.check("#id_major")
    page.fill("#id_votes_for", "15")
    page.fill("#id_votes_against", "5")
    page.fill("#id_votes_abstain", "2")
    page.fill("#id_dissent_name_1", "代表05")
    page.fill("#id_dissent_opinion_1", "低层住户采光受影响")
    page.click("text=记录决定 >> nth=-1")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "决定已记录：通过" in page.content()
    d = Decision.objects.get()
    assert (d.adopted, d.major, d.votes_for) == (True, True, 15)
    href = page.get_attribute("text=打印会议纪要", "href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert meeting.date <= timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.parametrize("width", [390, 1366])
def test_roll_call_live_count_updates_as_names_are_ticked(page, transactional_db, director_a, community_a, width):
    """Issue 9: on a phone (and a desktop) the roll call is a list of rows; tapping anywhere on a row ticks
    the person and the count "出席 n / 应到 21 · 法定人数 14" follows at once; the server still computes
    the quorum when the roll call is saved."""
    from meetings import services

    body = make_body(community_a, BodyKind.REPRESENTATIVES, 21, acting_user=director_a.user, name="居民代表会议")
    meeting = services.create_meeting(body, title="代表会议", date=timezone.localdate(), acting_user=director_a.user)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    browser_login(page, director_a)
    page.goto(f"/meetings/{meeting.pk}/roll-call/")
    count = page.locator("[data-rc-count]")
    assert re.sub(r"\s+", " ", count.inner_text()).startswith("出席 0 / 应到 21 · 法定人数 14")
    state = page.locator("[data-rc-state]")
    assert state.inner_text() == "尚未达到法定人数"
    rows = page.locator(".rc-tap")
    box = rows.nth(0).bounding_box()
    assert box["height"] >= 44 and box["width"] >= (0.6 * width if width < 500 else 200)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    members = list(body.members.order_by("name", "pk"))
    # Tap the row on the name (not the checkbox): the whole row toggles.
    for i in range(13):
        page.locator(".rc-name", has_text=members[i].name).click()
    assert page.locator("[data-rc-present]").inner_text() == "13"
    assert state.inner_text() == "尚未达到法定人数"
    page.locator(".rc-name", has_text=members[13].name).click()
    assert page.locator("[data-rc-present]").inner_text() == "14"
    assert state.inner_text() == "已达法定人数"
    page.locator(".rc-name", has_text=members[0].name).click()  # untick
    assert page.locator("[data-rc-present]").inner_text() == "13"
    page.select_option(f"#rc-m{members[20].pk}-d", "late")  # a late arrival is here
    assert page.locator("[data-rc-present]").inner_text() == "14"
    assert page.is_checked(f"#rc-m{members[20].pk}")
    page.click("text=保存点名结果")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.quorum_needed, meeting.has_quorum) == (14, 14, True)
    assert meeting.attendance.get(member=members[20]).status == "late"
