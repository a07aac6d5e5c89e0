"""Fixtures of the grid and visits chapter: a grid of community A with a building, households (one
elderly-alone, one renter), a local unit, and community B's household for the attacks."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from committee.models import Building, Grid, Household, Role
from tests import factories as f
from visits import services


@pytest.fixture
def deputy_a(community_a):
    return f.staff(community_a, "甲副主任", [Role.DEPUTY_DIRECTOR])


@pytest.fixture
def grid_a(community_a, staff_a, director_a):
    return Grid.objects.create(community=community_a, name="第1片", committee_member=staff_a,
                               station_member=director_a)


@pytest.fixture
def building_a(community_a, grid_a):
    return Building.objects.create(community=community_a, grid=grid_a, name="3号楼")


@pytest.fixture
def household_a(community_a, building_a):
    h = Household.objects.create(community=community_a, building=building_a, unit="2单元301")
    f.person(community_a, "孤老王", household=h, relation="head", elderly_alone=True)
    return h


@pytest.fixture
def renter_a(community_a, building_a):
    h = Household.objects.create(community=community_a, building=building_a, unit="1单元101", registered_locally=False)
    f.person(community_a, "租户李", household=h, relation="head", volunteer=True)
    return h


@pytest.fixture
def household_b(community_b):
    return Household.objects.create(community=community_b, unit="9单元901")


@pytest.fixture
def unit_a(community_a, staff_a):
    return services.save_unit(community=community_a, name="第一小学", acting_user=staff_a.user)


def yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


def visit(staff, household=None, *, day=None, start=dt.time(9), end=dt.time(10), problems=(), unit=None,
          visitors=None, **kw):
    v, _created = services.record_visit(community=staff.community, key=uuid.uuid4(), household=household, unit=unit,
                                        date=day or yesterday(), start_time=start, end_time=end,
                                        problems=list(problems), visitors=visitors or [staff],
                                        acting_user=staff.user, **kw)
    return v
