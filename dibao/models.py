"""Dibao (低保, DB-1 … DB-6): cases of households of the register, the dated local standard, the review
panel's member categories, quarterly reviews recorded in a convened panel meeting, home visits, and the
access records of the most sensitive data of the product.

Records change only through ``dibao.services``; nothing is deleted (a case is ended, a member leaves the
case with a date); every model keeps its history. No amount is ever typed: the monthly amount is computed
by ``dibao.rules.assess`` from the incomes and the standard in force.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committee.models import Community, Household, Person, Staff, StreetOffice
from committee.uploads import UploadField, UploadTo


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Dibao records are never deleted; end or correct them with a reason."))


class Standard(models.Model):
    """The local dibao standard per person and month from a date of effect (DB-6), street-wide or for one
    community. Set by the street office only (CTL-4). Without any row the policy value db.standard
    applies."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("street office"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("community"), help_text=_("Empty: every community of the street."))
    amount = models.DecimalField(_("standard per person per month"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("in force from"))
    reason = models.CharField(_("reason"), max_length=200)
    set_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("dibao standard")
        verbose_name_plural = _("dibao standards")
        ordering = ["-effective_from", "-pk"]

    def __str__(self):
        return f"{self.amount} ({self.effective_from})"


class PanelSeat(models.Model):
    """The category of a member of a dibao review panel (DB-1). meetings.BodyMember knows only a
    position; the category decides the composition rule."""

    class Category(models.TextChoices):
        LOCAL_UNIT = "local_unit", _("Local unit representative")
        PROPERTY = "property", _("Property management representative")
        RESIDENT = "resident", _("Resident representative")
        DIRECTOR = "director", _("Director")
        CIVIL_AFFAIRS = "civil_affairs", _("Civil-affairs member")
        OFFICER = "officer", _("Dibao officer")
        OTHER_CADRE = "other_cadre", _("Other committee cadre")

    CADRES = {Category.DIRECTOR, Category.CIVIL_AFFAIRS, Category.OFFICER, Category.OTHER_CADRE}

    member = models.OneToOneField("meetings.BodyMember", on_delete=models.PROTECT, related_name="dibao_seat",
                                  verbose_name=_("panel member"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")

    def __str__(self):
        return f"{self.member} · {self.get_category_display()}"


class Case(models.Model):
    """A household's dibao case: applied → under review → approved (recipient) → suspended / ended."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Recipient")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        REJECTED = "rejected", _("Not approved")

    ACTIVE = (Status.APPLIED, Status.UNDER_REVIEW, Status.APPROVED, Status.SUSPENDED)
    REVIEWED = (Status.APPLIED, Status.UNDER_REVIEW, Status.APPROVED, Status.SUSPENDED)  # DB-3: every quarter

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="dibao_cases",
                                  verbose_name=_("community"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="dibao_cases",
                                  verbose_name=_("household"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED,
                              db_index=True)
    assets = models.CharField(_("assets noted"), max_length=300, blank=True,
                              help_text=_("e.g. no car; one flat of 40 m² where the family lives"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    flagged = models.BooleanField(_("on the next review"), default=False,
                                  help_text=_("Set when a visit recorded a change of income (DB-4)."))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("dibao case")
        verbose_name_plural = _("dibao cases")
        ordering = ["community", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=["applied", "under_review",
                                                                                   "approved", "suspended"]),
                                    name="dibao_one_active_case_per_household"),
        ]

    def __str__(self):
        return _("Dibao case %(n)s") % {"n": self.pk}

    def get_absolute_url(self):
        return reverse("dibao_case", args=[self.pk])


class CaseMember(models.Model):
    """A person of the register in a case, with relation and monthly income by kind (DB-6)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members", verbose_name=_("case"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dibao_memberships",
                               verbose_name=_("resident"))
    relation = models.CharField(_("relation to head"), max_length=20, choices=Person.Relation.choices)
    covered = models.BooleanField(_("covered by the subsidy"), default=True)
    wage = models.DecimalField(_("wage income per month"), max_digits=10, decimal_places=2, default=0,
                               validators=[MinValueValidator(0)])
    pension = models.DecimalField(_("pension per month"), max_digits=10, decimal_places=2, default=0,
                                  validators=[MinValueValidator(0)])
    other = models.DecimalField(_("other income per month"), max_digits=10, decimal_places=2, default=0,
                                validators=[MinValueValidator(0)])
    income_source = models.CharField(_("source of income"), max_length=200, blank=True,
                                     help_text=_("e.g. employer, pension fund"))
    left_on = models.DateField(_("left the case on"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        ordering = ["case", "pk"]

    def __str__(self):
        return self.person.name

    @property
    def income(self):
        return self.wage + self.pension + self.other


class Transition(models.Model):
    """One change of a case's state, by the panel's review or by the officer with a reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("case"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    from_status = models.CharField(_("from"), max_length=20, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Case.Status.choices)
    reason = models.CharField(_("reason"), max_length=500)
    review = models.ForeignKey("Review", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("review"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Review(models.Model):
    """DB-3: the panel's decision on one household in one quarter, with reasons and votes, recorded in a
    convened meeting of the panel (MTG-6)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve / continue")
        SUSPEND = "suspend", _("Suspend")
        END = "end", _("End")
        REJECT = "reject", _("Do not approve")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("case"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="dibao_reviews",
                                verbose_name=_("panel meeting"))
    quarter = models.CharField(_("quarter"), max_length=7, db_index=True)  # "2026-Q3"
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reasons = models.CharField(_("reasons"), max_length=500)
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    per_capita = models.DecimalField(_("per-capita income"), max_digits=10, decimal_places=2)
    standard = models.DecimalField(_("standard applied"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    covered = models.PositiveSmallIntegerField(_("covered members"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        ordering = ["-quarter", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "quarter"], name="dibao_one_review_per_quarter")]

    def __str__(self):
        return f"{self.quarter} {self.get_decision_display()}"


class Visit(models.Model):
    """DB-4: a home visit (入户调查) recording income and family changes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits", verbose_name=_("case"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    visited_on = models.DateField(_("visited on"))
    date_reason = models.CharField(_("why an earlier date"), max_length=200, blank=True)
    visitors = models.CharField(_("who visited"), max_length=200)
    family_changes = models.CharField(_("family changes"), max_length=500, blank=True)
    income_changed = models.BooleanField(_("income changed"), default=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.case_id} {self.visited_on}"


class Document(models.Model):
    """A document supporting a case (CTL-7: checked upload, served through a checked view)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    title = models.CharField(_("title"), max_length=120)
    file = UploadField(_("file"), upload_to=UploadTo("dibao"))
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case", "pk"]

    def __str__(self):
        return self.title


class Access(models.Model):
    """Who saw which case's details when; a full ID number shown; an export. Read by the street office."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the details")
        REVEAL = "reveal", _("Showed full ID numbers")
        EXPORT = "export", _("Exported")
        DOCUMENT = "document", _("Opened a document")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses",
                             verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("dibao access record")
        verbose_name_plural = _("dibao access records")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.case_id}"
