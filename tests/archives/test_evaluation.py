"""ARC-2 → POST-6: ``archives.evaluation.filed``, last year's materials recorded as filed by the end of the
filing month (``services.filing_deadline``, ``services.record_year_filed``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from archives import evaluation, services
from archives.models import YearFiled

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour=12):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def test_arc_2_recorded_by_the_deadline_scores_all_after_it_nothing(community_a, archivist_a):
    last = timezone.localdate().year - 1
    record = services.record_year_filed(community=community_a, year=last, acting_user=archivist_a.user)
    deadline = services.filing_deadline(community_a, last)
    assert deadline == dt.date(last + 1, 3, 31)
    YearFiled.objects.filter(pk=record.pk).update(at=_at(deadline, 23))  # the last evening still counts
    fig = evaluation.filed(community_a, last + 1, today=deadline + dt.timedelta(days=30))
    assert fig.score == Decimal(1) and deadline.isoformat() in fig.detail
    assert fig.url == f"/archives/filing/?year={last}"
    YearFiled.objects.filter(pk=record.pk).update(at=_at(deadline + dt.timedelta(days=1), 9))
    fig = evaluation.filed(community_a, last + 1, today=deadline + dt.timedelta(days=30))
    assert fig.score == Decimal(0) and (deadline + dt.timedelta(days=1)).isoformat() in fig.detail


def test_arc_2_not_recorded_after_the_deadline_scores_nothing_before_it_is_not_decided(community_a):
    deadline = services.filing_deadline(community_a, 2026)
    fig = evaluation.filed(community_a, 2027, today=deadline + dt.timedelta(days=1))
    assert fig.score == Decimal(0) and fig.detail
    fig = evaluation.filed(community_a, 2027, today=deadline)
    assert fig.score is None and deadline.isoformat() in fig.value and fig.detail


def test_arc_2_recorded_before_the_deadline_scores_all_at_once(community_a, archivist_a):
    YearFiled.objects.create(community=community_a, year=2026, at=_at(dt.date(2027, 1, 20)), by=archivist_a)
    fig = evaluation.filed(community_a, 2027, today=dt.date(2027, 2, 1))
    assert fig.score == Decimal(1)


def test_arc_2_another_communitys_record_does_not_count(community_a, community_b, staff_b):
    YearFiled.objects.create(community=community_b, year=2025, at=_at(dt.date(2026, 2, 1)), by=staff_b)
    assert evaluation.filed(community_b, 2026, today=dt.date(2026, 12, 2)).score == Decimal(1)
    assert evaluation.filed(community_a, 2026, today=dt.date(2026, 12, 2)).score == Decimal(0)


def test_arc_2_a_year_not_begun_is_not_available(community_a):
    fig = evaluation.filed(community_a, 2030, today=dt.date(2026, 12, 2))
    assert (fig.value, fig.score) == ("—", None) and fig.detail


def test_arc_2_the_filing_month_of_the_policy_moves_the_deadline(community_a, monkeypatch):
    from committee import policy

    real = policy.get
    monkeypatch.setattr(policy, "get", lambda c, key, *a, **k: 5 if key == "arc.filing_month" else real(c, key, *a, **k))
    assert services.filing_deadline(community_a, 2026) == dt.date(2027, 5, 31)
    assert evaluation.filed(community_a, 2027, today=dt.date(2027, 4, 30)).score is None
    assert evaluation.filed(community_a, 2027, today=dt.date(2027, 6, 1)).score == Decimal(0)


def test_arc_2_filed_needs_a_fixed_number_of_queries(django_assert_max_num_queries, community_a, archivist_a):
    YearFiled.objects.create(community=community_a, year=2025, at=_at(dt.date(2026, 2, 1)), by=archivist_a)
    with django_assert_max_num_queries(3):
        evaluation.filed(community_a, 2026, today=dt.date(2026, 12, 2))


def test_arc_2_the_item_is_available_on_the_post_6_sheet(community_a, staff_a, rf):
    from posts import evaluation as sheets

    year = timezone.localdate().year
    rows = {r.item.key: r for r in sheets.sheet(community_a, year, with_people=False).rows}
    row = rows["archives.filed"]
    assert row.figure == evaluation.filed(community_a, year)
    assert row.figure.value != str(sheets.unavailable().value)
    request = rf.get("/")
    request.user = staff_a.user
    assert row.figure.open_to(request)
