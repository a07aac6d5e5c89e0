"""Every GET page of the URL conf, for a persona that may open it (issue 18).

The pages and their objects come from the permission matrix (tests/matrix.py and tests/<app>/matrix.py):
each GET entry whose expected status is 200 for some persona is one page, opened by the first such persona
(a committee member before a director before the street office), so every page a user can reach is seen
once. The HTML validity test (tests/test_html_valid.py) and the axe test (tests/test_axe.py) both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse

from tests import (
    matrix,
    test_permission_matrix,  # noqa: F401 (imports every app's matrix entries)
)

# The first persona of this order that may open a page (status 200) opens it.
ORDER = ("staff_a", "director_a", "street", "staff_b", "anon")
# Files, not pages: PDFs, spreadsheets, exports and import templates (their content type is checked anyway).
SKIP_NAMES = re.compile(r"(_pdf|_xlsx|^export|^import_template)$")
PERSONA_STAFF = {"staff_a": "staff_a", "director_a": "director_a", "staff_b": "staff_b", "street": "supervisor"}


@dataclass(frozen=True)
class Page:
    name: str  # URL name (with the entry's note)
    url: str
    persona: str


def pages(world) -> list[Page]:
    """One Page for each GET entry of the matrix that some persona may open; the URL's objects from world."""
    out, seen = [], set()
    for entry in matrix.ENTRIES:
        if entry.method != "get":
            continue
        persona = next((p for p in ORDER if entry.expect.get(p) == 200), None)
        if persona is None:
            continue
        url = reverse(entry.name, args=entry.args(world) if entry.args else [])
        if url in seen:
            continue
        seen.add(url)
        if SKIP_NAMES.search(entry.name):
            continue
        out.append(Page(entry.id.removeprefix("GET "), url, persona))
        if persona != "anon" and entry.expect.get("anon") == 200:
            out.append(Page(entry.id.removeprefix("GET ") + " (public)", url, "anon"))  # what the public sees
    return out


def error_pages(world) -> list[Page]:
    """The error pages as users meet them: another community's object (404, CTL community scoping), a page
    the role may not open (403), an address that does not exist (404, logged in and not)."""
    out = []
    for entry in matrix.ENTRIES:
        if entry.method == "get" and entry.args and entry.expect.get("staff_b") == 404:
            out.append(Page("404 another community", reverse(entry.name, args=entry.args(world)), "staff_b"))
            break
    for entry in matrix.ENTRIES:
        if entry.method == "get" and entry.expect.get("staff_a") == 403:
            out.append(Page("403 role", reverse(entry.name, args=entry.args(world) if entry.args else []), "staff_a"))
            break
    out += [Page("404 no such page", "/no-such-page/", "staff_a"), Page("404 no such page (public)", "/no-such-page/", "anon")]
    return out


def is_html(response) -> bool:
    return (response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False))
