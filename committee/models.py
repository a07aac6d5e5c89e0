"""The shared core: organisation, roles, policy, calendar, approvals and the residents' register."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee import idcard, pinyin


class User(AbstractUser):
    """A login account; the person behind it is a Staff record. Never deleted, only deactivated (CTL-5)."""

    # CTL-3: set when an account is opened or its password reset; until the person chooses a new password
    # every page sends them to "Change password" (committee.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    history = HistoricalRecords()

    def delete(self, *args, **kwargs):
        _refuse_delete(type(self), self)


# --- ORG-1: street offices and communities -----------------------------------------------------------


class StreetOffice(models.Model):
    """A street office (街道办事处) that supervises several communities. ORG-1"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street office")
        verbose_name_plural = _("street offices")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A community with its residents' committee, party organisation and service station. ORG-1"""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street office")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    committee_name = models.CharField(_("residents' committee"), max_length=120)
    party_organisation_name = models.CharField(_("party organisation"), max_length=120, blank=True)
    service_station_name = models.CharField(_("service station"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street_office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street_office", "name"], name="community_name_unique_in_street")
        ]

    def __str__(self):
        return self.name


# --- ORG-2: staff and roles ------------------------------------------------------------------------


class Role(models.TextChoices):
    """Roles of ORG-2. The first group is held in a community, the second in the street office."""

    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    MEMBER = "member", _("Committee member")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil-affairs member")
    DIBAO_OFFICER = "dibao_officer", _("Dibao officer")
    LABOUR_SECURITY = "labour_security", _("Labour-security officer")
    SERVICE_STAFF = "service_staff", _("Comprehensive service staff")
    STATION_HEAD = "station_head", _("Service-station head")
    ARCHIVIST = "archivist", _("Archivist")
    BOOKKEEPER = "bookkeeper", _("Bookkeeper")
    SEAL_CUSTODIAN = "seal_custodian", _("Seal custodian")
    ATTENDANCE_KEEPER = "attendance_keeper", _("Attendance keeper")
    # street office
    INSTRUCTOR = "instructor", _("Community instructor")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    STREET_LEADER = "street_leader", _("Street leader")
    BUILDING_OFFICE_DIRECTOR = "building_office_director", _("Community-building office director")
    FINANCE = "finance", _("Finance (service-centre accounts)")
    DISCIPLINE = "discipline", _("Discipline inspection")
    # CTL-1, CTL-3: the street office's account holder; opens, resets and closes logins and grants roles.
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# The official Chinese names of ORG-2, used by Excel imports whatever the screen language.
ROLE_CHINESE_NAMES = {
    Role.DIRECTOR: "主任",
    Role.DEPUTY_DIRECTOR: "副主任",
    Role.PARTY_SECRETARY: "书记",
    Role.MEMBER: "委员",
    Role.CIVIL_AFFAIRS: "分管民政委员",
    Role.DIBAO_OFFICER: "低保员",
    Role.LABOUR_SECURITY: "劳动保障员",
    Role.SERVICE_STAFF: "综合服务人员",
    Role.STATION_HEAD: "站长",
    Role.ARCHIVIST: "档案员",
    Role.BOOKKEEPER: "记账员",
    Role.SEAL_CUSTODIAN: "印章保管人",
    Role.ATTENDANCE_KEEPER: "考勤员",
    Role.INSTRUCTOR: "社区指导员",
    Role.DEPARTMENT_HEAD: "分管部门负责人",
    Role.STREET_LEADER: "分管领导",
    Role.BUILDING_OFFICE_DIRECTOR: "社区建设办公室主任",
    Role.FINANCE: "财务",
    Role.DISCIPLINE: "纪检",
    Role.SYSTEM_ADMIN: "系统管理员",
}


STREET_ROLES = frozenset(
    {
        Role.INSTRUCTOR,
        Role.DEPARTMENT_HEAD,
        Role.STREET_LEADER,
        Role.BUILDING_OFFICE_DIRECTOR,
        Role.FINANCE,
        Role.DISCIPLINE,
        Role.SYSTEM_ADMIN,
    }
)
COMMUNITY_ROLES = frozenset(set(Role) - STREET_ROLES)
# Roles counted as "committee cadres" (社区干部) where a rule limits or requires them.
CADRE_ROLES = frozenset(
    {
        Role.DIRECTOR,
        Role.DEPUTY_DIRECTOR,
        Role.PARTY_SECRETARY,
        Role.MEMBER,
        Role.CIVIL_AFFAIRS,
        Role.DIBAO_OFFICER,
        Role.LABOUR_SECURITY,
    }
)


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Staff(models.Model):
    """A person working for one community or for the street office (community empty). ORG-1"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login account"),
    )
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="staff", verbose_name=_("street office")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("community"),
        help_text=_("Empty for street-office staff."),
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    monthly_wage = models.DecimalField(
        _("monthly wage (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["community__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_wage__isnull=True) | Q(monthly_wage__gte=0), name="staff_wage_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.community_id and self.community.street_office_id != self.street_office_id:
            raise ValidationError({"community": _("The community belongs to another street office.")})
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The leaving date is before the joining date.")})

    def delete(self, *args, **kwargs):
        _refuse_delete(type(self), self)

    @property
    def is_street_staff(self) -> bool:
        return self.community_id is None

    @property
    def unit_name(self) -> str:
        return self.community.name if self.community_id else self.street_office.name

    def get_absolute_url(self):
        return reverse("staff_detail", args=[self.pk])


class RoleAssignmentQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        """Assignments in force on a day (start and end dates included)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def for_community(self, community: Community):
        """Assignments that act for a community: its own roles, and street roles covering it.

        A street-office role with a community (a community instructor) covers that community only;
        one without a community covers every community of the street office.
        """
        return self.filter(
            Q(community=community)
            | Q(community__isnull=True, staff__street_office_id=community.street_office_id)
        )


class RoleAssignment(models.Model):
    """A role held by a staff member for a period; several at once are allowed. ORG-2"""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="roles", verbose_name=_("staff member"))
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("community"),
        help_text=_("For a street-office role: the community it covers (empty: all communities)."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the role is held."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # CTL-1: a start date before the day it is recorded needs a reason, kept with the role.
    backdate_reason = models.CharField(_("reason for the past start date"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="role_end_after_start"),
        ]
        indexes = [models.Index(fields=["role", "community", "start"])]

    def __str__(self):
        return f"{self.staff} · {self.get_role_display()}"

    def in_force(self, start: dt.date, end: dt.date | None = None) -> bool:
        """In force on some day from ``start`` to ``end`` (default: on ``start``), both included: the test of
        ``RoleAssignment.objects.on`` for a row already read."""
        return self.start <= (end or start) and (self.end is None or self.end >= start)

    def clean(self):
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("The end date is before the start date.")
        if self.staff_id and self.role:
            staff = self.staff
            if self.role in STREET_ROLES:
                if not staff.is_street_staff:
                    errors["role"] = _("Only street-office staff can hold a street-office role (ORG-2).")
                elif self.community_id and self.community.street_office_id != staff.street_office_id:
                    errors["community"] = _("The community belongs to another street office.")
            else:
                if staff.is_street_staff:
                    errors["role"] = _("A community role is held by the community's own staff (ORG-2).")
                elif self.community_id and self.community_id != staff.community_id:
                    errors["community"] = _("A community role is held in the staff member's own community.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A community role always names its community, so "who held role R in community C" is one filter.
        if self.role not in STREET_ROLES and self.staff_id and not self.community_id:
            self.community_id = self.staff.community_id
        super().save(*args, **kwargs)


# --- Policy: the bold defaults of RULES.md, per community ------------------------------------------


class PolicyValue(models.Model):
    """A community's (or, with no community, the whole street office's) value for one policy key."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="policy_values")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="policy_values"
    )
    key = models.CharField(_("setting"), max_length=60)
    value = models.CharField(_("value"), max_length=200)
    reason = models.CharField(_("reason for the change"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        constraints = [
            models.UniqueConstraint(fields=["street_office", "community", "key"], name="policy_unique_key"),
            models.UniqueConstraint(
                fields=["street_office", "key"], condition=Q(community__isnull=True), name="policy_unique_street_key"
            ),
        ]

    def __str__(self):
        return f"{self.key}={self.value}"


# --- Working-day calendar ---------------------------------------------------------------------------


class CalendarYear(models.Model):
    """The holiday table of one year; unconfirmed years make deadline computations warn."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("Official schedule (library)")
        MANUAL = "manual", _("Entered by the street office")
        NONE = "none", _("Unknown: weekends only")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday rule: a holiday, or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKDAY = "workday", _("Make-up working day")

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def clean(self):
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": _("The date is not in year %(year)s.") % {"year": self.calendar_year.year}})


# --- Approvals (ORG-3): one model for every approval in the product ----------------------------------


class Approval(models.Model):
    """One step of the approval of a record: the role required, who acted, in which role, and when."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")
        CANCELLED = "cancelled", _("Not needed")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="approvals")
    step = models.PositiveSmallIntegerField(_("step"))
    # Steps opened together by one request_approval call; a new round starts when a request is edited
    # and its approval restarts (CTL-5). CTL-2 is checked within a round.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    label = models.CharField(_("step"), max_length=100, blank=True)
    role_required = models.CharField(_("role required"), max_length=40, choices=Role.choices)
    summary = models.CharField(_("matter"), max_length=200)
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    requested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="approvals_requested", verbose_name=_("requested by")
    )
    subject = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="approvals_about", verbose_name=_("concerns"),
        help_text=_("The person the matter is about; they may not approve it either."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    acted_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals_decided",
        verbose_name=_("decided by"),
    )
    acted_role = models.CharField(_("acted as"), max_length=40, choices=Role.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # CTL-2: whoever prepared the record (handler, keeper, cashier) may not decide any of its steps.
    preparers = models.ManyToManyField(
        Staff, blank=True, related_name="approvals_prepared", verbose_name=_("prepared by")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["content_type", "object_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "step"], name="approval_one_row_per_step"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="cancelled") | Q(acted_by__isnull=False),
                name="approval_decision_has_actor",
            ),
        ]
        indexes = [models.Index(fields=["status", "role_required", "community"])]

    def __str__(self):
        return f"{self.summary} · {self.get_role_required_display()} · {self.get_status_display()}"


# --- Residents' register ----------------------------------------------------------------------------


class Grid(models.Model):
    """A grid (片) of the community, looked after by a grid group. GRID-1"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=50)
    committee_member = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("committee member")
    )
    station_member = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("station member")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="grid_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid_detail", args=[self.pk])


