"""Community public-welfare projects (公益事业项目, WEL-1 … WEL-11), built on the finance chapter.

A community's annual plan (one per year) holds its projects; each project, once the street office approves
the plan, has a line of the community's public-welfare budget (``finance.FundType.WELFARE``) and spends
through ordinary ``finance.Expense``s, linked here by a ``Spending`` row that says what the money is for
(an activity's costs, prizes …) so the caps of WEL-5/WEL-6 are checked in the expense service. Nothing here
is deleted; every model keeps its history.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committee.models import Community, Staff, StreetOffice

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class Category(models.Model):
    """WEL-1: a project category of the street office's policy table (purchased services, social-organisation
    cultivation, culture and sports, education, public order, civility …). ``social_org`` marks the
    categories whose money counts as cultivating community social organisations (WEL-4)."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="welfare_categories",
                                      verbose_name=_("street office"))
    name = models.CharField(_("category"), max_length=60)
    social_org = models.BooleanField(_("counts as social-organisation cultivation"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")
        ordering = ["street_office", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["street_office", "name"], name="wel_category_unique")]

    def __str__(self):
        return self.name

    @classmethod
    def history_scope(cls, qs, user):
        from committee.scoping import staff_for

        staff = staff_for(user)
        return qs.filter(street_office_id=staff.street_office_id) if staff else qs.none()


class RefusedUse(models.Model):
    """WEL-6: a use welfare funds never pay (staff costs, office costs, staff trips, hospitality, meetings,
    items of the government procurement list), kept by the street office with the words that reveal it in an
    expense's purpose or payee."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="welfare_refused_uses",
                                      verbose_name=_("street office"))
    name = models.CharField(_("refused use"), max_length=60)
    keywords = models.CharField(_("words that reveal it"), max_length=300,
                                help_text=_("Separated by commas; an expense whose purpose or payee contains one is "
                                            "refused."))
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("refused use")
        verbose_name_plural = _("refused uses")
        ordering = ["street_office", "pk"]
        constraints = [models.UniqueConstraint(fields=["street_office", "name"], name="wel_refused_use_unique")]

    def __str__(self):
        return self.name

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in self.keywords.replace("，", ",").replace("、", ",").split(",") if w.strip()]

    history_scope = Category.history_scope


class Plan(models.Model):
    """WEL-2: a community's annual plan of public-welfare projects for ``year``, drawn up in October of the
    year before: opinions collected, submitted with the instructor's approval by Oct 15, the street's first
    review Oct 15–25, approved by a convened residents' meeting by the end of October, approved by the street
    office with the budget by Nov 5. One plan per community and year; the July round adds projects to it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_plans",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    allotment = models.DecimalField(_("amount allotted by the street office (yuan)"), null=True, blank=True, **MONEY)
    allotment_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("allotted by"))
    opinions_on = models.DateField(_("opinions collected on"), null=True, blank=True)
    opinions_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("opinions recorded by"))
    opinions_note = models.TextField(_("residents' opinions"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    instructor_approved_on = models.DateField(_("approved by the instructor on"), null=True, blank=True)
    reviewed_on = models.DateField(_("first review by the street office on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    residents_decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="welfare_plans",
        verbose_name=_("decision of the residents' meeting"))
    residents_recorded_on = models.DateField(_("residents' approval recorded on"), null=True, blank=True)
    approved_on = models.DateField(_("approved by the street office on"), null=True, blank=True)
    approved_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    budget = models.ForeignKey("finance.Budget", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("budget"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn up by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual welfare plan")
        verbose_name_plural = _("annual welfare plans")
        ordering = ["-year", "community__name"]
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="wel_one_plan_per_year")]

    def __str__(self):
        return _("Public-welfare plan %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("welfare_plan", args=[self.pk])


class Project(models.Model):
    """WEL-1: a project of a plan, with its category, budget, owner, planned activities and the social
    organisations it supports. Round 2 is an addition of the July round (WEL-2)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPROVED = "approved", _("Approved, running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_projects",
                                  verbose_name=_("community"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="projects", verbose_name=_("plan"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("category"))
    name = models.CharField(_("project"), max_length=100)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("project owner"))
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    planned_activities = models.PositiveSmallIntegerField(_("activities planned"), default=0)
    activities_plan = models.TextField(_("planned activities"), blank=True)
    social_orgs = models.CharField(_("social organisations supported"), max_length=300, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    line = models.OneToOneField("finance.BudgetLine", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="welfare_project", verbose_name=_("budget line"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.CharField(_("completion report"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public-welfare project")
        verbose_name_plural = _("public-welfare projects")
        ordering = ["plan", "category__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="wel_project_unique_name"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="wel_project_budget_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("welfare_project", args=[self.pk])


class Activity(models.Model):
    """WEL-7: one activity of a project as it took place: form, sessions, participants and effect."""

    class Form(models.TextChoices):
        LECTURE = "lecture", _("Lecture or talk")
        PERFORMANCE = "performance", _("Performance or show")
        CONTEST = "contest", _("Contest or competition")
        TRAINING = "training", _("Training or class")
        VOLUNTEER = "volunteer", _("Volunteer service")
        VISIT = "visit", _("Visit or outing")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_activities",
                                  verbose_name=_("community"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="activities", verbose_name=_("project"))
    title = models.CharField(_("activity"), max_length=100)
    date = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=1)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    effect = models.CharField(_("effect"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("welfare activity")
        verbose_name_plural = _("welfare activities")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(sessions__gte=1), name="wel_activity_sessions")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("welfare_project", args=[self.project_id]) + f"#activity-{self.pk}"


class Spending(models.Model):
    """What a welfare expense pays for: the link of a ``finance.Expense`` to its project (and, for prizes and
    an event's costs, to the activity), checked by the caps of WEL-5 and the refused uses of WEL-6."""

    class Kind(models.TextChoices):
        COSTS = "costs", _("Activity costs")
        PRIZES = "prizes", _("Prizes")
        SERVICES = "services", _("Services purchased")
        MATERIALS = "materials", _("Materials")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_spending",
                                  verbose_name=_("community"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="spending", verbose_name=_("project"))
    expense = models.OneToOneField("finance.Expense", on_delete=models.PROTECT, related_name="welfare",
                                   verbose_name=_("expense"))
    kind = models.CharField(_("paid for"), max_length=12, choices=Kind.choices)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="spending",
                                 verbose_name=_("event"))
    top_prize = models.DecimalField(_("largest single prize (yuan)"), null=True, blank=True, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("welfare spending")
        verbose_name_plural = _("welfare spending")
        ordering = ["-pk"]

    def __str__(self):
        return str(self.expense)

    def get_absolute_url(self):
        return reverse("welfare_project", args=[self.project_id]) + f"#spending-{self.pk}"


class InvoiceSignature(models.Model):
    """WEL-9: a welfare expense's invoices are signed by the director, the instructor and the project's head
    (its owner), each in their own login; the date is the server's (CTL-6)."""

    class Kind(models.TextChoices):
        DIRECTOR = "director", _("Director")
        INSTRUCTOR = "instructor", _("Community instructor")
        PROJECT_HEAD = "project_head", _("Head of the project")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    spending = models.ForeignKey(Spending, on_delete=models.PROTECT, related_name="signatures",
                                 verbose_name=_("welfare spending"))
    kind = models.CharField(_("signed as"), max_length=14, choices=Kind.choices)
    signed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice signature")
        verbose_name_plural = _("invoice signatures")
        constraints = [
            models.UniqueConstraint(fields=["spending", "kind"], name="wel_one_signature_per_kind"),
            models.UniqueConstraint(fields=["spending", "signed_by"], name="wel_one_signature_per_person"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.signed_by}"


class Change(models.Model):
    """WEL-8: a mid-year change moving money from one project to another; at most 10% of the community's
    welfare budget in a year, and only with the street office's approval (``committee.approvals``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the street office")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_changes",
                                  verbose_name=_("community"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="changes", verbose_name=_("plan"))
    source = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("from project"))
    target = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("to project"))
    amount = models.DecimalField(_("amount moved (yuan)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_on = models.DateField(_("requested on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mid-year project change")
        verbose_name_plural = _("mid-year project changes")
        ordering = ["-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="wel_change_amount_positive")]

    def __str__(self):
        return _("Change: %(source)s → %(target)s") % {"source": self.source, "target": self.target}

    def get_absolute_url(self):
        return reverse("welfare_change", args=[self.pk])


class QuarterMoney(models.Model):
    """WEL-9: the money of one quarter: the street office's allotment plan (by the 20th of the quarter's last
    month), the community's application (by the 25th) and its completion report (at the quarter's end, before
    any reimbursement). Each is an act with the server's date (CTL-6)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_quarters",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    planned_amount = models.DecimalField(_("street allotment plan (yuan)"), null=True, blank=True, **MONEY)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    planned_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("planned by"))
    applied_amount = models.DecimalField(_("amount applied for (yuan)"), null=True, blank=True, **MONEY)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    applied_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("applied by"))
    report = models.TextField(_("completion report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("reported by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly welfare money")
        verbose_name_plural = _("quarterly welfare money")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "quarter"], name="wel_one_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="wel_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.year} Q{self.quarter}"

    def get_absolute_url(self):
        return reverse("welfare_quarters") + f"?year={self.year}#q{self.quarter}"


class Survey(models.Model):
    """WEL-11: a survey of residents' awareness of a project: sample size and how many knew of it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="welfare_surveys",
                                  verbose_name=_("community"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("project"))
    surveyed_on = models.DateField(_("surveyed on"))
    sample_size = models.PositiveIntegerField(_("residents asked"))
    aware = models.PositiveIntegerField(_("residents who knew of the project"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("awareness survey")
        verbose_name_plural = _("awareness surveys")
        ordering = ["-surveyed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sample_size__gte=1) & Q(aware__lte=models.F("sample_size")),
                                   name="wel_survey_sample"),
        ]

    def __str__(self):
        return f"{self.surveyed_on:%Y-%m-%d} {self.aware}/{self.sample_size}"

    @property
    def share(self) -> Decimal:
        return (Decimal(self.aware) * 100 / Decimal(self.sample_size)).quantize(Decimal("0.1"))

    def get_absolute_url(self):
        return reverse("welfare_project", args=[self.project_id]) + "#awareness"
