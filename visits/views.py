"""Pages of the grid and visits chapter (GRID-1 … GRID-6). Thin: parse, call a service, show its error,
redirect (POST-redirect-GET). Every object is looked up through ``committee.scoping`` (another
community's record answers 404). The visit form also answers JSON to its page script (the offline outbox
of static/js/visits.js), and ``sw`` serves the service worker under /visits/ so that its scope is the
chapter's pages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import audit, printing, scoping
from committee.feedback import act, form_errors
from committee.models import Building, Community, Grid, Household, Person
from committee.scoping import staff_for
from visits import forms, quotas, rules, services
from visits.models import GroupMember, LedgerEntry, LocalUnit, Problem, Request, Visit


def _get(request, model, pk, related=()):
    return scoping.get_for_user(model.objects.select_related("community", *related), request.user, pk=pk)


def _community_staff_only(request):
    staff = staff_for(request.user)
    if staff is None or staff.community_id is None:
        raise PermissionDenied
    return staff


def _date(value, default):
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return default
    from committee import inputs

    return day if inputs.EARLIEST <= day <= inputs.latest_date() else default


def _int(value):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None  # a huge id is nobody's, never a database error


# --- home --------------------------------------------------------------------------------------------


@scoping.staff_required
def home(request):
    """Any staff: the grids of the current community, my visit hours this week, open problems and
    requests."""
    community = scoping.current_community(request)
    grids = scoping.scope_to_current(Grid.objects.select_related("community", "committee_member",
                                                                 "station_member"), request).annotate(
        n_buildings=Count("buildings", distinct=True),
        n_members=Count("group_members", filter=Q(group_members__end__isnull=True), distinct=True))
    staff = staff_for(request.user)
    today = timezone.localdate()
    week_start, week_end = rules.week_of(today)
    mine = None
    if staff is not None and staff.community_id:
        mine = quotas.own_week(staff, week_start)
    problems = scoping.scope_to_current(Problem.objects.filter(solved_at__isnull=True), request).count()
    requests = scoping.scope_to_current(Request.objects.filter(status=Request.Status.OPEN), request).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))  # GRID-6: both counts in one query
    return render(request, "visits/home.html", {
        "grids": grids, "community": community, "mine": mine, "week_start": week_start, "week_end": week_end,
        "open_problems": problems, "open_requests": requests["open"], "overdue_requests": requests["overdue"],
        "is_community_staff": bool(staff and staff.community_id),
        "recent": scoping.scope_to_current(Visit.objects.select_related("household__building", "unit",
                                                                        "community"), request)[:10],
    })


# --- GRID-1 / GRID-2: a grid, its group, what it knows ------------------------------------------------

FILTERS = {
    "all": None,
    "renters": "renters",
    "special": "special",
    "volunteers": "volunteers",
}


@scoping.staff_required
def grid_detail(request, pk):
    """Staff who may see the grid: its group (GRID-1), its households with the register's filters, the
    ledger of needs and neighbour relations (GRID-2), visits and open problems (GRID-3)."""
    grid = _get(request, Grid, pk, ("committee_member", "station_member"))
    show = request.GET.get("show") if request.GET.get("show") in FILTERS else "all"
    today = timezone.localdate()
    current = Person.objects.filter(moved_out_on__isnull=True).order_by("name")
    households = Household.objects.filter(building__grid=grid).select_related("building").prefetch_related(
        Prefetch("members", queryset=current, to_attr="current"))
    if show == "renters":
        households = households.filter(registered_locally=False)
    elif show == "special":
        households = households.filter(quotas.SPECIAL | Q(members__hardship=True),
                                       members__moved_out_on__isnull=True).distinct()
    elif show == "volunteers":
        households = households.filter(members__volunteer=True, members__moved_out_on__isnull=True).distinct()
    members = (GroupMember.objects.filter(grid=grid).filter(Q(end__isnull=True) | Q(end__gte=today))
               .select_related("person").prefetch_related("buildings", "households__building"))
    ledger = grid.ledger.filter(closed_at__isnull=True).select_related("household__building", "recorded_by")
    visits = grid.visits.select_related("household__building", "unit")[:20]
    problems = Problem.objects.filter(visit__grid=grid, solved_at__isnull=True).select_related(
        "visit__household__building", "visit__unit")
    counts = Household.objects.filter(building__grid=grid).aggregate(
        all=Count("pk", distinct=True), renters=Count("pk", filter=Q(registered_locally=False), distinct=True))
    return render(request, "visits/grid.html", {
        "grid": grid, "show": show, "households": households, "members": members, "ledger": ledger,
        "visits": visits, "problems": problems, "counts": counts,
        "may_manage": services.may_manage_groups(request.user, grid.community),
        "is_own": getattr(staff_for(request.user), "community_id", None) == grid.community_id,
        "filters": [("all", _("All households")), ("renters", _("Renters and floating population")),
                    ("special", _("Special households")), ("volunteers", _("Volunteers"))],
    })


@scoping.staff_required
def member_add(request, pk):
    """Director, deputy, party secretary, street office: a resident joins the grid group (GRID-1)."""
    grid = _get(request, Grid, pk)
    if not services.may_manage_groups(request.user, grid.community):
        raise PermissionDenied
    form = forms.MemberForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_group_member(grid, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(name)s is now in the group of %(grid)s.") % {
                "name": member.person.name, "grid": grid.name})
            return redirect("visits_grid", grid.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Add to the group of %(grid)s") % {
        "grid": grid.name}, "back_url": reverse("visits_grid", args=[grid.pk])})


@require_POST
@scoping.staff_required
def member_end(request, pk):
    """Director, deputy, party secretary, street office: a resident leaves the group on a date (GRID-1)."""
    member = _get(request, GroupMember, pk, ("grid", "person"))
    if not services.may_manage_groups(request.user, member.community):
        raise PermissionDenied
    form = forms.EndForm(request.POST or {"end": timezone.localdate().isoformat()})
    end = form.cleaned_data["end"] if form.is_valid() else timezone.localdate()
    return act(request, reverse("visits_grid", args=[member.grid_id]),
               lambda: services.end_group_member(member, end=end, acting_user=request.user),
               _("%(name)s has left the group.") % {"name": member.person.name})


@scoping.staff_required
def ledger_add(request, pk):
    """Staff of the community: a need or a note on neighbour relations in the grid's ledger (GRID-2)."""
    grid = _get(request, Grid, pk)
    staff = _community_staff_only(request)
    if staff.community_id != grid.community_id:
        raise PermissionDenied
    form = forms.LedgerForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_ledger_entry(grid, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Recorded in the ledger of %(grid)s.") % {"grid": grid.name})
            return redirect("visits_grid", grid.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Ledger of %(grid)s") % {
        "grid": grid.name}, "back_url": reverse("visits_grid", args=[grid.pk])})


