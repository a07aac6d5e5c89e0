"""Reminders: what is due soon or overdue, per community, for the dashboard (REMIND rules).

Each app has a ``reminders.py`` module with ``register``-ed collector functions. A collector gets the
communities and a day and returns ``Reminder``s; it should read with a fixed number of queries whatever
the number of communities (the dashboard of a street office asks for all of them at once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

DUE, OVERDUE, NOTICE = "due", "overdue", "notice"


@dataclass(frozen=True)
class Reminder:
    community: object | None  # a Community, or None for street-wide matters
    title: str
    rule: str
    due: dt.date | None
    state: str  # DUE | OVERDUE | NOTICE
    url: str = ""
    detail: str = ""
    # who may open ``url``: ``open_to(user, community) -> bool`` (the page's own check); None: everyone on
    # staff who sees the reminder. For the others the reminder is shown without its link.
    open_to: Callable | None = field(default=None, compare=False)

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE


Collector = Callable[[list, dt.date], Iterable[Reminder]]
_collectors: list[Collector] = []


def register(collector: Collector) -> Collector:
    if collector not in _collectors:
        _collectors.append(collector)
    return collector


def autodiscover() -> None:
    autodiscover_modules("reminders")


def collect(communities, day: dt.date, user=None) -> list[Reminder]:
    """Every registered collector's reminders for these communities, overdue first, then by date. With
    ``user`` (the reader), a reminder whose page the reader may not open comes without its link.

    Within one GET request the collection is made once per (communities, day, reader): the page and the nav
    share it (``committee.middleware.per_request``)."""
    from committee.middleware import per_request

    communities = list(communities)
    key = ("reminders.collect", tuple(c.pk for c in communities), day, getattr(user, "pk", None))
    return list(per_request(key, lambda: _collect(communities, day, user)))


# The window of ``assignments``: a year back (FIN-9's departures) to the end of the quarter (GRID-5's units).
ASSIGNMENTS_BACK, ASSIGNMENTS_AHEAD = dt.timedelta(days=366), dt.timedelta(days=92)


def assignments(communities, day: dt.date) -> list:
    """The role assignments of these communities in force on some day from a year before ``day`` to the end of
    its quarter, with their staff: read once per GET request for the collectors that look at who holds which
    role (ORG-3, FIN-9, GRID-5), each filtering this list for its own dates (inside that window)."""
    from django.db.models import Q

    from committee.middleware import per_request
    from committee.models import RoleAssignment

    communities = list(communities)
    return per_request(("reminders.assignments", tuple(c.pk for c in communities), day), lambda: list(
        RoleAssignment.objects.filter(community__in=communities, start__lte=day + ASSIGNMENTS_AHEAD)
        .filter(Q(end__isnull=True) | Q(end__gte=day - ASSIGNMENTS_BACK)).select_related("staff", "community")))


def _collect(communities, day, user) -> list[Reminder]:
    items: list[Reminder] = []
    for collector in _collectors:
        items.extend(collector(communities, day))
    if user is not None:
        items = [replace(r, url="") if r.url and r.open_to and not r.open_to(user, r.community) else r
                 for r in items]
    order = {OVERDUE: 0, DUE: 1, NOTICE: 2}
    return sorted(items, key=lambda r: (order[r.state], r.due or dt.date.max, r.community.name if r.community else ""))


def for_user(user, day: dt.date, communities=None) -> list[Reminder]:
    """What the dashboard shows ``user`` on ``day``: the reminders of ``communities`` (default: every community
    the user may see), links only where the user may open them. The daily digest (committee.digest) reads
    this same list, so the e-mail and the dashboard cannot tell different stories."""
    if communities is None:
        from committee import scoping

        communities = scoping.communities(user)
    return collect(communities, day, user=user)


def state_for(due: dt.date, day: dt.date, warn_days: int = 7) -> str | None:
    """OVERDUE after the due date, DUE within ``warn_days`` before it, else None (nothing to show)."""
    if day > due:
        return OVERDUE
    if (due - day).days <= warn_days:
        return DUE
    return None


# --- the core's own reminders ----------------------------------------------------------------------


@register
def calendar_year_unconfirmed(communities, day):
    """From November on, next year's holiday schedule should be entered and confirmed."""
    from django.urls import reverse

    from committee import calendar

    years = [day.year] + ([day.year + 1] if day.month >= 11 else [])
    for year in years:
        if not calendar.is_confirmed(year):
            due = dt.date(year, 1, 1) if year > day.year else day
            yield Reminder(
                community=None,
                title=_("Holiday schedule for %(year)s not confirmed") % {"year": year},
                rule="CAL",
                due=due,
                state=OVERDUE if year == day.year else DUE,
                url=reverse("calendar_year", args=[year]),
                detail=_("Deadlines in %(year)s count weekends only until the official schedule is confirmed.")
                % {"year": year},
            )


@register
def committee_approver_vacant(communities, day):
    """ORG-3: a community without anybody in the committee-approver role cannot approve anything."""
    from django.urls import reverse

    from committee import policy

    policy.prefetch(communities)
    held = {(ra.community_id, ra.role) for ra in assignments(communities, day)
            if ra.in_force(day)}
    for community in communities:
        role = policy.committee_approver_role(community)
        if (community.pk, role) not in held:
            yield Reminder(
                community=community,
                title=_("Nobody holds the committee-approver role (%(role)s)") % {"role": role.label},
                rule="ORG-3",
                due=day,
                state=OVERDUE,
                url=reverse("role_list"),
            )


@register
def duty_items(communities, day):
    """ORG-6: an incident not yet reported upward is overdue at once; ORG-5: outings not reported back;
    ORG-4: an all-out day coming up."""
    from django.urls import reverse
    from django.utils import timezone

    from committee.models import AllOutNotice, Incident, Outing

    now = timezone.now()
    for incident in Incident.objects.filter(community__in=communities, reported_at__isnull=True).select_related(
        "community"
    ):
        yield Reminder(
            community=incident.community,
            title=_("Incident not yet reported upward: %(what)s") % {"what": incident},
            rule="ORG-6",
            due=timezone.localtime(incident.occurred_at).date(),
            state=OVERDUE,
            url=reverse("incident_list"),
        )
    for outing in Outing.objects.filter(
        community__in=communities, returned_at__isnull=True, back_at__lt=now
    ).select_related("community", "staff"):
        yield Reminder(
            community=outing.community,
            title=_("%(name)s has not reported back: %(purpose)s") % {"name": outing.staff.name,
                                                                      "purpose": outing.purpose},
            rule="ORG-5",
            due=timezone.localtime(outing.back_at).date(),
            state=DUE,
            url=reverse("whereabouts"),
        )
    for notice in AllOutNotice.objects.filter(
        community__in=communities, date__gte=day, date__lte=day + dt.timedelta(days=7)
    ).select_related("community"):
        yield Reminder(
            community=notice.community,
            title=_("Everybody out of the office on %(day)s: notice posted") % {"day": notice.date},
            rule="ORG-4",
            due=notice.date,
            state=NOTICE,
            url=reverse("all_out_notices"),
        )
