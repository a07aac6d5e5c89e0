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
    page.check("input[name=length][value=am]")  # half a day is one choice (上午), then the date
    page.fill("#id_day", day.isoformat())
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


# --- issue 9: the day's work in one or two taps, at phone and desktop widths ---------------------------------

from zoneinfo import ZoneInfo  # noqa: E402

import time_machine  # noqa: E402

from attendance import services  # noqa: E402
from attendance.models import LeaveRequest, SignIn  # noqa: E402

WIDTHS = [390, 1366]
MONDAY_10 = dt.datetime(2026, 3, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a working day, before 17:30


@pytest.fixture
def monday():
    # tick=True: the clock runs on from Monday 10:00 (the browser's timeouts need a moving clock)
    with time_machine.travel(MONDAY_10, tick=True):
        yield


@pytest.mark.parametrize("width", WIDTHS)
def test_att_1_one_tap_sign_in_from_the_dashboard_and_an_early_sign_out_asks_first(
        transactional_db, page, live_server, staff_a, monday, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    browser_login(page, staff_a)
    card = page.locator(".sign-card")
    assert "尚未签到" in card.inner_text()
    button = card.locator("button[value=in]")
    box = button.bounding_box()
    assert box["height"] >= 64 and (width > 500 or box["width"] >= 300)  # a big button on the phone
    button.click()  # one tap
    page.wait_for_url("**/dashboard/")
    record = SignIn.objects.get(staff=staff_a)
    assert f"{record.sign_in:%H:%M} 已签到" in page.locator(".sign-card").inner_text()
    assert "迟到" in page.inner_text(".messages")

    # ATT-1: before 17:30 signing out asks first and says it is leaving early
    page.locator(".sign-card [data-dialog=dlg-sign-out]").click()
    dialog = page.locator("#dlg-sign-out")
    assert dialog.is_visible() and "早退" in dialog.inner_text()
    dialog.locator("[data-close]").click()
    assert not dialog.is_visible()
    record.refresh_from_db()
    assert record.sign_out is None  # cancel did nothing
    page.locator(".sign-card [data-dialog=dlg-sign-out]").click()
    dialog.locator("button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    record.refresh_from_db()
    assert record.sign_out is not None and "早退" in page.inner_text(".messages")


@pytest.mark.parametrize("width", WIDTHS)
def test_att_3_half_day_leave_in_two_taps_from_the_dashboard(transactional_db, page, live_server, staff_a,
                                                            director_a, monday, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    browser_login(page, staff_a)
    page.locator(".sign-card .leave-quick a[href$='length=pm']").click()  # tap 1: 下午
    page.wait_for_url("**/attendance/leave/new/?length=pm")
    assert page.locator("#id_day").input_value() == "2026-03-09"  # today
    assert not page.locator("#id_start").is_visible()  # the first/last day only for "several days"
    page.fill("#id_reason", "下午去社保中心")
    page.click("form.stacked button[type=submit]")  # tap 2: send
    page.wait_for_url("**/attendance/leave/*/")
    leave = LeaveRequest.objects.get()
    assert (leave.start, leave.start_half, leave.end, leave.end_half) == (dt.date(2026, 3, 9), "pm",
                                                                          dt.date(2026, 3, 9), "pm")
    assert f"已送主任 {director_a.name} 审批" in page.inner_text(".messages")


@pytest.mark.parametrize("width", WIDTHS)
def test_ctl_5_withdraw_asks_first_cancel_does_nothing_confirm_withdraws(transactional_db, page, live_server,
                                                                        staff_a, director_a, monday, width):
    leave = services.request_leave(staff=staff_a, kind="personal", start=dt.date(2026, 3, 11), start_half="am",
                                   end=dt.date(2026, 3, 11), end_half="pm", reason="搬家", acting_user=staff_a.user)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    browser_login(page, staff_a)
    page.goto(f"/attendance/leave/{leave.pk}/")
    dialog = page.locator("#dlg-withdraw")
    assert not dialog.is_visible()
    page.click("[data-dialog=dlg-withdraw]")
    assert dialog.is_visible() and "释放" in dialog.inner_text()
    dialog.locator("[data-close]").click()  # cancel
    assert not dialog.is_visible()
    leave.refresh_from_db()
    assert leave.state == "pending"
    page.click("[data-dialog=dlg-withdraw]")
    dialog.locator("button[type=submit]").click()  # confirm
    page.wait_for_url(f"**/attendance/leave/{leave.pk}/")
    leave.refresh_from_db()
    assert leave.state == "withdrawn" and "已撤回" in page.inner_text(".messages")
