"""WEL-11: the quarterly public notice of each project's execution and spending, composed for the disclosure
chapter (``disclosure.composers``, key ``welfare.quarter``) and posted at least 10 working days
(policy ``wel.posting_days``). Residents' awareness (the latest survey) is printed beside each project."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import policy
from welfare import rules
from welfare.models import ZERO, Activity, Plan, Project, Spending, Survey


def _label(year: int, quarter: int) -> str:
    return _("%(year)s, quarter %(q)s") % {"year": year, "q": quarter}


def subjects(community, day):
    """The ended quarters of this and last year for which the community has a plan."""
    from disclosure.composers import Subject

    years = set(Plan.objects.filter(community=community, year__in=[day.year, day.year - 1])
                .values_list("year", flat=True))
    return [Subject(f"{y}-Q{q}", _label(y, q)) for y, q in rules.ended_quarters(day) if y in years]


def _parse(key: str) -> tuple[int, int]:
    try:
        year, q = key.split("-Q")
        year, q = int(year), int(q)
    except (ValueError, AttributeError):
        raise ValidationError({"subject": _("Choose an ended quarter (WEL-11).")}) from None
    if q not in (1, 2, 3, 4) or not 1900 <= year <= 9999:
        raise ValidationError({"subject": _("Choose an ended quarter (WEL-11).")})
    return year, q


def compose(community, subject_key, acting_user=None):
    """The notice of one ended quarter: per project its category, budget, spending in the quarter and since
    January, execution and activities, and the residents' awareness. A fixed number of queries."""
    from disclosure.composers import Composed, Table

    year, quarter = _parse(subject_key)
    start, end = rules.quarter_bounds(year, quarter)
    if end >= timezone.localdate():
        raise ValidationError({"subject": _("The quarter has not ended yet: it is posted after its end (WEL-11).")})
    plan = Plan.objects.filter(community=community, year=year).first()
    if plan is None:
        raise ValidationError({"subject": _("The community has no public-welfare plan for %(year)s (WEL-11).")
                               % {"year": year}})
    projects = list(Project.objects.filter(plan=plan).exclude(state__in=[Project.State.CANCELLED,
                                                                          Project.State.PLANNED])
                    .select_related("category").order_by("category__order", "pk"))
    ids = [p.pk for p in projects]
    paid = Spending.objects.filter(project_id__in=ids, expense__state="paid")
    money = {r["project_id"]: r for r in paid.values("project_id").annotate(
        q=Sum("expense__amount", filter=Q(expense__paid_on__range=(start, end))),
        ytd=Sum("expense__amount", filter=Q(expense__paid_on__range=(start.replace(month=1), end))))}
    acts = {r["project_id"]: r["n"] for r in Activity.objects.filter(project_id__in=ids, date__range=(start, end))
            .values("project_id").annotate(n=Sum("sessions"))}
    surveys = {}
    for s in Survey.objects.filter(project_id__in=ids, surveyed_on__lte=end).order_by("project_id", "-surveyed_on"):
        surveys.setdefault(s.project_id, s)
    target = policy.get(community, "wel.awareness_pct")
    rows, figures = [], []
    tq = tytd = tb = ZERO
    for p in projects:
        m = money.get(p.pk) or {}
        q, ytd = m.get("q") or ZERO, m.get("ytd") or ZERO
        pct = rules.pct(ytd, p.budget)
        survey = surveys.get(p.pk)
        rows.append([str(p.category), p.name, rules.yuan(p.budget), rules.yuan(q), rules.yuan(ytd),
                     f"{pct}%" if pct is not None else "—", str(acts.get(p.pk, 0)),
                     f"{survey.share}%" if survey else "—"])
        figures.append({"project": p.name, "category": str(p.category), "budget": str(p.budget), "quarter": str(q),
                        "to_date": str(ytd), "activities": acts.get(p.pk, 0),
                        "awareness": str(survey.share) if survey else None})
        tq, tytd, tb = tq + q, tytd + ytd, tb + p.budget
    total_pct = rules.pct(tytd, tb)
    table = Table(
        columns=[_("Category"), _("Project"), _("Budget (yuan)"), _("Spent this quarter (yuan)"),
                 _("Spent since January (yuan)"), _("Execution"), _("Activity sessions"), _("Residents aware")],
        rows=rows, caption=_("Execution and spending of each project"),
        totals=[_("Total"), "", rules.yuan(tb), rules.yuan(tq), rules.yuan(tytd),
                f"{total_pct}%" if total_pct is not None else "—", "", ""], numeric=[2, 3, 4, 5, 6, 7])
    return Composed(
        title=_("%(community)s public-welfare projects: notice of %(period)s") % {
            "community": community.name, "period": _label(year, quarter)},
        paragraphs=[_("The execution and spending of the community's public-welfare projects from %(start)s to "
                      "%(end)s are made public below. Residents are welcome to give their opinions to the "
                      "residents' committee or the project supervision group.")
                    % {"start": start.isoformat(), "end": end.isoformat()},
                    _("The residents' awareness of each project is measured by survey; the target is %(target)s%%.")
                    % {"target": target}],
        tables=[table], closing=[_("Hereby announced.")],
        figures={"year": year, "quarter": quarter, "projects": figures, "budget": str(tb), "quarter_spent": str(tq),
                 "to_date": str(tytd)},
        min_working_days=policy.get(community, "wel.posting_days"), period_start=start, period_end=end, source=plan)
