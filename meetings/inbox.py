"""What the inbox 待我审批 shows of minutes to approve (MTG-6) and of leave to miss a regular meeting
(MTG-4): built at display time in the reader's language, a fixed number of queries per kind."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from committee.inbox import Card
from meetings.models import Attachment


def _when(meeting) -> str:
    when = meeting.date.isoformat()
    if meeting.start_time:
        when += f" {meeting.start_time:%H:%M}"
    return when


def describe_minutes(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for Meeting: the minutes sent for approval. Two queries."""
    meetings = list(
        records.select_related("body")
        .annotate(n_decisions=Count("decisions", filter=Q(decisions__voided=False)))
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    out = {}
    for m in meetings:
        present = "—"
        if m.present_count is not None:
            present = f"{m.present_count} / {m.members_total or '—'}"
            if m.quorum_needed is not None:
                present += " · " + (_("quorum reached (%(n)s needed)") if m.has_quorum
                                    else _("no quorum (%(n)s needed)")) % {"n": m.quorum_needed}
        out[m.pk] = Card(
            kind=_("Minutes"),
            title=_("Minutes of %(meeting)s") % {"meeting": m.title},
            url=m.get_absolute_url(),
            fields=[
                (_("Body"), m.body.name),
                (_("Date"), _when(m)),
                (_("Place"), m.place or "—"),
                (_("Chair"), m.chair_name or "—"),
                (_("Recorder"), m.recorder_name or "—"),
                (_("Minutes"), Truncator(m.minutes).chars(300) or "—"),
            ],
            attachments=[(str(a), reverse("meetings_attachment", args=[a.pk])) for a in m.attachments.all()],
            figures=[(_("Present"), present), (_("Decisions"), m.n_decisions)],
        )
    return out


def describe_leave(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for meetings.LeaveRequest (MTG-4). One query."""
    leaves = list(records.select_related("staff", "meeting"))
    out = {}
    for leave in leaves:
        out[leave.pk] = Card(
            kind=_("Meeting leave"),
            title=_("%(name)s asks to miss %(meeting)s") % {"name": leave.staff.name, "meeting": leave.meeting.title},
            url=leave.get_absolute_url(),
            fields=[
                (_("Staff member"), leave.staff.name),
                (_("Meeting"), f"{_when(leave.meeting)} {leave.meeting.title}"),
                (_("Place"), leave.meeting.place or "—"),
                (_("Reason"), leave.reason or "—"),
            ],
            figures=[(_("Absence in a row"), leave.in_a_row)],
        )
    return out
