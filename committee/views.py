"""Pages of the shared core: dashboard, staff and roles, policy, calendar, approvals inbox, history.

Views are thin: they parse, call a service, show its error, and redirect (POST-redirect-GET). Each view's
docstring says who may use it; the decorator enforces it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committee import accounts, approvals, calendar, controls, policy, reminders, scoping, views_register
from committee import inbox as inbox_tasks
from committee.feedback import flash_errors, form_errors
from committee.forms import (
    AccountForm,
    CalendarDayForm,
    CloseAccountForm,
    DecisionForm,
    EndRoleForm,
    PolicyValueForm,
    RoleAssignmentForm,
    StaffForm,
)
from committee.inputs import EARLIEST, latest_date
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


def _me(request):
    return scoping.staff_for(request.user)


# --- dashboard --------------------------------------------------------------------------------------


@staff_required
def dashboard(request):
    """Everyone on staff: what is due or overdue in their community (street office: per community)."""
    today = timezone.localdate()
    current = scoping.current_community(request)
    communities = [current] if current else scoping.community_list(request.user)
    items = reminders.for_user(request.user, today, communities)
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
        # each figure links to its records in that community (?community=<id>), as on the street overview
        comparison = {"columns": columns,
                      "rows": [(c, [(col.label, v, scoping.for_community(col.url(c), c) if col.url else "")
                                    for col, v in zip(columns, values, strict=True)], overdue[c.pk], due[c.pk])
                               for c, values in rows]}
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
            "waiting_count": approvals.waiting_count(request.user),
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
    me = _me(request)
    current = scoping.current_community(request)
    return render(
        request,
        "committee/staff_list.html",
        {
            "staff_list": qs.order_by("community__name", "name"),
            "q": q,
            "show_left": show_left,
            "can_add": controls.manages_staff(me, current.pk if current else me.community_id),
            "can_import": views_register.may_import(request, "staff"),
        },
    )


def _wage_history(person):
    """The changes of a person's wage, newest first: (when, who, old, new, reason). CTL-4"""
    versions = list(Staff.history.filter(id=person.pk).select_related("history_user__staff")
                    .order_by("history_date", "history_id"))
    out, previous = [], None
    for v in versions:
        if previous is not None and v.monthly_wage != previous:
            out.append({"when": v.history_date, "who": _who(v.history_user), "old": previous, "new": v.monthly_wage,
                        "reason": v.history_change_reason or ""})
        previous = v.monthly_wage
    return out[::-1]


@staff_required
def staff_detail(request, pk):
    """Staff: one person, their roles over time, the wage and its changes, and the history of the record."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    roles = list(person.roles.select_related("community").order_by("-start"))
    me = _me(request)
    today = timezone.localdate()
    for r in roles:
        r.can_end = (r.end is None or r.end >= today) and controls.can_grant(me, r.role, person)
    account_ok = controls.can_manage_account(me, person)
    return render(
        request,
        "committee/staff_detail.html",
        {
            "person": person,
            "roles": roles,
            "today": today,
            "can_edit": _can_edit_staff(me, person),
            "can_add_role": bool(controls.grantable_roles(me, person)),
            "can_manage_account": account_ok,
            "wage_history": _wage_history(person),
            "end_form": EndRoleForm(initial={"end": today}),
        },
    )


def _can_edit_staff(me, person) -> bool:
    """The staff record is edited by the account holders and the community's director (ORG-1), and by the
    street office's wage setters for the wage (CTL-4)."""
    return controls.manages_staff(me, person.community_id) or controls.can_set_wage(me, person)


@staff_required
def staff_create(request):
    """The street office's account holders, or a community's director for their own community: add a staff
    member. The wage is set by the street office (CTL-4)."""
    street = scoping.is_street_staff(request.user)
    me = _me(request)
    current = scoping.current_community(request)
    if not controls.manages_staff(me, current.pk if street and current else me.community_id):
        raise PermissionDenied(_("Only the street office's account holder or the community's director adds staff "
                                 "(CTL-1)."))
    form = StaffForm(request.POST or None, communities=scoping.communities(request.user), street_staff=street,
                     can_set_wage=controls.can_set_wage(me, None), initial={"community": current})
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.street_office_id = me.street_office_id
        if not street:
            person.community = me.community
        if not controls.manages_staff(me, person.community_id):
            raise Http404
        try:
            accounts.save_staff(person, acting_user=request.user, request=request)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Add a staff member"),
                                                   "back": "staff_list"})


