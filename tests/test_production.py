"""Production start (issue 8, item 13): CSP without inline code, Permissions-Policy, demo data refused with
DEBUG off, a clear error without collected static files, and an access log without query strings."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.functional import empty

ROOT = pathlib.Path(__file__).resolve().parent.parent
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def _page_templates():
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "pdf" in path.parts or path.stem.endswith("_pdf"):
            continue  # WeasyPrint's PDF templates are not browser pages
        yield path


def test_no_browser_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in _page_templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert list(_page_templates()), "no templates found"
    assert not offenders, "inline code is blocked by the CSP; move it to static/:\n" + "\n".join(offenders)


def test_no_form_widget_sets_an_inline_style():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.glob("*/forms*.py") if '"style":' in p.read_text()]
    assert not offenders


@pytest.mark.django_db
def test_pages_carry_a_csp_without_unsafe_inline_and_a_permissions_policy():
    response = Client().get("/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "img-src 'self' data:" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
    assert "/static/js/app.js" in response.content.decode()


@pytest.mark.django_db
def test_load_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo")
    from committee.models import User

    assert not User.objects.filter(username="admin").exists()


def test_the_wsgi_start_refuses_without_collected_static_files(settings, tmp_path):
    from config.checks import require_collected_static

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage._wrapped = empty  # re-read the settings
    try:
        with pytest.raises(ImproperlyConfigured, match="collectstatic"):
            require_collected_static()
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        require_collected_static()
    finally:
        staticfiles_storage._wrapped = empty


def test_gunicorn_access_log_has_no_query_string():
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config file
    fmt = namespace["access_log_format"]
    assert "%(U)s" in fmt
    for leaky in ("%(r)s", "%(q)s", "%(f)s"):
        assert leaky not in fmt
    assert namespace["wsgi_app"] == "config.wsgi:application"


def test_make_serve_collects_static_migrates_and_starts_gunicorn():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "collectstatic --noinput" in serve and "migrate --noinput" in serve and "gunicorn" in serve
    assert "load_demo" not in serve
    assert "gunicorn" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.django_db
def test_ctl_7_media_url_is_not_routed():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/attendance/leave/2026/x.pdf")
