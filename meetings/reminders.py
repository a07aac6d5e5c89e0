"""MTG-11 (and MTG-6, MTG-7, MTG-10): bodies with a cadence are overdue when a calendar period (quarter,
half-year …) passes without a convened meeting (quorum reached, minutes approved); the cadres' weekly study is
due on its weekday. A fixed number of queries for any number of communities: the bodies with their last held
meeting (1, ``bodies``), the policy of all communities (1), and this week's studies from the per-community
counts (``committee.counts``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee import counts, policy, reminders
from meetings import kinds, rules
from meetings.models import Body, BodyKind, Meeting, convened_q

HELD = (Meeting.Status.HELD, Meeting.Status.SUBMITTED, Meeting.Status.CLOSED)


def cadence_of(body: Body, community) -> int | None:
    """MTG-11: months between meetings: the body's own value, else its kind's policy key or fixed cadence."""
    if body.cadence_months:
        return body.cadence_months
    kind = kinds.get(body.kind)
    if kind.cadence_key:
        return policy.get(community, kind.cadence_key)
    return kind.cadence_months


def body_status(communities, day: dt.date):
    """[(body, cadence months, last held date, due date, state)] for every active body with a cadence, from
    the bodies read once per GET request (``bodies``: the reminders, the street comparison column)."""
    out = []
    for body in bodies(communities, day):
        if not body.active:
            continue
        months = cadence_of(body, body.community)
        if not months:
            continue
        since = body.founded or day
        due = rules.next_due(body.last_held, since, months)  # MTG-11, calendar periods (MTG-6, MTG-7)
        out.append((body, months, body.last_held, due, reminders.state_for(due, day)))
    return out


def bodies(communities, day: dt.date) -> list[Body]:
    """Every body of these communities (active or not), each with its last convened meeting up to ``day`` and
    its founding: one query, made once per GET request for the same communities and day (MTG-11's cadence,
    the weekly study's committee, GRID-4's grid-work body)."""
    from committee.middleware import per_request

    communities = list(communities)
    return per_request(("meetings.bodies", tuple(c.pk for c in communities), day),
                       lambda: _bodies(communities, day))


def _bodies(communities, day: dt.date) -> list[Body]:
    by_id = {c.pk: c for c in communities}
    policy.prefetch(communities)
    out = list(
        Body.objects.filter(community_id__in=list(by_id))
        .annotate(
            # MTG-6 / MTG-7: only a convened meeting counts (quorum reached, minutes approved)
            last_held=Max("meetings__date", filter=convened_q("meetings__") & Q(meetings__date__lte=day)),
            # MTG-11: a body that never met counts from its founding, its first member's start
            founded=Min("members__start"),
        )
        .order_by("community_id", "name")
    )
    for body in out:
        body.community = by_id[body.community_id]
    return out


@reminders.register
def body_cadence(communities, day):
    for body, months, last, due, state in body_status(communities, day):
        if state is None:
            continue
        yield reminders.Reminder(
            community=body.community,
            title=ngettext("%(body)s: meets at least every %(n)s month", "%(body)s: meets at least every %(n)s months",
                           months) % {"body": body.name, "n": months},
            rule=kinds.get(body.kind).rule or "MTG-11",
            due=due,
            state=state,
            url=reverse("meetings_body", args=[body.pk]),
            detail=(_("Last held on %(date)s.") % {"date": last}) if last else _("Never held."),
        )


@counts.register
def meeting_counts(communities, day):
    """Per community (``committee.counts``): meetings held since 1 January (the street comparison column) and
    the cadres' studies held this week (MTG-10)."""
    week_start = day - dt.timedelta(days=day.weekday())
    held = Meeting.objects.filter(status__in=HELD, date__lte=day)
    return {"meetings.held_year": held.filter(date__year=day.year),
            "meetings.study_week": held.filter(category=Meeting.Category.STUDY, date__gte=week_start)}


@reminders.register
def weekly_study(communities, day):
    """MTG-10: the cadres' study every week on mtg.study_weekday (Monday afternoon)."""
    communities = list(communities)
    policy.prefetch(communities)
    done = counts.get(communities, day, "meetings.study_week")
    committees = {b.community_id: b.pk for b in bodies(communities, day)
                  if b.kind == BodyKind.COMMITTEE and b.active}
    for c in communities:
        if done.get(c.pk) or c.pk not in committees:
            continue
        due = rules.study_due(day, policy.get(c, "mtg.study_weekday"))
        if due > day:
            continue
        yield reminders.Reminder(
            community=c, title=_("Cadres' weekly study not recorded yet"), rule="MTG-10", due=due,
            state=reminders.OVERDUE if due < day else reminders.DUE,
            url=reverse("meetings_quick", args=[committees[c.pk]]) + "?category=study",
        )


@reminders.register
def regular_meeting_coming(communities, day):
    """MTG-2: the next street regular meeting within three days, for each community (who attends by role).
    The schedule is computed (the street office's policy + calendar): no query of its own, the street office's
    values come with ``policy.prefetch``."""
    from meetings.services import street_regular_settings

    communities = list(communities)
    policy.prefetch(communities)  # the street office's values come with it (no query when already read)
    street_values = {}
    for c in communities:
        if street_values.get(c.street_office_id) is None:
            street_values[c.street_office_id] = getattr(c, "_street_policy_cache", None)
    settings_by_street = {sid: street_regular_settings(sid, values) for sid, values in street_values.items()}
    for c in communities:
        days, time = settings_by_street[c.street_office_id]  # MTG-2: the street's schedule, never a community's
        upcoming = []
        for month_start in (day.replace(day=1), rules.add_months(day.replace(day=1), 1)):
            upcoming += [(slot, d) for slot, _n, d in rules.regular_dates(month_start.year, month_start.month, days)
                         if d >= day]
        if not upcoming:
            continue
        slot, date = min(upcoming, key=lambda x: x[1])
        state = reminders.state_for(date, day, warn_days=3)
        if state is None:
            continue
        roles = "、".join(rules.regular_roles_labels(slot))
        yield reminders.Reminder(
            community=c,
            title=_("Street regular meeting on %(date)s at %(time)s") % {"date": date, "time": time.strftime("%H:%M")},
            rule="MTG-2", due=date, state=reminders.DUE,
            url=reverse("meetings_regular") + f"?month={date:%Y-%m}",
            detail=_("Who attends: %(roles)s") % {"roles": roles},
        )


def overdue_bodies(communities, day) -> dict[int, int]:
    """Street comparison column (MTG-11): bodies whose cadence has passed without a convened meeting."""
    out: dict[int, int] = {}
    for body, _months, _last, _due, state in body_status(communities, day):
        if state == reminders.OVERDUE:
            out[body.community_id] = out.get(body.community_id, 0) + 1
    return out


def meetings_this_year(communities, day) -> dict[int, int]:
    """Street comparison column: meetings held since 1 January (briefings and studies included)."""
    return counts.get(communities, day, "meetings.held_year")