@staff_required
def staff_edit(request, pk):
    """The account holders or the community's director: edit a staff record; the wage only the street office's
    wage setters, with a reason (CTL-4); the leaving date whoever manages the person's login (CTL-3)."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    me = _me(request)
    if not _can_edit_staff(me, person):
        raise PermissionDenied(_("Only the street office's account holder or the community's director edits staff "
                                 "records (CTL-1)."))
    street = scoping.is_street_staff(request.user)
    form = StaffForm(request.POST or None, instance=person, communities=scoping.communities(request.user),
                     street_staff=street and controls.manages_staff(me, person.community_id),
                     can_set_wage=controls.can_set_wage(me, person),
                     can_end_employment=controls.can_manage_account(me, person))
    if not controls.manages_staff(me, person.community_id):
        for name in ("name", "gender", "phone", "joined_on"):
            form.fields.pop(name, None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.save_staff(form.instance, acting_user=request.user,
                                wage_reason=form.cleaned_data.get("wage_reason", ""), request=request)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": person.name, "back_obj": person})


def _refuse(error: ValidationError):
    """A control refused the act for this person: 403 with the rule's message (nothing was changed)."""
    raise PermissionDenied(" ".join(error.messages))


@staff_required
def account_create(request, pk):
    """The street office's account holder, or the community's director for its non-approving staff (CTL-3):
    open a login. The first password is shown once and must be changed at the first login."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    try:
        controls.check_manage_account(_me(request), person)
    except ValidationError as e:
        _refuse(e)
    if person.user_id and person.user.is_active:
        messages.error(request, _("%(name)s already has a login.") % {"name": person.name})
        return redirect("staff_detail", pk=person.pk)
    form = AccountForm(request.POST or None, existing=person.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = accounts.open_account(person, username=form.cleaned_data.get("username", ""),
                                                   acting_user=request.user, request=request)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Login “%(user)s” opened. First password: %(password)s — give it to "
                                        "%(name)s; it is shown only now and must be changed at the first login.")
                             % {"user": user.username, "password": password, "name": person.name})
            return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Open a login for %(name)s") % {
        "name": person.name}, "back_obj": person})


@require_POST
@staff_required
def account_reset(request, pk):
    """The street office's account holder, or the community's director for its non-approving staff: a new
    temporary password, to be changed at the next login. Never one's own or an equal or higher approver's
    (CTL-3)."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    try:
        password = accounts.reset_password(person, acting_user=request.user, request=request)
    except ValidationError as e:
        _refuse(e)
    messages.success(request, _("New password for %(name)s: %(password)s — it is shown only now and must be "
                                "changed at the next login.") % {"name": person.name, "password": password})
    return redirect("staff_detail", pk=person.pk)


