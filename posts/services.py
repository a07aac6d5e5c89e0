"""The posts chapter's services: every change of a post record goes through here (CTL-5).

Each function checks first and raises a translated ``ValidationError`` naming the field and the rule, and
saves nothing then; it runs in one transaction.

What they refuse:
* POST-2: a published post edited by someone who is not the community's director, deputy, party secretary
  or the street office; a nomination of someone of another community or twice; holders decided before the
  candidates are announced, not among the candidates, more than the places, or on a decision that is not an
  adopted, not voided decision of a convened joint meeting (三委联席会) of this community.
* POST-4: a grade outside the four; a grade given by anyone but the street office; a grade of oneself.
* POST-5: a badge issued, reissued or taken back by a community user; a badge number already used in the
  street; a second worn badge for one holding; a negative fee. Inspections only by 纪检 (Role.DISCIPLINE).
* POST-6: weights that do not add up to the total; marks without a reason; marks or closing by a community
  user.
* CTL-6: the dates of acts (published, announced, decided, issued, returned, graded, closed) are the
  server's time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from committee import approvals, policy, records
from committee.models import Community, Role, Staff
from committee.scoping import staff_for
from posts import rules
from posts.models import (
    Badge,
    Complaint,
    Evaluation,
    Grade,
    Holding,
    Inspection,
    ItemWeight,
    Mark,
    Nomination,
    Opening,
    Post,
    Review,
    Training,
)

MANAGER_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.PARTY_SECRETARY)


_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members act on posts."))
    return staff


def is_street(staff: Staff | None, community: Community) -> bool:
    return (staff is not None and staff.community_id is None
            and staff.street_office_id == community.street_office_id)


def _check_sees(staff: Staff, community: Community) -> None:
    if staff.community_id not in (None, community.pk) or staff.street_office_id != community.street_office_id:
        raise ValidationError(_("This record belongs to another community."))


def may_manage(user, community: Community) -> bool:
    """The community's director, deputy director or party secretary, or the street office (POST-2, POST-3)."""
    staff = staff_for(user)
    if staff is None:
        return False
    if is_street(staff, community):
        return True
    day = timezone.localdate()
    return staff.community_id == community.pk and any(
        approvals.holds_role(staff, r, community, day) for r in MANAGER_ROLES)


def _check_manager(acting_user, community: Community) -> Staff:
    staff = _staff(acting_user)
    _check_sees(staff, community)
    if not may_manage(acting_user, community):
        raise ValidationError(_("Only the director, the deputy director, the party secretary or the street office "
                                "does this (POST-2)."))
    return staff


def _check_street(acting_user, community: Community, what: str, rule: str) -> Staff:
    staff = _staff(acting_user)
    if not is_street(staff, community):
        raise ValidationError(_("%(what)s is done by the street office only (%(rule)s).") % {"what": what,
                                                                                            "rule": rule})
    return staff


def _text(value: str, field: str, label: str, rule: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("%(field)s is required (%(rule)s).") % {"field": label, "rule": rule}})
    return value


def _staff_of(community: Community, staff: Staff, field: str) -> None:
    if staff is None or staff.community_id != community.pk:
        raise ValidationError({field: _("Choose a staff member of %(community)s (POST-2).")
                               % {"community": community.name}})


# --- POST-2: publishing, nominations, announcement, joint decision ------------------------------------


@transaction.atomic
def publish(*, community: Community, post: Post, year: int, places: int, duties: str, acting_user) -> Opening:
    """POST-2: publish a post with its number of places and its duties."""
    staff = _check_manager(acting_user, community)
    if not post.active:
        raise ValidationError({"post": _("This post is no longer in use (POST-1).")})
    if not places or places < 1 or places > 50:
        raise ValidationError({"places": _("The number of places is from 1 to 50 (POST-2).")})
    duties = _text(duties, "duties", _("Duties"), "POST-2")
    return _save(Opening(community=community, post=post, year=year, places=places, duties=duties,
                         published_by=staff), acting_user)


