"""Street-office oversight (issue 17): overview per community, WEL-3 thresholds, Excel export, access, queries."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from committee import indicators
from committee.models import Role
from oversight import services
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_wel3_threshold_45_mid_year_90_year_end():
    """WEL-3: 45% expected from mid-year, 90% at the year end."""
    assert services.threshold(dt.date(2026, 3, 1)) == 0
    assert services.threshold(dt.date(2026, 7, 1)) == 45
    assert services.threshold(dt.date(2026, 11, 30)) == 45
    assert services.threshold(dt.date(2026, 12, 1)) == 90


def test_indicator_url_is_optional_and_backward_compatible():
    indicators.register("test.plain", "plain", lambda cs, d: {}, order=999)
    try:
        col = next(i for i in indicators.columns() if i.key == "test.plain")
        assert col.url is None
    finally:
        indicators._indicators.pop("test.plain")


def test_overview_lists_every_community_with_linked_figures(supervisor, community_a, community_b):
    response = login(supervisor).get(reverse("oversight_overview"))
    assert response.status_code == 200
    text = response.content.decode()
    assert community_a.name in text and community_b.name in text
    assert 'role="img"' in text and "<title" in text and "<desc" in text
    assert reverse("meetings_home") in text  # figures link to their records


def test_export_has_one_row_per_community(supervisor, community_a, community_b):
    response = login(supervisor).get(reverse("oversight_overview_xlsx"))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert set(names) == {community_a.name, community_b.name}


def test_export_neutralises_formulas(supervisor, street):
    community = f.community(street, "=1+1")
    response = login(supervisor).get(reverse("oversight_overview_xlsx"))
    ws = load_workbook(BytesIO(response.content)).active
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert community.name not in names and "'" + community.name in names  # CTL-8


@pytest.mark.parametrize("url_name", ["oversight_overview", "oversight_overview_xlsx"])
def test_community_staff_refused(staff_a, director_a, url_name):
    for person in (staff_a, director_a):
        assert login(person).get(reverse(url_name)).status_code == 403


def test_anonymous_sent_to_login():
    from django.test import Client

    response = Client().get(reverse("oversight_overview"))
    assert response.status_code == 302


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("oversight_overview"))  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("oversight_overview")).status_code == 200
    return len(ctx)


def test_overview_queries_do_not_grow_with_communities(street, django_assert_max_num_queries):
    """Every reminder collector and indicator reads a fixed number of queries: 2 and 6 communities cost the
    same (about 60 queries; tests/oversight/test_queries.py measures 2 and 20 and every page)."""
    leader = f.staff(street, "分管领导", [Role.STREET_LEADER])
    client = login(leader)
    for i in range(2):
        f.staff(f.community(street, f"社区{i}"), f"委员{i}", [Role.MEMBER])
    small = _queries(client)
    for i in range(2, 6):
        f.staff(f.community(street, f"社区{i}"), f"委员{i}", [Role.MEMBER])
    assert _queries(client) == small
    with django_assert_max_num_queries(70):
        client.get(reverse("oversight_overview"))


def test_seal_uses_this_month_indicator_counts_stamped_uses(community_a, community_b):
    """Oversight figure: seal uses stamped this month, per community: a key of the one per-community counts
    query (committee.counts; warmed once for the calendar's holiday names and the policy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from seals import reminders as seal_reminders

    today = timezone.localdate()
    seal_reminders.uses_this_month([community_a, community_b], today)
    with CaptureQueriesContext(connection) as ctx:
        assert seal_reminders.uses_this_month([community_a, community_b], today) == {}
    assert len(ctx) == 1
    col = next(i for i in indicators.columns() if i.key == "seal_uses_month")
    assert col.url(community_a) == reverse("seals_home")
