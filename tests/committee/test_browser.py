"""A real browser: log in, see the dashboard, switch the language."""

import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_log_in_see_dashboard_and_switch_language(page, transactional_db, director_a):
    browser_login(page, director_a)
    assert page.locator("h1").first.inner_text().endswith("工作台")
    assert page.locator("nav#mainnav").is_visible()
    with page.expect_navigation():
        page.select_option("#lang-switch", "en")
    assert "Dashboard" in page.locator("h1").first.inner_text()
    with page.expect_navigation():
        page.select_option("#lang-switch", "zh-hant")
    assert "工作臺" in page.locator("h1").first.inner_text()


def test_phone_layout_has_a_menu_button(page, transactional_db, director_a):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, director_a)
    assert not page.locator("nav#mainnav").is_visible()
    page.click(".nav-toggle")
    assert page.locator("nav#mainnav").is_visible()