@transaction.atomic
def nominate(opening: Opening, *, staff: Staff, kind: str, recommended_by: str = "", statement: str = "",
             acting_user) -> Nomination:
    """POST-2: a self-nomination (by the candidate themself) or a democratic recommendation (recorded by the
    director, deputy, party secretary or the street office, saying who recommended)."""
    actor = _staff(acting_user)
    _check_sees(actor, opening.community)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("The candidates of this post have been announced: no more nominations (POST-2)."))
    _staff_of(opening.community, staff, "staff")
    if kind == Nomination.Kind.SELF:
        if actor.pk != staff.pk:
            raise ValidationError({"kind": _("A self-nomination is made by the candidate themself (POST-2).")})
    elif kind == Nomination.Kind.RECOMMENDED:
        if not may_manage(acting_user, opening.community):
            raise ValidationError({"kind": _("A democratic recommendation is recorded by the director, the deputy "
                                             "director, the party secretary or the street office (POST-2).")})
        recommended_by = _text(recommended_by, "recommended_by", _("Recommended by"), "POST-2")
    else:
        raise ValidationError({"kind": _("Choose self-nomination or democratic recommendation (POST-2).")})
    if opening.nominations.filter(staff=staff).exists():
        raise ValidationError({"staff": _("%(name)s is already a candidate for this post (POST-2).")
                               % {"name": staff.name}})
    return _save(Nomination(community=opening.community, opening=opening, staff=staff, kind=kind,
                            recommended_by=recommended_by, statement=(statement or "").strip(), recorded_by=actor),
                 acting_user)


@transaction.atomic
def announce(opening: Opening, *, acting_user) -> Opening:
    """POST-2: the candidates are announced (the disclosure notice ``posts.candidates`` is composed from them)."""
    _check_manager(acting_user, opening.community)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("The candidates have already been announced (POST-2)."))
    if not opening.nominations.exists():
        raise ValidationError(_("There is no candidate to announce yet (POST-2)."))
    opening.status = Opening.Status.ANNOUNCED
    opening.announced_at = timezone.now()  # CTL-6
    return _save(opening, acting_user)


def joint_decisions(community: Community):
    """POST-2: adopted, not voided decisions of convened joint meetings (三委联席会) of the community."""
    from meetings.models import BodyKind, Decision, convened_q

    return (Decision.objects.filter(meeting__community=community, meeting__body__kind=BodyKind.JOINT,
                                    adopted=True, voided=False)
            .filter(convened_q("meeting__")).select_related("meeting").order_by("-meeting__date", "-pk"))


def check_joint_decision(decision, community: Community) -> None:
    """POST-2: the joint decision of party organisation, committee and station: a decision of a convened
    meeting of this community's 三委联席会 body, adopted and not voided."""
    from meetings.models import BodyKind

    if decision is None:
        raise ValidationError({"decision": _("Choose the decision of the joint meeting (三委联席会) (POST-2).")})
    meeting = decision.meeting
    if meeting.community_id != community.pk:
        raise ValidationError({"decision": _("The decision belongs to another community's meeting (POST-2).")})
    if meeting.body.kind != BodyKind.JOINT:
        raise ValidationError({"decision": _("Posts are decided jointly by the party organisation, the committee "
                                             "and the station: choose a decision of the joint meeting (POST-2).")})
    if not meeting.convened:
        raise ValidationError({"decision": _("That meeting was not convened (its minutes are not approved): its "
                                             "decision cannot assign posts (POST-2, MTG-6).")})
    if decision.voided or not decision.adopted:
        raise ValidationError({"decision": _("That decision was not adopted or has been voided (POST-2).")})


@transaction.atomic
def decide(opening: Opening, *, decision, holders, start: dt.date, acting_user) -> list[Holding]:
    """POST-2: record the joint decision and the post-holders from ``start`` on."""
    _check_manager(acting_user, opening.community)
    opening = Opening.objects.select_for_update().select_related("community", "post").get(pk=opening.pk)
    if opening.status != Opening.Status.ANNOUNCED:
        raise ValidationError(_("The candidates are announced before the joint meeting decides (POST-2)."))
    check_joint_decision(decision, opening.community)
    holders = list(holders)
    if not holders:
        raise ValidationError({"holders": _("Choose at least one post-holder (POST-2).")})
    if len(holders) > opening.places:
        raise ValidationError({"holders": _("The post has %(n)s places: choose at most %(n)s holders (POST-2).")
                               % {"n": opening.places}})
    candidates = set(opening.nominations.values_list("staff_id", flat=True))
    outside = [s.name for s in holders if s.pk not in candidates]
    if outside:
        raise ValidationError({"holders": _("%(names)s was not an announced candidate (POST-2).")
                               % {"names": "、".join(outside)}})
    if start is None:
        raise ValidationError({"start": _("Say from when they hold the post (POST-2).")})
    holding_now = [h.staff.name for h in current_holdings(opening.community, start).filter(
        post=opening.post, staff__in=holders)]
    if holding_now:
        raise ValidationError({"holders": _("%(names)s already holds this post (POST-2).")
                               % {"names": "、".join(holding_now)}})
    opening.decision = decision
    opening.status = Opening.Status.DECIDED
    opening.decided_at = timezone.now()  # CTL-6
    _save(opening, acting_user)
    return [_save(Holding(community=opening.community, post=opening.post, staff=s, opening=opening, start=start),
                  acting_user) for s in holders]


