"""Test data built through the real models and services (no mocks of the project's own code)."""

from __future__ import annotations

import datetime as dt
import itertools

from stdnum.cn import ric

from committee.models import Community, Person, Role, RoleAssignment, Staff, StreetOffice, User

PASSWORD = "pw-for-tests-1"
_seq = itertools.count(1)
LONG_AGO = dt.date(2020, 1, 1)


def street_office(name="测试街道办事处", code=None) -> StreetOffice:
    n = next(_seq)
    return StreetOffice.objects.create(name=f"{name}{n}", code=code or f"street{n}")


def community(street: StreetOffice, name="社区") -> Community:
    n = next(_seq)
    return Community.objects.create(street_office=street, name=f"{name}{n}", code=f"c{n}",
                                    committee_name=f"{name}{n}居民委员会")


def staff(unit: Community | StreetOffice, name="员工", roles=(), *, login=True, wage="5000.00",
          start=LONG_AGO, end=None, role_community=None) -> Staff:
    """A staff member of a community (or of the street office), with a login and roles from ``start``."""
    n = next(_seq)
    is_street = isinstance(unit, StreetOffice)
    user = User.objects.create_user(username=f"user{n}", password=PASSWORD) if login else None
    s = Staff.objects.create(
        user=user,
        street_office=unit if is_street else unit.street_office,
        community=None if is_street else unit,
        name=f"{name}{n}",
        monthly_wage=wage,
    )
    for role in roles:
        RoleAssignment.objects.create(staff=s, role=role, start=start, end=end,
                                      community=role_community if is_street else unit)
    return s


def id_number(birth=dt.date(1980, 5, 17), region="110102", seq="123") -> str:
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def person(community: Community, name="张三", **kwargs) -> Person:
    n = next(_seq)
    kwargs.setdefault("id_number", id_number(seq=f"{n % 1000:03d}"))
    return Person.objects.create(community=community, name=name, **kwargs)


__all__ = ["Role", "PASSWORD"]
