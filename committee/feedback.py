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


def flash_errors(request, error: ValidationError) -> None:
    """Each message as an error message on the next page (for POST-only actions without a form page)."""
    for message in error.messages:
        messages.error(request, message)


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
