"""Pages of attendance and leave. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Each view's docstring says who may use it; the decorator and the helpers below enforce it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from attendance import exports, figures, imports, rules, services
from attendance.forms import (
    CorrectionForm,
    EmergencyForm,
    ImportForm,
    InspectionForm,
    LeaveForm,
    PaperworkForm,
    RecordForm,
    ReviewForm,
    SheetSentForm,
)
from attendance.models import Inspection, LeaveRequest, MonthlySheet, ResignationReview, SignIn
from committee import approvals, calendar, files, params, policy, printing, scoping
from committee.feedback import flash_errors, form_errors
from committee.models import Role, Staff
from committee.scoping import staff_required, street_office_required

IMPORT_SESSION_KEY = "attendance_import"
# Lists show 50 rows a page, newest first (a phone shows one page; the admin shows 100)
LIST_PAGE_SIZE = 50


def _me(request) -> Staff:
    return scoping.staff_for(request.user)


def _is_street(request) -> bool:
    return scoping.is_street_staff(request.user)


def _oversees(request, community) -> bool:
    """The street office, or the keeper (director, party secretary) of the community: see everyone's
    figures."""
    return services.oversees(request.user, community)


def _month_args(year: int, month: int) -> None:
    if not (2000 <= year <= timezone.localdate().year + 1 and 1 <= month <= 12):
        raise Http404


def _year_param(request, default: int) -> int:
    """``?year=`` between 2000 and next year; anything else shows ``default`` with a message (CTL-8)."""
    return params.year_param(request, "year", default, first=2000)


def _day_param(request, today: dt.date) -> dt.date:
    """``?day=`` between 2000-01-01 and today; anything else shows today with a message (CTL-8)."""
    return params.day_param(request, "day", today, first=dt.date(2000, 1, 1), last=today)


def _community_staff(community):
    today = timezone.localdate()
    return Staff.objects.filter(community=community).filter(Q(left_on__isnull=True) | Q(left_on__gte=today)) \
        .order_by("name")


# --- the staff member's own page ---------------------------------------------------------------------------


@staff_required
def home(request):
    """Everyone on staff: sign in and out (community staff), their month and leave; links by role."""
    me = _me(request)
    today = timezone.localdate()
    ctx = {"today": today, "now": timezone.localtime(), "is_street": _is_street(request)}
    if me.community_id:
        community = me.community
        ctx["record"] = SignIn.objects.filter(staff=me, date=today).first()
        ctx["working_today"] = calendar.is_working_day(today)
        ctx["month"] = figures.community_month(community, today.year, today.month, staff_list=[me]).people[0]
        ctx["leaves"] = LeaveRequest.objects.filter(staff=me).order_by("-start")[:8]
        ctx["keeper"] = services.can_keep_register(me, community)
        ctx["policy"] = figures.month_policy(community)
    py, pm = rules.previous_month(today)
    ctx.update({"year": today.year, "month_no": today.month, "prev_year": py, "prev_month": pm})
    return render(request, "attendance/home.html", ctx)


def _next_or(request, default):
    """The ``next`` the form came from (this site only), else ``default``. A URL, never a view name:
    ``redirect("+1")`` would try to reverse it and answer 500 (CTL-8, found by tests/fuzz)."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                  require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(default)


