"""Every state change of the attendance app: checked with attendance.rules, inside a transaction, with the
acting user recorded in the history. Errors are translated ValidationErrors naming the field and the rule;
nothing is saved when one is raised."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance import rules
from attendance.models import Inspection, LeaveRequest, MonthlySheet, RegisterMonth, ResignationReview, SignIn
from committee import acts, approvals, policy, scoping
from committee.models import Community, Role, RoleAssignment, Staff
from committee.scoping import staff_for

# Who keeps the register (ATT-1): the attendance keeper; the committee's director and party secretary
# supervise it and may act for the keeper.
KEEPER_ROLES = (Role.ATTENDANCE_KEEPER, Role.DIRECTOR, Role.PARTY_SECRETARY)


def _actor(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members can do this."))
    return staff


def can_keep_register(staff: Staff | None, community: Community, day: dt.date | None = None) -> bool:
    if staff is None or staff.community_id != community.pk:
        return False
    day = day or timezone.localdate()
    return RoleAssignment.objects.on(day).filter(staff=staff, community=community, role__in=KEEPER_ROLES).exists()


def oversees(user, community: Community) -> bool:
    """The street office, or the keeper (director, party secretary) of the community: sees everyone's
    figures of a month (the month page and its sheet)."""
    return scoping.is_street_staff(user) or can_keep_register(staff_for(user), community)


def leaving_early_now(community: Community, now: dt.datetime | None = None) -> bool:
    """ATT-1: signing out now would be leaving early (a working day, before att.early_before): the sign card
    asks first and the server refuses it without the dialog's ``confirm``."""
    from committee import calendar

    now = timezone.localtime(now)
    return calendar.is_working_day(now.date()) and now.time() < policy.get(community, "att.early_before")


def may_open_register(request) -> bool:
    """The register and flags pages: the street office, or the keeper of the current community."""
    community = scoping.current_community(request)
    return scoping.is_street_staff(request.user) or (community is not None and oversees(request.user, community))


def _require_keeper(actor: Staff, community: Community) -> None:
    if not can_keep_register(actor, community):
        raise ValidationError(
            _("Only the attendance keeper (or the director or party secretary) of %(community)s keeps its "
              "register (ATT-1).") % {"community": community.name}
        )


def _save(obj, acting_user, reason: str | None = None) -> None:
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason
    obj.save()


def _fmt(t: dt.time | None) -> str:
    return t.strftime("%H:%M") if t else "—"


# --- ATT-1: sign in and out ------------------------------------------------------------------------------


@transaction.atomic
def sign(*, action: str, acting_user) -> SignIn:
    """A staff member signs in or out at the server's clock (never the browser's). ATT-1"""
    staff = _actor(acting_user)
    if staff.community_id is None:
        raise ValidationError(_("Only community staff sign the attendance register (ATT-1)."))
    now = timezone.localtime()
    today, at = now.date(), now.time().replace(microsecond=0)
    record = SignIn.objects.select_for_update(of=("self",)).filter(staff=staff, date=today).first()
    if action == "in":
        if record is not None and record.sign_in is not None:
            raise ValidationError(
                _("You already signed in today at %(time)s; a second sign-in is not possible (ATT-1).")
                % {"time": _fmt(record.sign_in)}
            )
        if record is None:
            record = SignIn(community_id=staff.community_id, staff=staff, date=today, source=SignIn.Source.SELF,
                            recorded_by=staff)
        record.sign_in = at
        try:
            with transaction.atomic():
                _save(record, acting_user)
        except IntegrityError:
            raise ValidationError(_("You already signed in today (ATT-1).")) from None
        return record
    if action == "out":
        if record is None or record.sign_in is None:
            raise ValidationError(_("Please sign in first; if you forgot, ask the attendance keeper (ATT-1)."))
        if record.sign_out is not None:
            raise ValidationError(
                _("You already signed out today at %(time)s (ATT-1).") % {"time": _fmt(record.sign_out)}
            )
        record.sign_out = at
        _save(record, acting_user)
        return record
    raise ValidationError(_("Unknown action."))


