"""Approvals: one model and one service for every approval in the product (ORG-3).

An app states its routing as a rule function returning ``Step``s (who must approve, in which order) and
calls ``request_approval``; approvers act through ``decide``, from the app's page or from the shared
inbox "待我审批". The service refuses self-approval, a second decision on a decided step, acting before
an earlier step is decided, and a person who does not hold the required role for that community on the
day of the decision. When the last step is decided (or any step refused) it calls the hook the app
registered, in the same transaction, so the app can move its record on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.models import STREET_ROLES, Approval, Community, Role, RoleAssignment, Staff
from committee.scoping import roles_on, staff_for


@dataclass(frozen=True)
class Step:
    """One step of a routing: the role that must approve, and a label shown to users."""

    role: Role
    label: str = ""


@dataclass(frozen=True)
class Registration:
    on_decided: Callable | None  # (record, outcome: "approved" | "rejected", acting_user) -> None
    # (records: QuerySet of the model, user) -> {pk: inbox.Card}: what the inbox shows of each record, built
    # at display time in the reader's language, with a fixed number of queries whatever the number of records.
    describe: Callable | None = None
    kind: object = None  # a short (lazy) translated word for the inbox filter; default: the model's name


_registry: dict[str, Registration] = {}


def register(model: type[models.Model], *, on_decided: Callable | None = None, describe: Callable | None = None,
             kind=None) -> None:
    """Called by an app (in its AppConfig.ready) for every model whose records go through approvals.
    ``describe``: see ``Registration``; without it the inbox shows the summary stored with the request."""
    _registry[model._meta.label_lower] = Registration(on_decided=on_decided, describe=describe, kind=kind)


# --- who holds a role -----------------------------------------------------------------------------


def holders(role: Role | str, community: Community, day) -> models.QuerySet[Staff]:
    """Who held ``role`` for ``community`` on ``day``: one query (ORG-2)."""
    return Staff.objects.filter(
        pk__in=RoleAssignment.objects.on(day).for_community(community).filter(role=role).values("staff_id")
    )


def holds_role(staff: Staff, role: Role | str, community: Community, day) -> bool:
    return RoleAssignment.objects.on(day).for_community(community).filter(staff=staff, role=role).exists()


def roles_of(staff: Staff, community: Community, day) -> set[str]:
    """The roles ``staff`` holds on ``day`` that act for ``community`` (``RoleAssignment.objects.for_community``:
    its own, and the street roles without a community of its street office), from ``scoping.roles_on``: read
    with the session's user during a GET (no query), else one query."""
    return {role for role, community_id in roles_on(staff, day)
            if community_id == community.pk
            or (community_id is None and staff.street_office_id == community.street_office_id)}


# --- requesting -----------------------------------------------------------------------------------


def _ct(record) -> ContentType:
    return ContentType.objects.get_for_model(record, for_concrete_model=True)


def steps_for(record) -> models.QuerySet[Approval]:
    return Approval.objects.filter(content_type=_ct(record), object_id=record.pk).select_related(
        "acted_by", "requested_by"
    )


@transaction.atomic
def request_approval(
    record,
    *,
    community: Community,
    steps: list[Step],
    summary: str,
    rule: str,
    acting_user,
    subject: Staff = None,
    preparers=(),
) -> list[Approval]:
    """Open the approval of a record along a routing. ``subject``: the person the matter is about, who
    may not approve it either (e.g. leave entered by the attendance keeper for someone else).
    ``preparers``: the staff who prepared the record (handler, keeper, cashier); CTL-2 bars them from
    deciding any step. The requester and the subject are barred in any case."""
    if not steps:
        raise ValueError("a routing has at least one step")
    if record._meta.label_lower not in _registry:
        raise ValueError(f"{record._meta.label_lower} is not registered with committee.approvals")
    requester = staff_for(acting_user)
    if requester is None:
        raise ValidationError(_("Only staff members can ask for an approval."))
    existing = Approval.objects.select_for_update(of=("self",)).filter(content_type=_ct(record), object_id=record.pk)
    if existing.filter(status=Approval.Status.PENDING).exists():
        raise ValidationError(_("This matter is already waiting for approval."))
    agg = existing.aggregate(m=models.Max("step"), r=models.Max("round"))
    first = (agg["m"] or 0) + 1
    this_round = (agg["r"] or 0) + 1
    preparers = [p for p in preparers if p is not None]
    created = []
    for offset, step in enumerate(steps):
        a = Approval(
            content_type=_ct(record),
            object_id=record.pk,
            community=community,
            step=first + offset,
            round=this_round,
            label=str(step.label or Role(step.role).label),
            role_required=step.role,
            summary=summary[:200],
            rule=rule,
            requested_by=requester,
            subject=subject or requester,
        )
        a._history_user = acting_user
        a.save()
        if preparers:
            a.preparers.set(preparers)
        created.append(a)
    return created


