"""Working-day calendar against the official 2025 and 2026 schedules (国务院办公厅 holiday notices)."""

import datetime as dt

import pytest

from committee import calendar
from committee.models import CalendarDay, CalendarYear
from tests.conftest import login

D = dt.date
pytestmark = pytest.mark.django_db


def test_2026_make_up_saturdays_are_working_days():
    # Spring Festival 2026: 2026-02-14 (Sat) and 2026-02-28 (Sat) are make-up working days (调休).
    assert calendar.is_working_day(D(2026, 2, 14))
    assert calendar.is_working_day(D(2026, 2, 28))


def test_2026_national_day_week_is_holiday():
    for day in range(1, 8):
        assert not calendar.is_working_day(D(2026, 10, day)), day
    assert calendar.is_working_day(D(2026, 10, 8))
    assert calendar.is_working_day(D(2026, 10, 10))  # Saturday make-up working day
    assert calendar.is_working_day(D(2026, 9, 20))  # Sunday make-up working day


def test_2025_schedule_spring_festival_and_make_up_days():
    assert not calendar.is_working_day(D(2025, 1, 28))  # 除夕 2025 is a holiday
    assert not calendar.is_working_day(D(2025, 2, 4))
    assert calendar.is_working_day(D(2025, 1, 26))  # Sunday make-up working day
    assert calendar.is_working_day(D(2025, 2, 8))  # Saturday make-up working day
    assert calendar.is_working_day(D(2025, 9, 28))  # Sunday before National Day 2025


def test_ordinary_weekend_is_not_a_working_day():
    assert not calendar.is_working_day(D(2026, 3, 7))
    assert calendar.is_working_day(D(2026, 3, 9))


def test_next_working_day_skips_the_national_day_week():
    assert calendar.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert calendar.next_working_day(D(2026, 10, 9)) == D(2026, 10, 9)


def test_add_working_days_counts_the_make_up_saturday():
    # From Friday 2026-02-13, the next working day is the make-up Saturday 2026-02-14.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    # Across the Spring Festival holiday (2026-02-15 .. 02-23), back on Tuesday 02-24.
    assert calendar.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_add_working_days_across_national_day():
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # the make-up Saturday counts


def test_year_is_kept_as_a_confirmed_table_from_the_library():
    calendar.is_working_day(D(2026, 5, 1))
    year = CalendarYear.objects.get(year=2026)
    assert year.confirmed and year.source == CalendarYear.Source.LIBRARY
    assert year.days.filter(date=D(2026, 2, 14), kind=CalendarDay.Kind.WORKDAY).exists()
    assert year.days.filter(date=D(2026, 10, 5), kind=CalendarDay.Kind.HOLIDAY).exists()


def test_unknown_year_counts_weekends_only_and_warns():
    # The library does not know 2027 yet: a deadline into 2027 says so instead of silently guessing.
    result = calendar.deadline(D(2026, 12, 30), 3)
    assert result.date == D(2027, 1, 4)  # 12-31 Thu, 01-01 Fri (weekday: counted, unknown), 01-04 Mon
    assert not result.confirmed
    assert "2027" in result.warning
    assert calendar.deadline(D(2026, 3, 2), 3).warning == ""


def test_street_office_enters_and_confirms_an_unknown_year(supervisor):
    user = supervisor.user
    calendar.set_manual_day(year=2027, day=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦",
                            acting_user=user)
    assert not calendar.is_working_day(D(2027, 1, 1))
    assert not calendar.is_confirmed(2027)
    calendar.confirm_year(year=2027, acting_user=user)
    assert calendar.is_confirmed(2027)
    assert calendar.deadline(D(2026, 12, 30), 3).confirmed
    assert CalendarYear.history.filter(year=2027).first().history_user == user


def test_calendar_pages_show_warning_and_street_office_can_enter_a_day(supervisor, staff_a):
    client = login(supervisor)
    response = client.get("/calendar/2027/")
    assert response.status_code == 200
    assert "2027" in response.content.decode()
    response = client.post("/calendar/2027/days/", {"date": "2027-02-06", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=D(2027, 2, 6)).exists()
    # community staff read but cannot write
    assert login(staff_a).post("/calendar/2027/confirm/").status_code == 403
