"""Every state change of the meetings app (transaction, lock, rule check, save with history)."""

from __future__ import annotations

from meetings.models import Decision


def adopted_decisions(community):
    """Adopted, not voided decisions of a community's meetings, newest first (FIN-7 picks one)."""
    return (
        Decision.objects.filter(meeting__community=community, adopted=True, voided=False)
        .select_related("meeting", "meeting__body")
        .order_by("-meeting__date", "-pk")
    )
