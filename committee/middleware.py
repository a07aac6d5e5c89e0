"""CTL-3: a person whose password was set by somebody else (a new login, a reset) chooses their own before
doing anything else: every page sends them to "Change password" until they have."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"),
                       "/" + settings.STATIC_URL.lstrip("/"))
            if not request.path.startswith(allowed):
                return redirect("password_change")
        return self.get_response(request)
