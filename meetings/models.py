"""Meetings (MTG): bodies that meet, their members over time, meetings, roll call, agenda, decisions,
minutes with attachments, leave from street regular meetings.

Other chapters create meetings of their own bodies (dibao panel DB-2, welfare groups WEL-10, grid
meetings GRID-4, the joint meeting deciding funds FIN-7): a body's ``kind`` is a plain CharField whose
allowed values live in ``meetings.kinds`` (a registry other apps add to), so a new kind needs no
migration here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committee.models import Community, Person, Staff, StreetOffice
from committee.uploads import UploadField, UploadTo


class BodyKind(models.TextChoices):
    """The kinds this app knows; other apps register more in ``meetings.kinds``."""

    COMMITTEE = "committee", _("Residents' committee")
    REPRESENTATIVES = "representatives", _("Residents' representative meeting")
    RESIDENTS_MEETING = "residents_meeting", _("Residents' meeting")
    CONSULTATION = "consultation", _("Community consultation council")
    STREET_REGULAR = "street_regular", _("Street regular meeting")
    JOINT = "joint", _("Joint meeting of party organisation, committee and service station")
    MASS_MEETING = "mass_meeting", _("Residents' mass meeting")


class Body(models.Model):
    """A body that meets: a community's committee, its representatives, a council, a panel … or, with no
    community, a street-office body (the street regular meeting, MTG-2)."""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="meeting_bodies", verbose_name=_("street office")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_bodies",
        verbose_name=_("community"),
        help_text=_("Empty for a street-office body."),
    )
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    cadence_months = models.PositiveSmallIntegerField(
        _("meets at least every (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the rule book's cadence for this kind, if any (MTG-11)."),
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting body")
        verbose_name_plural = _("meeting bodies")
        ordering = ["community__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street_office", "community", "name"], name="meetings_body_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_kind_display(self):
        from meetings import kinds

        return kinds.label(self.kind)

    def get_absolute_url(self):
        return reverse("meetings_body", args=[self.pk])


class BodyMemberQuerySet(models.QuerySet):
    def on(self, day):
        """Members on a day (start and end included)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)


