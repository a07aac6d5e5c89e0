"""Accessibility: axe-core (the npm package in node_modules, installed by `make install` from package-lock.json,
injected into the page from disk: no CDN) finds no serious or critical violation (issue 18):
- on every GET page of the URL conf, as a persona that may open it (tests/pages.py: the permission matrix's
  pages and objects), at a desk screen's width (1280×800) and a phone's (390×844), in Simplified Chinese;
- on a sample of those pages in Traditional Chinese and English;
- on the main pages of the demo data (long lists, real names) for a few of its personas, at both widths.

The page's Content-Security-Policy (no inline script) is bypassed in these browser contexts only, so that
Playwright can add axe from disk; the product itself keeps its policy.

Each run collects every violation of every page before failing, so one failure lists them all (rule id,
impact, page, persona and the first offending elements).
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.test_permission_matrix import world  # noqa: F401 (a fixture: the matrix's objects)

pytestmark = pytest.mark.browser

AXE = pathlib.Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo12345"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _pages():
    today = dt.date.today()
    month = f"/attendance/month/{today.year}/{today.month}/"
    pages = {
        # persona: the pages that persona works on every day
        "heping.director": ["/dashboard/", "/inbox/", "/residents/", month, "/meetings/", "/policy/", "/calendar/",
                            "/staff/", "/disclosure/", "/board/heping/", "/visits/", "/visits/requests/", "/visits/quotas/",
                            "/visits/responsibility/"],
        "heping.bookkeeper": ["/dashboard/", "/finance/expenses/"],
        "street.dept": ["/dashboard/", "/inbox/", "/residents/", "/finance/expenses/", "/policy/", "/calendar/",
                        "/disclosure/cadence/"],
        "heping.archivist": ["/archives/", "/archives/filing/", "/archives/loans/"],
        "heping.dibao": ["/dibao/", "/dibao/worklist/", "/dibao/panel/", "/dibao/standards/"],
        "heping.member": ["/welfare/", "/visits/new/", "/visits/log/"],  # welfare: the plan's projects with their figures (WEL-1 … WEL-7)
    }
    pages["street.dept"] += ["/welfare/"]
    pages["heping.director"] += ["/posts/", "/posts/evaluation/items/"]  # posts (POST-1, POST-6)
    pages["street.dept"] += ["/posts/badges/", "/posts/evaluation/compare/"]
    pages["street.dept"] += ["/street/"]  # oversight (issue 17)
    return pages


def _login(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


AXE_URL = "/__axe-core.js"  # never a URL of the product: answered by the browser context's route (_route_axe)


def _route_axe(context):
    """Serve axe from disk at AXE_URL in this context: a script loaded by URL is compiled once and cached
    by Chromium, four times faster than one added as text on every page."""
    context.route("**" + AXE_URL, lambda route: route.fulfill(path=str(AXE), content_type="application/javascript",
                                                              headers={"Cache-Control": "max-age=3600"}))


def _axe(page) -> list[dict]:
    page.add_script_tag(url=AXE_URL)
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
def test_main_pages_have_no_serious_or_critical_axe_violation(browser, live_server, demo):
    """The demo data's main pages (full lists, real names), each at a desk screen's width and a phone's (one
    load of the demo data for both)."""
    found = []
    for username, paths in _pages().items():
        context = browser.new_context(locale="zh-CN", base_url=live_server.url, bypass_csp=True, viewport=DESKTOP)
        _route_axe(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            _login(page, username)
            for path in paths:
                page.set_viewport_size(DESKTOP)
                response = page.goto(path)
                assert response.status == 200, (username, path, response.status)
                for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                    page.set_viewport_size(size)
                    for v in _serious(_axe(page)):
                        found.append({"persona": username, "page": path, "width": label, **v})
                if page.locator(".nav-toggle").is_visible():
                    page.click(".nav-toggle")  # the open menu is checked too
                    for v in _serious(_axe(page)):
                        found.append({"persona": username, "page": path + " (menu open)", "width": "phone", **v})
        finally:
            context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_axe_reports_a_violation_it_is_meant_to_find(browser, live_server, transactional_db):
    """The check can fail: an image without alt text and an unlabelled input are reported as critical."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core missing: run `make install` (npm ci)")
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, bypass_csp=True)
    _route_axe(context)
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


