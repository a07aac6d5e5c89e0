"""Issue 18: which POST actions the form discovery reaches, and why the others are not reached.

Every GET page of the permission matrix is opened as every persona it lets in and its POST forms are read
(tests/fuzz/discovery.py). A POST entry of the matrix that no page shows a form for is listed with the
reason; those are still fuzzed from the matrix's own POST data (test_forms.py)."""

from __future__ import annotations

import warnings

import pytest

from tests import matrix
from tests.fuzz import test_forms
from tests.fuzz.discovery import STAFF
from tests.test_permission_matrix import world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


def test_the_discovery_reaches_the_forms_and_lists_the_others(world):  # noqa: F811
    reached, pages, unreachable = set(), 0, []
    for entry in test_forms.GET_ENTRIES:
        found = test_forms.page_forms(entry, world)
        pages += 1
        reached |= {form.url_name for _persona, form in found}
    for entry in matrix.ENTRIES:
        if entry.method != "post" or entry.name in reached:
            continue
        if not any(entry.expect[p] < 400 for p in STAFF):
            why = "no persona of the matrix may post here"
        else:
            why = "no page of the matrix world shows a form posting here (fuzzed from the matrix's POST data)"
        unreachable.append(f"{entry.name}: {why}")
    if unreachable:
        warnings.warn("POST actions the form discovery did not reach:\n" + "\n".join(sorted(set(unreachable))),
                      stacklevel=1)
    assert pages > 50
    assert len(reached) > 40, sorted(reached)