@require_POST
@staff_required
def sign(request):
    """Community staff: sign in or out now (the server's clock). ATT-1. Back to the page the button was on
    (the dashboard's sign card, or the attendance page)."""
    action = request.POST.get("action")
    me = _me(request)
    if (action == "out" and not request.POST.get("confirm") and me is not None and me.community_id
            and services.leaving_early_now(me.community)):
        # ATT-1: an early sign-out only from the dialog that says so (a double tap or a bare POST signs no one out)
        messages.error(request, _("Not signed out: it is before %(end)s, so signing out now is leaving early "
                                  "(ATT-1). Use “Sign out” and confirm “Sign out now (leaving early)”.")
                       % {"end": policy.get(me.community, "att.early_before").strftime("%H:%M")})
        return _next_or(request, "attendance_home")
    try:
        record = services.sign(action=action, acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        pol = figures.month_policy(record.community)
        if action == "in":
            at = record.sign_in.strftime("%H:%M")
            if rules.is_late(record.sign_in, pol.late_after):  # ATT-1
                messages.warning(request, _("Signed in at %(time)s: after %(late)s, recorded as late (ATT-1). Sign "
                                            "out when you leave.") % {"time": at, "late": pol.late_after.strftime("%H:%M")})
            else:
                messages.success(request, _("Signed in at %(time)s. Sign out when you leave.") % {"time": at})
        else:
            at = record.sign_out.strftime("%H:%M")
            if rules.is_early(record.sign_out, pol.early_before) and calendar.is_working_day(record.date):  # ATT-1
                messages.warning(request, _("Signed out at %(time)s: before %(end)s, recorded as leaving early "
                                            "(ATT-1). Only the attendance keeper can correct it, with a reason.")
                                 % {"time": at, "end": pol.early_before.strftime("%H:%M")})
            else:
                messages.success(request, _("Signed out at %(time)s. Nothing else to do today.") % {"time": at})
    return _next_or(request, "attendance_home")


# --- monthly figures and the sheet (ATT-5, ATT-6, ATT-9) ---------------------------------------------------


def _month_sheet(request, year, month):
    """(community, sheet context, None) for the month pages of a community, or (None, None, the chooser
    page) for a street-office user who has not chosen one. Only those who oversee the register may see it."""
    _month_args(year, month)
    community, choose = scoping.one_community(request, _("Monthly attendance"))
    if choose:
        return None, None, choose
    if not _oversees(request, community):
        raise PermissionDenied
    return community, _sheet_context(request, community, year, month), None


def _register_actions(request, community, year, month) -> dict:
    """ATT-1: what the keeper can do about a month without a register: start this month's from today, or
    import / record past days."""
    today = timezone.localdate()
    # request None: the sheet printed outside a request (bench/attendance.py), where nobody keeps it
    keeper = request is not None and services.can_keep_register(_me(request), community)
    return {"can_start": keeper and (year, month) == (today.year, today.month),
            "can_import": keeper and (year, month) <= (today.year, today.month)}


def _sheet_context(request, community, year, month):
    cm = figures.community_month(community, year, month)
    approver_role = policy.committee_approver_role(community)
    last = cm.dates[-1]
    keepers = list(approvals.holders(Role.ATTENDANCE_KEEPER, community, last).values_list("name", flat=True))
    approvers = list(approvals.holders(approver_role, community, last).values_list("name", flat=True))
    return {
        "cm": cm,
        "community": community,
        "year": year,
        "month": month,
        "prepared_by": "、".join(keepers),
        "approved_by": "、".join(approvers),
        "approver_role": approver_role,
        "marks": rules.MARKS,
        **_register_actions(request, community, year, month),
    }


@staff_required
def month_page(request, year, month):
    """The keeper, director and party secretary of a community, and the street office: everyone's figures
    for a month, the sheet (PDF, Excel) and whether it was sent."""
    community, ctx, choose = _month_sheet(request, year, month)
    if choose:
        return choose
    today = timezone.localdate()
    first = dt.date(year, month, 1)
    prev_first = (first - dt.timedelta(days=1)).replace(day=1)
    next_first = rules.add_months(first, 1)
    due = rules.sheet_due(year, month, policy.get(community, "att.sheet_due_day"))
    sheet = MonthlySheet.objects.filter(community=community, year=year, month=month).select_related(
        "sent_by").first()
    from seals.services import entry_for

    ctx.update({
        "sheet": sheet,
        "seal_entry": entry_for(sheet) if sheet else None,  # SEAL-2: the register entry of its stamp
        "due": due,
        "overdue": today > due,
        "month_over": (year, month) < (today.year, today.month),
        "can_send": services.can_keep_register(_me(request), community),
        "sent_form": SheetSentForm(),
        "prev": prev_first,
        "next": next_first if next_first <= today else None,
    })
    return render(request, "attendance/month.html", ctx)


@staff_required
def person_month(request, pk, year, month):
    """A staff member (their own), their community's keeper, director and secretary, the street office:
    one person's days, counts and deductions with the reason for each."""
    _month_args(year, month)
    person = get_object_or_404(scoping.scope(Staff.objects.select_related("community"), request.user), pk=pk)
    if person.pk != _me(request).pk and not _oversees(request, person.community):
        raise PermissionDenied
    cm = figures.community_month(person.community, year, month, staff_list=[person])
    first = dt.date(year, month, 1)
    today = timezone.localdate()
    nxt = rules.add_months(first, 1)
    # ATT-1: the person's own requests of the month, a waiting one marked waiting (not only on the sheet)
    leaves = LeaveRequest.objects.filter(staff=person, start__lte=cm.dates[-1], end__gte=first).exclude(
        state=LeaveRequest.State.WITHDRAWN).order_by("start", "pk")
    return render(request, "attendance/person_month.html", {
        "person": person, "pm": cm.people[0], "cm": cm, "year": year, "month": month, "leaves": leaves,
        "prev": (first - dt.timedelta(days=1)).replace(day=1), "next": nxt if nxt <= today else None,
        **_register_actions(request, person.community, year, month),
    })


@require_POST
@staff_required
def month_start(request):
    """The keeper (director, secretary) of a community: start this month's register from today although
    nobody has signed yet (ATT-1)."""
    me = _me(request)
    if not me.community_id or not services.can_keep_register(me, me.community):
        raise PermissionDenied
    try:
        started = services.start_month(community=me.community, acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("This month's register is kept from %(day)s: from now on a working day without "
                                    "a sign-in or approved leave counts as absence. Staff sign in on their "
                                    "dashboard.") % {"day": started.started_on.isoformat()})
    today = timezone.localdate()
    return _next_or(request, reverse("attendance_month", args=[today.year, today.month]))


@staff_required
def sheet_pdf(request, year, month):
    """As the month page: the monthly attendance sheet to print, stamp and send (ATT-9)."""
    community, ctx, choose = _month_sheet(request, year, month)
    if choose:
        return choose
    ctx.update({"seal_org": community.committee_name,
                "seal_date": _("%(year)s-%(month)02d") % {"year": year, "month": month}})
    pdf = printing.render_pdf_in("zh-hans", "attendance/sheet_pdf.html", ctx)
    return printing.pdf_response(pdf, f"考勤表-{community.name}-{year}-{month:02d}.pdf")


@staff_required
def sheet_xlsx(request, year, month):
    """As the month page: the same figures as an Excel workbook."""
    community, ctx, choose = _month_sheet(request, year, month)
    if choose:
        return choose
    ctx["records"] = SignIn.objects.filter(community=community, date__year=year, date__month=month).select_related(
        "staff").order_by("date", "staff__name")
    data = exports.sheet_workbook(ctx)
    from urllib.parse import quote

    from committee import audit

    # CTL-9: the sheet carries wages, deductions and sick leave of named people
    audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=community, request=request,
                 detail=f"attendance {year}-{month:02d}.xlsx")

    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"考勤表-{community.name}-{year}-{month:02d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_POST
