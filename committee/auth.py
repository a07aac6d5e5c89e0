"""Logging in (CTL-3): the authentication backend refuses people whose employment or last role has ended,
from the day after, and the same check ends sessions that are already open (Django asks the backend for the
user on every request). django-axes' backend stands before this one and throttles failed attempts (CTL-9)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from committee import controls


class OfficeBackend(ModelBackend):
    def get_user(self, user_id):
        """The user of an open session with their staff record in the same query (issue 17: every page)."""
        from django.contrib.auth import get_user_model

        try:
            user = get_user_model()._default_manager.select_related(
                "staff__community", "staff__street_office").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        from committee.models import Staff

        try:
            staff = user.staff  # read with the user by get_user; one query when logging in
        except Staff.DoesNotExist:
            staff = None
        user._staff_cache = staff  # committee.scoping.staff_for reads it: one query fewer per page
        if staff is not None:
            # CTL-3 reads every role's end, the pages read the roles held today (scoping.roles_on): one query
            staff._all_roles = list(staff.roles.all())
        return controls.login_allowed(staff)