class Building(models.Model):
    """A residential building of the community."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="buildings", verbose_name=_("grid")
    )
    name = models.CharField(_("building"), max_length=50, help_text=_("e.g. 3号楼"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="building_name_unique")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": _("The grid belongs to another community.")})


class Household(models.Model):
    """A household (户) living at one address of the community."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="households", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="households", verbose_name=_("building")
    )
    unit = models.CharField(_("unit and room"), max_length=40, blank=True, help_text=_("e.g. 2单元301"))
    registered_locally = models.BooleanField(
        _("household register here"), default=True, help_text=_("Unticked for renters and floating population.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["community", "building__name", "unit"]

    def __str__(self):
        return " ".join(part for part in [str(self.building or ""), self.unit] if part) or f"#{self.pk}"

    def clean(self):
        if self.building_id and self.community_id and self.building.community_id != self.community_id:
            raise ValidationError({"building": _("The building belongs to another community.")})

    def get_absolute_url(self):
        return reverse("household_detail", args=[self.pk])


class Person(models.Model):
    """A resident of the community, optionally member of a household."""

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="residents", verbose_name=_("community")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("household")
    )
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices, blank=True)
    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(
        _("ID number"), max_length=18, validators=[idcard.validate_id_number], help_text=_("18-character resident ID")
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    disabled = models.BooleanField(_("disabled"), default=False)
    elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    serious_illness = models.BooleanField(_("serious illness"), default=False)
    hardship = models.BooleanField(_("hardship household"), default=False)
    volunteer = models.BooleanField(_("volunteer"), default=False)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Every pinyin-initial spelling of the name, space-prefixed ("单小明" → " dxm sxm cxm"), for search.
    name_initials = models.CharField(max_length=400, editable=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["name_initials"])

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "id_number"], name="person_id_unique_in_community")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.household_id and self.community_id and self.household.community_id != self.community_id:
            raise ValidationError({"household": _("The household belongs to another community.")})

    def fill_derived(self) -> None:
        """The fields read from others: birth date and gender from the ID number, the pinyin index of the
        name. ``save`` calls it; a bulk insert (the register import) calls it for each row."""
        self.id_number = idcard.normalise(self.id_number)
        self.birth_date = idcard.birth_date(self.id_number)
        if not self.gender:
            self.gender = idcard.gender(self.id_number)
        self.name_initials = pinyin.initials_index(self.name)

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return idcard.mask(self.id_number)

    @property
    def id_number_warning(self) -> str:
        """DB-6: an unknown region code is shown on the record as a warning, not refused."""
        return idcard.region_warning(self.id_number)

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.pk])


