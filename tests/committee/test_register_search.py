"""The residents list: search by name, pinyin initials (every reading of a heteronym surname) and ID tail;
filters; masked ID numbers; scoping; a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.models import Building, Grid, Household
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["page"]]


def test_search_by_pinyin_initials_finds_heteronym_surname_under_d_and_s(client_a, community_a):
    f.person(community_a, "单小明")
    f.person(community_a, "王大明")
    url = reverse("person_list")
    assert names(client_a.get(url, {"q": "dxm"})) == ["单小明"]
    assert names(client_a.get(url, {"q": "sxm"})) == ["单小明"]
    assert names(client_a.get(url, {"q": "SXM"})) == ["单小明"]
    assert names(client_a.get(url, {"q": "wdm"})) == ["王大明"]
    # Initials match from the start of the name only: "xm" is not an initials spelling of either.
    assert names(client_a.get(url, {"q": "xm"})) == []


def test_search_by_name_part(client_a, community_a):
    f.person(community_a, "单小明")
    f.person(community_a, "王大明")
    assert sorted(names(client_a.get(reverse("person_list"), {"q": "明"}))) == ["单小明", "王大明"]
    assert names(client_a.get(reverse("person_list"), {"q": "小明"})) == ["单小明"]


def test_search_by_id_number_tail(client_a, community_a):
    p = f.person(community_a, "李四", id_number=f.id_number(seq="457"))
    f.person(community_a, "赵六", id_number=f.id_number(seq="813"))
    tail = p.id_number[-4:]
    assert names(client_a.get(reverse("person_list"), {"q": tail})) == ["李四"]
    assert names(client_a.get(reverse("person_list"), {"q": p.id_number[-6:]})) == ["李四"]


def test_id_tail_ending_in_x_is_found_in_lower_case(client_a, community_a):
    number = next(f.id_number(seq=f"{n:03d}") for n in range(1000) if f.id_number(seq=f"{n:03d}").endswith("X"))
    f.person(community_a, "钱七", id_number=number)
    assert names(client_a.get(reverse("person_list"), {"q": number[-4:].lower()})) == ["钱七"]


def test_dis_5_list_shows_masked_id_numbers_and_detail_the_full_one(client_a, community_a):
    p = f.person(community_a, "张三")
    listing = client_a.get(reverse("person_list")).content.decode()
    assert p.masked_id in listing
    assert p.id_number not in listing
    assert p.masked_id == p.id_number[:6] + "********" + p.id_number[14:]
    detail = client_a.get(reverse("person_detail", args=[p.pk])).content.decode()
    assert p.id_number in detail


def test_another_communitys_resident_is_404(client_b, community_a):
    p = f.person(community_a, "张三")
    assert client_b.get(reverse("person_detail", args=[p.pk])).status_code == 404
    assert client_b.get(reverse("person_edit", args=[p.pk])).status_code == 404
    assert "张三" not in client_b.get(reverse("person_list")).content.decode()


def test_street_office_sees_all_communities_narrowed_by_the_switcher(client_street, community_a, community_b):
    f.person(community_a, "甲居民")
    f.person(community_b, "乙居民")
    assert sorted(names(client_street.get(reverse("person_list")))) == ["乙居民", "甲居民"]
    client_street.post(reverse("switch_community"), {"community": community_b.pk})
    assert names(client_street.get(reverse("person_list"))) == ["乙居民"]


def test_filters_by_grid_building_group_and_residence(client_a, community_a):
    grid = Grid.objects.create(community=community_a, name="第1片")
    b1 = Building.objects.create(community=community_a, name="1号楼", grid=grid)
    b2 = Building.objects.create(community=community_a, name="2号楼")
    local = Household.objects.create(community=community_a, building=b1, unit="101")
    renters = Household.objects.create(community=community_a, building=b2, unit="202", registered_locally=False)
    f.person(community_a, "本地人", household=local, volunteer=True)
    f.person(community_a, "租户", household=renters, hardship=True)
    url = reverse("person_list")
    assert names(client_a.get(url, {"grid": grid.pk})) == ["本地人"]
    assert names(client_a.get(url, {"building": b2.pk})) == ["租户"]
    assert names(client_a.get(url, {"group": "hardship"})) == ["租户"]
    assert names(client_a.get(url, {"group": "volunteer"})) == ["本地人"]
    assert names(client_a.get(url, {"residence": "other"})) == ["租户"]
    assert names(client_a.get(url, {"residence": "local"})) == ["本地人"]


def test_moved_out_residents_leave_the_list_but_are_kept(client_a, community_a):
    f.person(community_a, "留下")
    f.person(community_a, "搬走", moved_out_on=dt.date(2025, 1, 1))
    url = reverse("person_list")
    assert names(client_a.get(url)) == ["留下"]
    assert names(client_a.get(url, {"status": "moved"})) == ["搬走"]
    assert sorted(names(client_a.get(url, {"status": "all"}))) == ["搬走", "留下"]


def test_list_is_paginated_by_fifty(client_a, community_a):
    for i in range(55):
        f.person(community_a, f"居民{i:02d}")
    first = client_a.get(reverse("person_list"))
    assert len(names(first)) == 50
    assert len(names(client_a.get(reverse("person_list"), {"page": 2}))) == 5


def _residents(community, n, start=0):
    grid = Grid.objects.get_or_create(community=community, name="第1片")[0]
    for i in range(start, start + n):
        building = Building.objects.create(community=community, name=f"{i}号楼", grid=grid)
        household = Household.objects.create(community=community, building=building, unit=f"{i}01")
        f.person(community, f"居民{i}", household=household, id_number=f.id_number(seq=f"{i:03d}"))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page"])


def test_residents_list_query_count_does_not_grow_with_rows(staff_a, community_a):
    client = login(staff_a)
    _residents(community_a, 10)
    few, shown_few = _count_queries(client, reverse("person_list"))
    _residents(community_a, 30, start=10)
    many, shown_many = _count_queries(client, reverse("person_list"))
    assert (shown_few, shown_many) == (10, 40)
    assert few == many
