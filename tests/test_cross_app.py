"""The chapters working together: leave empties the office (ORG-4), meeting absences cost wage in the
attendance month (MTG-5 → ATT-6)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance import figures
from attendance.models import LeaveRequest
from committee import duty
from committee.models import Role
from meetings import services as meetings
from tests import factories as f

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)


def test_org_4_staff_on_approved_leave_count_as_out_of_the_office(community_a, staff_a, director_a):
    day = dt.date(2026, 3, 2)
    LeaveRequest.objects.create(community=community_a, staff=director_a, kind="sick", start=day, end=day,
                                days=Decimal("1"), state=LeaveRequest.State.APPROVED, requested_by=director_a)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=TZ)
    with pytest.raises(ValidationError, match="ORG-4"):
        duty.record_outing(community=community_a, staff=staff_a, kind="errand", purpose="银行",
                           leaves_at=start, back_at=start.replace(hour=11), told=director_a,
                           acting_user=staff_a.user)


def test_mtg_5_unapproved_meeting_absence_shows_in_the_attendance_month(street, community_a, supervisor):
    director = f.staff(community_a, "主任", [Role.DIRECTOR], wage="4321.00")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=TZ)):
        m10, _m20, _m27 = meetings.ensure_regular_meetings(street, 2026, 3, acting_user=supervisor.user)
    keys = {p["staff"].pk: p["key"] for p in meetings.expected_participants(m10)}
    statuses = {key: ("absent" if pk == director.pk else "present") for pk, key in keys.items()}
    with time_machine.travel(dt.datetime.combine(m10.date, dt.time(16), TZ)):
        meetings.record_roll_call(m10, statuses, acting_user=supervisor.user)
    month = figures.community_month(community_a, 2026, 3, today=dt.date(2026, 4, 1))
    person = next(p for p in month.people if p.staff_id == director.pk)
    mtg = [line for line in person.lines if line.rule == "MTG-5"]
    assert mtg and mtg[0].amount == Decimal("432.10")
