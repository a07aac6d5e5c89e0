"""What is due or overdue on public-welfare projects, for both dashboards (the committee's and the street
office's), and the street office's comparison columns. Reminders come BEFORE each deadline (due) and after
it (overdue). A fixed number of queries whatever the number of communities."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from committee import policy, reminders
from welfare import rules, services
from welfare.models import QuarterMoney

TIMELINE_WARN = 10  # days before a step of the October timeline it shows as due
EXECUTION_WARN = 30  # days before June 30 / December 31

STEP_TITLES = {
    "opinions": lambda: _("Collect the residents' opinions on next year's public-welfare plan"),
    "submitted": lambda: _("Send the public-welfare plan with the instructor's approval"),
    "reviewed": lambda: _("Street office's first review of the public-welfare plan"),
    "residents": lambda: _("Residents' meeting approves the public-welfare plan"),
    "approved": lambda: _("Street office approves the public-welfare plan and its budget"),
}
DONE = {
    "opinions": lambda p: p.opinions_on, "submitted": lambda p: p.instructor_approved_on,
    "reviewed": lambda p: p.reviewed_on, "residents": lambda p: p.residents_decision_id,
    "approved": lambda p: p.approved_on,
}


def _plans(communities, day, plans=None) -> list:
    """The plans of last year, this year and next year of these communities: one query, shared by the
    collectors below (``welfare`` reads it once for all of them)."""
    if plans is not None:
        return plans
    return services.plans_around(communities, day.year)


@reminders.register
def welfare(communities, day):
    """Every WEL reminder, reading the plans once: on a day with no plan in sight, one query."""
    communities = list(communities)
    plans = _plans(communities, day)
    for collector in (plan_timeline, execution, budget_allotment, quarter_money, groups):
        yield from collector(communities, day, plans)


def _url(plan):
    return plan.get_absolute_url() if plan else reverse("welfare_home")


def plan_timeline(communities, day, plans=None):
    """WEL-2: from late September to the end of the year, each step of next year's plan not yet done: due in
    the days before its date, overdue after. The dates stand on a weekend (Oct 15, 2028 is a Sunday)."""
    plan_year = day.year + 1
    if day < dt.date(day.year, 9, 20):
        return
    plans = _plans(communities, day, plans)
    mine = {p.community_id: p for p in plans if p.year == plan_year}
    for c in communities:
        plan = mine.get(c.pk)
        for step, due in rules.timeline(plan_year):
            if plan is not None and DONE[step](plan):
                continue
            state = reminders.state_for(due, day, warn_days=TIMELINE_WARN + (10 if step == "opinions" else 0))
            if state is None:
                continue
            yield reminders.Reminder(community=c, title=STEP_TITLES[step](), rule="WEL-2", due=due, state=state,
                                     url=_url(plan))


def execution(communities, day, plans=None):
    """WEL-3 (spending ≥ 45% by June 30, ≥ 90% by December 31; budget ≥ 90% of the allotment), WEL-4 (≥ 70% to
    social-organisation cultivation) and WEL-7 (≥ 90% of projects completed, ≥ 10 activity sessions per
    category), each in the month before its deadline (due) and in the three months after it (overdue). The
    mid-year figure counts what was paid by June 30: a payment on July 1 is too late."""
    checks = []
    mid = rules.mid_year(day.year)
    if mid - dt.timedelta(days=EXECUTION_WARN) <= day <= mid + dt.timedelta(days=92):
        checks.append(("mid", day.year, mid))
    end = rules.year_end(day.year)
    if day >= end - dt.timedelta(days=EXECUTION_WARN):
        checks.append(("end", day.year, end))
    prev_end = rules.year_end(day.year - 1)
    if day <= prev_end + dt.timedelta(days=92):
        checks.append(("end", day.year - 1, prev_end))
    if not checks:
        return
    communities = list(communities)
    years = {y for _k, y, _d in checks}
    if not any(p.year in years and p.approved_on for p in _plans(communities, day, plans)):
        return
    policy.prefetch(communities)
    figures = {year: services.community_figures(communities, year) for year in {y for _k, y, _d in checks}}
    for kind, year, due in checks:
        state = reminders.state_for(due, day, warn_days=EXECUTION_WARN)
        if state is None:
            continue
        for c in communities:
            f = figures[year][c.pk]
            if f["plan"] is None or not f["budget"]:
                continue
            p = policy.get_many(c, "wel.midyear_spend_pct", "wel.yearend_spend_pct", "wel.social_org_pct",
                                "wel.completion_pct", "wel.activities_per_category")
            url = f["plan"].get_absolute_url()
            spent = f["spent_midyear"] if kind == "mid" else f["spent"]
            need = p["wel.midyear_spend_pct"] if kind == "mid" else p["wel.yearend_spend_pct"]
            if not rules.reached(spent, f["budget"], need):
                yield reminders.Reminder(
                    community=c, rule="WEL-3", due=due, state=state, url=url,
                    title=_("Public-welfare spending %(year)s: %(pct)s%% of the budget, at least %(need)s%% by %(day)s")
                    % {"year": year, "pct": rules.pct(spent, f["budget"]), "need": need, "day": due.isoformat()})
            if kind != "end":
                continue
            if f["spent"] and not rules.reached(f["social"], f["spent"], p["wel.social_org_pct"]):
                yield reminders.Reminder(
                    community=c, rule="WEL-4", due=due, state=state, url=url,
                    title=_("Social-organisation cultivation %(year)s: %(pct)s%% of the spending, at least %(need)s%%")
                    % {"year": year, "pct": f["social_spent_pct"], "need": p["wel.social_org_pct"]})
            if not rules.reached(f["completed"], f["projects"], p["wel.completion_pct"]):
                yield reminders.Reminder(
                    community=c, rule="WEL-7", due=due, state=state, url=url,
                    title=_("Public-welfare projects %(year)s: %(done)s of %(n)s completed, at least %(need)s%%")
                    % {"year": year, "done": f["completed"], "n": f["projects"], "need": p["wel.completion_pct"]})
            for cat in f["categories"]:
                if cat["sessions"] < p["wel.activities_per_category"]:
                    yield reminders.Reminder(
                        community=c, rule="WEL-7", due=due, state=state, url=url,
                        title=_("%(category)s %(year)s: %(n)s activity sessions, at least %(need)s")
                        % {"category": cat["category"].name, "year": year, "n": cat["sessions"],
                           "need": p["wel.activities_per_category"]})


def budget_allotment(communities, day, plans=None):
    """WEL-3: the plan's budget reaches 90% of the street's allotment; due before the street's approval date
    (Nov 5), overdue after it while the plan is not approved."""
    plan_year = day.year + 1
    due = rules.due_of(plan_year, "approved")
    state = reminders.state_for(due, day, warn_days=45)
    if state is None or day.month < 9:
        return
    communities = list(communities)
    if not any(p.year == plan_year and p.allotment and not p.approved_on for p in _plans(communities, day, plans)):
        return
    figures = services.community_figures(communities, plan_year)
    for c in communities:
        f = figures[c.pk]
        plan = f["plan"]
        if plan is None or not plan.allotment or plan.approved_on:
            continue
        need = policy.get(c, "wel.budget_min_pct")
        if not rules.reached(f["planned_budget"], plan.allotment, need):
            yield reminders.Reminder(
                community=c, rule="WEL-3", due=due, state=state, url=plan.get_absolute_url(),
                title=_("Public-welfare plan %(year)s: budget %(pct)s%% of the allotment, at least %(need)s%%")
                % {"year": plan_year, "pct": f["budget_pct"], "need": need})


def quarter_money(communities, day, plans=None):
    """WEL-9: the street's plan by the 20th of a quarter's last month, the application by the 25th, the
    completion report by the quarter's end (and overdue in the next quarter while missing)."""
    year, q = rules.quarter_of(day)
    prev = (year, q - 1) if q > 1 else (year - 1, 4)
    communities = list(communities)
    plans = {(p.community_id, p.year) for p in _plans(communities, day, plans)
             if p.year in (year, prev[0]) and p.approved_on}
    if not plans:
        return
    rows = {(r.community_id, r.year, r.quarter): r for r in QuarterMoney.objects.filter(
        community__in=communities, year__in=[year, prev[0]])}
    url = reverse("welfare_quarters")
    titles = {"plan": _("Street office's money plan for %(year)s Q%(q)s"),
              "application": _("Community's application for %(year)s Q%(q)s public-welfare money"),
              "report": _("Completion report of %(year)s Q%(q)s public-welfare projects")}
    fields = {"plan": "planned_on", "application": "applied_on", "report": "reported_on"}
    for c in communities:
        for y, qq in ((year, q), prev):
            if (c.pk, y) not in plans:
                continue
            row = rows.get((c.pk, y, qq))
            for step, due in rules.quarter_deadlines(y, qq).items():
                if row is not None and getattr(row, fields[step]):
                    continue
                state = reminders.state_for(due, day, warn_days=10)
                if state is None or ((y, qq) == prev and step != "report"):
                    continue
                yield reminders.Reminder(community=c, rule="WEL-9", due=due, state=state,
                                         url=f"{url}?year={y}#q{qq}", title=titles[step] % {"year": y, "q": qq})