@transaction.atomic
def start_month(*, community: Community, acting_user) -> RegisterMonth:
    """ATT-1: the keeper starts this month's register from today although nobody has signed yet; from today
    a working day without a sign-in or approved leave is absence. Past days are not started this way (that
    would make them absences after the fact): they are recorded or imported line by line."""
    actor = _actor(acting_user)
    _require_keeper(actor, community)
    today = timezone.localdate()
    Community.objects.select_for_update(of=("self",)).filter(pk=community.pk).first()
    if RegisterMonth.objects.filter(community=community, year=today.year, month=today.month).exists():
        raise ValidationError(_("This month's register was already started (ATT-1)."))
    started = RegisterMonth(community=community, year=today.year, month=today.month, started_on=today,
                            started_by=actor)
    _save(started, acting_user)
    return started


@transaction.atomic
def record_for(*, staff: Staff, day: dt.date, sign_in: dt.time | None, sign_out: dt.time | None, note: str,
               acting_user) -> SignIn:
    """The attendance keeper records a day on a staff member's behalf, with the reason. ATT-1, ATT-2"""
    actor = _actor(acting_user)
    staff = Staff.objects.select_for_update(of=("self",)).get(pk=staff.pk)
    _require_keeper(actor, staff.community)
    rules.check_sign_day(day, timezone.localdate())
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for recording on the staff member's behalf (ATT-2).")})
    if sign_in is None:
        raise ValidationError({"sign_in": _("Give the sign-in time.")})
    if sign_out is not None and sign_out < sign_in:
        raise ValidationError({"sign_out": _("The sign-out time is before the sign-in time.")})
    if SignIn.objects.filter(staff=staff, date=day).exists():
        raise ValidationError(
            {"date": _("%(name)s already has a record for %(day)s: correct it instead, with a reason (ATT-2).")
             % {"name": staff.name, "day": day.isoformat()}}
        )
    record = SignIn(community=staff.community, staff=staff, date=day, sign_in=sign_in, sign_out=sign_out,
                    source=SignIn.Source.KEEPER, note=note.strip(), recorded_by=actor)
    _save(record, acting_user, note.strip())
    return record


@transaction.atomic
def correct(record_id: int, *, sign_in: dt.time | None, sign_out: dt.time | None, reason: str,
            acting_user) -> SignIn:
    """ATT-2: a correction needs a reason; the original times stay in the record's history."""
    actor = _actor(acting_user)
    record = SignIn.objects.select_for_update(of=("self",)).select_related("community", "staff").get(pk=record_id)
    _require_keeper(actor, record.community)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A correction needs a reason; the original stays in the history (ATT-2).")})
    if sign_in is None and sign_out is not None:
        raise ValidationError({"sign_in": _("Give the sign-in time.")})
    if sign_in is not None and sign_out is not None and sign_out < sign_in:
        raise ValidationError({"sign_out": _("The sign-out time is before the sign-in time.")})
    if (record.sign_in, record.sign_out) == (sign_in, sign_out):
        raise ValidationError(_("Nothing changed."))
    record.sign_in, record.sign_out = sign_in, sign_out
    record.correction_reason = reason[:200]
    record.corrected_at = timezone.now()
    _save(record, acting_user, reason)
    return record


# --- ATT-3: leave requests ------------------------------------------------------------------------------


def _check_requester(actor: Staff, staff: Staff) -> None:
    if actor.pk != staff.pk and not can_keep_register(actor, staff.community):
        raise ValidationError(_("Only the staff member or the attendance keeper can enter this leave (ATT-3)."))


def is_attendance_keeper(staff: Staff | None, community: Community) -> bool:
    """CTL-5: the attendance keeper (考勤员) proper, who may act for a colleague with a reason."""
    return staff is not None and staff.community_id == community.pk and approvals.holds_role(
        staff, Role.ATTENDANCE_KEEPER, community, timezone.localdate())


