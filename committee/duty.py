"""On duty, going out and incidents (ORG-4, ORG-5, ORG-6).

ORG-4: during working hours at least one staff member is in the office; if everybody must be out, a
written notice to residents is posted ``org.all_out_notice_days`` ahead. ORG-5: a member going out asks
the director first and reports back; the director going out tells the person on duty. ORG-6: incidents are
reported upward at once.

Other apps can say who is away for other reasons (approved leave, for instance) with
``register_absence_source(fn)``, ``fn(community, day) -> set of staff ids``; the on-duty check counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee import calendar, policy
from committee.approvals import holds_role
from committee.models import AllOutNotice, Community, Incident, Outing, Role, RoleAssignment, Staff

_absence_sources: list[Callable] = []


def register_absence_source(fn: Callable) -> None:
    if fn not in _absence_sources:
        _absence_sources.append(fn)


def office_staff(community: Community, day: dt.date):
    """The community's staff in post on a day: not left, and holding a role then."""
    return (
        Staff.objects.filter(community=community)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(pk__in=RoleAssignment.objects.on(day).filter(community=community).values("staff_id"))
    )


def office_staff_by_community(communities, day: dt.date) -> dict[int, list[Staff]]:
    """``office_staff`` for many communities in one query: {community id: [staff, …] by name}."""
    ids = [c.pk for c in communities]
    people = (
        Staff.objects.filter(community_id__in=ids)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(pk__in=RoleAssignment.objects.on(day).filter(community_id__in=ids).values("staff_id"))
        .order_by("name")
    )
    out: dict[int, list[Staff]] = {pk: [] for pk in ids}
    for person in people:
        out[person.community_id].append(person)
    return out


def out_between(community: Community, start: dt.datetime, end: dt.datetime, *, exclude=None) -> set[int]:
    """Ids of staff out of the office at some time between start and end (outings and other sources)."""
    outings = Outing.objects.filter(community=community, leaves_at__lt=end, back_at__gt=start).filter(
        Q(returned_at__isnull=True) | Q(returned_at__gt=start)
    )
    if exclude is not None:
        outings = outings.exclude(pk=exclude.pk)
    out = set(outings.values_list("staff_id", flat=True))
    for source in _absence_sources:
        out |= set(source(community, timezone.localtime(start).date()))
    return out


def working_hours(community: Community, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """Office hours of a day (ATT-1 sign-in and sign-out times), or None on a day off."""
    if not calendar.is_working_day(day):
        return None
    values = policy.get_many(community, "att.late_after", "att.early_before")
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(day, values["att.late_after"], tz),
        dt.datetime.combine(day, values["att.early_before"], tz),
    )


def leaves_office_empty(community: Community, staff: Staff, start: dt.datetime, end: dt.datetime) -> bool:
    """ORG-4: would this person's absence leave nobody in the office during working hours?"""
    day = timezone.localtime(start).date()
    hours = working_hours(community, day)
    if hours is None or end <= hours[0] or start >= hours[1]:
        return False
    in_post = set(office_staff(community, day).values_list("pk", flat=True))
    remaining = in_post - out_between(community, start, end) - {staff.pk}
    return not remaining


def director_away(community: Community, at: dt.datetime) -> bool:
    """ORG-5: every director of the community is out (an outing, approved leave) at ``at``, or there is none."""
    from committee.approvals import holders

    directors = set(holders(Role.DIRECTOR, community, timezone.localtime(at).date()).values_list("pk", flat=True))
    return not (directors - out_between(community, at, at + dt.timedelta(minutes=1)))


def notice_for(community: Community, day: dt.date) -> AllOutNotice | None:
    """A notice for ``day`` posted early enough (ORG-4), if any."""
    days = policy.get(community, "org.all_out_notice_days")
    return (
        AllOutNotice.objects.filter(community=community, date=day, posted_on__lte=day - dt.timedelta(days=days))
        .order_by("posted_on")
        .first()
    )


