"""What the inbox 待我审批 shows of a leave request (ATT-3): built at display time in the reader's language,
with the person's leave already taken this month and this year. Two queries whatever the number of
requests (the requests, the person's approved leave of those years)."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance import rules
from attendance.models import LeaveRequest
from committee.inbox import Card


def days_text(days) -> str:
    """2 → "2 working days", 0.5 → "0.5 working days", 1 → "1 working day"."""
    days = Decimal(days)
    return ngettext("%(n)s working day", "%(n)s working days", 1 if days == 1 else 2) % {"n": rules._num(days)}


def period_text(leave: LeaveRequest) -> str:
    """2026-03-10 上午 for half a day; 2026-03-10 – 2026-03-12 至中午 for a longer period."""
    if leave.start == leave.end:
        day = leave.start.isoformat()
        if leave.start_half == rules.PM:
            return f"{day} {LeaveRequest.Half.PM.label}"
        if leave.end_half == rules.AM:
            return f"{day} {LeaveRequest.Half.AM.label}"
        return day
    start = leave.start.isoformat()
    if leave.start_half == rules.PM:
        start += " " + _("from the afternoon")
    end = leave.end.isoformat()
    if leave.end_half == rules.AM:
        end += " " + _("until noon")
    return f"{start} – {end}"


def _days_in(leave: LeaveRequest, first: dt.date, last: dt.date) -> Decimal:
    slots = rules.leave_slots(leave.start, leave.start_half, leave.end, leave.end_half)
    return rules.slot_days({d: h for d, h in slots.items() if first <= d <= last})


def taken(leaves: list[LeaveRequest]) -> dict[int, tuple[Decimal, Decimal]]:
    """{leave pk: (approved days of that person in the month of its first day, … in that year)}, other
    requests only. One query."""
    if not leaves:
        return {}
    years = {x.start.year for x in leaves}
    approved = list(
        LeaveRequest.objects.filter(staff_id__in={x.staff_id for x in leaves}, state=LeaveRequest.State.APPROVED)
        .filter(Q(start__lte=dt.date(max(years), 12, 31)), Q(end__gte=dt.date(min(years), 1, 1)))
        .only("pk", "staff_id", "start", "start_half", "end", "end_half")
    )
    by_staff = defaultdict(list)
    for a in approved:
        by_staff[a.staff_id].append(a)
    out = {}
    for leave in leaves:
        year_first, year_last = dt.date(leave.start.year, 1, 1), dt.date(leave.start.year, 12, 31)
        month_first = leave.start.replace(day=1)
        month_last = (month_first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        month = year = rules.ZERO
        for other in by_staff[leave.staff_id]:
            if other.pk == leave.pk:
                continue
            month += _days_in(other, month_first, month_last)
            year += _days_in(other, year_first, year_last)
        out[leave.pk] = (month, year)
    return out


def describe(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for LeaveRequest."""
    leaves = list(records.select_related("staff", "community", "requested_by", "told_to"))
    figures = taken(leaves)
    out = {}
    for leave in leaves:
        fields = [
            (_("Staff member"), leave.staff.name),
            (_("Kind"), leave.get_kind_display()),
            (_("Period"), period_text(leave)),
            (_("Working days"), days_text(leave.days)),
            (_("Reason"), leave.reason or "—"),
        ]
        if leave.requested_by_id != leave.staff_id:
            fields.append((_("Entered by"), leave.requested_by.name))
            if leave.on_behalf_reason:
                fields.append((_("Reason for acting on the staff member's behalf"), leave.on_behalf_reason))
        if leave.emergency:
            fields.append((_("Department head told"),
                           f"{leave.told_to.name if leave.told_to else '—'} · "
                           f"{leave.told_on.isoformat() if leave.told_on else '—'}"))
        month, year = figures.get(leave.pk, (rules.ZERO, rules.ZERO))
        out[leave.pk] = Card(
            kind=_("Leave"),
            title=_("%(name)s: %(kind)s, %(days)s") % {
                "name": leave.staff.name, "kind": leave.get_kind_display(), "days": days_text(leave.days)},
            url=leave.get_absolute_url(),
            fields=fields,
            attachments=([(os.path.basename(leave.attachment.name),
                           reverse("attendance_leave_attachment", args=[leave.pk]))] if leave.attachment else []),
            figures=[
                (_("Leave already approved in %(month)s") % {"month": leave.start.strftime("%Y-%m")},
                 days_text(month)),
                (_("Leave already approved in %(year)s") % {"year": leave.start.year}, days_text(year)),
            ],
        )
    return out
