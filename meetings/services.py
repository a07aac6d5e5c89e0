"""Every state change of the meetings app (transaction, lock, rule check, save with history)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import approvals, policy, records
from committee.models import Community, PolicyValue, RoleAssignment, Staff, StreetOffice
from committee.scoping import staff_for
from meetings import kinds, rules
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    BodyKind,
    BodyMember,
    Decision,
    Dissent,
    LeaveRequest,
    Meeting,
)

HELD_STATES = (Meeting.Status.HELD, Meeting.Status.SUBMITTED, Meeting.Status.CLOSED)


_save = records.save  # who acted is named in the history (committee.records)


def adopted_decisions(community):
    """Adopted, not voided decisions of a community's meetings, newest first (FIN-7 picks one)."""
    return (
        Decision.objects.filter(meeting__community=community, adopted=True, voided=False)
        .select_related("meeting", "meeting__body")
        .order_by("-meeting__date", "-pk")
    )


# --- bodies and members ---------------------------------------------------------------------------


@transaction.atomic
def create_body(*, community: Community | None, street_office: StreetOffice | None = None, kind: str, name: str,
                cadence_months: int | None = None, note: str = "", acting_user) -> Body:
    street_office = street_office or community.street_office
    if Body.objects.filter(street_office=street_office, community=community, name=name).exists():
        raise ValidationError({"name": _("A body with this name already exists.")})
    return _save(
        Body(street_office=street_office, community=community, kind=kind, name=name, cadence_months=cadence_months,
             note=note),
        acting_user,
    )


@transaction.atomic
def add_member(body: Body, *, name: str = "", staff: Staff | None = None, person=None, position: str = "",
               start: dt.date, acting_user) -> BodyMember:
    if staff is not None and person is not None:
        raise ValidationError({"staff": _("A member is either a staff member or a resident, not both.")})
    name = (name or (staff.name if staff else "") or (person.name if person else "")).strip()
    if not name:
        raise ValidationError({"name": _("Please give the member's name.")})
    if staff is not None and body.community_id and staff.community_id not in (None, body.community_id):
        raise ValidationError({"staff": _("The staff member works for another community.")})
    if person is not None and body.community_id and person.community_id != body.community_id:
        raise ValidationError({"person": _("The resident lives in another community.")})
    return _save(BodyMember(body=body, staff=staff, person=person, name=name, position=position, start=start),
                 acting_user)


@transaction.atomic
def add_members_from_text(body: Body, *, text: str, start: dt.date, acting_user) -> list[BodyMember]:
    """Several members at once, one per line: "name" or "name, position" (e.g. 31 representatives pasted
    from a spreadsheet column). A name that matches exactly one registered resident of the community is
    linked to that resident. Nothing is saved when a line is wrong."""
    from committee.models import Person

    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        name, position = parts[0], (parts[1] if len(parts) > 1 else "")
        if not name or len(name) > 50 or len(position) > 60:
            raise ValidationError({"text": _("Line %(n)s is not “name” or “name, position”.") % {"n": number}})
        rows.append((name, position))
    if not rows:
        raise ValidationError({"text": _("Please paste at least one name.")})
    people: dict[str, list] = {}
    if body.community_id:
        for person in Person.objects.filter(community_id=body.community_id, name__in=[n for n, _p in rows]):
            people.setdefault(person.name, []).append(person)
    out = []
    for name, position in rows:
        matches = people.get(name, [])
        person = matches[0] if len(matches) == 1 else None
        out.append(_save(BodyMember(body=body, person=person, name=name, position=position, start=start),
                         acting_user))
    return out


@transaction.atomic
def end_member(member: BodyMember, *, end: dt.date, acting_user) -> BodyMember:
    member = BodyMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if end < member.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    member.end = end
    return _save(member, acting_user)


# --- meetings -------------------------------------------------------------------------------------