# --- ORG-4, ORG-5, ORG-6: on duty, going out, incidents -------------------------------------------


class Outing(models.Model):
    """A staff member out of the office for a meeting or an errand: asked beforehand, reported back. ORG-5"""

    class Kind(models.TextChoices):
        # A context keeps these words apart from the same English words in other apps' catalogues.
        MEETING = "meeting", pgettext_lazy("outing", "Meeting")
        ERRAND = "errand", pgettext_lazy("outing", "Errand")
        VISIT = "visit", pgettext_lazy("outing", "Home visit")
        OTHER = "other", pgettext_lazy("outing", "Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="outings", verbose_name=_("community"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="outings", verbose_name=_("who"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose and place"), max_length=200)
    leaves_at = models.DateTimeField(_("leaves at"))
    back_at = models.DateTimeField(_("expected back"))
    told = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="outings_told", verbose_name=_("asked / told"),
        help_text=_("A member asks the director; the director tells the person on duty (ORG-5)."),
    )
    returned_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    report = models.CharField(_("report"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        ordering = ["-leaves_at"]
        constraints = [
            models.CheckConstraint(condition=Q(back_at__gt=models.F("leaves_at")), name="outing_back_after_leaving"),
        ]

    def __str__(self):
        return f"{self.staff} · {self.purpose}"


class AllOutNotice(models.Model):
    """A notice to residents that every staff member will be out on a day, posted ahead. ORG-4"""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="all_out_notices", verbose_name=_("community")
    )
    date = models.DateField(_("day everyone is out"))
    reason = models.CharField(_("reason"), max_length=300)
    contact = models.CharField(_("contact in the meantime"), max_length=200, blank=True)
    posted_on = models.DateField(_("posted on"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("all-out notice")
        verbose_name_plural = _("all-out notices")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.community} {self.date}"


class Incident(models.Model):
    """A major accident, disaster or emergency, reported upward at once. ORG-6"""

    class Kind(models.TextChoices):
        ACCIDENT = "accident", _("Major accident")
        DISASTER = "disaster", _("Disaster")
        EMERGENCY = "emergency", _("Emergency")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    reported_at = models.DateTimeField(_("reported upward at"), null=True, blank=True)
    reported_to = models.CharField(_("reported to"), max_length=200, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.place}"

    def get_absolute_url(self):
        return reverse("incident_list")


# --- CTL-9: the audit trail read by the street office's discipline inspection ----------------------


class AuditEvent(models.Model):
    """One recorded act on accounts, roles or personal data (CTL-9). Written by ``committee.audit.record``
    only; never changed or deleted. Scoped to a street office so its 纪检 and 系统管理员 read their own."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        ACCOUNT_OPENED = "account_opened", _("Login opened")
        ACCOUNT_CLOSED = "account_closed", _("Login closed")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_ENDED = "role_ended", _("Role ended")
        WAGE_CHANGED = "wage_changed", _("Wage changed")
        PERSONAL_DATA_EXPORT = "personal_data_export", _("Personal data exported")
        PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Personal data viewed")

    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    # The user name as typed or held at the time (a failed login names no existing account).
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("street office"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(_("concerns"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["street_office", "kind", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.actor_name}"


# --- Notifications: the daily digest of the dashboard's overdue and due-tomorrow items (REMIND) ----------


class Notification(models.Model):
    """One dashboard item (REMIND) told to one person by the daily digest (committee.digest): at most once
    per person, item, kind and day; read or unread in the in-app list 我的提醒."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        DUE_TOMORROW = "due_tomorrow", _("Due tomorrow")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("digest of"))
    # What identifies the item among the dashboard's: its rule, community, due date, link and title.
    key = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    rule = models.CharField(_("rule"), max_length=20, blank=True)
    title = models.CharField(_("matter"), max_length=300)
    due = models.DateField(_("due date"), null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-day", "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key", "kind", "day"], name="notification_once_a_day"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()} {self.title}"


# --- CTL-5: logins and staff are deactivated, never deleted ------------------------------------------


def _refuse_delete(sender, instance, **kwargs):
    raise ValidationError(
        _("%(what)s “%(name)s” cannot be deleted: close the login or record the leaving date instead (CTL-5)."),
        params={"what": sender._meta.verbose_name, "name": str(instance)},
    )


models.signals.pre_delete.connect(_refuse_delete, sender=User, dispatch_uid="committee.no_delete_user")
models.signals.pre_delete.connect(_refuse_delete, sender=Staff, dispatch_uid="committee.no_delete_staff")
