"""Register pages: adding and correcting residents (errors name the field and the rule), moving out without
deleting, households, buildings and grids (GRID-1) within the user's community."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from committee.models import Building, Grid, Household, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def zh(message):
    """A message as users see it (Chinese once translated)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def valid_id(seq="321", birth=dt.date(1985, 6, 1)):
    return f.id_number(birth=birth, seq=seq)


def bad_check_digit(number):
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def test_register_a_resident_in_own_community(client_a, community_a, staff_a):
    number = valid_id()
    response = client_a.post(reverse("person_create"), {"name": "单小明", "id_number": number.lower()})
    person = Person.objects.get(name="单小明")
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.community == community_a
    assert person.id_number == number
    assert person.gender == ("M" if int(number[16]) % 2 else "F")
    assert person.history.first().history_user == staff_a.user


def test_wrong_check_digit_is_refused_on_the_id_field_citing_gb_11643(client_a):
    response = client_a.post(reverse("person_create"), {"name": "张三", "id_number": bad_check_digit(valid_id())})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("id_number", code="id_checksum")
    assert "GB 11643" in " ".join(form.errors["id_number"])
    assert not Person.objects.exists()


def test_future_birth_date_is_refused(client_a):
    response = client_a.post(reverse("person_create"), {"name": "张三",
                                                        "id_number": valid_id(birth=dt.date(2099, 1, 1))})
    assert response.context["form"].has_error("id_number", code="id_future")


def test_gender_contradicting_the_id_number_is_refused(client_a):
    number = valid_id()
    wrong = "F" if int(number[16]) % 2 else "M"
    response = client_a.post(reverse("person_create"), {"name": "张三", "id_number": number, "gender": wrong})
    assert response.context["form"].errors["gender"] == [zh("The gender does not match the ID number (its 17th digit).")]


def test_same_id_number_twice_in_a_community_is_refused(client_a, community_a):
    existing = f.person(community_a, "张三")
    response = client_a.post(reverse("person_create"), {"name": "李四", "id_number": existing.id_number})
    assert "张三" in " ".join(response.context["form"].errors["id_number"])


def test_household_of_another_community_cannot_be_chosen(client_a, community_b):
    other = Household.objects.create(community=community_b, unit="101")
    response = client_a.post(reverse("person_create"), {"name": "张三", "id_number": valid_id(),
                                                        "household": other.pk})
    assert "household" in response.context["form"].errors
    assert client_a.get(reverse("person_create"), {"household": other.pk}).status_code == 404


def test_moving_out_is_recorded_with_a_date_and_nothing_is_deleted(client_a, community_a, staff_a):
    p = f.person(community_a, "张三")
    response = client_a.post(reverse("person_move_out", args=[p.pk]), {"moved_out_on": "2026-01-15"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.moved_out_on == dt.date(2026, 1, 15)
    assert p.history.first().history_user == staff_a.user
    assert client_a.get(reverse("person_detail", args=[p.pk])).status_code == 200


def test_moving_out_in_the_future_is_refused(client_a, community_a):
    p = f.person(community_a, "张三")
    client_a.post(reverse("person_move_out", args=[p.pk]), {"moved_out_on": "2999-01-01"})
    p.refresh_from_db()
    assert p.moved_out_on is None


def test_edit_keeps_history(client_a, community_a):
    p = f.person(community_a, "张三")
    data = {"name": "张叁", "id_number": p.id_number, "phone": "13800138000"}
    assert client_a.post(reverse("person_edit", args=[p.pk]), data).status_code == 302
    p.refresh_from_db()
    assert p.name == "张叁" and p.history.count() == 2


def test_household_page_lists_members_and_add_member_prefills(client_a, community_a):
    h = Household.objects.create(community=community_a, unit="2单元301")
    f.person(community_a, "户主甲", household=h, relation="head")
    f.person(community_a, "搬走乙", household=h, moved_out_on=dt.date(2025, 5, 1))
    page = client_a.get(reverse("household_detail", args=[h.pk]))
    assert [m.name for m in page.context["members"]] == ["户主甲"]
    assert [m.name for m in page.context["moved"]] == ["搬走乙"]
    response = client_a.post(reverse("person_create") + f"?household={h.pk}",
                             {"name": "子女丙", "id_number": valid_id("555"), "household": h.pk, "relation": "child"})
    assert response.status_code == 302
    assert Person.objects.get(name="子女丙").household == h


def test_create_household_building_and_grid(client_a, community_a, staff_a):
    r = client_a.post(reverse("grid_create"), {"name": "第3片", "committee_member": staff_a.pk})
    grid = Grid.objects.get(name="第3片")
    assert r.status_code == 302 and grid.community == community_a and grid.committee_member == staff_a
    r = client_a.post(reverse("building_create"), {"name": "9号楼", "grid": grid.pk})
    building = Building.objects.get(name="9号楼")
    assert building.grid == grid and building.community == community_a
    r = client_a.post(reverse("household_create"), {"building": building.pk, "unit": "1单元101",
                                                    "registered_locally": ""})
    household = Household.objects.get(unit="1单元101")
    assert household.building == building and not household.registered_locally
    # The same address twice is refused, naming the field.
    r = client_a.post(reverse("household_create"), {"building": building.pk, "unit": "1单元101"})
    assert "unit" in r.context["form"].errors


def test_grid_1_members_come_from_the_own_community(client_a, community_a, staff_b):
    r = client_a.post(reverse("grid_create"), {"name": "第3片", "committee_member": staff_b.pk})
    assert "committee_member" in r.context["form"].errors


def test_duplicate_building_name_is_refused(client_a, community_a):
    Building.objects.create(community=community_a, name="1号楼")
    r = client_a.post(reverse("building_create"), {"name": "1号楼"})
    assert "name" in r.context["form"].errors


def test_grid_1_grid_page_lists_responsible_members_buildings_households(client_a, community_a, staff_a):
    grid = Grid.objects.create(community=community_a, name="第1片", committee_member=staff_a)
    building = Building.objects.create(community=community_a, name="1号楼", grid=grid)
    h = Household.objects.create(community=community_a, building=building, unit="101")
    f.person(community_a, "独居老人甲", household=h, elderly_alone=True)
    page = client_a.get(reverse("grid_detail", args=[grid.pk]))
    html = page.content.decode()
    assert staff_a.name in html and "1号楼" in html and "独居老人甲" in html
    listing = client_a.get(reverse("grid_list"))
    [row] = listing.context["grids"]
    assert (row.n_buildings, row.n_households, row.n_residents) == (1, 1, 1)


def test_street_office_with_all_communities_is_asked_to_choose_one(client_street, community_a):
    r = client_street.get(reverse("person_create"))
    assert r.status_code == 200
    assert "committee/choose_community.html" in [t.name for t in r.templates]
    client_street.post(reverse("switch_community"), {"community": community_a.pk})
    r = client_street.post(reverse("person_create"), {"name": "张三", "id_number": valid_id()})
    assert r.status_code == 302
    assert Person.objects.get(name="张三").community == community_a
