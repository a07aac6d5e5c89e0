"""A real browser: plan a project, (the street and the residents' meeting approve the plan), record an event,
spend on it, hit the prize cap (the refusal says which cap and by how much, the form keeps what was typed),
spend within it; then the quarter's notice is composed for the disclosure chapter."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.conftest import browser_login
from tests.welfare import helpers
from welfare import notices, rules, services
from welfare.models import Plan, Spending

pytestmark = pytest.mark.browser


def test_plan_spend_prize_cap_and_quarter_notice(browser, live_server, transactional_db, community_a, staff_a,
                                                 director_a, instructor_a, supervisor, street_finance):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, staff_a)
    year = timezone.localdate().year
    # 1. open this year's plan and add a project
    page.goto("/welfare/")
    page.select_option("#plan-year", str(year))
    page.click("text=新建计划")
    page.wait_for_url(re.compile(r"/welfare/plans/\d+/$"))
    plan = Plan.objects.get(community=community_a, year=year)
    page.click("text=＋ 添加项目")
    page.select_option("#id_category", label="文体活动")
    page.fill("#id_name", "健身操比赛")
    page.select_option("#id_owner", str(staff_a.pk))
    page.fill("#id_budget", "10000.00")
    page.fill("#id_planned_activities", "10")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    assert "健身操比赛" in page.content()
    page.fill("#opinions-note", "居民希望多办健身活动")
    page.click("text=登记意见")
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    # 2. the others' acts: instructor, street review, residents' meeting, street approval (WEL-2)
    services.submit_plan(plan, acting_user=staff_a.user)
    helpers.decide_pending(plan, instructor_a)
    plan.refresh_from_db()
    services.review_plan(plan, acting_user=supervisor.user)
    services.record_residents_approval(plan, decision=helpers.residents_decision(community_a, staff_a, director_a),
                                       acting_user=staff_a.user)
    services.approve_plan(plan, acting_user=street_finance.user)
    project = plan.projects.get()
    # 3. record the event and spend on it
    page.goto(f"/welfare/projects/{project.pk}/activities/new/")
    page.fill("#id_title", "健身操比赛决赛")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.select_option("#id_form", "contest")
    page.fill("#id_sessions", "1")
    page.fill("#id_participants", "120")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**{project.get_absolute_url()}")
    event = project.activities.get()

    def spend(kind, purpose, amount, top=""):
        page.goto(f"/welfare/projects/{project.pk}/spend/")
        page.select_option("#id_kind", kind)
        page.select_option("#id_activity", str(event.pk))
        page.fill("#id_purpose", purpose)
        page.fill("#id_amount", amount)
        page.fill("#id_top_prize", top)
        page.fill("#id_payee", "文体用品商店")
        page.select_option("#id_method", "transfer")
        page.click("form.stacked button[type=submit]")

    spend("costs", "场地和音响", "700.00")
    page.wait_for_url(re.compile(r"/finance/expenses/\d+/$"))
    # 4. prizes of 300.01 on an event costing 700.00 pass the 30% cap: refused, saying by how much
    spend("prizes", "比赛奖品", "300.01", "80.00")
    content = page.content()
    assert "单次活动限额" in content and "WEL-5" in content and "0.01" in content
    assert page.input_value("#id_purpose") == "比赛奖品" and page.input_value("#id_amount") == "300.01"
    assert Spending.objects.filter(kind="prizes").count() == 0
    spend("prizes", "比赛奖品", "300.00", "80.00")  # exactly 30.00%
    page.wait_for_url(re.compile(r"/finance/expenses/\d+/$"))
    assert Spending.objects.filter(kind="prizes").count() == 1
    page.goto(project.get_absolute_url())
    assert "比赛奖品" in page.content()
    context.close()
    # 5. the quarter's notice (WEL-11) composed for the disclosure chapter
    ended = rules.ended_quarters(timezone.localdate())
    key = next((f"{y}-Q{q}" for y, q in ended if y == year), None)
    if key is None:  # January to March: no quarter of the plan's year has ended yet
        return
    composed = notices.compose(community_a, key)
    assert composed.min_working_days == 10
    assert any(row[1] == "健身操比赛" for row in composed.tables[0].rows)
