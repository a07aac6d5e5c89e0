"""Every change of the visits chapter. Each function runs in a transaction, checks the rule it carries out,
saves with the acting user in the history and raises a translated ValidationError naming the field and
the rule. Act times are the server's (CTL-6): received, recorded, solved and resolved.

For other chapters::

    from visits.services import record_staff_complaint
    req = record_staff_complaint(staff=member, text="窗口态度差", source="posts", acting_user=request.user)

records a complaint about a staff member (GRID-6) in the staff member's community: numbered, given the
committed time limit of complaints, assigned to the committee approver (never to the person complained
about) and tracked on the dashboard like every request."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import approvals, calendar, inputs, policy, records, scoping
from committee.models import Community, Grid, Household, Person, Role, Staff
from committee.scoping import staff_for
from visits import rules
from visits.models import Counter, GroupMember, LedgerEntry, LocalUnit, Problem, Request, Visit

# Who may change a community's grid groups (GRID-1): its leaders; the street office as well.
GROUP_MANAGERS = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY)
# Who may close any request of the community, besides the person it is assigned to (GRID-6).
REQUEST_MANAGERS = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY)


_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff can do this."))
    return staff


def _community_staff(acting_user, community: Community) -> Staff:
    staff = _staff(acting_user)
    if staff.community_id != community.pk:
        raise ValidationError(_("Only the community's own staff can record this."))
    return staff


def _text(value: str, field: str, rule: str) -> str:
    value = (value or "").strip()
    bad = inputs.find_control_character(value)
    if bad:
        raise ValidationError({field: _("The text contains a control character, which is not allowed (%(rule)s).")
                               % {"rule": "CTL-8"}})
    return value


def may_manage_groups(user, community: Community) -> bool:
    if scoping.is_street_staff(user):
        return True
    staff = staff_for(user)
    return bool(staff and staff.community_id == community.pk and approvals.roles_of(staff, community,
                                                                                     timezone.localdate())
                & set(GROUP_MANAGERS))


# --- GRID-1: grid groups ----------------------------------------------------------------------------


@transaction.atomic
def add_group_member(grid: Grid, *, person: Person, position: str, buildings=(), households=(), start: dt.date,
                     acting_user) -> GroupMember:
    """GRID-1: a resident of the register joins the grid's group for buildings and households of the grid."""
    if not may_manage_groups(acting_user, grid.community):
        raise ValidationError(_("Only the director, the deputy, the party secretary or the street office change "
                                "the grid groups (GRID-1)."))
    if person.community_id != grid.community_id:
        raise ValidationError({"person": _("The resident belongs to another community (GRID-1).")})
    if person.moved_out_on:
        raise ValidationError({"person": _("The resident has moved out (GRID-1).")})
    if position not in GroupMember.Position.values:
        raise ValidationError({"position": _("Choose a position (GRID-1).")})
    if any(b.grid_id != grid.pk for b in buildings):
        raise ValidationError({"buildings": _("Only buildings of this grid can be given (GRID-1).")})
    if any(h.community_id != grid.community_id for h in households):
        raise ValidationError({"households": _("The household belongs to another community (GRID-1).")})
    if GroupMember.objects.filter(grid=grid, person=person, position=position, end__isnull=True).exists():
        raise ValidationError({"person": _("%(name)s is already in this group in this position (GRID-1).")
                               % {"name": person.name}})
    member = _save(GroupMember(community=grid.community, grid=grid, person=person, position=position,
                               start=start), acting_user)
    member.buildings.set(buildings)
    member.households.set(households)
    return member


@transaction.atomic
def end_group_member(member: GroupMember, *, end: dt.date, acting_user) -> GroupMember:
    if not may_manage_groups(acting_user, member.community):
        raise ValidationError(_("Only the director, the deputy, the party secretary or the street office change "
                                "the grid groups (GRID-1)."))
    member = GroupMember.objects.select_for_update().get(pk=member.pk)
    if member.end:
        raise ValidationError(_("This membership has already ended."))
    if end < member.start:
        raise ValidationError({"end": _("The end cannot be before the start (%(start)s).")
                               % {"start": member.start.isoformat()}})
    member.end = end
    return _save(member, acting_user)