@require_POST
@scoping.staff_required
def ledger_close(request, pk):
    """Staff of the community: a ledger entry no longer current (kept, marked closed)."""
    entry = _get(request, LedgerEntry, pk)
    _community_staff_only(request)
    return act(request, reverse("visits_grid", args=[entry.grid_id]),
               lambda: services.close_ledger_entry(entry, acting_user=request.user), _("The entry was closed."))


def _responsibility(community):
    today = timezone.localdate()
    grids = list(Grid.objects.filter(community=community).select_related("committee_member", "station_member")
                 .prefetch_related(
                     Prefetch("buildings", queryset=Building.objects.annotate(n=Count("households")).order_by(
                         "name")),
                     Prefetch("group_members", queryset=GroupMember.objects.filter(
                         Q(end__isnull=True) | Q(end__gte=today)).select_related("person").prefetch_related(
                         "buildings", "households__building"), to_attr="members")))
    return grids


@scoping.staff_required
def responsibility(request):
    """Any staff: the responsibility list (责任分工) and network chart of one community (GRID-1)."""
    community, chooser = scoping.one_community(request, _("Grid responsibility"))
    if chooser:
        return chooser
    grids = _responsibility(community)
    return render(request, "visits/responsibility.html", {"community": community, "grids": grids,
                                                          "chart": chart(community, grids)})