@transaction.atomic
def create_meeting(body: Body, *, title: str, date: dt.date, start_time=None, place: str = "",
                   chair: Staff | None = None, chair_name: str = "", recorder: Staff | None = None,
                   recorder_name: str = "", category: str = Meeting.Category.MEETING, acting_user) -> Meeting:
    meeting = Meeting(
        body=body, street_office_id=body.street_office_id, community_id=body.community_id, category=category,
        title=title, date=date, start_time=start_time, place=place, chair=chair,
        chair_name=chair_name or (chair.name if chair else ""), recorder=recorder,
        recorder_name=recorder_name or (recorder.name if recorder else ""),
    )
    return _save(meeting, acting_user)


@transaction.atomic
def update_meeting(meeting: Meeting, *, acting_user, **fields) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be changed; correct the minutes instead."))
    for k, v in fields.items():
        setattr(meeting, k, v)
    if meeting.chair and not meeting.chair_name:
        meeting.chair_name = meeting.chair.name
    if meeting.recorder and not meeting.recorder_name:
        meeting.recorder_name = meeting.recorder.name
    return _save(meeting, acting_user)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, acting_user) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("A meeting that was held cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Please give the reason for cancelling.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    return _save(meeting, acting_user)


@transaction.atomic
def quick_record(body: Body, *, category: str, date: dt.date, title: str = "", minutes: str,
                 chair: Staff | None = None, acting_user) -> Meeting:
    """MTG-1 / MTG-10: a briefing, summary or study recorded in one step, already held, with short minutes."""
    if not minutes.strip():
        raise ValidationError({"minutes": _("Please write a few lines of minutes (MTG-1).")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A meeting can only be recorded once it has taken place.")})
    recorder = staff_for(acting_user)
    meeting = Meeting(
        body=body, street_office_id=body.street_office_id, community_id=body.community_id, category=category,
        title=title or str(Meeting.Category(category).label), date=date, chair=chair,
        chair_name=chair.name if chair else "", recorder=recorder, recorder_name=recorder.name if recorder else "",
        status=Meeting.Status.HELD, minutes=minutes.strip(),
    )
    return _save(meeting, acting_user)


# --- roll call (MTG-3) and quorum (MTG-6/7) ---------------------------------------------------------


def expected_participants(meeting: Meeting) -> list[dict]:
    """Who is called at the roll call: the body's members on the day, or for a street regular meeting the
    staff holding the roles of that meeting (MTG-2)."""
    if meeting.category == Meeting.Category.REGULAR:
        return [{"key": f"s{s.pk}", "staff": s, "member": None, "name": s.name, "unit": s.unit_name}
                for s in regular_attendees(meeting)]
    members = meeting.body.members.on(meeting.date).select_related("staff", "person").order_by("name", "pk")
    return [{"key": f"m{m.pk}", "staff": m.staff, "member": m, "name": m.name, "unit": m.position} for m in members]


def regular_attendees(meeting: Meeting) -> list[Staff]:
    """MTG-2: the community staff expected at a street regular meeting: by role on the 10th and 20th; on
    the 27th every community staff member in post that day (全体社区干部), whatever roles they hold."""
    roles = rules.regular_roles(meeting.regular_slot or 0)
    in_post = Staff.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=meeting.date),
        Q(joined_on__isnull=True) | Q(joined_on__lte=meeting.date),
        community__isnull=False, community__street_office_id=meeting.street_office_id,
    )
    if roles is not rules.ALL_COMMUNITY_STAFF:
        in_post = in_post.filter(pk__in=RoleAssignment.objects.on(meeting.date).filter(
            role__in=roles, community__street_office_id=meeting.street_office_id).values("staff_id"))
    return list(in_post.select_related("community", "street_office").order_by("community__name", "name"))


def expected_at_regular(staff: Staff, street_office_id: int, slot: int, date: dt.date) -> bool:
    """MTG-2: whether ``staff`` is among ``regular_attendees`` of the street regular meeting ``slot`` on
    ``date``: the same test for one person, from their roles (``scoping.roles_on``, no query during a GET)
    instead of the whole street's staff."""
    from committee import scoping

    if staff.community_id is None or staff.community.street_office_id != street_office_id:
        return False
    if (staff.left_on and staff.left_on < date) or (staff.joined_on and staff.joined_on > date):
        return False
    roles = rules.regular_roles(slot or 0)
    if roles is rules.ALL_COMMUNITY_STAFF:
        return True
    return any(role in roles and community_id is not None for role, community_id in scoping.roles_on(staff, date))


def quorum_for(meeting: Meeting, members: int) -> int | None:
    kind = kinds.get(meeting.body.kind)
    if not kind.quorum or meeting.community is None:
        return None
    return rules.quorum_needed(members, rules.quorum_fraction(policy.get(meeting.community, "mtg.quorum")))


@transaction.atomic
def record_roll_call(meeting: Meeting, statuses: dict[str, str], *, acting_user, notes: dict | None = None) -> Meeting:
    """MTG-3: the host calls the roll. ``statuses`` maps each participant key to an Attendance status;
    a missing key counts as absent. Approved leave (MTG-4) is shown as absent with leave."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body", "community").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.SUBMITTED):
        raise ValidationError(_("The minutes are closed; the roll call can no longer change."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("The roll call is taken on the day of the meeting (MTG-3)."))
    if meeting.decisions.exists():
        raise ValidationError(_("Decisions are recorded already; the roll call can no longer change (MTG-6)."))
    participants = expected_participants(meeting)
    if not participants:
        raise ValidationError(_("The body has no members on the meeting day; add its members first."))
    approved_leave = set(
        meeting.leave_requests.filter(state=LeaveRequest.State.APPROVED).values_list("staff_id", flat=True)
    )
    notes = notes or {}
    existing = {(a.member_id, a.staff_id): a for a in meeting.attendance.all()}
    present = 0
    valid = {c[0] for c in Attendance.Status.choices}
    for p in participants:
        status = statuses.get(p["key"]) or Attendance.Status.ABSENT
        if status not in valid:
            raise ValidationError(_("Unknown attendance status."))
        staff = p["staff"]
        if status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED) and staff is not None:
            status = Attendance.Status.EXCUSED if staff.pk in approved_leave else Attendance.Status.ABSENT
        member = p["member"]
        row = existing.get((member.pk if member else None, staff.pk if staff else None)) or Attendance(
            meeting=meeting, member=member, staff=staff
        )
        row.name, row.status, row.note = p["name"], status, notes.get(p["key"], "")[:200]
        _save(row, acting_user)
        if row.is_present:
            present += 1
    meeting.members_total = len(participants)
    meeting.present_count = present
    meeting.quorum_needed = quorum_for(meeting, len(participants))
    meeting.roll_call_at = timezone.now()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
    return _save(meeting, acting_user)


# --- agenda and decisions (MTG-6 … MTG-9) ------------------------------------------------------------


@transaction.atomic
def add_agenda_item(meeting: Meeting, *, title: str, proposed_by: str = "", major: bool = False, notes: str = "",
                    acting_user) -> AgendaItem:
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.SUBMITTED, Meeting.Status.CANCELLED):
        raise ValidationError(_("The agenda of a closed or cancelled meeting cannot change."))
    order = (meeting.agenda.count() or 0) + 1
    return _save(AgendaItem(meeting=meeting, order=order, title=title, proposed_by=proposed_by, major=major,
                            notes=notes), acting_user)


@transaction.atomic
def record_decision(meeting: Meeting, *, title: str, text: str = "", major: bool = False, votes_for: int,
                    votes_against: int, votes_abstain: int, dissents: list[tuple[str, str]] = (),
                    agenda_item: AgendaItem | None = None, acting_user) -> Decision:
    """Record a decision with its vote. Refused without a roll call, without quorum (MTG-6/7), with more
    votes than members present (MTG-8), or for a major matter of a body that may not decide it (MTG-9).
    ``adopted`` is computed here (MTG-8: majority of those present, a tie is not adopted)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    if meeting.present_count is None:
        raise ValidationError(_("Take the roll call first: a decision needs the number of members present (MTG-6)."))
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Decisions are recorded for a meeting that is being held, before its minutes are closed."))
    if meeting.not_convened:
        # MTG-6 / MTG-7: at least 2/3 of the members present, else the meeting is not convened (不得召开)
        raise ValidationError(
            _("No quorum: %(present)s of %(total)s members are present, %(needed)s are needed; the meeting is not "
              "convened and records no decision (MTG-6, MTG-7).") % {"present": meeting.present_count, "total": meeting.members_total,
                                             "needed": meeting.quorum_needed}
        )
    if agenda_item is not None:
        if agenda_item.meeting_id != meeting.pk:
            raise ValidationError({"agenda_item": _("The item belongs to another meeting.")})
        major = major or agenda_item.major
    kind = kinds.get(meeting.body.kind)
    if major and not rules.major_allowed(kind):  # MTG-9
        raise ValidationError(
            {"major": _("A major matter can only be decided by the residents' meeting or the residents' "
                        "representative meeting, not by “%(body)s” (MTG-9).") % {"body": meeting.body.name}}
        )
    errors = rules.vote_errors(votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                               present=meeting.present_count)  # MTG-8
    if errors:
        raise ValidationError(errors)
    if not title.strip():
        raise ValidationError({"title": _("Please give the decision a title.")})
    decision = Decision(
        meeting=meeting, agenda_item=agenda_item, title=title.strip(), text=text, major=major, votes_for=votes_for,
        votes_against=votes_against, votes_abstain=votes_abstain,
        adopted=rules.adopted(votes_for=votes_for, present=meeting.present_count),  # MTG-8
        recorded_by=acting_user,
    )
    _save(decision, acting_user)
    for name, opinion in dissents:
        if name.strip() and opinion.strip():
            _save(Dissent(decision=decision, name=name.strip(), opinion=opinion.strip()), acting_user)
    return decision


@transaction.atomic
def void_decision(decision: Decision, *, reason: str, acting_user) -> Decision:
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    if decision.voided:
        raise ValidationError(_("The decision is already voided."))
    if not reason.strip():
        raise ValidationError({"void_reason": _("Please give the reason for voiding.")})
    decision.voided = True
    decision.void_reason = reason.strip()
    return _save(decision, acting_user)


# --- minutes ---------------------------------------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, *, text: str, reason: str = "", acting_user) -> Meeting:
    """Minutes change while the meeting is held and not sent for approval. Approved (finalised) minutes are
    never edited (CTL-5); minutes waiting for approval change once the approver sends them back."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.status == Meeting.Status.PLANNED:
        raise ValidationError(_("Minutes are written once the meeting is held (take the roll call first)."))
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The minutes are approved and final; they are never edited (CTL-5)."))
    if meeting.status == Meeting.Status.SUBMITTED:
        raise ValidationError(_("The minutes are waiting for approval; they can change if the approver sends "
                                "them back (CTL-5)."))
    meeting.minutes = text
    return _save(meeting, acting_user)


def minutes_approver_step(community: Community) -> approvals.Step:
    role = policy.committee_approver_role(community)
    return approvals.Step(role, _("Minutes approved by the %(role)s") % {"role": role.label})


@transaction.atomic
def close_minutes(meeting: Meeting, *, acting_user) -> Meeting:
    """Send the minutes for approval (MTG-6/7: minutes required; only approved minutes count). The
    committee approver (ORG-3) approves them; the recorder and whoever sends them never do (CTL-2). A
    street-office meeting (no community) is closed by its host at once."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("community", "recorder").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be closed."))
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes before closing them (MTG-6, MTG-7).")})
    if meeting.community is None:
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = timezone.now()
        return _save(meeting, acting_user)
    meeting.status = Meeting.Status.SUBMITTED
    _save(meeting, acting_user)
    if meeting.body.kind == BodyKind.REPRESENTATIVES and meeting.decisions.filter(adopted=True, voided=False).exists():
        # SEAL-2/SEAL-3: the representatives' meeting's resolutions are stamped with the committee seal (A5 附件
        # 一.1): the seal use is asked with the minutes; a void seal refuses and nothing is sent (SEAL-8).
        from seals.services import link_or_register

        link_or_register(community=meeting.community, reference="", source=meeting, acting_user=acting_user,
                         use_kind="resolution", field="minutes",
                         matter=lambda: _("Resolutions of %(meeting)s") % {"meeting": meeting})
    approvals.request_approval(
        meeting, community=meeting.community, steps=[minutes_approver_step(meeting.community)],
        summary=_("Minutes of %(meeting)s") % {"meeting": meeting}, rule="MTG-6", acting_user=acting_user,
        preparers=[meeting.recorder, staff_for(acting_user)],  # CTL-2: who prepared the minutes never approves
    )
    return meeting


