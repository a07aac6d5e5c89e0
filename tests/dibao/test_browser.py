"""A real browser: the dibao officer opens a case, records a home visit on a phone-sized window, records the
panel's review in a panel meeting; the posting is composed through the disclosure composer (the disclosure
pages are another chapter's)."""

from __future__ import annotations

import re

import pytest

from dibao.models import Access, Review
from tests.conftest import browser_login
from tests.dibao import helpers as h

pytestmark = pytest.mark.browser


def test_open_case_visit_on_phone_review_in_panel_meeting(browser, live_server, transactional_db, community_a,
                                                          officer_a):
    body = h.panel(community_a, officer_a.user)
    case = h.case(community_a, officer_a.user)
    meeting = h.meeting(body, officer_a.user)
    ctx = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, officer_a)
    page.goto("/dibao/")
    page.click(f"a[href='/dibao/{case.pk}/']")
    page.wait_for_url(re.compile(rf"/dibao/{case.pk}/$"))
    assert "2,100.00" in page.content() and Access.objects.filter(case=case, action="view").exists()
    page.click("text=记录入户调查")
    page.fill("#id_visitors", "低保专干、网格员")
    head = case.members.get(relation="head")
    page.fill(f"#id_m{head.pk}_wage", "1000")
    page.click("text=保存走访记录")
    page.wait_for_url(re.compile(rf"/dibao/{case.pk}/$"))
    assert "列入下次评审" in page.content()
    page.click("text=记录评审结果")
    page.select_option("#id_meeting", str(meeting.pk))
    page.select_option("#id_decision", "approve")
    page.fill("#id_reasons", "家庭人均收入低于本地标准")
    page.fill("#id_votes_for", "6")
    with page.expect_navigation():
        page.click("button:has-text('记录决定')")
    assert page.url.endswith(f"/dibao/{case.pk}/")
    review = Review.objects.get(case=case)
    assert review.amount == h.D("1900.00") and "低保户" in page.content()
    ctx.close()
