"""The register on a phone: phone numbers are tap-to-call links, the header is one row with the menu behind ☰,
long lists are compact rows (two lines, the rest behind the link) and targets are at least 44 px."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from committee.models import Household, Role
from committee.templatetags.phone import tel
from tests import factories as f
from tests.conftest import browser_login, login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


# ---------------------------------------------------------------- tel: links

@pytest.mark.parametrize("typed,hrefs", [
    ("13800138000", ["tel:13800138000"]),
    ("010-6512 3456 / 13900001111", ["tel:01065123456", "tel:13900001111"]),
    ("+86 138 0013 8000、(010)12345678", ["tel:+8613800138000", "tel:01012345678"]),
    ("转3", []),
    ("", []),
])
def test_every_number_of_a_phone_field_is_its_own_tel_link(typed, hrefs):
    import re

    assert re.findall(r'href="([^"]+)"', str(tel(typed))) == hrefs


def test_tel_filter_escapes_what_was_typed_around_the_number():
    html = str(tel('<b onclick="x">13800138000</b>'))
    assert "<b" not in html and "&lt;b" in html
    assert 'href="tel:13800138000"' in html


def test_tel_filter_is_used_through_the_template_library():
    out = Template("{% load phone %}{{ n|tel }}").render(Context({"n": "13800138000"}))
    assert out == '<a class="tel" href="tel:13800138000">13800138000</a>'


@pytest.mark.django_db
def test_register_pages_show_phone_numbers_as_tel_links(client_a, community_a):
    h = Household.objects.create(community=community_a, unit="101", phone="010-87654321")
    p = f.person(community_a, "张三", household=h, phone="13800138000")
    f.person(community_a, "李四", household=h, id_number=f.id_number(seq="222"))
    listing = client_a.get(reverse("person_list")).content.decode()
    assert 'href="tel:13800138000"' in listing
    assert 'href="tel:01087654321"' in listing  # 李四 has no own number: the household's
    assert 'href="tel:13800138000"' in client_a.get(p.get_absolute_url()).content.decode()
    assert 'href="tel:01087654321"' in client_a.get(h.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_staff_pages_show_phone_numbers_as_tel_links(community_a, director_a):
    member = f.staff(community_a, "钱委员", [Role.MEMBER])
    member.phone = "13911112222"
    member.save()
    client = login(director_a)
    assert 'href="tel:13911112222"' in client.get(reverse("staff_list")).content.decode()
    assert 'href="tel:13911112222"' in client.get(reverse("staff_detail", args=[member.pk])).content.decode()


# ---------------------------------------------------------------- the phone layout in a real browser

def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.fixture
def residents(community_a):
    h = Household.objects.create(community=community_a, unit="3单元301", phone="010-87654321")
    for i, name in enumerate(["单小明", "王𪚥", "李芳", "赵𰻞"]):
        f.person(community_a, name, household=h, id_number=f.id_number(seq=f"{300 + i:03d}"), volunteer=i == 0)
    return h


@pytest.mark.browser
def test_phone_header_is_one_row_and_the_menu_opens_behind_the_toggle(page, transactional_db, director_a):
    page.set_viewport_size(PHONE)
    browser_login(page, director_a)
    header = _box(page, "header.topbar")
    assert header["height"] < 70, header  # one row
    for selector in ("a.brand", "#lang-switch", ".nav-toggle"):
        box = _box(page, selector)
        assert page.locator(selector).is_visible()
        assert box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"] + 1, selector
        assert box["x"] + box["width"] <= 390, selector
    assert not page.locator("#mainnav").is_visible()
    assert not page.locator("#usermenu .who").is_visible()
    toggle = _box(page, ".nav-toggle")
    assert toggle["width"] >= 44 and toggle["height"] >= 44
    page.click(".nav-toggle")
    assert page.locator(".nav-toggle").get_attribute("aria-expanded") == "true"
    assert page.locator("#mainnav").is_visible()
    assert page.locator("#usermenu .who").is_visible()
    assert page.locator("#usermenu button[type=submit]").bounding_box()["height"] >= 44
    for link in page.locator("#mainnav a").all():
        assert link.bounding_box()["height"] >= 44
    # The page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_phone_residents_list_is_compact_rows_with_tap_to_call(page, transactional_db, staff_a, residents):
    page.set_viewport_size(PHONE)
    browser_login(page, staff_a)
    page.goto("/residents/")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 4
    assert not page.locator("table.list thead").is_visible()
    for i in range(4):
        row = rows.nth(i)
        box = row.bounding_box()
        assert box["height"] <= 110, box  # two lines (two 44 px targets), not a card of seven
        assert not row.locator("td.idno").is_visible()  # the ID number is behind the link
        name = row.locator("td").first.locator("a").first
        assert name.bounding_box()["height"] >= 44
        call = row.locator("a.tel")
        assert call.is_visible() and call.get_attribute("href") == "tel:01087654321"
        assert call.bounding_box()["height"] >= 44
    assert page.locator("text=王𪚥").is_visible()
    for button in page.locator("main .btn:visible").all():
        assert button.bounding_box()["height"] >= 44, button.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_desktop_keeps_the_table_and_the_header_items(page, transactional_db, staff_a, residents):
    page.set_viewport_size(DESKTOP)
    browser_login(page, staff_a)
    page.goto("/residents/")
    assert page.locator("table.list thead").is_visible()
    assert page.locator("table.list td.idno").first.is_visible()
    assert page.locator("#mainnav").is_visible()
    assert page.locator("#usermenu .who").is_visible()
    assert not page.locator(".nav-toggle").is_visible()
    assert _box(page, "header.topbar")["height"] < 70
