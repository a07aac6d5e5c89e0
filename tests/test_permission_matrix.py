"""Every URL × persona × expected status (see tests/matrix.py). Another community's object is a 404."""

from __future__ import annotations

import importlib
import pathlib

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import matrix
from tests.matrix import PERSONAS

for _path in sorted(pathlib.Path(__file__).parent.glob("*/matrix*.py")):
    importlib.import_module(f"tests.{_path.parent.name}.{_path.stem}")


@pytest.fixture
def world(db, street, community_a, community_b, staff_a, director_a, staff_b, supervisor):
    w = {"street": street, "a": community_a, "b": community_b, "staff_a": staff_a, "director_a": director_a,
         "staff_b": staff_b, "supervisor": supervisor}
    for build in matrix.WORLD_BUILDERS:
        build(w)
    return w


def _client(persona: str, world) -> Client:
    client = Client()
    staff = {"staff_a": "staff_a", "director_a": "director_a", "staff_b": "staff_b", "street": "supervisor"}.get(persona)
    if staff:
        client.force_login(world[staff].user)
    return client


@pytest.mark.parametrize("entry", matrix.ENTRIES, ids=lambda e: e.id)
def test_permission_matrix(entry, world):
    args = entry.args(world) if entry.args else []
    url = reverse(entry.name, args=args)
    failures = []
    for persona in PERSONAS:
        client = _client(persona, world)
        # Each persona's request runs in a savepoint that is rolled back, so a POST by one persona does
        # not change what the next one sees.
        with transaction.atomic():
            if entry.method == "post":
                response = client.post(url, entry.data(world) if entry.data else {})
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != entry.expect[persona]:
            failures.append(f"{persona}: expected {entry.expect[persona]}, got {response.status_code}")
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
