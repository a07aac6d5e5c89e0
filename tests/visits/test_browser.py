"""A real browser on a phone-sized window: a home visit with a problem typed while offline is kept on the
phone, sent once when the connection returns, and its problem solved later (GRID-3)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import browser_login
from tests.visits.conftest import yesterday
from visits.models import Problem, Visit

pytestmark = pytest.mark.browser


def test_grid_3_visit_typed_offline_is_sent_once_when_back_online_then_solved(
        browser, live_server, transactional_db, staff_a, household_a):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, staff_a)
    page.goto("/visits/new/")
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    page.select_option("#id_household", str(household_a.pk))
    page.fill("#id_date", yesterday().isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "10:00")
    page.fill("#id_found", "独居老人，腿脚不便")
    page.fill("#id_problems", "楼道灯坏了")
    page.click("text=保存走访")
    page.wait_for_selector("#visit-outbox:not([hidden])")
    assert "没有网络" in page.inner_text("#visit-outbox")
    assert Visit.objects.count() == 0
    assert page.evaluate("JSON.parse(localStorage.getItem('visits-outbox')).length") == 1
    # the form is ready for the next visit, with a new key
    assert page.input_value("#id_problems") == ""
    # back online: the outbox sends the visit by itself
    context.set_offline(False)
    page.locator("#visit-outbox", has_text="已发送").wait_for()
    assert Visit.objects.count() == 1
    assert page.evaluate("JSON.parse(localStorage.getItem('visits-outbox')).length") == 0
    # a reload sends nothing again
    page.reload()
    page.wait_for_load_state("networkidle")
    assert Visit.objects.count() == 1 and Problem.objects.count() == 1
    # later: the problem is solved on the visit's page
    v = Visit.objects.get()
    page.goto(v.get_absolute_url())
    page.fill(f"#solution-{v.problems.get().pk}", "物业已更换灯泡")
    page.click("text=登记为已解决")
    page.wait_for_url(re.compile(r"/visits/\d+/"))
    p = Problem.objects.get()
    assert p.solved and p.solved_by == staff_a and "已解决" in page.content()
    context.close()