def groups(communities, day, plans=None):
    """WEL-10: a community with a plan of this year needs both groups, each composed as the rule says; their
    quarterly meetings are reminded by the meetings app (MTG-11, cadence 3 months)."""
    from meetings.models import Body, BodyMember

    communities = list(communities)
    with_plan = {p.community_id for p in _plans(communities, day, plans) if p.year == day.year}
    if not with_plan:
        return
    bodies = list(Body.objects.filter(community__in=communities, kind__in=services.GROUP_KINDS, active=True))
    members = {}
    for m in BodyMember.objects.on(day).filter(body__in=bodies).select_related("staff"):
        members.setdefault(m.body_id, []).append(m)
    from committee.models import Role, RoleAssignment

    directors = set(RoleAssignment.objects.on(day).filter(community__in=communities, role=Role.DIRECTOR)
                    .values_list("community_id", "staff_id"))
    url = reverse("welfare_groups")
    from meetings import kinds

    for c in communities:
        if c.pk not in with_plan:
            continue
        mine = {b.kind: b for b in bodies if b.community_id == c.pk}
        for kind in services.GROUP_KINDS:
            body = mine.get(kind)
            if body is None:
                yield reminders.Reminder(community=c, rule="WEL-10", due=None, state=reminders.OVERDUE, url=url,
                                         title=_("Set up the %(group)s") % {"group": kinds.label(kind)})
                continue
            ms = members.get(body.pk, [])
            bad = len(ms) != 7 or (kind == services.SUPERVISION_GROUP
                                   and not any((c.pk, m.staff_id) in directors for m in ms))
            if bad:
                yield reminders.Reminder(community=c, rule="WEL-10", due=None, state=reminders.OVERDUE,
                                         url=body.get_absolute_url(),
                                         title=_("%(group)s: its composition is not as the rule says")
                                         % {"group": body.name})


# --- street office's comparison (committee.indicators) --------------------------------------------


def spent_indicator(communities, day):
    figures = services.community_figures(communities, day.year)
    return {cid: (f"{f['spent_pct']}%" if f["spent_pct"] is not None else "—") for cid, f in figures.items()}


def completed_indicator(communities, day):
    figures = services.community_figures(communities, day.year)
    return {cid: (f"{f['completed']}/{f['projects']}" if f["projects"] else "—") for cid, f in figures.items()}
