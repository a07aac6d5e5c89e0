"""GRID-5: the visit quotas computed from the log against the working-day calendar, for any number of
communities in a fixed number of queries (the dashboard, the quota page, the street office's comparison).

- ``weekly(communities, week_start)`` → {community_id: [rules.Shortfall]} for every director, deputy and
  other member (rules.DIRECTOR_ROLES / MEMBER_ROLES) holding the role in that week;
- ``holiday_windows(day)`` and ``holiday_status(communities, start, end)`` → special households (elderly
  alone, disabled, serious illness) not visited before New Year's Day / the Spring Festival;
- ``unit_status(communities, day)`` → local units not visited by the director or a deputy this quarter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from committee import calendar, policy
from committee.models import Household, Person, RoleAssignment
from visits import rules
from visits.models import LocalUnit, Visit

SPECIAL_PERSON = Q(elderly_alone=True) | Q(disabled=True) | Q(serious_illness=True)
SPECIAL = Q(members__elderly_alone=True) | Q(members__disabled=True) | Q(members__serious_illness=True)


def _ids(communities):
    return [c.pk for c in communities]


def weekly(communities, week_start: dt.date) -> dict[int, list[rules.Shortfall]]:
    """GRID-5: per community, each person's required and logged minutes in the week (3 queries)."""
    return weeks(communities, [week_start])[week_start]


def own_week(staff, week_start: dt.date) -> rules.Shortfall | None:
    """GRID-5: ``staff``'s own line of ``weekly`` (required and logged minutes), None when they hold no
    visiting role that week: their roles as read with the session (no query during a GET), their own visits
    (1 query) and their community's policy (1 query, none once read), instead of the whole community's table."""
    from committee.scoping import preloaded_assignments

    roles = preloaded_assignments(staff)
    if roles is None:
        roles = list(RoleAssignment.objects.filter(staff=staff).select_related("staff"))
    mine = [ra for ra in roles if ra.community_id == staff.community_id]
    table = weeks([staff.community], [week_start], assignments=mine, visitor=staff)[week_start]
    return next((s for s in table.get(staff.community_id, []) if s.staff_id == staff.pk), None)


def weeks(communities, week_starts, assignments=None, visitor=None) -> dict[dt.date, dict[int, list[rules.Shortfall]]]:
    """``weekly`` for several weeks at once, in the same 3 queries (the reminders ask for this week and the
    last one); 2 with ``assignments`` (``committee.reminders.assignments``, covering the weeks). With
    ``visitor`` (and assignments), only that person's visits are read (``own_week``)."""
    communities = list(communities)
    week_starts = sorted(set(week_starts))
    first, last_end = week_starts[0], week_starts[-1] + dt.timedelta(days=6)
    policy.prefetch(communities)
    if assignments is not None:
        roles = [ra for ra in assignments if ra.role in rules.DIRECTOR_ROLES + rules.MEMBER_ROLES
                 and ra.in_force(first, last_end)]
    else:
        roles = list(RoleAssignment.objects.filter(community_id__in=_ids(communities),
                                                   role__in=rules.DIRECTOR_ROLES + rules.MEMBER_ROLES,
                                                   start__lte=last_end)
                     .filter(Q(end__isnull=True) | Q(end__gte=first)).select_related("staff"))
    done: dict[tuple[dt.date, int, int], int] = defaultdict(int)
    visits = Visit.objects.filter(community_id__in=_ids(communities), date__range=(first, last_end))
    if visitor is not None:
        visits = visits.filter(visitors=visitor)
    for row in visits.values("community", "visitors", "date").annotate(total=Sum("minutes")):
        for week_start in week_starts:
            if week_start <= row["date"] <= week_start + dt.timedelta(days=6):
                done[(week_start, row["community"], row["visitors"])] += row["total"] or 0
    by_community = {c.pk: c for c in communities}
    result = {}
    for week_start in week_starts:
        week_end = week_start + dt.timedelta(days=6)
        kinds: dict[tuple[int, int], tuple[str, str]] = {}
        for ra in roles:
            if not ra.in_force(week_start, week_end):
                continue
            key = (ra.community_id, ra.staff_id)
            if ra.role in rules.DIRECTOR_ROLES or key not in kinds:
                kinds[key] = ("director" if ra.role in rules.DIRECTOR_ROLES else "member", ra.staff.name)
        out: dict[int, list[rules.Shortfall]] = defaultdict(list)
        for (community_id, staff_id), (kind, name) in sorted(kinds.items(), key=lambda kv: kv[1][1]):
            values = policy.get_many(by_community[community_id], "grid.director_visit_hours_week",
                                     "grid.member_visit_hours_day")
            required = rules.weekly_required_minutes(
                kind, week_start, director_hours=Decimal(values["grid.director_visit_hours_week"]),
                member_hours=Decimal(values["grid.member_visit_hours_day"]))
            out[community_id].append(rules.Shortfall(staff_id, name, required,
                                                     done.get((week_start, community_id, staff_id), 0)))
        result[week_start] = out
    return result


def holiday_starts(years) -> dict[tuple[str, int], dt.date]:
    """(holiday name, year) → first day, from the working-day calendar's table (``calendar.holidays``: no
    query while its per-process cache is warm). A New Year's Day holiday that starts on 31 December belongs to
    the next year."""
    out: dict[tuple[str, int], dt.date] = {}
    rows = []
    for year in sorted({y - 1 for y in years} | set(years)):
        rows += [(day, name) for day, name in calendar.holidays(year).items() if name in rules.HOLIDAYS]
    for day, name in sorted(rows):
        year = day.year + 1 if name == "New Year's Day" and day.month == 12 else day.year
        out.setdefault((name, year), day)
    return out