@transaction.atomic
def record_outing(*, community: Community, staff: Staff, kind: str, purpose: str, leaves_at: dt.datetime,
                  back_at: dt.datetime, told: Staff, acting_user) -> Outing:
    """ORG-5 / ORG-4: register an outing; refused when the person was not asked/told as the rules say or
    when it leaves the office empty without a notice posted in time."""
    if back_at <= leaves_at:
        raise ValidationError({"back_at": _("The return time must be after the time of leaving.")})
    if staff.community_id != community.pk or told.community_id != community.pk:
        raise ValidationError(_("Both people must be staff of this community."))
    if told.pk == staff.pk:
        raise ValidationError({"told": _("Ask someone else: nobody approves their own outing (ORG-5).")})
    day = timezone.localtime(leaves_at).date()
    # ORG-5: a member asks the director; the deputy only while the director is out or on leave; the director
    # going out tells whoever is on duty.
    is_director = holds_role(staff, Role.DIRECTOR, community, day)
    if not is_director and not holds_role(told, Role.DIRECTOR, community, day):
        deputy = holds_role(told, Role.DEPUTY_DIRECTOR, community, day)
        if not deputy:
            raise ValidationError({"told": _("A member going out asks the director first (ORG-5).")})
        if not director_away(community, leaves_at):
            raise ValidationError({"told": _(
                "The director is in the office: ask the director. The deputy director stands in only while the "
                "director is out or on leave (ORG-5).")})
    # Lock the community's outings of the day so two people leaving at once are both counted (ORG-4).
    list(Outing.objects.select_for_update(of=("self",)).filter(community=community, leaves_at__date=day))
    if leaves_office_empty(community, staff, leaves_at, back_at) and notice_for(community, day) is None:
        days = policy.get(community, "org.all_out_notice_days")
        raise ValidationError(
            ngettext("Nobody would be left in the office during working hours (ORG-4). If everybody must be out, "
                     "post a notice to residents at least %(days)s day before %(day)s first.",
                     "Nobody would be left in the office during working hours (ORG-4). If everybody must be out, "
                     "post a notice to residents at least %(days)s days before %(day)s first.", days)
            % {"days": days, "day": day}
        )
    outing = Outing(community=community, staff=staff, kind=kind, purpose=purpose, leaves_at=leaves_at,
                    back_at=back_at, told=told)
    outing.full_clean()
    outing._history_user = acting_user
    outing.save()
    return outing


@transaction.atomic
def report_back(outing: Outing, *, acting_user, report: str = "") -> Outing:
    """ORG-5: the person reports back after the meeting or errand."""
    outing = Outing.objects.select_for_update(of=("self",)).get(pk=outing.pk)
    if outing.returned_at is not None:
        raise ValidationError(_("This outing was already reported back."))
    outing.returned_at = timezone.now()
    outing.report = report.strip()[:500]
    outing._history_user = acting_user
    outing.save()
    return outing


@transaction.atomic
def post_all_out_notice(*, community: Community, day: dt.date, reason: str, contact: str, acting_user) -> AllOutNotice:
    """ORG-4: the notice is posted today; it must be at least the policy's days ahead of the day."""
    today = timezone.localdate()
    days = policy.get(community, "org.all_out_notice_days")
    if (day - today).days < days:
        raise ValidationError(
            {"date": ngettext("The notice must be posted at least %(days)s day ahead (ORG-4).",
                              "The notice must be posted at least %(days)s days ahead (ORG-4).", days) % {"days": days}}
        )
    from committee.scoping import staff_for

    notice = AllOutNotice(community=community, date=day, reason=reason, contact=contact, posted_on=today,
                          created_by=staff_for(acting_user))
    notice._history_user = acting_user
    notice.save()
    return notice


@transaction.atomic
def record_incident(*, community: Community, kind: str, occurred_at: dt.datetime, place: str, description: str,
                    acting_user) -> Incident:
    from committee.scoping import staff_for

    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("An incident cannot have happened in the future.")})
    incident = Incident(community=community, kind=kind, occurred_at=occurred_at, place=place,
                        description=description, recorded_by=staff_for(acting_user))
    incident._history_user = acting_user
    incident.save()
    return incident


@transaction.atomic
def mark_reported(incident: Incident, *, reported_to: str, acting_user) -> Incident:
    """ORG-6: record when and to whom the incident was reported upward."""
    incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    if incident.reported_at is not None:
        raise ValidationError(_("This incident was already reported."))
    if not reported_to.strip():
        raise ValidationError({"reported_to": _("Say to whom the incident was reported (ORG-6).")})
    incident.reported_at = timezone.now()
    incident.reported_to = reported_to.strip()
    incident._history_user = acting_user
    incident.save()
    return incident
