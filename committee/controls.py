"""Who may grant roles, manage logins and set wages: the rules of CTL-1, CTL-3 and CTL-4, decided here once.

Views call the ``check_*`` functions (a refusal is a translated ``ValidationError`` naming the rule) before
a service changes anything, and the ``can_*`` twins to show or hide buttons, so a page never offers what
the service refuses.

The sets these rules rely on:

``APPROVING_ROLES``
    Every street-office role (each can be a step of a routing or supervises one: instructor, department
    head, street leader, community-building office director, finance, discipline inspection, and the
    system administrator, who controls the others' accounts), and the community roles a routing or a
    policy can make an approver: director, deputy director (stands in for the director) and party
    secretary (FIN-2, and the committee approver by ``org.committee_approver``). A test checks that every
    ``Step(Role.…)`` of the product names a role of this set.
``DIRECTOR_GRANTABLE``
    The other community roles (委员, 考勤员, 档案员, 印章保管人, 记账员, 站长 …): a community's director
    grants and ends them for other people of the community, and opens, resets and closes their logins.
``ACCOUNT_HOLDER_ROLES``
    系统管理员 and the department head: the street office's account holders. They grant and end every role
    up to their own rank and open, reset and close the logins of everybody ranked below them.

Ranks (``RANK``): a person's rank is the highest rank of the roles they hold. Nobody grants a role above
their own rank, nobody resets or closes the login of somebody of equal or higher rank, and nobody grants,
extends, back-dates or ends a role of their own or resets their own login. The system administrator's
login is reset only by a superuser on the server (``manage.py changepassword``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import COMMUNITY_ROLES, STREET_ROLES, Role, Staff

APPROVING_ROLES = frozenset(STREET_ROLES | {Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY})
DIRECTOR_GRANTABLE = frozenset(COMMUNITY_ROLES - APPROVING_ROLES)
ACCOUNT_HOLDER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_HEAD})
# A community's director manages the non-approving staff of the community (CTL-1, CTL-3).
COMMUNITY_MANAGER_ROLES = frozenset({Role.DIRECTOR})
# CTL-4: the street-office roles that set wages (policy values: any street-office staff, with a reason).
WAGE_SETTER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_HEAD, Role.FINANCE})
# CTL-9: who reads the audit trail of their street office.
AUDIT_READER_ROLES = frozenset({Role.DISCIPLINE, Role.SYSTEM_ADMIN})

RANK = {role: 0 for role in DIRECTOR_GRANTABLE} | {
    Role.DEPUTY_DIRECTOR: 1,
    Role.DIRECTOR: 2,
    Role.PARTY_SECRETARY: 2,
    Role.INSTRUCTOR: 3,
    Role.FINANCE: 3,
    Role.BUILDING_OFFICE_DIRECTOR: 3,
    Role.DEPARTMENT_HEAD: 4,
    Role.DISCIPLINE: 4,
    Role.STREET_LEADER: 5,
    Role.SYSTEM_ADMIN: 6,
}
assert set(RANK) == set(Role), "every role has a rank"  # noqa: S101


def _today(day):
    return day or timezone.localdate()


def _current(staff: Staff, day: dt.date):
    from committee import scoping

    return scoping.roles_on(staff, day)


def _held(staff: Staff, day: dt.date):
    """Roles held now or from a later date (not ended): what makes somebody an approver for CTL-3."""
    return list(staff.roles.exclude(end__lt=day).values_list("role", flat=True))


def rank_of(staff: Staff, day=None) -> int:
    """The highest rank of the roles ``staff`` holds on ``day`` or later (0 without approving roles)."""
    return max((RANK[Role(r)] for r in _held(staff, _today(day))), default=0)


def _holder_rank(actor: Staff, target_community_id, day) -> int | None:
    """The actor's rank as the street office's account holder for a target in ``target_community_id``
    (None: the street office itself), or None if they are not its account holder. A holder whose role
    names one community acts for that community's staff only."""
    if actor.community_id is not None:
        return None
    roles = _current(actor, day)
    if not any(role in ACCOUNT_HOLDER_ROLES and (community_id is None or community_id == target_community_id)
               for role, community_id in roles):
        return None
    return max(RANK[Role(r)] for r, _c in roles)


