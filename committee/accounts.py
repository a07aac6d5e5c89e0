"""Services for logins, roles and staff records (CTL-1, CTL-3, CTL-4, CTL-5). Each checks the rule in
``committee.controls`` first, then saves in one transaction and records the act in the audit trail
(CTL-9). A refusal is a translated ``ValidationError`` naming the rule; nothing is saved."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import audit, controls
from committee.models import STREET_ROLES, Community, Role, RoleAssignment, Staff, User
from committee.scoping import staff_for

# Easy to read aloud or copy from paper: no 0/O or 1/l.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _locked(target: Staff) -> Staff:
    return Staff.objects.select_for_update(of=("self",)).select_related("user", "community", "street_office").get(pk=target.pk)


# --- CTL-3: logins -------------------------------------------------------------------------------------


@transaction.atomic
def open_account(target: Staff, *, username: str, acting_user, request=None) -> tuple[User, str]:
    """Open a login for ``target`` (or reopen a closed one under its old name) with a temporary password
    that must be changed at the first login. Returns (user, password); the password is shown once."""
    target = _locked(target)
    controls.check_manage_account(staff_for(acting_user), target)
    password = temporary_password()
    if target.user_id:
        user = target.user
        if user.is_active:
            raise ValidationError(_("%(name)s already has a login."), params={"name": target.name})
        user.is_active = True
    else:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This user name is taken.")})
        user = User(username=username)
    user.set_password(password)
    user.must_change_password = True
    user._history_user = acting_user
    user.save()
    if not target.user_id:
        target.user = user
        target._history_user = acting_user
        target.save(update_fields=["user"])
    audit.record(audit.Kind.ACCOUNT_OPENED, actor=acting_user, target=target, request=request,
                 detail=user.username)
    return user, password


@transaction.atomic
def reset_password(target: Staff, *, acting_user, request=None) -> str:
    """Give ``target`` a new temporary password, to be changed at the next login. CTL-3"""
    target = _locked(target)
    controls.check_manage_account(staff_for(acting_user), target)
    if target.user is None:
        raise ValidationError(_("%(name)s has no login yet."), params={"name": target.name})
    password = temporary_password()
    user = target.user
    user.set_password(password)
    user.must_change_password = True
    user._history_user = acting_user
    user.save(update_fields=["password", "must_change_password"])
    audit.record(audit.Kind.PASSWORD_RESET, actor=acting_user, target=target, request=request,
                 detail=user.username)
    return password


@transaction.atomic
def close_account(target: Staff, *, reason: str, acting_user, request=None) -> User:
    """Close ``target``'s login: the account is deactivated, never deleted (CTL-3, CTL-5)."""
    target = _locked(target)
    controls.check_manage_account(staff_for(acting_user), target)
    if target.user is None or not target.user.is_active:
        raise ValidationError(_("%(name)s has no open login."), params={"name": target.name})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the reason for closing the login (CTL-3).")})
    user = target.user
    user.is_active = False
    user._history_user = acting_user
    user._change_reason = reason.strip()[:500]
    user.save(update_fields=["is_active"])
    audit.record(audit.Kind.ACCOUNT_CLOSED, actor=acting_user, target=target, request=request,
                 detail=reason.strip())
    return user


@transaction.atomic
def password_changed(user, *, request=None) -> None:
    """The person chose their own password: the CTL-3 flag is cleared."""
    if user.must_change_password:
        user.must_change_password = False
        user._history_user = user
        user.save(update_fields=["must_change_password"])
    audit.record(audit.Kind.PASSWORD_CHANGED, actor=user, target=user, request=request)


# --- CTL-1: roles --------------------------------------------------------------------------------------


@transaction.atomic
def grant_role(target: Staff, *, role: str, start: dt.date, acting_user, community: Community | None = None,
               end: dt.date | None = None, note: str = "", backdate_reason: str = "",
               request=None) -> RoleAssignment:
    """Record that ``target`` holds ``role`` from ``start``. CTL-1: the actor may grant it to this person
    (never to themselves); a start before today needs a reason."""
    target = _locked(target)
    controls.check_grant(staff_for(acting_user), role, target)
    controls.check_dates(start, backdate_reason)
    assignment = RoleAssignment(staff=target, role=role, start=start, end=end, note=note,
                                backdate_reason=(backdate_reason or "").strip() if start < timezone.localdate()
                                else "",
                                community=community if role in STREET_ROLES else target.community)
    assignment.full_clean()
    assignment._history_user = acting_user
    if assignment.backdate_reason:
        assignment._change_reason = assignment.backdate_reason[:500]
    assignment.save()
    audit.record(audit.Kind.ROLE_GRANTED, actor=acting_user, target=target, request=request,
                 detail=f"{Role(role).label} {start.isoformat()}" + (f" ({assignment.backdate_reason})"
                                                                    if assignment.backdate_reason else ""))
    return assignment


@transaction.atomic
def end_role(assignment_id: int, *, end: dt.date, acting_user, note: str = "", request=None) -> RoleAssignment:
    """End a role on ``end`` (its last day); the record stays. CTL-1: by whoever may grant it, never by its
    holder; a role that has ended is not extended; a last day before today needs a reason."""
    assignment = RoleAssignment.objects.select_for_update(of=("self",)).select_related("staff__community").get(pk=assignment_id)
    controls.check_grant(staff_for(acting_user), assignment.role, assignment.staff)
    today = timezone.localdate()
    if assignment.end is not None and assignment.end < today:
        raise ValidationError(_("This role already ended on %(day)s; grant it again from a date instead of "
                                "extending it (CTL-1)."), params={"day": assignment.end.isoformat()})
    controls.check_dates(end, note, what="end")
    assignment.end = end
    if note:
        assignment.note = note[:200]
    assignment.full_clean()
    assignment._history_user = acting_user
    if note:
        assignment._change_reason = note[:500]
    assignment.save()
    audit.record(audit.Kind.ROLE_ENDED, actor=acting_user, target=assignment.staff, request=request,
                 detail=f"{assignment.get_role_display()} {end.isoformat()}" + (f" ({note})" if note else ""))
    return assignment


# --- staff records: CTL-4 wages, CTL-3 end of employment -------------------------------------------------


@transaction.atomic
def save_staff(person: Staff, *, acting_user, wage_reason: str = "", request=None) -> Staff:
    """Save a staff record edited on a form. The wage is set only by the street office with a reason
    (CTL-4); the end of employment ends the login, so it is set by whoever manages that login (CTL-3)."""
    actor = staff_for(acting_user)
    old = Staff.objects.select_for_update(of=("self",)).filter(pk=person.pk).first() if person.pk else None
    old_wage = old.monthly_wage if old else None
    wage_changed = (person.monthly_wage != old_wage) if old else person.monthly_wage is not None
    if wage_changed:
        if old is None:
            if not controls.can_set_wage(actor, None):
                controls.check_set_wage(actor, person)
        else:
            controls.check_set_wage(actor, old)
            if not (wage_reason or "").strip():
                raise ValidationError({"wage_reason": _("Please give the reason for the wage change (CTL-4).")})
    if old is not None and person.left_on != old.left_on:
        controls.check_manage_account(actor, old)
    person.full_clean()
    person._history_user = acting_user
    if wage_changed and wage_reason:
        person._change_reason = wage_reason.strip()[:500]
    person.save()
    if wage_changed and old is not None:
        audit.record(audit.Kind.WAGE_CHANGED, actor=acting_user, target=person, request=request,
                     detail=f"{old_wage} → {person.monthly_wage}: {wage_reason.strip()}")
    return person