# --- who may decide a step -------------------------------------------------------------------------

# Why a person is barred from a step, whatever role they hold (the one statement of these rules: decide()
# refuses with the message, eligible_deciders() leaves the person out).
OWN, PREPARED, DECIDED_OTHER = "own", "prepared", "decided_other"
BAR_MESSAGES = {
    OWN: gettext_lazy("Nobody approves their own request (ORG-3)."),
    PREPARED: gettext_lazy("%(name)s prepared this record and so cannot decide it: the preparer is never the approver "
                    "(CTL-2)."),
    DECIDED_OTHER: gettext_lazy("%(name)s already decided another step of this record; every step is decided by a "
                         "different person (CTL-2)."),
}
BAR_LABELS = {
    OWN: gettext_lazy("asked for it or is its subject (ORG-3)"),
    PREPARED: gettext_lazy("prepared the record (CTL-2)"),
    DECIDED_OTHER: gettext_lazy("decided another step (CTL-2)"),
}


def barred(approval: Approval) -> dict[int, str]:
    """{staff pk: reason} of everyone who may not decide ``approval`` whatever role they hold: the requester
    and the subject (ORG-3), the record's preparers and whoever decided another step of the same round
    (CTL-2). Two queries."""
    out: dict[int, str] = {}
    for pk in approval.preparers.values_list("pk", flat=True):
        out[pk] = PREPARED
    others = (
        Approval.objects.filter(content_type_id=approval.content_type_id, object_id=approval.object_id,
                                round=approval.round, acted_by__isnull=False)
        .exclude(pk=approval.pk)
        .values_list("acted_by_id", flat=True)
    )
    for pk in others:
        out.setdefault(pk, DECIDED_OTHER)
    out[approval.requested_by_id] = OWN
    out[approval.subject_id] = OWN
    return out


@dataclass(frozen=True)
class Deciders:
    """Who can decide a waiting step today: ``eligible``; the role's holders who may not (with the reason)."""

    role: str  # the role's name, translated
    eligible: list
    barred: list  # [(Staff, reason label)]

    @property
    def nobody_holds(self) -> bool:
        return not self.eligible and not self.barred


def deciders(approval: Approval, day=None) -> Deciders:
    """The current holders of the step's role for its community, split into who can decide and who is
    barred (``barred``). Three queries."""
    day = day or timezone.localdate()
    bars = barred(approval)
    people = list(holders(approval.role_required, approval.community, day).order_by("name", "pk"))
    return Deciders(
        role=approval.get_role_required_display(),
        eligible=[p for p in people if p.pk not in bars],
        barred=[(p, BAR_LABELS[bars[p.pk]]) for p in people if p.pk in bars],
    )


def nobody_text(approval: Approval, who: Deciders) -> str:
    """The plain sentence for a step nobody can decide today (``who.eligible`` empty)."""
    if who.nobody_holds:
        return _("no one holds “%(role)s” for %(community)s now — the street office must assign the role "
                 "before this step can be decided.") % {"role": who.role, "community": approval.community.name}
    return _("everyone who holds “%(role)s” is barred from this step (%(names)s) — the street office must "
             "assign the role to someone else.") % {
        "role": who.role, "names": "、".join(f"{p.name}: {reason}" for p, reason in who.barred)}


def eligible_deciders(approval: Approval, day=None) -> list[Staff]:
    """Who may decide ``approval`` on ``day`` (today): holders of the role for that community, minus the
    people ``barred`` from it. decide() applies the same rules to the person acting."""
    return deciders(approval, day).eligible


# --- deciding -------------------------------------------------------------------------------------


