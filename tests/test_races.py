"""Races on PostgreSQL (issue 18): real concurrent transactions, each thread with its own connection; one
winner, no gap. The finance races (FIN-2 one decision per approval step, FIN-3 no overspend, FIN-4 one open
cheque, FIN-7 gapless receipts) are in tests/finance/test_concurrency.py; these are the other counters.

SQLite serialises writers, so these races cannot happen there; the tests are skipped with that reason."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tests import factories as f
from tests.finance.test_concurrency import race
from tests.welfare.conftest import (  # noqa: F401 (fixtures; _frozen: the welfare chapter's fixed day)
    _frozen,
    plan_a,
    social_project,
    sports_project,
    street_finance,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent transactions need PostgreSQL (SQLite serialises writers)"),
]


def test_seal_5_certificate_numbers_at_once_stay_gapless(transactional_db, community_a):
    """SEAL-5: the first certificates of a year, numbered at the same moment (the counter row does not exist
    yet: both create it), get 1, 2, 3, 4."""
    from seals import services
    from seals.models import Counter

    def number():
        with transaction.atomic():
            return services.next_number(community_a, 2026, "certificate")

    results = race(*[number for _ in range(4)])
    assert all(r[0] == "ok" for r in results), results
    assert sorted(r[1] for r in results) == [1, 2, 3, 4]
    assert Counter.objects.get(community=community_a, year=2026, series="certificate").last == 4


def test_post_5_one_badge_number_issued_twice_at_once_has_one_winner(transactional_db, community_a, supervisor):
    """POST-5: two post-holders given the same badge number at the same moment: one badge, the other a
    message (the unique constraint decides; no second badge with that number)."""
    from posts import services
    from posts.models import Badge, Holding, Post

    post = Post.objects.get(key="civility")
    holdings = [Holding.objects.create(community=community_a, post=post, staff=f.staff(community_a, f"人{i}", []),
                                       start=timezone.localdate()) for i in range(2)]
    results = race(*[lambda h=h: services.issue_badge(h, number="R-001", acting_user=supervisor.user)
                     for h in holdings])
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert isinstance([r for r in results if r[0] == "error"][0][1], ValidationError)
    assert Badge.objects.filter(street_office=community_a.street_office, number="R-001").count() == 1


def test_wel_5_two_prizes_at_once_on_two_projects_do_not_pass_the_year_cap(
        transactional_db, social_project, sports_project, staff_a):
    """WEL-5: the year's prizes stay within 30% of the fund (10,000 yuan: 3,000) when two projects of the
    community spend on prizes at the same moment: each alone reaches 30.00% and passes; together they would
    be 40%, so one of them is refused. Their budget lines differ, so the line lock (FIN-3) does not order
    them: the prize check locks the community."""
    import datetime as dt

    from welfare import services
    from welfare.models import Spending

    def spend(project, amount, kind="costs", act=None, top=None):
        return services.spend(project, kind=kind, purpose="奖品" if kind == "prizes" else "场地", amount=amount,
                              payee="服务公司", method="transfer", activity=act, top_prize=top,
                              acting_user=staff_a.user)

    acts = {}
    for project, costs in ((social_project, "7000.00"), (sports_project, "3000.00")):
        acts[project.pk] = services.record_activity(project, title=f"活动{project.pk}", date=dt.date(2026, 6, 1),
                                                    form="performance", sessions=1, participants=80, effect="好",
                                                    acting_user=staff_a.user)
        spend(project, costs, act=acts[project.pk])
    spend(social_project, "2000.00", kind="prizes", act=acts[social_project.pk], top="200.00")
    results = race(*[lambda p=p: spend(p, "1000.00", kind="prizes", act=acts[p.pk], top="200.00")
                     for p in (social_project, sports_project)])
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert "WEL-5" in " ".join([r for r in results if r[0] == "error"][0][1].messages)
    assert sum(s.expense.amount for s in Spending.objects.filter(kind="prizes")) == 3000