@transaction.atomic
def end_holding(holding: Holding, *, end: dt.date, reason: str, acting_user) -> Holding:
    """POST-2: a holder leaves the post on a date (the record stays)."""
    _check_manager(acting_user, holding.community)
    holding = Holding.objects.select_for_update().get(pk=holding.pk)
    if holding.end is not None:
        raise ValidationError(_("This holder has already left the post."))
    if end is None or end < holding.start:
        raise ValidationError({"end": _("The end is on or after the start (%(start)s) (POST-2).")
                               % {"start": holding.start}})
    holding.end = end
    holding.end_reason = _text(reason, "reason", _("Reason"), "POST-2")
    return _save(holding, acting_user)


def current_holdings(community: Community, day: dt.date | None = None):
    from django.db.models import Q

    day = day or timezone.localdate()
    return (Holding.objects.filter(community=community, start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("post", "staff"))


# --- POST-3: training and the responsibility letter -----------------------------------------------


@transaction.atomic
def add_training(holding: Holding, *, date: dt.date, subject: str, hours, phase: str, acting_user) -> Training:
    """POST-3: a training before taking up the post or during it."""
    staff = _check_manager(acting_user, holding.community)
    subject = _text(subject, "subject", pgettext("training", "Subject"), "POST-3")
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite() or hours <= 0 or hours > 1000:
        raise ValidationError({"hours": _("Hours are more than 0 and at most 1000 (POST-3).")})
    if phase not in Training.Phase.values:
        raise ValidationError({"phase": _("Choose before or during the post (POST-3).")})
    if phase == Training.Phase.BEFORE and date > holding.start:
        raise ValidationError({"date": _("A training before the post is on or before its start (%(start)s) "
                                         "(POST-3).") % {"start": holding.start}})
    if phase == Training.Phase.DURING and date < holding.start:
        raise ValidationError({"date": _("A training during the post is on or after its start (%(start)s) "
                                         "(POST-3).") % {"start": holding.start}})
    return _save(Training(community=holding.community, holding=holding, date=date, subject=subject, hours=hours,
                          phase=phase, recorded_by=staff), acting_user)


@transaction.atomic
def upload_letter(holding: Holding, *, file, signed_on: dt.date, acting_user) -> Holding:
    """POST-3: the responsibility letter signed with the street office, uploaded (CTL-7 checks the file)."""
    _check_manager(acting_user, holding.community)
    if not file:
        raise ValidationError({"file": _("Choose the scanned letter (POST-3).")})
    if signed_on is None or signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The letter was signed on a day up to today (POST-3).")})
    holding = Holding.objects.select_for_update().get(pk=holding.pk)
    holding.letter = file
    holding.letter_signed_on = signed_on
    holding.letter_uploaded_at = timezone.now()  # CTL-6
    return _save(holding, acting_user)


def without_letter(communities, day: dt.date | None = None):
    """POST-3: current holdings with no signed letter (one query for any number of communities)."""
    from django.db.models import Q

    day = day or timezone.localdate()
    return (Holding.objects.filter(community__in=list(communities), start__lte=day, letter="")
            .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("post", "staff", "community"))


# --- POST-4: the annual review --------------------------------------------------------------------


@transaction.atomic
def record_report(holding: Holding, *, year: int, reported_on: dt.date, report: str = "", file=None,
                  representatives_opinion: str = "", acting_user) -> Review:
    """POST-4: the holder's report to the residents' representatives (text or file), with their evaluation."""
    staff = _check_manager(acting_user, holding.community)
    if not (report or "").strip() and not file:
        raise ValidationError({"report": _("Write the report or attach it (POST-4).")})
    if reported_on is None or reported_on > timezone.localdate() or reported_on.year != year:
        raise ValidationError({"reported_on": _("The report was given in %(year)s, up to today (POST-4).")
                               % {"year": year}})
    if Review.objects.filter(holding=holding, year=year).exists():
        raise ValidationError({"year": _("The report of %(year)s is already recorded (POST-4).") % {"year": year}})
    review = Review(community=holding.community, holding=holding, year=year, reported_on=reported_on,
                    report=(report or "").strip(), representatives_opinion=(representatives_opinion or "").strip(),
                    recorded_by=staff)
    if file:
        review.report_file = file
    return _save(review, acting_user)


@transaction.atomic
def grade(review: Review, *, grade: str, acting_user) -> Review:
    """POST-4: the street office grades after the representatives' evaluation: one of the four grades; nobody
    grades themselves."""
    staff = _check_street(acting_user, review.community, _("The grade"), "POST-4")
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose one of the four grades: excellent, competent, basically "
                                          "competent, incompetent (POST-4).")})
    review = Review.objects.select_for_update().select_related("holding").get(pk=review.pk)
    if review.holding.staff_id == staff.pk:
        raise ValidationError(_("Nobody grades themselves (POST-4, CTL-2)."))
    if review.grade:
        raise ValidationError(_("This report has been graded already (POST-4)."))
    review.grade = grade
    review.graded_by = staff
    review.graded_at = timezone.now()  # CTL-6
    return _save(review, acting_user)