def holiday_windows(day: dt.date, days_before: int = 30) -> list[tuple[str, dt.date, dt.date]]:
    """GRID-5: the holiday-visit windows (name, from, holiday's first day) around ``day`` — those that are
    open now or ended in the last 30 days."""
    years = [day.year, day.year + 1]
    starts = holiday_starts(years)
    out = []
    for year in years:
        for name in rules.HOLIDAYS:
            first = rules.holiday_start(name, year, starts)
            if first is None:
                continue
            begin, end = rules.holiday_window(first, days_before=days_before)
            if begin <= day <= end + dt.timedelta(days=30):
                out.append((name, begin, end))
    return out


def special_unvisited(begin: dt.date, end: dt.date):
    """GRID-5: the households with a special member (elderly alone, disabled, serious illness, not moved out)
    and no visit between ``begin`` and ``end``, as a queryset (the quota page lists them, the reminders count
    them per community in ``committee.counts``)."""
    special = Person.objects.filter(household=OuterRef("pk"), moved_out_on__isnull=True).filter(SPECIAL_PERSON)
    visited = Visit.objects.filter(household=OuterRef("pk"), date__range=(begin, end))
    return Household.objects.filter(Exists(special)).exclude(Exists(visited))


def holiday_status(communities, begin: dt.date, end: dt.date) -> dict[int, list[Household]]:
    """GRID-5: per community, the special households without a visit between ``begin`` and ``end`` (1
    query)."""
    out: dict[int, list[Household]] = defaultdict(list)
    for h in special_unvisited(begin, end).filter(community_id__in=_ids(communities)).select_related("building"):
        out[h.community_id].append(h)
    return out


def units_unvisited(communities, day: dt.date):
    """GRID-5: the active local units not visited in ``day``'s quarter by someone who held a director's or
    deputy's role (rules.DIRECTOR_ROLES) of these communities during it, as a queryset (the units page lists
    them, the reminders count them per community in ``committee.counts``)."""
    start, end = rules.quarter_of(day)
    leaders = (RoleAssignment.objects.filter(community_id__in=_ids(communities), role__in=rules.DIRECTOR_ROLES,
                                             start__lte=end)
               .filter(Q(end__isnull=True) | Q(end__gte=start)).values("staff_id"))
    visited = Visit.objects.filter(unit=OuterRef("pk"), date__range=(start, end), visitors__in=leaders)
    return LocalUnit.objects.filter(active=True).exclude(Exists(visited))


def unit_status(communities, day: dt.date) -> dict[int, list[LocalUnit]]:
    """GRID-5: per community, active local units not visited this quarter by the director or a deputy (1
    query)."""
    out: dict[int, list[LocalUnit]] = defaultdict(list)
    for unit in units_unvisited(communities, day).filter(community_id__in=_ids(communities)):
        out[unit.community_id].append(unit)
    return out


def weeks_ended(year: int, day: dt.date) -> list[dt.date]:
    """GRID-5: the Mondays of the weeks of ``year`` (a week belongs to the year of its Monday) that have
    ended by ``day`` — each week is counted in exactly one year, and only once it is over."""
    monday = dt.date(year, 1, 1) + dt.timedelta(days=(7 - dt.date(year, 1, 1).weekday()) % 7)
    out = []
    while monday.year == year and monday + dt.timedelta(days=6) <= day:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def year_totals(community, year: int, day: dt.date) -> list[rules.Shortfall]:
    """GRID-5: each person's required and logged minutes summed over the weeks of ``year`` ended by ``day``
    (``weeks_ended``), with the rules of ``weekly`` applied week by week (the role held in the week, the
    week's working days), in 3 queries. ``done`` counts at most the week's requirement (a week's surplus
    does not make up another week's shortfall)."""
    mondays = weeks_ended(year, day)
    if not mondays:
        return []
    first, last = mondays[0], mondays[-1] + dt.timedelta(days=6)
    values = policy.get_many(community, "grid.director_visit_hours_week", "grid.member_visit_hours_day")
    hours = dict(director_hours=Decimal(values["grid.director_visit_hours_week"]),
                 member_hours=Decimal(values["grid.member_visit_hours_day"]))
    roles = list(RoleAssignment.objects.filter(community=community, role__in=rules.DIRECTOR_ROLES + rules.MEMBER_ROLES,
                                               start__lte=last).filter(Q(end__isnull=True) | Q(end__gte=first))
                 .select_related("staff"))
    logged: dict[tuple[int, dt.date], int] = defaultdict(int)
    for staff_id, date, total in (Visit.objects.filter(community=community, date__range=(first, last))
                                  .values("visitors", "date").annotate(total=Sum("minutes"))
                                  .values_list("visitors", "date", "total")):
        logged[(staff_id, rules.week_of(date)[0])] += total or 0
    required: dict[int, int] = defaultdict(int)
    met: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for monday in mondays:
        sunday = monday + dt.timedelta(days=6)
        kinds: dict[int, str] = {}
        for ra in roles:
            if ra.in_force(monday, sunday):
                if ra.role in rules.DIRECTOR_ROLES or ra.staff_id not in kinds:
                    kinds[ra.staff_id] = "director" if ra.role in rules.DIRECTOR_ROLES else "member"
                names[ra.staff_id] = ra.staff.name
        for staff_id, kind in kinds.items():
            owed = rules.weekly_required_minutes(kind, monday, **hours)
            required[staff_id] += owed
            met[staff_id] += min(logged.get((staff_id, monday), 0), owed)
    return [rules.Shortfall(staff_id, names[staff_id], required[staff_id], met[staff_id])
            for staff_id in sorted(required, key=lambda s: names[s])]
