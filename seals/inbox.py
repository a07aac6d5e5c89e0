"""What the inbox 待我审批 shows of a request to use the seal (SEAL-2, SEAL-4): built at display time in the
reader's language, a fixed number of queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.inbox import Card


def describe_use(records, user) -> dict[int, Card]:
    """Registered with committee.approvals for SealUse. One query."""
    uses = records.select_related("seal", "requester", "decision__meeting")
    out = {}
    for u in uses:
        fields = [(_("Seal"), u.seal.name), (_("Use"), u.use_label), (_("Matter"), u.matter),
                  (_("Copies"), u.copies), (_("Requested by"), f"{u.requester.name} · "
                                                                 f"{timezone.localtime(u.requested_at):%Y-%m-%d %H:%M}")]
        if u.address:
            fields.append((_("Sent to"), u.address))
        figures = [(_("Major matter"), _("yes") if u.major else _("no"))]
        if u.decision_id:
            figures.append((_("Decision"), f"{u.decision.meeting.date:%Y-%m-%d} {u.decision.title}"))
        attachments = [(_("Document"), reverse("seals_use_document", args=[u.pk]))] if u.document else []
        out[u.pk] = Card(kind=_("Seal use"), title=f"{u.number} {u.matter}"[:120], url=u.get_absolute_url(),
                         fields=fields, attachments=attachments, figures=figures)
    return out
