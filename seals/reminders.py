"""What is due or overdue on seals, for the dashboards (SEAL-6 handovers, SEAL-8 notices), and the inbox
tasks of the custodians (approved uses to stamp). A fixed number of queries whatever the communities."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from committee import counts, inbox, reminders
from committee.models import Role
from committee.scoping import roles_on, staff_for
from seals.models import Handover, Seal, SealNotice, SealUse


@reminders.register
def open_handovers(communities, day):
    """SEAL-6: a handover not received yet is due until its 7th working day, overdue after it."""
    for h in Handover.objects.filter(community__in=communities, received_at__isnull=True).select_related(
            "community", "seal"):
        state = reminders.state_for(h.due_on, day, warn_days=30) or reminders.DUE
        yield reminders.Reminder(
            community=h.community,
            title=_("Seal handover after the election: %(seal)s") % {"seal": h.seal.name},
            rule="SEAL-6", due=h.due_on, state=state, url=h.get_absolute_url(),
            detail=_("The outgoing committee hands the seal over within %(n)s working days.") % {"n": "7"}
            if state != reminders.OVERDUE else _("Overdue: the seal has not been handed over."),
        )


@reminders.register
def lost_without_notice(communities, day):
    """SEAL-8: a lost or replaced seal whose public notice has not been recorded yet."""
    seals = Seal.objects.filter(community__in=communities, status__in=[Seal.Status.LOST, Seal.Status.REPLACED],
                                notices__isnull=True).select_related("community")
    for seal in seals:
        void_day = timezone.localtime(seal.void_from).date() if seal.void_from else day
        yield reminders.Reminder(
            community=seal.community,
            title=_("Public notice on the void seal %(seal)s not yet recorded") % {"seal": seal.name},
            rule="SEAL-8", due=void_day, state=reminders.OVERDUE, url=seal.get_absolute_url(),
        )


def stamping_tasks(user):
    """Approved uses waiting for the custodian who keeps the seal (SEAL-1)."""
    staff = staff_for(user)
    if staff is None or staff.community_id is None:
        return []
    # the reader's roles today: read with the session's user during a GET (no query), else one query
    if not any(role == Role.SEAL_CUSTODIAN for role, _c in roles_on(staff, timezone.localdate())):
        return []
    uses = SealUse.objects.filter(seal__custodian=staff, status=SealUse.Status.APPROVED).select_related(
        "community", "seal")
    return [inbox.Source(uses, _stamp_task, limit=50)]


def _stamp_task(u) -> inbox.Task:
    return inbox.Task(kind=_("Seal"), title=_("Stamp %(number)s: %(matter)s") % {"number": u.number, "matter": u.matter},
                      url=u.get_absolute_url(), action=_("Stamp"), community=u.community,
                      details=[(_("Seal"), u.seal.name), (_("Copies"), str(u.copies))])


__all__ = ["SealNotice"]


@counts.register
def seal_counts(communities, day):
    """Per community (``committee.counts``): seal uses stamped in ``day``'s month (the oversight figure)."""
    return {"seals.uses_month": SealUse.objects.filter(stamped_at__year=day.year, stamped_at__month=day.month)}


def uses_this_month(communities, day):
    """Oversight figure (issue 17): seal uses stamped in ``day``'s month per community."""
    return counts.get(communities, day, "seals.uses_month")
