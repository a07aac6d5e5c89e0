"""The inbox 待我审批: approval steps waiting for the user (committee.approvals) and other work that waits
for one person or role but is not an approval step (e.g. street finance paying an approved reimbursement).

Apps register task providers in their AppConfig.ready:

    inbox.register_tasks(provider)

where ``provider(user)`` returns an iterable of ``Task``; it must be cheap (a few queries, no N+1) and
scoped to what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Task:
    """One piece of work waiting for the user; shown as a card in the inbox with a link to act."""

    kind: str  # a short translated word for the filter (e.g. 报销)
    title: str  # what is asked, translated at display time
    url: str  # where to act
    action: str  # the button text (e.g. 报销并结清)
    community: object = None
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs, translated


_providers: list[Callable[[object], Iterable[Task]]] = []


def register_tasks(provider: Callable[[object], Iterable[Task]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def tasks_for(user) -> list[Task]:
    out: list[Task] = []
    for provider in _providers:
        out.extend(provider(user))
    return out
