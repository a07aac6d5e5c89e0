"""Attendance and leave (ATT): the sign-in register, leave requests, inspections and monthly sheets.

Monthly figures are never stored: they are computed from these records (attendance.figures, ATT-5/6).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committee.models import Community, Staff
from committee.uploads import UploadField, UploadTo


class SignIn(models.Model):
    """One staff member's sign-in and sign-out on one day: the attendance register (考勤簿). ATT-1"""

    class Source(models.TextChoices):
        SELF = "self", _("Signed by the staff member")
        KEEPER = "keeper", _("Recorded by the attendance keeper")
        IMPORT = "import", _("Imported from the punch clock")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="sign_ins", verbose_name=_("staff member"))
    date = models.DateField(_("date"))
    sign_in = models.TimeField(_("signed in at"), null=True, blank=True)
    sign_out = models.TimeField(_("signed out at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SELF)
    note = models.CharField(_("reason for recording"), max_length=200, blank=True,
                            help_text=_("Why the keeper recorded it on the staff member's behalf."))
    correction_reason = models.CharField(_("reason for the last correction"), max_length=200, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-in record")
        verbose_name_plural = _("sign-in records")
        ordering = ["-date", "staff__name"]
        constraints = [
            # ATT-1: one register line per person and day; a second sign-in is refused.
            models.UniqueConstraint(fields=["staff", "date"], name="att_one_sign_in_per_day"),
            models.CheckConstraint(
                condition=Q(sign_in__isnull=True) | Q(sign_out__isnull=True) | Q(sign_out__gte=models.F("sign_in")),
                name="att_sign_out_after_sign_in",
            ),
        ]
        indexes = [models.Index(fields=["community", "date"])]

    def __str__(self):
        return f"{self.staff} {self.date}"

    def get_absolute_url(self):
        return reverse("attendance_register") + f"?day={self.date.isoformat()}"


class LeaveRequest(models.Model):
    """A written request for sick or personal leave (请假条), whole or half days, approved per ATT-3; or an
    emergency leave told to the department head whose written request follows (ATT-4)."""

    class Kind(models.TextChoices):
        SICK = "sick", _("Sick leave")
        PERSONAL = "personal", _("Personal leave")

    class Half(models.TextChoices):
        AM = "am", _("morning")
        PM = "pm", _("afternoon")

    class State(models.TextChoices):
        PAPERWORK = "paperwork", _("Written request to follow")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="leave_requests",
                              verbose_name=_("staff member"))
    kind = models.CharField(_("kind of leave"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("first day"))
    start_half = models.CharField(_("first day begins"), max_length=2, choices=Half.choices, default=Half.AM,
                                  help_text=_("Morning: the whole first day; afternoon: from noon."))
    end = models.DateField(_("last day"))
    end_half = models.CharField(_("last day ends"), max_length=2, choices=Half.choices, default=Half.PM,
                                help_text=_("Afternoon: the whole last day; morning: until noon."))
    days = models.DecimalField(_("leave days (working days)"), max_digits=6, decimal_places=1,
                               help_text=_("Counted on working days of the official calendar."))
    reason = models.TextField(_("reason"), blank=True)
    attachment = UploadField(_("attachment (e.g. sick note)"), upload_to=UploadTo("attendance/leave"), blank=True)  # CTL-7
    attachment_sha256 = models.CharField(_("attachment checksum (sha256)"), max_length=64, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    emergency = models.BooleanField(_("emergency leave"), default=False)
    told_on = models.DateField(_("department head told on"), null=True, blank=True)
    told_to = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("told to"))
    paperwork_due = models.DateField(_("written request due by"), null=True, blank=True)
    filed_at = models.DateTimeField(_("written request filed at"), null=True, blank=True)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    # CTL-5: the attendance keeper entering, editing or withdrawing for someone else says why.
    on_behalf_reason = models.CharField(_("reason for acting on the staff member's behalf"), max_length=200,
                                        blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="att_leave_end_after_start"),
            models.CheckConstraint(condition=Q(days__gt=0), name="att_leave_days_positive"),
        ]
        indexes = [models.Index(fields=["community", "start", "end"])]

    def __str__(self):
        return f"{self.staff} · {self.get_kind_display()} · {self.start}–{self.end}"

    def get_absolute_url(self):
        return reverse("attendance_leave_detail", args=[self.pk])

    @property
    def counts_as_leave(self) -> bool:
        return self.state == self.State.APPROVED

    def paperwork_overdue(self, day) -> bool:
        """ATT-4: an emergency leave whose written request was not filed by its due day."""
        return self.state == self.State.PAPERWORK and self.paperwork_due is not None and day > self.paperwork_due

    @property
    def is_open(self) -> bool:
        """Still occupies its days: no other request may overlap it."""
        return self.state in (self.State.PAPERWORK, self.State.PENDING, self.State.APPROVED)


class Inspection(models.Model):
    """An unannounced street-office inspection of a community's attendance (ATT-8). A finding deducts
    ``deduction_pct`` of the community's target-responsibility total score for the year (read by POST-6)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    date = models.DateField(_("date"))
    inspector = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector"))
    finding = models.TextField(_("finding"), blank=True)
    problem_found = models.BooleanField(_("problem found"), default=False)
    deduction_pct = models.DecimalField(_("score deducted (%)"), max_digits=5, decimal_places=2, default=0,
                                        help_text=_("From the policy in force on the day (ATT-8)."))
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance inspection")
        verbose_name_plural = _("attendance inspections")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(problem_found=True) | Q(deduction_pct=0),
                                   name="att_inspection_deduction_needs_problem"),
        ]

    def __str__(self):
        return f"{self.community} {self.date}"

    def get_absolute_url(self):
        return reverse("attendance_inspections") + f"#i{self.pk}"


class MonthlySheet(models.Model):
    """The record that a community's monthly attendance sheet, stamped with the committee seal, was sent
    to the street office (ATT-9)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    sent_on = models.DateField(_("sent on"))
    # CTL-6: the date is the server's; an earlier one is a late entry (补记) with its reason.
    sent_late = models.BooleanField(_("late entry (补记)"), default=False)
    late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    sent_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by"))
    # A reference to the seal register entry (SEAL-2) once the seals app exists.
    seal_reference = models.CharField(_("seal register entry"), max_length=60, blank=True, null=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly attendance sheet sent")
        verbose_name_plural = _("monthly attendance sheets sent")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "month"], name="att_sheet_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="att_sheet_month_valid"),
        ]

    def __str__(self):
        return f"{self.community} {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("attendance_month", args=[self.year, self.month])


class ResignationReview(models.Model):
    """The street office's decision on an ATT-7 flag ("to be treated as resigned"): the application flags,
    a person decides; once decided the flag leaves the dashboard."""

    class Decision(models.TextChoices):
        TREAT_AS_RESIGNED = "resigned", _("Treated as resigned")
        KEEP = "keep", _("Kept on (justified)")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member"))
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resignation review")
        verbose_name_plural = _("resignation reviews")
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="att_one_review_per_year")]

    def __str__(self):
        return f"{self.staff} {self.year}"

    def get_absolute_url(self):
        return reverse("attendance_flags") + f"?year={self.year}"



class RegisterMonth(models.Model):
    """The keeper started a month's register on a day although no line is in it yet (ATT-1): from that day
    on a working day without a sign-in or approved leave is absence. Without it the register of a month is
    kept from its first line (signed, recorded or imported); a month with neither shows "no attendance
    recorded" and counts nothing."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    started_on = models.DateField(_("kept from"))
    started_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("register month started")
        verbose_name_plural = _("register months started")
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "month"], name="att_register_month_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="att_register_month_valid"),
        ]

    def __str__(self):
        return f"{self.community} {self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return reverse("attendance_month", args=[self.year, self.month])
