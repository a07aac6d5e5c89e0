"""Permission-matrix entries of the grid and visits chapter: every URL × persona. Objects belong to
community A (staff_b gets 404); writes are for a community's own staff (the street office gets 403),
except the grid groups, which the street office may change too. The service worker is public."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from committee.models import Building, Grid, Household
from meetings import services as mtg
from tests import factories as f
from tests.matrix import LOGIN, add, community_roles, everyone, roles, world_builder
from visits import services
from visits.models import GroupMember, LedgerEntry


@world_builder
def visits_world(w):
    a, staff_a, director = w["a"], w["staff_a"], w["director_a"]
    grid = Grid.objects.create(community=a, name="第1片", committee_member=staff_a, station_member=director)
    building = Building.objects.create(community=a, grid=grid, name="1号楼")
    household = Household.objects.create(community=a, building=building, unit="1单元101")
    person = f.person(a, "楼长甲", household=household, elderly_alone=True)
    w["visits_grid"] = grid
    w["visits_member"] = services.add_group_member(grid, person=person, position=GroupMember.Position.BUILDING_HEAD,
                                                   buildings=[building], start=dt.date(2026, 1, 1),
                                                   acting_user=director.user)
    w["visits_ledger"] = services.add_ledger_entry(grid, kind=LedgerEntry.Kind.NEED, text="需要助餐",
                                                   acting_user=staff_a.user)
    visit, _created = services.record_visit(
        community=a, key=uuid.uuid4(), household=household, date=timezone.localdate() - dt.timedelta(days=1),
        start_time=dt.time(9), end_time=dt.time(10), problems=["灯坏了"], acting_user=staff_a.user)
    w["visits_visit"] = visit
    w["visits_problem"] = visit.problems.get()
    w["visits_request"] = services.receive_request(community=a, channel="desk", kind="help", text="求助",
                                                   assigned_to=staff_a, acting_user=staff_a.user)
    body, _ = services.ensure_grid_body(a, acting_user=director.user)
    w["visits_meeting"] = mtg.create_meeting(body, title="第一季度分片包户工作会", date=timezone.localdate(),
                                             acting_user=director.user)


N, D = 404, 403
grid = lambda w: [w["visits_grid"].pk]  # noqa: E731
req = lambda w: [w["visits_request"].pk]  # noqa: E731
own = {"street": D}

add("visits_home", everyone())
add("visits_sw", everyone(200, anon=200), note="public: the service worker script")
add("visits_grid", everyone(200, staff_b=N), args=grid)
add("visits_member_add", everyone(200, staff_a=D, staff_b=N, **roles(200, "deputy_a", "secretary_a")), args=grid)
add("visits_member_end", everyone(302, staff_a=D, staff_b=N, **roles(302, "deputy_a", "secretary_a")), method="post", args=lambda w: [w["visits_member"].pk])
add("visits_ledger_add", everyone(200, staff_b=N, **own), args=grid)
add("visits_ledger_close", everyone(302, staff_b=N, **own), method="post", args=lambda w: [w["visits_ledger"].pk])
add("visits_responsibility", everyone())
add("visits_responsibility_pdf", everyone())
add("visits_visit_new", everyone(200, **own))
add("visits_log", everyone())
add("visits_visit", everyone(200, staff_b=N), args=lambda w: [w["visits_visit"].pk])
add("visits_problems", everyone())
add("visits_problem_solve", everyone(302, staff_b=N, **own), method="post", args=lambda w: [w["visits_problem"].pk],
    data=lambda w: {"solution": "修好了"})
add("visits_quotas", everyone())
add("visits_units", everyone())
add("visits_unit_new", everyone(200, **own))
add("visits_meeting", everyone())
add("visits_meeting_setup", everyone(302, staff_a=D, staff_b=D, street=200, **roles(302, "deputy_a", "secretary_a")), method="post",
    note="street office without a community chosen: the chooser page")
add("visits_meeting_fill", everyone(302, staff_b=N, **own), method="post", args=lambda w: [w["visits_meeting"].pk])
add("visits_requests", everyone())
add("visits_figures", everyone())
add("visits_request_new", everyone(200, **own))
add("visits_request", everyone(200, staff_b=N), args=req)
add("visits_request_close", everyone(200, staff_b=N, **own, **community_roles(D, but=("deputy_a", "secretary_a"))), args=req)
add("visits_request_assign", everyone(302, staff_b=N, **own), method="post", args=req,
    data=lambda w: {"assigned_to": w["director_a"].pk})

__all__ = ["LOGIN"]
