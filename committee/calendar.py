"""The working-day calendar: official PRC holidays and make-up working days (调休).

The official schedule comes from the maintained ``chinese_calendar`` library and is copied into the
database as one table per year (``CalendarYear`` + ``CalendarDay``), so the street office can see it,
confirm it, and enter a year the library does not know yet (the State Council publishes the next year's
schedule in November or December). A year with no confirmed table is computed as Monday–Friday, and every
deadline that falls in such a year carries a warning instead of a silent guess.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import chinese_calendar
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from committee.models import CalendarDay, CalendarYear

# Per-process cache of the year tables, with a short life so that an edit made through another process
# (another app server) is seen within a minute; edits through this process clear it at once.
_CACHE_SECONDS = 60
_cache: dict[int, tuple[float, tuple[bool, dict[dt.date, str]]]] = {}
_names: dict[int, tuple[float, dict[dt.date, str]]] = {}  # the holidays' names, for ``holidays``


def clear_cache() -> None:
    _cache.clear()
    _names.clear()


def library_knows(year: int) -> bool:
    """Whether the holiday library carries the official schedule of a year (it covers 2004 up to the
    latest year the State Council has published when the library was released)."""
    known = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return year in known


def library_days(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) of every holiday on a weekday and every make-up working day of a year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = []
    for day in chinese_calendar.get_dates(start, end):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if on_holiday and not weekend:
            out.append((day, CalendarDay.Kind.HOLIDAY, name or ""))
        elif not on_holiday and weekend:
            out.append((day, CalendarDay.Kind.WORKDAY, name or ""))
        elif on_holiday and weekend and name:
            # A named holiday on a weekend (e.g. National Day on a Saturday): kept so the table shows it.
            out.append((day, CalendarDay.Kind.HOLIDAY, name))
    return out


@transaction.atomic
def load_from_library(year: int, *, acting_user=None) -> CalendarYear:
    """Copy the official schedule of a year into the table, marked confirmed. Refused if unknown."""
    if not library_knows(year):
        raise ValueError(_("The holiday library has no official schedule for %(year)s yet.") % {"year": year})
    cal, _created = CalendarYear.objects.select_for_update(of=("self",)).get_or_create(
        year=year, defaults={"source": CalendarYear.Source.LIBRARY}
    )
    existing = {d.date: d for d in cal.days.all()}
    for day, kind, name in library_days(year):
        row = existing.pop(day, None)
        if row is None:
            row = CalendarDay(calendar_year=cal, date=day)
        if row.pk is None or row.kind != kind or row.name != name:
            row.kind, row.name = kind, name
            row._history_user = acting_user
            row.save()
    cal.source = CalendarYear.Source.LIBRARY
    cal.confirmed = True
    cal.confirmed_by = acting_user
    cal.confirmed_at = timezone.now()
    cal._history_user = acting_user
    cal.save()
    transaction.on_commit(clear_cache)
    clear_cache()
    return cal


def ensure_year(year: int) -> tuple[bool, dict[dt.date, str]]:
    """(confirmed, exceptions) for a year, loading the official schedule on first use when known."""
    hit = _cache.get(year)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    cal = CalendarYear.objects.filter(year=year).first()
    if cal is None and library_knows(year):
        cal = load_from_library(year)
    if cal is None:
        result = (False, {})
    else:
        rows = list(cal.days.values_list("date", "kind", "name"))
        result = (cal.confirmed, {d: kind for d, kind, _name in rows})
        _names[year] = (time.monotonic(), {d: name for d, kind, name in rows if kind == CalendarDay.Kind.HOLIDAY})
    _cache[year] = (time.monotonic(), result)
    return result


def holidays(year: int) -> dict[dt.date, str]:
    """{date: name} of the year's holidays in the table (the holiday library's names, e.g. "Spring
    Festival"), kept per process like ``ensure_year``'s tables (filled by it, or by one query here): no query
    while warm. Reads only: a year not in the table is not loaded from the library here."""
    hit = _names.get(year)
    if hit and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    names = dict(CalendarDay.objects.filter(calendar_year__year=year, kind=CalendarDay.Kind.HOLIDAY)
                 .values_list("date", "name"))
    _names[year] = (time.monotonic(), names)
    return names


def is_confirmed(year: int) -> bool:
    return ensure_year(year)[0]


def is_working_day(day: dt.date) -> bool:
    """A working day: Monday–Friday unless a holiday, or a make-up working day (调休) on a weekend."""
    _confirmed, exceptions = ensure_year(day.year)
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (n = 0: ``day`` itself or the next working day)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return next_working_day(day)
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days from start to end, both included."""
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Deadline:
    """A computed date and whether it rests on a confirmed holiday table."""

    date: dt.date
    confirmed: bool

    @property
    def warning(self) -> str:
        if self.confirmed:
            return ""
        return _(
            "The holiday schedule for %(year)s is not confirmed yet: this date counts weekends only and may "
            "move. The street office can enter the official schedule on the calendar page."
        ) % {"year": self.date.year}