# --- GRID-2: local units and the needs ledger ------------------------------------------------------


@transaction.atomic
def save_unit(*, community: Community, name: str, address: str = "", contact: str = "", phone: str = "",
              grid: Grid | None = None, unit: LocalUnit | None = None, active: bool = True,
              acting_user) -> LocalUnit:
    _community_staff(acting_user, community) if not scoping.is_street_staff(acting_user) else None
    name = _text(name, "name", "GRID-5")
    if not name:
        raise ValidationError({"name": _("Please give the unit's name.")})
    if grid is not None and grid.community_id != community.pk:
        raise ValidationError({"grid": _("The grid belongs to another community.")})
    clash = LocalUnit.objects.filter(community=community, name=name).exclude(pk=unit.pk if unit else None)
    if clash.exists():
        raise ValidationError({"name": _("A unit with this name is already recorded.")})
    unit = unit or LocalUnit(community=community)
    unit.name, unit.address, unit.contact, unit.phone, unit.grid, unit.active = (
        name, address, contact, phone, grid, active)
    return _save(unit, acting_user)


@transaction.atomic
def add_ledger_entry(grid: Grid, *, kind: str, text: str, household: Household | None = None,
                     acting_user) -> LedgerEntry:
    """GRID-2: a need of a household or a note on neighbour relations in the grid's ledger."""
    staff = _community_staff(acting_user, grid.community)
    text = _text(text, "text", "GRID-2")
    if not text:
        raise ValidationError({"text": _("Please say what the need or the relation is (GRID-2).")})
    if kind not in LedgerEntry.Kind.values:
        raise ValidationError({"kind": _("Choose a kind (GRID-2).")})
    if household is not None and household.community_id != grid.community_id:
        raise ValidationError({"household": _("The household belongs to another community (GRID-2).")})
    return _save(LedgerEntry(community=grid.community, grid=grid, household=household, kind=kind, text=text,
                             recorded_by=staff), acting_user)


@transaction.atomic
def close_ledger_entry(entry: LedgerEntry, *, acting_user) -> LedgerEntry:
    _community_staff(acting_user, entry.community)
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.closed_at:
        raise ValidationError(_("This entry is already closed."))
    entry.closed_at = timezone.now()
    return _save(entry, acting_user)


# --- GRID-3: visits --------------------------------------------------------------------------------


def check_visit(*, community: Community, household: Household | None, unit: LocalUnit | None, date: dt.date,
                start_time: dt.time, end_time: dt.time, now: dt.datetime | None = None) -> int:
    """GRID-3: the checks of a visit; returns its length in minutes. Nothing is saved when one fails."""
    errors = {}
    if (household is None) == (unit is None):
        errors["household"] = _("Choose the household or the local unit visited (GRID-3).")
    elif household is not None and household.community_id != community.pk:
        errors["household"] = _("The household belongs to another community; visits are recorded by its own "
                                "community (GRID-3).")
    elif unit is not None and unit.community_id != community.pk:
        errors["unit"] = _("The unit belongs to another community (GRID-3).")
    now = timezone.localtime(now or timezone.now())
    minutes = rules.visit_minutes(start_time, end_time)
    if date > now.date():
        errors["date"] = _("A visit cannot be in the future (GRID-3).")
    elif date < now.date() - dt.timedelta(days=366):
        errors["date"] = _("A visit more than a year ago cannot be recorded any more (GRID-3).")
    elif date == now.date() and dt.datetime.combine(date, start_time) > now.replace(tzinfo=None) + dt.timedelta(
            minutes=10):
        errors["start_time"] = _("A visit cannot start in the future (GRID-3).")
    if minutes <= 0:
        errors["end_time"] = _("The visit ends before it starts (GRID-3).")
    elif minutes > rules.MAX_VISIT_MINUTES:
        errors["end_time"] = _("A visit is at most one working day long (%(h)s hours, GRID-3).") % {"h": 8}
    if errors:
        raise ValidationError(errors)
    return minutes