@scoping.staff_required
def responsibility_pdf(request):
    """Any staff: the responsibility list printed with its network chart (GRID-1)."""
    community, chooser = scoping.one_community(request, _("Grid responsibility"))
    if chooser:
        return chooser
    grids = _responsibility(community)
    pdf = printing.render_pdf("visits/responsibility_pdf.html", {
        "community": community, "grids": grids, "chart": chart(community, grids), "today": timezone.localdate()})
    audit.exported(request, community, "responsibility.pdf")  # CTL-9: names of the residents of each group
    return printing.pdf_response(pdf, _("Grid responsibility") + ".pdf")


def chart(community, grids) -> dict:
    """GRID-1: the network chart (责任分工网络图) laid out on the server: the committee at the top, a
    column per grid with its committee member and station member, then the residents of its group. The
    template draws it as SVG (no script, no CDN)."""
    col_w, box_w, box_h, gap = 190, 170, 44, 14
    columns = []
    height = 0
    for i, grid in enumerate(grids):
        x = 20 + i * col_w
        y = 110
        boxes = [{"x": x, "y": y, "title": grid.name, "sub": "、".join(b.name for b in grid.buildings.all())[:14],
                  "kind": "grid"}]
        y += box_h + gap
        for label, staff in ((_("Committee member"), grid.committee_member), (_("Station member"),
                                                                               grid.station_member)):
            boxes.append({"x": x, "y": y, "title": staff.name if staff else "—", "sub": label, "kind": "staff"})
            y += box_h + gap
        for m in getattr(grid, "members", []):
            where = "、".join(b.name for b in m.buildings.all()) or "、".join(str(h) for h in m.households.all())
            boxes.append({"x": x, "y": y, "title": m.person.name,
                          "sub": (m.get_position_display() + (" · " + where if where else ""))[:16],
                          "kind": "resident"})
            y += box_h + gap
        height = max(height, y)
        columns.append({"x": x, "mid": x + box_w // 2, "boxes": boxes, "bottom": boxes[-1]["y"] + box_h // 2})
    width = max(20 + len(grids) * col_w, 210)
    top_mid = (columns[0]["mid"] + columns[-1]["mid"]) // 2 if columns else width // 2
    return {"width": width, "height": max(height, 200), "box_w": box_w, "box_h": box_h, "columns": columns,
            "top_x": top_mid - box_w // 2, "top_mid": top_mid, "title": community.committee_name or community.name,
            "bar_y": 90, "bar_end": columns[-1]["mid"] if columns else 0}


# --- GRID-3: visits --------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@scoping.staff_required
def visit_new(request):
    """Staff of the community: the phone-first visit form (GRID-3). Answers JSON to its page script; a
    retried submission with the same key saves one visit."""
    staff = _community_staff_only(request)
    community = staff.community
    form = forms.VisitForm(request.POST or None, community=community, staff=staff,
                           initial={"household": _int(request.GET.get("household")),
                                    "unit": _int(request.GET.get("unit"))})
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            problems = [line for line in data.pop("problems").splitlines() if line.strip()]
            try:
                visit, created = services.record_visit(community=community, problems=problems,
                                                       acting_user=request.user, **data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                text = (_("The visit to %(target)s on %(date)s was recorded.") if created else
                        _("The visit to %(target)s on %(date)s had already been recorded; it was not saved twice.")
                        ) % {"target": visit.target, "date": visit.date.isoformat()}
                if _wants_json(request):
                    return JsonResponse({"ok": True, "created": created, "url": visit.get_absolute_url(),
                                         "message": text})
                messages.success(request, text)
                return redirect(visit)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": {
                (str(form.fields[k].label) if k in form.fields else ""): [str(m) for m in v]
                for k, v in form.errors.items()}}, status=400)
    return render(request, "visits/visit_form.html", {"form": form, "community": community})


@scoping.staff_required
def visit_detail(request, pk):
    """Staff who may see it: the visit, who went, the problems raised and their solution (GRID-3)."""
    visit = _get(request, Visit, pk, ("household__building", "unit", "grid", "recorded_by"))
    audit.accessed(request, visit)  # CTL-9: what was found in a resident's home
    staff = staff_for(request.user)
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "visitors": visit.visitors.all(),
        "problems": visit.problems.select_related("solved_by"),
        "is_own": bool(staff and staff.community_id == visit.community_id)})


