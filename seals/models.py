"""Seals (SEAL): the community's seals, the register of every use, certificates for residents with a public
verification code, handovers after an election, replacement and loss with the public notice.

Records change only through ``seals.services`` (CTL-5): nothing here is deleted; a certificate or a use
is voided with a reason; every model keeps its history.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committee.models import Community, Person, Staff, StreetOffice
from committee.uploads import UploadField, UploadTo
from seals import rules


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Seal records are never deleted; void them with a reason (CTL-5)."))


class Seal(models.Model):
    """One physical seal of a community, issued by the street office, kept by its custodian at a fixed
    place and never lent out. SEAL-1"""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Residents' committee seal")
        PARTY = "party", _("Party organisation seal")
        STATION = "station", _("Service station seal")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        HANDED_OVER = "handed_over", _("Handed over, not yet received")
        REPLACED = "replaced", _("Replaced (collected)")
        LOST = "lost", _("Lost: void")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seals", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("wording of the seal"), max_length=120)
    custodian = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="seals_kept", verbose_name=_("custodian")
    )
    place = models.CharField(_("fixed place"), max_length=120, help_text=_("e.g. the locked cabinet in the office"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_USE)
    issued_on = models.DateField(_("issued by the street office on"))
    issued_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("issued by")
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    collected_on = models.DateField(_("old seal collected on"), null=True, blank=True)
    void_from = models.DateTimeField(_("void from"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        ordering = ["community", "kind", "-issued_on"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return reverse("seals_seal", args=[self.pk])

    @property
    def usable(self) -> bool:
        return self.status == self.Status.IN_USE


class Counter(models.Model):
    """The last number given per community, year and series: numbers without gaps (SEAL-2, SEAL-5)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "year", "series"], name="seals_counter_unique")]

    def __str__(self):
        return f"{self.community_id}/{self.year}/{self.series}: {self.last}"


class SealUse(models.Model):
    """One entry of the seal register: a request to use a seal, its approval and its stamping. SEAL-2"""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not yet stamped")
        STAMPED = "stamped", _("Stamped")
        REJECTED = "rejected", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VOID = "void", _("Voided")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seal_uses", verbose_name=_("community"))
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="uses", verbose_name=_("seal"))
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    use_kind = models.CharField(_("use"), max_length=30)
    major = models.BooleanField(_("major matter"), default=False, help_text=_("重大事项: needs a decision of the "
                                                                              "representatives' meeting (SEAL-4)"))
    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="seal_uses",
        verbose_name=_("decision of the representatives' meeting"),
    )
    matter = models.CharField(_("matter"), max_length=300)
    requester = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="seal_requests", verbose_name=_("requested by"))
    resident = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="seal_uses", verbose_name=_("resident")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies stamped"), default=1)
    document = UploadField(_("document"), upload_to=UploadTo("seals"), blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    stamped_at = models.DateTimeField(_("stamped at"), null=True, blank=True)
    stamped_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stamped by")
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    # Another chapter's record this stamping belongs to (attendance sheet ATT-9, receipt FIN-7, minutes …).
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("seal use")
        verbose_name_plural = _("seal register")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "seq"], name="seals_use_number_unique"),
            models.CheckConstraint(condition=Q(copies__gte=1), name="seals_use_copies_positive"),
        ]
        indexes = [models.Index(fields=["community", "status", "year"])]

    def __str__(self):
        return f"{self.number} {self.matter}"

    def get_absolute_url(self):
        return reverse("seals_use", args=[self.pk])

    @property
    def number(self) -> str:
        return f"用印-{self.year}-{self.seq:04d}"

    @property
    def use_label(self) -> str:
        return rules.use_label(self.use_kind)

    @property
    def outside_list(self) -> bool:
        return self.use_kind == "outside"