# --- POST-5: badges ----------------------------------------------------------------------------------


def _check_number(community: Community, raw: str) -> str:
    number = rules.normalise_badge_number(raw)
    if not number:
        raise ValidationError({"number": _("The badge number is required (POST-5).")})
    if Badge.objects.filter(street_office_id=community.street_office_id, number=number).exists():
        raise ValidationError({"number": _("Badge number %(n)s is already used in this street: every badge has its "
                                           "own number (POST-5).") % {"n": number}})
    return number


def _create_badge(holding: Holding, number: str, staff: Staff, acting_user, **extra) -> Badge:
    badge = Badge(street_office_id=holding.community.street_office_id, community=holding.community, number=number,
                  holding=holding, issued_by=staff, **extra)
    try:
        with transaction.atomic():
            return _save(badge, acting_user)
    except IntegrityError:
        raise ValidationError({"number": _("Badge number %(n)s is already used in this street: every badge has its "
                                           "own number (POST-5).") % {"n": number}}) from None


def _check_current(holding: Holding) -> None:
    if holding.end is not None:
        raise ValidationError({"holding": _("%(name)s no longer holds this post (POST-5).")
                               % {"name": holding.staff.name}})


@transaction.atomic
def issue_badge(holding: Holding, *, number: str, acting_user) -> Badge:
    """POST-5: the street office issues the badge of a post-holder."""
    staff = _check_street(acting_user, holding.community, _("Issuing a badge"), "POST-5")
    holding = Holding.objects.select_for_update().select_related("community", "staff").get(pk=holding.pk)
    _check_current(holding)
    if holding.badges.filter(status=Badge.Status.ISSUED).exists():
        raise ValidationError({"holding": _("%(name)s already wears a badge for this post (POST-5).")
                               % {"name": holding.staff.name}})
    number = _check_number(holding.community, number)
    return _create_badge(holding, number, staff, acting_user, reason=Badge.Reason.FIRST)


def _lock_worn(badge: Badge) -> Badge:
    badge = Badge.objects.select_for_update().select_related("holding__staff", "community").get(pk=badge.pk)
    if badge.status != Badge.Status.ISSUED:
        raise ValidationError(_("This badge is %(status)s (POST-5).") % {"status": badge.get_status_display()})
    return badge


@transaction.atomic
def change_post(badge: Badge, *, holding: Holding, number: str, acting_user) -> Badge:
    """POST-5: on a change of post the old badge is returned and a new one issued for the new post."""
    staff = _check_street(acting_user, badge.community, _("Reissuing a badge"), "POST-5")
    badge = _lock_worn(badge)
    if holding.staff_id != badge.holding.staff_id or holding.pk == badge.holding_id:
        raise ValidationError({"holding": _("Choose another post held by %(name)s (POST-5).")
                               % {"name": badge.holding.staff.name}})
    _check_current(holding)
    number = _check_number(badge.community, number)
    badge.status = Badge.Status.RETURNED
    badge.returned_at = timezone.now()  # CTL-6
    _save(badge, acting_user)
    return _create_badge(holding, number, staff, acting_user, reason=Badge.Reason.CHANGE, replaces=badge)


