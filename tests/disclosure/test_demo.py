"""The disclosure demo: each community's board has current notices, one expired in the archive, a draft and
one waiting for approval; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee import reminders
from committee.models import Community
from disclosure.models import Notice


@pytest.mark.django_db
def test_demo_boards_and_idempotence(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    count = Notice.objects.count()
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert Notice.objects.count() == count
    today = timezone.localdate()
    for c in Community.objects.filter(street_office__code="changan"):
        notices = Notice.objects.filter(community=c)
        assert notices.posted(today).count() >= 3
        assert any(n.is_expired(today) for n in notices)
        assert notices.filter(status=Notice.Status.DRAFT).exists()
        assert notices.filter(status=Notice.Status.SUBMITTED).exists()
        page = Client().get(reverse("disclosure_board", args=[c.code]))
        assert page.status_code == 200 and "停水" in page.content.decode()


@pytest.mark.django_db
def test_demo_cadence_at_most_one_category_overdue(tmp_path, settings):
    """DIS-2: the quarterly / half-yearly categories are posted this period, but at most one (the reminder shows
    working)."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    reminders.autodiscover()
    items = reminders.collect([Community.objects.get(code="heping")], timezone.localdate())
    assert len([r for r in items if r.rule == "DIS-2" and r.state in (reminders.OVERDUE, reminders.DUE)]) <= 1