class CertificateTemplate(models.Model):
    """The street office's wording of one kind of certificate (SEAL-5). ``body`` holds placeholders such as
    {name}, {id_number}, {address}, {purpose}; a kind without a template uses the built-in wording."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("street office"))
    kind = models.CharField(_("certificate"), max_length=30)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    validity_days = models.PositiveSmallIntegerField(_("valid for (days)"), default=90)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [models.UniqueConstraint(fields=["street_office", "kind"], name="seals_template_unique")]

    def __str__(self):
        return self.title


class Certificate(models.Model):
    """A certificate for a resident, generated from a template, numbered and registered in one step (SEAL-5),
    carrying a verification code anyone can check on the public page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved: print and stamp")
        ISSUED = "issued", _("Issued (stamped)")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VOID = "void", _("Voided")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="certificates",
                                  verbose_name=_("community"))
    use = models.OneToOneField(SealUse, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("register entry"))
    kind = models.CharField(_("certificate"), max_length=30)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("resident"))
    holder_name = models.CharField(_("holder"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=200)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    validity_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    prints = models.PositiveIntegerField(_("times printed"), default=0)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("voided by"))
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "seq"], condition=Q(seq__isnull=False),
                                    name="seals_certificate_number_unique"),
        ]

    def __str__(self):
        return f"{self.number or '—'} {self.title}"

    def get_absolute_url(self):
        return reverse("seals_certificate", args=[self.pk])

    @property
    def number(self) -> str:
        if self.seq is None:
            return ""
        return f"证明〔{self.year}〕第{self.seq:04d}号"

    @property
    def kind_label(self) -> str:
        return rules.use_label(self.kind)


class Handover(models.Model):
    """SEAL-6: after an election the outgoing committee hands the seal to the new one within 7 working days
    of its taking office; the outgoing side's act and the new side's receipt are recorded."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seal_handovers",
                                  verbose_name=_("community"))
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("seal"))
    took_office_on = models.DateField(_("new committee took office on"))
    due_on = models.DateField(_("hand over by"))
    due_confirmed = models.BooleanField(default=True, editable=False)
    started_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    new_custodian = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("new custodian"))
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("handed over by (outgoing)"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("received by (new committee)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("seal handover")
        verbose_name_plural = _("seal handovers")
        ordering = ["-took_office_on"]

    def __str__(self):
        return f"{self.seal} {self.took_office_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("seals_handover", args=[self.pk])

    @property
    def done(self) -> bool:
        return self.received_at is not None


class SealNotice(models.Model):
    """SEAL-8 / SEAL-7: the public notice that an old seal is void (lost or replaced) and, where there is
    one, that the new seal is in use; it runs at least 30 days and carries a verification code."""

    class Reason(models.TextChoices):
        LOST = "lost", _("Lost seal")
        REPLACED = "replaced", _("Replaced seal")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seal_notices",
                                  verbose_name=_("community"))
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="notices", verbose_name=_("old seal"))
    new_seal = models.ForeignKey(Seal, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("new seal"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("text"))
    posted_from = models.DateField(_("posted from"))
    posted_until = models.DateField(_("posted until"))
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("public notice on a seal")
        verbose_name_plural = _("public notices on seals")
        ordering = ["-posted_from"]
        constraints = [
            models.CheckConstraint(condition=Q(posted_until__gte=models.F("posted_from")),
                                   name="seals_notice_period_order"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.seal}"

    def get_absolute_url(self):
        return reverse("seals_seal", args=[self.seal_id]) + f"#notice-{self.pk}"


class LossReport(models.Model):
    """SEAL-8: a lost seal reported at once; the seal is void from ``reported_at`` on."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    seal = models.OneToOneField(Seal, on_delete=models.PROTECT, related_name="loss", verbose_name=_("seal"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    circumstances = models.CharField(_("circumstances"), max_length=500)
    street_informed = models.BooleanField(_("street office informed"), default=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("loss report")
        verbose_name_plural = _("loss reports")

    def __str__(self):
        return f"{self.seal} {self.reported_at:%Y-%m-%d %H:%M}"


__all__ = ["Seal", "SealUse", "Certificate", "CertificateTemplate", "Handover", "SealNotice", "LossReport",
           "Counter", "settings"]
