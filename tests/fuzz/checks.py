"""The properties every fuzzed request must keep (issue 18, CTL-8): no 500; a refusal saves nothing; every
error of a re-shown form is attached to a field or names one."""

from __future__ import annotations

import os
import re

from django import forms
from django.apps import apps
from django.contrib import messages
from hypothesis import HealthCheck, settings

RULE_ID = re.compile(r"[A-Z]{2,5}-\d+")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# The suite (and CI) draws the same examples every run, so that a red run is reproducible and a green one
# stays green; FUZZ_RANDOM=1 (with a larger FUZZ_EXAMPLES) explores new ones, as done before each release.
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
# Rows that a refused request may write: the session, and the login throttle (CTL-9).
NOT_COUNTED = {"sessions.session", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}


def fuzz_settings(examples: int | None = None):
    return settings(max_examples=examples or EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                    suppress_health_check=list(HealthCheck), print_blob=True)


def _models():
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.label_lower not in NOT_COUNTED and not m._meta.proxy and m._meta.managed]


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.using("default").count() for m in _models()}


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}


def bound_forms(response) -> list[forms.BaseForm]:
    found = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound:
                found[id(value)] = value
            elif isinstance(value, forms.BaseFormSet) and value.is_bound:
                for f in [*value.forms, value.management_form]:
                    found[id(f)] = f
    return list(found.values())


def error_messages(response) -> list[str]:
    request = getattr(response, "wsgi_request", None)
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", []) if storage is not None else []
    return [str(m) for m in queued if m.level >= messages.ERROR]


def refused(response) -> bool:
    """The request was turned down: a 4xx, a re-shown form with errors, or an error message."""
    if 400 <= response.status_code < 500:
        return True
    if any(f.errors for f in bound_forms(response)):
        return True
    return bool(error_messages(response))


def unnamed_errors(response) -> list[str]:
    """Errors above the form that name none of its fields (by label or name)."""
    out = []
    for form in bound_forms(response):
        if not form.errors:
            continue
        labels = [str(f.label or n) for n, f in form.fields.items()] + list(form.fields)
        for key, errors in form.errors.items():
            if key != forms.forms.NON_FIELD_ERRORS:
                if key not in form.fields:
                    out.append(f"{type(form).__name__}: error under unknown key {key!r}: {errors}")
                continue
            for message in errors:
                if RULE_ID.search(message):
                    continue  # a refusal by a rule of the rule book (ARC-5, POST-6 …), not by one field's input
                if not any(label and label.lower() in message.lower() for label in labels):
                    out.append(f"{type(form).__name__}: {message}")
    return out