@transaction.atomic
def decide(approval_id: int, *, acting_user, approve: bool, comment: str = "") -> Approval:
    """Record one decision. Raises ValidationError (translated, naming the rule) and saves nothing when
    the decision is not allowed."""
    approval = Approval.objects.select_for_update(of=("self",)).select_related("community").get(pk=approval_id)
    if approval.status != Approval.Status.PENDING:
        raise ValidationError(
            _("This step was already decided (%(status)s); a decision cannot be made twice (ORG-3)."),
            params={"status": approval.get_status_display()},
        )
    earlier = Approval.objects.filter(
        content_type_id=approval.content_type_id,
        object_id=approval.object_id,
        step__lt=approval.step,
        status=Approval.Status.PENDING,
    )
    if earlier.exists():
        raise ValidationError(_("An earlier approval step has not been decided yet."))
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members can approve."))
    reason = barred(approval).get(staff.pk)
    if reason is not None:
        raise ValidationError(BAR_MESSAGES[reason], params={"name": staff.name})
    today = timezone.localdate()
    if not holds_role(staff, approval.role_required, approval.community, today):
        raise ValidationError(
            _("%(name)s does not hold the role “%(role)s” for %(community)s on %(day)s, so cannot decide this "
              "step (ORG-3)."),
            params={
                "name": staff.name,
                "role": approval.get_role_required_display(),
                "community": approval.community.name,
                "day": today.isoformat(),
            },
        )
    if not approve and not comment.strip():
        raise ValidationError(_("Please give a reason when refusing."))
    approval.status = Approval.Status.APPROVED if approve else Approval.Status.REJECTED
    approval.acted_by = staff
    approval.acted_role = approval.role_required
    approval.decided_at = timezone.now()
    approval.comment = comment.strip()[:500]
    approval._history_user = acting_user
    approval.save()

    later = Approval.objects.filter(
        content_type_id=approval.content_type_id,
        object_id=approval.object_id,
        step__gt=approval.step,
        status=Approval.Status.PENDING,
    )
    if not approve:
        for step in later.select_for_update(of=("self",)):
            step.status = Approval.Status.CANCELLED
            step._history_user = acting_user
            step.save()
    if not approve or not later.exists():
        outcome = "approved" if approve else "rejected"
        registration = _registry.get(approval.content_type.model_class()._meta.label_lower)
        if registration and registration.on_decided:
            registration.on_decided(approval.record, outcome, acting_user)
    return approval


def outcome(record) -> str | None:
    """The state of a record's latest approval round: None, "pending", "approved", "rejected" or "withdrawn"."""
    statuses = list(steps_for(record).order_by("-step").values_list("status", flat=True))
    if not statuses:
        return None
    if Approval.Status.PENDING in statuses:
        return "pending"
    if statuses[0] == Approval.Status.APPROVED:
        return "approved"
    decided = [s for s in statuses if s != Approval.Status.CANCELLED]
    if decided and decided[0] == Approval.Status.REJECTED:
        return "rejected"
    return "withdrawn"


@transaction.atomic
def withdraw(record, *, acting_user) -> int:
    """The requester withdraws a waiting request: its open steps are cancelled (never deleted)."""
    n = 0
    for step in steps_for(record).select_for_update(of=("self",)).filter(status=Approval.Status.PENDING):
        step.status = Approval.Status.CANCELLED
        step._history_user = acting_user
        step.save()
        n += 1
    return n


# --- the inbox "待我审批" ----------------------------------------------------------------------------


def waiting_for(user) -> models.QuerySet[Approval]:
    """Steps this user may decide today: the current step of each record, a role the user holds for
    that community today, and not the user's own request."""
    staff = staff_for(user)
    if staff is None:
        return Approval.objects.none()
    today = timezone.localdate()
    assignments = roles_on(staff, today)
    if not assignments:
        return Approval.objects.none()
    match = Q(pk__in=[])
    for role, community_id in assignments:
        if role in STREET_ROLES and community_id is None:
            match |= Q(role_required=role, community__street_office_id=staff.street_office_id)
        else:
            match |= Q(role_required=role, community_id=community_id)
    earlier_pending = Approval.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=OuterRef("object_id"),
        step__lt=OuterRef("step"),
        status=Approval.Status.PENDING,
    )
    decided_by_me = Approval.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=OuterRef("object_id"),
        round=OuterRef("round"),
        acted_by=staff,
    )
    return (
        Approval.objects.filter(match, status=Approval.Status.PENDING)
        .exclude(requested_by=staff)
        .exclude(subject=staff)
        .exclude(preparers=staff)
        .exclude(Exists(earlier_pending))
        .exclude(Exists(decided_by_me))
        .select_related("community", "requested_by", "content_type")
        .order_by("requested_at")
    )


def waiting_count(user) -> int:
    """How many steps ``waiting_for(user)`` holds: the figure of the nav badge's one query
    (``inbox.badge_counts``), once per GET request (the dashboard and the nav share it)."""
    from committee import inbox

    return inbox.badge_counts(user)["waiting"]


