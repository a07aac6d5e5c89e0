"""Grid responsibility (分片包户), home visits (走访) and residents' requests (居民诉求). GRID-1 … GRID-6.

The grids, buildings, households and residents are the register's (committee.models); this app adds the
grid groups' resident members, local units, the needs ledger, the visit log with its problems, and the
residents' requests with their committed time limits. Nothing is deleted (CTL-5): a member's time in a
group ends on a date, a ledger entry is closed, a request is closed with its resolution."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee.models import Building, Community, Grid, Household, Person, Staff


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Visit records are never deleted (CTL-5)."))


class GroupMember(models.Model):
    """A resident in a grid group: resident representative, group leader or building head (楼门长). GRID-1

    The group's committee member and station member are the grid's (``Grid.committee_member`` /
    ``station_member``, staff); these are residents of the register."""

    class Position(models.TextChoices):
        REPRESENTATIVE = "representative", _("Resident representative")
        GROUP_LEADER = "group_leader", _("Residents' group leader")
        BUILDING_HEAD = "building_head", _("Building head")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="group_members", verbose_name=_("grid"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("resident"))
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    buildings = models.ManyToManyField(Building, blank=True, related_name="+", verbose_name=_("buildings"))
    households = models.ManyToManyField(Household, blank=True, related_name="+", verbose_name=_("households"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[buildings, households])
    delete = _refuse_delete

    class Meta:
        verbose_name = _("grid group member")
        verbose_name_plural = _("grid group members")
        ordering = ["grid", "position", "person__name"]

    def __str__(self):
        return f"{self.person.name} ({self.get_position_display()})"


class LocalUnit(models.Model):
    """A unit located in the community (驻区单位): visited by the director and deputy every quarter. GRID-5"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("grid"))
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    active = models.BooleanField(_("still in the community"), default=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("local unit")
        verbose_name_plural = _("local units")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="visits_unit_name_unique")]

    def __str__(self):
        return self.name


class LedgerEntry(models.Model):
    """The grid's ledger of needs and neighbour relations (需求、邻里关系). GRID-2"""

    class Kind(models.TextChoices):
        NEED = "need", _("Need")
        NEIGHBOURS = "neighbours", _("Neighbour relations")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("grid"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("household"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("what"), max_length=500)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("no longer current since"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-recorded_at"]

    def __str__(self):
        return self.text[:40]


class Visit(models.Model):
    """One home visit (入户走访) or visit to a local unit, with who went and what was found. GRID-3

    ``key`` is the idempotency key the phone generates once per typed visit: a retried submission (a lost
    answer, the offline outbox sending again) finds the visit already saved and saves nothing more."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                             verbose_name=_("grid"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("household"))
    unit = models.ForeignKey(LocalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                             verbose_name=_("local unit"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    minutes = models.PositiveIntegerField(_("minutes"), editable=False)
    visitors = models.ManyToManyField(Staff, related_name="+", verbose_name=_("who went"))
    companions = models.CharField(_("also went (residents)"), max_length=200, blank=True)
    found = models.TextField(_("what was found"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    key = models.UUIDField(_("submission key"), unique=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[visitors])
    delete = _refuse_delete

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household__isnull=False, unit__isnull=True)
                | models.Q(household__isnull=True, unit__isnull=False),
                name="visits_visit_household_or_unit"),
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")),
                                   name="visits_visit_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.target}"

    @property
    def target(self):
        return self.household or self.unit

    @property
    def hours(self):
        from decimal import Decimal
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    def get_absolute_url(self):
        return reverse("visits_visit", args=[self.pk])


class Problem(models.Model):
    """A problem raised during a visit, tracked to its solution (who solved it, when). GRID-3"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="problems", verbose_name=_("visit"))
    text = models.CharField(_("problem raised"), max_length=500)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    solved_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("solved by"))
    solution = models.CharField(_("how it was solved"), max_length=500, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("problem raised")
        verbose_name_plural = _("problems raised")
        ordering = ["-visit__date", "pk"]

    def __str__(self):
        return self.text[:40]

    @property
    def solved(self) -> bool:
        return self.solved_at is not None

    def get_absolute_url(self):
        return reverse("visits_visit", args=[self.visit_id]) + f"#problem-{self.pk}"


class Request(models.Model):
    """A resident's request or complaint (服务承诺), with its committed time limit. GRID-6"""

    class Channel(models.TextChoices):
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("By phone")
        BOX = "box", _("Suggestion box")
        COMPLAINT_LINE = "line", _("Complaint line")
        VISIT = "visit", _("During a home visit")
        OTHER_CHAPTER = "chapter", _("Recorded by another part of the office")

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Question")
        HELP = "help", _("Request for help")
        REPAIR = "repair", _("Repair or environment")
        DISPUTE = "dispute", _("Dispute between neighbours")
        SUGGESTION = "suggestion", _("Suggestion")
        COMPLAINT = "complaint", _("Complaint")
        STAFF_COMPLAINT = "staff_complaint", _("Complaint about a staff member")
        OTHER = "other", pgettext_lazy("request kind", "Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Resolved")

    class Feedback(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        PARTLY = "partly", _("Partly satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")
        UNREACHABLE = "unreachable", _("Could not be reached / anonymous")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    number = models.CharField(_("number"), max_length=20)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    resident = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("resident"))
    resident_name = models.CharField(_("name given"), max_length=50, blank=True)
    contact = models.CharField(_("contact phone"), max_length=40, blank=True)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("grid"))
    text = models.TextField(_("what is asked"))
    about_staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("staff member complained about"))
    source = models.CharField(_("recorded by the chapter"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by"))
    days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    due_on = models.DateField(_("answer due by"))
    assigned_to = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    feedback = models.CharField(_("resident's feedback"), max_length=12, choices=Feedback.choices, blank=True)
    feedback_note = models.CharField(_("what the resident said"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("resolved by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("resident's request")
        verbose_name_plural = _("residents' requests")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="visits_request_number_unique"),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="visits_request_has_time_limit"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("visits_request", args=[self.pk])

    @property
    def closed_on(self):
        from django.utils import timezone
        return timezone.localtime(self.closed_at).date() if self.closed_at else None

    @property
    def in_time(self) -> bool | None:
        return None if self.closed_at is None else self.closed_on <= self.due_on


class Counter(models.Model):
    """The last number given per community and year (诉求-YYYY-NNNN), locked while a number is taken."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="visits_counter_unique")]

    def __str__(self):
        return f"{self.year}: {self.last}"
