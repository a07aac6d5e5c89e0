"""Pages of the shared core: dashboard, staff and roles, policy, calendar, approvals inbox, history.

Views are thin: they parse, call a service, show its error, and redirect (POST-redirect-GET). Each view's
docstring says who may use it; the decorator enforces it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import approvals, calendar, policy, reminders, scoping
from committee.feedback import flash_errors
from committee.forms import (
    AccountForm,
    CalendarDayForm,
    DecisionForm,
    EndRoleForm,
    PolicyValueForm,
    RoleAssignmentForm,
    StaffForm,
)
from committee.models import (
    STREET_ROLES,
    Approval,
    CalendarYear,
    Community,
    Role,
    RoleAssignment,
    Staff,
)
from committee.scoping import staff_required, street_office_required

MANAGER_ROLES = (Role.DIRECTOR, Role.PARTY_SECRETARY)


def _can_manage_staff(user, community: Community | None) -> bool:
    """Street-office staff manage every community's staff; a community's director or party secretary
    manage their own."""
    if scoping.is_street_staff(user):
        return True
    staff = scoping.staff_for(user)
    if staff is None or community is None or staff.community_id != community.pk:
        return False
    return approvals.roles_of(staff, community, timezone.localdate()) & set(MANAGER_ROLES) != set()


# --- dashboard --------------------------------------------------------------------------------------


@staff_required
def dashboard(request):
    """Everyone on staff: what is due or overdue in their community (street office: per community)."""
    today = timezone.localdate()
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    items = reminders.collect(communities, today)
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[item.community].append(item)
    street_wide = grouped.pop(None, [])
    per_community = [(c, grouped.get(c, [])) for c in communities]
    waiting = approvals.waiting_for(request.user)
    comparison = None
    if scoping.is_street_staff(request.user) and len(communities) > 1:
        from committee import indicators

        columns, rows = indicators.table(communities, today)
        overdue = {c.pk: sum(1 for i in grouped.get(c, []) if i.is_overdue) for c in communities}
        due = {c.pk: sum(1 for i in grouped.get(c, []) if i.state == reminders.DUE) for c in communities}
        comparison = {"columns": columns,
                      "rows": [(c, list(zip([col.label for col in columns], values, strict=True)), overdue[c.pk],
                                due[c.pk]) for c, values in rows]}
    return render(
        request,
        "committee/dashboard.html",
        {
            "comparison": comparison,
            "today": today,
            "street_wide": street_wide,
            "per_community": per_community,
            "overdue_count": sum(1 for i in items if i.is_overdue),
            "due_count": sum(1 for i in items if i.state == reminders.DUE),
            "waiting": waiting[:5],
            "waiting_count": waiting.count(),
            "calendar_warning": calendar.unconfirmed_warning(today),
        },
    )


@require_POST
@staff_required
def switch_community(request):
    """Street-office staff: choose the community the pages work in (empty: all)."""
    chosen = request.POST.get("community") or ""
    if chosen:
        if not chosen.isdigit() or int(chosen) not in scoping.community_ids(request.user):
            raise Http404
        request.session[scoping.SESSION_KEY] = int(chosen)
    else:
        request.session.pop(scoping.SESSION_KEY, None)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


# --- staff and roles (ORG-1, ORG-2) ------------------------------------------------------------------


def _staff_queryset(request):
    """Staff a user may see: their communities' staff; street-office staff also see the street office's."""
    user = request.user
    me = scoping.staff_for(user)
    qs = Staff.objects.select_related("community", "street_office")
    if scoping.is_street_staff(user):
        qs = qs.filter(street_office_id=me.street_office_id)
        current = scoping.current_community(request)
        return qs.filter(Q(community=current) | Q(community__isnull=True)) if current else qs
    return qs.filter(community_id__in=scoping.community_ids(user))


@staff_required
def staff_list(request):
    """Staff: the people of their community (street office: of its communities and itself)."""
    today = timezone.localdate()
    qs = _staff_queryset(request).prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.on(today).order_by("role"), to_attr="current_roles")
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(phone__icontains=q))
    show_left = request.GET.get("left") == "1"
    if not show_left:
        qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    current = scoping.current_community(request)
    return render(
        request,
        "committee/staff_list.html",
        {
            "staff_list": qs.order_by("community__name", "name"),
            "q": q,
            "show_left": show_left,
            "can_add": _can_manage_staff(request.user, current) if current or scoping.is_street_staff(request.user)
            else False,
        },
    )


@staff_required
def staff_detail(request, pk):
    """Staff: one person, their roles over time, and the history of the record."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    roles = person.roles.select_related("community").order_by("-start")
    return render(
        request,
        "committee/staff_detail.html",
        {
            "person": person,
            "roles": roles,
            "today": timezone.localdate(),
            "can_manage": _can_manage_staff(request.user, person.community),
            "end_form": EndRoleForm(initial={"end": timezone.localdate()}),
        },
    )


