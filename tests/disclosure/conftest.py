"""Fixtures of the disclosure chapter: a small test composer registered for the test only (the real ones come
from finance, seals, dibao and welfare), whose records are a dict the test changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from committee import approvals
from disclosure import composers, services
from disclosure.models import Notice

RECORDS = {"amount": "1,200.00", "rows": [["办公用品", "1,200.00"]], "extra": ""}


def _subjects(community, day):
    return [composers.Subject("2026-Q3", "2026年第三季度"), composers.Subject("seal:1", "遗失公章")]


def _compose(community, subject, acting_user):
    if subject == "2099-Q1":
        raise ValidationError({"subject": "该季度尚未结束，不能公开（DIS-4）。"})
    if subject == "seal:1":
        return composers.Composed(title="公章遗失公告", paragraphs=["本居委会公章遗失，自即日起作废。"], min_days=30)
    return composers.Composed(
        title=f"{community.name}2026年第三季度财务收支公开",
        paragraphs=[f"本季度支出合计{RECORDS['amount']}元。" + RECORDS["extra"]],
        tables=[composers.Table(columns=["项目", "金额（元）"], rows=[list(r) for r in RECORDS["rows"]],
                                totals=["合计", RECORDS["amount"]], numeric=[1])],
        closing=["特此公告。"], figures={"total": RECORDS["amount"]},
        period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30))


@pytest.fixture
def test_composer():
    saved = dict(RECORDS)
    c = composers.register(composers.Composer(key="test.quarter", label="测试季度财务", category=composers.FINANCE,
                                              rule="FIN-10", subjects=_subjects, compose=_compose))
    yield c
    composers._composers.pop(c.key, None)
    RECORDS.clear()
    RECORDS.update(saved)


@pytest.fixture
def records():
    return RECORDS


def approve(notice, approver):
    step = approvals.steps_for(notice).filter(status="pending").get()
    approvals.decide(step.pk, acting_user=approver.user, approve=True)
    notice.refresh_from_db()
    return notice


def approved_free_text(community, drafter, approver, *, title="停水通知", body="本周六停水。", category="other"):
    n = services.create_free_text(community=community, category_key=category, title=title, body=body,
                                  acting_user=drafter.user)
    services.submit(n, acting_user=drafter.user)
    return approve(n, approver)


def issued(community, drafter, approver, *, start=None, days=7, **kwargs) -> Notice:
    from django.utils import timezone

    n = approved_free_text(community, drafter, approver, **kwargs)
    start = start or timezone.localdate()
    return services.issue(n, posted_from=start, posted_until=start + dt.timedelta(days=days - 1),
                          acting_user=drafter.user, base_url="http://testserver")


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