@require_POST
@staff_required
def account_close(request, pk):
    """Whoever may reset the login (CTL-3): close it. The account is deactivated, never deleted."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    try:
        controls.check_manage_account(_me(request), person)
    except ValidationError as e:
        _refuse(e)
    form = CloseAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for closing the login (CTL-3)."))
        return redirect("staff_detail", pk=person.pk)
    try:
        accounts.close_account(person, reason=form.cleaned_data["reason"], acting_user=request.user,
                               request=request)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("The login of %(name)s is closed.") % {"name": person.name})
    return redirect("staff_detail", pk=person.pk)


@staff_required
def role_add(request, pk):
    """The street office's account holder (any role up to their own rank), or the community's director
    (non-approving community roles): give another person a role from a date (CTL-1)."""
    person = get_object_or_404(_staff_queryset(request), pk=pk)
    me = _me(request)
    offered = controls.grantable_roles(me, person)
    if not offered:
        try:
            controls.check_grant_any(me, person)
        except ValidationError as e:
            _refuse(e)
    form = RoleAssignmentForm(request.POST or None, staff=person, communities=scoping.communities(request.user),
                              roles=offered, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.grant_role(person, role=data["role"], community=data.get("community"), start=data["start"],
                                end=data.get("end"), note=data.get("note", ""),
                                backdate_reason=data.get("backdate_reason", ""), acting_user=request.user,
                                request=request)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Role recorded."))
            return redirect("staff_detail", pk=person.pk)
    return render(request, "committee/form.html",
                  {"form": form, "title": _("Role for %(name)s") % {"name": person.name}, "back_obj": person})


@require_POST
@staff_required
def role_end(request, pk):
    """Whoever may grant the role, never its holder (CTL-1): end it on a date (the record stays); a last day
    in the past needs a reason."""
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("staff__community").filter(staff__in=_staff_queryset(request)), pk=pk
    )
    try:
        controls.check_grant(_me(request), assignment.role, assignment.staff)
    except ValidationError as e:
        _refuse(e)
    form = EndRoleForm(request.POST)
    if form.is_valid():
        try:
            ended = accounts.end_role(assignment.pk, end=form.cleaned_data["end"], note=form.cleaned_data["note"],
                                      acting_user=request.user, request=request)
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("The role ends on %(day)s.") % {"day": ended.end})
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
                  {"rows": rows, "street_roles": street_roles, "day": day,
                   "can_import": views_register.may_import(request, "roles")})


# --- policy (street office edits; everyone reads) ---------------------------------------------------


@staff_required
def policy_page(request):
    """Staff read the rules in force for their community; the street office edits them (with history).

    Settings are grouped by the rule book's chapters; ``?q=`` filters them on the server (the page's
    script filters as one types)."""
    from committee import rulebook

    current = scoping.current_community(request)
    me = scoping.staff_for(request.user)
    q = request.GET.get("q", "").strip()[:100]
    rows = policy.table(me.street_office, current)
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        spec = row["spec"]
        entry = rulebook.get(spec.rule)
        row["rule_title"] = rulebook.title(entry) if entry else ""
        if q and not any(q.casefold() in str(t).casefold()
                         for t in (spec.label, spec.rule, row["rule_title"], row["effective"], row["default"])):
            continue
        groups[spec.chapter].append(row)
    chapters = [{"prefix": c.prefix, "title": rulebook.chapter_title(c), "rows": groups.pop(c.prefix)}
                for c in rulebook.chapters() if c.prefix in groups]
    chapters += [{"prefix": prefix, "title": prefix, "rows": rest} for prefix, rest in groups.items()]
    return render(request, "committee/policy.html",
                  {"chapters": chapters, "q": q, "community": current,
                   "can_edit": scoping.is_street_staff(request.user)})


@street_office_required
def policy_edit(request, key):
    """Street office: set one value for all communities, or for the community currently chosen."""
    try:
        spec = policy.setting(key)
    except KeyError:
        raise Http404 from None
    me = scoping.staff_for(request.user)
    community = scoping.current_community(request)
    from django import forms as django_forms

    from committee.models import PolicyValue

    if community is not None:
        in_force = policy.get(community, key)
    else:
        street_row = PolicyValue.objects.filter(street_office=me.street_office, community=None, key=key).first()
        in_force = spec.parse(street_row.value) if street_row and street_row.value else spec.default
    form = PolicyValueForm(request.POST or None, initial={"value": spec.format(in_force)})
    choices = spec.form_choices()
    if choices:  # a closed list (weekday, month, approver role) is chosen in words, not typed as a code
        form.fields["value"].widget = django_forms.Select(
            choices=[("", _("(back to the default above)"))] + choices)
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
        try:
            h.shown = spec.display(spec.parse(h.value)) if h.value else ""
        except ValidationError:  # a value written under an older rule: shown as it was stored
            h.shown = h.value
    return render(request, "committee/policy_edit.html",
                  {"form": form, "spec": spec, "community": community, "history": history,
                   "default": spec.display(spec.default),
                   "current": policy.get(community, key) if community else None})


# --- calendar ----------------------------------------------------------------------------------------


def _calendar_year_or_404(year: int) -> int:
    """Path years of the calendar pages: 1900 … next year, as for every date the product takes (CTL-8,
    committee.inputs); /calendar/99999/ answers 404, never a 500 or a stored year nobody can open."""
    if not EARLIEST.year <= year <= latest_date().year:
        raise Http404
    return year


@staff_required
def calendar_index(request):
    """Staff: the years of the holiday table and whether each is confirmed, newest first, no gaps."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        calendar.ensure_year(year)
    years = {y.year: y for y in CalendarYear.objects.filter(
        year__gte=EARLIEST.year, year__lte=latest_date().year).annotate(day_count=Count("days"))}
    shown = sorted(set(years) | set(range(today.year - 1, today.year + 2)), reverse=True)
    rows = [{"year": y, "cal": years.get(y)} for y in shown]
    return render(request, "committee/calendar_index.html",
                  {"rows": rows, "today": today, "can_edit": scoping.is_street_staff(request.user)})


