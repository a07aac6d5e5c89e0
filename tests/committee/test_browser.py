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


@pytest.mark.parametrize("width", [390, 1366])
def test_whereabouts_report_box_is_a_44px_target_and_its_column_has_a_name(page, transactional_db, staff_a,
                                                                           director_a, width):
    import datetime as dt

    from django.utils import timezone

    from committee.models import Outing

    now = timezone.now()
    Outing.objects.create(community=staff_a.community, staff=staff_a, kind="meeting", purpose="街道开会",
                          leaves_at=now - dt.timedelta(hours=1), back_at=now + dt.timedelta(hours=1), told=director_a)
    page.set_viewport_size({"width": width, "height": 844})
    browser_login(page, staff_a)
    page.goto("/office/")
    box = page.locator("input[name=report]").bounding_box()
    assert box is not None
    if width == 390:
        assert box["height"] >= 44, box
    assert page.locator("table.list thead th").nth(4).locator(".sr-only").text_content() == "操作"
