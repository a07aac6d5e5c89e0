"""Every state change of the welfare chapter (WEL-1 … WEL-11): locked, checked with ``rules``, saved with
history. Each function takes ``acting_user`` as a required keyword and raises ``ValidationError`` with a
translated message naming the field and the rule; nothing is saved then.

Money goes through the finance chapter: a plan approved by the street office opens the community's
public-welfare budget (``FundType.WELFARE``) with a line per project; spending is an ordinary expense
(``finance.services.request_expense``: FIN-2 routing, cheques, reimbursement) whose welfare checks run inside
the expense service (``expense_check``, registered with ``finance.services.register_expense_check``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import approvals, policy, records
from committee.models import Community, Role, Staff, StreetOffice
from committee.scoping import staff_for
from welfare import rules
from welfare.models import (
    ZERO,
    Activity,
    Category,
    Change,
    InvoiceSignature,
    Plan,
    Project,
    QuarterMoney,
    RefusedUse,
    Spending,
    Survey,
)

# Group kinds registered with meetings.kinds (WEL-10).
MANAGEMENT_GROUP = "welfare_management"
SUPERVISION_GROUP = "welfare_supervision"
GROUP_KINDS = (MANAGEMENT_GROUP, SUPERVISION_GROUP)
# Street staff who review the plan (WEL-2); the street's approval and budget are set by CTL-4's setters.
REVIEWERS = (Role.DEPARTMENT_HEAD, Role.BUILDING_OFFICE_DIRECTOR)
LIVE = ("pending", "approved", "paid")

DEFAULT_CATEGORIES = (  # WEL-1: the rule book's categories; the street office keeps the table
    ("购买服务", False), ("社会组织培育", True), ("文体活动", False), ("教育培训", False),
    ("治安巡防", False), ("文明创建", False),
)
DEFAULT_REFUSED = (  # WEL-6
    ("人员经费", "人员经费,工资,劳务费,加班费"),
    ("办公经费", "办公经费,办公用品,办公费,文具,打印纸,硒鼓"),
    ("工作人员出差", "出差,差旅,车票报销"),
    ("招待费", "招待,宴请,接待餐"),
    ("会议费", "会议费,会务费,会场租用"),
    ("政府采购目录内物品", "政府采购,电脑,计算机,复印机,打印机,空调"),
)


_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members record welfare projects."))
    return staff


def _community_staff(acting_user, community: Community) -> Staff:
    staff = _staff(acting_user)
    if staff.community_id != community.pk:
        raise ValidationError(_("Only the community's own staff do this (WEL-1)."))
    return staff


def _street_setter(acting_user, community: Community) -> Staff:
    """CTL-4: the street office's finance or department head sets allotments, approves plans and changes."""
    from finance.services import may_set_budgets

    staff = _staff(acting_user)
    if not may_set_budgets(staff, community):
        raise ValidationError(_("The street office's finance or department head does this; the community cannot "
                                "(CTL-4)."))
    return staff


def _money(value, field: str, label) -> Decimal:
    from finance import rules as frules

    error = frules.amount_error(value, str(label))
    if error:
        raise ValidationError({field: error})
    return Decimal(str(value))


# --- the street office's tables (WEL-1, WEL-6) -----------------------------------------------------


def ensure_lists(street_office: StreetOffice) -> None:
    """The rule book's categories and refused uses, the first time a street office's tables are read."""
    if not Category.objects.filter(street_office=street_office).exists():
        for n, (name, social) in enumerate(DEFAULT_CATEGORIES):
            Category.objects.get_or_create(street_office=street_office, name=name,
                                           defaults={"social_org": social, "order": n * 10})
    if not RefusedUse.objects.filter(street_office=street_office).exists():
        for name, words in DEFAULT_REFUSED:
            RefusedUse.objects.get_or_create(street_office=street_office, name=name, defaults={"keywords": words})


def categories(street_office: StreetOffice):
    ensure_lists(street_office)
    return Category.objects.filter(street_office=street_office, active=True)


def _list_keeper(acting_user) -> Staff:
    staff = _staff(acting_user)
    day = timezone.localdate()
    if staff.community_id is not None or not any(
            _holds_street_role(staff, r, day) for r in (Role.DEPARTMENT_HEAD, Role.BUILDING_OFFICE_DIRECTOR)):
        raise ValidationError(_("The street office's department head or community-building office director keeps "
                                "this table (WEL-1, WEL-6)."))
    return staff


def _holds_street_role(staff: Staff, role, day) -> bool:
    from committee.models import RoleAssignment

    return RoleAssignment.objects.on(day).filter(staff=staff, role=role).exists()