def on_minutes_decided(meeting: Meeting, outcome: str, acting_user) -> None:
    """Approval hook: approved minutes are final (CLOSED); refused minutes go back to be corrected."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SUBMITTED:
        return
    if outcome == "approved":
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = timezone.now()
    else:
        meeting.status = Meeting.Status.HELD
    _save(meeting, acting_user)


@transaction.atomic
def add_attachment(meeting: Meeting, *, file, title: str = "", acting_user) -> Attachment:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if documents_closed(meeting, timezone.localtime()):
        raise ValidationError(_("Documents are handed out only in the first 30 minutes of a regular meeting; "
                                "attach it after the meeting (MTG-3)."))
    return _save(Attachment(meeting=meeting, file=file, title=title or file.name, uploaded_by=acting_user),
                 acting_user)


def documents_closed(meeting: Meeting, now: dt.datetime) -> bool:
    """MTG-3: at a street regular meeting documents are handed out only in its first 30 minutes; for the
    rest of the meeting day nothing is handed out, received or submitted."""
    if meeting.category != Meeting.Category.REGULAR or meeting.start_time is None or now.date() != meeting.date:
        return False
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=now.tzinfo)
    return now > start + dt.timedelta(minutes=30)


# --- MTG-2: street regular meetings ------------------------------------------------------------------


def regular_body(street_office: StreetOffice, *, acting_user=None) -> Body:
    body = Body.objects.filter(street_office=street_office, community__isnull=True,
                               kind=BodyKind.STREET_REGULAR).first()
    if body is None:
        body = Body(street_office=street_office, community=None, kind=BodyKind.STREET_REGULAR,
                    name=str(_("Street regular meeting")))
        _save(body, acting_user)
    return body


REGULAR_KEYS = ("mtg.regular_days", "mtg.regular_time")


def street_regular_settings(street_office_id: int, street_values: dict | None = None) -> tuple:
    """MTG-2: (days, time) of the street regular meetings: the street office's own value, else the rule
    book's. The schedule is the street's: a community's value for these keys never moves it.
    ``street_values``: the street office's policy values already read (``policy.prefetch``), else one query."""
    if street_values is not None:
        rows = {k: street_values[k] for k in REGULAR_KEYS if street_values.get(k)}
    else:
        rows = dict(
            PolicyValue.objects.filter(street_office_id=street_office_id, community__isnull=True,
                                       key__in=REGULAR_KEYS).exclude(value="").values_list("key", "value")
        )
    return tuple(
        policy.setting(k).parse(rows[k]) if k in rows else policy.setting(k).default for k in REGULAR_KEYS
    )


