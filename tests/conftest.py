"""Personas shared by every app's tests: staff of community A, staff of community B, street-office
supervisors. Each app adds its own fixtures in tests/<app>/conftest.py."""

from __future__ import annotations

import pytest
from django.test import Client

from committee import calendar
from committee.models import Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def street(db):
    return f.street_office()


@pytest.fixture
def community_a(street):
    return f.community(street, "甲社区")


@pytest.fixture
def community_b(street):
    return f.community(street, "乙社区")


@pytest.fixture
def staff_a(community_a):
    """A committee member of community A without approving roles."""
    return f.staff(community_a, "甲委员", [Role.MEMBER])


@pytest.fixture
def director_a(community_a):
    return f.staff(community_a, "甲主任", [Role.DIRECTOR])


@pytest.fixture
def secretary_a(community_a):
    return f.staff(community_a, "甲书记", [Role.PARTY_SECRETARY])


@pytest.fixture
def staff_b(community_b):
    return f.staff(community_b, "乙委员", [Role.MEMBER])


@pytest.fixture
def director_b(community_b):
    return f.staff(community_b, "乙主任", [Role.DIRECTOR])


@pytest.fixture
def supervisor(street):
    """A street-office department head: sees and supervises every community of the street."""
    return f.staff(street, "部门负责人", [Role.DEPARTMENT_HEAD])


@pytest.fixture
def street_leader(street):
    return f.staff(street, "分管领导", [Role.STREET_LEADER])


@pytest.fixture
def instructor_a(street, community_a):
    return f.staff(street, "指导员", [Role.INSTRUCTOR], role_community=community_a)


def login(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@pytest.fixture
def client_a(staff_a):
    return login(staff_a)


@pytest.fixture
def client_director_a(director_a):
    return login(director_a)


@pytest.fixture
def client_b(staff_b):
    return login(staff_b)


@pytest.fixture
def client_street(supervisor):
    return login(supervisor)
