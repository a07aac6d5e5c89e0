"""Pages of the public-welfare chapter (WEL-1 … WEL-11). Thin: parse, call a service, show its error,
redirect (POST-redirect-GET). Every object is looked up through ``committee.scoping``: another community's
record answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import approvals, inputs, policy, reminders, scoping
from committee.feedback import act, form_errors
from committee.scoping import staff_for
from finance.services import may_set_budgets
from welfare import forms, rules, services
from welfare.models import (
    Category,
    Change,
    InvoiceSignature,
    Plan,
    Project,
    QuarterMoney,
    RefusedUse,
    Spending,
)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return min(max(year, inputs.EARLIEST.year), today.year + 1)  # CTL-8


def _own_community(request, community) -> bool:
    staff = staff_for(request.user)
    return staff is not None and staff.community_id == community.pk


def _plan(request, pk) -> Plan:
    return scoping.get_for_user(Plan.objects.select_related("community__street_office", "budget"), request.user, pk=pk)


def _project(request, pk) -> Project:
    return scoping.get_for_user(Project.objects.select_related("plan", "category", "owner", "community", "line"),
                                request.user, pk=pk)


def _community_only(request, community):
    if not _own_community(request, community):
        raise PermissionDenied


@scoping.staff_required
def home(request):
    """Staff: the year's plan of the current community with each project's live figures; the street office
    with no community chosen: every community's execution side by side."""
    year = _year(request)
    community = scoping.current_community(request)
    communities = [community] if community else list(scoping.communities(request.user))
    figures = services.community_figures(communities, year)
    rows = [(c, figures[c.pk]) for c in communities]
    projects = []
    if community and figures[community.pk]["plan"]:
        projects = services.project_rows(
            figures[community.pk]["plan"].projects.select_related("category", "owner"), year=year)
    day = timezone.localdate()
    due = [r for r in reminders.collect(communities, day, user=request.user) if r.rule.startswith("WEL-")][:30]
    return render(request, "welfare/home.html", {
        "year": year, "community": community, "rows": rows, "projects": projects,
        "figures": figures.get(community.pk) if community else None, "reminders": due,
        "may_plan": community is not None and _own_community(request, community),
        "years": [day.year - 1, day.year, day.year + 1], "today": day})


