"""The dashboard's grid reminders: visit quotas (GRID-5) due before the week, the holiday window or the
quarter ends and overdue after; requests (GRID-6) due and overdue; the quarterly grid meeting's body
(GRID-4). A fixed number of queries whatever the number of communities."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from committee import calendar, counts, policy, reminders
from committee.models import Grid
from visits import quotas, rules
from visits.models import Request


def _names(shortfalls) -> str:
    return "、".join(f"{s.name} {rules.hours_text(s.missing)}h" for s in shortfalls[:8]) + (
        " …" if len(shortfalls) > 8 else "")


@reminders.register
def weekly_quotas(communities, day):
    """GRID-5: this week's shortfall is due (until Sunday); last week's is overdue."""
    communities = list(communities)
    if not communities:
        return
    this_week, _end = rules.week_of(day)
    last_week = this_week - dt.timedelta(days=7)
    url = reverse("visits_quotas")
    # both weeks in the same 2 queries; the roles from the collectors' shared read (a year back to the quarter's end)
    tables = quotas.weeks(communities, [this_week, last_week], reminders.assignments(communities, day))
    for week_start, state in ((this_week, reminders.DUE), (last_week, reminders.OVERDUE)):
        table = tables[week_start]
        for c in communities:
            short = [s for s in table.get(c.pk, []) if s.missing]
            if not short:
                continue
            yield reminders.Reminder(
                community=c, rule="GRID-5", due=week_start + dt.timedelta(days=6), state=state,
                url=f"{url}?week={week_start.isoformat()}",
                title=(_("Home visits this week: %(n)s people short of their hours") if state == reminders.DUE
                       else _("Home visits last week: %(n)s people fell short of their hours")) % {"n": len(short)},
                detail=_names(short))


def _holiday_windows(communities, day):
    """GRID-5: the holiday-visit windows around ``day`` (name, from, holiday's first day), with the first
    community's number of days before the holiday (a street-wide setting)."""
    days_before = policy.setting("grid.holiday_visit_days").default
    if communities:
        policy.prefetch(communities)
        days_before = policy.get(communities[0], "grid.holiday_visit_days")
    return quotas.holiday_windows(day, days_before)


def _unit_checks(day):
    """GRID-5: (a day of the quarter to check, its due date, state): this quarter's units are due until it
    ends; last quarter's are overdue during the first month of the next."""
    start, end = rules.quarter_of(day)
    checks = [(day, end, reminders.DUE)]
    if day.month in (1, 4, 7, 10):
        checks.append((start - dt.timedelta(days=1), start - dt.timedelta(days=1), reminders.OVERDUE))
    return checks


@counts.register
def visit_counts(communities, day):
    """Per community (``committee.counts``): grids (GRID-4), open requests past their limit (GRID-6, the
    street comparison column), special households not visited in each holiday window and local units not
    visited by a director or deputy this quarter (GRID-5)."""
    out = {"visits.grids": Grid.objects.all(),
           "visits.requests_overdue": Request.objects.filter(status=Request.Status.OPEN, due_on__lt=day)}
    for _name, begin, end in _holiday_windows(communities, day):
        out[f"visits.holiday.{begin}.{end}"] = quotas.special_unvisited(begin, end)
    for probe, _due, _state in _unit_checks(day):
        out[f"visits.units.{probe}"] = quotas.units_unvisited(communities, probe)
    return out


@reminders.register
def holiday_visits(communities, day):
    """GRID-5: special households to visit before New Year's Day and the Spring Festival."""
    communities = list(communities)
    if not communities:
        return
    for name, begin, end in _holiday_windows(communities, day):
        missing = counts.get(communities, day, f"visits.holiday.{begin}.{end}")
        state = reminders.DUE if day <= end else reminders.OVERDUE
        for c in communities:
            if missing.get(c.pk):
                yield reminders.Reminder(
                    community=c, rule="GRID-5", due=end, state=state,
                    url=reverse("visits_quotas") + f"?holiday={end.isoformat()}",
                    title=_("Holiday visits before %(holiday)s: %(n)s special households not visited yet")
                    % {"holiday": calendar.holiday_name(name), "n": missing[c.pk]})


@reminders.register
def unit_visits(communities, day):
    """GRID-5: local units the director or a deputy has not visited this quarter (due until the quarter
    ends); last quarter's are overdue during the first month of the next."""
    communities = list(communities)
    if not communities:
        return
    for probe, due, state in _unit_checks(day):
        missing = counts.get(communities, day, f"visits.units.{probe}")
        for c in communities:
            if missing.get(c.pk):
                yield reminders.Reminder(
                    community=c, rule="GRID-5", due=due, state=state, url=reverse("visits_units"),
                    title=_("Local units not visited by the director or a deputy in %(quarter)s: %(n)s")
                    % {"quarter": rules.quarter_label(probe), "n": missing[c.pk]})


@reminders.register
def open_requests(communities, day):
    """GRID-6: open requests past their time limit are overdue; those due within two days are due."""
    communities = list(communities)
    if not communities:
        return
    soon = day + dt.timedelta(days=2)
    for req in Request.objects.filter(community__in=communities, status=Request.Status.OPEN,
                                      due_on__lte=soon).select_related("community", "assigned_to"):
        state = reminders.OVERDUE if day > req.due_on else reminders.DUE
        yield reminders.Reminder(
            community=req.community, rule="GRID-6", due=req.due_on, state=state, url=req.get_absolute_url(),
            title=_("Resident's request %(number)s: answer due by %(date)s") % {
                "number": req.number, "date": req.due_on.isoformat()},
            detail=_("Assigned to %(name)s") % {"name": req.assigned_to.name})


@reminders.register
def grid_meeting_body(communities, day):
    """GRID-4: a community with grids but no grid-work meeting body set up (its meetings are then covered
    by MTG-11 like every body)."""
    from meetings.reminders import bodies

    communities = list(communities)
    if not communities:
        return
    with_grids = counts.get(communities, day, "visits.grids")
    with_body = {b.community_id for b in bodies(communities, day) if b.kind == "grid_work"}
    _start, end = rules.quarter_of(day)
    for c in communities:
        if with_grids.get(c.pk) and c.pk not in with_body:
            yield reminders.Reminder(
                community=c, rule="GRID-4", due=end, state=reminders.DUE, url=reverse("visits_meeting"),
                title=_("The quarterly grid work meeting is not set up yet"))


def request_tasks(user):
    """The inbox: open requests assigned to the reader (GRID-6), the nearest limit first."""
    from committee import inbox
    from committee.scoping import staff_for

    staff = staff_for(user)
    if staff is None or staff.community_id is None:
        return []
    reqs = Request.objects.filter(assigned_to=staff, status=Request.Status.OPEN).select_related(
        "community").order_by("due_on")
    return [inbox.Source(reqs, _request_task, limit=50)]


def _request_task(r):
    from committee import inbox

    return inbox.Task(kind=_("Residents' requests"), title=f"{r.number} {r.get_kind_display()}",
                      url=r.get_absolute_url(), action=_("Record the resolution"), community=r.community,
                      details=[(_("Answer due by"), r.due_on.isoformat()), (_("What is asked"), r.text[:80])])


def overdue_requests(communities, day):
    """The street office's comparison: open requests past their limit per community (GRID-6)."""
    return counts.get(communities, day, "visits.requests_overdue")