# --- every page (issue 18) -------------------------------------------------------------------------------

# zh-hant and en are checked on a sample of the pages: every SAMPLE-th page, and the dashboard.
SAMPLE = 10


def _session_context(browser, live_server, staff, language):
    """A browser context logged in as ``staff`` (the session cookie of a Django test client: no login form
    per persona) and showing ``language`` (the language cookie)."""
    from django.test import Client

    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=DESKTOP,
                                  locale={"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US"}[language])
    host = urlsplit(live_server.url).hostname
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if staff is not None:
        client = Client()
        client.force_login(staff.user)
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "domain": host, "path": "/"})
    context.add_cookies(cookies)
    _route_axe(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _check_every_page(browser, live_server, world, languages, select):
    """axe on each page ``select`` keeps (from tests/pages.py), at both widths, in each language: one
    browser context per persona and language, one tab reused from page to page."""
    from playwright.sync_api import Error as PlaywrightError

    from tests.pages import PERSONA_STAFF, pages

    found, checked = [], 0
    by_persona: dict[str, list] = {}
    for n, p in enumerate(pages(world)):
        if select(n, p):
            by_persona.setdefault(p.persona, []).append(p)
    for language in languages:
        for persona, persona_pages in by_persona.items():
            staff = world[PERSONA_STAFF[persona]] if persona in PERSONA_STAFF else None
            context, page = _session_context(browser, live_server, staff, language)
            try:
                for p in persona_pages:
                    page.set_viewport_size(DESKTOP)
                    try:
                        response = page.goto(p.url)
                    except PlaywrightError as e:
                        if "Download is starting" in str(e):
                            continue  # an attachment
                        raise
                    if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                        continue  # files (PDF, spreadsheets) and the service worker's script
                    assert page.evaluate("document.documentElement.lang") == language, (p.url, language)
                    checked += 1
                    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                        page.set_viewport_size(size)
                        for v in _serious(_axe(page)):
                            found.append({"page": f"{p.name} {p.url}", "as": persona, "language": language,
                                          "width": label, **v})
                        if label == "phone" and p.name == "dashboard" and page.locator(".nav-toggle").count():
                            page.click(".nav-toggle")  # the open menu is checked too, once per persona
                            for v in _serious(_axe(page)):
                                found.append({"page": f"{p.url} (menu open)", "as": persona, "language": language,
                                              "width": label, **v})
            finally:
                context.close()
    return found, checked


PARTS = 3  # the pages in three tests, so that the suite's workers share them


@pytest.mark.skipif(not AXE.exists(), reason="node_modules/axe-core missing: run `make install` (npm ci)")
@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_has_no_serious_or_critical_axe_violation(browser, transactional_db, live_server, world, part):  # noqa: F811
    """Every GET page of the URL conf that a persona may open (tests/pages.py), Simplified Chinese, at a desk
    screen's width and a phone's."""
    found, checked = _check_every_page(browser, live_server, world, ["zh-hans"], lambda n, p: n % PARTS == part)
    assert checked > 150 // PARTS, checked
    assert not found, f"{len(found)} violations:\n" + json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.skipif(not AXE.exists(), reason="node_modules/axe-core missing: run `make install` (npm ci)")
def test_sample_of_pages_in_traditional_chinese_and_english(browser, transactional_db, live_server, world):  # noqa: F811
    """A sample of the pages (every 10th, and the dashboard) in Traditional Chinese and English: the lang
    attribute follows the language, and longer English words break no contrast or name."""
    found, checked = _check_every_page(browser, live_server, world, ["zh-hant", "en"],
                                       lambda n, p: n % SAMPLE == 0 or p.name == "dashboard")
    assert checked > 20, checked
    assert not found, f"{len(found)} violations:\n" + json.dumps(found, ensure_ascii=False, indent=1)
