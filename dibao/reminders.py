"""Dashboard reminders of the dibao chapter: households not yet reviewed this quarter (DB-3), households
without a home visit this quarter (DB-4, due then overdue) and a panel that breaks its composition rule
(DB-1). Counts only (no names on the dashboard); a fixed number of queries for any number of
communities. DB-2 (monthly panel meetings) is covered by the meetings app's MTG-11 cadence reminders for
the registered body kind."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext as _

from committee import reminders
from dibao import rules, services


def _open_to(user, community) -> bool:
    return services.may_see_list(user)


@reminders.register
def dibao_quarter(communities, day):
    communities = list(communities)
    if not communities:
        return
    by_id = {c.pk: c for c in communities}
    quarter = rules.quarter_of(day)
    _start, end = rules.quarter_bounds(quarter)
    unreviewed, due, overdue = Counter(), Counter(), Counter()
    for case, reviewed, visit_state in services.worklist_states(list(by_id), quarter, day):
        cid = case.community_id
        if not reviewed and case.status in case.REVIEWED:
            unreviewed[cid] += 1
        if visit_state == "due":
            due[cid] += 1
        elif visit_state == "overdue":
            overdue[cid] += 1
    url = reverse("dibao_worklist")
    for cid, n in unreviewed.items():
        yield reminders.Reminder(
            community=by_id[cid], title=_("Dibao: %(n)s households not yet reviewed this quarter") % {"n": n},
            rule="DB-3", due=end, state=reminders.state_for(end, day, warn_days=31) or reminders.DUE, url=url,
            open_to=_open_to)
    for cid, n in overdue.items():
        yield reminders.Reminder(
            community=by_id[cid], title=_("Dibao: %(n)s households had no home visit last quarter") % {"n": n},
            rule="DB-4", due=end, state=reminders.OVERDUE, url=url, open_to=_open_to)
    for cid, n in due.items():
        yield reminders.Reminder(
            community=by_id[cid], title=_("Dibao: %(n)s households to visit this quarter") % {"n": n},
            rule="DB-4", due=end, state=reminders.DUE, url=url, open_to=_open_to)