def _check_changer(actor: Staff, leave: LeaveRequest, reason: str, what: str) -> str:
    """CTL-5: only the requester changes a waiting request; the attendance keeper may act for them, with a
    reason. Returns the reason for acting on their behalf ("" for the staff member)."""
    if actor.pk == leave.staff_id:
        return ""
    if not is_attendance_keeper(actor, leave.community):
        raise ValidationError(
            _("Only %(name)s (or the attendance keeper acting for them, with a reason) can %(what)s this "
              "request (CTL-5).") % {"name": leave.staff.name, "what": what})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"on_behalf_reason": _(
            "Give the reason for acting on the staff member's behalf (CTL-5).")})
    return reason[:200]


def _leave_period(staff: Staff, start, start_half, end, end_half, *, exclude_pk=None):
    """Validate a period: dates in order, at least one working half day, no overlap with the person's
    other open requests. Returns (slots, days)."""
    rules.check_leave_dates(start, start_half, end, end_half)
    slots = rules.leave_slots(start, start_half, end, end_half)
    if not slots:
        raise ValidationError({"start": _("%(start)s – %(end)s has no working day: no leave is needed (ATT-3).")
                               % {"start": start.isoformat(), "end": end.isoformat()}})
    others = LeaveRequest.objects.filter(
        staff=staff, start__lte=end, end__gte=start,
        state__in=[LeaveRequest.State.PAPERWORK, LeaveRequest.State.PENDING, LeaveRequest.State.APPROVED],
    ).exclude(pk=exclude_pk)
    for other in others:
        clash = rules.overlapping_days(slots, rules.leave_slots(other.start, other.start_half, other.end,
                                                                 other.end_half))
        if clash:
            raise ValidationError({"start": _("This leave overlaps the request of %(start)s – %(end)s (%(state)s) on "
                                              "%(day)s.") % {"start": other.start.isoformat(),
                                                             "end": other.end.isoformat(),
                                                             "state": other.get_state_display(),
                                                             "day": clash[0].isoformat()}})
    return slots, rules.slot_days(slots)


def _route(leave: LeaveRequest, acting_user) -> None:
    """ATT-3: open the approval along the routing of rules.leave_routing."""
    community = leave.community
    approver_role = policy.committee_approver_role(community)
    own = approvals.holds_role(leave.staff, approver_role, community, leave.start)
    length = continuous_length(leave)  # ATT-3: the continuous absence, adjacent requests joined
    steps = rules.leave_routing(length, approver_role=approver_role, requester_is_approver=own)
    # CTL-2: the keeper who entered the leave for someone else prepared it and decides no step. (An emergency
    # leave's requested_by is the department head who was told (ATT-4); the written request is the staff
    # member's, so the head still approves their step.)
    preparers = [leave.requested_by] if leave.requested_by_id != leave.staff_id and not leave.emergency else []
    approvals.request_approval(
        leave, community=community, steps=steps, rule="ATT-3", acting_user=acting_user, subject=leave.staff,
        preparers=preparers,
        summary=_("%(kind)s for %(name)s: %(start)s – %(end)s, %(days)s working days") % {
            "kind": leave.get_kind_display(), "name": leave.staff.name,
            "start": leave.start.isoformat() + (f" {_('afternoon')}" if leave.start_half == rules.PM else ""),
            "end": leave.end.isoformat() + (f" {_('morning')}" if leave.end_half == rules.AM else ""),
            "days": rules._num(leave.days)},
    )


def continuous_length(leave: LeaveRequest) -> Decimal:
    """ATT-3: working days of the continuous absence this leave belongs to (the person's other open
    requests within a year around it joined when they touch it)."""
    slots = rules.leave_slots(leave.start, leave.start_half, leave.end, leave.end_half)
    around = LeaveRequest.objects.filter(
        staff_id=leave.staff_id, state__in=[LeaveRequest.State.PAPERWORK, LeaveRequest.State.PENDING,
                                            LeaveRequest.State.APPROVED],
        end__gte=leave.start - dt.timedelta(days=366), start__lte=leave.end + dt.timedelta(days=366),
    ).exclude(pk=leave.pk)
    return rules.continuous_days(slots, [rules.leave_slots(o.start, o.start_half, o.end, o.end_half)
                                         for o in around])


