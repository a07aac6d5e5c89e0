"""Issue 17: the street office's pages read a number of queries that does not grow with the communities (2 and 20
cost the same), and every figure of the overview is a link to its records in that community."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.models import Role
from tests import factories as f
from tests.conftest import badge_matches_inbox, login

pytestmark = pytest.mark.django_db

# Measured at 20 communities (SQLite, 2026-12): /street/ 30, its Excel 29 or less, the street dashboard 30 (79,
# 65, 76 at first; 49, 44, 49 before the chapters' per-community counts were read in one query, committee.counts,
# and the nav badges in one more, committee.inbox.badge_counts). Issue 17 asks ≤ 30 for /street/. The ceilings
# catch a collector or indicator that starts reading per community or twice per page.
CEILING = {"oversight_overview": 30, "oversight_overview_xlsx": 30, "dashboard": 30}


def _add_communities(street, n):
    """``n`` communities, each with a director, a member and a resident (records for the figures)."""
    for i in range(n):
        c = f.community(street, f"社区{i}")
        f.staff(c, f"主任{i}", [Role.DIRECTOR])
        f.staff(c, f"委员{i}", [Role.MEMBER])
        f.person(c, f"居民{i}")


def _count(client, url):
    client.get(url)  # warm the session, the calendar and the policy caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", ["oversight_overview", "oversight_overview_xlsx", "dashboard"])
def test_street_pages_cost_the_same_at_2_and_20_communities(street, url_name):
    """The overview, its Excel export and the street dashboard: one grouped query per collector and indicator,
    whatever the number of communities; the nav badge reuses what the page collected (per-request memo)."""
    client = login(f.staff(street, "部门负责人", [Role.DEPARTMENT_HEAD]))
    url = reverse(url_name)
    _add_communities(street, 2)
    small = _count(client, url)
    _add_communities(street, 18)
    large = _count(client, url)
    assert large == small, f"{url_name}: {small} queries at 2 communities, {large} at 20"
    assert large <= CEILING[url_name]


def test_nav_badge_shares_the_pages_collections(street, community_a, director_a):
    """The inbox page and the nav badge run the task providers once per request (committee.middleware)."""
    from committee import inbox

    calls = []

    def provider(user):
        calls.append(user.pk)
        return []

    inbox.register_tasks(provider)
    try:
        assert login(director_a).get(reverse("inbox")).status_code == 200
    finally:
        inbox._providers.remove(provider)
    assert calls == [director_a.user.pk]


def test_core_figures_in_one_query_count_each_community(street, community_a, community_b, staff_a):
    """Staff in post, residents (not moved out), households and steps waiting: one grouped query for all."""
    import datetime as dt

    from committee import indicators
    from committee.models import Household

    f.person(community_a, "甲一")
    f.person(community_a, "甲二", moved_out_on=dt.date(2026, 1, 1))
    Household.objects.create(community=community_a)
    indicators._core([community_a, community_b], dt.date(2026, 12, 1))  # warm the calendar and the policy
    with CaptureQueriesContext(connection) as ctx:
        figures = indicators._core([community_a, community_b], dt.date(2026, 12, 1))
    assert len(ctx) == 1, [q["sql"][:120] for q in ctx.captured_queries]
    assert figures[community_a.pk] == {"staff": 1, "residents": 1, "households": 1, "pending": 0}
    assert figures[community_b.pk] == {"staff": 0, "residents": 0, "households": 0, "pending": 0}


def test_outside_a_request_nothing_is_remembered(community_a):
    """Scripts and services called directly compute each time (the memo lives only during a GET request)."""
    from committee.middleware import per_request

    values = iter([1, 2])
    assert per_request("k", lambda: next(values)) == 1
    assert per_request("k", lambda: next(values)) == 2


# --- each figure a link to its records ---------------------------------------------------------------------


def _figure_links(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]  # the first table: figures per community
    return re.findall(r'href="([^"]+)"', body.replace("&amp;", "&"))


def test_every_figure_links_to_its_records_in_that_community(street, community_a, community_b, supervisor):
    """Every figure of the overview (the community, its overdue and due counts, each indicator with a list) is a
    link to a page filtered to that community with ?community=<id>, not an anchor on the same page; each opens
    (200) for the supervisor."""
    from committee import indicators

    resident_a = f.person(community_a, "甲居民")
    resident_b = f.person(community_b, "乙居民")
    client = login(supervisor)
    links = _figure_links(client.get(reverse("oversight_overview")).content.decode())
    linked_columns = sum(1 for i in indicators.columns() if i.url)
    assert len(links) == 2 * (3 + linked_columns)  # per community: name, overdue, due, every linked figure
    for href in links:
        assert not href.startswith("#")
        community = community_a if f"community={community_a.pk}" in href else community_b
        assert f"community={community.pk}" in href, href
        assert client.get(href).status_code == 200, href
    residents = [h for h in links if h.startswith(reverse("person_list"))]
    page_a = client.get(next(h for h in residents if f"community={community_a.pk}" in h)).content.decode()
    assert resident_a.name in page_a and resident_b.name not in page_a


def test_a_link_to_another_streets_community_is_404(street, supervisor, community_a):
    """Community scoping: ?community=<id> of a community the reader may not see is a 404; for a community's own
    staff the parameter changes nothing (their community is always their own)."""
    other = f.community(f.street_office(), "外街道社区")
    client = login(supervisor)
    assert client.get(reverse("person_list") + f"?community={other.pk}").status_code == 404
    assert client.get(reverse("person_list") + "?community=abc").status_code == 200  # not a number: no choice
    staff = f.staff(community_a, "甲委员", [Role.MEMBER])
    outsider = f.person(other, "外居民")
    page = login(staff).get(reverse("person_list") + f"?community={other.pk}")
    assert page.status_code == 200 and outsider.name not in page.content.decode()


def test_the_link_chooses_the_community_for_one_page_only(street, supervisor, community_a, community_b):
    """?community= narrows the page it is on; the switcher's choice (the session) is left as it was."""
    client = login(supervisor)
    f.person(community_b, "乙居民")
    client.get(reverse("person_list") + f"?community={community_a.pk}")
    assert "乙居民" in client.get(reverse("person_list")).content.decode()