def deadline(start: dt.date, working_days: int) -> Deadline:
    """``add_working_days`` with the confirmation state of every year it crossed."""
    due = add_working_days(start, working_days)
    confirmed = all(is_confirmed(y) for y in range(start.year, due.year + 1))
    return Deadline(due, confirmed)


def unconfirmed_warning(day: dt.date) -> str:
    return "" if is_confirmed(day.year) else Deadline(day, False).warning


@transaction.atomic
def set_manual_day(*, year: int, day: dt.date, kind: str, name: str, acting_user) -> CalendarDay:
    """Enter one holiday or make-up working day of a year the library does not know (street office)."""
    cal, _created = CalendarYear.objects.get_or_create(
        year=year, defaults={"source": CalendarYear.Source.MANUAL}
    )
    row = CalendarDay.objects.filter(date=day).first() or CalendarDay(calendar_year=cal, date=day)
    row.kind, row.name = kind, name
    row.full_clean()
    row._history_user = acting_user
    row.save()
    if cal.confirmed:
        # A change after confirmation needs a new confirmation: somebody looks at the whole year again.
        cal.confirmed = False
        cal._history_user = acting_user
        cal.save()
    clear_cache()
    transaction.on_commit(clear_cache)
    return row


@transaction.atomic
def confirm_year(*, year: int, acting_user) -> CalendarYear:
    cal, _created = CalendarYear.objects.select_for_update(of=("self",)).get_or_create(
        year=year, defaults={"source": CalendarYear.Source.MANUAL}
    )
    cal.confirmed = True
    cal.confirmed_by = acting_user
    cal.confirmed_at = timezone.now()
    cal._history_user = acting_user
    cal.save()
    clear_cache()
    transaction.on_commit(clear_cache)
    return cal


# --- display: holiday names in the reader's language, month grids, events of other apps ----------------

# The holiday library stores English names (``chinese_calendar.Holiday`` values); a manually entered day
# carries what the street office typed (usually Chinese). Names the library knows are translated at
# display time; anything else is shown as typed.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("70th anniversary of the victory of the War of Resistance"),
}


def holiday_name(name: str) -> str:
    """The holiday's name in the reader's language (library names translated, typed names as typed)."""
    return str(HOLIDAY_NAMES[name]) if name in HOLIDAY_NAMES else name


@dataclass(frozen=True)
class Event:
    """Something shown on a day of a calendar grid (a regular meeting, a deadline)."""

    date: dt.date
    title: str
    url: str = ""
    kind: str = ""  # css hint: "meeting", "deadline", "held", "cancelled"
    time: dt.time | None = None


_event_providers: list = []


def register_events(provider) -> None:
    """Apps add what the working-day calendar shows: ``provider(user, start, end)`` returns ``Event``s
    between start and end (both included); a fixed number of queries whatever the range."""
    if provider not in _event_providers:
        _event_providers.append(provider)


def events_for(user, start: dt.date, end: dt.date) -> list[Event]:
    out: list[Event] = []
    for provider in _event_providers:
        out.extend(e for e in provider(user, start, end) if start <= e.date <= end)
    return sorted(out, key=lambda e: (e.date, e.time or dt.time.min, e.title))


def year_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """{date: (kind, display name)} of a year's table (one query; loads the library's year on first use)."""
    cal = CalendarYear.objects.filter(year=year).first()
    if cal is None and library_knows(year):
        cal = load_from_library(year)
    if cal is None:
        return {}
    return {d: (kind, holiday_name(name)) for d, kind, name in cal.days.values_list("date", "kind", "name")}


def month_weeks(year: int, month: int, *, days: dict | None = None, events=(), today: dt.date | None = None):
    """The month as weeks (Monday first) of cells: ``{"date", "in_month", "today", "kind", "name",
    "weekend", "working", "events"}``. ``kind`` is "holiday", "workday" (调休 on a weekend) or "".
    Days outside the month are blank cells (``date`` None) so the grid keeps 7 columns."""
    import calendar as pycal

    days = year_days(year) if days is None else days
    today = today or timezone.localdate()
    by_day: dict[dt.date, list] = {}
    for e in events:
        by_day.setdefault(e.date, []).append(e)
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append({"date": None})
                continue
            kind, name = days.get(day, ("", ""))
            weekend = day.weekday() >= 5
            working = kind == CalendarDay.Kind.WORKDAY or (not weekend and kind != CalendarDay.Kind.HOLIDAY)
            row.append({"date": day, "today": day == today, "kind": kind, "name": name, "weekend": weekend,
                        "working": working, "events": by_day.get(day, [])})
        weeks.append(row)
    return weeks


WEEKDAYS_SHORT = (
    pgettext_lazy("weekday, one character", "Mon"), pgettext_lazy("weekday, one character", "Tue"),
    pgettext_lazy("weekday, one character", "Wed"), pgettext_lazy("weekday, one character", "Thu"),
    pgettext_lazy("weekday, one character", "Fri"), pgettext_lazy("weekday, one character", "Sat"),
    pgettext_lazy("weekday, one character", "Sun"),
)


def weekday_names() -> list[str]:
    """Short weekday headers, Monday first, in the reader's language (一 … 日 in Chinese)."""
    return [str(w) for w in WEEKDAYS_SHORT]