def record_visit(*, community: Community, key, household: Household | None = None, unit: LocalUnit | None = None,
                 date: dt.date, start_time: dt.time, end_time: dt.time, visitors=(), companions: str = "",
                 found: str = "", follow_up: str = "", problems=(), solved: bool = False,
                 acting_user) -> tuple[Visit, bool]:
    """GRID-3: record a visit with the problems raised. Returns (visit, created).

    ``key`` is the idempotency key of the typed form (a UUID made on the phone): a second submission with
    the same key (a retry, the offline outbox sending again) returns the visit saved the first time."""
    staff = _community_staff(acting_user, community)
    try:
        key = uuid.UUID(str(key))
    except (TypeError, ValueError):
        raise ValidationError({"key": _("The form is incomplete; reload the page and type the visit again.")}) \
            from None
    existing = Visit.objects.filter(key=key).first()
    if existing is not None:
        return _same_submission(existing, staff), False
    minutes = check_visit(community=community, household=household, unit=unit, date=date, start_time=start_time,
                          end_time=end_time)
    visitors = list(visitors) or [staff]
    if any(v.community_id != community.pk for v in visitors):
        raise ValidationError({"visitors": _("Only the community's own staff can be named as visitors (GRID-3).")})
    if any(v.left_on and v.left_on < date for v in visitors):
        raise ValidationError({"visitors": _("A staff member who had left before the visit's date cannot be named "
                                             "as a visitor (GRID-3).")})
    texts = [_text(p, "problems", "GRID-3") for p in problems]
    texts = [t for t in texts if t]
    for field, value in (("found", found), ("follow_up", follow_up), ("companions", companions)):
        _text(value, field, "GRID-3")
    grid = (household.building.grid if household and household.building_id else None) if household else unit.grid
    try:
        with transaction.atomic():
            visit = _save(Visit(community=community, grid=grid, household=household, unit=unit, date=date,
                                start_time=start_time, end_time=end_time, minutes=minutes, companions=companions,
                                found=found, follow_up=follow_up, key=key, recorded_by=staff), acting_user)
            visit.visitors.set(visitors)
            now = timezone.now()
            for text in texts:
                problem = Problem(community=community, visit=visit, text=text)
                if solved:
                    problem.solved_at, problem.solved_by = now, staff
                    problem.solution = follow_up or _("Solved during the visit.")
                _save(problem, acting_user)
    except IntegrityError:
        # The same key arrived twice at the same moment: the other request saved it.
        existing = Visit.objects.filter(key=key).first()
        if existing is None:
            raise
        return _same_submission(existing, staff), False
    return visit, True


def _same_submission(visit: Visit, staff: Staff) -> Visit:
    if visit.recorded_by_id != staff.pk:
        raise ValidationError({"key": _("The form is incomplete; reload the page and type the visit again.")})
    return visit


@transaction.atomic
def solve_problem(problem: Problem, *, solution: str, acting_user) -> Problem:
    """GRID-3: a problem raised in a visit is solved: who solved it and when (the server's time)."""
    staff = _community_staff(acting_user, problem.community)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.solved_at:
        raise ValidationError(_("This problem was already recorded as solved."))
    solution = _text(solution, "solution", "GRID-3")
    if not solution:
        raise ValidationError({"solution": _("Please say how the problem was solved (GRID-3).")})
    problem.solved_at, problem.solved_by, problem.solution = timezone.now(), staff, solution
    return _save(problem, acting_user)


# --- GRID-6: residents' requests -------------------------------------------------------------------


