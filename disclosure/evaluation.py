"""The disclosure chapter's item of the POST-6 annual evaluation (``posts.evaluation``, item
``disclosure.on_time``).

DIS-2: of the posting periods of the year — quarters for the quarterly categories, half years for the
half-yearly ones (lengths from policy ``dis.quarter_months`` / ``dis.half_year_months`` through
``services.cadence_months``) — the share in which the category had a notice posted within the period. Each
period is judged by ``rules.cadence_state`` exactly as the cadence page (/disclosure/cadence/) judges the
current one: "ok" when the latest posting up to that day falls in the period. A period that has ended counts;
the current period (the one holding today) counts only once it is posted in ("open" or "due" is not yet a
miss, as on the cadence page). A year not begun: "—", None; no category with a cadence: "—", 0 (like
``meetings_cadence``); a current year whose first period is still open and unposted: "—", None.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import policy
from committee.scoping import staff_for
from disclosure import rules, services
from disclosure.models import Category
from posts.evaluation import Figure


def _open(request) -> bool:
    # the cadence page is ``scoping.staff_required``: any staff member
    return staff_for(request.user) is not None


def periods(year: int, months: int, today: dt.date):
    """DIS-2: the periods (first day, last day) of ``year`` that have begun by ``today``."""
    day = dt.date(year, 1, 1)
    while day.year == year and day <= today:
        start, end = rules.period_of(day, months)
        yield start, end
        day = end + dt.timedelta(days=1)


def on_time(community, year: int, *, today: dt.date | None = None) -> Figure:
    """DIS-2 → POST-6: periods posted in ÷ periods counted, for every category with a cadence. Three queries
    (policy, categories, the year's notices) whatever the number of categories and notices."""
    today = today or timezone.localdate()
    url = reverse("disclosure_cadence")
    if today < dt.date(year, 1, 1):
        return Figure("—", None, _("The year has not begun."), url, open_to=_open)
    last_day = min(dt.date(year, 12, 31), today)
    policy.prefetch([community])
    cats = [(cat, services.cadence_months(cat, community)) for cat in Category.objects.all()]
    cats = [(cat, months) for cat, months in cats if months]
    if not cats:
        return Figure("—", Decimal(0), _("No category of the disclosure board has a posting cadence."), url,
                      open_to=_open)
    posted = services.posting_days(community, dt.date(year, 1, 1), last_day)
    ok = counted = 0
    for cat, months in cats:
        days = posted.get(cat.key, [])
        for _start, end in periods(year, months, last_day):
            day = min(end, last_day)
            latest = max((d for d in days if d <= day), default=None)
            state, _due = rules.cadence_state(latest, day, months)  # DIS-2, as on the cadence page
            if state == "ok":
                ok += 1
                counted += 1
            elif end < today:
                counted += 1  # the period ended without a posting
    if not counted:
        return Figure("—", None, _("No posting period of the year has ended yet."), url, open_to=_open)
    return Figure(_("%(ok)s of %(n)s periods posted") % {"ok": ok, "n": counted}, Decimal(ok) / Decimal(counted),
                  _("Quarters and half years of the year (up to today) in which each category with a cadence had "
                    "a notice posted; the current period counts once it is posted in."), url, open_to=_open)