@transaction.atomic
def return_badge(badge: Badge, *, acting_user) -> Badge:
    """POST-5: the badge is handed back (the holder left the post)."""
    _check_street(acting_user, badge.community, _("Taking back a badge"), "POST-5")
    badge = _lock_worn(badge)
    badge.status = Badge.Status.RETURNED
    badge.returned_at = timezone.now()  # CTL-6
    return _save(badge, acting_user)


@transaction.atomic
def reissue_lost(badge: Badge, *, number: str, fee, acting_user) -> Badge:
    """POST-5: a lost badge is reissued against a fee (recorded on the new badge, Decimal)."""
    staff = _check_street(acting_user, badge.community, _("Reissuing a badge"), "POST-5")
    badge = _lock_worn(badge)
    if fee is None or fee == "":
        fee = policy.get(badge.community, "post.lost_badge_fee")
    try:
        fee = Decimal(str(fee))
    except (InvalidOperation, ValueError):
        fee = None
    if fee is None or not fee.is_finite() or fee < 0 or fee > 100000:
        raise ValidationError({"fee": _("The fee is an amount of 0 yuan or more (POST-5).")})
    number = _check_number(badge.community, number)
    badge.status = Badge.Status.LOST
    badge.lost_at = timezone.now()  # CTL-6
    _save(badge, acting_user)
    return _create_badge(badge.holding, number, staff, acting_user, reason=Badge.Reason.LOST, replaces=badge,
                         fee=rules.round_points(fee))


def may_inspect(user) -> bool:
    """POST-5: the street office's discipline inspection (纪检) records badge inspections."""
    from committee.models import RoleAssignment

    staff = staff_for(user)
    return (staff is not None and staff.community_id is None
            and RoleAssignment.objects.on(timezone.localdate()).filter(staff=staff, role=Role.DISCIPLINE).exists())


@transaction.atomic
def record_inspection(*, community: Community, date: dt.date, findings: str, problem_found: bool,
                      acting_user) -> Inspection:
    """POST-5: the street office's discipline inspection (纪检) of badge wearing, with its findings."""
    staff = _staff(acting_user)
    if not is_street(staff, community) or not approvals.holds_role(staff, Role.DISCIPLINE, community,
                                                                    timezone.localdate()):
        raise ValidationError(_("Badge inspections are recorded by the street office's discipline inspection "
                                "(纪检) (POST-5)."))
    if date is None or date > timezone.localdate():
        raise ValidationError({"date": _("The inspection took place on a day up to today (POST-5).")})
    findings = _text(findings, "findings", _("Findings"), "POST-5")
    return _save(Inspection(community=community, date=date, inspector=staff, findings=findings,
                            problem_found=bool(problem_found)), acting_user)


@transaction.atomic
def record_complaint(*, holding: Holding, received_on: dt.date, text: str, complainant: str = "",
                     acting_user) -> Complaint:
    """POST-5: a complaint about a badge-holder (any staff of the community or the street office)."""
    staff = _staff(acting_user)
    _check_sees(staff, holding.community)
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The complaint was received on a day up to today (POST-5).")})
    text = _text(text, "text", _("Complaint"), "POST-5")
    badge = holding.badges.filter(status=Badge.Status.ISSUED).first()
    complainant = (complainant or "").strip()
    # GRID-6: the complaint is also a residents' request of the visits chapter, with the complaint time limit,
    # assigned to the committee approver — never to the holder complained about.
    from visits.services import record_staff_complaint

    req = record_staff_complaint(staff=holding.staff, text=text, source="posts", resident_name=complainant[:50],
                                 acting_user=acting_user)
    return _save(Complaint(community=holding.community, holding=holding, badge=badge, received_on=received_on,
                           text=text, complainant=complainant, recorded_by=staff, request=req), acting_user)


@transaction.atomic
def follow_up(complaint: Complaint, *, text: str, close: bool = False, acting_user) -> Complaint:
    """POST-5: the follow-up of a complaint, by the director, deputy, party secretary or the street office; the
    holder complained about never closes their own complaint."""
    staff = _check_manager(acting_user, complaint.community)
    complaint = Complaint.objects.select_for_update().select_related("holding").get(pk=complaint.pk)
    if complaint.closed_at:
        raise ValidationError(_("This complaint is closed (POST-5)."))
    if complaint.holding.staff_id == staff.pk:
        raise ValidationError(_("A complaint about you is followed up by someone else (POST-5, CTL-2)."))
    text = _text(text, "text", _("Follow-up"), "POST-5")
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    complaint.follow_up = (complaint.follow_up + "\n" if complaint.follow_up else "") + f"{stamp} {staff.name}：{text}"
    if close:
        complaint.closed_at = timezone.now()
        complaint.closed_by = staff
    return _save(complaint, acting_user)