def next_number(community: Community, year: int) -> int:
    Counter.objects.get_or_create(community=community, year=year)
    counter = Counter.objects.select_for_update().get(community=community, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def default_days(community: Community, kind: str) -> int | None:
    """GRID-6: the committed time limit of a kind of request from the policy table, or None."""
    key = rules.request_days_key(kind)
    return policy.get(community, key) if key else None


def default_handler(community: Community, *, not_staff: Staff | None = None) -> Staff | None:
    """Who handles a request nobody was named for: the committee approver (ORG-3), never the subject."""
    day = timezone.localdate()
    for role in (policy.committee_approver_role(community), Role.DIRECTOR, Role.PARTY_SECRETARY,
                 Role.DEPUTY_DIRECTOR):
        person = approvals.holders(role, community, day).exclude(pk=getattr(not_staff, "pk", None)).first()
        if person:
            return person
    return None


@transaction.atomic
def receive_request(*, community: Community, channel: str, kind: str, text: str, days: int | None = None,
                    assigned_to: Staff | None = None, resident: Person | None = None, resident_name: str = "",
                    contact: str = "", grid: Grid | None = None, about_staff: Staff | None = None,
                    source: str = "", acting_user) -> Request:
    """GRID-6: a request or complaint is received, numbered 诉求-YYYY-NNNN, given its committed time limit
    (working days from the day received, on the working-day calendar) and assigned to a person."""
    staff = _staff(acting_user)
    if not scoping.is_street_staff(acting_user) and staff.community_id != community.pk:
        raise ValidationError(_("Only the community's own staff can record this."))
    errors = {}
    if channel not in Request.Channel.values:
        errors["channel"] = _("Choose how the request was received (GRID-6).")
    if kind not in Request.Kind.values:
        errors["kind"] = _("Choose the kind of request (GRID-6).")
    text = _text(text, "text", "GRID-6")
    if not text:
        errors["text"] = _("Please write down what the resident asks (GRID-6).")
    if days in (None, ""):
        days = default_days(community, kind) if kind in Request.Kind.values else None
    if not days or int(days) < 1:
        errors["days"] = _("A request needs a committed time limit in working days (GRID-6).")
    elif int(days) > 60:
        errors["days"] = _("The time limit is at most 60 working days (GRID-6).")
    if resident is not None and resident.community_id != community.pk:
        errors["resident"] = _("The resident belongs to another community (GRID-6).")
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = _("The grid belongs to another community.")
    if about_staff is not None and about_staff.community_id != community.pk:
        errors["about_staff"] = _("The staff member works for another community (GRID-6).")
    if assigned_to is None:
        assigned_to = default_handler(community, not_staff=about_staff)
    if assigned_to is None:
        errors["assigned_to"] = _("Choose who deals with the request (GRID-6).")
    elif assigned_to.community_id != community.pk:
        errors["assigned_to"] = _("Only the community's own staff can be assigned (GRID-6).")
    elif about_staff is not None and assigned_to.pk == about_staff.pk:
        errors["assigned_to"] = _("A complaint is never dealt with by the person it is about (GRID-6).")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    received = timezone.localtime(now).date()
    due = calendar.deadline(received, int(days)).date
    year = received.year
    number = f"诉求-{year}-{next_number(community, year):04d}"
    return _save(Request(
        community=community, number=number, channel=channel, kind=kind, resident=resident,
        resident_name=_text(resident_name, "resident_name", "GRID-6") or (resident.name if resident else ""),
        contact=contact, grid=grid, text=text, about_staff=about_staff, source=source, received_at=now,
        received_by=staff, days=int(days), due_on=due, assigned_to=assigned_to), acting_user)


def record_staff_complaint(*, staff: Staff, text: str, source: str, resident_name: str = "", contact: str = "",
                           channel: str = Request.Channel.OTHER_CHAPTER, assigned_to: Staff | None = None,
                           acting_user) -> Request:
    """GRID-6 for other chapters (posts, evaluation): a complaint about ``staff`` in their community, with
    the committed time limit of complaints, assigned to the committee approver (never to ``staff``)."""
    if staff.community_id is None:
        raise ValidationError(_("Complaints are recorded for a community's staff (GRID-6)."))
    return receive_request(community=staff.community, channel=channel, kind=Request.Kind.STAFF_COMPLAINT,
                           text=text, about_staff=staff, assigned_to=assigned_to, resident_name=resident_name,
                           contact=contact, source=source, acting_user=acting_user)


def may_close(user, req: Request) -> bool:
    staff = staff_for(user)
    if staff is None or staff.community_id != req.community_id or req.status != Request.Status.OPEN:
        return False
    if req.about_staff_id == staff.pk:
        return False
    if staff.pk == req.assigned_to_id:
        return True
    return bool(approvals.roles_of(staff, req.community, timezone.localdate()) & set(REQUEST_MANAGERS))


@transaction.atomic
def assign_request(req: Request, *, assigned_to: Staff, acting_user) -> Request:
    staff = _community_staff(acting_user, req.community)
    req = Request.objects.select_for_update().get(pk=req.pk)
    if req.status != Request.Status.OPEN:
        raise ValidationError(_("The request is already resolved."))
    if not (staff.pk == req.assigned_to_id or approvals.roles_of(staff, req.community, timezone.localdate())
            & set(REQUEST_MANAGERS)):
        raise ValidationError(_("Only the person it is assigned to or the director passes a request on (GRID-6)."))
    if assigned_to.community_id != req.community_id:
        raise ValidationError({"assigned_to": _("Only the community's own staff can be assigned (GRID-6).")})
    if req.about_staff_id and assigned_to.pk == req.about_staff_id:
        raise ValidationError({"assigned_to": _("A complaint is never dealt with by the person it is about "
                                                "(GRID-6).")})
    req.assigned_to = assigned_to
    return _save(req, acting_user)


@transaction.atomic
def close_request(req: Request, *, resolution: str, feedback: str, feedback_note: str = "", acting_user) -> Request:
    """GRID-6: resolved, with what was done and what the resident said. A resolution note is required."""
    req = Request.objects.select_for_update().get(pk=req.pk)
    if req.status != Request.Status.OPEN:
        raise ValidationError(_("The request is already resolved."))
    if not may_close(acting_user, req):
        raise ValidationError(_("Only the person it is assigned to or the director closes a request; never the "
                                "person a complaint is about (GRID-6)."))
    errors = {}
    resolution = _text(resolution, "resolution", "GRID-6")
    if not resolution:
        errors["resolution"] = _("A request is closed with a note of how it was resolved (GRID-6).")
    if feedback not in Request.Feedback.values:
        errors["feedback"] = _("Record the resident's feedback (GRID-6).")
    if errors:
        raise ValidationError(errors)
    req.resolution, req.feedback = resolution, feedback
    req.feedback_note = _text(feedback_note, "feedback_note", "GRID-6")
    req.status, req.closed_at, req.closed_by = Request.Status.CLOSED, timezone.now(), staff_for(acting_user)
    return _save(req, acting_user)


REQUEST_STATES = ("received", "in_time", "late", "overdue", "open")


def request_figures(communities, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict[int, dict]:
    """GRID-6: per community, the requests received from ``start`` to ``end`` (both included): how many, and
    how many resolved in time, resolved late, open past the limit, open within it (``rules.request_state``
    on ``today``) — one query for any number of communities (the monthly figures page, POST-6)."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    rows = Request.objects.filter(community__in=list(communities),
                                  received_at__gte=dt.datetime.combine(start, dt.time.min, tz),
                                  received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
                                  ).only("community_id", "due_on", "closed_at", "status")
    counts: dict[int, dict] = defaultdict(lambda: dict.fromkeys(REQUEST_STATES, 0))
    for r in rows:
        c = counts[r.community_id]
        c["received"] += 1
        c[rules.request_state(r.due_on, r.closed_on, today)] += 1
    return counts


# --- GRID-4: the quarterly grid work meeting ------------------------------------------------------

GRID_BODY_KIND = "grid_work"


def grid_body(community: Community):
    from meetings.models import Body

    return Body.objects.filter(community=community, kind=GRID_BODY_KIND).order_by("pk").first()


@transaction.atomic
def ensure_grid_body(community: Community, *, acting_user):
    """GRID-4: the community's grid work meeting (分片包户工作会), a meetings body of kind ``grid_work``
    (cadence 3 months, MTG-11 reminds), with every grid's committee and station member as members."""
    from meetings import services as mtg

    body = grid_body(community)
    if body is not None:
        return body, False
    if not may_manage_groups(acting_user, community):
        raise ValidationError(_("Only the director, the deputy, the party secretary or the street office change "
                                "the grid groups (GRID-1)."))
    body = mtg.create_body(community=community, kind=GRID_BODY_KIND, name=_("Grid work meeting"),
                           acting_user=acting_user)
    staff = {}
    for grid in Grid.objects.filter(community=community).select_related("committee_member", "station_member"):
        for member in (grid.committee_member, grid.station_member):
            if member is not None:
                staff[member.pk] = member
    start = timezone.localdate()
    for member in staff.values():
        mtg.add_member(body, staff=member, start=start, acting_user=acting_user)
    return body, True


def quarter_summary(community: Community, day: dt.date) -> dict:
    """GRID-4: the quarter's figures from the log: visits, hours, households and units visited, problems
    raised and solved (with the solved ones listed), requests received and resolved in time."""
    from django.db.models import Count, Sum

    start, end = rules.quarter_of(day)
    visits = Visit.objects.filter(community=community, date__range=(start, end))
    totals = visits.aggregate(n=Count("pk"), minutes=Sum("minutes"), households=Count("household", distinct=True),
                              units=Count("unit", distinct=True))
    raised = Problem.objects.filter(community=community, visit__date__range=(start, end)).count()
    tz = timezone.get_current_timezone()
    after = dt.datetime.combine(start, dt.time.min, tz)
    before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    solved = list(Problem.objects.filter(community=community, solved_at__gte=after, solved_at__lt=before)
                  .select_related("visit__household__building", "visit__unit", "solved_by").order_by("solved_at"))
    requests = list(Request.objects.filter(community=community, received_at__gte=after, received_at__lt=before))
    return {
        "start": start, "end": end, "label": rules.quarter_label(day),
        "visits": totals["n"], "hours": rules.hours_text(totals["minutes"] or 0),
        "households": totals["households"], "units": totals["units"], "raised": raised, "solved": solved,
        "open": Problem.objects.filter(community=community, solved_at__isnull=True).count(),
        "requests": len(requests),
        "requests_in_time": sum(1 for r in requests if r.in_time),
        "requests_open": sum(1 for r in requests if r.closed_at is None),
    }


def summary_text(summary: dict) -> str:
    """The summary as plain text for the minutes (in the language of the screen)."""
    lines = [
        _("Grid work in %(quarter)s (%(start)s – %(end)s):") % {
            "quarter": summary["label"], "start": summary["start"].isoformat(), "end": summary["end"].isoformat()},
        _("Visits: %(n)s, %(hours)s hours; households visited: %(households)s; local units: %(units)s.") % {
            "n": summary["visits"], "hours": summary["hours"], "households": summary["households"],
            "units": summary["units"]},
        _("Problems raised: %(raised)s; solved this quarter: %(solved)s; still open: %(open)s.") % {
            "raised": summary["raised"], "solved": len(summary["solved"]), "open": summary["open"]},
        _("Residents' requests received: %(n)s; resolved in time: %(in_time)s; still open: %(open)s.") % {
            "n": summary["requests"], "in_time": summary["requests_in_time"], "open": summary["requests_open"]},
    ]
    if summary["solved"]:
        lines.append(_("Problems solved:"))
        for p in summary["solved"]:
            lines.append(f"- {p.visit.target}：{p.text} → {p.solution}（{p.solved_by.name if p.solved_by else ''}，"
                         f"{timezone.localtime(p.solved_at):%Y-%m-%d}）")
    return "\n".join(lines)


@transaction.atomic
def fill_minutes(meeting, *, acting_user):
    """GRID-4: put the quarter's summary into the minutes of a held grid work meeting (after what is
    already written). The meetings chapter's own rules apply (only while held, never after approval)."""
    from meetings import services as mtg

    if meeting.body.kind != GRID_BODY_KIND:
        raise ValidationError(_("Only a grid work meeting gets the grid summary (GRID-4)."))
    _community_staff(acting_user, meeting.community)
    text = summary_text(quarter_summary(meeting.community, meeting.date))
    current = (meeting.minutes or "").rstrip()
    return mtg.save_minutes(meeting, text=(current + "\n\n" + text) if current else text, acting_user=acting_user)
