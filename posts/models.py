"""Posts (POST-1 … POST-6): the six posts of the rule book, their assignment in a community, the holders'
training and responsibility letters, the annual review and grade, the badges of 挂牌上岗 with their
inspections and complaints, and the annual target-responsibility evaluation.

Records change only through ``posts.services`` (CTL-5): nothing here is deleted; a holding ends on a date,
a badge is returned or reported lost, a mark is voided with a reason; every model keeps its history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committee.models import Community, Staff, StreetOffice
from committee.uploads import UploadField, UploadTo

MONEY = {"max_digits": 12, "decimal_places": 2}


def _refuse_delete(self, *args, **kwargs):
    raise ValidationError(_("Post records are never deleted (CTL-5)."))


class Group(models.TextChoices):
    """POST-1: the three groups of posts."""

    SUPERVISION = "supervision", _("Residents'-affairs supervision")
    PUBLIC = "public", _("Public affairs")
    IDEOLOGY = "ideology", _("Ideology")


class Post(models.Model):
    """POST-1: one post of the rule book (a policy table, filled by a data migration). One post may have
    several holders; one person several posts."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    name = models.CharField(_("post"), max_length=60)
    duties = models.TextField(_("duties"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["order", "pk"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from posts.rules import post_label

        return post_label(self.key, self.name)

    @classmethod
    def history_scope(cls, qs, user):
        from committee.scoping import staff_for

        return qs if staff_for(user) is not None else qs.none()


class Opening(models.Model):
    """POST-2: a post published in a community for a year, with its number of places and duties; then the
    nominations, the announcement of the candidates and the joint decision (三委联席会)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Published: nominations open")
        ANNOUNCED = "announced", _("Candidates announced")
        DECIDED = "decided", _("Decided by the joint meeting")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_openings",
                                  verbose_name=_("community"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="openings", verbose_name=_("post"))
    year = models.PositiveSmallIntegerField(_("year"))
    places = models.PositiveSmallIntegerField(_("number of places"), default=1)
    duties = models.TextField(_("duties"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by"))
    announced_at = models.DateTimeField(_("candidates announced at"), null=True, blank=True)
    decision = models.ForeignKey("meetings.Decision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="post_openings", verbose_name=_("joint decision"))
    decided_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("published post")
        verbose_name_plural = _("published posts")
        ordering = ["-year", "post__order", "pk"]

    def __str__(self):
        return f"{self.year} {self.post}"

    def get_absolute_url(self):
        return reverse("posts_opening", args=[self.pk])


class Nomination(models.Model):
    """POST-2: a candidate for a published post: a self-nomination or a democratic recommendation."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-nomination")
        RECOMMENDED = "recommended", _("Democratic recommendation")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_nominations",
                                  verbose_name=_("community"))
    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="nominations",
                                verbose_name=_("published post"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="post_nominations",
                              verbose_name=_("candidate"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recommended_by = models.CharField(_("recommended by"), max_length=200, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["opening", "pk"]
        constraints = [models.UniqueConstraint(fields=["opening", "staff"], name="posts_nomination_once")]

    def __str__(self):
        return f"{self.staff.name} · {self.opening}"

    def get_absolute_url(self):
        return self.opening.get_absolute_url()


class Holding(models.Model):
    """POST-2: a person holds a post in a community from a date (until an end date). POST-3: the signed
    responsibility letter with the street office; a holding without one is flagged."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_holdings",
                                  verbose_name=_("community"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("post"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="post_holdings",
                              verbose_name=_("post-holder"))
    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, null=True, blank=True, related_name="holdings",
                                verbose_name=_("published post"))
    start = models.DateField(_("holds the post from"))
    end = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    letter = UploadField(_("signed responsibility letter"), upload_to=UploadTo("posts/letters"), blank=True,
                         max_length=300)
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    letter_signed_on = models.DateField(_("letter signed on"), null=True, blank=True)
    letter_uploaded_at = models.DateTimeField(_("letter uploaded at"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("post-holder")
        verbose_name_plural = _("post-holders")
        ordering = ["post__order", "start", "pk"]

    def __str__(self):
        return f"{self.staff.name} · {self.post}"

    def get_absolute_url(self):
        return reverse("posts_holding", args=[self.pk])

    @property
    def current(self) -> bool:
        return self.end is None

    @property
    def has_letter(self) -> bool:
        return bool(self.letter)


class Training(models.Model):
    """POST-3: training before taking up a post or during it."""

    class Phase(models.TextChoices):
        BEFORE = "before", _("Before taking up the post")
        DURING = "during", _("During the post")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_trainings",
                                  verbose_name=_("community"))
    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="trainings",
                                verbose_name=_("post-holder"))
    date = models.DateField(_("date"))
    subject = models.CharField(pgettext_lazy("training", "subject"), max_length=200)
    hours = models.DecimalField(pgettext_lazy("training", "hours"), max_digits=5, decimal_places=1)
    phase = models.CharField(_("when"), max_length=10, choices=Phase.choices)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.subject}"

    def get_absolute_url(self):
        return self.holding.get_absolute_url()


class Grade(models.TextChoices):
    """POST-4: the four grades of the annual review."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class Review(models.Model):
    """POST-4: a holder's annual report to the residents' representatives, and the grade the street office
    gives after the representatives' evaluation."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_reviews",
                                  verbose_name=_("community"))
    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("post-holder"))
    year = models.PositiveSmallIntegerField(_("year"))
    reported_on = models.DateField(_("reported to the representatives on"))
    report = models.TextField(_("report"), blank=True)
    report_file = UploadField(_("report (file)"), upload_to=UploadTo("posts/reports"), blank=True, max_length=300)
    report_file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    representatives_opinion = models.TextField(_("representatives' evaluation"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    graded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("graded by"))
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["holding", "year"], name="posts_review_once_a_year"),
            models.CheckConstraint(condition=Q(grade="") | Q(grade__in=Grade.values), name="posts_review_grade_known"),
        ]

    def __str__(self):
        return f"{self.year} {self.holding}"

    def get_absolute_url(self):
        return reverse("posts_review", args=[self.pk])


class Badge(models.Model):
    """POST-5: a badge (挂牌上岗) issued by the street office: its number is unique in the street; a change
    of post reissues it (the old one returned); a lost badge is reissued against a fee."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Worn")
        RETURNED = "returned", _("Returned")
        LOST = "lost", _("Lost")

    class Reason(models.TextChoices):
        FIRST = "first", _("First issue")
        CHANGE = "change", _("Change of post")
        LOST = "lost", _("Reissue of a lost badge")

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("street office"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_badges",
                                  verbose_name=_("community"))
    number = models.CharField(_("badge number"), max_length=30)
    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="badges", verbose_name=_("post-holder"))
    reason = models.CharField(_("issued for"), max_length=10, choices=Reason.choices, default=Reason.FIRST)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField(pgettext_lazy("badge", "issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("replaces"))
    fee = models.DecimalField(_("fee for the lost badge (yuan)"), null=True, blank=True, **MONEY)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    lost_at = models.DateTimeField(_("reported lost at"), null=True, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["street_office", "number"], name="posts_badge_number_unique"),
            models.CheckConstraint(condition=Q(fee__isnull=True) | Q(fee__gte=0), name="posts_badge_fee_not_negative"),
        ]

    def __str__(self):
        return _("Badge No. %(n)s") % {"n": self.number}

    def get_absolute_url(self):
        return reverse("posts_badge", args=[self.pk])


class Inspection(models.Model):
    """POST-5: a discipline inspection (纪检) of badge wearing, with its findings."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_inspections",
                                  verbose_name=_("community"))
    date = models.DateField(_("date"))
    inspector = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector"))
    findings = models.TextField(_("findings"))
    problem_found = models.BooleanField(_("a problem was found"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("badge inspection")
        verbose_name_plural = _("badge inspections")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.community.name}"

    def get_absolute_url(self):
        return reverse("posts_inspections") + f"#inspection-{self.pk}"


class Complaint(models.Model):
    """POST-5: a complaint about a badge-holder, followed up until closed. ``request``: the residents' request
    of the visits chapter (GRID-6) created with it, dealt with by someone other than the holder."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_complaints",
                                  verbose_name=_("community"))
    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="complaints",
                                verbose_name=_("post-holder"))
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints",
                              verbose_name=_("badge"))
    received_on = models.DateField(_("received on"))
    complainant = models.CharField(_("complainant"), max_length=100, blank=True)
    text = models.TextField(_("complaint"))
    request = models.ForeignKey("visits.Request", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("residents' request"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("complaint about a badge-holder")
        verbose_name_plural = _("complaints about badge-holders")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.holding}"

    def get_absolute_url(self):
        return reverse("posts_complaint", args=[self.pk])


class ItemWeight(models.Model):
    """POST-6: the street office's score sheet: the weight of each evaluation item (the items are those of
    ``posts.evaluation``'s registry). The weights add up to the sheet's total (policy ``post.eval_total``)."""

    street_office = models.ForeignKey(StreetOffice, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("street office"))
    key = models.CharField(_("item"), max_length=60)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)
    set_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("evaluation item weight")
        verbose_name_plural = _("evaluation item weights")
        ordering = ["street_office", "key"]
        constraints = [
            models.UniqueConstraint(fields=["street_office", "key"], name="posts_weight_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="posts_weight_not_negative"),
        ]

    def __str__(self):
        return f"{self.key} {self.weight}"

    @classmethod
    def history_scope(cls, qs, user):
        from committee.scoping import staff_for

        staff = staff_for(user)
        return qs.filter(street_office_id=staff.street_office_id) if staff else qs.none()


class Evaluation(models.Model):
    """POST-6: a community's annual evaluation. While in progress its figures are computed from the records;
    closing it by the street office freezes them (``frozen``)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", pgettext_lazy("evaluation", "Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_evaluations",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    frozen = models.JSONField(_("figures when closed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["-year", "community"]
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="posts_evaluation_once")]

    def __str__(self):
        return f"{self.community.name} {self.year}"

    def get_absolute_url(self):
        return reverse("posts_evaluation", args=[self.community_id, self.year])


class Mark(models.Model):
    """POST-6: the street office's own mark on an evaluation (plus or minus points) with its reason; voided
    with a reason, never deleted."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="post_marks",
                                  verbose_name=_("community"))
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="marks",
                                   verbose_name=_("annual evaluation"))
    points = models.DecimalField(_("points (+ or −)"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    given_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by"))
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    history = HistoricalRecords()
    delete = _refuse_delete

    class Meta:
        verbose_name = _("street office's mark")
        verbose_name_plural = _("street office's marks")
        ordering = ["given_at", "pk"]

    def __str__(self):
        return f"{self.points} {self.reason}"

    def get_absolute_url(self):
        return self.evaluation.get_absolute_url()


__all__ = ["settings"]
