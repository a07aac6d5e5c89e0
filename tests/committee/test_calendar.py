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


# --- issue 9: the calendar as month grids, in the reader's language ---------------------------------------


def _en(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_holiday_names_from_the_library_are_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert calendar.holiday_name("National Day") == "国庆节"
        assert calendar.holiday_name("Spring Festival") == "春节"
        assert calendar.holiday_name("元旦") == "元旦"  # typed by the street office: shown as typed
    with translation.override("en"):
        assert calendar.holiday_name("Mid-autumn Festival") == "Mid-autumn Festival"


def test_year_page_is_twelve_month_grids_with_holidays_make_up_days_and_today(staff_a,
                                                                            django_assert_max_num_queries):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 10, 9, 9, 0), tick=False):
        client = login(staff_a)
        client.get("/calendar/2026/")  # the first visit copies the library's year into the table
        with django_assert_max_num_queries(60):  # a fixed number: the reminders (deadlines) of every chapter, the badge counts every app's tasks
            response = client.get("/calendar/2026/")
    assert response.status_code == 200
    months = response.context["months"]
    assert [m["first"].month for m in months] == list(range(1, 13))
    october = {c["date"]: c for week in months[9]["weeks"] for c in week if c["date"]}
    assert all(len(week) == 7 for week in months[9]["weeks"])
    assert october[D(2026, 10, 1)]["kind"] == "holiday" and october[D(2026, 10, 1)]["name"] == "国庆节"
    assert october[D(2026, 10, 10)]["kind"] == "workday" and october[D(2026, 10, 10)]["working"]  # 调休 Saturday
    assert october[D(2026, 10, 9)]["today"] and not october[D(2026, 10, 8)]["today"]
    html = response.content.decode()
    assert "国庆节" in html and "春节" in html and "调休上班" in html
    assert "National Day" not in html and "Spring Festival" not in html  # no English on the Chinese page
    assert html.count('aria-current="date"') == 1
    assert "一</th>" in html and "日</th>" in html  # short weekday headers, Monday first


def test_year_page_in_english_names_the_holidays_in_english(staff_a):
    response = _en(login(staff_a)).get("/calendar/2026/")
    html = response.content.decode()
    assert "National Day" in html and "Spring Festival" in html and "国庆节" not in html


def test_year_page_shows_the_regular_meetings_of_each_month(staff_a):
    # MTG-2: the street regular meetings (10th, 20th, 27th by default; moved off holidays) come from the
    # meetings app through calendar.register_events.
    response = login(staff_a).get("/calendar/2026/")
    october = {c["date"]: c for week in response.context["months"][9]["weeks"] for c in week if c["date"]}
    assert [e.title for e in october[D(2026, 10, 20)]["events"]] == ["例会"]
    assert not october[D(2026, 10, 1)]["events"]
    assert "例会" in response.content.decode()


def test_path_years_outside_the_range_answer_404_and_store_nothing(supervisor):
    client = login(supervisor)
    for year in (99999, 1899, 0):
        assert client.get(f"/calendar/{year}/").status_code == 404
        assert client.post(f"/calendar/{year}/confirm/").status_code == 404
        assert client.post(f"/calendar/{year}/load/").status_code == 404
        assert client.post(f"/calendar/{year}/days/", {"date": "2026-02-06", "kind": "holiday"}).status_code == 404
    assert not CalendarYear.objects.filter(year__in=(99999, 1899, 0)).exists()


def test_year_list_is_in_order_without_gaps(supervisor):
    calendar.confirm_year(year=2020, acting_user=supervisor.user)
    response = login(supervisor).get("/calendar/")
    years = [r["year"] for r in response.context["rows"]]
    assert years == sorted(years, reverse=True)
    assert 2020 in years and response.context["today"].year in years


def test_a_refused_day_keeps_what_was_typed(supervisor):
    response = login(supervisor).post("/calendar/2027/days/", {"date": "2028-02-06", "kind": "holiday",
                                                               "name": "春节假期"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert 'value="春节假期"' in response.content.decode()
    assert not CalendarDay.objects.filter(name="春节假期").exists()
