"""The archives demo: cabinets, items of last year and this, a loan overdue, offers waiting; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from archives import reminders, services
from archives.models import Cabinet, Item, Loan
from committee.models import Community


@pytest.mark.django_db
def test_demo_archives_loans_and_offers_and_idempotence(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    counts = (Cabinet.objects.count(), Item.objects.count(), Loan.objects.count())
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert (Cabinet.objects.count(), Item.objects.count(), Loan.objects.count()) == counts
    today = timezone.localdate()
    communities = list(Community.objects.filter(archive_cabinets__isnull=False).distinct())
    assert len(communities) == 3
    assert Item.objects.filter(volume__year=today.year - 1).exists() and Item.objects.filter(volume__year=today.year).exists()
    overdue = [r for r in reminders.loans_due(communities, today) if r.state == "overdue"]
    assert len(overdue) == 3
    assert Item.objects.exclude(source="").exists()  # one product record filed (PDF/A)
    assert any(services.pending_offers(c, y) for c in communities for y in (today.year - 1, today.year))  # waiting
