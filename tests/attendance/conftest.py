import datetime as dt

import pytest

from attendance.models import SignIn
from committee.models import Role
from tests import factories as f


@pytest.fixture
def keeper_a(community_a):
    """The attendance keeper of community A."""
    return f.staff(community_a, "甲考勤员", [Role.ATTENDANCE_KEEPER, Role.SERVICE_STAFF])


def sign_days(staff, days, sign_in=dt.time(8, 20), sign_out=dt.time(17, 40)):
    """Register lines written directly (fixtures for figures; the services are tested on their own)."""
    return [SignIn.objects.create(community=staff.community, staff=staff, date=d, sign_in=sign_in, sign_out=sign_out)
            for d in days]
