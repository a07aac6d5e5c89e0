"""Builders of the dibao tests, the matrix world and the benchmark: a compliant panel, a household with
members, a panel meeting with quorum (optionally convened)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from committee import approvals
from committee.models import Building, Household, Role
from dibao import services
from meetings import services as mtg
from tests import factories as f

COMPLIANT = ["director", "civil_affairs", "officer", "resident", "resident", "resident"]  # 3 cadres, 3 residents


def officer(community, name="低保专干"):
    return f.staff(community, name, [Role.DIBAO_OFFICER])


def panel(community, user, categories=COMPLIANT, start=dt.date(2020, 1, 1)):
    body = services.create_panel(community, acting_user=user)
    for i, cat in enumerate(categories):
        services.add_panel_member(body, category=cat, name=f"成员{i}", start=start, acting_user=user)
    return body


def household(community, names=("张三明", "李小红"), incomes=(("800", "0", "0"), ("0", "0", "0")),
              building_name="3号楼"):
    building, _c = Building.objects.get_or_create(community=community, name=building_name)
    hh = Household.objects.create(community=community, building=building, unit="2单元301", phone="13800000000")
    people = []
    for i, name in enumerate(names):
        people.append(f.person(community, name, household=hh, relation="head" if i == 0 else "spouse"))
    return hh, people


def case(community, user, **kwargs):
    hh, people = household(community, **kwargs)
    c = services.open_case(household=hh, acting_user=user)
    incomes = kwargs.get("incomes", (("800", "0", "0"), ("0", "0", "0")))
    for i, p in enumerate(people):
        wage, pension, other = incomes[i] if i < len(incomes) else ("0", "0", "0")
        services.add_member(c, person=p, relation="head" if i == 0 else "spouse", wage=wage, pension=pension,
                            other=other, acting_user=user)
    return c


def meeting(body, user, *, day=None, present=None, convene=False, approver=None):
    day = day or timezone.localdate()
    m = mtg.create_meeting(body, title="低保评审会", date=day, acting_user=user)
    keys = [p["key"] for p in mtg.expected_participants(m)]
    present = len(keys) if present is None else present
    m = mtg.record_roll_call(m, {k: ("present" if i < present else "absent") for i, k in enumerate(keys)},
                             acting_user=user)
    if convene:
        close(m, user, approver)
    return m


def close(m, user, approver):
    mtg.save_minutes(m, text="评审纪要", acting_user=user)
    mtg.close_minutes(m, acting_user=user)
    step = approvals.steps_for(m).filter(status="pending").first()
    approvals.decide(step.pk, acting_user=approver.user, approve=True)
    m.refresh_from_db()
    return m


def review(c, m, user, decision="approve", votes=None):
    return services.record_review(c, meeting=m, decision=decision, reasons="家庭人均收入低于标准",
                                  votes_for=votes or m.present_count, acting_user=user)


D = Decimal
