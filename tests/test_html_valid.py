"""Valid HTML (issue 18): every GET page of the URL conf, as a persona that may open it (tests/pages.py: the
permission matrix's pages that answer 200, with its world of objects), the public pages as the public sees
them, and the error pages (404, 403), checked by the Nu HTML Checker (node_modules/vnu-jar, run locally with
Java; no network). All pages are written to one temporary directory and checked in one Java call.

An error fails the test, listing page → errors; warnings do not. Messages the checker gives for things the
product does on purpose are filtered by NOISE below, each with its reason.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.pages import error_pages, is_html, pages
from tests.test_permission_matrix import _client, world  # noqa: F401 (world is a fixture)

VNU = pathlib.Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

# Checker messages that are not errors of the product, with the reason. Matched against the message text.
NOISE: list[tuple[re.Pattern, str]] = []


def _vnu(directory: pathlib.Path) -> list[dict]:
    run = subprocess.run([JAVA, "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", "--skip-non-html",
                          str(directory)], capture_output=True, text=True, timeout=600)
    return json.loads(run.stdout or "{}").get("messages", [])


def _errors(messages: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in messages:
        if m.get("type") != "error" or any(p.search(m.get("message", "")) for p, _ in NOISE):
            continue
        name = pathlib.Path(m.get("url", "?")).stem
        out.setdefault(name, []).append(f'{m.get("lastLine", "?")}: {m["message"]}  «{m.get("extract", "").strip()}»')
    return out


@pytest.mark.skipif(JAVA is None or not VNU.exists(),
                    reason="Java or node_modules/vnu-jar missing (scripts/system-packages.sh, `make install`)")
def test_every_page_is_valid_html(world, tmp_path):  # noqa: F811
    index: dict[str, str] = {}
    for n, page in enumerate(pages(world) + error_pages(world)):
        response = _client(page.persona, world).get(page.url)
        if not is_html(response):
            continue
        name = f"p{n:03d}"
        index[name] = f"{page.name} {page.url} as {page.persona} ({response.status_code})"
        (tmp_path / f"{name}.html").write_bytes(response.content)
    assert len(index) > 150, f"only {len(index)} pages rendered"
    assert any("(404)" in v for v in index.values()) and any("(403)" in v for v in index.values())
    errors = _errors(_vnu(tmp_path))
    report = "\n".join(f"{index.get(k, k)}:\n  " + "\n  ".join(v) for k, v in sorted(errors.items()))
    assert not errors, f"{len(errors)} of {len(index)} pages are not valid HTML:\n{report}"


@pytest.mark.skipif(JAVA is None or not VNU.exists(), reason="Java or node_modules/vnu-jar missing")
def test_the_checker_finds_an_error_it_is_meant_to_find(tmp_path):
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html lang="zh-hans"><head><title>x</title></head>'
                                       '<body><div><p>x</span></div><table><td>x</table></body></html>')
    assert _errors(_vnu(tmp_path)).get("bad")
