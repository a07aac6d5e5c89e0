"""Every URL × persona × expected status (see tests/matrix.py). Another community's object is a 404 (CTL
scoping) for every community persona of community B and for another street office; a leaver's open session
ends (CTL-3).

The world (communities, one persona per role, every app's objects) is built once for this module inside a
transaction that is rolled back at the end; each test runs in a savepoint of it and each persona's request
in a savepoint of that, so a POST by one persona does not change what the next one sees."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pathlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from committee.models import ROLE_CHINESE_NAMES, Role
from tests import factories as f
from tests import matrix
from tests.matrix import PERSONAS

for _path in sorted(pathlib.Path(__file__).parent.glob("*/matrix*.py")):
    importlib.import_module(f"tests.{_path.parent.name}.{_path.stem}")


def build_world() -> dict:
    """The matrix's world: the class personas of tests/conftest.py, one staff member per other role, the
    leavers, the foreign personas, then every app's objects (``matrix.WORLD_BUILDERS``)."""
    street = f.street_office()
    a, b = f.community(street, "甲社区"), f.community(street, "乙社区")
    w = {"street": street, "a": a, "b": b,
         "staff_a": f.staff(a, "甲委员", [Role.MEMBER]),
         "director_a": f.staff(a, "甲主任", [Role.DIRECTOR]),
         "staff_b": f.staff(b, "乙委员", [Role.MEMBER]),
         "supervisor": f.staff(street, "部门负责人", [Role.DEPARTMENT_HEAD])}
    staff = {"staff_a": w["staff_a"], "director_a": w["director_a"], "staff_b": w["staff_b"],
             "street": w["supervisor"]}
    for persona, role in matrix.COMMUNITY_PERSONAS.items():
        # Chinese names (the pages list staff by name, and tests/test_words.py reads them as user text)
        staff[persona] = f.staff(a, f"甲{ROLE_CHINESE_NAMES[role]}", [role])
    for persona, role in matrix.STREET_PERSONAS.items():
        staff[persona] = f.staff(street, f"街道{ROLE_CHINESE_NAMES[role]}", [role],
                                 role_community=a if role == Role.INSTRUCTOR else None)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # CTL-3: employment ended yesterday (the director's role left open, as an unfinished record would be) …
    staff["leaver_a"] = f.staff(a, "离职主任", [Role.DIRECTOR])
    staff["leaver_a"].left_on = yesterday
    staff["leaver_a"].save(update_fields=["left_on"])
    # … and the last role ended yesterday (still employed on paper).
    staff["retired_a"] = f.staff(a, "卸任书记", [Role.PARTY_SECRETARY, Role.BOOKKEEPER], end=yesterday)
    staff["chief_b"] = f.staff(b, "乙全职", sorted(matrix.COMMUNITY_PERSONAS.values()) + [Role.DIRECTOR,
                                                                                         Role.MEMBER])
    staff["other_street"] = f.staff(f.street_office("别的街道"), "别的部门负责人", [Role.DEPARTMENT_HEAD])
    w["personas"] = staff
    for build in matrix.WORLD_BUILDERS:
        build(w)
    return w


@pytest.fixture
def world(db):
    """The world for one test (tests that change it: test_links, test_words, test_inputs_exports …)."""
    return build_world()


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world built once for this module, with one open session per persona."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            sessions = {}
            for persona, staff in w["personas"].items():
                client = Client()
                client.force_login(staff.user)
                sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            w["sessions"] = sessions
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(persona: str, world) -> Client:
    client = Client()
    if persona != "anon":
        client.force_login(world["personas"][persona].user)
    return client


def _session_client(persona: str, world) -> Client:
    client = Client()
    if persona != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]
    return client


DUMP = os.environ.get("MATRIX_DUMP")  # a file: every answer as a JSON line (for writing entries)


@pytest.mark.parametrize("entry", matrix.ENTRIES, ids=lambda e: e.id)
def test_permission_matrix(entry, matrix_world, db):
    world = matrix_world
    args = entry.args(world) if entry.args else []
    url = reverse(entry.name, args=args)
    failures, answers = [], {}
    for persona in PERSONAS:
        if persona not in entry.expect:
            continue
        client = _session_client(persona, world)
        cache.clear()  # the public pages' throttles count per address: each persona is a first visitor
        with transaction.atomic():
            if entry.method == "post":
                response = client.post(url, entry.data(world) if entry.data else {})
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        answers[persona] = response.status_code
        if response.status_code != entry.expect[persona]:
            failures.append(f"{persona}: expected {entry.expect[persona]}, got {response.status_code}")
    if DUMP:
        with open(DUMP, "a") as out:
            out.write(json.dumps({"id": entry.id, "expect": entry.expect, "got": answers}, ensure_ascii=False) + "\n")
    assert not failures, f"{entry.method.upper()} {url}: " + "; ".join(failures)


def _url_names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns == "admin" or (p.urlconf_name and getattr(p.urlconf_name, "__name__", "") == "django.conf.urls.i18n"):
                continue
            yield from _url_names(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_is_in_the_permission_matrix():
    listed = {e.name for e in matrix.ENTRIES} | set(matrix.EXEMPT)
    missing = sorted(set(_url_names(get_resolver().url_patterns)) - listed - {"set_language"})
    assert not missing, f"URLs without a permission-matrix entry: {missing}"


def test_every_persona_is_run_on_an_object_of_another_community():
    """The foreign personas (all community roles of B; another street office) meet A's objects."""
    foreign = [e for e in matrix.ENTRIES if e.foreign == 404]
    assert len(foreign) > 100
