"""Archives (ARC): the catalogue by category and year (volumes 卷, items 件, their files and versions),
cabinets with their protection, the borrowing register, the archivist's handover, and what of the
product's own records was filed (ARC-7).

Records change only through ``archives.services``: nothing here is deleted (CTL-5); a file is never
replaced, only a new version added (ARC-3); every model keeps its history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee.models import Community, Staff
from committee.uploads import UploadField, UploadTo


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Archive records are never deleted (CTL-5)."))


class Category(models.Model):
    """A category of ARC-1 (the policy table, filled by a data migration from ``rules.CATEGORIES``)."""

    key = models.SlugField(_("key"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("archive category")
        verbose_name_plural = _("archive categories")
        ordering = ["order", "pk"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from archives.rules import CATEGORY_LABELS

        return CATEGORY_LABELS.get(self.key, self.name)

    @staticmethod
    def history_scope(qs, user):  # reference data: every member of staff may read its history
        return qs


class Cabinet(models.Model):
    """A cabinet (档案柜) and its protection against fire, light, damp and theft. ARC-4"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="archive_cabinets",
                                  verbose_name=_("community"))
    name = models.CharField(_("cabinet"), max_length=60)
    place = models.CharField(_("room"), max_length=120)
    fire = models.CharField(_("protection against fire"), max_length=200)
    light = models.CharField(_("protection against light"), max_length=200)
    damp = models.CharField(_("protection against damp"), max_length=200)
    theft = models.CharField(_("protection against theft"), max_length=200)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("archive cabinet")
        verbose_name_plural = _("archive cabinets")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="arc_cabinet_unique_name")]

    def __str__(self):
        return f"{self.name}（{self.place}）"

    def get_absolute_url(self):
        return reverse("archives_cabinets")


