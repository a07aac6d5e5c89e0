"""The welfare pages: refused forms keep what was typed with the error beside the field, another community's
records answer 404, fixed query counts on the list pages, bad input is a form error (never a 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import login
from tests.welfare import helpers
from welfare import services
from welfare.models import Plan, Spending

pytestmark = pytest.mark.django_db


def test_home_and_plan_pages_show_the_projects_and_timeline(plan_a, client_a):
    page = client_a.get(reverse("welfare_home")).content.decode()
    assert "睦邻互助" in page and "广场舞大赛" in page
    page = client_a.get(plan_a.get_absolute_url()).content.decode()
    assert "2025-10-15" in page and "社会组织培育" in page


def test_wel_5_refused_prize_keeps_the_form_and_says_the_cap(social_project, staff_a, client_a):
    act = services.record_activity(social_project, title="联欢", date=dt.date(2026, 6, 1), form="performance",
                                   sessions=1, participants=10, acting_user=staff_a.user)
    services.spend(social_project, kind="costs", purpose="布置", amount="699.90", payee="公司", method="transfer",
                   activity=act, acting_user=staff_a.user)
    data = {"kind": "prizes", "activity": act.pk, "purpose": "联欢奖品", "amount": "300.10", "top_prize": "50.00",
            "payee": "商店", "method": "transfer"}
    r = client_a.post(reverse("welfare_spend", args=[social_project.pk]), data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "30.01" in page and "WEL-5" in page and 'value="联欢奖品"' in page and 'aria-invalid="true"' in page
    assert Spending.objects.count() == 1


def test_wel_2_second_plan_refused_on_the_page(plan_a, client_a):
    r = client_a.post(reverse("welfare_plan_new"), {"year": "2026"}, follow=True)
    assert "WEL-2" in r.content.decode()
    assert Plan.objects.filter(community=plan_a.community).count() == 1


def test_ctl_8_control_characters_and_formulas(social_project, client_a):
    r = client_a.post(reverse("welfare_spend", args=[social_project.pk]),
                      {"kind": "costs", "purpose": "物料\x07", "amount": "1e400", "payee": "=HYPERLINK(1)",
                       "method": "transfer"})
    assert r.status_code == 200 and not Spending.objects.exists()
    r = client_a.post(reverse("welfare_activity_new", args=[social_project.pk]),
                      {"title": "活动", "date": "9999-01-01", "form": "other", "sessions": "1", "participants": "1"})
    assert r.status_code == 200 and not social_project.activities.exists()


def test_another_communitys_records_answer_404(plan_a, social_project, client_b):
    for url in (plan_a.get_absolute_url(), social_project.get_absolute_url(),
                reverse("welfare_spend", args=[social_project.pk])):
        assert client_b.get(url).status_code == 404


def test_the_street_office_sees_every_community(plan_a, client_street):
    page = client_street.get(reverse("welfare_home")).content.decode()
    assert plan_a.community.name in page


def test_leaver_cannot_spend(social_project, community_a):
    leaver = f.staff(community_a, "离任", [f.Role.MEMBER], end=dt.date(2026, 1, 1))
    leaver.left_on = dt.date(2026, 1, 1)
    leaver.save()
    r = login(leaver).get(reverse("welfare_spend", args=[social_project.pk]))
    assert r.status_code in (302, 403)


def test_home_query_count_does_not_grow(plan_a, social_project, sports_project, staff_a, client_a,
                                        django_assert_max_num_queries):
    client_a.get(reverse("welfare_home"))
    with django_assert_max_num_queries(72) as ctx:
        client_a.get(reverse("welfare_home"))
    n = len(ctx.captured_queries)
    for i in range(5):
        services.record_activity(social_project, title=f"活动{i}", date=dt.date(2026, 6, 1), form="other",
                                 sessions=1, participants=1, acting_user=staff_a.user)
        services.spend(sports_project, kind="costs", purpose=f"物料{i}", amount="10.00", payee="公司",
                       method="transfer", acting_user=staff_a.user)
    with django_assert_max_num_queries(n):
        client_a.get(reverse("welfare_home"))
    with django_assert_max_num_queries(n + 30):
        client_a.get(social_project.get_absolute_url())


def test_street_home_query_count_fixed_for_communities(plan_a, street, client_street, django_assert_max_num_queries):
    client_street.get(reverse("welfare_home"))
    with django_assert_max_num_queries(80) as ctx:
        client_street.get(reverse("welfare_home"))
    n = len(ctx.captured_queries)
    for i in range(4):
        f.community(street, f"新社区{i}")
    with django_assert_max_num_queries(n + 2):
        client_street.get(reverse("welfare_home"))


def test_groups_quarters_summary_tables_pages(plan_a, client_a, client_street):
    for name in ("welfare_groups", "welfare_quarters", "welfare_summary", "welfare_tables"):
        assert client_a.get(reverse(name)).status_code == 200
    assert "社会组织培育" in client_street.get(reverse("welfare_tables")).content.decode()
    assert helpers


def test_wel_2_both_dashboards_show_the_missed_submission(community_a, staff_a, supervisor, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 16, 10, 0), tick=False)
    from welfare.reminders import STEP_TITLES

    title = STEP_TITLES["submitted"]()
    assert title in login(staff_a).get(reverse("dashboard")).content.decode()
    assert title in login(supervisor).get(reverse("dashboard")).content.decode()