def _is_director_of(actor: Staff, community_id, day) -> bool:
    if actor.community_id is None or actor.community_id != community_id:
        return False
    return any(role in COMMUNITY_MANAGER_ROLES for role, _c in _current(actor, day))


def is_account_holder(actor: Staff | None, day=None) -> bool:
    """True for the street office's account holders (系统管理员, department head)."""
    if actor is None or actor.community_id is not None:
        return False
    return any(role in ACCOUNT_HOLDER_ROLES for role, _c in _current(actor, _today(day)))


def manages_staff(actor: Staff | None, community_id, day=None) -> bool:
    """May the actor add staff records to, and open the staff pages' management of, a community (or the
    street office when ``community_id`` is None)? The account holders, and a community's director."""
    if actor is None:
        return False
    day = _today(day)
    return _holder_rank(actor, community_id, day) is not None or _is_director_of(actor, community_id, day)


# --- CTL-1: roles -------------------------------------------------------------------------------------


def check_grant(actor: Staff | None, role, target: Staff, *, day=None) -> None:
    """Raise unless ``actor`` may grant (or end) ``role`` for ``target``. CTL-1"""
    day = _today(day)
    role = Role(role)
    if actor is None:
        raise ValidationError(_("Only staff members grant roles (CTL-1)."))
    if actor.pk == target.pk:
        raise ValidationError(
            _("Nobody grants, extends, back-dates or ends a role of their own; ask the street office's account "
              "holder (CTL-1)."), code="ctl_1_self")
    holder = _holder_rank(actor, target.community_id, day)
    if holder is not None:
        if RANK[role] > holder:
            raise ValidationError(
                _("The role “%(role)s” ranks above your own roles; a higher account holder grants or ends it "
                  "(CTL-1)."), params={"role": role.label}, code="ctl_1_rank")
        return
    if _is_director_of(actor, target.community_id, day):
        if role not in DIRECTOR_GRANTABLE:
            raise ValidationError(
                _("“%(role)s” is an approving role: only the street office's account holder (系统管理员 or "
                  "department head) grants or ends it (CTL-1)."), params={"role": role.label}, code="ctl_1_approving")
        return
    raise ValidationError(
        _("Only the street office's account holder (系统管理员 or department head), or a community's director "
          "for non-approving roles, grants or ends roles (CTL-1)."), code="ctl_1_not_holder")


def can_grant(actor: Staff | None, role, target: Staff, *, day=None) -> bool:
    try:
        check_grant(actor, role, target, day=day)
    except ValidationError:
        return False
    return True


def grantable_roles(actor: Staff | None, target: Staff, *, day=None) -> list[Role]:
    """The roles ``actor`` may grant to ``target``, in the order of ORG-2 (for the role form)."""
    unit_roles = STREET_ROLES if target.is_street_staff else COMMUNITY_ROLES
    return [r for r in Role if r in unit_roles and can_grant(actor, r, target, day=day)]


def check_grant_any(actor: Staff | None, target: Staff, *, day=None) -> None:
    """Raise (with the reason that matters) unless ``actor`` may grant some role to ``target``. CTL-1"""
    if grantable_roles(actor, target, day=day):
        return
    # The least role of the target's unit: its refusal names why nothing at all can be granted.
    check_grant(actor, Role.INSTRUCTOR if target.is_street_staff else Role.ATTENDANCE_KEEPER, target, day=day)
    raise ValidationError(_("You cannot grant any role to %(name)s (CTL-1)."), params={"name": target.name})


def check_dates(start: dt.date, reason: str, *, day=None, what: str = "start") -> None:
    """A start (or end) date before the day it is recorded needs a reason. CTL-1"""
    day = _today(day)
    if start and start < day and not (reason or "").strip():
        if what == "end":
            raise ValidationError(
                {"note": _("The last day %(day)s lies in the past: give the reason for ending the role "
                           "retroactively (CTL-1).") % {"day": start.isoformat()}}, code="ctl_1_backdated")
        raise ValidationError(
            {"backdate_reason": _("The start date %(day)s lies in the past: give the reason for recording the role "
                                  "from then (CTL-1).") % {"day": start.isoformat()}}, code="ctl_1_backdated")