@staff_required
def staff_create(request):
    """Street office, or a community's director/secretary for their own community: add a staff member."""
    street = scoping.is_street_staff(request.user)
    me = scoping.staff_for(request.user)
    if not _can_manage_staff(request.user, me.community):
        raise PermissionDenied
    form = StaffForm(request.POST or None, communities=scoping.communities(request.user), street_staff=street,
                     initial={"community": scoping.current_community(request)})
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.street_office_id = me.street_office_id
        if not street:
            person.community = me.community
        person.save()
        messages.success(request, _("%(name)s was added.") % {"name": person.name})
        return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Add a staff member"),
                                                   "back": "staff_list"})


@staff_required
def staff_edit(request, pk):
    """Street office, or the community's director/secretary: edit a staff member's record."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    if not _can_manage_staff(request.user, person.community):
        raise PermissionDenied
    street = scoping.is_street_staff(request.user)
    form = StaffForm(request.POST or None, instance=person, communities=scoping.communities(request.user),
                     street_staff=street)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": person.name, "back_obj": person})


def _temporary_password() -> str:
    import secrets

    # Easy to read aloud or copy from paper: no 0/O or 1/l.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@staff_required
def account_create(request, pk):
    """Street office, or the community's director/secretary: open a login for a staff member. The first
    password is shown once; the person changes it after logging in."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    if not _can_manage_staff(request.user, person.community):
        raise PermissionDenied
    if person.user_id:
        messages.error(request, _("%(name)s already has a login.") % {"name": person.name})
        return redirect("staff_detail", pk=person.pk)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from committee.models import User

        password = _temporary_password()
        user = User.objects.create_user(username=form.cleaned_data["username"], password=password)
        person.user = user
        person.save(update_fields=["user"])
        messages.success(request, _("Login “%(user)s” opened. First password: %(password)s — give it to %(name)s; "
                                    "it is shown only now.") % {"user": user.username, "password": password,
                                                                 "name": person.name})
        return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Open a login for %(name)s") % {
        "name": person.name}, "back_obj": person})


@require_POST
@staff_required
def account_reset(request, pk):
    """Street office, or the community's director/secretary: give a staff member a new temporary password."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    if not _can_manage_staff(request.user, person.community) or person.user_id is None:
        raise PermissionDenied
    if person.user_id == request.user.pk:
        messages.error(request, _("Change your own password with “Change password”."))
        return redirect("staff_detail", pk=person.pk)
    password = _temporary_password()
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    messages.success(request, _("New password for %(name)s: %(password)s — it is shown only now.")
                     % {"name": person.name, "password": password})
    return redirect("staff_detail", pk=person.pk)


@staff_required
def role_add(request, pk):
    """Street office, or the community's director/secretary: give a staff member a role from a date."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    if not _can_manage_staff(request.user, person.community):
        raise PermissionDenied
    form = RoleAssignmentForm(request.POST or None, staff=person, communities=scoping.communities(request.user),
                              initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Role recorded."))
        return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html",
                  {"form": form, "title": _("Role for %(name)s") % {"name": person.name}, "back_obj": person})


