"""Showing a service's ValidationError to the user: the one place every app's views use."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors(form, error: ValidationError) -> None:
    """Put each message under the field it names (unknown fields and plain errors go above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


# The session key under which a refused POST's typed values wait for its form to be shown again.
KEPT = "_kept_input"


def keep(request) -> None:
    """Keep what was typed into a POST-only form (a confirm dialog's reason, a date) for the next rendering of
    the same form, i.e. the same action URL: a refusal never loses what was typed (issue 9)."""
    if request.method != "POST" or not hasattr(request, "session"):
        return
    values = {k: v[:500] for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and isinstance(v, str)}
    if any(v.strip() for v in values.values()):
        request.session[KEPT] = {"path": request.path, "values": values}


def flash_errors(request, error: ValidationError) -> None:
    """Each message as an error message on the next page (for POST-only actions without a form page); what
    was typed is kept for the form (``keep``)."""
    for message in error.messages:
        messages.error(request, message)
    keep(request)


def kept(request, action: str, name: str) -> str:
    """The value of field ``name`` refused on ``action`` a moment ago, else "". Read once: the kept values are
    forgotten when the form that posts to ``action`` is shown again."""
    session = getattr(request, "session", None)
    data = session.get(KEPT) if session is not None else None
    if not data or data.get("path") != action:
        return ""
    del session[KEPT]
    return data.get("values", {}).get(name, "")


def act(request, target, action, success: str):
    """A POST-only action without a form page: run ``action()``; a refusal becomes error messages, otherwise
    ``success`` is shown; either way back to ``target`` (a model with get_absolute_url, or a URL)."""
    from django.shortcuts import redirect

    try:
        action()
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, success)
    return redirect(target)
