"""CTL-8 in the meetings pages: far or malformed months, days and years answer a clear message or a clamped
page, never a 500; far dates in the meeting forms are refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.models import Meeting
from tests.conftest import login
from tests.meetings.conftest import make_body

QUERIES = ["?day=0001-01-01", "?day=9999-12-31", "?year=99999", "?year=-1", "?month=9999-12", "?month=0001-01",
           "?month=2026-13", "?month=abc", "?day=2026-02-30", "?year=1e400", "?month=99999999999999999999-1"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("path", ["/meetings/regular/", "/meetings/deductions/"])
def test_ctl_8_far_months_days_and_years_answer_a_page(client_director_a, director_a, path, query):
    r = client_director_a.get(path + query, follow=True)
    assert r.status_code == 200
    month = r.context["month"]
    assert 1900 <= month.year <= 2100
    assert any("CTL-8" in str(m) or "month" in str(m).lower() or "月" in str(m) for m in r.context["messages"])


def test_ctl_8_a_sane_month_shows_no_message(client_director_a):
    r = client_director_a.get("/meetings/regular/?month=2026-10")
    assert r.context["month"].isoformat() == "2026-10-01" and not list(r.context["messages"])
    r = client_director_a.get("/meetings/regular/?day=2026-10-15")
    assert r.context["month"].isoformat() == "2026-10-01"


@pytest.mark.parametrize("year", [99999, 0, 9999])
def test_ctl_8_preparing_a_far_month_is_a_404_not_a_500(client_a, year):
    assert client_a.post(f"/meetings/regular/{year}/1/prepare/").status_code == 404
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_ctl_8_far_dates_in_meeting_forms_are_refused(community_a, director_a, day):
    body = make_body(community_a, "consultation", 3, acting_user=director_a.user)
    c = login(director_a)
    r = c.post(f"/meetings/bodies/{body.pk}/meetings/new/", {"title": "会议", "date": day})
    assert r.status_code == 200 and "CTL-8" in str(r.context["form"].errors["date"])
    r = c.post(f"/meetings/bodies/{body.pk}/quick/", {"category": "morning_briefing", "date": day, "minutes": "x"})
    assert r.status_code == 200 and "CTL-8" in str(r.context["form"].errors["date"])
    r = c.post(f"/meetings/bodies/{body.pk}/members/add/", {"name": "张三", "start": day})
    assert r.status_code == 200 and "CTL-8" in str(r.context["form"].errors["start"])
    member = body.members.first()
    r = c.post(f"/meetings/members/{member.pk}/end/", {"end": day}, follow=True)
    assert r.status_code == 200
    member.refresh_from_db()
    assert member.end is None
    assert not Meeting.objects.exists()
    for page in ("/meetings/", f"/meetings/bodies/{body.pk}/"):
        assert c.get(page).status_code == 200


def test_a_refused_membership_end_keeps_the_typed_date_on_the_body_page(community_a, director_a):
    """Issue 9: nothing lost after a refusal — the end date typed comes back in its field (once)."""
    body = make_body(community_a, "consultation", 3, acting_user=director_a.user)
    member = body.members.first()
    before = (member.start - dt.timedelta(days=3)).isoformat()
    c = login(director_a)
    r = c.post(f"/meetings/members/{member.pk}/end/", {"end": before}, follow=True)
    member.refresh_from_db()
    assert member.end is None
    assert f'id="end{member.pk}" type="date" name="end" value="{before}"' in r.content.decode()
    assert f'value="{before}"' not in c.get(f"/meetings/bodies/{body.pk}/").content.decode()
