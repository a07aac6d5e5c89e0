"""Query parameters of pages (``?day=``, ``?year=``, ``?month=``): parsed once, never a 500 (CTL-8).

A value that is not a date/year, or lies outside 1900 … next year, shows a message and the page falls
back to the default (today, this year), so ``?day=0001-01-01``, ``?day=9999-12-31``, ``?year=99999`` or
``?year=-1`` answer the normal page with a clear message."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.inputs import EARLIEST, latest_date


def _refuse(request, raw, first, last):
    messages.error(request, _("“%(value)s” is not a date or year between %(first)s and %(last)s (CTL-8); "
                              "showing the default.") % {"value": raw[:40], "first": first, "last": last})


def day_param(request, name: str = "day", default: dt.date | None = None, *, first: dt.date = EARLIEST,
              last: dt.date | None = None) -> dt.date:
    """The date in ``request.GET[name]`` (YYYY-MM-DD), or ``default`` (today) when missing or refused."""
    default = default or timezone.localdate()
    last = last or latest_date()
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not first <= day <= last:
        _refuse(request, raw, first.isoformat(), last.isoformat())
        return default
    return day


def year_param(request, name: str = "year", default: int | None = None, *, first: int = EARLIEST.year,
               last: int | None = None) -> int:
    """The year in ``request.GET[name]``, or ``default`` (this year) when missing or refused."""
    default = default or timezone.localdate().year
    last = last or latest_date().year
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not first <= year <= last:
        _refuse(request, raw, first, last)
        return default
    return year


def month_param(request, name: str = "month", default: tuple[int, int] | None = None) -> tuple[int, int]:
    """``?month=YYYY-MM`` as (year, month), or ``default`` (this month) when missing or refused."""
    today = timezone.localdate()
    default = default or (today.year, today.month)
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        year, month = (int(x) for x in raw.split("-"))
        day = dt.date(year, month, 1)
    except (ValueError, TypeError):
        day = None
    if day is None or not EARLIEST <= day <= latest_date():
        _refuse(request, raw, EARLIEST.isoformat()[:7], latest_date().isoformat()[:7])
        return default
    return year, month
