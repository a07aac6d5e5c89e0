"""The welfare demo: 和平里's plan approved with projects in several categories, spending, activities and both
groups; 银杏's next plan waiting for the instructor. Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from committee import reminders
from committee.models import Community
from meetings.models import Meeting
from welfare.models import Activity, Plan, Project, Spending

DEMO_DAY = dt.datetime(2026, 12, 2, 10, 0)


@pytest.mark.django_db
def test_demo_welfare_plans_in_several_states_and_idempotence(time_machine):
    time_machine.move_to(DEMO_DAY, tick=False)  # the other demos (archives) need a day after mid-year
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    counts = (Plan.objects.count(), Project.objects.count(), Spending.objects.count(), Activity.objects.count(),
              Meeting.objects.count())
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert counts == (Plan.objects.count(), Project.objects.count(), Spending.objects.count(),
                      Activity.objects.count(), Meeting.objects.count())
    today = timezone.localdate()
    heping = Plan.objects.get(community__code="heping", year=today.year)
    assert heping.approved_on and heping.projects.values("category").distinct().count() >= 4
    assert Spending.objects.filter(kind="prizes").exists()
    yinxing = Plan.objects.get(community__code="yinxing")
    assert yinxing.submitted_on and not yinxing.instructor_approved_on


@pytest.mark.django_db
def test_demo_welfare_reminders_plausible_for_today(time_machine):
    """WEL-10: both groups of 7 meet every quarter (no WEL-10 item); WEL-2: next year's plan has gone through
    the steps already due (no overdue WEL-2 item); WEL-7: one honest shortfall (a category under 10 sessions)."""
    time_machine.move_to(DEMO_DAY, tick=False)  # December: next year's plan is past all its October steps
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    reminders.autodiscover()
    today = timezone.localdate()
    items = reminders.collect([Community.objects.get(code="heping")], today)
    assert not [r for r in items if r.rule == "WEL-10"]
    assert not [r for r in items if r.rule in ("WEL-2", "WEL-9") and r.state == reminders.OVERDUE]
    assert Plan.objects.get(community__code="heping", year=today.year + 1).approved_on
    assert Activity.objects.filter(community__code="heping", project__plan__year=today.year).count() >= 30
