"""{% approval_steps steps as rows %}: the approval steps of a record as committee/_steps.html shows them,
with who can decide each waiting step (approvals.deciders: the same rules decide() applies) and whether
the reader may decide the current one."""

from django import template

from committee import approvals
from committee.models import Approval
from committee.scoping import staff_for

register = template.Library()


@register.simple_tag(takes_context=True)
def approval_steps(context, steps):
    request = context.get("request")
    me = staff_for(request.user) if request is not None else None
    steps = list(steps)
    current: dict = {}  # (content type, object) -> the lowest waiting step: the one that can be decided now
    for s in steps:
        if s.status == Approval.Status.PENDING:
            key = (s.content_type_id, s.object_id)
            if key not in current or s.step < current[key].step:
                current[key] = s
    rows = []
    for s in sorted(steps, key=lambda x: (x.round, x.step)):
        row = {"step": s, "who": None, "nobody": "", "current": False, "mine": False}
        if s.status == Approval.Status.PENDING:
            who = approvals.deciders(s)
            row["who"] = who
            row["current"] = current.get((s.content_type_id, s.object_id)) is s
            row["mine"] = row["current"] and me is not None and any(p.pk == me.pk for p in who.eligible)
            if not who.eligible:
                row["nobody"] = approvals.nobody_text(s, who)
        rows.append(row)
    return rows
