"""Approved leave counts as being out of the office for the on-duty check (ORG-4)."""

from django.db.models import Q

from attendance.models import LeaveRequest


def on_leave(community, day) -> set[int]:
    """Ids of the community's staff whose approved leave (or emergency leave awaiting its paperwork)
    covers ``day``."""
    return set(
        LeaveRequest.objects.filter(community=community, start__lte=day, end__gte=day)
        .filter(Q(state=LeaveRequest.State.APPROVED) | Q(state=LeaveRequest.State.PAPERWORK))
        .values_list("staff_id", flat=True)
    )