def _calendar_deadlines(request, start, end):
    """Deadlines of the user's communities from the reminders (what the dashboard shows), as events."""
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    out = []
    for r in reminders.collect(communities, timezone.localdate(), user=request.user):
        if r.due and start <= r.due <= end:
            title = f"{r.title}（{r.community.name}）" if r.community and len(communities) > 1 else r.title
            out.append(calendar.Event(date=r.due, title=title, url=r.url, kind="deadline"))
    return out


@staff_required
def calendar_year(request, year, form=None):
    """Staff: one year as twelve month grids (holidays with their names in the reader's language, 调休
    working days, today, the regular meetings and the deadlines of each month) and the table of the year's
    exceptions; the street office enters and confirms."""
    _calendar_year_or_404(year)
    today = timezone.localdate()
    cal = CalendarYear.objects.filter(year=year).first()
    if cal is None and calendar.library_knows(year):
        cal = calendar.load_from_library(year)
    rows = list(cal.days.order_by("date")) if cal else []
    days = {d.date: (d.kind, calendar.holiday_name(d.name)) for d in rows}
    for d in rows:
        d.display_name = days[d.date][1]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    events = calendar.events_for(request.user, start, end) + _calendar_deadlines(request, start, end)
    months = [{"first": dt.date(year, m, 1),
               "weeks": calendar.month_weeks(year, m, days=days, events=events, today=today)}
              for m in range(1, 13)]
    return render(request, "committee/calendar_year.html", {
        "year": year,
        "today": today,
        "cal": cal,
        "days": rows,
        "months": months,
        "weekdays": calendar.weekday_names(),
        "prev_year": year - 1 if year - 1 >= EARLIEST.year else None,
        "next_year": year + 1 if year + 1 <= latest_date().year else None,
        "library_knows": calendar.library_knows(year),
        "form": form or CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
        "can_edit": scoping.is_street_staff(request.user),
    })


@require_POST
@street_office_required
def calendar_add_day(request, year):
    """Street office: enter a holiday or make-up working day (for a year the library does not know). A
    refused entry shows the page again with what was typed."""
    _calendar_year_or_404(year)
    form = CalendarDayForm(request.POST)
    if form.is_valid() and form.cleaned_data["date"].year != year:
        form.add_error("date", _("The day must lie in %(year)s.") % {"year": year})
    if form.is_valid():
        try:
            calendar.set_manual_day(year=year, day=form.cleaned_data["date"], kind=form.cleaned_data["kind"],
                                    name=form.cleaned_data["name"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Day saved. Next: when every day of the year is entered, confirm "
                                        "the year so deadlines stop warning."))
            return redirect("calendar_year", year=year)
    return calendar_year(request, year, form=form)


@require_POST
@street_office_required
def calendar_confirm(request, year):
    """Street office: confirm that a year's table matches the official schedule."""
    _calendar_year_or_404(year)
    calendar.confirm_year(year=year, acting_user=request.user)
    messages.success(request, _("The holiday schedule for %(year)s is confirmed.") % {"year": year})
    return redirect("calendar_year", year=year)