def regular_schedule(street_office: StreetOffice, year: int, month: int):
    """MTG-2: the month's regular meetings as ``(slot, nominal day, date, time)`` from the street policy."""
    days, time = street_regular_settings(street_office.pk)
    return [(slot, day, date, time) for slot, day, date in rules.regular_dates(year, month, days)]


@transaction.atomic
def ensure_regular_meetings(street_office: StreetOffice, year: int, month: int, *, acting_user=None) -> list[Meeting]:
    """MTG-2: the month's regular meetings exist as records (idempotent; the schedule is generated, not typed)."""
    body = regular_body(street_office, acting_user=acting_user)
    out = []
    for slot, day, date, time in regular_schedule(street_office, year, month):
        meeting = Meeting.objects.filter(body=body, generated=True, date=date).first()
        if meeting is None:
            meeting = _save(
                Meeting(
                    body=body, street_office=street_office, community=None, category=Meeting.Category.REGULAR,
                    title=_("Street regular meeting of the %(day)sth") % {"day": day}, date=date, start_time=time,
                    generated=True, regular_slot=slot, place=street_office.name,
                ),
                acting_user,
            )
        out.append(meeting)
    return out


def regular_history(staff: Staff, until: dt.date, since: dt.date | None = None):
    """Held regular meetings the staff member was called to, oldest first, with missed (True) or not."""
    rows = (
        Attendance.objects.filter(staff=staff, meeting__category=Meeting.Category.REGULAR,
                                  meeting__status__in=HELD_STATES, meeting__date__lte=until)
        .select_related("meeting")
        .order_by("meeting__date")
    )
    if since:
        rows = rows.filter(meeting__date__gte=since)
    return [(a.meeting, a.status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED), a) for a in rows]