@require_POST
@staff_required
def role_end(request, pk):
    """Street office, or the community's director/secretary: end a role on a date (the record stays)."""
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("staff__community").filter(staff__in=_staff_queryset(request)), pk=pk
    )
    if not _can_manage_staff(request.user, assignment.staff.community):
        raise PermissionDenied
    form = EndRoleForm(request.POST)
    if form.is_valid():
        assignment.end = form.cleaned_data["end"]
        if form.cleaned_data["note"]:
            assignment.note = form.cleaned_data["note"]
        try:
            assignment.full_clean()
        except ValidationError as e:
            flash_errors(request, e)
        else:
            assignment.save()
            messages.success(request, _("The role ends on %(day)s.") % {"day": assignment.end})
    else:
        messages.error(request, _("Please give the last day in the role."))
    return redirect("staff_detail", pk=assignment.staff_id)


@staff_required
def role_list(request):
    """Staff: who holds which role today, per community (ORG-2); "who held role R in C on D" by date."""
    day_text = request.GET.get("on", "")
    try:
        day = dt.date.fromisoformat(day_text) if day_text else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
        messages.error(request, _("“%(value)s” is not a date; showing today.") % {"value": day_text})
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    me = scoping.staff_for(request.user)
    assignments = (
        RoleAssignment.objects.on(day)
        .filter(Q(community__in=communities) | Q(community__isnull=True, staff__street_office_id=me.street_office_id))
        .select_related("staff", "community")
        .order_by("role", "staff__name")
    )
    order = {role.value: i for i, role in enumerate(Role)}
    assignments = sorted(assignments, key=lambda a: (order[a.role], a.staff.name))
    by_community: dict = defaultdict(list)
    street_roles = []
    for a in assignments:
        if a.role in STREET_ROLES:
            street_roles.append(a)
        else:
            by_community[a.community_id].append(a)
    policy.prefetch(communities)
    rows = []
    for c in communities:
        approver = policy.committee_approver_role(c)
        held = by_community.get(c.pk, [])
        rows.append({
            "community": c,
            "assignments": held,
            "approver_role": approver,
            "approver_missing": not any(a.role == approver for a in held),
        })
    return render(request, "committee/role_list.html",
                  {"rows": rows, "street_roles": street_roles, "day": day})


# --- policy (street office edits; everyone reads) ---------------------------------------------------


@staff_required
def policy_page(request):
    """Staff read the rules in force for their community; the street office edits them (with history)."""
    current = scoping.current_community(request)
    me = scoping.staff_for(request.user)
    rows = policy.table(me.street_office, current)
    return render(request, "committee/policy.html",
                  {"rows": rows, "community": current, "can_edit": scoping.is_street_staff(request.user)})


@street_office_required
def policy_edit(request, key):
    """Street office: set one value for all communities, or for the community currently chosen."""
    try:
        spec = policy.setting(key)
    except KeyError:
        raise Http404 from None
    me = scoping.staff_for(request.user)
    community = scoping.current_community(request)
    from committee.models import PolicyValue

    if community is not None:
        in_force = policy.get(community, key)
    else:
        street_row = PolicyValue.objects.filter(street_office=me.street_office, community=None, key=key).first()
        in_force = spec.parse(street_row.value) if street_row and street_row.value else spec.default
    form = PolicyValueForm(request.POST or None, initial={"value": spec.format(in_force)})
    if request.method == "POST" and form.is_valid():
        try:
            policy.set_value(street_office=me.street_office, community=community, key=key,
                             raw=form.cleaned_data["value"], reason=form.cleaned_data["reason"],
                             acting_user=request.user)
        except ValidationError as e:
            form.add_error("value", e)
        else:
            messages.success(request, _("%(label)s updated.") % {"label": spec.label})
            return redirect("policy")
    history = list(PolicyValue.history.filter(street_office=me.street_office, key=key).select_related(
        "history_user__staff", "community").order_by("-history_date")[:30])
    for h in history:
        h.who = _who(h.history_user)
    return render(request, "committee/policy_edit.html",
                  {"form": form, "spec": spec, "community": community, "history": history,
                   "current": policy.get(community, key) if community else None})


# --- calendar ----------------------------------------------------------------------------------------


