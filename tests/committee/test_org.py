"""ORG-1 (street office, communities, staff of one unit) and ORG-2 (roles held for periods, several at once)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from committee import approvals
from committee.models import Community, Role, RoleAssignment, Staff
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_org_1_a_community_has_committee_party_organisation_and_station(street):
    c = Community.objects.create(street_office=street, name="和平里社区", code="hpl", committee_name="和平里社区居民委员会",
                                 party_organisation_name="中共和平里社区委员会", service_station_name="和平里社区服务站")
    assert c in street.communities.all()
    assert (c.committee_name, c.party_organisation_name, c.service_station_name) == (
        "和平里社区居民委员会", "中共和平里社区委员会", "和平里社区服务站")


def test_org_1_staff_belong_to_one_community_or_to_the_street_office(street, community_a):
    other_street = f.street_office("别的街道")
    wrong = Staff(street_office=other_street, community=community_a, name="错配")
    with pytest.raises(ValidationError):
        wrong.full_clean()
    street_staff = f.staff(street, "街道干部", [Role.DEPARTMENT_HEAD])
    assert street_staff.is_street_staff and street_staff.unit_name == street.name


def test_org_2_a_person_holds_several_roles_each_for_a_period(community_a):
    person = f.staff(community_a, "多岗", [Role.MEMBER, Role.ARCHIVIST], start=dt.date(2024, 1, 1))
    RoleAssignment.objects.create(staff=person, role=Role.DEPUTY_DIRECTOR, start=dt.date(2026, 1, 1))
    day = dt.date(2026, 6, 1)
    assert approvals.roles_of(person, community_a, day) == {Role.MEMBER, Role.ARCHIVIST, Role.DEPUTY_DIRECTOR}
    assert approvals.roles_of(person, community_a, dt.date(2025, 6, 1)) == {Role.MEMBER, Role.ARCHIVIST}


def test_org_2_community_roles_and_street_roles_are_held_by_their_own_staff(street, community_a):
    member = f.staff(community_a, "委员", [])
    with pytest.raises(ValidationError, match="ORG-2"):
        RoleAssignment(staff=member, role=Role.STREET_LEADER, start=dt.date(2026, 1, 1)).full_clean()
    cadre = f.staff(street, "街道", [])
    with pytest.raises(ValidationError, match="ORG-2"):
        RoleAssignment(staff=cadre, role=Role.DIRECTOR, start=dt.date(2026, 1, 1)).full_clean()


def test_org_2_a_role_ends_on_a_date_and_the_record_stays(community_a):
    person = f.staff(community_a, "卸任", [Role.DIRECTOR], start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31))
    assert list(approvals.holders(Role.DIRECTOR, community_a, dt.date(2025, 12, 31))) == [person]
    assert list(approvals.holders(Role.DIRECTOR, community_a, dt.date(2026, 1, 1))) == []
    with pytest.raises(ValidationError):
        RoleAssignment(staff=person, role=Role.MEMBER, start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1)).full_clean()
