"""Every change of a dibao record (DB-1 … DB-6). Each function takes ``acting_user`` (keyword), checks
with ``dibao.rules``, saves inside a transaction, sets the history user and raises ``ValidationError``
naming the field and the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import approvals, idcard, policy, records
from committee.inputs import find_control_character
from committee.models import Community, Household, Person, Role, Staff
from committee.scoping import staff_for
from dibao import rules
from dibao.models import Access, Case, CaseMember, Document, PanelSeat, Review, Standard, Transition, Visit

PANEL_KIND = "dibao_panel"
# Community roles that work on dibao cases (open, record, send to review, visit, record reviews).
WORK_ROLES = (Role.DIBAO_OFFICER, Role.CIVIL_AFFAIRS, Role.DIRECTOR)
# Street-office roles that supervise dibao (read details, the access records): the department head of
# the street office (民政 supervision sits there) and the street leader. Nobody else at the street.
SUPERVISOR_ROLES = (Role.DEPARTMENT_HEAD, Role.STREET_LEADER)
STANDARD_ROLES = (Role.DEPARTMENT_HEAD, Role.STREET_LEADER)  # CTL-4: the street office sets the standard


def _save(obj, acting_user):
    return records.save(obj, acting_user, clean=True)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members act on dibao cases."))
    return staff


def _text(value, field, *, required=False, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("Please fill this in.")})
    if find_control_character(value):
        raise ValidationError({field: _("The text contains a control character; please retype it (CTL-8).")})
    return value


def _money(value, field) -> Decimal:
    """DB-6: incomes are non-negative amounts with at most two decimals."""
    if isinstance(value, float):
        raise ValidationError({field: _("Please give the amount in yuan, e.g. 1200.50.")})
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Please give the amount in yuan, e.g. 1200.50.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An income cannot be negative (DB-6).")})
    if amount > Decimal("10000000"):
        raise ValidationError({field: _("This amount is not plausible for a month's income (DB-6).")})
    return amount


# --- who may see and do what -------------------------------------------------------------------------


def roles_today(user, community: Community) -> set[str]:
    staff = staff_for(user)
    if staff is None:
        return set()
    return approvals.roles_of(staff, community, timezone.localdate())


def may_work(user, community: Community) -> bool:
    """Community staff holding a dibao role for this community."""
    staff = staff_for(user)
    return bool(staff and staff.community_id == community.pk and roles_today(user, community) & set(WORK_ROLES))


def may_supervise(user, community: Community) -> bool:
    staff = staff_for(user)
    return bool(staff and staff.community_id is None and roles_today(user, community) & set(SUPERVISOR_ROLES))


def panel_staff_ids(community: Community, day: dt.date) -> set[int]:
    from meetings.models import BodyMember

    return set(BodyMember.objects.on(day).filter(body__community=community, body__kind=PANEL_KIND, body__active=True,
                                                  staff__isnull=False).values_list("staff_id", flat=True))


def may_see_details(user, case: Case) -> bool:
    """Case details: the community's dibao roles, the street office's supervisors, and panel members while
    the case is under review."""
    if may_work(user, case.community) or may_supervise(user, case.community):
        return True
    staff = staff_for(user)
    return bool(staff and case.status == Case.Status.UNDER_REVIEW
                and staff.pk in panel_staff_ids(case.community, timezone.localdate()))


def may_see_list(user) -> bool:
    """The case list and the worklist: anyone holding a dibao role (community) or a supervisor (street)."""
    from committee.scoping import has_any_role

    return has_any_role(user, WORK_ROLES + SUPERVISOR_ROLES)


def record_access(user, case: Case | None, action: str, *, community: Community | None = None,
                  detail: str = "") -> Access:
    access = Access(community=community or case.community, case=case, user=user, action=action, detail=detail[:200])
    # One INSERT per request (issue 18): the row is never changed, so its creation needs no history row.
    access.skip_history_when_saving = True
    access.save(force_insert=True)
    return access


# --- DB-6: the standard in force ---------------------------------------------------------------------


def standards_for(community: Community):
    return Standard.objects.filter(Q(community=community) | Q(community__isnull=True),
                                   street_office_id=community.street_office_id)


def pick_standard(rows, community_id: int, day: dt.date):
    """From rows of one street office: the newest in force on ``day``; on the same date a community's own
    row wins over the street-wide one."""
    best = None
    for row in rows:
        if row.effective_from > day or row.community_id not in (None, community_id):
            continue
        key = (row.effective_from, row.community_id is not None, row.pk)
        if best is None or key > best[0]:
            best = (key, row)
    return best[1] if best else None


def standard_on(community: Community, day: dt.date) -> Decimal:
    """DB-6: the standard per person and month in force on ``day`` (the dated table, else db.standard)."""
    row = pick_standard(standards_for(community), community.pk, day)
    return row.amount if row else Decimal(policy.get(community, "db.standard"))


@transaction.atomic
def set_standard(*, street_office, community=None, amount, effective_from: dt.date, reason: str,
                 acting_user) -> Standard:
    """The street office sets the standard from a date (CTL-4: community staff, who work the cases, never
    set the input of the rule deciding the amounts)."""
    staff = _staff(acting_user)
    if staff.community_id is not None or staff.street_office_id != street_office.pk:
        raise ValidationError(_("Only the street office sets the dibao standard (CTL-4)."))
    if community is not None and community.street_office_id != street_office.pk:
        raise ValidationError({"community": _("The community belongs to another street office.")})
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": _("The standard must be more than zero (DB-6).")})
    reason = _text(reason, "reason", required=True, message=_("Please say why the standard changes."))
    return _save(Standard(street_office=street_office, community=community, amount=amount,
                          effective_from=effective_from, reason=reason, set_by=staff), acting_user)


# --- cases --------------------------------------------------------------------------------------------


def current_members(case: Case):
    return [m for m in case.members.all() if m.left_on is None]


def assessment(case: Case, day: dt.date | None = None, standard: Decimal | None = None) -> rules.Assessment:
    day = day or timezone.localdate()
    if standard is None:
        standard = standard_on(case.community, day)
    return rules.assess([(m.income, m.covered) for m in current_members(case)], standard)


def _check_worker(acting_user, community) -> Staff:
    staff = _staff(acting_user)
    if not may_work(acting_user, community):
        raise ValidationError(_("Only the community's dibao officer, civil-affairs member or director work on "
                                "dibao cases."))
    return staff


@transaction.atomic
def open_case(*, household: Household, assets: str = "", note: str = "", acting_user) -> Case:
    staff = _check_worker(acting_user, household.community)
    Household.objects.select_for_update(of=("self",)).filter(pk=household.pk).order_by("pk").first()
    if Case.objects.filter(household=household, status__in=Case.ACTIVE).exists():
        raise ValidationError({"household": _("This household already has an open dibao case.")})
    case = _save(Case(community=household.community, household=household, assets=_text(assets, "assets"),
                      note=_text(note, "note"), opened_by=staff), acting_user)
    _save(Transition(case=case, community=case.community, from_status="", to_status=Case.Status.APPLIED,
                     reason=_("Application received."), by=staff), acting_user)
    return case


@transaction.atomic
def add_member(case: Case, *, person: Person, relation: str, covered: bool = True, wage=0, pension=0, other=0,
               income_source: str = "", acting_user) -> CaseMember:
    """DB-6: a person of the register (valid ID number), not in another open case."""
    _check_worker(acting_user, case.community)
    if case.status not in Case.ACTIVE:
        raise ValidationError(_("The case is closed; open a new case for the household."))
    if person.community_id != case.community_id:
        raise ValidationError({"person": _("The resident lives in another community.")})
    try:
        idcard.validate_id_number(person.id_number)
    except ValidationError as e:
        raise ValidationError({"person": _("The resident's ID number fails the check: %(why)s Correct it in the "
                                           "register first (DB-6).") % {"why": " ".join(e.messages)}}) from None
    if relation not in Person.Relation.values:
        raise ValidationError({"relation": _("Please choose the relation to the head of household.")})
    Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).order_by("pk").first()
    other_case = (CaseMember.objects.filter(person=person, left_on__isnull=True, case__status__in=Case.ACTIVE)
                  .select_related("case").first())
    if other_case is not None:
        raise ValidationError({"person": _("%(name)s is already a member of an open dibao case (case %(n)s); a "
                                           "person is in one case only (DB-6).")
                                         % {"name": person.name, "n": other_case.case_id}})
    if relation == Person.Relation.HEAD and any(m.relation == Person.Relation.HEAD for m in current_members(case)):
        raise ValidationError({"relation": _("The case has a head of household already.")})
    member = CaseMember(case=case, community=case.community, person=person, relation=relation, covered=covered,
                        wage=_money(wage, "wage"), pension=_money(pension, "pension"), other=_money(other, "other"),
                        income_source=_text(income_source, "income_source"))
    return _save(member, acting_user)


@transaction.atomic
def set_income(member: CaseMember, *, wage, pension, other, income_source=None, covered=None, acting_user,
               flag: bool = True) -> CaseMember:
    _check_worker(acting_user, member.community)
    wage, pension, other = _money(wage, "wage"), _money(pension, "pension"), _money(other, "other")
    changed = (wage, pension, other) != (member.wage, member.pension, member.other)
    member.wage, member.pension, member.other = wage, pension, other
    if income_source is not None:
        member.income_source = _text(income_source, "income_source")
    if covered is not None:
        member.covered = covered
    _save(member, acting_user)
    if changed and flag:
        case = member.case
        case.flagged = True  # DB-4: a change of income puts the case on the next review
        _save(case, acting_user)
    return member


@transaction.atomic
def remove_member(member: CaseMember, *, reason: str, acting_user) -> CaseMember:
    _check_worker(acting_user, member.community)
    _text(reason, "reason", required=True, message=_("Please say why the member leaves the case."))
    member.left_on = timezone.localdate()
    _save(member, acting_user)
    case = member.case
    case.flagged = True
    _save(case, acting_user)
    return member


def _transition(case: Case, to: str, reason: str, staff: Staff, acting_user, review=None) -> Transition:
    t = Transition(case=case, community=case.community, from_status=case.status, to_status=to, reason=reason,
                   by=staff, review=review)
    case.status = to
    _save(case, acting_user)
    return _save(t, acting_user)


# The officer's moves (with a reason); the panel's moves are reviews.
OFFICER_MOVES = {
    Case.Status.APPLIED: {Case.Status.UNDER_REVIEW, Case.Status.ENDED},
    Case.Status.UNDER_REVIEW: {Case.Status.ENDED},
    Case.Status.APPROVED: {Case.Status.UNDER_REVIEW, Case.Status.SUSPENDED, Case.Status.ENDED},
    Case.Status.SUSPENDED: {Case.Status.UNDER_REVIEW, Case.Status.ENDED},
}


@transaction.atomic
def change_status(case: Case, *, to: str, reason: str, acting_user) -> Transition:
    staff = _check_worker(acting_user, case.community)
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = _text(reason, "reason", required=True, message=_("Please give the reason for the change."))
    if to not in OFFICER_MOVES.get(case.status, set()):
        raise ValidationError(_("A case that is “%(state)s” cannot be moved to “%(to)s”.")
                              % {"state": case.get_status_display(), "to": Case.Status(to).label
                                 if to in Case.Status.values else to})
    return _transition(case, to, reason, staff, acting_user)


# --- DB-1: the panel ----------------------------------------------------------------------------------


def panel_of(community: Community):
    from meetings.models import Body

    return Body.objects.filter(community=community, kind=PANEL_KIND, active=True).order_by("pk").first()


def panel_members(body, day: dt.date):
    return list(body.members.on(day).select_related("dibao_seat", "staff").order_by("name"))


def panel_check(body, day: dt.date | None = None) -> list[str]:
    """DB-1: the composition errors of a panel on a day (an empty list: compliant)."""
    day = day or timezone.localdate()
    members = panel_members(body, day)
    cats = [getattr(m, "dibao_seat", None) and m.dibao_seat.category for m in members]
    return rules.panel_errors(cats, max_cadres=policy.get(body.community, "db.max_cadres"),
                              min_resident_pct=policy.get(body.community, "db.min_resident_pct"))


@transaction.atomic
def create_panel(community: Community, *, name: str = "", acting_user):
    from meetings import services as mtg

    _check_worker(acting_user, community)
    if panel_of(community) is not None:
        raise ValidationError(_("The community has a dibao review panel already."))
    return mtg.create_body(community=community, kind=PANEL_KIND, name=name or _("Dibao review panel"),
                           acting_user=acting_user)


@transaction.atomic
def add_panel_member(body, *, category: str, name: str = "", staff: Staff | None = None, person=None,
                     start: dt.date, acting_user):
    """Add a member with a category (DB-1); returns (member, composition errors after the change)."""
    from meetings import services as mtg

    _check_worker(acting_user, body.community)
    if category not in PanelSeat.Category.values:
        raise ValidationError({"category": _("Please choose the member's category (DB-1).")})
    member = mtg.add_member(body, name=_text(name, "name"), staff=staff, person=person,
                            position=PanelSeat.Category(category).label, start=start, acting_user=acting_user)
    _save(PanelSeat(member=member, community=body.community, category=category), acting_user)
    return member, panel_check(body, max(start, timezone.localdate()))


@transaction.atomic
def set_category(member, *, category: str, acting_user):
    _check_worker(acting_user, member.body.community)
    if category not in PanelSeat.Category.values:
        raise ValidationError({"category": _("Please choose the member's category (DB-1).")})
    seat = PanelSeat.objects.filter(member=member).first() or PanelSeat(member=member,
                                                                       community=member.body.community)
    seat.category = category
    _save(seat, acting_user)
    return panel_check(member.body)


# --- DB-3: the quarterly review -----------------------------------------------------------------------


def meeting_usable(meeting) -> bool:
    """A panel meeting that can carry reviews: the roll call found the quorum (MTG-6), not cancelled."""
    return meeting.status in ("held", "submitted", "closed") and meeting.has_quorum is not False \
        and meeting.present_count is not None


@transaction.atomic
def record_review(case: Case, *, meeting, decision: str, reasons: str, votes_for, votes_against=0,
                  votes_abstain=0, acting_user) -> Review:
    """DB-3: the panel's decision on one household in a meeting of the panel with quorum (MTG-6), the panel
    compliant on the meeting day (DB-1), reasons given, votes counted (MTG-8). The state follows."""
    from meetings import rules as mtg_rules

    staff = _check_worker(acting_user, case.community)
    case = Case.objects.select_for_update().select_related("community").get(pk=case.pk)
    if meeting.community_id != case.community_id or meeting.body.kind != PANEL_KIND:
        raise ValidationError({"meeting": _("Choose a meeting of this community's dibao review panel (DB-3).")})
    if not meeting_usable(meeting):
        if meeting.has_quorum is False:
            raise ValidationError({"meeting": _("The meeting had no quorum: %(present)s of %(total)s members were "
                                                "present, %(needed)s needed; it cannot review (MTG-6).")
                                   % {"present": meeting.present_count, "total": meeting.members_total,
                                      "needed": meeting.quorum_needed}})
        raise ValidationError({"meeting": _("Take the meeting's roll call first: a review needs the quorum "
                                            "present (MTG-6).")})
    errors = panel_check(meeting.body, meeting.date)
    if errors:
        raise ValidationError({"meeting": _("The panel cannot review: %(why)s") % {"why": " ".join(errors)}})
    if case.status not in Case.REVIEWED:
        raise ValidationError(_("Only applicants and recipients are reviewed (DB-3)."))
    reasons = _text(reasons, "reasons", required=True,
                    message=_("Please give the panel's reasons for the decision (DB-3)."))
    if decision not in Review.Decision.values:
        raise ValidationError({"decision": _("Please choose the decision.")})
    try:
        votes = {k: int(v or 0) for k, v in (("votes_for", votes_for), ("votes_against", votes_against),
                                              ("votes_abstain", votes_abstain))}
    except (TypeError, ValueError):
        raise ValidationError({"votes_for": _("Please give the votes as whole numbers (MTG-8).")}) from None
    vote_errors = mtg_rules.vote_errors(present=meeting.present_count, **votes)
    if vote_errors:
        raise ValidationError(vote_errors)
    if not mtg_rules.adopted(votes_for=votes["votes_for"], present=meeting.present_count):
        raise ValidationError({"votes_for": _("The decision needs more than half of the %(present)s members present "
                                              "(MTG-8).") % {"present": meeting.present_count}})
    quarter = rules.quarter_of(meeting.date)
    if Review.objects.filter(case=case, quarter=quarter).exists():
        raise ValidationError({"meeting": _("The household is already reviewed for %(q)s.")
                               % {"q": rules.quarter_label(quarter)}})
    result = assessment(case, meeting.date)
    if decision == Review.Decision.APPROVE and not result.eligible:
        raise ValidationError({"decision": _("The household is not eligible: %(why)s")
                               % {"why": " ".join(result.reasons)}})
    if decision == Review.Decision.REJECT and case.status not in (Case.Status.APPLIED, Case.Status.UNDER_REVIEW):
        raise ValidationError({"decision": _("A recipient is suspended or ended, not “not approved”.")})
    review = _save(Review(case=case, community=case.community, meeting=meeting, quarter=quarter, decision=decision,
                          reasons=reasons, per_capita=result.per_capita, standard=result.standard,
                          amount=result.amount if decision == Review.Decision.APPROVE else Decimal("0.00"),
                          covered=result.covered, recorded_by=staff, **votes), acting_user)
    to = {Review.Decision.APPROVE: Case.Status.APPROVED, Review.Decision.SUSPEND: Case.Status.SUSPENDED,
          Review.Decision.END: Case.Status.ENDED, Review.Decision.REJECT: Case.Status.REJECTED}[decision]
    case.flagged = False
    if to != case.status:
        _transition(case, to, reasons, staff, acting_user, review=review)
    else:
        _save(case, acting_user)
    return review


def _worklist_base(community_ids, quarter: str):
    """DB-3: the cases of the quarter's worklist: applicants and recipients opened by its end, and any case
    reviewed in it."""
    _start, end = rules.quarter_bounds(quarter)
    return (Case.objects.filter(community_id__in=community_ids, opened_at__date__lte=end)
            .filter(Q(status__in=Case.REVIEWED) | Q(reviews__quarter=quarter)))


def worklist_states(community_ids, quarter: str, day: dt.date) -> list[tuple[Case, bool, str | None]]:
    """(case, reviewed this quarter, visit state) of every row of ``worklist``, in one query: what the
    reminders count (DB-3 / DB-4) without the reviews' meetings and the heads' names."""
    from django.db.models import Exists, Max, OuterRef

    cases = (Case.objects.filter(pk__in=_worklist_base(community_ids, quarter).values("pk"))
             .annotate(last_visit=Max("visits__visited_on"),
                       reviewed=Exists(Review.objects.filter(case=OuterRef("pk"), quarter=quarter))))
    return [(c, c.reviewed, rules.visit_state(c.last_visit, timezone.localtime(c.opened_at).date(), day)
             if c.status in Case.ACTIVE else None) for c in cases]


def worklist(community_ids, quarter: str, day: dt.date | None = None) -> list[dict]:
    """DB-3 / DB-4: every applicant and recipient of the quarter with its review (or none yet), its last visit
    and visit state, and the head's name. Four queries for any number of households."""
    from django.db.models import Max

    day = day or timezone.localdate()
    base = _worklist_base(community_ids, quarter)
    cases = list(Case.objects.filter(pk__in=base.values("pk"))
                 .select_related("community", "household__building")
                 .annotate(last_visit=Max("visits__visited_on")).order_by("community__name", "pk"))
    reviews = {r.case_id: r for r in Review.objects.filter(case__in=base.values("pk"), quarter=quarter)
               .select_related("meeting")}
    heads = {}
    for m in (CaseMember.objects.filter(case__in=base.values("pk"), left_on__isnull=True,
                                        relation=Person.Relation.HEAD).select_related("person")):
        heads[m.case_id] = m.person.name
    rows = []
    for c in cases:
        rows.append({"case": c, "review": reviews.get(c.pk), "head": heads.get(c.pk, ""),
                     "visit_state": rules.visit_state(c.last_visit, timezone.localtime(c.opened_at).date(), day)
                     if c.status in Case.ACTIVE else None})
    return rows


