"""A real browser: the director publishes a post, records a candidate, announces and records the joint decision;
the street office issues the holder's badge and prints the community's evaluation."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from pypdf import PdfReader

from posts.models import Badge, Holding, Opening, Post
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _tab(browser, live_server, width=1366):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


@pytest.mark.parametrize("width", [390, 1366])
def test_post_2_assign_post_5_issue_badge_post_6_print_evaluation(
        browser, live_server, transactional_db, width, staff_a, director_a, supervisor, decision_a, community_a):
    # a transactional test flushes the tables: the data migration's six posts are put back (POST-1)
    importlib.import_module("posts.migrations.0001_initial").seed_posts(django_apps, None)
    post = Post.objects.get(key="environmental_hygiene")
    # 1. the director publishes the post, records a democratic recommendation, announces, records the decision
    ctx, page = _tab(browser, live_server, width)
    browser_login(page, director_a)
    page.goto("/posts/openings/new/")
    page.select_option("#id_post", str(post.pk))
    page.fill("#id_places", "1")
    page.fill("#id_duties", "负责环境卫生检查")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/posts/openings/\d+/$"))
    opening = Opening.objects.get()
    page.goto(f"/posts/openings/{opening.pk}/nominate/")
    page.select_option("#id_kind", "recommended")
    page.select_option("#id_staff", str(staff_a.pk))
    page.fill("#id_recommended_by", "三号楼居民代表")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/posts/openings/{opening.pk}/")
    page.click("button[data-dialog=dlg-announce]")
    page.click("#dlg-announce button[type=submit]")
    page.wait_for_url(f"**/posts/openings/{opening.pk}/")
    assert "候选人已公示" in page.content()
    page.click("text=登记联席会议决定")
    page.select_option("#id_decision", str(decision_a.pk))
    page.check("#id_holders_0")
    page.fill("#id_start", timezone.localdate().isoformat())
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/posts/openings/{opening.pk}/")
    holding = Holding.objects.get()
    assert holding.staff == staff_a and holding.post == post
    ctx.close()
    # 2. the street office issues the badge
    ctx, page = _tab(browser, live_server, width)
    browser_login(page, supervisor)
    page.goto(holding.get_absolute_url())
    page.click(f"a[href='/posts/holders/{holding.pk}/badge/']")
    page.fill("#id_number", "HJ-001")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/posts/badges/\d+/$"))
    assert Badge.objects.get().number == "HJ-001" and "HJ-001" in page.content()
    # 3. … and prints the community's evaluation
    year = timezone.localdate().year
    page.goto(f"/posts/evaluation/{community_a.pk}/{year}/")
    href = page.get_attribute(f"a[href$='/{year}.pdf']", "href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert community_a.name in text and "目标管理责任考评" in text
    ctx.close()
