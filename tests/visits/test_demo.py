"""The visits demo: grid groups, a week of visits with open and solved problems, requests in each state
(one overdue), the grid work meeting body; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from committee.models import Community
from visits import reminders
from visits.models import GroupMember, Problem, Request, Visit


@pytest.mark.django_db
def test_demo_visits_problems_requests_and_idempotence():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    counts = (GroupMember.objects.count(), Visit.objects.count(), Request.objects.count())
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert (GroupMember.objects.count(), Visit.objects.count(), Request.objects.count()) == counts
    assert counts[0] and counts[1] >= 3 * 4
    assert Problem.objects.filter(solved_at__isnull=True).exists() and Problem.objects.filter(
        solved_at__isnull=False).exists()
    today = timezone.localdate()
    assert Request.objects.filter(status="open", due_on__lt=today).exists()  # overdue
    assert Request.objects.filter(status="open", due_on__gte=today).exists()
    closed = list(Request.objects.filter(status="closed"))
    assert any(r.in_time for r in closed) and any(not r.in_time for r in closed)
    assert Request.objects.filter(about_staff__isnull=False).exists()
    communities = list(Community.objects.all())
    assert any(r.state == "overdue" for r in reminders.open_requests(communities, today))
