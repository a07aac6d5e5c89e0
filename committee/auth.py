"""Logging in (CTL-3): the authentication backend refuses people whose employment or last role has ended,
from the day after, and the same check ends sessions that are already open (Django asks the backend for the
user on every request). django-axes' backend stands before this one and throttles failed attempts (CTL-9)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from committee import controls


class OfficeBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        from committee.models import Staff

        staff = Staff.objects.select_related("community", "street_office").filter(user_id=user.pk).first()
        user._staff_cache = staff  # committee.scoping.staff_for reads it: one query fewer per page
        return controls.login_allowed(staff)
