"""A real browser: a staff member requests half a day of leave, the director approves it in the inbox
"待我审批", and the staff member's month shows the leave (ATT-3, ATT-5)."""

import datetime as dt

import pytest
from django.utils import timezone

from committee import calendar
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _next_working_day_after(today):
    # ATT-3: an ordinary request is for today or later (past days only through ATT-4's emergency path)
    return calendar.next_working_day(today + dt.timedelta(days=1))


def test_att_3_request_leave_approve_in_the_inbox_and_see_the_month(transactional_db, page, browser, live_server,
                                                                   staff_a, director_a):
    day = _next_working_day_after(timezone.localdate())
    browser_login(page, staff_a)
    page.goto("/attendance/")
    page.locator("a[href='/attendance/leave/new/']").first.click()
    page.wait_for_url("**/attendance/leave/new/")
    page.check("input[name=kind][value=personal]")
    page.fill("#id_start", day.isoformat())
    page.select_option("#id_start_half", "am")
    page.fill("#id_end", day.isoformat())
    page.select_option("#id_end_half", "am")
    page.fill("#id_reason", "上午去社保中心办理手续")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/attendance/leave/*/")
    assert "0.5" in page.content() or "半" in page.content()

    approver = browser.new_context(locale="zh-CN", base_url=live_server.url)
    tab = approver.new_page()
    browser_login(tab, director_a)
    tab.goto("/inbox/")
    assert staff_a.name in tab.content()
    tab.fill("textarea[name=comment]", "同意")
    tab.click("button[value=approve]")
    tab.wait_for_url("**/inbox/")
    assert "已同意，审批完成" in tab.inner_text(".messages")  # what happened, and that nothing else waits
    approver.close()

    page.goto(f"/attendance/staff/{staff_a.pk}/{day.year}/{day.month}/")
    body = page.inner_text("body")
    assert "事½" in body  # the coming half day shows the approved leave (figures count from the day itself)
