"""Keyboard only (issue 18): the main flows done with Tab, arrow keys, Space and Enter, never the mouse —
log in, move through the main navigation, request leave (ATT-3), approve it in the inbox. On every page the
first Tab stop is the skip link to the content, and every stop shows where the focus is (a :focus-visible
outline, not none)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from committee import calendar
from tests import factories as f

pytestmark = pytest.mark.browser

FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, href: el.getAttribute("href"),
            name: el.getAttribute("name"), value: el.value, type: el.getAttribute("type"),
            visible: el.matches(":focus-visible")
                     || (/^(date|time|datetime-local|month)$/.test(el.type) && el.matches(":focus-within")),
            outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
            inMain: !!el.closest("main")};
}"""


def _focus(page) -> dict:
    info = page.evaluate(FOCUS)
    assert info is not None, "the focus is nowhere"
    assert info["visible"] and info["outline"] != "none" and info["width"] >= 2, f"focus not visible: {info}"
    return info


def _tab_to(page, check, limit=80, key="Tab") -> dict:
    """Press Tab until the focused element satisfies ``check``; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        info = _focus(page)
        if check(info):
            return info
    raise AssertionError(f"not reached with {limit} × {key}")


def _type_date(page, day):
    """Type a date into the focused date field, in the field's own order of month, day and year (the
    browser's, not the page's: Debian's headless Chromium shows mm/dd/yyyy whatever the language)."""
    for order in ("mdy", "ymd", "dmy"):
        parts = {"m": f"{day.month:02d}", "d": f"{day.day:02d}", "y": f"{day.year}"}
        for i, part in enumerate(order):
            page.keyboard.type(parts[part])
            if part == "y" and i < 2:
                page.keyboard.press("ArrowRight")  # the year takes up to six digits: on to the next part
        if page.evaluate("document.activeElement.value") == day.isoformat():
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")  # back to the field's first part


def _first_stop_is_the_skip_link(page):
    """Called on a page just loaded: its first Tab stop is the skip link, which then shows."""
    page.keyboard.press("Tab")
    info = _focus(page)
    assert "skip-link" in info["cls"] and info["href"] == "#content", info
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link shows when it has focus"


def _keyboard_login(page, username, password=f.PASSWORD):
    page.goto("/login/")
    # The login form puts the focus in the user name field itself (autofocus); the skip link is still the
    # first stop of the page's tab order.
    first = page.evaluate("""() => document.querySelector("a[href], button, input:not([type=hidden]), select, textarea")
        .className""")
    assert first == "skip-link", first
    if page.evaluate("document.activeElement.id") != "id_username":
        _tab_to(page, lambda i: i["id"] == "id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert _focus(page)["id"] == "id_password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")


def test_the_stylesheet_has_a_focus_visible_outline(page):
    page.goto("/login/")
    rules = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .filter(r => r.selectorText && r.selectorText.includes(":focus-visible") && r.style.outline
                     && !/\bnone\b/.test(r.style.outline)).map(r => r.selectorText)""")
    assert ":focus-visible" in rules, rules


def test_request_leave_and_approve_it_with_the_keyboard_only(transactional_db, page, browser, live_server,
                                                             staff_a, director_a):
    day = calendar.next_working_day(timezone.localdate() + dt.timedelta(days=1))

    # log in, and the skip link leads into the content
    _keyboard_login(page, staff_a.user.username)
    _first_stop_is_the_skip_link(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focus(page)["inMain"], "after the skip link the next stop is in the content"

    # the main navigation: to the attendance page
    page.reload()
    _first_stop_is_the_skip_link(page)
    _tab_to(page, lambda i: i["href"] == "/attendance/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attendance/")

    # request leave (ATT-3): the link, the kind and length by arrow keys, the date and reason typed, Enter
    _first_stop_is_the_skip_link(page)
    _tab_to(page, lambda i: i["href"] == "/attendance/leave/new/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attendance/leave/new/")
    _tab_to(page, lambda i: i["name"] == "kind")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == "personal":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=kind][value=personal]")
    _tab_to(page, lambda i: i["name"] == "length")
    for _ in range(6):
        if page.evaluate("document.activeElement.value") == "am":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=length][value=am]")
    _tab_to(page, lambda i: i["id"] == "id_day")
    _type_date(page, day)
    assert page.input_value("#id_day") == day.isoformat()
    _tab_to(page, lambda i: i["id"] == "id_reason")
    page.keyboard.type("上午去社保中心办理手续")
    _tab_to(page, lambda i: i["tag"] == "button" and i["type"] == "submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attendance/leave/*/")

    # the director approves it in the inbox, by keyboard too
    approver = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = approver.new_page()
    tab.set_default_timeout(10_000)
    try:
        _keyboard_login(tab, director_a.user.username)
        tab.goto("/inbox/")
        assert staff_a.name in tab.content()
        _first_stop_is_the_skip_link(tab)
        _tab_to(tab, lambda i: i["name"] == "comment")
        tab.keyboard.type("同意")
        _tab_to(tab, lambda i: i["value"] == "approve")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/inbox/")
        assert "已同意" in tab.inner_text(".messages")
    finally:
        approver.close()
