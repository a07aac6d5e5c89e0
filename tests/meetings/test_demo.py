"""The meetings demo fits the re-read rules: counted meetings have approved minutes (MTG-6, MTG-7), an
inquorate one is not convened and records no decision, heping's council is overdue (MTG-11)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from committee.models import Community
from meetings import reminders
from meetings.models import BodyKind, Meeting


@pytest.mark.django_db
def test_mtg_6_mtg_11_demo_meetings_count_only_when_convened():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    communities = list(Community.objects.filter(street_office__code="changan").order_by("pk"))
    status = reminders.body_status(communities, timezone.localdate())
    states = {(b.community.code, b.kind): state for b, _m, _last, _due, state in status}
    heping = communities[0].code
    assert states[(heping, BodyKind.CONSULTATION)] == "overdue"
    for c in communities:
        assert states[(c.code, BodyKind.REPRESENTATIVES)] != "overdue"
        assert states[(c.code, BodyKind.MASS_MEETING)] != "overdue"
        if c.code != heping:
            assert states[(c.code, BodyKind.CONSULTATION)] != "overdue"
    not_convened = [m for m in Meeting.objects.exclude(quorum_needed=None) if m.not_convened]
    assert not_convened and all(not m.decisions.exists() for m in not_convened)
    assert Meeting.objects.filter(status=Meeting.Status.CLOSED, community__isnull=False).exists()