# --- CTL-3: logins ------------------------------------------------------------------------------------


def check_manage_account(actor: Staff | None, target: Staff, *, day=None) -> None:
    """Raise unless ``actor`` may open, reset or close ``target``'s login. CTL-3"""
    day = _today(day)
    if actor is None:
        raise ValidationError(_("Only staff members manage logins (CTL-3)."))
    if actor.pk == target.pk:
        raise ValidationError(
            _("Nobody resets or closes their own login; change your password with “Change password” (CTL-3)."),
            code="ctl_3_self")
    holder = _holder_rank(actor, target.community_id, day)
    if holder is not None:
        if rank_of(target, day) >= holder:
            raise ValidationError(
                _("%(name)s holds a role equal to or above yours; only a higher account holder manages this "
                  "login (CTL-3)."), params={"name": target.name}, code="ctl_3_rank")
        return
    if _is_director_of(actor, target.community_id, day):
        if rank_of(target, day) > 0:
            raise ValidationError(
                _("%(name)s holds an approving role: only the street office's account holder manages this login; "
                  "a community director manages the logins of the community's non-approving staff (CTL-3)."),
                params={"name": target.name}, code="ctl_3_approver")
        return
    raise ValidationError(
        _("Only the street office's account holder (系统管理员 or department head), or a community's director for "
          "its non-approving staff, opens, resets and closes logins (CTL-3)."), code="ctl_3_not_holder")


def can_manage_account(actor: Staff | None, target: Staff, *, day=None) -> bool:
    try:
        check_manage_account(actor, target, day=day)
    except ValidationError:
        return False
    return True


def login_allowed(staff: Staff | None, day=None) -> bool:
    """False from the day after the person's employment (``left_on``) or their last role ended. People
    without a staff record (the server's superuser) and staff who never held a role are not affected. CTL-3"""
    if staff is None:
        return True
    day = _today(day)
    if staff.left_on and staff.left_on < day:
        return False
    preloaded = getattr(staff, "_all_roles", None)  # committee.auth loads them with the session's user
    ends = [ra.end for ra in preloaded] if preloaded is not None else list(staff.roles.values_list("end", flat=True))
    return not ends or any(end is None or end >= day for end in ends)


# --- CTL-4: wages -------------------------------------------------------------------------------------


def check_set_wage(actor: Staff | None, target: Staff, *, day=None) -> None:
    """Raise unless ``actor`` may set ``target``'s monthly wage: street-office staff holding a wage-setting
    role, never for themselves. CTL-4"""
    day = _today(day)
    if actor is None or actor.community_id is not None or not any(
        role in WAGE_SETTER_ROLES for role, _c in _current(actor, day)
    ):
        raise ValidationError(
            _("Wages are set by the street office (系统管理员, department head or finance); the community sees "
              "them and cannot change them (CTL-4)."), code="ctl_4_street_only")
    if actor.pk == target.pk:
        raise ValidationError(_("Nobody sets their own wage (CTL-4)."), code="ctl_4_self")


def can_set_wage(actor: Staff | None, target: Staff | None, *, day=None) -> bool:
    if target is None:  # a new record: the wage may be set by whoever could set it on any other person
        return (actor is not None and actor.community_id is None
                and any(role in WAGE_SETTER_ROLES for role, _c in _current(actor, _today(day))))
    try:
        check_set_wage(actor, target, day=day)
    except ValidationError:
        return False
    return True


# --- CTL-9: the audit trail ---------------------------------------------------------------------------


def can_read_audit(actor: Staff | None, *, day=None) -> bool:
    """The street office's discipline inspection (纪检) and system administrator read its audit trail."""
    if actor is None or actor.community_id is not None:
        return False
    return any(role in AUDIT_READER_ROLES for role, _c in _current(actor, _today(day)))
