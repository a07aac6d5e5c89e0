"""Pages of the meetings app. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Every object is looked up through ``services.visible_meetings``/``visible_bodies`` (another community's
object answers 404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committee import approvals, calendar, files, policy, printing, scoping
from committee.feedback import flash_errors, form_errors, keep
from committee.forms import DecisionForm as ApprovalDecisionForm
from committee.models import Role, Staff
from committee.scoping import staff_for
from meetings import deductions, forms, kinds, reminders, rules, services
from meetings.models import Attachment, Attendance, Body, BodyMember, Decision, LeaveRequest, Meeting

MANAGER_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY)


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(services.visible_meetings(request.user).select_related("body", "community"), pk=pk)


def _body(request, pk) -> Body:
    return get_object_or_404(services.visible_bodies(request.user).select_related("community"), pk=pk)


def _may_write(request, meeting_or_body) -> None:
    """Community records: the community's staff or the street office. Street regular meetings: the street
    office (the host, MTG-3)."""
    if meeting_or_body.community_id is None and not scoping.is_street_staff(request.user):
        raise PermissionDenied


def _may_manage(request, body: Body) -> None:
    """Setting up bodies and members: the director, deputy, party secretary, or the street office."""
    _may_write(request, body)
    if not scoping.passes_roles(request.user, MANAGER_ROLES):
        raise PermissionDenied


def _month(request) -> tuple[int, int]:
    """``?month=YYYY-MM`` (or ``?day=YYYY-MM-DD``, ``?year=YYYY``): a month between 1900 and next year.
    Anything else (0001-01-01, 9999-12-31, 99999, -1, words) shows this month with a message (CTL-8),
    never a 500. Private parser; committee.params is meant to replace it."""
    today = timezone.localdate()
    raw_month, raw_day, raw_year = (request.GET.get(k, "").strip() for k in ("month", "day", "year"))
    if not (raw_month or raw_day or raw_year):
        return today.year, today.month
    try:
        if raw_month:
            y, m = (int(x) for x in raw_month.split("-"))
        elif raw_day:
            day = dt.date.fromisoformat(raw_day)
            y, m = day.year, day.month
        else:
            y, m = int(raw_year), 1
        dt.date(y, m, 1)
    except (ValueError, TypeError, OverflowError):
        messages.warning(request, _("That is not a valid month; this month is shown."))
        return today.year, today.month
    if not (forms.FIRST_YEAR <= y <= forms.last_year()):
        messages.warning(request, _("Please give a date between %(first)s and %(last)s (CTL-8).") % {
            "first": forms.FIRST_YEAR, "last": forms.last_year()})
        return (forms.FIRST_YEAR, 1) if y < forms.FIRST_YEAR else (forms.last_year(), 12)
    return y, m


PRESENT_STATUSES = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def _posted_status(post, key: str) -> str:
    """The roll call's answer for one participant. The phone list posts a checkbox ``<key>=present`` (ticked:
    here) and ``<key>_detail`` (late / with leave); a plain form may post the status itself in ``<key>``.
    Unticked counts as absent (MTG-3); the server computes the quorum from these, never the page."""
    value = post.get(key, "")
    detail = post.get(f"{key}_detail", "")
    if value == Attendance.Status.PRESENT and detail == Attendance.Status.LATE:
        return Attendance.Status.LATE
    if not value and detail == Attendance.Status.EXCUSED:
        return Attendance.Status.EXCUSED
    return value


def _scheduled_message(meeting: Meeting) -> str:
    when = meeting.date.isoformat() + (f" {meeting.start_time:%H:%M}" if meeting.start_time else "")
    return _("%(body)s meets on %(when)s. Next: add the agenda items; on the day, whoever hosts takes the roll "
             "call (MTG-3), which opens on %(date)s.") % {
        "body": meeting.body.name, "when": when, "date": meeting.date.isoformat()}


def _roll_call_message(meeting: Meeting) -> str:
    counts = {"present": meeting.present_count, "total": meeting.members_total, "needed": meeting.quorum_needed}
    if meeting.quorum_needed is None:
        return _("Roll call recorded: %(present)s of %(total)s present. Next: write the minutes.") % counts
    if meeting.has_quorum:
        return _("Roll call recorded: %(present)s of %(total)s present, quorum %(needed)s reached. Next: record "
                 "the decisions, then write the minutes.") % counts
    return _("Roll call recorded: %(present)s of %(total)s present, quorum %(needed)s not reached: the meeting "
             "is not convened and records no decision (MTG-6, MTG-7). Next: write the minutes to record what "
             "happened.") % counts


def _next_step(meeting: Meeting) -> str:
    """What happens next on a meeting, and who does it (shown on the meeting page)."""
    today = timezone.localdate()
    S = Meeting.Status
    if meeting.status == S.PLANNED and meeting.date > today:
        return _("Next: the roll call opens on %(date)s (MTG-3); until then add agenda items or change the "
                 "meeting.") % {"date": meeting.date.isoformat()}
    if meeting.status == S.PLANNED:
        return _("Next: the host takes the roll call at the door.")
    if meeting.status == S.HELD and meeting.not_convened:
        return _("Next: write the minutes of what happened and send them for approval.")
    if meeting.status == S.HELD:
        return _("Next: record the decisions, write the minutes and send them for approval.")
    if meeting.status == S.SUBMITTED:
        return _("Waiting for %(who)s to approve the minutes (in their inbox).") % {"who": _approvers_text(meeting)}
    if meeting.status == S.CLOSED:
        return _("The minutes are final: nothing more to do.")
    return ""


def _approvers_text(meeting: Meeting, exclude=()) -> str:
    """Who decides the minutes: the committee approver's role and the people holding it today (CTL-2:
    never the recorder or the sender)."""
    role = policy.committee_approver_role(meeting.community)
    names = [s.name for s in approvals.holders(role, meeting.community, timezone.localdate())
             .exclude(pk__in=[pk for pk in exclude if pk]).order_by("name")]
    return f"{role.label}（{'、'.join(names)}）" if names else str(role.label)


# --- home -----------------------------------------------------------------------------------------


@scoping.staff_required
def home(request):
    """Meetings of the current community: bodies and their cadence, upcoming and recent meetings. Any staff."""
    today = timezone.localdate()
    community = scoping.current_community(request)
    communities = [community] if community else list(scoping.communities(request.user))
    status = reminders.body_status(communities, today)
    meetings = services.visible_meetings(request.user).select_related("body", "community")
    if community:
        meetings = meetings.filter(Q(community=community) | Q(community__isnull=True))
    upcoming = meetings.filter(status=Meeting.Status.PLANNED, date__gte=today).order_by("date", "start_time")[:10]
    recent = meetings.exclude(status=Meeting.Status.PLANNED).filter(date__lte=today).order_by("-date", "-pk")[:15]
    bodies = (services.visible_bodies(request.user).filter(community__in=communities, active=True)
              .select_related("community").annotate(last_held=Max("meetings__date", filter=Q(
                  meetings__status__in=services.HELD_STATES))))
    by_body = {b.pk: {"months": months, "last": last, "due": due, "state": state}
               for b, months, last, due, state in status}
    rows = [(b, by_body.get(b.pk)) for b in bodies]
    me = staff_for(request.user)
    mine = []
    if me and me.community_id:
        y, mo = today.year, today.month
        for slot, day, date, time in services.regular_schedule(me.street_office, y, mo):
            if services.expected_at_regular(me, me.street_office_id, slot, date):
                mine.append((day, date, time))
    return render(request, "meetings/home.html", {
        "community": community, "status": status, "upcoming": upcoming, "recent": recent, "rows": rows,
        "mine": mine, "today": today, "can_manage": scoping.passes_roles(request.user, MANAGER_ROLES),
    })


# --- bodies ---------------------------------------------------------------------------------------


@scoping.roles_required(*MANAGER_ROLES)
def body_new(request):
    """Set up a body of the current community. Director, deputy, party secretary, street office."""
    community = scoping.community_for_write(request)
    if community is None:
        messages.error(request, _("Choose a community first."))
        return redirect("meetings_home")
    form = forms.BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.create_body(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(name)s was set up.") % {"name": body.name})
            return redirect(body)
    return render(request, "committee/form.html", {"form": form, "title": _("New meeting body"), "back": "meetings_home"})


@scoping.staff_required
def body_detail(request, pk):
    """A body: members over time, cadence, meetings. Staff of its community, the street office."""
    body = _body(request, pk)
    today = timezone.localdate()
    members = body.members.select_related("staff", "person").order_by("end", "name")
    meetings = body.meetings.order_by("-date", "-pk")[:50]
    kind = kinds.get(body.kind)
    cadence = None
    if body.community_id:
        for b, months, last, due, state in reminders.body_status([body.community], today):
            if b.pk == body.pk:
                cadence = {"months": months, "last": last, "due": due, "state": state}
    current = body.members.on(today).count()
    quorum = services.quorum_for(Meeting(body=body, community=body.community), current) if body.community_id else None
    return render(request, "meetings/body_detail.html", {
        "body": body, "members": members, "meetings": meetings, "kind": kind, "cadence": cadence, "today": today,
        "current_members": current, "quorum": quorum,
        "can_manage": _can(request, _may_manage, body), "can_write": _can(request, _may_write, body),
    })


def _can(request, check, obj) -> bool:
    try:
        check(request, obj)
    except PermissionDenied:
        return False
    return True


@scoping.staff_required
def body_edit(request, pk):
    """Rename a body, change its cadence or mark it inactive. Director, deputy, party secretary, street office."""
    body = _body(request, pk)
    _may_manage(request, body)
    form = forms.BodyForm(request.POST or None, initial={"kind": body.kind, "name": body.name,
                                                        "cadence_months": body.cadence_months, "note": body.note})
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        body.name = form.cleaned_data["name"]
        body.cadence_months = form.cleaned_data["cadence_months"]
        body.note = form.cleaned_data["note"]
        body.save()
        messages.success(request, _("Saved."))
        return redirect(body)
    return render(request, "committee/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": body.name},
                                                   "back_obj": body})


@scoping.staff_required
def member_add(request, pk):
    """Add a member (staff, registered resident or a name). Director, deputy, party secretary, street office."""
    body = _body(request, pk)
    _may_manage(request, body)
    form = forms.MemberForm(request.POST or None, community=body.community,
                            initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(body, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Member added."))
            return redirect(body)
    return render(request, "committee/form.html", {"form": form, "title": _("Add a member to %(name)s") % {"name": body.name},
                                                   "back_obj": body})


@scoping.staff_required
def members_bulk(request, pk):
    """Add many members at once by pasting names. Director, deputy, party secretary, street office."""
    body = _body(request, pk)
    _may_manage(request, body)
    form = forms.BulkMembersForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_members_from_text(body, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, ngettext("%(n)s member added.", "%(n)s members added.", len(added)) % {"n": len(added)})
            return redirect(body)
    return render(request, "committee/form.html", {"form": form, "title": _("Add members to %(name)s") % {"name": body.name},
                                                   "back_obj": body})


@require_POST
@scoping.staff_required
def member_end(request, pk):
    """End a membership on a date (the member stays in the history). Managers, street office."""
    member = get_object_or_404(BodyMember.objects.filter(body__in=services.visible_bodies(request.user)), pk=pk)
    _may_manage(request, member.body)
    try:
        end = dt.date.fromisoformat(request.POST.get("end", ""))
        if forms.sane_date_error(end):
            raise ValueError
        services.end_member(member, end=end, acting_user=request.user)
    except ValueError:
        messages.error(request, _("Please give a valid date."))
        keep(request)
    except ValidationError as e:
        flash_errors(request, e)
    return redirect(member.body)


# --- meetings -------------------------------------------------------------------------------------


@scoping.staff_required
def meeting_new(request, pk):
    """Plan a meeting of a body. Staff of its community, the street office."""
    body = _body(request, pk)
    _may_write(request, body)
    form = forms.MeetingForm(request.POST or None, community=body.community,
                             initial={"title": body.name, "date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(body, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _scheduled_message(meeting))
            return redirect(meeting)
    return render(request, "committee/form.html", {"form": form, "title": _("New meeting of %(name)s") % {"name": body.name},
                                                   "back_obj": body})


@scoping.staff_required
def meeting_detail(request, pk):
    """A meeting: roll call, agenda, decisions, minutes, attachments, leave. Staff who may see it."""
    meeting = _meeting(request, pk)
    attendance = list(meeting.attendance.order_by("name", "pk"))
    decisions = meeting.decisions.prefetch_related("dissents").select_related("agenda_item")
    me = staff_for(request.user)
    leaves = meeting.leave_requests.select_related("staff")
    if me and me.community_id:
        leaves = leaves.filter(community_id=me.community_id)
    expected = []
    can_ask_leave = False
    if meeting.category == Meeting.Category.REGULAR:
        expected = services.regular_attendees(meeting)
        if me and me.community_id:
            expected = [s for s in expected if s.community_id == me.community_id]
        can_ask_leave = bool(me and meeting.status == Meeting.Status.PLANNED and me.pk in {s.pk for s in expected}
                             and meeting.date >= timezone.localdate())
    kind = kinds.get(meeting.body.kind)
    warnings = []
    if kind.quorum and meeting.chair_id and meeting.community_id:
        if not approvals.holds_role(meeting.chair, Role.DIRECTOR, meeting.community, meeting.date):
            warnings.append(_("The meeting is chaired by the director (MTG-6, MTG-7)."))
    if (meeting.category in (Meeting.Category.WEEKLY_SUMMARY, Meeting.Category.MONTHLY_SUMMARY)
            and meeting.chair_id and meeting.community_id):
        role = policy.committee_approver_role(meeting.community)
        if not approvals.holds_role(meeting.chair, role, meeting.community, meeting.date):
            warnings.append(_("Summary meetings are chaired by the %(role)s (MTG-1).") % {"role": role.label})
    return render(request, "meetings/meeting_detail.html", {
        "next_step": _next_step(meeting),
        "meeting": meeting, "attendance": attendance, "decisions": decisions, "leaves": leaves,
        "expected": expected, "can_ask_leave": can_ask_leave, "kind": kind, "warnings": warnings,
        "agenda": meeting.agenda.all(), "attachments": meeting.attachments.all(),
        "corrections": meeting.corrections.select_related("changed_by"),
        "minutes_steps": approvals.steps_for(meeting) if meeting.community_id else [],
        "seal_entry": _seal_entry(meeting),  # SEAL-2: the register entry of the resolutions' stamp
        "minutes_approver": (_approvers_text(meeting, exclude=[meeting.recorder_id, getattr(me, "pk", None)])
                             if meeting.community_id and meeting.status == Meeting.Status.HELD else ""),
        "decide_form": ApprovalDecisionForm(),
        "can_write": _can(request, _may_write, meeting), "today": timezone.localdate(),
        "present": sum(1 for a in attendance if a.is_present),
        "attendance_groups": [(value, label, [a for a in attendance if a.status == value])
                              for value, label in Attendance.Status.choices],
    })


def _seal_entry(meeting):
    if meeting.status != Meeting.Status.CLOSED or not meeting.community_id:
        return None
    from seals.services import entry_for

    return entry_for(meeting)


@scoping.staff_required
def meeting_edit(request, pk):
    """Change a planned meeting. Staff of its community, the street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    form = forms.MeetingForm(request.POST or None, community=meeting.community, initial={
        "title": meeting.title, "date": meeting.date, "start_time": meeting.start_time, "place": meeting.place,
        "chair": meeting.chair_id, "recorder": meeting.recorder_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["chair_name"] = data["chair"].name if data["chair"] else meeting.chair_name
        data["recorder_name"] = data["recorder"].name if data["recorder"] else meeting.recorder_name
        try:
            meeting = services.update_meeting(meeting, acting_user=request.user, **data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Meeting changed.") + " " + _scheduled_message(meeting))
            return redirect(meeting)
    return render(request, "committee/form.html", {"form": form, "title": _("Edit meeting"), "back_obj": meeting})


@require_POST
@scoping.staff_required
def meeting_cancel(request, pk):
    """Cancel a planned meeting with a reason. Staff of its community, the street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    try:
        services.cancel_meeting(meeting, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("%(title)s of %(date)s is cancelled; the reason stays on the record. Nothing "
                                    "more to do: plan a new meeting of the body if it must still meet.") % {
            "title": meeting.title, "date": meeting.date.isoformat()})
    return redirect(meeting)


@scoping.staff_required
def roll_call(request, pk):
    """MTG-3: the roll call at the door. The host: staff of the community; for a street regular meeting the
    street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    participants = services.expected_participants(meeting)
    current = {}
    for a in meeting.attendance.all():
        key = f"m{a.member_id}" if a.member_id else f"s{a.staff_id}"
        current[key] = a.status
    approved = set(meeting.leave_requests.filter(state=LeaveRequest.State.APPROVED).values_list("staff_id", flat=True))
    for p in participants:  # a first roll call starts with nobody ticked: names are ticked as people arrive
        p["status"] = current.get(p["key"]) or (
            Attendance.Status.EXCUSED if p["staff"] and p["staff"].pk in approved else Attendance.Status.ABSENT)
    if request.method == "POST":
        statuses = {p["key"]: _posted_status(request.POST, p["key"]) for p in participants}
        try:
            meeting = services.record_roll_call(meeting, statuses, acting_user=request.user)
        except ValidationError as e:
            flash_errors(request, e)
            for p in participants:  # show what was ticked, not what was stored
                p["status"] = statuses[p["key"]] or Attendance.Status.ABSENT
        else:
            messages.success(request, _roll_call_message(meeting))
            return redirect(meeting)
    for p in participants:
        p["present"] = p["status"] in PRESENT_STATUSES
    return render(request, "meetings/roll_call.html", {
        "meeting": meeting, "participants": participants, "choices": Attendance.Status.choices,
        "quorum": services.quorum_for(meeting, len(participants)),
        "present_count": sum(1 for p in participants if p["present"]),
        "first_call": not current,
    })


@scoping.staff_required
def agenda_add(request, pk):
    """Add an agenda item (proposed by the secretary and director, MTG-6). Staff of the community, street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    form = forms.AgendaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_agenda_item(meeting, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Agenda item “%(title)s” added. Next: record the decision on it during the "
                                        "meeting.") % {"title": item.title})
            return redirect(meeting)
    return render(request, "committee/form.html", {"form": form, "title": _("Add an agenda item"), "back_obj": meeting})


@scoping.staff_required
def decision_add(request, pk):
    """Record a decision with its vote (MTG-6 … MTG-9). Staff of the community, the street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    form = forms.DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("dissent_")}
        try:
            decision = services.record_decision(meeting, dissents=form.dissents(), acting_user=request.user, **data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            then = _("Next: write the minutes and send them for approval when the meeting ends.")
            if decision.adopted:
                messages.success(request, _("Decision recorded: adopted.") + " " + then)
            else:
                messages.warning(request, _("Decision recorded: not adopted (no majority of those present).") + " "
                                 + then)
            return redirect(meeting)
    title = _("Record a decision")
    return render(request, "meetings/decision_form.html", {"form": form, "title": title, "meeting": meeting})


@require_POST
@scoping.staff_required
def decision_void(request, pk):
    """Void a decision with a reason (it stays in the minutes, struck through). Staff of the community, street."""
    decision = get_object_or_404(Decision.objects.filter(meeting__in=services.visible_meetings(request.user)), pk=pk)
    _may_write(request, decision.meeting)
    try:
        services.void_decision(decision, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Decision “%(title)s” voided; it stays in the minutes, struck through, with the "
                                    "reason.") % {"title": decision.title})
    return redirect(decision.meeting)


@scoping.staff_required
def minutes_edit(request, pk):
    """Write the minutes while the meeting is held; approved minutes are final (CTL-5). Staff of the
    community, street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    form = forms.MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(meeting, text=form.cleaned_data["minutes"], acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Minutes saved. Next: when they are complete, send them for approval on the "
                                        "meeting page."))
            return redirect(meeting)
    return render(request, "committee/form.html", {"form": form, "title": _("Minutes"), "back_obj": meeting})


@require_POST
@scoping.staff_required
def minutes_close(request, pk):
    """Close the minutes. Staff of the community, the street office."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    try:
        services.close_minutes(meeting, acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        if meeting.community_id is None:
            messages.success(request, _("Minutes closed: they are final and count for the record."))
        else:
            messages.success(request, _("Minutes sent for approval. Next: %(who)s decides in their inbox; approved "
                                        "minutes are final (CTL-5), refused ones come back to be corrected.") % {
                "who": _approvers_text(meeting, exclude=[meeting.recorder_id, getattr(staff_for(request.user), "pk", None)])})
    return redirect(meeting)


@scoping.staff_required
def minutes_pdf(request, pk):
    """The minutes as a PDF for signing and sealing. Staff who may see the meeting."""
    meeting = _meeting(request, pk)
    pdf = printing.render_pdf("meetings/minutes_pdf.html", _minutes_context(meeting))
    return printing.pdf_response(pdf, f"minutes-{meeting.date:%Y%m%d}-{meeting.pk}.pdf")


def _minutes_context(meeting):
    attendance = list(meeting.attendance.order_by("name", "pk"))
    return {
        "meeting": meeting, "attendance": attendance,
        "present": [a for a in attendance if a.is_present],
        "absent": [a for a in attendance if not a.is_present],
        "agenda": meeting.agenda.all(),
        "decisions": meeting.decisions.prefetch_related("dissents"),
        "seal_org": meeting.community.committee_name if meeting.community else meeting.street_office.name,
        "seal_date": meeting.date,
    }


@scoping.staff_required
def attachment_add(request, pk):
    """Attach a file to the minutes (photo of the sign-in sheet, documents). Staff of the community, street."""
    meeting = _meeting(request, pk)
    _may_write(request, meeting)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.add_attachment(meeting, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(file)s attached to the minutes.") % {"file": attachment})
            return redirect(meeting)
    return render(request, "committee/form.html", {"form": form, "title": _("Attach a file"), "back_obj": meeting})


@scoping.staff_required
def attachment(request, pk):
    """Download an attachment. Staff who may see the meeting."""
    att = get_object_or_404(Attachment.objects.filter(meeting__in=services.visible_meetings(request.user)), pk=pk)
    return files.serve(att.file)  # CTL-7


@scoping.staff_required
def quick_record(request, pk):
    """MTG-1 / MTG-10: record a briefing, summary, study or democratic-life meeting in one step. Staff."""
    body = _body(request, pk)
    _may_write(request, body)
    form = forms.QuickRecordForm(request.POST or None, community=body.community, initial={
        "date": timezone.localdate(), "category": request.GET.get("category", Meeting.Category.MORNING_BRIEFING)})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.quick_record(body, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(title)s recorded.") % {"title": meeting.title})
            return redirect("meetings_body", body.pk)
    return render(request, "committee/form.html", {"form": form, "title": _("Quick record"), "back_obj": body})


# --- meetings calendar ------------------------------------------------------------------------------


@scoping.staff_required
def meetings_calendar(request):
    """A month of meetings: planned, held and cancelled meetings of the current community (for the street
    office: of the chosen community, or of every community) and the street regular meetings (MTG-2,
    generated ones shown even before their records exist), on a month grid with holidays. Staff."""
    year, month = _month(request)
    first = dt.date(year, month, 1)
    after = rules.add_months(first, 1)
    community = scoping.current_community(request)
    meetings = services.visible_meetings(request.user).filter(date__gte=first, date__lt=after)
    if community:
        meetings = meetings.filter(Q(community=community) | Q(community__isnull=True))
    meetings = list(meetings.select_related("community").order_by("date", "start_time", "pk"))
    me = staff_for(request.user)
    events = []
    for m in meetings:
        kind = {Meeting.Status.PLANNED: "meeting", Meeting.Status.CANCELLED: "cancelled"}.get(m.status, "held")
        title = m.title if community or not m.community_id else f"{m.title}（{m.community.name}）"
        events.append(calendar.Event(date=m.date, title=title, url=m.get_absolute_url(), kind=kind, time=m.start_time))
    held_regular = {m.date for m in meetings if m.category == Meeting.Category.REGULAR and m.generated}
    if me:
        for _slot, day, date, time in services.regular_schedule(me.street_office, year, month):
            if date not in held_regular and first <= date < after:
                events.append(calendar.Event(date=date, title=_("Street regular meeting of the %(day)sth") % {"day": day},
                                             url=f"{_url('meetings_regular')}?month={year}-{month:02d}",
                                             kind="meeting", time=time))
    events.sort(key=lambda e: (e.date, e.time or dt.time.min, e.title))
    return render(request, "meetings/calendar.html", {
        "month": first, "prev": rules.add_months(first, -1), "next": after, "community": community,
        "weeks": calendar.month_weeks(year, month, events=events), "weekdays": calendar.weekday_names(),
        "events": events, "today": timezone.localdate(),
        "has_prev": first > dt.date(forms.FIRST_YEAR, 1, 1), "has_next": after.year <= forms.last_year(),
    })


def calendar_events(user, start: dt.date, end: dt.date) -> list:
    """For the working-day calendar (committee.calendar.register_events): the street regular meetings of
    the user's street office between start and end (MTG-2), linked to the meeting when its record exists.
    Two queries whatever the range."""
    me = staff_for(user)
    if me is None:
        return []
    days, time = services.street_regular_settings(me.street_office_id)
    existing = {m.date: m for m in Meeting.objects.filter(
        street_office_id=me.street_office_id, category=Meeting.Category.REGULAR, generated=True,
        date__gte=start, date__lte=end + dt.timedelta(days=15))}
    out = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        for _slot, _day, date in rules.regular_dates(month.year, month.month, days):
            meeting = existing.get(date)
            url = meeting.get_absolute_url() if meeting else f"{_url('meetings_regular')}?month={month:%Y-%m}"
            out.append(calendar.Event(date=date, title=_("Regular meeting"), url=url, kind="meeting", time=time))
        month = rules.add_months(month, 1)
    return out


# --- MTG-2 / MTG-4 / MTG-5 --------------------------------------------------------------------------


@scoping.staff_required
def regular(request):
    """MTG-2: the street regular meetings of a month (generated), and which ones the user must attend. Staff."""
    me = staff_for(request.user)
    year, month = _month(request)
    existing = {m.date: m for m in Meeting.objects.filter(
        street_office=me.street_office, category=Meeting.Category.REGULAR, generated=True,
        date__gte=dt.date(year, month, 1), date__lt=rules.add_months(dt.date(year, month, 1), 1) + dt.timedelta(days=10))}
    community = scoping.current_community(request)
    rows = []
    for slot, day, date, time in services.regular_schedule(me.street_office, year, month):
        attendees = services.regular_attendees(Meeting(street_office=me.street_office, regular_slot=slot, date=date,
                                                       category=Meeting.Category.REGULAR))
        if community:
            attendees = [s for s in attendees if s.community_id == community.pk]
        rows.append({"slot": slot, "day": day, "date": date, "time": time, "moved": date.day != day or date.month != month,
                     "roles": rules.regular_roles_labels(slot),
                     "attendees": attendees, "mine": me.pk in {s.pk for s in attendees},
                     "meeting": existing.get(date)})
    first = dt.date(year, month, 1)
    return render(request, "meetings/regular.html", {
        "rows": rows, "month": first, "prev": rules.add_months(first, -1), "next": rules.add_months(first, 1),
        "is_street": me.community_id is None, "warning": calendar.unconfirmed_warning(first),
    })


@require_POST
@scoping.staff_required
def regular_prepare(request, year, month):
    """MTG-2: create the records of a month's regular meetings (idempotent) so leave and roll call can be
    recorded. Any staff: the schedule is fixed by policy, nobody types it."""
    me = staff_for(request.user)
    try:
        dt.date(year, month, 1)
    except (ValueError, OverflowError):
        raise Http404 from None
    if not (forms.FIRST_YEAR <= year <= forms.last_year()):
        raise Http404
    meetings = services.ensure_regular_meetings(me.street_office, year, month, acting_user=request.user)
    target = request.POST.get("slot")
    if target is not None and target.isdigit() and int(target) < len(meetings):
        return redirect(meetings[int(target)])
    return redirect(f"{_url('meetings_regular')}?month={year}-{month:02d}")


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@scoping.staff_required
def leave_new(request, pk):
    """MTG-4: ask for leave from a street regular meeting (for oneself). Community staff expected there."""
    meeting = _meeting(request, pk)
    me = staff_for(request.user)
    form = forms.LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.request_leave(meeting, staff=me, reason=form.cleaned_data["reason"],
                                           acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            step = approvals.steps_for(leave).filter(status="pending").first()
            if step:
                messages.success(request, _("Leave request sent for approval. Next: %(who)s decides.") % {
                    "who": step.label})
            else:
                messages.success(request, _("Leave request sent for approval."))
            return redirect(leave)
    return render(request, "committee/form.html", {"form": form, "title": _("Ask for leave from %(m)s") % {"m": meeting},
                                                   "back_obj": meeting, "submit_label": _("Send for approval")})


@scoping.staff_required
def leave_detail(request, pk):
    """A leave request with its approval steps. The requester's community, the street office."""
    leave = get_object_or_404(scoping.scope(LeaveRequest.objects.select_related("meeting", "staff"), request.user), pk=pk)
    return render(request, "meetings/leave_detail.html", {
        "leave": leave, "steps": approvals.steps_for(leave), "decide_form": ApprovalDecisionForm(),
    })


@scoping.staff_required
def deductions_page(request):
    """MTG-5: the month's deductions for unapproved absences and the award eligibility of the year. Staff."""
    year, month = _month(request)
    community = scoping.current_community(request)
    staff = Staff.objects.filter(community__in=[community] if community else scoping.communities(request.user))
    staff = list(staff.select_related("community").order_by("community__name", "name"))
    lines = deductions.monthly_lines(staff, year, month)
    by_id = {s.pk: s for s in staff}
    for line in lines:
        line["staff"] = by_id[line["staff_id"]]
    ineligible = deductions.award_ineligible(staff, year)
    first = dt.date(year, month, 1)
    resigned = deductions.resignation_flags(staff, rules.add_months(first, 1) - dt.timedelta(days=1))
    return render(request, "meetings/deductions.html", {
        "lines": lines, "month": first, "prev": rules.add_months(first, -1), "next": rules.add_months(first, 1),
        "ineligible": [by_id[i] for i, flag in ineligible.items() if flag], "year": year,
        "resigned": [by_id[i] for i, flag in resigned.items() if flag],
    })


__all__ = ["Count"]