class BodyMember(models.Model):
    """A member of a body for a period: a staff member, a registered resident, or just a name."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members", verbose_name=_("body"))
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="body_memberships",
        verbose_name=_("staff member"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="body_memberships",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position in the body"), max_length=60, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while a member."))
    history = HistoricalRecords()

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="meetings_member_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=True) | Q(person__isnull=True), name="meetings_member_staff_or_person"
            ),
        ]

    def __str__(self):
        return self.name


def convened_q(prefix: str = "") -> Q:
    """MTG-6 / MTG-7: a meeting counts as convened (召开) when its minutes are approved (closed) and, where
    the body has a quorum, at least the quorum was present. An inquorate meeting is "not convened"."""
    return Q(**{f"{prefix}status": "closed"}) & (
        Q(**{f"{prefix}quorum_needed__isnull": True})
        | Q(**{f"{prefix}present_count__gte": models.F(f"{prefix}quorum_needed")})
    )


class Meeting(models.Model):
    """One meeting of a body."""

    class Category(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        MORNING_BRIEFING = "morning_briefing", _("Morning briefing")  # MTG-1
        EVENING_BRIEFING = "evening_briefing", _("Evening briefing")  # MTG-1
        WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary meeting")  # MTG-1
        MONTHLY_SUMMARY = "monthly_summary", _("Month-end summary meeting")  # MTG-1
        STUDY = "study", _("Cadres' study")  # MTG-10
        DEMOCRATIC_LIFE = "democratic_life", _("Democratic-life meeting")  # MTG-10
        REGULAR = "regular", _("Street regular meeting")  # MTG-2

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        SUBMITTED = "submitted", _("Minutes waiting for approval")
        CLOSED = "closed", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("street office")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("community"),
    )
    category = models.CharField(_("type"), max_length=30, choices=Category.choices, default=Category.MEETING)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    chair = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    chair_name = models.CharField(_("chair"), max_length=50, blank=True)
    recorder = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorder")
    )
    recorder_name = models.CharField(_("recorder"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    generated = models.BooleanField(_("generated by the schedule"), default=False)  # MTG-2
    regular_slot = models.PositiveSmallIntegerField(
        _("regular meeting of the month"), null=True, blank=True,
        help_text=_("0: the first day of mtg.regular_days (10th), 1: the second (20th), 2: the third (27th)."),
    )
    members_total = models.PositiveIntegerField(_("members"), null=True, blank=True)
    quorum_needed = models.PositiveIntegerField(_("quorum needed"), null=True, blank=True)
    present_count = models.PositiveIntegerField(_("present"), null=True, blank=True)
    roll_call_at = models.DateTimeField(_("roll call at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    closed_at = models.DateTimeField(_("minutes closed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date"], condition=Q(generated=True), name="meetings_one_generated_per_day"
            ),
            models.CheckConstraint(
                condition=Q(present_count__isnull=True)
                | Q(members_total__isnull=True)
                | Q(present_count__lte=models.F("members_total")),
                name="meetings_present_not_above_members",
            ),
        ]
        indexes = [models.Index(fields=["body", "status", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings_meeting", args=[self.pk])

    @property
    def has_quorum(self) -> bool | None:
        if self.present_count is None or self.quorum_needed is None:
            return None
        return self.present_count >= self.quorum_needed

    @property
    def not_convened(self) -> bool:
        """MTG-6 / MTG-7: the roll call found no quorum: the meeting is recorded as not convened."""
        return self.has_quorum is False

    @property
    def convened(self) -> bool:
        """MTG-6 / MTG-7: quorum (where one applies) and approved minutes; only then it counts (MTG-11)."""
        return self.status == self.Status.CLOSED and not self.not_convened


class Attendance(models.Model):
    """Roll call (MTG-3): one line per expected participant of a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Absent with leave")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("meeting"))
    member = models.ForeignKey(
        BodyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_attendance",
        verbose_name=_("staff member"),
    )
    name = models.CharField(_("name"), max_length=50)
    is_member = models.BooleanField(_("counts for quorum"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], condition=Q(member__isnull=False), name="meetings_attendance_one_member"
            ),
            models.UniqueConstraint(
                fields=["meeting", "staff"], condition=Q(staff__isnull=False), name="meetings_attendance_one_staff"
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.get_status_display()}"

    @property
    def is_present(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.LATE)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda", verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("item"), max_length=200)
    proposed_by = models.CharField(_("proposed by"), max_length=100, blank=True)
    major = models.BooleanField(_("major matter"), default=False, help_text=_("重大事项 (MTG-9)"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title


class Decision(models.Model):
    """A decision taken at a meeting with its vote (MTG-8). ``adopted`` is computed by the service when
    the decision is recorded; a decision is never deleted, it is voided with a reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the decision"), blank=True)
    major = models.BooleanField(_("major matter"), default=False)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    adopted = models.BooleanField(_("adopted"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings_meeting", args=[self.meeting_id]) + f"#decision-{self.pk}"

    @property
    def community(self):
        return self.meeting.community


class Dissent(models.Model):
    """A dissenting opinion recorded with the member's name (MTG-8)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="dissents", verbose_name=_("decision"))
    name = models.CharField(_("member"), max_length=50)
    opinion = models.TextField(_("opinion"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dissenting opinion")
        verbose_name_plural = _("dissenting opinions")
        ordering = ["decision", "pk"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    return f"meetings/{instance.meeting_id}/{filename}"


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = UploadField(_("file"), upload_to=UploadTo("meetings/attachments"))  # CTL-7
    file_sha256 = models.CharField(_("file checksum (sha256)"), max_length=64, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.title or self.file.name


class MinutesCorrection(models.Model):
    """A change to the minutes of a closed meeting, with the reason it was made."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    reason = models.CharField(_("reason for the change"), max_length=200)
    previous_text = models.TextField(_("previous minutes"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes correction")
        verbose_name_plural = _("minutes corrections")
        ordering = ["meeting", "changed_at"]

    def __str__(self):
        return f"{self.meeting} · {self.reason}"


class LeaveRequest(models.Model):
    """Written leave to miss a street regular meeting (MTG-4), approved through committee.approvals."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="leave_requests", verbose_name=_("meeting"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="meeting_leaves", verbose_name=_("staff member"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    reason = models.CharField(_("reason"), max_length=200)
    in_a_row = models.PositiveSmallIntegerField(_("absence in a row"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting leave request")
        verbose_name_plural = _("meeting leave requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "staff"], condition=~Q(state="rejected"), name="meetings_one_open_leave"
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.meeting}"

    def get_absolute_url(self):
        return reverse("meetings_leave", args=[self.pk])
