"""Dashboard reminders (per community for the street office) and the demo data."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from committee import reminders
from committee.models import Person, RoleAssignment, Staff, User
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_org_3_missing_committee_approver_shows_on_the_dashboard(community_a, staff_a):
    items = reminders.collect([community_a], dt.date(2026, 3, 2))
    assert any(r.rule == "ORG-3" and r.community == community_a and r.is_overdue for r in items)


def test_org_3_no_reminder_when_the_approver_role_is_held(community_a, director_a):
    items = reminders.collect([community_a], dt.date(2026, 3, 2))
    assert not any(r.rule == "ORG-3" for r in items)


def test_next_years_unconfirmed_calendar_is_due_from_november(community_a):
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)):
        items = reminders.collect([community_a], dt.date(2026, 11, 28))
    assert any(r.rule == "CAL" and "2027" in r.title for r in items)
    assert not any(r.rule == "CAL" for r in reminders.collect([community_a], dt.date(2026, 6, 1)))


def test_street_dashboard_lists_each_community(client_street, community_a, community_b):
    page = client_street.get("/dashboard/").content.decode()
    assert community_a.name in page and community_b.name in page


def test_community_dashboard_shows_only_its_own(client_a, community_a, community_b):
    page = client_a.get("/dashboard/").content.decode()
    assert community_a.name in page and community_b.name not in page


def test_demo_data_is_complete_valid_and_idempotent():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))  # tests run with DEBUG off
    counts = (User.objects.count(), Staff.objects.count(), RoleAssignment.objects.count(), Person.objects.count())
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert counts == (User.objects.count(), Staff.objects.count(), RoleAssignment.objects.count(),
                      Person.objects.count())
    assert Person.objects.count() > 100
    for person in Person.objects.all()[:300]:
        person.full_clean()  # every demo ID number passes the GB 11643 check
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    from committee.models import Role

    assert held == {r.value for r in Role}, "every role of ORG-2 is held by somebody in the demo"
    assert login(Staff.objects.get(user__username="heping.director")).get("/dashboard/").status_code == 200


def test_street_dashboard_compares_communities_with_figures(client_street, community_a, community_b, staff_a):
    from tests import factories as f

    f.person(community_a, "居民甲")
    response = client_street.get("/dashboard/")
    comparison = response.context["comparison"]
    rows = {c.pk: {label: v for label, v, _url in values} for c, values, _overdue, _due in comparison["rows"]}
    links = {c.pk: {label: url for label, _v, url in values} for c, values, _overdue, _due in comparison["rows"]}
    assert links[community_a.pk]["登记居民"] == f"/residents/?community={community_a.pk}"  # issue 17: to its records
    assert rows[community_a.pk]["登记居民"] == 1
    assert rows[community_b.pk]["登记居民"] == 0
    assert rows[community_a.pk]["在岗人员"] == 1
    assert "各社区对比" in response.content.decode()