@transaction.atomic
def request_leave(*, staff: Staff, kind: str, start: dt.date, start_half: str, end: dt.date, end_half: str,
                  reason: str, attachment=None, on_behalf_reason: str = "", acting_user) -> LeaveRequest:
    """A written leave request (请假条), whole or half days, made beforehand, routed for approval per ATT-3;
    the attendance keeper may enter it for a colleague, with a reason (CTL-5)."""
    actor = _actor(acting_user)
    staff = Staff.objects.select_for_update(of=("self",)).select_related("community").get(pk=staff.pk)
    if staff.community_id is None:
        raise ValidationError(_("Leave is requested by community staff (ATT-3)."))
    _check_requester(actor, staff)
    behalf = ""
    if actor.pk != staff.pk:
        behalf = (on_behalf_reason or "").strip()
        if not behalf:
            raise ValidationError({"on_behalf_reason": _(
                "Give the reason for acting on the staff member's behalf (CTL-5).")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the leave (ATT-3).")})
    today = timezone.localdate()
    rules.check_leave_range(start, end, today)
    rules.check_not_past(start, today)  # ATT-3: past days only through ATT-4
    _slots, days = _leave_period(staff, start, start_half, end, end_half)
    leave = LeaveRequest(community=staff.community, staff=staff, kind=kind, start=start, start_half=start_half,
                         end=end, end_half=end_half, days=days, reason=reason.strip(),
                         state=LeaveRequest.State.PENDING, requested_by=actor, filed_at=timezone.now(),
                         on_behalf_reason=behalf[:200])
    if attachment:
        leave.attachment = attachment
    _save(leave, acting_user)
    _route(leave, acting_user)
    return leave


@transaction.atomic
def record_emergency(*, staff: Staff, kind: str, start: dt.date, start_half: str, end: dt.date, end_half: str,
                     reason: str = "", told_on: dt.date | None = None, acting_user) -> LeaveRequest:
    """ATT-4: the department head records being told of an emergency leave; the written request is due
    within the policy's working days after the leave."""
    actor = _actor(acting_user)
    staff = Staff.objects.select_for_update(of=("self",)).select_related("community").get(pk=staff.pk)
    if staff.community_id is None:
        raise ValidationError(_("Leave is requested by community staff (ATT-3)."))
    today = timezone.localdate()
    if not approvals.holds_role(actor, Role.DEPARTMENT_HEAD, staff.community, today):
        raise ValidationError(_("Emergency leave is told to the street office's department head, who records it "
                                "(ATT-4)."))
    if start > today:
        raise ValidationError({"start": _("Leave that starts later is requested in writing beforehand (ATT-3).")})
    rules.check_leave_range(start, end, today)
    told_on = told_on or today
    if told_on > today:
        raise ValidationError({"told_on": _("The day you were told cannot be in the future (ATT-4).")})
    _slots, days = _leave_period(staff, start, start_half, end, end_half)
    due = rules.paperwork_due(end, policy.get(staff.community, "att.emergency_filing_days"))
    leave = LeaveRequest(community=staff.community, staff=staff, kind=kind, start=start, start_half=start_half,
                         end=end, end_half=end_half, days=days, reason=(reason or "").strip(), emergency=True,
                         told_on=told_on, told_to=actor, paperwork_due=due.date,
                         state=LeaveRequest.State.PAPERWORK, requested_by=actor)
    _save(leave, acting_user)
    return leave


@transaction.atomic
def file_paperwork(leave_id: int, *, reason: str, attachment=None, acting_user) -> LeaveRequest:
    """ATT-4: the written request of an emergency leave, filed afterwards (补办) by its due day; then it is
    approved like any request (ATT-3). Too late: refused, and the days count as absence."""
    actor = _actor(acting_user)
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("staff", "community").get(pk=leave_id)
    _check_requester(actor, leave.staff)
    if leave.state != LeaveRequest.State.PAPERWORK:
        raise ValidationError(_("This leave is not waiting for its written request."))
    today = timezone.localdate()
    if rules.paperwork_late(leave.paperwork_due, today):  # ATT-4
        raise ValidationError(
            _("The written request was due by %(due)s; filed later, these days count as absence without leave "
              "(ATT-4).") % {"due": leave.paperwork_due.isoformat()}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the leave (ATT-3).")})
    leave.reason = reason.strip()
    if attachment:
        leave.attachment = attachment
    leave.filed_at = timezone.now()
    leave.state = LeaveRequest.State.PENDING
    _save(leave, acting_user)
    _route(leave, acting_user)
    return leave


def _waiting_leave_to_change(leave_id: int, actor: Staff, reason: str, what: str, refusal: str):
    """CTL-5: the leave, locked, and the reason for acting on the requester's behalf ("" for the requester),
    when it is still waiting and the actor may change it; ``refusal`` (with %(state)s) otherwise."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("staff", "community").get(pk=leave_id)
    behalf = _check_changer(actor, leave, reason, what)
    if leave.state != LeaveRequest.State.PENDING:
        raise ValidationError(refusal % {"state": leave.get_state_display()})
    return leave, behalf


@transaction.atomic
def withdraw_leave(leave_id: int, *, reason: str = "", acting_user) -> LeaveRequest:
    """The staff member withdraws a request still waiting (or the attendance keeper for them, with a reason;
    CTL-5); nothing is deleted."""
    # An emergency leave waiting for its paperwork is the department head's record (ATT-4): it is not
    # withdrawn, so missing paperwork stays visible; the staff member files it or it counts as absence.
    leave, behalf = _waiting_leave_to_change(
        leave_id, _actor(acting_user), reason, _("withdraw"),
        _("Only a request that is still waiting can be withdrawn (it is %(state)s); a decided leave is never "
          "changed (CTL-5)."))
    approvals.withdraw(leave, acting_user=acting_user)
    leave.state = LeaveRequest.State.WITHDRAWN
    if behalf:
        leave.on_behalf_reason = behalf
    _save(leave, acting_user, behalf or None)
    return leave


@transaction.atomic
def edit_leave(leave_id: int, *, kind: str, start: dt.date, start_half: str, end: dt.date, end_half: str,
               reason: str, on_behalf_reason: str = "", acting_user) -> LeaveRequest:
    """CTL-5: the requester (or the attendance keeper for them, with a reason) edits a request still waiting;
    its approval restarts (a new round, routed again on the new length). A decided leave is never edited."""
    actor = _actor(acting_user)
    leave, behalf = _waiting_leave_to_change(
        leave_id, actor, on_behalf_reason, _("edit"),
        _("Only a request that is still waiting can be edited (it is %(state)s); a decided leave is never changed "
          "(CTL-5)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the leave (ATT-3).")})
    today = timezone.localdate()
    rules.check_leave_range(start, end, today)
    if not leave.emergency:
        rules.check_not_past(start, today)
    _slots, days = _leave_period(leave.staff, start, start_half, end, end_half, exclude_pk=leave.pk)
    approvals.withdraw(leave, acting_user=acting_user)
    leave.kind, leave.start, leave.start_half, leave.end, leave.end_half = kind, start, start_half, end, end_half
    leave.days, leave.reason = days, reason.strip()
    if behalf:
        leave.on_behalf_reason = behalf
    _save(leave, acting_user, behalf or _("Edited by the requester; approval restarts (CTL-5)."))
    _route(leave, acting_user)
    return leave


def _check_someone_on_duty(leave: LeaveRequest) -> None:
    """ORG-4: approving a leave that would leave nobody in the office during working hours is refused unless
    the all-out notice for that day exists (approved leave counts as out)."""
    from committee import duty

    for day, halves in rules.leave_slots(leave.start, leave.start_half, leave.end, leave.end_half).items():
        hours = duty.working_hours(leave.community, day)
        if hours is None:
            continue
        start, end = hours
        noon = dt.datetime.combine(day, dt.time(12, 0), start.tzinfo)
        if halves == {rules.AM}:
            end = noon
        elif halves == {rules.PM}:
            start = noon
        if duty.leaves_office_empty(leave.community, leave.staff, start, end) and \
                duty.notice_for(leave.community, day) is None:
            raise ValidationError(
                _("Approving this leave would leave nobody on duty in the office on %(day)s (ORG-4). Post the "
                  "notice to residents for that day first, or refuse the leave.") % {"day": day.isoformat()})


def on_leave_decided(record: LeaveRequest, outcome: str, acting_user) -> None:
    """Called by committee.approvals inside the decision's transaction (ATT-3)."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("staff", "community").get(pk=record.pk)
    if outcome == "approved":
        _check_someone_on_duty(leave)
    leave.state = LeaveRequest.State.APPROVED if outcome == "approved" else LeaveRequest.State.REJECTED
    leave.decided_at = timezone.now()
    _save(leave, acting_user)


# --- ATT-7: the street office decides on a flag ----------------------------------------------------------


@transaction.atomic
def review_flag(*, staff: Staff, year: int, decision: str, note: str, acting_user) -> ResignationReview:
    """ATT-7: the application flags "to be treated as resigned"; a person of the street office decides."""
    actor = _actor(acting_user)
    if actor.community_id is not None:
        raise ValidationError(_("The street office decides on these flags (ATT-7)."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the decision (ATT-7).")})
    if ResignationReview.objects.filter(staff=staff, year=year).exists():
        raise ValidationError(_("A decision for %(name)s in %(year)s is already recorded.")
                              % {"name": staff.name, "year": year})
    review = ResignationReview(community=staff.community, staff=staff, year=year, decision=decision,
                               note=note.strip(), decided_by=actor)
    _save(review, acting_user)
    return review


# --- ATT-8: inspections -------------------------------------------------------------------------------


@transaction.atomic
def record_inspection(*, community: Community, date: dt.date, finding: str, problem_found: bool,
                      acting_user) -> Inspection:
    """ATT-8: the street office records an unannounced inspection; a finding deducts the policy's share of
    the community's target-responsibility score."""
    actor = _actor(acting_user)
    if actor.community_id is not None or actor.street_office_id != community.street_office_id:
        raise ValidationError(_("Inspections are recorded by the street office (ATT-8)."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("An inspection is recorded after it took place (ATT-8).")})
    if problem_found and not (finding or "").strip():
        raise ValidationError({"finding": _("Describe the problem found (ATT-8).")})
    pct = rules.inspection_deduction(problem_found, policy.get(community, "att.inspection_deduction_pct"))
    inspection = Inspection(community=community, date=date, inspector=actor, finding=(finding or "").strip(),
                            problem_found=problem_found, deduction_pct=pct)
    _save(inspection, acting_user)
    return inspection


@transaction.atomic
def void_inspection(inspection_id: int, *, reason: str, acting_user) -> Inspection:
    """A wrongly recorded inspection is voided with a reason (never deleted)."""
    actor = _actor(acting_user)
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("community").get(pk=inspection_id)
    if actor.community_id is not None or actor.street_office_id != inspection.community.street_office_id:
        raise ValidationError(_("Inspections are recorded by the street office (ATT-8)."))
    if not (reason or "").strip():
        raise ValidationError({"void_reason": _("Give the reason for voiding.")})
    inspection.voided = True
    inspection.void_reason = reason.strip()[:200]
    _save(inspection, acting_user, reason)
    return inspection


# --- ATT-9: the monthly sheet sent to the street office -----------------------------------------------


@transaction.atomic
def mark_sheet_sent(*, community: Community, year: int, month: int, sent_on: dt.date | None = None,
                    late_reason: str = "", seal_reference: str = "", note: str = "", acting_user) -> MonthlySheet:
    """ATT-9: record that the stamped sheet of a past month was sent to the street office. The date is the
    server's; an earlier date is a late entry (补记) with a reason (CTL-6). Not while leave of the month still
    waits for its approval (ATT-1)."""
    actor = _actor(acting_user)
    _require_keeper(actor, community)
    today = timezone.localdate()
    if (year, month) >= (today.year, today.month):
        raise ValidationError(_("The sheet of a month is sent after the month has ended (ATT-9)."))
    when = acts.act_date(sent_on, reason=late_reason, field="sent_on", today=today)  # CTL-6
    if when.day < dt.date(year, month, 1) or when.day <= rules.month_dates(year, month)[-1]:
        raise ValidationError({"sent_on": _("The sending date is before the end of the month of the sheet.")})
    first, last = dt.date(year, month, 1), rules.month_dates(year, month)[-1]
    waiting = LeaveRequest.objects.filter(
        community=community, start__lte=last, end__gte=first,
        state__in=[LeaveRequest.State.PENDING, LeaveRequest.State.PAPERWORK]).count()
    if waiting:  # ATT-1
        raise ValidationError(
            ngettext("%(n)s leave request of %(year)s-%(month)02d still waits for approval or its written request: "
                     "the sheet is sent once it is decided (ATT-1).",
                     "%(n)s leave requests of %(year)s-%(month)02d still wait for approval or their written request: "
                     "the sheet is sent once they are decided (ATT-1).", waiting)
            % {"n": waiting, "year": year, "month": month})
    if MonthlySheet.objects.filter(community=community, year=year, month=month).exists():
        raise ValidationError(_("The sheet of %(year)s-%(month)02d is already recorded as sent (ATT-9).")
                              % {"year": year, "month": month})
    sheet = MonthlySheet(community=community, year=year, month=month, sent_on=when.day, sent_by=actor,
                         sent_late=when.late, late_reason=when.reason,
                         seal_reference=(seal_reference or "").strip() or None, note=(note or "").strip())
    _save(sheet, acting_user)
    # SEAL-2: the stamp is on the seal register — the entry given by its number, or a new one (SEAL-8: a void
    # seal refuses, and nothing of the sheet stays saved).
    from seals.services import link_or_register

    entry = link_or_register(community=community, reference=seal_reference, source=sheet, acting_user=acting_user,
                             matter=lambda: _("Attendance sheet of %(year)s-%(month)02d sent to the street office")
                             % {"year": year, "month": month})
    if entry is not None and sheet.seal_reference != entry.number:
        sheet.seal_reference = entry.number
        _save(sheet, acting_user)
    return sheet


# --- ATT-1: punch-clock import ---------------------------------------------------------------------------


@transaction.atomic
def import_sign_ins(*, community: Community, table: list[list], acting_user, dry_run: bool = True):
    """Check every row of a punch-clock export; unless ``dry_run``, save them all, or nothing when any row
    has an error. Returns the checked rows."""
    from attendance import imports

    actor = _actor(acting_user)
    _require_keeper(actor, community)
    rows = imports.check(table, community)
    if dry_run or any(r.errors for r in rows):
        return rows
    if not rows:
        raise ValidationError(_("The file has no rows to import."))
    for row in rows:
        record = SignIn(community=community, staff=row.staff, date=row.date, sign_in=row.sign_in,
                        sign_out=row.sign_out, source=SignIn.Source.IMPORT, recorded_by=actor,
                        note=_("Punch-clock import"))
        _save(record, acting_user, _("Punch-clock import"))
    return rows


def who_decides_next(leave: LeaveRequest) -> str:
    """Who acts next on a request, in one sentence for the message after an action (issue 9): "Sent to 主任
    王建华 for approval." — the role of the first open step and the people holding it today (not the person
    the leave is for, nor whoever entered it: they never decide it, ATT-3, CTL-2), and the step after it."""
    steps = [a for a in approvals.steps_for(leave).order_by("-round", "step")]
    current = [a for a in steps if a.round == steps[0].round] if steps else []
    open_steps = [a for a in current if a.status == "pending"]
    if not open_steps:
        return ""
    step = open_steps[0]
    # the same people the step's table and decide() allow (approvals.eligible_deciders)
    names = sorted(s.name for s in approvals.eligible_deciders(step))[:5]
    role = step.get_role_required_display()
    if names:
        text = _("Sent to %(role)s %(names)s for approval.") % {"role": role, "names": "、".join(names)}
    else:
        text = _("Waiting for the %(role)s: nobody holds that role today; tell the attendance keeper.") % {
            "role": role}
    if len(open_steps) > 1:
        text += " " + _("Then the %(role)s decides (ATT-3).") % {"role": open_steps[1].get_role_required_display()}
    return text