@transaction.atomic
def request_leave(meeting: Meeting, *, staff: Staff, reason: str, acting_user) -> LeaveRequest:
    """MTG-4: written leave to miss a regular meeting. Refused once the meeting was held. A single absence is
    approved by the street-office department, the second or later in a row by the street leader."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.category != Meeting.Category.REGULAR:
        raise ValidationError(_("Leave through the street office is asked for street regular meetings (MTG-4)."))
    if meeting.status != Meeting.Status.PLANNED or meeting.date < timezone.localdate():
        raise ValidationError(_("The meeting was already held: leave is asked for before the meeting (MTG-4)."))
    if staff.community_id is None:
        raise ValidationError({"staff": _("Street-office staff host the regular meetings.")})
    if staff.pk not in {s.pk for s in regular_attendees(meeting)}:
        raise ValidationError({"staff": _("%(name)s is not expected at this meeting (MTG-2).") % {"name": staff.name}})
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for the absence.")})
    if LeaveRequest.objects.filter(meeting=meeting, staff=staff).exclude(state=LeaveRequest.State.REJECTED).exists():
        raise ValidationError(_("Leave for this meeting was already asked for."))
    missed = [m for _meeting, m, _a in regular_history(staff, meeting.date)]
    in_a_row = rules.absences_in_a_row(missed) + 1
    leave = _save(LeaveRequest(meeting=meeting, staff=staff, community=staff.community, reason=reason.strip(),
                               in_a_row=in_a_row), acting_user)
    approvals.request_approval(
        leave, community=staff.community, steps=rules.leave_routing(in_a_row),  # MTG-4
        summary=_("Leave from the regular meeting of %(date)s: %(name)s") % {"date": meeting.date, "name": staff.name},
        rule="MTG-4", acting_user=acting_user, subject=staff,
        preparers=[staff_for(acting_user)],  # CTL-2: whoever wrote the request never approves it
    )
    return leave


def on_leave_decided(leave: LeaveRequest, outcome: str, acting_user) -> None:
    """Approval hook (inside the decide transaction): move the leave request and the roll call line."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).get(pk=leave.pk)
    leave.state = LeaveRequest.State.APPROVED if outcome == "approved" else LeaveRequest.State.REJECTED
    _save(leave, acting_user)
    if outcome == "approved":
        for row in Attendance.objects.filter(meeting_id=leave.meeting_id, staff_id=leave.staff_id,
                                             status=Attendance.Status.ABSENT):
            row.status = Attendance.Status.EXCUSED
            _save(row, acting_user)


def visible_meetings(user):
    """Meetings a user may see: their communities' meetings and their street office's regular meetings."""
    from committee.scoping import community_ids

    staff = staff_for(user)
    if staff is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(community_id__in=community_ids(user)) | Q(community__isnull=True, street_office_id=staff.street_office_id)
    )


def visible_bodies(user):
    from committee.scoping import community_ids

    staff = staff_for(user)
    if staff is None:
        return Body.objects.none()
    return Body.objects.filter(
        Q(community_id__in=community_ids(user)) | Q(community__isnull=True, street_office_id=staff.street_office_id)
    )