@require_POST
@scoping.staff_required
def problem_solve(request, pk):
    """Staff of the community: a problem raised in a visit is solved (who, when: the server's time)."""
    problem = _get(request, Problem, pk)
    _community_staff_only(request)
    form = forms.SolveForm(request.POST)
    solution = form.data.get("solution", "") if form.is_bound else ""
    return act(request, problem.get_absolute_url(),
               lambda: services.solve_problem(problem, solution=solution, acting_user=request.user),
               _("The problem was recorded as solved."))


@scoping.staff_required
def log(request):
    """Any staff: the visit ledger (走访台账) filtered by grid, person and period (GRID-3)."""
    today = timezone.localdate()
    start = _date(request.GET.get("from"), today - dt.timedelta(days=30))
    end = _date(request.GET.get("to"), today)
    visits = scoping.scope_to_current(Visit.objects.select_related("community", "household__building", "unit",
                                                                   "grid").prefetch_related("visitors"), request)
    visits = visits.filter(date__range=(start, end)).annotate(
        n_problems=Count("problems", distinct=True),
        n_open=Count("problems", filter=Q(problems__solved_at__isnull=True), distinct=True))
    grids = scoping.scope_to_current(Grid.objects.all(), request)
    staff_list = scoping.scope_to_current(forms.Staff.objects.filter(community__isnull=False), request).order_by(
        "name")
    grid_id, staff_id = _int(request.GET.get("grid")), _int(request.GET.get("staff"))
    if grid_id:
        visits = visits.filter(grid_id=grid_id)
    if staff_id:
        visits = visits.filter(visitors=staff_id)
    return render(request, "visits/log.html", {
        "visits": visits[:300], "grids": grids, "staff_list": staff_list, "grid_id": grid_id,
        "staff_id": staff_id, "start": start, "end": end,
        "show_community": scoping.current_community(request) is None})


@scoping.staff_required
def problems(request):
    """Any staff: problems raised in visits, open first, tracked to solution (GRID-3)."""
    qs = scoping.scope_to_current(Problem.objects.select_related(
        "community", "visit__household__building", "visit__unit", "solved_by"), request)
    state = request.GET.get("state") if request.GET.get("state") in ("open", "solved") else "open"
    qs = qs.filter(solved_at__isnull=(state == "open")).order_by("-visit__date", "pk")
    return render(request, "visits/problems.html", {"problems": qs[:300], "state": state,
                                                    "show_community": scoping.current_community(request) is None})


# --- GRID-5: quotas --------------------------------------------------------------------------------


@scoping.staff_required
def quota(request):
    """Any staff: the week's visit hours per person against the quota, the holiday visits to special
    households and the quarter's visits to local units (GRID-5)."""
    communities = ([scoping.current_community(request)] if scoping.current_community(request)
                   else list(scoping.communities(request.user)))
    today = timezone.localdate()
    week_start, week_end = rules.week_of(_date(request.GET.get("week"), today))
    table = quotas.weekly(communities, week_start)
    from committee import calendar, policy

    days_before = policy.get(communities[0], "grid.holiday_visit_days") if communities else 30
    holiday_day = _date(request.GET.get("holiday"), today)
    windows = quotas.holiday_windows(holiday_day, days_before)
    holidays = [(calendar.holiday_name(name), begin, end, quotas.holiday_status(communities, begin, end))
                for name, begin, end in windows]
    units = quotas.unit_status(communities, today)
    working = calendar.working_days_between(week_start, week_end)
    rows = []
    for c in communities:
        for s in table.get(c.pk, []):
            rows.append((c, s))
    return render(request, "visits/quotas.html", {
        "rows": rows, "week_start": week_start, "week_end": week_end, "working": working,
        "prev": week_start - dt.timedelta(days=7), "next": week_start + dt.timedelta(days=7),
        "holidays": [(name, begin, end, [(c, status.get(c.pk, [])) for c in communities])
                     for name, begin, end, status in holidays],
        "units": [(c, units.get(c.pk, [])) for c in communities], "quarter": rules.quarter_label(today),
        "show_community": len(communities) > 1, "hours": rules.hours_text,
        "warning": calendar.unconfirmed_warning(week_start),
        "is_community_staff": bool(getattr(staff_for(request.user), "community_id", None)),
    })