@require_POST
@street_office_required
def calendar_load(request, year):
    """Street office: (re)load a year's official schedule from the holiday library."""
    _calendar_year_or_404(year)
    try:
        calendar.load_from_library(year, acting_user=request.user)
    except ValueError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Official schedule for %(year)s loaded.") % {"year": year})
    return redirect("calendar_year", year=year)


# --- approvals inbox "待我审批" ------------------------------------------------------------------------


INBOX_DONE_PAGE_SIZE = 50


def _inbox_filters(request, communities):
    """The kind and community chosen in the inbox filters (unknown values: no filter)."""
    kind = request.GET.get("kind", "")
    community_id = request.GET.get("community", "")
    ids = {str(c.pk) for c in communities}
    return kind, (community_id if community_id in ids else "")


@staff_required
def inbox(request):
    """Staff: everything waiting for them across all apps: the approval steps they may decide today, each
    shown in full (what is asked, attachments, related figures), and the other tasks the apps register,
    filtered by kind and community."""
    communities = list(scoping.communities(request.user))
    kind, community_id = _inbox_filters(request, communities)
    all_steps = list(approvals.waiting_for(request.user))
    all_tasks = inbox_tasks.tasks_for(request.user)
    kinds = dict(inbox_tasks.registered_kinds())
    kinds.update({inbox_tasks.kind_key(s.content_type): inbox_tasks.kind_label(s.content_type) for s in all_steps})
    kinds.update({f"task:{t.kind}": str(t.kind) for t in all_tasks})
    steps = [s for s in all_steps
             if (not kind or inbox_tasks.kind_key(s.content_type) == kind)
             and (not community_id or str(s.community_id) == community_id)]
    tasks = [t for t in all_tasks
             if (not kind or f"task:{t.kind}" == kind)
             and (not community_id or (t.community is not None and str(t.community.pk) == community_id))]
    cards = inbox_tasks.cards_for(steps, request.user)
    return render(request, "committee/inbox.html", {
        "entries": [(s, cards[s.pk]) for s in steps], "tasks": tasks, "total": len(all_steps) + len(all_tasks),
        "shown": len(steps) + len(tasks), "kinds": sorted(kinds.items(), key=lambda kv: kv[1]), "kind": kind,
        "communities": communities if len(communities) > 1 else [], "community": community_id,
    })


@staff_required
def inbox_done(request):
    """Staff: the approval steps they decided (已办), newest first, filtered by kind and community."""
    from django.core.paginator import Paginator

    communities = list(scoping.communities(request.user))
    kind, community_id = _inbox_filters(request, communities)
    qs = (scoping.scope(Approval.objects.filter(acted_by=_me(request)), request.user)
          .select_related("community", "content_type", "requested_by").order_by("-decided_at", "-pk"))
    kinds = inbox_tasks.registered_kinds()
    if kind in dict(kinds):
        app_label, model = kind.split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    else:
        kind = ""
    if community_id:
        qs = qs.filter(community_id=community_id)
    page = Paginator(qs, INBOX_DONE_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = inbox_tasks.cards_for(page.object_list, request.user)
    query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("community", community_id)) if v)
    return render(request, "committee/inbox_done.html", {
        "page": page, "rows": [(a, cards[a.pk]) for a in page.object_list], "kinds": kinds, "kind": kind,
        "communities": communities if len(communities) > 1 else [], "community": community_id, "query": query,
    })


def _decided_message(approval: Approval, user) -> str:
    """What happened and who acts next, in the reader's language."""
    title = inbox_tasks.cards_for([approval], user)[approval.pk].title
    if approval.status == Approval.Status.REJECTED:
        return _("Refused: %(title)s. The later steps are cancelled; %(name)s sees your reason on the "
                 "record.") % {"title": title, "name": approval.requested_by.name}
    following = (Approval.objects.filter(content_type_id=approval.content_type_id, object_id=approval.object_id,
                                         status=Approval.Status.PENDING, step__gt=approval.step)
                 .select_related("community").order_by("step").first())
    if following is None:
        return _("Approved — final: %(title)s.") % {"title": title}
    who = approvals.deciders(following)
    if who.eligible:
        return _("Approved: %(title)s. Next step: %(role)s — %(names)s can decide it.") % {
            "title": title, "role": who.role, "names": "、".join(p.name for p in who.eligible)}
    return _("Approved: %(title)s. Next step: %(role)s — %(nobody)s") % {
        "title": title, "role": who.role, "nobody": approvals.nobody_text(following, who)}