@require_POST
@scoping.staff_required
def plan_new(request):
    """A community's own staff draw up the plan of this year or the next (one per year, WEL-2)."""
    staff = staff_for(request.user)
    if staff.community_id is None:
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    try:
        plan = services.create_plan(community=staff.community, year=year, acting_user=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("welfare_home")
    messages.success(request, _("Plan %(year)s opened: add its projects, then record the residents' opinions.")
                     % {"year": plan.year})
    return redirect(plan)


def _timeline(plan: Plan):
    done = {"opinions": (plan.opinions_on, plan.opinions_by), "submitted": (plan.instructor_approved_on, None),
            "reviewed": (plan.reviewed_on, plan.reviewed_by),
            "residents": (plan.residents_recorded_on, None), "approved": (plan.approved_on, plan.approved_by)}
    labels = {"opinions": _("Residents' opinions collected"), "submitted": _("Submitted with the instructor's approval"),
              "reviewed": _("Street office's first review"), "residents": _("Approved by the residents' meeting"),
              "approved": _("Street office's approval and budget")}
    today = timezone.localdate()
    out = []
    for step, due in rules.timeline(plan.year):
        day, who = done[step]
        late = bool(day and day > due)
        out.append({"step": step, "label": labels[step], "due": due, "done": day, "by": who, "late": late,
                    "overdue": not day and today > due, "weekend": due.weekday() >= 5})
    return out


@scoping.staff_required
def plan_detail(request, pk):
    """Staff of the community and the street office: the October timeline as acts, the instructor's step, the
    projects with their figures and the plan's shares (WEL-1 … WEL-4)."""
    plan = _plan(request, pk)
    community = plan.community
    staff = staff_for(request.user)
    own = _own_community(request, community)
    projects = services.project_rows(plan.projects.select_related("category", "owner"), year=plan.year)
    figures = services.community_figures([community], plan.year)[community.pk]
    p = policy.get_many(community, "wel.budget_min_pct", "wel.social_org_pct")
    day = timezone.localdate()
    is_reviewer = staff.community_id is None and any(approvals.holds_role(staff, r, community, day)
                                                     for r in services.REVIEWERS)
    return render(request, "welfare/plan.html", {
        "plan": plan, "projects": projects, "figures": figures, "timeline": _timeline(plan), "own": own,
        "open": services.plan_open(plan), "steps": approvals.steps_for(plan).order_by("step"),
        "setter": may_set_budgets(staff, community), "reviewer": is_reviewer,
        "decisions": services.residents_decisions(community)[:20] if own else [],
        "budget_min": p["wel.budget_min_pct"], "social_min": p["wel.social_org_pct"],
        "july": rules.july_round(day, plan.year) and plan.approved_on is not None,
        "changes": plan.changes.select_related("source", "target"),
        "budget_ok": rules.reached(figures["planned_budget"], plan.allotment, p["wel.budget_min_pct"])
        if plan.allotment else None,
        "social_ok": rules.reached(figures["social_budget"], figures["planned_budget"], p["wel.social_org_pct"]),
    })


@require_POST
@scoping.staff_required
def plan_act(request, pk, step):
    """The acts of the timeline: opinions, submit, residents (the community's staff); review (street reviewer);
    allotment, approve (street finance or department head). The service decides who may."""
    plan = _plan(request, pk)
    post = request.POST
    actions = {
        "opinions": (lambda: services.record_opinions(plan, note=post.get("note", ""), acting_user=request.user),
                     _("The residents' opinions are recorded; send the plan to the instructor by %(day)s.")),
        "submit": (lambda: services.submit_plan(plan, acting_user=request.user),
                   _("The plan is with the community instructor, who approves it by %(day)s.")),
        "review": (lambda: services.review_plan(plan, note=post.get("note", ""), acting_user=request.user),
                   _("First review recorded; the residents' meeting approves the plan by %(day)s.")),
        "residents": (lambda: services.record_residents_approval(plan, decision=_decision(post.get("decision")),
                                                                 acting_user=request.user),
                      _("The residents' meeting's approval is recorded; the street office approves by %(day)s.")),
        "approve": (lambda: services.approve_plan(plan, acting_user=request.user),
                    _("The plan is approved and its budget set; the projects can spend.")),
        "allotment": (lambda: services.set_allotment(plan, amount=post.get("amount", ""), acting_user=request.user),
                      _("The allotment is recorded.")),
    }
    if step not in actions:
        raise Http404
    fn, text = actions[step]
    nxt = {"opinions": "submitted", "submit": "submitted", "review": "residents", "residents": "approved"}
    day = rules.due_of(plan.year, nxt.get(step, "approved")).isoformat()
    return act(request, plan, fn, text % {"day": day} if "%(day)s" in text else text)


def _decision(raw):
    from meetings.models import Decision

    try:
        return Decision.objects.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


def _form_page(request, form, title, back_obj, submit=None, intro=None):
    return render(request, "welfare/form.html", {"form": form, "title": title, "back_obj": back_obj,
                                                 "submit_label": submit, "intro": intro})


@scoping.staff_required
def project_new(request, pk):
    """The community's own staff add a project while the plan is drawn up, or in the July round (WEL-1, WEL-2)."""
    plan = _plan(request, pk)
    _community_only(request, plan.community)
    form = forms.ProjectForm(request.POST or None, community=plan.community,
                             categories=services.categories(plan.community.street_office))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.add_project(plan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Project “%(name)s” added to the plan.") % {"name": project.name})
            return redirect(plan)
    return _form_page(request, form, _("Add a project to the plan %(year)s") % {"year": plan.year}, plan,
                      intro=_("Each project has a category of the street office's table, a budget, an owner and its "
                              "planned activities (WEL-1)."))


@scoping.staff_required
def project_detail(request, pk):
    """Staff of the community and the street office: a project's budget, spending, activities, invoice
    signatures and residents' awareness."""
    project = _project(request, pk)
    row = services.project_rows([project], year=project.plan.year)[0]
    staff = staff_for(request.user)
    spending = list(project.spending.select_related("expense", "activity").prefetch_related("signatures__signed_by"))
    for s in spending:
        signed = {sig.kind: sig for sig in s.signatures.all()}
        s.sign_rows = [{"kind": k, "label": label, "sig": signed.get(k),
                        "mine": k not in signed and services.may_sign_as(staff, s, k)}
                       for k, label in InvoiceSignature.Kind.choices]
    own = _own_community(request, project.community)
    return render(request, "welfare/project.html", {
        "project": row, "spending": spending, "activities": project.activities.all()[:200],
        "surveys": project.surveys.all()[:20], "own": own,
        "setter": may_set_budgets(staff, project.community),
        "awareness_target": policy.get(project.community, "wel.awareness_pct"),
        "prize_pct": policy.get(project.community, "wel.prize_pct"),
        "prize_max": policy.get(project.community, "wel.prize_max")})


@scoping.staff_required
def spend(request, pk):
    """The community's own staff spend on a running project: an expense of the finance chapter, checked by
    WEL-5 and WEL-6."""
    project = _project(request, pk)
    _community_only(request, project.community)
    form = forms.SpendForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.spend(project, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Expense requested: it goes through the finance approval (FIN-2)."))
            return redirect(s.expense)
    return _form_page(request, form, _("Spend on “%(name)s”") % {"name": project.name}, project,
                      intro=_("Prizes at most %(pct)s%% of the event's cost and of the year's fund, a single prize at "
                              "most %(max)s yuan; staff, office, trips, hospitality and meetings are never paid "
                              "(WEL-5, WEL-6).") % {"pct": policy.get(project.community, "wel.prize_pct"),
                                                     "max": policy.get(project.community, "wel.prize_max")})


@scoping.staff_required
def activity_new(request, pk):
    project = _project(request, pk)
    _community_only(request, project.community)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_activity(project, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Activity recorded."))
            return redirect(project)
    return _form_page(request, form, _("Record an activity of “%(name)s”") % {"name": project.name}, project)


@scoping.staff_required
def survey_new(request, pk):
    project = _project(request, pk)
    _community_only(request, project.community)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_survey(project, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Survey recorded."))
            return redirect(project)
    return _form_page(request, form, _("Residents' awareness of “%(name)s”") % {"name": project.name}, project)


@require_POST
@scoping.staff_required
def project_complete(request, pk):
    project = _project(request, pk)
    return act(request, project, lambda: services.complete_project(project, note=request.POST.get("note", ""),
                                                                   acting_user=request.user),
               _("The project is completed."))


@require_POST
@scoping.staff_required
def project_approve(request, pk):
    project = _project(request, pk)
    return act(request, project, lambda: services.approve_addition(project, acting_user=request.user),
               _("The July-round project is approved and has its budget line."))


@require_POST
@scoping.staff_required
def sign(request, pk):
    spending = scoping.get_for_user(Spending.objects.select_related("project", "community"), request.user, pk=pk)
    return act(request, spending.project, lambda: services.sign_invoices(spending, kind=request.POST.get("kind", ""),
                                                                         acting_user=request.user),
               _("Invoices signed."))


@scoping.staff_required
def change_new(request, pk):
    """The community's own staff ask for a mid-year change (WEL-8)."""
    plan = _plan(request, pk)
    _community_only(request, plan.community)
    form = forms.ChangeForm(request.POST or None, projects=plan.projects.filter(state=Project.State.APPROVED))
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_change(plan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The change waits for the street office's approval (WEL-8)."))
            return redirect(change)
    return _form_page(request, form, _("Mid-year change of the plan %(year)s") % {"year": plan.year}, plan,
                      intro=_("Changes of a year move at most %(pct)s%% of the public-welfare budget, each with the "
                              "street office's approval (WEL-8).")
                      % {"pct": policy.get(plan.community, "wel.change_max_pct")})


@scoping.staff_required
def change_detail(request, pk):
    change = scoping.get_for_user(Change.objects.select_related("plan", "source", "target", "requested_by"),
                                  request.user, pk=pk)
    return render(request, "welfare/change.html", {"change": change,
                                                   "steps": approvals.steps_for(change).order_by("step")})


@scoping.staff_required
def quarters(request):
    """WEL-9: the quarters of a year: the street's plan, the community's application, the completion report."""
    year = _year(request)
    community, chooser = scoping.one_community(request, _("Quarterly money"))
    if chooser:
        return chooser
    rows = {q.quarter: q for q in QuarterMoney.objects.filter(community=community, year=year)}
    staff = staff_for(request.user)
    today = timezone.localdate()
    quarters_ = []
    for q in (1, 2, 3, 4):
        start, end = rules.quarter_bounds(year, q)
        quarters_.append({"q": q, "row": rows.get(q), "deadlines": rules.quarter_deadlines(year, q), "start": start,
                          "end": end, "open": (year, q) <= rules.quarter_of(today)})
    return render(request, "welfare/quarters.html", {
        "year": year, "community": community, "quarters": quarters_, "own": _own_community(request, community),
        "setter": may_set_budgets(staff, community), "years": [today.year - 1, today.year]})


@require_POST
@scoping.staff_required
def quarter_act(request, year, quarter, step):
    community = scoping.community_for_write(request, request.POST.get("community"))
    if community is None or not 1900 <= year <= timezone.localdate().year + 1:
        raise Http404
    post = request.POST
    actions = {
        "plan": lambda: services.record_quarter_plan(community=community, year=year, quarter=quarter,
                                                     amount=post.get("amount", ""), acting_user=request.user),
        "apply": lambda: services.apply_quarter(community=community, year=year, quarter=quarter,
                                                amount=post.get("amount", ""), acting_user=request.user),
        "report": lambda: services.report_quarter(community=community, year=year, quarter=quarter,
                                                  report=post.get("report", ""), acting_user=request.user),
    }
    if step not in actions:
        raise Http404
    return act(request, reverse("welfare_quarters") + f"?year={year}#q{quarter}", actions[step], _("Recorded."))


@scoping.staff_required
def summary(request):
    """WEL-7: half-yearly and yearly activity summaries per category and form."""
    year = _year(request)
    community, chooser = scoping.one_community(request, _("Activity summaries"))
    if chooser:
        return chooser
    return render(request, "welfare/summary.html", {"year": year, "community": community,
                                                    "summaries": services.summaries(community, year),
                                                    "years": [year - 1, year, year + 1]})


@scoping.staff_required
def groups(request):
    """WEL-10: the project management group and the supervision group (bodies of the meetings app) with
    their composition and this year's meetings."""
    from meetings.models import Body, Meeting, convened_q

    community, chooser = scoping.one_community(request, _("Project groups"))
    if chooser:
        return chooser
    day = timezone.localdate()
    bodies = {b.kind: b for b in Body.objects.filter(community=community, kind__in=services.GROUP_KINDS, active=True)}
    rows = []
    from meetings import kinds

    for kind in services.GROUP_KINDS:
        body = bodies.get(kind)
        row = {"kind": kind, "label": kinds.label(kind), "body": body}
        if body:
            row["members"] = list(body.members.on(day).select_related("staff"))
            row["problems"] = services.group_problems(body, day, row["members"])
            met = Meeting.objects.filter(body=body, date__year=day.year).filter(convened_q())
            row["quarters"] = [met.filter(date__month__in=[q * 3 - 2, q * 3 - 1, q * 3]).count() for q in (1, 2, 3, 4)]
        rows.append(row)
    staff = staff_for(request.user)
    return render(request, "welfare/groups.html", {"community": community, "rows": rows,
                                                   "may_create": staff.community_id in (None, community.pk)})


@require_POST
@scoping.staff_required
def group_new(request):
    community = scoping.community_for_write(request, request.POST.get("community"))
    if community is None:
        raise Http404
    return act(request, reverse("welfare_groups"),
               lambda: services.create_group(community=community, kind=request.POST.get("kind", ""),
                                             acting_user=request.user),
               _("The group is set up: add its seven members on its page."))


@scoping.staff_required
def tables(request):
    """WEL-1, WEL-6: the street office's tables of project categories and of refused uses (staff read them;
    the street's department head or community-building office director keeps them)."""
    staff = staff_for(request.user)
    services.ensure_lists(staff.street_office)
    keeper = staff.community_id is None and scoping.has_any_role(request.user, ["department_head",
                                                                                "building_office_director"])
    return render(request, "welfare/tables.html", {
        "categories": Category.objects.filter(street_office=staff.street_office),
        "refused": RefusedUse.objects.filter(street_office=staff.street_office), "keeper": keeper})


@require_POST
@scoping.street_office_required
def table_add(request):
    staff = staff_for(request.user)
    post = request.POST
    if post.get("table") == "refused":
        fn = lambda: services.add_refused_use(street_office=staff.street_office, name=post.get("name", ""),  # noqa: E731
                                              keywords=post.get("keywords", ""), acting_user=request.user)
    else:
        fn = lambda: services.add_category(street_office=staff.street_office, name=post.get("name", ""),  # noqa: E731
                                           social_org=bool(post.get("social_org")), acting_user=request.user)
    return act(request, reverse("welfare_tables"), fn, _("Added to the table."))


@require_POST
@scoping.street_office_required
def table_toggle(request, kind, pk):
    staff = staff_for(request.user)
    model = {"category": Category, "refused": RefusedUse}.get(kind)
    if model is None:
        raise Http404
    entry = model.objects.filter(street_office=staff.street_office, pk=pk).first()
    if entry is None:
        raise Http404
    return act(request, reverse("welfare_tables"), lambda: services.toggle_entry(entry, acting_user=request.user),
               _("The table is changed."))
