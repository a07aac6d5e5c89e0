"""The audit trail of CTL-9: logins (successful and failed), password resets, account and role changes,
and exports of personal data, for the street office's discipline inspection (纪检).

Any app records an event with ``record``; e.g. an export of residents::

    from committee import audit
    audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=community, request=request,
                 detail="residents.xlsx, 120 rows")

``detail`` is shown to the readers of the trail: never put an ID number, a phone number or other personal
data in it (CTL-8), only what was done and how much.
"""

from __future__ import annotations

from django.contrib.auth import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from committee import scoping
from committee.models import AuditEvent, Community, Staff, StreetOffice, User

Kind = AuditEvent.Kind


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # django-axes has already worked out the client's address (honouring its proxy settings).
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def _staff_of(obj) -> Staff | None:
    if isinstance(obj, Staff):
        return obj
    if isinstance(obj, User):
        return Staff.objects.select_related("community", "street_office").filter(user_id=obj.pk).first()
    return None


def _unit_of(obj) -> tuple[int | None, int | None]:
    """(street office id, community id) that an actor or target belongs to, where it can be told."""
    staff = _staff_of(obj)
    if staff is not None:
        return staff.street_office_id, staff.community_id
    if isinstance(obj, StreetOffice):
        return obj.pk, None
    if isinstance(obj, Community):
        return obj.street_office_id, obj.pk
    community = getattr(obj, "community", None)
    if isinstance(community, Community):
        return community.street_office_id, community.pk
    street = getattr(obj, "street_office", None)
    if isinstance(street, StreetOffice):
        return street.pk, None
    return None, None


def record(kind: str, *, actor=None, target=None, request=None, detail: str = "",
           actor_name: str = "") -> AuditEvent:
    """Record one event. ``actor``: the User (or Staff) who acted, None for a failed login; ``target``: the
    record acted on (a Staff, User, Community, RoleAssignment …) or None. The event belongs to the street
    office of the target, or else of the actor. CTL-9"""
    user = actor.user if isinstance(actor, Staff) else actor
    if user is not None and not getattr(user, "is_authenticated", True):
        user = None
    street_id, community_id = _unit_of(target) if target is not None else (None, None)
    if street_id is None and user is not None:
        street_id, community_id = _unit_of(user)
    target_staff = _staff_of(target)
    label = target_staff.name if target_staff is not None else (str(target) if target is not None else "")
    return AuditEvent.objects.create(
        kind=kind,
        actor=user,
        actor_name=(actor_name or (user.get_username() if user is not None else ""))[:150],
        street_office_id=street_id,
        community_id=community_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=label[:200],
        ip=_client_ip(request),
        detail=(detail or "")[:500],
    )


# --- access to personal data (issue 18, CTL-8/CTL-9): one INSERT per request ---------------------------


def accessed(request, obj, *, community=None, label: str = "", detail: str = "",
             kind: str = Kind.PERSONAL_DATA_VIEWED) -> AuditEvent:
    """Record that ``request.user`` opened (or downloaded) ``obj``, a record naming a resident, on the view
    ``request.resolver_match`` (CTL-9). Costs one INSERT and no SELECT when ``obj.community`` is loaded: the
    row is written without its history row (it is never changed; a later change would still be in the
    history). ``label`` defaults to ``str(obj)``: a name or a number, never an ID or phone number (CTL-8)."""
    community = community if community is not None else getattr(obj, "community", None)
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else request.path
    event = AuditEvent(
        kind=kind,
        actor=user,
        actor_name=(user.get_username() if user is not None else "")[:150],
        street_office_id=(community.street_office_id if community is not None
                          else getattr(scoping.staff_for(user), "street_office_id", None)),
        community=community,
        target_type=obj._meta.label_lower if obj is not None else "",
        target_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        target_label=(label or (str(obj) if obj is not None else ""))[:200],
        ip=_client_ip(request),
        detail=" · ".join(p for p in [view, detail] if p)[:500],
    )
    event.skip_history_when_saving = True
    event.save(force_insert=True)
    return event


def exported(request, community, detail: str, *, obj=None) -> AuditEvent:
    """An export or download of personal data (an Excel file, a PDF with residents' names): one INSERT."""
    return accessed(request, obj if obj is not None else community, community=community, detail=detail,
                    kind=Kind.PERSONAL_DATA_EXPORT)


# --- logins: Django's signals (django-axes refuses locked-out attempts through the same path) -----------


@receiver(user_logged_in, dispatch_uid="committee.audit.login")
def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, actor=user, target=user, request=request,
           detail=request.path if request is not None else "")


@receiver(user_login_failed, dispatch_uid="committee.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    account = User.objects.filter(username=username).first() if username else None
    locked = bool(getattr(request, "axes_locked_out", False))
    parts = [request.path if request is not None else ""]
    if locked:
        parts.append(_("locked out after repeated failures (CTL-9)"))
    record(Kind.LOGIN_FAILED, actor=None, actor_name=username, target=account, request=request,
           detail=" · ".join(p for p in parts if p))