def test_every_chapters_per_community_counts_in_one_query(street, community_a, community_b, director_a):
    """committee.counts: the chapters' counts per community (core figures, meetings, grids and requests, seal
    uses, letters and complaints, last month's sheet) in one query; a community without rows is absent."""
    import datetime as dt

    from committee import counts
    from committee.models import Grid

    Grid.objects.create(community=community_a, name="一网格")
    day = dt.date(2026, 12, 3)
    counts.of([community_a, community_b], day)  # warm the calendar's holiday names and the policy
    with CaptureQueriesContext(connection) as ctx:
        figures = counts.of([community_a, community_b], day)
    assert len(ctx) == 1
    keys = set(figures[community_a.pk])
    assert {k.split(".")[0] for k in keys} >= {"core", "meetings", "visits", "seals", "posts", "attendance"}
    assert figures[community_a.pk]["visits.grids"] == 1 and figures[community_b.pk]["visits.grids"] == 0
    assert counts.get([community_a, community_b], day, "visits.grids") == {community_a.pk: 1}


def test_the_nav_badges_are_one_query(street, community_a, director_a):
    """Both nav badges (待我审批: approval steps + every provider's tasks; 我的提醒: unread) in one query: the
    providers' Sources are counted in SQL, not read."""
    from committee import inbox, middleware

    token = middleware._memo.set({})  # as during a GET request
    try:
        inbox._items(director_a.user)  # the providers' role look-ups (read with the session during a page)
        with CaptureQueriesContext(connection) as ctx:
            counted = inbox.badge_counts(director_a.user)
        assert len(ctx) == 1
        assert counted == {"inbox": 0, "waiting": 0, "notifications": 0}
    finally:
        middleware._memo.reset(token)


def test_the_badges_sql_is_reused_but_the_counts_are_read_each_time(street, community_a, director_a, staff_a):
    """inbox.badge_counts keeps the compiled SQL by the shape of the user's inputs (staff record, roles today,
    communities); the counts come from the database every time: a new step or task shows at once, and a role
    that ends changes the shape."""
    import datetime as dt

    from django.utils import timezone

    from committee import inbox
    from committee.models import Notification, RoleAssignment
    from disclosure import services as disclosure
    from tests.disclosure.conftest import approve

    def badge(person):
        person.user.refresh_from_db()
        return inbox.badge_counts(type(person.user).objects.get(pk=person.user.pk))

    assert badge(staff_a) == {"inbox": 0, "waiting": 0, "notifications": 0}
    notice = disclosure.create_free_text(community=community_a, category_key="other", title="停水通知",
                                         body="明日停水。", acting_user=staff_a.user)
    disclosure.submit(notice, acting_user=staff_a.user)
    assert badge(director_a)["waiting"] == 1 and badge(director_a)["inbox"] == 1  # the step to approve
    approve(notice, director_a)
    # the approved notice waits to be issued by the community's staff: one task each, no step (same shapes)
    assert badge(director_a) == {"inbox": 1, "waiting": 0, "notifications": 0}
    assert badge(staff_a)["inbox"] == 1 == badge_matches_inbox(staff_a.user)
    Notification.objects.create(recipient=staff_a.user, title="提醒", rule="ATT-4", day=timezone.localdate(),
                                key="k1", kind=Notification.Kind.choices[0][0])
    assert badge(staff_a)["notifications"] == 1
    RoleAssignment.objects.filter(staff=director_a).update(end=timezone.localdate() - dt.timedelta(days=1))
    assert badge(director_a)["waiting"] == 0  # no role today: another shape, recompiled