@scoping.staff_required
def units(request):
    """Any staff: the local units of the community and whether the director or a deputy visited them this
    quarter (GRID-5)."""
    qs = scoping.scope_to_current(LocalUnit.objects.select_related("community", "grid"), request)
    today = timezone.localdate()
    start, end = rules.quarter_of(today)
    missing = set()
    for items in quotas.unit_status(list({u.community for u in qs}), today).values():
        missing |= {u.pk for u in items}
    return render(request, "visits/units.html", {
        "units": qs, "missing": missing, "quarter": rules.quarter_label(today),
        "is_community_staff": bool(getattr(staff_for(request.user), "community_id", None)),
        "show_community": scoping.current_community(request) is None})


@scoping.staff_required
def unit_new(request):
    """Staff of the community: record a local unit (驻区单位)."""
    staff = _community_staff_only(request)
    form = forms.UnitForm(request.POST or None, community=staff.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_unit(community=staff.community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The unit was recorded."))
            return redirect("visits_units")
    return render(request, "committee/form.html", {"form": form, "title": _("New local unit"),
                                                   "back": "visits_units"})


# --- GRID-4: the quarterly grid meeting ------------------------------------------------------------


@scoping.staff_required
def meeting(request):
    """Any staff: the quarter's figures for the grid work meeting (GRID-4), the meetings of the grid-work
    body, and for a held meeting the button that fills the summary into its minutes."""
    community, chooser = scoping.one_community(request, _("Grid work meeting"))
    if chooser:
        return chooser
    day = _date(request.GET.get("day"), timezone.localdate())
    summary = services.quarter_summary(community, day)
    body = services.grid_body(community)
    meetings = list(body.meetings.order_by("-date")[:12]) if body else []
    staff = staff_for(request.user)
    return render(request, "visits/meeting.html", {
        "community": community, "summary": summary, "body": body, "meetings": meetings,
        "may_setup": services.may_manage_groups(request.user, community),
        "is_own": bool(staff and staff.community_id == community.pk),
        "prev": summary["start"] - dt.timedelta(days=1), "next": summary["end"] + dt.timedelta(days=1),
    })


@require_POST
@scoping.staff_required
def meeting_setup(request):
    """Director, deputy, party secretary, street office: set up the grid work meeting body (GRID-4)."""
    community, chooser = scoping.one_community(request, _("Grid work meeting"))
    if chooser:
        return chooser
    if not services.may_manage_groups(request.user, community):
        raise PermissionDenied
    return act(request, reverse("visits_meeting"),
               lambda: services.ensure_grid_body(community, acting_user=request.user),
               _("The grid work meeting was set up; plan its meetings on the meetings pages."))


@require_POST
@scoping.staff_required
def meeting_fill(request, pk):
    """Staff of the community: put the quarter's figures and solved problems into a held grid work
    meeting's minutes (GRID-4)."""
    from meetings.models import Meeting

    mtg = _get(request, Meeting, pk, ("body",))
    _community_staff_only(request)
    return act(request, mtg.get_absolute_url(), lambda: services.fill_minutes(mtg, acting_user=request.user),
               _("The quarter's grid figures were added to the minutes."))


# --- GRID-6: residents' requests -------------------------------------------------------------------


@scoping.staff_required
def requests(request):
    """Any staff: residents' requests and complaints, open (overdue first) or resolved (GRID-6)."""
    qs = scoping.scope_to_current(Request.objects.select_related("community", "assigned_to", "resident"), request)
    state = request.GET.get("state") if request.GET.get("state") in ("open", "closed", "overdue") else "open"
    today = timezone.localdate()
    if state == "open":
        qs = qs.filter(status=Request.Status.OPEN).order_by("due_on", "pk")
    elif state == "overdue":
        qs = qs.filter(status=Request.Status.OPEN, due_on__lt=today).order_by("due_on", "pk")
    else:
        qs = qs.filter(status=Request.Status.CLOSED).order_by("-closed_at")
    return render(request, "visits/requests.html", {
        "requests": qs[:300], "state": state, "today": today,
        "is_community_staff": bool(getattr(staff_for(request.user), "community_id", None)),
        "show_community": scoping.current_community(request) is None})


@scoping.staff_required
def request_new(request):
    """Staff of the community: receive a request or complaint; its time limit and who deals with it
    (GRID-6)."""
    staff = _community_staff_only(request)
    form = forms.RequestForm(request.POST or None, community=staff.community)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.receive_request(community=staff.community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Request %(number)s was recorded; %(name)s answers it by %(date)s.") % {
                "number": req.number, "name": req.assigned_to.name, "date": req.due_on.isoformat()})
            return redirect(req)
    return render(request, "committee/form.html", {"form": form, "title": _("New resident's request"),
                                                   "back": "visits_requests"})


@scoping.staff_required
def request_detail(request, pk):
    """Staff who may see it: the request, its time limit, who deals with it, its resolution (GRID-6)."""
    req = _get(request, Request, pk, ("assigned_to", "received_by", "closed_by", "resident", "about_staff", "grid"))
    audit.accessed(request, req)  # CTL-9: a resident's request, name and contact number
    today = timezone.localdate()
    staff = staff_for(request.user)
    is_own = bool(staff and staff.community_id == req.community_id)
    return render(request, "visits/request_detail.html", {
        "req": req, "state": rules.request_state(req.due_on, req.closed_on, today),
        "may_close": services.may_close(request.user, req), "is_own": is_own and req.status == Request.Status.OPEN,
        "close_form": forms.CloseForm(), "assign_form": forms.AssignForm(community=req.community)})


@scoping.staff_required
def request_close(request, pk):
    """The person it is assigned to, the director, deputy or party secretary: close with the resolution
    and the resident's feedback (GRID-6); never the person a complaint is about."""
    req = _get(request, Request, pk)
    if not services.may_close(request.user, req):
        raise PermissionDenied
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_request(req, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Request %(number)s is resolved.") % {"number": req.number})
            return redirect(req)
    return render(request, "committee/form.html", {"form": form, "title": _("Resolve %(number)s") % {
        "number": req.number}, "back_obj": req})


@require_POST
@scoping.staff_required
def request_assign(request, pk):
    """The person it is assigned to or the director: pass the request on (GRID-6)."""
    req = _get(request, Request, pk)
    _community_staff_only(request)
    form = forms.AssignForm(request.POST, community=req.community)
    if not form.is_valid():
        messages.error(request, _("Choose who deals with the request (GRID-6)."))
        return redirect(req)
    return act(request, req, lambda: services.assign_request(req, assigned_to=form.cleaned_data["assigned_to"],
                                                             acting_user=request.user),
               _("The request was passed to %(name)s.") % {"name": form.cleaned_data["assigned_to"].name})


@scoping.staff_required
def figures(request):
    """Any staff (the street office: every community): requests received in a month, resolved in time,
    resolved late, open past the limit (GRID-6)."""
    today = timezone.localdate()
    month = _date((request.GET.get("month") or "") + "-01", today.replace(day=1)).replace(day=1)
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    communities = ([scoping.current_community(request)] if scoping.current_community(request)
                   else list(scoping.communities(request.user)))
    counts = services.request_figures(communities, month, nxt - dt.timedelta(days=1), today)
    table = [(c, counts[c.pk]) for c in communities]
    total = {k: sum(row[k] for _c, row in table) for k in ("received", "in_time", "late", "overdue", "open")}
    return render(request, "visits/figures.html", {
        "table": table, "total": total, "month": month, "prev": (month - dt.timedelta(days=1)).replace(day=1),
        "next": nxt})


# --- the service worker ---------------------------------------------------------------------------


def sw(request):
    """The service worker of the visit form, served under /visits/ so its scope covers the chapter's pages
    (a script under /static/js/ could only control /static/js/). Same origin: the CSP's script-src 'self'
    (worker-src falls back to it) lets it run. No login needed: it is the same file for everybody and
    holds no data."""
    path = settings.BASE_DIR / "static" / "js" / "visits-sw.js"
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/visits/"
    response["Cache-Control"] = "no-cache"
    return response


__all__ = ["Community"]
