"""Fixtures of the welfare chapter: the street's finance (approves plans, CTL-4), the instructor of A, and a
plan of A approved through the October timeline (WEL-2). Tests run on a fixed day, June 10, 2026, unless
they move the clock themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from committee.models import Role
from tests import factories as f
from tests.welfare import helpers

YEAR = 2026


@pytest.fixture(autouse=True)
def _frozen(time_machine, request):
    if "live_server" not in request.fixturenames:
        time_machine.move_to(dt.datetime(YEAR, 6, 10, 10, 0), tick=False)


@pytest.fixture
def street_finance(street):
    return f.staff(street, "街道财务", [Role.FINANCE])


@pytest.fixture
def owner_a(community_a):
    return f.staff(community_a, "项目负责人", [Role.MEMBER])


@pytest.fixture
def plan_a(community_a, staff_a, director_a, instructor_a, supervisor, street_finance):
    return helpers.approved_plan(community_a, member=staff_a, director=director_a, instructor=instructor_a,
                                 reviewer=supervisor, setter=street_finance)


@pytest.fixture
def social_project(plan_a):
    return plan_a.projects.get(name="睦邻互助")


@pytest.fixture
def sports_project(plan_a):
    return plan_a.projects.get(name="广场舞大赛")
