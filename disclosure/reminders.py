"""Dashboard reminders and inbox tasks of the disclosure chapter.

DIS-2: a category posted every quarter / half year and not posted in the current period is *due* in the last
15 days of the period and *overdue* once a period has ended without a posting (until one is posted). A notice
whose posting period ends within three days is a *notice* (print the next one, take the paper down). A fixed
number of queries for any number of communities."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from committee import inbox, reminders
from committee.scoping import staff_for


def _open(user, community):
    staff = staff_for(user)
    return staff is not None


@reminders.register
def disclosure_due(communities, day):
    """DIS-2 cadence and DIS-3 postings ending soon, in two queries (categories, the notices of the last 13
    months) for any number of communities."""
    from committee import policy
    from disclosure import rules, services
    from disclosure.models import Category, Notice

    communities = list(communities)
    if not communities:
        return []
    cats = list(Category.objects.exclude(cadence=Category.Cadence.AS_NEEDED))
    policy.prefetch(communities)
    rows = (Notice.objects.filter(community__in=communities, status__in=[Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN],
                                  posted_from__gte=day - dt.timedelta(days=400))
            .values("pk", "community_id", "category", "posted_from", "posted_until", "status", "title"))
    last: dict = {}
    ending = []
    for r in rows:
        key = (r["community_id"], r["category"])
        if r["posted_from"] <= day and (key not in last or r["posted_from"] > last[key]):
            last[key] = r["posted_from"]
        if r["status"] == Notice.Status.ISSUED and r["posted_from"] <= day <= r["posted_until"] <= day + dt.timedelta(days=3):
            ending.append(r)
    by_id = {c.pk: c for c in communities}
    out = []
    for c in communities:
        for cat in cats:
            months = services.cadence_months(cat, c)
            if not months:
                continue
            posted = last.get((c.pk, cat.key))
            state, due = rules.cadence_state(posted, day, months)
            if state not in ("due", "overdue"):
                continue
            title = (_("Disclosure: %(category)s not posted this period") if state == "due"
                     else _("Disclosure: %(category)s not posted in its period")) % {"category": cat.label}
            out.append(reminders.Reminder(
                community=c, title=title, rule="DIS-2", due=due,
                state=reminders.OVERDUE if state == "overdue" else reminders.DUE,
                url=reverse("disclosure_cadence"), open_to=_open,
                detail=(_("last posted %(day)s") % {"day": posted.isoformat()}) if posted else _("never posted")))
    for r in ending:
        out.append(reminders.Reminder(
            community=by_id[r["community_id"]], title=_("Notice “%(title)s” leaves the board") % {"title": r["title"][:60]},
            rule="DIS-3", due=r["posted_until"], state=reminders.NOTICE,
            url=reverse("disclosure_notice", args=[r["pk"]]), open_to=_open))
    return out


def issue_tasks(user):
    """The approved notices of the user's own community wait to be issued (printed and posted)."""
    from disclosure.models import Notice

    staff = staff_for(user)
    if staff is None or staff.community_id is None:
        return []
    return [inbox.Source(Notice.objects.filter(community_id=staff.community_id, status=Notice.Status.APPROVED)
                         .select_related("community").order_by("pk"), _issue_task)]


def _issue_task(n) -> inbox.Task:
    return inbox.Task(kind=_("Notice"), title=n.title, url=n.get_absolute_url(), action=_("Issue and print"),
                      community=n.community, details=[(_("Category"), str(n.category_label))])