@transaction.atomic
def add_category(*, street_office: StreetOffice, name: str, social_org: bool, acting_user) -> Category:
    _list_keeper(acting_user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the category's name (WEL-1).")})
    if Category.objects.filter(street_office=street_office, name=name).exists():
        raise ValidationError({"name": _("The table already has the category “%(name)s”.") % {"name": name}})
    order = (Category.objects.filter(street_office=street_office).count() + 1) * 10
    return _save(Category(street_office=street_office, name=name, social_org=social_org, order=order), acting_user)


@transaction.atomic
def add_refused_use(*, street_office: StreetOffice, name: str, keywords: str, acting_user) -> RefusedUse:
    _list_keeper(acting_user)
    name = (name or "").strip()
    if not name or not (keywords or "").strip():
        raise ValidationError({"keywords": _("Give the use and the words that reveal it (WEL-6).")})
    if RefusedUse.objects.filter(street_office=street_office, name=name).exists():
        raise ValidationError({"name": _("The table already has “%(name)s”.") % {"name": name}})
    return _save(RefusedUse(street_office=street_office, name=name, keywords=keywords.strip()), acting_user)


@transaction.atomic
def toggle_entry(entry, *, acting_user):
    """Take an entry of either table out of use, or back into use (never deleted: projects keep it)."""
    staff = _list_keeper(acting_user)
    if entry.street_office_id != staff.street_office_id:
        raise ValidationError(_("This table belongs to another street office."))
    entry.active = not entry.active
    return _save(entry, acting_user)


# --- the annual plan (WEL-1, WEL-2) ---------------------------------------------------------------


@transaction.atomic
def create_plan(*, community: Community, year: int, acting_user) -> Plan:
    """WEL-2: one plan per community and year, drawn up for this year or the next. A second plan for the
    same year is refused: the July round adds projects to the existing plan."""
    staff = _community_staff(acting_user, community)
    today = timezone.localdate()
    if year not in (today.year, today.year + 1):
        raise ValidationError({"year": _("A plan is drawn up for this year or the next (WEL-2).")})
    Community.objects.select_for_update(of=("self",)).get(pk=community.pk)
    if Plan.objects.filter(community=community, year=year).exists():
        raise ValidationError({"year": _("This community already has a public-welfare plan for %(year)s; projects of "
                                         "the July round are added to it, not to a second plan (WEL-2).")
                               % {"year": year}})
    try:
        with transaction.atomic():
            return _save(Plan(community=community, year=year, created_by=staff), acting_user)
    except IntegrityError:
        raise ValidationError({"year": _("This community already has a public-welfare plan for %(year)s (WEL-2).")
                               % {"year": year}}) from None


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("community").get(pk=plan.pk)


@transaction.atomic
def set_allotment(plan: Plan, *, amount, acting_user) -> Plan:
    """WEL-3: the amount the street office allots to the community for the year (CTL-4: not the community)."""
    staff = _street_setter(acting_user, plan.community)
    amount = _money(amount, "allotment", _("Amount allotted"))
    plan = _lock(plan)
    if plan.approved_on:
        raise ValidationError({"allotment": _("The plan is approved; the allotment is fixed (WEL-3).")})
    plan.allotment, plan.allotment_by = amount, staff
    return _save(plan, acting_user)


def plan_open(plan: Plan) -> bool:
    """Projects are added and changed while the plan is drawn up: not sent to the instructor yet."""
    return plan.submitted_on is None


@transaction.atomic
def add_project(plan: Plan, *, category: Category, name: str, owner: Staff, budget, planned_activities: int = 0,
                activities_plan: str = "", social_orgs: str = "", acting_user) -> Project:
    """WEL-1: a project with its category, budget, owner, planned activities and the social organisations it
    supports. WEL-2: while the plan is drawn up (round 1), or in July of the plan's year on an approved plan
    (round 2: an addition, approved by the street office before it spends)."""
    _community_staff(acting_user, plan.community)
    plan = _lock(plan)
    today = timezone.localdate()
    if plan_open(plan):
        round_ = 1
    elif plan.approved_on and rules.july_round(today, plan.year):
        round_ = 2
    else:
        raise ValidationError(_("Projects are added while the plan is drawn up, or in the July round of the plan's "
                                "year (WEL-2)."))
    if category.street_office_id != plan.community.street_office_id or not category.active:
        raise ValidationError({"category": _("Choose a category of the street office's table (WEL-1).")})
    if owner.community_id != plan.community_id:
        raise ValidationError({"owner": _("The owner works in this community (WEL-1).")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please name the project (WEL-1).")})
    if Project.objects.filter(plan=plan, name=name).exists():
        raise ValidationError({"name": _("The plan already has a project named “%(name)s”.") % {"name": name}})
    budget = _money(budget, "budget", _("Budget"))
    return _save(Project(community=plan.community, plan=plan, category=category, name=name, owner=owner,
                         budget=budget, planned_activities=planned_activities or 0,
                         activities_plan=activities_plan, social_orgs=social_orgs, round=round_), acting_user)


@transaction.atomic
def record_opinions(plan: Plan, *, note: str, acting_user) -> Plan:
    """WEL-2: residents' opinions collected in early October (the date is today's, CTL-6)."""
    staff = _community_staff(acting_user, plan.community)
    plan = _lock(plan)
    if not plan_open(plan):
        raise ValidationError(_("The plan has been sent on; its opinions are recorded (WEL-2)."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Summarise the residents' opinions (WEL-2).")})
    plan.opinions_on, plan.opinions_by, plan.opinions_note = timezone.localdate(), staff, note.strip()
    return _save(plan, acting_user)


@transaction.atomic
def submit_plan(plan: Plan, *, acting_user) -> Plan:
    """WEL-2: the plan goes to the community instructor, whose approval (signature) it needs by Oct 15."""
    staff = _community_staff(acting_user, plan.community)
    plan = _lock(plan)
    if not plan_open(plan):
        raise ValidationError(_("The plan has already been sent to the instructor (WEL-2)."))
    if not plan.opinions_on:
        raise ValidationError(_("Record the residents' opinions first (WEL-2)."))
    if not plan.projects.exclude(state=Project.State.CANCELLED).exists():
        raise ValidationError(_("Add the plan's projects first (WEL-1)."))
    plan.submitted_on = timezone.localdate()
    _save(plan, acting_user)
    approvals.request_approval(
        plan, community=plan.community, steps=[approvals.Step(Role.INSTRUCTOR, _("Instructor signs the plan"))],
        summary=_("Public-welfare plan %(year)s") % {"year": plan.year}, rule="WEL-2", acting_user=acting_user,
        preparers=[staff, plan.created_by, plan.opinions_by])
    return plan


def on_plan_decided(record: Plan, outcome: str, acting_user) -> None:
    plan = _lock(record)
    if outcome == "approved":
        plan.instructor_approved_on = timezone.localdate()
    else:  # refused: back to the community to be redrawn
        plan.submitted_on = None
    _save(plan, acting_user)


def _instructor_of(plan: Plan):
    step = approvals.steps_for(plan).filter(status="approved").order_by("-round", "-step").first()
    return step.acted_by_id if step else None


@transaction.atomic
def review_plan(plan: Plan, *, note: str = "", acting_user) -> Plan:
    """WEL-2: the street office's first review (Oct 15–25), by its department head or the community-building
    office director; not the instructor who approved the plan (CTL-2)."""
    staff = _staff(acting_user)
    plan = _lock(plan)
    day = timezone.localdate()
    if staff.community_id is not None or not any(approvals.holds_role(staff, r, plan.community, day)
                                                 for r in REVIEWERS):
        raise ValidationError(_("The street office's department head or community-building office director reviews "
                                "the plan (WEL-2)."))
    if not plan.instructor_approved_on:
        raise ValidationError(_("The instructor has not approved the plan yet (WEL-2)."))
    if plan.reviewed_on:
        raise ValidationError(_("The plan has already been reviewed (WEL-2)."))
    if staff.pk == _instructor_of(plan):
        raise ValidationError(_("You approved this plan as its instructor; another person reviews it (CTL-2)."))
    plan.reviewed_on, plan.reviewed_by, plan.review_note = day, staff, (note or "").strip()[:300]
    return _save(plan, acting_user)


def residents_decisions(community: Community):
    """WEL-2: adopted decisions of convened meetings of the community's residents' meeting (居民会议)."""
    from meetings.models import BodyKind, Decision, convened_q

    return (Decision.objects.filter(meeting__community=community, meeting__body__kind=BodyKind.RESIDENTS_MEETING,
                                    adopted=True, voided=False)
            .filter(convened_q("meeting__")).select_related("meeting").order_by("-meeting__date", "-pk"))


@transaction.atomic
def record_residents_approval(plan: Plan, *, decision, acting_user) -> Plan:
    """WEL-2: the plan approved by the residents' meeting (by the end of October): a decision of a convened
    meeting of the community's residents' meeting body, adopted and not voided."""
    _community_staff(acting_user, plan.community)
    plan = _lock(plan)
    if not plan.reviewed_on:
        raise ValidationError(_("The street office's first review comes before the residents' meeting (WEL-2)."))
    if plan.residents_decision_id:
        raise ValidationError(_("The residents' meeting's approval is already recorded (WEL-2)."))
    if decision is None or not residents_decisions(plan.community).filter(pk=decision.pk).exists():
        raise ValidationError({"decision": _("Choose an adopted decision of a convened residents' meeting of this "
                                             "community (WEL-2).")})
    plan.residents_decision, plan.residents_recorded_on = decision, timezone.localdate()
    return _save(plan, acting_user)


def _line_name(project: Project) -> str:
    return f"{project.category.name}·{project.name}"[:100]


def _add_line(budget, project: Project, acting_user):
    from finance import services as fin

    line = fin.add_line(budget=budget, name=_line_name(project), amount=project.budget,
                        reason=_("Public-welfare project approved (WEL-2)"), acting_user=acting_user)
    project.line, project.state = line, Project.State.APPROVED
    _save(project, acting_user)


@transaction.atomic
def approve_plan(plan: Plan, *, acting_user) -> Plan:
    """WEL-2: the street office approves the plan and sets the budget by Nov 5: the community's public-welfare
    budget of the plan's year gets a line per project (CTL-4: its finance or department head). Nobody approves a
    plan they reviewed or signed as instructor (CTL-2)."""
    from finance import services as fin
    from finance.models import Budget, FundType

    staff = _street_setter(acting_user, plan.community)
    plan = _lock(plan)
    if plan.approved_on:
        raise ValidationError(_("The plan is already approved (WEL-2)."))
    if not plan.residents_decision_id:
        raise ValidationError(_("The residents' meeting has not approved the plan yet (WEL-2)."))
    if staff.pk in (plan.reviewed_by_id, _instructor_of(plan)):
        raise ValidationError(_("You reviewed or signed this plan; another person approves it (CTL-2)."))
    budget = Budget.objects.filter(community=plan.community, year=plan.year, fund_type=FundType.WELFARE).first()
    if budget is None:
        budget = fin.create_budget(community=plan.community, year=plan.year, fund_type=FundType.WELFARE,
                                   reason=_("Public-welfare plan approved (WEL-2)"), acting_user=acting_user)
    for project in plan.projects.filter(state=Project.State.PLANNED).select_related("category"):
        _add_line(budget, project, acting_user)
    plan.approved_on, plan.approved_by, plan.budget = timezone.localdate(), staff, budget
    return _save(plan, acting_user)


@transaction.atomic
def approve_addition(project: Project, *, acting_user) -> Project:
    """WEL-2: a project of the July round gets its budget line once the street office approves it."""
    _street_setter(acting_user, project.community)
    project = Project.objects.select_for_update(of=("self",)).select_related("plan", "category").get(pk=project.pk)
    if project.state != Project.State.PLANNED or not project.plan.approved_on:
        raise ValidationError(_("Only a project added in the July round to an approved plan waits for this (WEL-2)."))
    if project.plan.budget_id is None:
        raise ValidationError(_("The plan has no budget yet (WEL-2)."))
    _add_line(project.plan.budget, project, acting_user)
    return project


@transaction.atomic
def complete_project(project: Project, *, note: str, acting_user) -> Project:
    """WEL-7: the project is completed (counted for the 90% of planned projects); the date is today's."""
    _community_staff(acting_user, project.community)
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.state != Project.State.APPROVED:
        raise ValidationError(_("Only an approved, running project is completed (WEL-7)."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say briefly what the project achieved (WEL-7).")})
    project.state, project.completed_on, project.completion_note = (Project.State.COMPLETED, timezone.localdate(),
                                                                    note.strip()[:500])
    return _save(project, acting_user)


# --- activities (WEL-7) and awareness (WEL-11) ----------------------------------------------------


def _date_in_year(day: dt.date, year: int, field: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: _("An activity or survey is recorded once it has taken place; the date "
                                        "cannot be later than today.")})
    if day.year != year:
        raise ValidationError({field: _("The date lies outside the plan's year %(year)s.") % {"year": year}})


@transaction.atomic
def record_activity(project: Project, *, title: str, date: dt.date, form: str, sessions: int, participants: int,
                    effect: str = "", acting_user) -> Activity:
    """WEL-7: an activity as it took place: form, sessions, participants and effect."""
    staff = _community_staff(acting_user, project.community)
    if project.state not in (Project.State.APPROVED, Project.State.COMPLETED):
        raise ValidationError(_("Activities are recorded for an approved project (WEL-7)."))
    _date_in_year(date, project.plan.year, "date")
    if form not in Activity.Form.values:
        raise ValidationError({"form": _("Choose the activity's form (WEL-7).")})
    if not sessions or sessions < 1:
        raise ValidationError({"sessions": _("At least one session (WEL-7).")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Please name the activity (WEL-7).")})
    return _save(Activity(community=project.community, project=project, title=title.strip(), date=date, form=form,
                          sessions=sessions, participants=participants or 0, effect=(effect or "").strip(),
                          recorded_by=staff), acting_user)


@transaction.atomic
def record_survey(project: Project, *, surveyed_on: dt.date, sample_size: int, aware: int, acting_user) -> Survey:
    """WEL-11: residents' awareness of a project from a survey (sample size, how many knew)."""
    staff = _community_staff(acting_user, project.community)
    _date_in_year(surveyed_on, project.plan.year, "surveyed_on")
    if not sample_size or sample_size < 1:
        raise ValidationError({"sample_size": _("Ask at least one resident (WEL-11).")})
    if aware is None or aware < 0 or aware > sample_size:
        raise ValidationError({"aware": _("Between 0 and the number of residents asked (WEL-11).")})
    return _save(Survey(community=project.community, project=project, surveyed_on=surveyed_on,
                        sample_size=sample_size, aware=aware, recorded_by=staff), acting_user)


# --- spending: caps and refused uses (WEL-5, WEL-6) -----------------------------------------------


def year_fund(community: Community, year: int) -> Decimal:
    """The community's public-welfare fund of a year: the lines of its WELFARE budget."""
    from finance.models import BudgetLine, FundType

    return (BudgetLine.objects.filter(community=community, budget__year=year, budget__fund_type=FundType.WELFARE)
            .aggregate(s=Sum("amount"))["s"] or ZERO)


def _live_spending(**filters):
    return Spending.objects.filter(expense__state__in=LIVE, **filters)


def refused_use_of(street_office_id: int, *texts: str):
    """WEL-6: the refused use whose words appear in any of ``texts``, or None."""
    haystack = " ".join(t or "" for t in texts)
    for use in RefusedUse.objects.filter(street_office_id=street_office_id, active=True):
        for word in use.words:
            if word in haystack:
                return use, word
    return None


def expense_check(expense, context) -> None:
    """Registered with ``finance.services.register_expense_check``: every new or changed expense on a
    public-welfare line is checked here, inside the expense's transaction. WEL-6 refused uses for any welfare
    line; for a project's line the expense must come with its welfare context (``spend``) and WEL-5's caps
    are checked: prizes ≤ 30% of the event's cost and of the year's fund, no prize above the street's
    standard."""
    from finance.models import FundType

    line = expense.line
    if line.budget.fund_type != FundType.WELFARE:
        return
    found = refused_use_of(expense.community.street_office_id, expense.purpose, expense.payee)
    if found:  # WEL-6
        use, word = found
        raise ValidationError({"purpose": _("Public-welfare funds never pay for %(use)s (“%(word)s”): choose "
                                            "another fund (WEL-6).") % {"use": use.name, "word": word}})
    project = Project.objects.filter(line_id=line.pk).select_related("plan").first()
    if project is None:
        return
    if context is None and expense.pk:
        existing = Spending.objects.filter(expense_id=expense.pk).first()
        if existing is not None:
            context = {"project": existing.project, "kind": existing.kind, "activity": existing.activity,
                       "top_prize": existing.top_prize}
    if context is None:
        raise ValidationError({"line": _("Spending of a public-welfare project is recorded on the project's page, "
                                         "so its caps are checked (WEL-5).")})
    if project.state != Project.State.APPROVED:
        raise ValidationError({"line": _("The project is not running: only an approved project spends (WEL-2).")})
    kind, activity = context.get("kind"), context.get("activity")
    if activity is not None and activity.project_id != project.pk:
        raise ValidationError({"activity": _("Choose an activity of this project.")})
    if kind != Spending.Kind.PRIZES:
        return
    _check_prizes(expense, project, activity, context.get("top_prize"))


def _check_prizes(expense, project: Project, activity, top_prize) -> None:
    """WEL-5: prizes ≤ 30% of the event's cost (prizes included) and ≤ 30% of the year's fund (30.00% passes,
    30.01% does not); no single prize above the street's standard. Each refusal says which cap and by how
    much."""
    community = expense.community
    # WEL-5 under concurrency: prizes of two projects (two budget lines, so the FIN-3 line lock does not order
    # them) checked at the same moment would each see the other's prizes missing and together pass the year
    # cap. The community's row is locked until the spending is saved: one prize check at a time per community.
    Community.objects.select_for_update(of=("self",)).get(pk=community.pk)
    p = policy.get_many(community, "wel.prize_pct", "wel.prize_max")
    cap, standard = p["wel.prize_pct"], p["wel.prize_max"]
    amount = Decimal(expense.amount)
    if activity is None:
        raise ValidationError({"activity": _("Prizes are given at an event: choose the activity (WEL-5).")})
    if top_prize in (None, ""):
        raise ValidationError({"top_prize": _("Give the largest single prize (WEL-5).")})
    top_prize = Decimal(str(top_prize))
    if top_prize <= 0 or top_prize > amount:
        raise ValidationError({"top_prize": _("The largest prize lies between 0 and the amount (WEL-5).")})
    if top_prize > standard:
        raise ValidationError({"top_prize": _(
            "A single prize of %(prize)s yuan is above the street office's standard of %(max)s yuan by %(over)s "
            "yuan (WEL-5).") % {"prize": rules.yuan(top_prize), "max": rules.yuan(standard),
                                "over": rules.yuan(top_prize - standard)}})
    others = _live_spending(activity=activity)
    if expense.pk:
        others = others.exclude(expense_id=expense.pk)
    agg = others.aggregate(prizes=Sum("expense__amount", filter=Q(kind=Spending.Kind.PRIZES)),
                           total=Sum("expense__amount"))
    prizes = (agg["prizes"] or ZERO) + amount
    event_cost = (agg["total"] or ZERO) + amount
    if not rules.within_pct(prizes, event_cost, cap):
        raise ValidationError({"amount": _(
            "Event cap: prizes would be %(share)s%% of the cost of “%(event)s” (%(prizes)s of %(cost)s yuan), above "
            "the %(cap)s%% cap by %(over)s yuan (WEL-5).") % {
            "share": rules.pct(prizes, event_cost), "event": activity.title, "prizes": rules.yuan(prizes),
            "cost": rules.yuan(event_cost), "cap": cap,
            "over": rules.yuan(rules.event_prize_excess(prizes, event_cost - prizes, cap))}})
    year = project.plan.year
    fund = year_fund(community, year)
    year_prizes = _live_spending(community=community, project__plan__year=year, kind=Spending.Kind.PRIZES)
    if expense.pk:
        year_prizes = year_prizes.exclude(expense_id=expense.pk)
    total = (year_prizes.aggregate(s=Sum("expense__amount"))["s"] or ZERO) + amount
    if not rules.within_pct(total, fund, cap):
        raise ValidationError({"amount": _(
            "Year cap: prizes of %(year)s would be %(share)s%% of the year's public-welfare fund (%(prizes)s of "
            "%(fund)s yuan), above the %(cap)s%% cap by %(over)s yuan (WEL-5).") % {
            "year": year, "share": rules.pct(total, fund) if fund else "—", "prizes": rules.yuan(total),
            "fund": rules.yuan(fund), "cap": cap, "over": rules.yuan(rules.excess_over_pct(total, fund, cap))}})


@transaction.atomic
def spend(project: Project, *, kind: str, purpose: str, amount, payee: str, method: str, activity: Activity | None = None,
          top_prize=None, payee_is_person: bool = False, cash_leader_approval: bool = False, acting_user) -> Spending:
    """An expense of a project: an ordinary finance expense on the project's budget line (FIN-2 routing,
    cheques, reimbursement), checked by WEL-5/WEL-6 inside the expense service, linked here."""
    from finance import services as fin

    _community_staff(acting_user, project.community)
    project = Project.objects.select_related("plan", "line", "community").get(pk=project.pk)
    if kind not in Spending.Kind.values:
        raise ValidationError({"kind": _("Choose what the money pays for (WEL-5).")})
    if project.line_id is None or project.state != Project.State.APPROVED:
        raise ValidationError(_("The project is not running: only an approved project spends (WEL-2)."))
    expense = fin.request_expense(
        community=project.community, acting_user=acting_user, line=project.line, purpose=(purpose or "").strip(),
        amount=amount, payee=(payee or "").strip(), method=method, payee_is_person=payee_is_person,
        cash_leader_approval=cash_leader_approval,
        check_context={"project": project, "kind": kind, "activity": activity, "top_prize": top_prize})
    return _save(Spending(community=project.community, project=project, expense=expense, kind=kind, activity=activity,
                          top_prize=Decimal(str(top_prize)) if kind == Spending.Kind.PRIZES and top_prize else None),
                 acting_user)


# --- WEL-9: quarterly money, completion report, invoice signatures --------------------------------


def reimbursement_check(expense, paid_on) -> list[str]:
    """Registered with ``finance.services.register_reimbursement_check``: a project's expense is reimbursed
    only after the completion report of the quarter it was spent in, with its invoices signed by the
    director, the instructor and the project's head (WEL-9)."""
    spending = Spending.objects.filter(expense_id=expense.pk).first()
    if spending is None:
        return []
    problems = []
    year, quarter = rules.quarter_of(expense.requested_on)
    if not QuarterMoney.objects.filter(community_id=expense.community_id, year=year, quarter=quarter,
                                       reported_on__isnull=False).exists():
        problems.append(_("The completion report of %(year)s Q%(q)s comes before any reimbursement (WEL-9).")
                        % {"year": year, "q": quarter})
    signed = set(spending.signatures.values_list("kind", flat=True))
    missing = [str(label) for value, label in InvoiceSignature.Kind.choices if value not in signed]
    if missing:
        problems.append(_("Invoice signatures missing: %(list)s (WEL-9).") % {"list": "、".join(missing)})
    return problems


def may_sign_as(staff: Staff | None, spending: Spending, kind: str) -> bool:
    if staff is None:
        return False
    day = timezone.localdate()
    if kind == InvoiceSignature.Kind.DIRECTOR:
        return staff.community_id == spending.community_id and approvals.holds_role(
            staff, Role.DIRECTOR, spending.community, day)
    if kind == InvoiceSignature.Kind.INSTRUCTOR:
        return staff.community_id is None and approvals.holds_role(staff, Role.INSTRUCTOR, spending.community, day)
    if kind == InvoiceSignature.Kind.PROJECT_HEAD:
        return staff.pk == spending.project.owner_id
    return False


@transaction.atomic
def sign_invoices(spending: Spending, *, kind: str, acting_user) -> InvoiceSignature:
    """WEL-9: the director, the instructor and the project's head sign the invoices, each in their own login;
    one person gives one signature (CTL-2)."""
    staff = _staff(acting_user)
    spending = Spending.objects.select_for_update(of=("self",)).select_related("project", "community", "expense").get(
        pk=spending.pk)
    if kind not in InvoiceSignature.Kind.values:
        raise ValidationError(_("Unknown signature."))
    if not may_sign_as(staff, spending, kind):
        raise ValidationError(_("Each signature is given by that person in their own login: %(name)s cannot sign as "
                                "%(as)s (WEL-9).") % {"name": staff.name, "as": InvoiceSignature.Kind(kind).label})
    if spending.signatures.filter(kind=kind).exists():
        raise ValidationError(_("This signature has already been given."))
    if spending.signatures.filter(signed_by=staff).exists():
        raise ValidationError(_("%(name)s has already signed these invoices in another capacity; every signature is "
                                "a different person's (CTL-2).") % {"name": staff.name})
    return _save(InvoiceSignature(community=spending.community, spending=spending, kind=kind, signed_by=staff),
                 acting_user)


def _quarter(community: Community, year: int, quarter: int) -> QuarterMoney:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1 to 4.")})
    QuarterMoney.objects.get_or_create(community=community, year=year, quarter=quarter)
    return QuarterMoney.objects.select_for_update(of=("self",)).get(community=community, year=year, quarter=quarter)


def _current_or_past(year: int, quarter: int) -> None:
    today = timezone.localdate()
    if (year, quarter) > rules.quarter_of(today) or year < today.year - 1:
        raise ValidationError({"quarter": _("Only this quarter or an earlier one of this or last year (WEL-9).")})


@transaction.atomic
def record_quarter_plan(*, community: Community, year: int, quarter: int, amount, acting_user) -> QuarterMoney:
    """WEL-9: the street office's allotment plan of a quarter, by the 20th of its last month (CTL-4)."""
    staff = _street_setter(acting_user, community)
    amount = _money(amount, "amount", _("Amount"))
    _current_or_past(year, quarter)
    qm = _quarter(community, year, quarter)
    if qm.planned_on:
        raise ValidationError(_("The street's plan of this quarter is recorded (WEL-9)."))
    qm.planned_amount, qm.planned_on, qm.planned_by = amount, timezone.localdate(), staff
    return _save(qm, acting_user)


@transaction.atomic
def apply_quarter(*, community: Community, year: int, quarter: int, amount, acting_user) -> QuarterMoney:
    """WEL-9: the community's application of the quarter, by the 25th of its last month, after the street's
    plan."""
    staff = _community_staff(acting_user, community)
    amount = _money(amount, "amount", _("Amount"))
    _current_or_past(year, quarter)
    qm = _quarter(community, year, quarter)
    if not qm.planned_on:
        raise ValidationError(_("The street office's plan of this quarter comes first (WEL-9)."))
    if qm.applied_on:
        raise ValidationError(_("This quarter's application is recorded (WEL-9)."))
    qm.applied_amount, qm.applied_on, qm.applied_by = amount, timezone.localdate(), staff
    return _save(qm, acting_user)


@transaction.atomic
def report_quarter(*, community: Community, year: int, quarter: int, report: str, acting_user) -> QuarterMoney:
    """WEL-9: the completion report at the quarter's end (from the first day of its last month); a project's
    expense of the quarter is reimbursed only after it."""
    staff = _community_staff(acting_user, community)
    _current_or_past(year, quarter)
    if timezone.localdate() < rules.report_opens(year, quarter):
        raise ValidationError({"report": _("The completion report is written at the quarter's end, from %(day)s "
                                           "(WEL-9).") % {"day": rules.report_opens(year, quarter).isoformat()}})
    if not (report or "").strip():
        raise ValidationError({"report": _("Say what was done this quarter (WEL-9).")})
    qm = _quarter(community, year, quarter)
    if qm.reported_on:
        raise ValidationError(_("This quarter's completion report is recorded (WEL-9)."))
    qm.report, qm.reported_on, qm.reported_by = report.strip(), timezone.localdate(), staff
    return _save(qm, acting_user)


# --- WEL-8: mid-year changes ----------------------------------------------------------------------


def moved_this_year(plan: Plan, *, exclude: Change | None = None) -> Decimal:
    qs = Change.objects.filter(plan=plan, state__in=[Change.State.PENDING, Change.State.APPROVED])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def request_change(plan: Plan, *, source: Project, target: Project, amount, reason: str, acting_user) -> Change:
    """WEL-8: move money between two projects of an approved plan. Changes of a year move at most 10% of the
    community's public-welfare budget together; each needs the street office's approval."""
    staff = _community_staff(acting_user, plan.community)
    plan = _lock(plan)
    amount = _money(amount, "amount", _("Amount"))
    if not plan.approved_on:
        raise ValidationError(_("A change is made to an approved plan (WEL-8)."))
    for project, field in ((source, "source"), (target, "target")):
        if project is None or project.plan_id != plan.pk or project.state != Project.State.APPROVED:
            raise ValidationError({field: _("Choose a running project of this plan (WEL-8).")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose two different projects (WEL-8).")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the reason for the change (WEL-8).")})
    cap = policy.get(plan.community, "wel.change_max_pct")
    budget = year_fund(plan.community, plan.year)
    before = moved_this_year(plan)
    if not rules.change_allowed(before, amount, budget, cap):
        raise ValidationError({"amount": _(
            "Changes of %(year)s would move %(moved)s yuan, %(share)s%% of the public-welfare budget of %(budget)s "
            "yuan: above the %(cap)s%% a year may move by %(over)s yuan (WEL-8).") % {
            "year": plan.year, "moved": rules.yuan(before + amount), "share": rules.pct(before + amount, budget) or "—",
            "budget": rules.yuan(budget), "cap": cap,
            "over": rules.yuan(rules.excess_over_pct(before + amount, budget, cap))}})
    from finance.services import line_remaining

    if amount > line_remaining(source.line):
        raise ValidationError({"amount": _("“%(name)s” has only %(left)s yuan not yet spent or committed (WEL-8).")
                               % {"name": source.name, "left": rules.yuan(line_remaining(source.line))}})
    change = _save(Change(community=plan.community, plan=plan, source=source, target=target, amount=amount,
                          reason=reason.strip()[:300], requested_by=staff, requested_on=timezone.localdate()),
                   acting_user)
    approvals.request_approval(
        change, community=plan.community,
        steps=[approvals.Step(Role.DEPARTMENT_HEAD, _("Street office approves the change"))],
        summary=_("Welfare project change: %(amount)s yuan") % {"amount": rules.yuan(amount)}, rule="WEL-8",
        acting_user=acting_user, preparers=[staff])
    return change


def on_change_decided(record: Change, outcome: str, acting_user) -> None:
    """WEL-8: an approved change moves the two projects' budgets and budget lines (the approver is the street
    office's department head, who sets line amounts, CTL-4)."""
    from finance import services as fin

    change = Change.objects.select_for_update(of=("self",)).select_related("source__line", "target__line").get(
        pk=record.pk)
    if change.state != Change.State.PENDING:
        return
    if outcome != "approved":
        change.state = Change.State.REJECTED
        _save(change, acting_user)
        return
    reason = _("Mid-year change (WEL-8): %(reason)s") % {"reason": change.reason}
    for project, delta in ((change.source, -change.amount), (change.target, change.amount)):
        fin.change_line_amount(line=project.line, amount=project.line.amount + delta, reason=reason,
                               acting_user=acting_user)
        project.budget += delta
        _save(project, acting_user)
    change.state = Change.State.APPROVED
    _save(change, acting_user)


# --- figures (WEL-3, WEL-4, WEL-7), computed live -------------------------------------------------


def project_rows(projects, *, year: int) -> list[Project]:
    """Projects with their live figures: ``spent`` (paid), ``committed`` (approved, not paid), ``waiting``,
    ``spent_midyear`` (paid by June 30), ``exec_pct`` (spent of budget), ``activity_count`` (sessions),
    ``participants``, ``awareness`` (the latest survey). A fixed number of queries (three)."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    money = defaultdict(lambda: defaultdict(lambda: ZERO))
    rows = (Spending.objects.filter(project_id__in=ids).values("project_id", "expense__state")
            .annotate(s=Sum("expense__amount")))
    for row in rows:
        money[row["project_id"]][row["expense__state"]] += row["s"]
    mid = (Spending.objects.filter(project_id__in=ids, expense__state="paid",
                                   expense__paid_on__lte=rules.mid_year(year))
           .values("project_id").annotate(s=Sum("expense__amount")))
    mids = {r["project_id"]: r["s"] for r in mid}
    acts = {r["project_id"]: r for r in Activity.objects.filter(project_id__in=ids).values("project_id").annotate(
        n=Sum("sessions"), people=Sum("participants"))}
    surveys = {}
    for s in Survey.objects.filter(project_id__in=ids).order_by("project_id", "-surveyed_on", "-pk"):
        surveys.setdefault(s.project_id, s)
    for p in projects:
        m = money[p.pk]
        p.spent, p.committed, p.waiting = m["paid"], m["approved"], m["pending"]
        p.spent_midyear = mids.get(p.pk, ZERO)
        p.exec_pct = rules.pct(p.spent, p.budget)
        p.activity_count = (acts.get(p.pk) or {}).get("n") or 0
        p.participants = (acts.get(p.pk) or {}).get("people") or 0
        p.awareness = surveys.get(p.pk)
    return projects


def plans_around(communities, year: int) -> list:
    """The plans of ``year`` - 1 … ``year`` + 1 of these communities, read once per GET request (the reminders
    and the street office's figures, ``services.community_figures``, ask for the same)."""
    from committee.middleware import per_request

    communities = list(communities)
    return per_request(("welfare.plans_around", tuple(c.pk for c in communities), year), lambda: list(
        Plan.objects.filter(community__in=communities, year__in=[year - 1, year, year + 1])))


def community_figures(communities, year: int) -> dict[int, dict]:
    """WEL-3/4/7 per community for ``year``: allotment, budget, spent (paid), spent by mid-year, shares, the
    projects completed and the activity sessions per category. A fixed number of queries whatever the number of
    communities (plans, projects, money, mid-year money, activities, policy); made once per GET request for the
    same communities and year (the street office's overview shows them in two columns and the chart)."""
    from committee.middleware import per_request

    communities = list(communities)
    return per_request(("welfare.community_figures", tuple(c.pk for c in communities), year),
                       lambda: _community_figures(communities, year))


def _community_figures(communities, year: int) -> dict[int, dict]:
    policy.prefetch(communities)
    plans = {p.community_id: p for p in plans_around(communities, year) if p.year == year}
    projects = list(Project.objects.filter(community__in=communities, plan__year=year)
                    .exclude(state=Project.State.CANCELLED).select_related("category"))
    # the year's payments and those up to mid-year (WEL-3) in one grouped query
    in_year, by_mid = Q(expense__paid_on__year=year), Q(expense__paid_on__lte=rules.mid_year(year))
    paid, paid_mid = {}, {}
    for r in (Spending.objects.filter(community__in=communities, project__plan__year=year, expense__state="paid")
              .filter(in_year | by_mid).values("project_id")
              .annotate(s=Sum("expense__amount", filter=in_year), m=Sum("expense__amount", filter=by_mid))):
        paid[r["project_id"]] = r["s"] or ZERO
        paid_mid[r["project_id"]] = r["m"] or ZERO
    sessions = defaultdict(int)
    for r in (Activity.objects.filter(community__in=communities, project__plan__year=year, date__year=year)
              .values("community_id", "project__category_id").annotate(n=Sum("sessions"))):
        sessions[(r["community_id"], r["project__category_id"])] += r["n"] or 0
    out = {}
    for c in communities:
        mine = [p for p in projects if p.community_id == c.pk]
        running = [p for p in mine if p.state in (Project.State.APPROVED, Project.State.COMPLETED)]
        budget = sum((p.budget for p in running), ZERO)
        planned_budget = sum((p.budget for p in mine), ZERO)
        spent = sum((paid.get(p.pk, ZERO) for p in mine), ZERO)
        social = sum((paid.get(p.pk, ZERO) for p in mine if p.category.social_org), ZERO)
        social_budget = sum((p.budget for p in mine if p.category.social_org), ZERO)
        cats = {}
        for p in mine:
            cats.setdefault(p.category_id, {"category": p.category, "sessions": sessions.get((c.pk, p.category_id), 0)})
        plan = plans.get(c.pk)
        out[c.pk] = {
            "plan": plan, "allotment": plan.allotment if plan else None, "budget": budget,
            "planned_budget": planned_budget, "spent": spent,
            "spent_midyear": sum((paid_mid.get(p.pk, ZERO) for p in mine), ZERO),
            "spent_pct": rules.pct(spent, budget), "budget_pct": rules.pct(planned_budget, plan.allotment)
            if plan and plan.allotment else None,
            "social_spent_pct": rules.pct(social, spent), "social_budget_pct": rules.pct(social_budget, planned_budget),
            "social": social, "social_budget": social_budget,
            "projects": len(running), "completed": sum(1 for p in mine if p.state == Project.State.COMPLETED),
            "completed_pct": rules.pct(sum(1 for p in mine if p.state == Project.State.COMPLETED), len(running)),
            "categories": sorted(cats.values(), key=lambda x: x["category"].order),
        }
    return out


def summaries(community: Community, year: int) -> dict:
    """WEL-7: activity summaries of the first half, the second half and the whole year per category and form:
    activities, sessions, participants. Two queries."""
    rows = (Activity.objects.filter(community=community, date__year=year)
            .values("project__category__name", "project__category__order", "form", "date__month")
            .annotate(n=Count("pk"), sessions=Sum("sessions"), people=Sum("participants")))
    halves = {"h1": defaultdict(lambda: [0, 0, 0]), "h2": defaultdict(lambda: [0, 0, 0]),
              "year": defaultdict(lambda: [0, 0, 0])}
    forms = dict(Activity.Form.choices)
    for r in rows:
        key = (r["project__category__order"], r["project__category__name"], str(forms.get(r["form"], r["form"])))
        for half in ("h1" if r["date__month"] <= 6 else "h2", "year"):
            acc = halves[half][key]
            acc[0] += r["n"]
            acc[1] += r["sessions"] or 0
            acc[2] += r["people"] or 0
    return {k: [{"category": key[1], "form": key[2], "activities": v[0], "sessions": v[1], "participants": v[2]}
                for key, v in sorted(v.items())] for k, v in halves.items()}


# --- WEL-10: the two groups as meetings bodies ----------------------------------------------------


def group_problems(body, day: dt.date, members=None) -> list[str]:
    """WEL-10: what is wrong with a group's composition on ``day`` (empty when right): 7 members; the
    supervision group led by the director, with no other committee or station staff."""
    members = list(members if members is not None else body.members.on(day).select_related("staff"))
    problems = []
    if len(members) != rules.GROUP_SIZE:
        problems.append(_("The group has %(n)s members; it has %(size)s (WEL-10).")
                        % {"n": len(members), "size": rules.GROUP_SIZE})
    if body.kind == SUPERVISION_GROUP and body.community_id:
        directors = set(approvals.holders(Role.DIRECTOR, body.community, day).values_list("pk", flat=True))
        if not any(m.staff_id in directors for m in members):
            problems.append(_("The supervision group is led by the director, who is not a member (WEL-10)."))
    return problems


def check_member(member) -> None:
    """WEL-10: called whenever a member of a welfare group is added or changed (``pre_save`` of
    ``meetings.BodyMember``): never more than 7 members; on the supervision group no committee or service-station
    staff other than the director. Raises ValidationError: the meetings page shows it beside the form."""
    body = member.body
    if body.kind not in GROUP_KINDS or not body.community_id:
        return
    day = member.start
    if member.end is None or member.end >= day:
        others = body.members.on(day)
        if member.pk:
            others = others.exclude(pk=member.pk)
        if others.count() + 1 > rules.GROUP_SIZE:
            raise ValidationError({"name": _("The group already has %(size)s members (WEL-10): end a membership "
                                             "first.") % {"size": rules.GROUP_SIZE}})
    if body.kind != SUPERVISION_GROUP:
        return
    community = body.community
    staff = member.staff
    if staff is None:
        name = (member.name or "").strip()
        staff = Staff.objects.filter(community=community, name=name, left_on__isnull=True).first() if name else None
    if staff is None or staff.community_id != community.pk:
        return
    if approvals.holds_role(staff, Role.DIRECTOR, community, day):
        return
    raise ValidationError({"staff": _("%(name)s works for the residents' committee or the service station: other "
                                      "committee and station staff than the director may not sit on the supervision "
                                      "group (WEL-10).") % {"name": staff.name}})


@transaction.atomic
def create_group(*, community: Community, kind: str, acting_user):
    """WEL-10: the community's project management group or supervision group, a body of the meetings app
    (its members, quarterly meetings and minutes are kept there)."""
    from meetings import services as mtg

    if kind not in GROUP_KINDS:
        raise ValidationError({"kind": _("Unknown group.")})
    staff = _staff(acting_user)
    if staff.community_id not in (None, community.pk):
        raise ValidationError(_("Only the community's own staff do this (WEL-1)."))
    from meetings.models import Body

    if Body.objects.filter(community=community, kind=kind, active=True).exists():
        raise ValidationError({"kind": _("The community already has this group (WEL-10).")})
    from meetings import kinds

    return mtg.create_body(community=community, kind=kind, name=str(kinds.label(kind)), acting_user=acting_user)