# --- POST-6: the score sheet, marks and closing ------------------------------------------------------


@transaction.atomic
def set_weights(*, street_office, weights: dict[str, object], acting_user) -> None:
    """POST-6: the street office sets the weights of every item; they add up to the total or nothing is
    saved."""
    from posts import evaluation

    staff = _staff(acting_user)
    if staff.community_id is not None or staff.street_office_id != street_office.pk:
        raise ValidationError(_("The score sheet is set by the street office (POST-6)."))
    parsed: dict[str, Decimal] = {}
    errors = {}
    for item in evaluation.items():
        raw = weights.get(item.key, "0")
        try:
            value = Decimal(str(raw).strip() or "0")
            if not value.is_finite() or value < 0 or value > 1000:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[item.key] = _("A weight is a number of points from 0 to 1000 (POST-6).")
            continue
        parsed[item.key] = value
    if errors:
        raise ValidationError(errors)
    total = Decimal(policy.get(street_office.communities.first(), "post.eval_total")) if \
        street_office.communities.exists() else Decimal(policy.setting("post.eval_total").default)
    error = rules.weights_error(parsed, total)
    if error:
        raise ValidationError(error)
    for key, value in parsed.items():
        row = ItemWeight.objects.filter(street_office=street_office, key=key).first()
        if row is None:
            row = ItemWeight(street_office=street_office, key=key, weight=value, set_by=staff)
        elif row.weight == value:
            continue
        row.weight, row.set_by = value, staff
        _save(row, acting_user)


def evaluation_for(community: Community, year: int, acting_user=None) -> Evaluation:
    evaluation = Evaluation.objects.filter(community=community, year=year).first()
    if evaluation is None:
        evaluation = Evaluation(community=community, year=year)
        _save(evaluation, acting_user)
    return evaluation


@transaction.atomic
def add_mark(*, community: Community, year: int, points, reason: str, acting_user) -> Mark:
    """POST-6: the street office's own mark (+/− points) with its reason."""
    staff = _check_street(acting_user, community, _("A mark"), "POST-6")
    reason = _text(reason, "reason", _("Reason"), "POST-6")
    try:
        points = Decimal(str(points))
        if not points.is_finite() or abs(points) > 1000 or points == 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("Points are a number other than 0, from −1000 to 1000 (POST-6).")}) \
            from None
    evaluation = evaluation_for(community, year, acting_user)
    if evaluation.status == Evaluation.Status.CLOSED:
        raise ValidationError(_("The evaluation of %(year)s is closed (POST-6).") % {"year": year})
    return _save(Mark(community=community, evaluation=evaluation, points=rules.round_points(points), reason=reason,
                      given_by=staff), acting_user)


@transaction.atomic
def void_mark(mark: Mark, *, reason: str, acting_user) -> Mark:
    _check_street(acting_user, mark.community, _("A mark"), "POST-6")
    mark = Mark.objects.select_for_update().select_related("evaluation").get(pk=mark.pk)
    if mark.evaluation.status == Evaluation.Status.CLOSED:
        raise ValidationError(_("The evaluation of %(year)s is closed (POST-6).") % {"year": mark.evaluation.year})
    if mark.voided:
        raise ValidationError(_("This mark is already voided."))
    mark.voided = True
    mark.void_reason = _text(reason, "reason", _("Reason"), "POST-6")
    return _save(mark, acting_user)


@transaction.atomic
def close_evaluation(*, community: Community, year: int, acting_user) -> Evaluation:
    """POST-6: the street office closes the year's evaluation; its figures are frozen as they are now."""
    from posts import evaluation as ev

    staff = _check_street(acting_user, community, _("Closing the evaluation"), "POST-6")
    if year > timezone.localdate().year:
        raise ValidationError(_("A year is evaluated once it has begun (POST-6)."))
    evaluation = evaluation_for(community, year, acting_user)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == Evaluation.Status.CLOSED:
        raise ValidationError(_("The evaluation of %(year)s is closed (POST-6).") % {"year": year})
    evaluation.frozen = ev.freeze(ev.sheet(community, year, with_people=False))
    evaluation.status = Evaluation.Status.CLOSED
    evaluation.closed_at = timezone.now()  # CTL-6
    evaluation.closed_by = staff
    return _save(evaluation, acting_user)