@staff_required
def sheet_sent(request, year, month):
    """The keeper (director, party secretary) of the community: record that the stamped sheet was sent."""
    _month_args(year, month)
    community = scoping.current_community(request)
    if community is None or not services.can_keep_register(_me(request), community):
        raise PermissionDenied
    form = SheetSentForm(request.POST)
    if form.is_valid():
        try:
            services.mark_sheet_sent(community=community, year=year, month=month, acting_user=request.user,
                                     **form.cleaned_data)
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Recorded: the sheet was sent to the street office."))
    else:
        flash_errors(request, ValidationError(list(form.errors.values())))
    return redirect("attendance_month", year=year, month=month)


# --- the register (ATT-1, ATT-2) ------------------------------------------------------------------------------


@staff_required
def register(request):
    """The keeper, director and secretary (and the street office, read-only): the register of one day."""
    community, choose = scoping.one_community(request, _("Attendance register"))
    if choose:
        return choose
    if not _oversees(request, community):
        raise PermissionDenied
    today = timezone.localdate()
    day = _day_param(request, today)
    records = {r.staff_id: r for r in SignIn.objects.filter(community=community, date=day)}
    cm = figures.community_month(community, day.year, day.month, today=today)
    pol = cm.policy
    rows = []
    for pm in cm.people:
        d = pm.days[day.day - 1]
        rows.append({"staff_id": pm.staff_id, "name": pm.name, "record": records.get(pm.staff_id), "day": d})
    return render(request, "attendance/register.html", {
        "community": community, "day": day, "rows": rows, "policy": pol,
        "working": calendar.is_working_day(day), "can_edit": services.can_keep_register(_me(request), community),
        "prev": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1) if day < today else None,
    })


