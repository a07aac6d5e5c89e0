"""Request middleware.

- CTL-3: a person whose password was set by somebody else (a new login, a reset) chooses their own before
  doing anything else: every page sends them to "Change password" until they have.
- CTL-8: a request carrying a NUL character (U+0000) in its address, a query parameter, a posted value is
  answered 400 with a page that names the field. No keyboard types it, PostgreSQL refuses it
  in any statement (a lookup as much as a save), and a view that hands a posted value to a query would
  otherwise answer 500.
- A per-request memo (``per_request``): what several parts of one page ask for (the reminders, the inbox
  tasks for the nav badge, the welfare figures of the street office's overview) is computed once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

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


def _nul_fields(request) -> list[str]:
    found = []
    if "\x00" in request.path:
        found.append("URL")
    sources = [request.GET]
    if request.method == "POST":
        sources += [request.POST]
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                found.append(key.replace("\x00", "?"))
    return found  # file names: Django's multipart parser drops non-printable characters itself


class RefuseNulMiddleware:
    """CTL-8: see the module text. After the messages and the user, so that the page is the product's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
        from django.shortcuts import render

        try:
            fields = _nul_fields(request)
        except (RequestDataTooBig, TooManyFieldsSent):
            fields = []  # Django answers these itself, with 400/413, when the view reads the data
        if fields:
            return render(request, "committee/bad_input.html", {"fields": fields}, status=400)
        return self.get_response(request)


_memo: ContextVar[dict | None] = ContextVar("office_request_memo", default=None)


def reading_request() -> bool:
    """True while a GET or HEAD request is being answered (nothing it reads is changed before it ends)."""
    return _memo.get() is not None


def per_request(key, compute: Callable):
    """``compute()``, remembered for the rest of this request under ``key``. Only while a GET or HEAD request
    is being answered (a POST may change the records between two reads); elsewhere (scripts, tests calling
    services directly, background jobs) ``compute()`` each time."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


class RequestMemoMiddleware:
    """Opens a fresh ``per_request`` memo for each GET/HEAD request and drops it at the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
