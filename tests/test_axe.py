"""Accessibility: axe-core (the npm package in node_modules, installed by `make install` from package-lock.json,
injected into the page from disk: no CDN) finds no serious or critical violation on the main pages, for a
few personas of the demo data, on a desktop (1366) and a phone (390), in Simplified Chinese.

The page's Content-Security-Policy (no inline script) is bypassed in these browser contexts only, so that
Playwright can add axe from disk; the product itself keeps its policy.

Each run collects every violation of every page before failing, so one failure lists them all (rule id,
impact, page, persona and the first offending elements).
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.browser

AXE = pathlib.Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo12345"


def _pages():
    today = dt.date.today()
    month = f"/attendance/month/{today.year}/{today.month}/"
    return {
        # persona: the pages that persona works on every day
        "heping.director": ["/dashboard/", "/inbox/", "/residents/", month, "/meetings/", "/policy/", "/calendar/",
                            "/staff/"],
        "heping.bookkeeper": ["/dashboard/", "/finance/expenses/"],
        "street.dept": ["/dashboard/", "/inbox/", "/residents/", "/finance/expenses/", "/policy/", "/calendar/"],
    }


def _login(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n")[1])}));
    }""")
    return result


def _serious(violations):
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))


@pytest.mark.skipif(not AXE.exists(), reason="node_modules/axe-core missing: run `make install` (npm ci)")
@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_main_pages_have_no_serious_or_critical_axe_violation(browser, live_server, demo, width, height):
    found = []
    for username, paths in _pages().items():
        context = browser.new_context(locale="zh-CN", base_url=live_server.url, bypass_csp=True,
                                      viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            _login(page, username)
            for path in paths:
                response = page.goto(path)
                assert response.status == 200, (username, path, response.status)
                for v in _serious(_axe(page)):
                    found.append({"persona": username, "page": path, **v})
                if width < 720 and page.locator(".nav-toggle").count():
                    page.click(".nav-toggle")  # the open menu is checked too
                    for v in _serious(_axe(page)):
                        found.append({"persona": username, "page": path + " (menu open)", **v})
        finally:
            context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_axe_reports_a_violation_it_is_meant_to_find(browser, live_server, transactional_db):
    """The check can fail: an image without alt text and an unlabelled input are reported as critical."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core missing: run `make install` (npm ci)")
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.evaluate("""() => {
            const img = document.createElement("img"); img.src = "/static/none.png"; document.body.appendChild(img);
            const input = document.createElement("input"); document.querySelector("main").appendChild(input);
        }""")
        ids = {v["id"] for v in _serious(_axe(page))}
    finally:
        context.close()
    assert {"image-alt", "label"} <= ids, ids