@staff_required
def record_add(request):
    """The keeper (director, secretary): record a day on a staff member's behalf, with a reason. ATT-1"""
    me = _me(request)
    if not me.community_id or not services.can_keep_register(me, me.community):
        raise PermissionDenied
    form = RecordForm(request.POST or None, staff_choices=_community_staff(me.community),
                      initial={"date": request.GET.get("day") or timezone.localdate(),
                               "staff": request.GET.get("staff")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_for(staff=form.cleaned_data["staff"], day=form.cleaned_data["date"],
                                         sign_in=form.cleaned_data["sign_in"], sign_out=form.cleaned_data["sign_out"],
                                         note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Recorded."))
            return redirect(record.get_absolute_url())
    return render(request, "committee/form.html", {"form": form, "title": _("Record attendance on someone's behalf"),
                                                   "back": "attendance_register"})


@staff_required
def record_correct(request, pk):
    """The keeper (director, secretary): correct a register line with a reason; the original stays in the
    history. ATT-2"""
    record = get_object_or_404(scoping.scope(SignIn.objects.select_related("staff", "community"), request.user),
                               pk=pk)
    if not services.can_keep_register(_me(request), record.community):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None, initial={"sign_in": record.sign_in, "sign_out": record.sign_out})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct(record.pk, sign_in=form.cleaned_data["sign_in"], sign_out=form.cleaned_data["sign_out"],
                             reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Corrected. The original stays in the history."))
            return redirect(record.get_absolute_url())
    title = _("Correct %(name)s, %(day)s") % {"name": record.staff.name, "day": record.date.isoformat()}
    return render(request, "committee/form.html", {"form": form, "title": title, "back_obj": record})


def _cell_text(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return "" if value is None else str(value)


@staff_required
def import_page(request):
    """The keeper (director, secretary): import a punch-clock export; a dry run shows every row and its
    errors; nothing is saved until confirmed, and nothing at all when a row has an error. ATT-1"""
    me = _me(request)
    if not me.community_id or not services.can_keep_register(me, me.community):
        raise PermissionDenied
    community = me.community
    form = ImportForm()
    rows = None
    ready = False
    if request.method == "POST" and request.POST.get("action") == "confirm":
        table = request.session.get(IMPORT_SESSION_KEY)
        if not table:
            messages.error(request, _("Upload the file again."))
            return redirect("attendance_import")
        try:
            rows = services.import_sign_ins(community=community, table=table, acting_user=request.user,
                                            dry_run=False)
        except (ValidationError, imports.ImportFileError) as e:
            messages.error(request, "; ".join(getattr(e, "messages", [str(e)])))
            return redirect("attendance_import")
        if not any(r.errors for r in rows):
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(request, ngettext("%(n)s register line imported.", "%(n)s register lines imported.",
                                               len(rows)) % {"n": len(rows)})
            return redirect("attendance_register")
        messages.error(request, _("Nothing was imported: some rows have errors."))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                table = imports.read_table(form.cleaned_data["file"])
                table = [[_cell_text(c) for c in row] for row in table][:5001]
                rows = services.import_sign_ins(community=community, table=table, acting_user=request.user,
                                                dry_run=True)
            except imports.ImportFileError as e:
                form.add_error("file", str(e))
            except ValidationError as e:
                form_errors(form, e)
            else:
                request.session[IMPORT_SESSION_KEY] = table
                ready = bool(rows) and not any(r.errors for r in rows)
    return render(request, "attendance/import.html", {
        "form": form, "rows": rows, "ready": ready, "error_count": sum(1 for r in rows or [] if r.errors)})


# --- leave (ATT-3, ATT-4) ----------------------------------------------------------------------------------


def _leave_queryset(request):
    return scoping.scope(LeaveRequest.objects.select_related("staff", "community", "requested_by"), request.user)


@staff_required
def leave_list(request):
    """Staff: their own requests; the keeper, director, secretary and the street office: the community's."""
    me = _me(request)
    qs = scoping.scope_to_current(_leave_queryset(request), request)
    community = scoping.current_community(request)
    sees_all = _is_street(request) or (community is not None and services.can_keep_register(me, community))
    if not sees_all:
        qs = qs.filter(staff=me)
    state = request.GET.get("state", "")
    if state in LeaveRequest.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-start", "-pk"), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "attendance/leave_list.html", {
        "leaves": page, "page": page, "state": state, "states": LeaveRequest.State.choices,
        "sees_all": sees_all, "today": timezone.localdate(), "can_request": me.community_id is not None})


@staff_required
def leave_new(request):
    """Community staff: request sick or personal leave (the keeper may enter it for a colleague). ATT-3"""
    me = _me(request)
    if me.community_id is None:
        raise PermissionDenied
    keeper = services.can_keep_register(me, me.community)
    today = timezone.localdate()
    # The date defaults to today (the next working day when today is not one); ?length=am|pm|day|longer from
    # the dashboard's shortcuts picks the choice, so half a day is two taps: the shortcut, then send.
    day = today if calendar.is_working_day(today) else calendar.next_working_day(today)
    length = request.GET.get("length")
    form = LeaveForm(request.POST or None, request.FILES or None,
                     staff_choices=_community_staff(me.community) if keeper else None,
                     initial={"staff": me.pk, "kind": LeaveRequest.Kind.PERSONAL, "day": day, "start": day,
                              "end": day, "length": length if length in ("am", "pm", "day", "longer") else "day"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.request_leave(
                staff=data.get("staff") or me, kind=data["kind"], start=data["start"], start_half=data["start_half"],
                end=data["end"], end_half=data["end_half"], reason=data["reason"], attachment=data["attachment"],
                on_behalf_reason=data.get("on_behalf_reason", ""), acting_user=request.user)
        except ValidationError as e:
            _leave_errors(form, e)
        else:
            messages.success(request, ngettext("Leave requested: %(days)s working day. %(next)s",
                                               "Leave requested: %(days)s working days. %(next)s",
                                               policy.plural_number(leave.days))
                             % {"days": rules._num(leave.days), "next": services.who_decides_next(leave)})
            return redirect(leave)
    return render(request, "attendance/leave_form.html", {"form": form, "title": _("Request leave"),
                                                          "back": "attendance_leave_list",
                                                          "submit_label": _("Send the request")})


def _leave_errors(form, error: ValidationError) -> None:
    """A service's error under the field the user sees: with one choice (morning, afternoon, whole day) the
    period's errors go under the date."""
    form_errors(form, error)
    if form.cleaned_data.get("length") in LeaveForm.SHORT and "day" in form.fields:
        for name in ("start", "start_half", "end", "end_half"):
            for message in form.errors.pop(name, []):
                form.add_error("day", message)


@staff_required
def leave_attachment(request, pk):
    """The leave's attachment (a sick note is medical data): the person, whoever entered the request, the
    register keepers, the street office and the approvers of this request."""
    leave = get_object_or_404(_leave_queryset(request), pk=pk)
    me = _me(request)
    allowed = (
        me.pk in (leave.staff_id, leave.requested_by_id)
        or _is_street(request)
        or services.can_keep_register(me, leave.community)
        or approvals.steps_for(leave).filter(acted_by=me).exists()
        or approvals.waiting_for(request.user).filter(object_id=leave.pk,
                                                     content_type__model="leaverequest").exists()
    )
    if not allowed:
        raise PermissionDenied
    return files.serve(leave.attachment)


@staff_required
def leave_detail(request, pk):
    """Staff who may see the community: one leave request, its approval steps, and the decision form for
    the approver whose turn it is."""
    leave = get_object_or_404(_leave_queryset(request), pk=pk)
    me = _me(request)
    steps = list(approvals.steps_for(leave))
    today = timezone.localdate()
    can_act = me.pk in (leave.staff_id, leave.requested_by_id) or services.can_keep_register(me, leave.community)
    # CTL-5: only the requester changes a waiting request, or the attendance keeper for them with a reason
    can_change = me.pk == leave.staff_id or services.is_attendance_keeper(me, leave.community)
    pending = leave.state == LeaveRequest.State.PENDING
    return render(request, "attendance/leave_detail.html", {
        "leave": leave, "steps": steps, "today": today,
        "can_withdraw": can_change and pending,
        "on_behalf": me.pk != leave.staff_id,
        "next_step": services.who_decides_next(leave) if pending else "",
        "can_file": can_act and leave.state == LeaveRequest.State.PAPERWORK and not leave.paperwork_overdue(today),
        "overdue": leave.paperwork_overdue(today),
        "due_warning": calendar.unconfirmed_warning(leave.paperwork_due) if leave.paperwork_due else "",
    })


@require_POST
@staff_required
def leave_withdraw(request, pk):
    """The staff member, whoever entered the request, or the keeper: withdraw a waiting request."""
    leave = get_object_or_404(_leave_queryset(request), pk=pk)
    # The confirm dialog (committee/_confirm.html) posts ``reason``; the keeper's reason for acting on the
    # staff member's behalf (CTL-5). The service refuses a missing one.
    reason = request.POST.get("reason") or request.POST.get("on_behalf_reason") or ""
    try:
        services.withdraw_leave(leave.pk, reason=reason[:200], acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("The request was withdrawn: nobody needs to decide it any more and its days are "
                                    "free. To be away on those days, request leave again."))
    return redirect(leave)


@staff_required
def leave_edit(request, pk):
    """CTL-5: the requester (or the attendance keeper for them, with a reason) edits a waiting request; its
    approval restarts."""
    leave = get_object_or_404(_leave_queryset(request), pk=pk)
    me = _me(request)
    if me.pk != leave.staff_id and not services.is_attendance_keeper(me, leave.community):
        raise PermissionDenied
    form = LeaveForm(request.POST or None, editing=True, on_behalf=me.pk != leave.staff_id, initial={
        "kind": leave.kind, "reason": leave.reason,
        **LeaveForm.initial_for(leave.start, leave.start_half, leave.end, leave.end_half)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_leave(leave.pk, kind=data["kind"], start=data["start"], start_half=data["start_half"],
                                end=data["end"], end_half=data["end_half"], reason=data["reason"],
                                on_behalf_reason=data.get("on_behalf_reason", ""), acting_user=request.user)
        except ValidationError as e:
            _leave_errors(form, e)
        else:
            messages.success(request, _("The request was changed; its approval starts again. %(next)s")
                             % {"next": services.who_decides_next(leave)})
            return redirect(leave)
    return render(request, "attendance/leave_form.html", {"form": form, "title": _("Edit the leave request"),
                                                   "back_obj": leave, "submit_label": _("Save and send again")})


@staff_required
def leave_file(request, pk):
    """The staff member or the keeper: file the written request of an emergency leave (补办). ATT-4"""
    leave = get_object_or_404(_leave_queryset(request), pk=pk)
    me = _me(request)
    if me.pk not in (leave.staff_id,) and not services.can_keep_register(me, leave.community):
        raise PermissionDenied
    form = PaperworkForm(request.POST or None, request.FILES or None, initial={"reason": leave.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.file_paperwork(leave.pk, reason=form.cleaned_data["reason"],
                                    attachment=form.cleaned_data["attachment"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The written request was filed. %(next)s")
                             % {"next": services.who_decides_next(leave)})
            return redirect(leave)
    return render(request, "committee/form.html", {
        "form": form, "back_obj": leave, "submit_label": _("File the written request"),
        "title": _("Written request for the emergency leave of %(start)s") % {"start": leave.start.isoformat()}})


@street_office_required
def emergency_new(request):
    """The street office's department head: record an emergency leave they were told of. ATT-4"""
    staff_choices = Staff.objects.filter(community__in=scoping.community_ids(request.user)).select_related(
        "community").order_by("community__name", "name")
    current = scoping.current_community(request)
    if current:
        staff_choices = staff_choices.filter(community=current)
    today = timezone.localdate()
    form = EmergencyForm(request.POST or None, staff_choices=staff_choices,
                         initial={"start": today, "end": today, "told_on": today,
                                  "kind": LeaveRequest.Kind.SICK})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.record_emergency(
                staff=data["staff"], kind=data["kind"], start=data["start"], start_half=data["start_half"],
                end=data["end"], end_half=data["end_half"], reason=data["reason"], told_on=data["told_on"],
                acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Emergency leave recorded; the written request is due by %(due)s.")
                             % {"due": leave.paperwork_due.isoformat()})
            return redirect(leave)
    return render(request, "committee/form.html", {"form": form, "title": _("Record an emergency leave"),
                                                   "back": "attendance_leave_list"})


# --- inspections (ATT-8) and flags (ATT-7) -------------------------------------------------------------------


@staff_required
def inspections(request):
    """Staff: the street office's inspections of their community and the score deducted; the street office
    records them."""
    year = _year_param(request, timezone.localdate().year)
    qs = scoping.scope_to_current(Inspection.objects.select_related("community", "inspector"), request)
    items = list(qs.filter(date__year=year))
    communities = [scoping.current_community(request)] if scoping.current_community(request) else list(
        scoping.communities(request.user))
    totals = {}
    for i in items:
        if i.problem_found and not i.voided:
            totals[i.community_id] = totals.get(i.community_id, rules.ZERO) + i.deduction_pct
    scores = [{"community": c, "deducted": totals.get(c.pk, rules.ZERO)} for c in communities]
    return render(request, "attendance/inspections.html", {
        "items": items, "year": year, "scores": scores, "can_add": _is_street(request)})


@street_office_required
def inspection_new(request):
    """The street office: record an unannounced inspection and its finding. ATT-8"""
    form = InspectionForm(request.POST or None, communities=scoping.communities(request.user),
                          initial={"date": timezone.localdate(), "community": scoping.current_community(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_inspection(community=data["community"], date=data["date"], finding=data["finding"],
                                       problem_found=data["problem_found"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect(reverse("attendance_inspections") + f"?year={data['date'].year}")
    return render(request, "committee/form.html", {"form": form, "title": _("Record an inspection"),
                                                   "back": "attendance_inspections"})


@staff_required
def flags(request):
    """The street office, and a community's keeper, director and secretary: people flagged "to be treated
    as resigned" this year (ATT-7); the street office decides."""
    today = timezone.localdate()
    year = _year_param(request, today.year)
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    if not _is_street(request) and not (current and services.can_keep_register(_me(request), current)):
        raise PermissionDenied
    found = figures.yearly_flags(communities, year, today=today)
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=found).select_related("community")}
    reviews = {r.staff_id: r for r in ResignationReview.objects.filter(staff_id__in=found, year=year)
               .select_related("decided_by")}
    rows = [{"person": staff[pk], "flags": items, "review": reviews.get(pk)} for pk, items in found.items()]
    return render(request, "attendance/flags.html", {
        "rows": rows, "year": year, "form": ReviewForm(), "can_decide": _is_street(request)})


@require_POST
@street_office_required
def flag_review(request, pk, year):
    """The street office: decide on an ATT-7 flag (treated as resigned, or kept on), with the reason."""
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    person = get_object_or_404(scoping.scope(Staff.objects.all(), request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_flag(staff=person, year=year, decision=form.cleaned_data["decision"],
                                 note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose a decision and give the reason."))
    return redirect(reverse("attendance_flags") + f"?year={year}")
