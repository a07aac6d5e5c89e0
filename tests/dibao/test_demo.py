"""The dibao demo: a compliant panel per community, cases in every state, a convened meeting with reviews,
visits and one household unvisited and unreviewed this quarter; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from dibao import rules, services
from dibao.models import Case, Review


@pytest.mark.django_db
def test_demo_panel_cases_reviews_visits_and_idempotence():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    cases = Case.objects.all()
    assert {c.status for c in cases} >= {"applied", "under_review", "approved", "suspended", "ended", "rejected"}
    community = cases.first().community
    assert services.panel_check(services.panel_of(community)) == []
    review = Review.objects.filter(community=community).first()
    assert review.meeting.convened
    rows = services.worklist([community.pk], rules.quarter_of(timezone.localdate()))
    assert any(r["review"] is None and r["visit_state"] == "due" for r in rows)
    assert Case.objects.filter(community=community).count() == 7