@require_POST
@staff_required
def decide(request, pk):
    """The holder of the step's role (never the requester): approve or refuse one step; refusing needs a
    reason (the refusal dialog posts it as ``reason``, the plain form as ``comment``)."""
    approval = get_object_or_404(scoping.scope(Approval.objects.all(), request.user), pk=pk)
    data = request.POST.copy()
    if not data.get("comment") and data.get("reason"):
        data["comment"] = data["reason"]
    form = DecisionForm(data)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
    else:
        try:
            approval = approvals.decide(approval.pk, acting_user=request.user,
                                        approve=form.cleaned_data["decision"] == "approve",
                                        comment=form.cleaned_data["comment"])
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _decided_message(approval, request.user))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return HttpResponseRedirect(target or "/inbox/")


@staff_required
def approval_record(request, pk):
    """Staff who may see the record: open the record an approval step belongs to (another community's
    step: 404)."""
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


def _shown(field, value):
    """A stored value as the reader says it: a choice's label (批准, not "approved"), yes/no, the related
    record's name instead of its id."""
    if value is None or value == "":
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.get_internal_type() == "BooleanField":
        return _("yes") if value else _("no")
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    return value


_EXPORT_DETAIL_RE = re.compile(r"^(?P<file>.+\.xlsx), (?P<n>\d+) rows$")


def _audit_detail(detail: str) -> str:
    """An export's detail is stored language-neutral ("居民名册.xlsx, 72 rows", as written by the export);
    it is said in the reader's language here."""
    m = _EXPORT_DETAIL_RE.match(detail or "")
    if not m:
        return detail
    n = int(m["n"])
    return ngettext("%(file)s, %(n)s row", "%(file)s, %(n)s rows", n) % {"file": m["file"], "n": n}


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
                changes.append({"field": field.verbose_name, "old": _shown(field, change.old),
                                "new": _shown(field, change.new)})
        entries.append({"record": newer, "changes": changes, "who": _who(newer.history_user)})
    return render(request, "committee/history.html",
                  {"obj": obj, "entries": entries, "model_name": model._meta.verbose_name})


# --- the shared login page ---------------------------------------------------------------------------


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")



class PasswordChangeView(auth_views.PasswordChangeView):
    """Everyone logged in: choose a new password. Clears the CTL-3 "change at next login" flag."""

    success_url = "/dashboard/"

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_changed(form.user, request=self.request)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["must_change"] = self.request.user.must_change_password
        return context


def lockout(request, response=None, credentials=None):
    """django-axes' answer to a locked-out login attempt (CTL-9): the translated page, 429."""
    from django.conf import settings

    cool_off = settings.AXES_COOLOFF_TIME
    minutes = int(cool_off.total_seconds() // 60) if isinstance(cool_off, dt.timedelta) else int(float(cool_off) * 60)
    return render(request, "registration/lockout.html", {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
                  status=429)


# --- CTL-9: the audit trail ---------------------------------------------------------------------------


AUDIT_PAGE_SIZE = 100


@staff_required
def audit_list(request):
    """The street office's discipline inspection (纪检) and system administrator: logins, failed logins,
    password resets, account and role changes, wage changes and personal-data exports of their street
    office, newest first (CTL-9)."""
    me = _me(request)
    if not controls.can_read_audit(me):
        raise PermissionDenied(_("The audit trail is read by the street office's discipline inspection and system "
                                 "administrator (CTL-9)."))
    from django.core.paginator import Paginator

    from committee.models import AuditEvent

    qs = AuditEvent.objects.filter(street_office_id=me.street_office_id).select_related("community")
    kind = request.GET.get("kind", "")
    if kind in AuditEvent.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.detail_shown = _audit_detail(event.detail)
    return render(request, "committee/audit_list.html",
                  {"page": page, "kind": kind, "kinds": AuditEvent.Kind.choices})