@staff_required
def calendar_index(request):
    """Staff: the years of the holiday table and whether each is confirmed."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        calendar.ensure_year(year)
    years = CalendarYear.objects.order_by("-year")
    known = {y.year for y in years}
    missing = [y for y in range(today.year - 1, today.year + 2) if y not in known]
    return render(request, "committee/calendar_index.html",
                  {"years": years, "missing": missing, "today": today,
                   "can_edit": scoping.is_street_staff(request.user)})


@staff_required
def calendar_year(request, year):
    """Staff: one year's holidays and make-up working days; the street office enters and confirms."""
    if year < 2000 or year > 2100:
        raise Http404
    cal = CalendarYear.objects.filter(year=year).first()
    if cal is None and calendar.library_knows(year):
        cal = calendar.load_from_library(year)
    days = cal.days.order_by("date") if cal else []
    return render(request, "committee/calendar_year.html", {
        "year": year,
        "cal": cal,
        "days": days,
        "library_knows": calendar.library_knows(year),
        "form": CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
        "can_edit": scoping.is_street_staff(request.user),
    })


@require_POST
@street_office_required
def calendar_add_day(request, year):
    """Street office: enter a holiday or make-up working day (for a year the library does not know)."""
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            calendar.set_manual_day(year=year, day=form.cleaned_data["date"], kind=form.cleaned_data["kind"],
                                    name=form.cleaned_data["name"], acting_user=request.user)
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Day saved. Confirm the year when all days are entered."))
    else:
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
    return redirect("calendar_year", year=year)


@require_POST
@street_office_required
def calendar_confirm(request, year):
    """Street office: confirm that a year's table matches the official schedule."""
    calendar.confirm_year(year=year, acting_user=request.user)
    messages.success(request, _("The holiday schedule for %(year)s is confirmed.") % {"year": year})
    return redirect("calendar_year", year=year)


@require_POST
@street_office_required
def calendar_load(request, year):
    """Street office: (re)load a year's official schedule from the holiday library."""
    try:
        calendar.load_from_library(year, acting_user=request.user)
    except ValueError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Official schedule for %(year)s loaded.") % {"year": year})
    return redirect("calendar_year", year=year)


# --- approvals inbox "待我审批" ------------------------------------------------------------------------


@staff_required
def inbox(request):
    """Staff: the approval steps waiting for them, across all apps."""
    waiting = list(approvals.waiting_for(request.user))
    return render(request, "committee/inbox.html", {"waiting": waiting, "form": DecisionForm()})


@require_POST
@staff_required
def decide(request, pk):
    """The holder of the step's role (never the requester): approve or refuse one step."""
    approval = get_object_or_404(scoping.scope(Approval.objects.all(), request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
    else:
        try:
            approvals.decide(approval.pk, acting_user=request.user,
                             approve=form.cleaned_data["decision"] == "approve",
                             comment=form.cleaned_data["comment"])
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Decision recorded: %(summary)s") % {"summary": approval.summary})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return HttpResponseRedirect(target or "/inbox/")


@staff_required
def approval_record(request, pk):
    """Staff who may see the record: open the record an approval step belongs to."""
    approval = get_object_or_404(scoping.scope(Approval.objects.all(), request.user), pk=pk)
    record = approval.record
    if record is None or not hasattr(record, "get_absolute_url"):
        raise Http404
    return redirect(record.get_absolute_url())


# --- history: who changed what, when ---------------------------------------------------------------


def _history_scope(model, request):
    """The rows of ``model`` whose history this user may read (another community's: 404)."""
    qs = model._default_manager.all()
    if model is Staff:
        return _staff_queryset(request)
    if model is Community:
        return scoping.communities(request.user)
    if hasattr(model, "history_scope"):
        return model.history_scope(qs, request.user)
    field_names = {f.name for f in model._meta.get_fields()}
    if "community" in field_names:
        return scoping.scope(qs, request.user)
    raise Http404


def _who(user) -> str:
    if user is None:
        return _("system")
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()


@staff_required
def history(request, app_label, model_name, pk):
    """Staff who may see the record: every change to it, who made it and when. Read-only."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not hasattr(model, "history"):
        raise Http404
    obj = get_object_or_404(_history_scope(model, request), pk=pk)
    records = list(obj.history.select_related("history_user__staff").order_by("-history_date", "-history_id")[:200])
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append({"record": newer, "changes": changes, "who": _who(newer.history_user)})
    return render(request, "committee/history.html",
                  {"obj": obj, "entries": entries, "model_name": model._meta.verbose_name})


# --- the shared login page ---------------------------------------------------------------------------


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")

