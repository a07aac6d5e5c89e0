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
    page.click("text=点名考勤")
    assert "至少到会 21 人" in page.content()
    # Mark the last nine representatives absent: 22 present.
    members = list(body.members.order_by("name", "pk"))
    for m in members[22:]:
        page.check(f"input[name=m{m.pk}][value=absent]")
    page.click("text=保存点名结果")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "已达法定人数" in page.content()
    page.click("text=记录决定")
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
