"""Public disclosure (DIS): the categories of the board with their cadence, and the notices posted there.

A notice is drafted (composed from the records or typed), approved by the committee approver, issued
(scanned for personal data, printed once, stored with its checksum, its seal use registered) and posted for
its period; it may be taken down early with a reason and, once its period is over, it leaves the board and
stays in the archive. Records change only through ``disclosure.services``; nothing here is deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee.models import Community, Staff
from disclosure import composers


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Disclosure records are never deleted; take a notice down with a reason (CTL-5)."))


CATEGORY_LABELS = {
    composers.POLICY: _("Policies, regulations and procedures"),
    composers.PLANS: _("Development plans"),
    composers.TARGETS: _("The committee's targets, evaluations and pay"),
    composers.FAMILY_PLANNING: _("Family planning approvals"),
    composers.FINANCE: _("Finance and fund use"),
    composers.DIBAO: _("Relief and dibao recipients"),
    composers.DISABILITY: _("Disabled persons' household-register changes"),
    composers.WELFARE: _("Public-welfare projects"),
    composers.SERVICE_OUTLET: _("Service-outlet income and spending"),
    composers.DONATIONS: _("Donations and fees collected"),
    composers.SEAL: _("Lost or replaced seals"),
    composers.OTHER: _("Other matters of public concern"),
}


class Category(models.Model):
    """DIS-1 a category of the board, DIS-2 how often it must be posted. A policy table: seeded with the rule
    book's categories, the street office edits cadence and minimum posting length (with history)."""

    class Cadence(models.TextChoices):
        QUARTER = "quarter", _("every quarter")
        HALF_YEAR = "half_year", _("every half year")
        AS_NEEDED = "as_needed", _("as needed")

    key = models.SlugField(_("key"), max_length=30, unique=True)
    cadence = models.CharField(_("posted"), max_length=20, choices=Cadence.choices, default=Cadence.AS_NEEDED)
    min_days = models.PositiveSmallIntegerField(_("posted at least (days)"), null=True, blank=True)
    min_working_days = models.PositiveSmallIntegerField(_("posted at least (working days)"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")
        ordering = ["order", "key"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return CATEGORY_LABELS.get(self.key, self.key)

    @classmethod
    def history_scope(cls, qs, user):
        from committee.scoping import staff_for

        return qs if staff_for(user) is not None else qs.none()


def new_public_code() -> str:
    import secrets

    from seals.rules import CODE_ALPHABET

    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


class NoticeQuerySet(models.QuerySet):
    def posted(self, day):
        """DIS-3: on the board on ``day``: issued, in its posting period, not taken down."""
        return self.filter(status=Notice.Status.ISSUED, posted_from__lte=day, posted_until__gte=day)


class Notice(models.Model):
    """One notice of the board (DIS-1…DIS-5): its frozen content, its approval, its printed PDF."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not yet issued")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ISSUED = "issued", pgettext_lazy("status of a notice", "Issued")
        TAKEN_DOWN = "taken_down", _("Taken down")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="notices",
                                  verbose_name=_("community"))
    category = models.CharField(_("category"), max_length=30)
    composer = models.CharField(_("composed from"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=60, blank=True)
    subject_label = models.CharField(_("subject"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    paragraphs = models.JSONField(_("text"), default=list)
    tables = models.JSONField(_("tables"), default=list)
    closing = models.JSONField(_("closing"), default=list)
    figures = models.JSONField(_("figures"), default=dict)
    min_days = models.PositiveSmallIntegerField(_("posted at least (days)"), null=True, blank=True)
    min_working_days = models.PositiveSmallIntegerField(_("posted at least (working days)"), null=True, blank=True)
    period_start = models.DateField(_("covers from"), null=True, blank=True)
    period_end = models.DateField(_("covers until"), null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("corrects"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    code = models.CharField(_("public code"), max_length=20, unique=True, default=new_public_code, editable=False)
    drafted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    posted_from = models.DateField(_("posted from"), null=True, blank=True)
    posted_until = models.DateField(_("posted until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("issued by"))
    pdf = models.FileField(_("printed notice"), upload_to="disclosure/", blank=True, editable=False)
    pdf_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True, editable=False)
    seal_reference = models.CharField(_("seal register entry"), max_length=40, blank=True)
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)
    taken_down_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("taken down by"))
    taken_down_reason = models.CharField(_("reason for taking it down"), max_length=500, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(posted_until__isnull=True) | Q(posted_from__isnull=True)
                                   | Q(posted_until__gte=models.F("posted_from")),
                                   name="disclosure_notice_period_order"),
        ]
        indexes = [models.Index(fields=["community", "status", "posted_until"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosure_notice", args=[self.pk])

    @property
    def category_label(self):
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def free_text(self) -> bool:
        return not self.composer

    def is_posted(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (self.status == self.Status.ISSUED and self.posted_from is not None
                and self.posted_from <= day <= self.posted_until)

    def is_expired(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.status == self.Status.ISSUED and self.posted_until is not None and self.posted_until < day

    @property
    def state(self) -> str:
        """The status as the lists show it: an issued notice past its period is 已过期 (computed)."""
        if self.is_expired():
            return "expired"
        if self.status == self.Status.ISSUED and self.posted_from and self.posted_from > timezone.localdate():
            return "scheduled"
        return self.status

    @property
    def state_label(self):
        return {"expired": _("Expired (in the archive)"), "scheduled": _("Issued, posted later")}.get(
            self.state) or self.get_status_display()

    def public_url(self):
        return reverse("disclosure_board_notice", args=[self.community.code, self.code])