def quarter_complete(community: Community, quarter: str) -> tuple[bool, list[str]]:
    """DB-5: the quarter's reviews are complete when every applicant and recipient has one and each was
    recorded in a meeting that is convened (minutes approved, quorum)."""
    rows = worklist([community.pk], quarter)
    missing = [r for r in rows if r["review"] is None]
    problems = []
    if missing:
        problems.append(_("%(n)s households are not reviewed for this quarter yet (DB-3).") % {"n": len(missing)})
    unconvened = {r["review"].meeting_id for r in rows if r["review"] and not r["review"].meeting.convened}
    if unconvened:
        problems.append(_("The minutes of %(n)s panel meetings of this quarter are not approved yet (MTG-6).")
                        % {"n": len(unconvened)})
    return not problems, problems


# --- DB-4: visits -------------------------------------------------------------------------------------


@transaction.atomic
def record_visit(case: Case, *, visitors: str, visited_on: dt.date | None = None, date_reason: str = "",
                 family_changes: str = "", notes: str = "", incomes: dict | None = None, acting_user) -> Visit:
    """DB-4: a home visit. The date is the server's (CTL-6) unless an earlier date is given with a reason.
    ``incomes``: {member_id: (wage, pension, other)}; a change recomputes the assessment and flags the case
    for the next review."""
    staff = _check_worker(acting_user, case.community)
    if case.status not in Case.ACTIVE:
        raise ValidationError(_("The case is closed; it is no longer visited."))
    today = timezone.localdate()
    visited_on = visited_on or today
    if visited_on > today:
        raise ValidationError({"visited_on": _("A visit cannot lie in the future (CTL-6).")})
    date_reason = _text(date_reason, "date_reason")
    if visited_on < today:
        if not date_reason:
            raise ValidationError({"date_reason": _("An earlier date needs a reason, e.g. recorded after the visit "
                                                    "(CTL-6).")})
        if visited_on < today - dt.timedelta(days=92):
            raise ValidationError({"visited_on": _("A visit is recorded within three months (CTL-6).")})
    visitors = _text(visitors, "visitors", required=True, message=_("Please say who visited (DB-4)."))
    changed = False
    members = {m.pk: m for m in current_members(case)}
    for member_id, (wage, pension, other) in (incomes or {}).items():
        member = members.get(int(member_id))
        if member is None:
            raise ValidationError(_("A member of another case was given."))
        before = (member.wage, member.pension, member.other)
        set_income(member, wage=wage, pension=pension, other=other, acting_user=acting_user, flag=False)
        changed = changed or before != (member.wage, member.pension, member.other)
    visit = _save(Visit(case=case, community=case.community, visited_on=visited_on, date_reason=date_reason,
                        visitors=visitors, family_changes=_text(family_changes, "family_changes"),
                        notes=_text(notes, "notes"), income_changed=changed, recorded_by=staff), acting_user)
    if changed or visit.family_changes:
        case.refresh_from_db()
        case.flagged = True  # DB-4: on the next review
        _save(case, acting_user)
    return visit


@transaction.atomic
def add_document(case: Case, *, title: str, file, acting_user) -> Document:
    from committee import uploads

    staff = _check_worker(acting_user, case.community)
    uploads.check(file, community=case.community)
    return _save(Document(case=case, community=case.community, title=_text(title, "title", required=True),
                          file=file, uploaded_by=staff), acting_user)


def passes_standard(user) -> bool:
    """Street-office staff who set the standard and read the access records (CTL-4)."""
    from committee.scoping import has_any_role

    staff = staff_for(user)
    return bool(staff and staff.community_id is None and has_any_role(user, STANDARD_ROLES))


def visited_by_quarter(community_ids, year: int) -> dict[str, set[int]]:
    """DB-4: the cases with a home visit in each quarter of ``year`` ({"2026-Q1": {case ids}}). One query."""
    out: dict[str, set[int]] = {}
    for case_id, day in (Visit.objects.filter(community_id__in=community_ids, visited_on__year=year)
                         .values_list("case_id", "visited_on").distinct()):
        out.setdefault(rules.quarter_of(day), set()).add(case_id)
    return out