class Volume(models.Model):
    """A volume (卷): the items of one category and year of a community. ARC-1"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="archive_volumes",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="volumes",
                                 verbose_name=_("category"))
    seq = models.PositiveSmallIntegerField(_("volume number"), default=1)
    title = models.CharField(pgettext_lazy("archives", "title"), max_length=200)
    last_item = models.PositiveIntegerField(default=0)  # the counter of item numbers (no gaps)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("volume")
        verbose_name_plural = _("volumes")
        ordering = ["-year", "category__order", "seq"]
        constraints = [models.UniqueConstraint(fields=["community", "year", "category", "seq"],
                                               name="arc_volume_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.year}-{self.category.order:02d}-{self.seq:02d}"

    def get_absolute_url(self):
        return reverse("archives_volume", args=[self.pk])


class Item(models.Model):
    """An item (件) of a volume: title, date, responsible body, pages, paper or electronic, where it is
    kept. ARC-1, ARC-4. Filed into a closed year it is a late entry (补记) with its reason (ARC-3)."""

    class Medium(models.TextChoices):
        PAPER = "paper", _("Paper original")
        ELECTRONIC = "electronic", _("Electronic")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="archive_items",
                                  verbose_name=_("community"))
    volume = models.ForeignKey(Volume, on_delete=models.PROTECT, related_name="items", verbose_name=_("volume"))
    seq = models.PositiveIntegerField(_("item number"))
    title = models.CharField(pgettext_lazy("archives", "title"), max_length=300)
    date = models.DateField(_("date of the document"))
    responsible = models.CharField(_("responsible body"), max_length=120)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    medium = models.CharField(_("original"), max_length=12, choices=Medium.choices, default=Medium.PAPER)
    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, null=True, blank=True, related_name="items",
                                verbose_name=_("cabinet"))
    shelf = models.CharField(_("shelf"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    late = models.BooleanField(_("late entry (补记)"), default=False)
    late_reason = models.CharField(_("reason for the late entry"), max_length=300, blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by"))
    # ARC-7: what of the product this item is (source key and the record's key), empty for other items
    source = models.CharField(_("filed from"), max_length=40, blank=True)
    source_ref = models.CharField(max_length=80, blank=True)
    text = models.TextField(_("text of the file"), blank=True)  # extracted at filing (search)
    history = HistoricalRecords(excluded_fields=["text"])
    delete = _refuse_delete

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["volume", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["volume", "seq"], name="arc_item_unique_seq"),
            models.UniqueConstraint(fields=["community", "source", "source_ref"], condition=~Q(source=""),
                                    name="arc_item_source_filed_once"),
            models.CheckConstraint(condition=Q(late=False) | ~Q(late_reason=""), name="arc_item_late_has_reason"),
        ]
        indexes = [models.Index(fields=["community", "volume"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"{self.volume.code}-{self.seq:03d}"

    def get_absolute_url(self):
        return reverse("archives_item", args=[self.pk])


class ItemFile(models.Model):
    """A file of an item: the original (version 1) and later versions; never replaced (ARC-3). Stored
    outside the web root under a generated name (CTL-7); its sha256 is checked at every download."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="files", verbose_name=pgettext_lazy("archives", "item"))
    version = models.PositiveSmallIntegerField(_("version"))
    file = UploadField(_("file"), upload_to=UploadTo("archives"), max_length=300)
    file_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    produced = models.BooleanField(_("produced by the product"), default=False)  # ARC-7, PDF/A
    note = models.CharField(_("why a new version"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("archive file")
        verbose_name_plural = _("archive files")
        ordering = ["item", "version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="arc_file_unique_version")]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"

    def get_absolute_url(self):
        return reverse("archives_item", args=[self.item_id])


class IntegrityFailure(models.Model):
    """The audit record of a download refused because the stored file no longer matches its checksum."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    file = models.ForeignKey(ItemFile, on_delete=models.PROTECT, related_name="failures", verbose_name=_("file"))
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    expected = models.CharField(_("checksum recorded"), max_length=64)
    found = models.CharField(_("checksum found"), max_length=64)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("file integrity failure")
        verbose_name_plural = _("file integrity failures")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.file} {self.at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("archives_item", args=[self.file.item_id])


class YearFiled(models.Model):
    """The archivist's record that all of a year's materials are filed (ARC-2)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    at = models.DateTimeField(_("recorded at"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("year filed")
        verbose_name_plural = _("years filed")
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="arc_year_filed_once")]

    def __str__(self):
        return f"{self.community} {self.year}"

    def get_absolute_url(self):
        return reverse("archives_offers") + f"?year={self.year}"


class Loan(models.Model):
    """One line of the borrowing register (借阅): who, what, why, when, due, returned. ARC-5"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="archive_loans",
                                  verbose_name=_("community"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans", verbose_name=pgettext_lazy("archives", "item"))
    borrower = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("borrower (staff)"))
    borrower_name = models.CharField(_("borrower"), max_length=60)
    borrower_unit = models.CharField(_("unit or address"), max_length=120, blank=True)
    purpose = models.CharField(pgettext_lazy("archives", "purpose"), max_length=200)
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due back on"))
    lent_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("lent by"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_to = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("returned to"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on", "-pk"]
        constraints = [
            # ARC-5: an item already lent cannot be lent again
            models.UniqueConstraint(fields=["item"], condition=Q(returned_on__isnull=True),
                                    name="arc_loan_one_open_per_item"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("lent_on")), name="arc_loan_due_after_lent"),
        ]

    def __str__(self):
        return f"{self.item} → {self.borrower_name}"

    def get_absolute_url(self):
        return reverse("archives_item", args=[self.item_id])


class Handover(models.Model):
    """The archivist's handover (ARC-6): the inventory of every volume and item (and what is on loan),
    signed by the outgoing and the incoming archivist, each in their own login."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="archive_handovers",
                                  verbose_name=_("community"))
    outgoing = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("outgoing archivist"))
    incoming = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("incoming archivist"))
    started_at = models.DateTimeField(pgettext_lazy("archives", "started at"))
    started_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("archives", "started by"))
    inventory = UploadField(_("inventory"), upload_to=UploadTo("archives-handover"), max_length=300)
    inventory_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    volumes = models.PositiveIntegerField(_("volumes"), default=0)
    items = models.PositiveIntegerField(_("items"), default=0)
    on_loan = models.PositiveIntegerField(_("on loan"), default=0)
    outgoing_signed_at = models.DateTimeField(_("signed by the outgoing archivist at"), null=True, blank=True)
    incoming_signed_at = models.DateTimeField(_("signed by the incoming archivist at"), null=True, blank=True)
    seal_reference = models.CharField(_("seal register entry"), max_length=60, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("archive handover")
        verbose_name_plural = _("archive handovers")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.outgoing} → {self.incoming}"

    @property
    def complete(self) -> bool:
        return bool(self.outgoing_signed_at and self.incoming_signed_at)

    def get_absolute_url(self):
        return reverse("archives_handover", args=[self.pk])
