"""Issue 17 (Scale): the district seed is idempotent, and the list and dashboard pages keep their query
counts when the seeded data grows (the same cap at two data sizes: no N+1)."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from committee.models import Community, Role, RoleAssignment, Staff, User

SMALL = {"communities": 2, "staff": 6, "years": 1, "households": 6}
LARGE = {"communities": 3, "staff": 30, "years": 2, "households": 30}

# Page URL name → query cap (the nav badge runs every reminder provider: see docs/performance.md).
CAPS = {
    "dashboard": 70,
    "staff_list": 25,
    "person_list": 25,
    "building_list": 22,
    "attendance_home": 30,
    "attendance_register": 30,
    "attendance_leave_list": 23,
    "meetings_home": 31,
    "finance_home": 27,
    "finance_expense_list": 22,
    "dibao_home": 30,
    "archives_home": 29,
    "archives_volumes": 22,
    "seals_home": 26,
    "visits_home": 30,
}
STREET_DASHBOARD_CAP = 90


def _seed(size):
    call_command("seed_scale", stdout=open("/dev/null", "w"), **size)


def _counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_scale_is_idempotent():
    _seed(SMALL)
    first = _counts()
    assert first["committee.Community"] >= 2
    for label in ("attendance.SignIn", "attendance.LeaveRequest", "meetings.Meeting", "finance.Expense",
                  "dibao.Case", "dibao.Visit", "archives.Item", "seals.SealUse", "committee.Person"):
        assert first[label] > 0, label
    # the history rows are made in bulk too
    assert first["attendance.HistoricalSignIn"] == first["attendance.SignIn"]
    assert first["seals.HistoricalSealUse"] == first["seals.SealUse"]
    _seed(SMALL)
    assert _counts() == first


def _director_client():
    community = Community.objects.get(code="scale01")
    director = Staff.objects.filter(community=community, roles__role=Role.DIRECTOR).first()
    director.user = User.objects.create_user("scale-director", password="x")
    director.save()
    for role in (Role.ATTENDANCE_KEEPER, Role.BOOKKEEPER, Role.ARCHIVIST, Role.DIBAO_OFFICER,
                 Role.CIVIL_AFFAIRS, Role.SEAL_CUSTODIAN):
        RoleAssignment.objects.get_or_create(staff=director, role=role, community=community,
                                             defaults={"start": dt.date(2020, 1, 1)})
    client = Client()
    client.force_login(director.user)
    street = Staff.objects.create(user=User.objects.create_user("scale-street", password="x"),
                                  street_office=community.street_office, name="街道")
    RoleAssignment.objects.create(staff=street, role=Role.DEPARTMENT_HEAD, start=dt.date(2020, 1, 1))
    street_client = Client()
    street_client.force_login(street.user)
    return client, street_client


@pytest.mark.django_db
@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_pages_query_counts_do_not_grow_with_rows(size, django_assert_max_num_queries):
    _seed(size)
    client, street_client = _director_client()
    for name, cap in CAPS.items():
        with django_assert_max_num_queries(cap, info=name):
            assert client.get(reverse(name)).status_code == 200, name
    with django_assert_max_num_queries(STREET_DASHBOARD_CAP):
        assert street_client.get(reverse("dashboard")).status_code == 200
