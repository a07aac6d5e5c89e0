"""Dates of acts (CTL-6): when something was sent, paid, notified, signed, stamped or returned.

The date of an act is the server's date when it is recorded. A user may record an act that happened
earlier, but only as a late entry (补记) with a reason; the record keeps both the act's date and the fact
that it was entered late, and every screen and print that shows the date marks it as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ActDate:
    """The date an act is recorded with; ``late`` when it was entered after the fact (补记)."""

    day: dt.date
    late: bool
    reason: str = ""


def act_date(entered: dt.date | None, *, reason: str = "", field: str = "date", today: dt.date | None = None
             ) -> ActDate:
    """The date of an act being recorded now (CTL-6).

    No date, or today's: today, not late. An earlier date: a late entry, refused without a reason. A later
    date: refused (an act cannot be recorded before it happens). Raises ValidationError keyed by ``field``.
    """
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if entered is None or entered == today:
        return ActDate(today, False)
    if entered > today:
        raise ValidationError(
            {field: _("The date of an act cannot be later than today; it is recorded when it happens (CTL-6).")}
        )
    if not reason:
        raise ValidationError(
            {field: _("A date before today makes this a late entry (补记): please give the reason (CTL-6).")}
        )
    return ActDate(entered, True, reason[:300])
