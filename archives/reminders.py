"""The archives on the dashboard: last year's filing by the end of March (ARC-2) and loans not returned
(ARC-5). One query for both, whatever the number of communities (the years recorded as filed and the loans
to show, read together with a UNION)."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, DateField, F, IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from archives import rules
from archives.models import Loan, YearFiled
from committee import policy, reminders

LOAN_WARN_DAYS = 3


def _open_offers(user, community):
    from committee.scoping import community_ids

    return community is not None and community.pk in community_ids(user)


def _rows(communities, day):
    """(kind, community id, item id, due, borrower, volume year, category order, volume seq, item seq)."""
    filed = YearFiled.objects.filter(community__in=communities, year=day.year - 1).order_by().values_list(
        Value("f", output_field=CharField()), "community_id", Value(0, output_field=IntegerField()),
        Value(day, output_field=DateField()), Value("", output_field=CharField()),
        Value(0, output_field=IntegerField()), Value(0, output_field=IntegerField()),
        Value(0, output_field=IntegerField()), Value(0, output_field=IntegerField()))
    loans = Loan.objects.filter(community__in=communities, returned_on__isnull=True,
                                due_on__lte=day + dt.timedelta(days=LOAN_WARN_DAYS)).order_by().values_list(
        Value("l", output_field=CharField()), "community_id", "item_id", "due_on", "borrower_name",
        F("item__volume__year"), F("item__volume__category__order"), F("item__volume__seq"), F("item__seq"))
    return list(filed.union(loans, all=True))


@reminders.register
def archive_reminders(communities, day):
    communities = list(communities)
    if not communities:
        return []
    by_id = {c.pk: c for c in communities}
    rows = _rows(communities, day)
    out = []
    done = {r[1] for r in rows if r[0] == "f"}
    out.extend(_filing(communities, day, done))
    for kind, cid, item_id, due, who, vyear, corder, vseq, iseq in rows:
        if kind != "l":
            continue
        if isinstance(due, str):
            due = dt.date.fromisoformat(due)
        state = reminders.state_for(due, day, warn_days=LOAN_WARN_DAYS)
        if state is None:
            continue
        number = f"{vyear}-{corder:02d}-{vseq:02d}-{iseq:03d}"
        out.append(reminders.Reminder(
            community=by_id[cid], title=_("Archive loan: %(item)s, %(who)s") % {"item": number, "who": who},
            rule="ARC-5", due=due, state=state, url=reverse("archives_item", args=[item_id]),
            detail=_("Overdue: not returned.") if state == reminders.OVERDUE else _("Due back soon.")))
    return out


def _filing(communities, day, done):
    """ARC-2: from January, last year's materials are due by the end of the filing month (policy
    ``arc.filing_month``, March), overdue after it, until the archivist records the year as filed."""
    year = day.year - 1
    policy.prefetch(communities)
    for c in communities:
        if c.pk in done:
            continue
        due = rules.filing_deadline(year, int(policy.get(c, "arc.filing_month")))
        state = reminders.OVERDUE if day > due else reminders.DUE
        yield reminders.Reminder(
            community=c, title=_("File the materials of %(year)s") % {"year": year}, rule="ARC-2", due=due,
            state=state, url=reverse("archives_offers") + f"?year={year}", open_to=_open_offers,
            detail=_("All of last year's materials are filed by %(day)s; the product's own records are offered "
                     "for filing.") % {"day": due.isoformat()} if state == reminders.DUE
            else _("Overdue: last year's filing is not recorded as complete."))


def loans_due(communities, day):
    """ARC-5 alone (tests): loans due in the last three days before the due date, overdue after it."""
    return [r for r in archive_reminders(communities, day) if r.rule == "ARC-5"]


def last_year_filing(communities, day):
    """ARC-2 alone (tests)."""
    return [r for r in archive_reminders(communities, day) if r.rule == "ARC-2"]
