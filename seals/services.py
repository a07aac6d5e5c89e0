"""The seal chapter's services: every change of a seal record goes through here (CTL-5).

Each function checks first and raises a translated ``ValidationError`` naming the rule, and saves nothing
then; it runs in one transaction and locks the seal row before a transition, so a use cannot slip past a
loss report made at the same moment.

What they refuse:
* SEAL-1: a use stamped by anyone but the seal's custodian; a custodian without the 印章保管人 role; there
  is no "lend" anywhere.
* SEAL-3 / SEAL-4: a use not on the allowed list unless the street office approves it first; a major use
  without an adopted decision of a convened representatives' meeting of this community; a certificate for
  a person who is not in this community's register (a moved-out person: residence history only).
* SEAL-6: a handover received by the person who handed it over.
* SEAL-8: any use of a seal from the moment its loss is reported (and of a replaced or handed-over seal).
* CTL-2: nobody approves their own request; the custodian never approves a use of the seal they keep;
  one person decides one step (committee.approvals).
* CTL-6: the dates of acts (stamped, handed over, received, reported) are the server's time.

Other chapters register their stamping through ``register_use`` (attendance sheet ATT-9, receipts FIN-7,
minutes, disclosure notices …).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee import approvals, calendar, policy, records, scoping
from committee.approvals import Step
from committee.models import Community, Person, Role, Staff
from committee.scoping import staff_for
from seals import rules
from seals.models import (
    Certificate,
    CertificateTemplate,
    Counter,
    Handover,
    LossReport,
    Seal,
    SealNotice,
    SealUse,
)

SEAL_MANAGER_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members act on seals."))
    return staff


def _is_street(staff: Staff, community: Community) -> bool:
    return staff.community_id is None and staff.street_office_id == community.street_office_id


def _holds(staff: Staff, role, community: Community, day=None) -> bool:
    return approvals.holds_role(staff, role, community, day or timezone.localdate())


def _check_sees(staff: Staff, community: Community) -> None:
    if staff.community_id not in (None, community.pk) or staff.street_office_id != community.street_office_id:
        raise ValidationError(_("This record belongs to another community."))


def _check_street(staff: Staff, community: Community, what: str) -> None:
    if not _is_street(staff, community):
        raise ValidationError(_("%(what)s is done by the street office (SEAL-1, SEAL-7)."), params={"what": what})


def _check_manager(staff: Staff, community: Community) -> None:
    """The community's director (or deputy), or the street office."""
    if _is_street(staff, community):
        return
    if staff.community_id == community.pk and any(_holds(staff, r, community) for r in SEAL_MANAGER_ROLES):
        return
    raise ValidationError(_("Only the director (or the deputy director) or the street office does this (SEAL-1)."))


def may_manage(user, community: Community) -> bool:
    staff = staff_for(user)
    if staff is None:
        return False
    try:
        _check_manager(staff, community)
    except ValidationError:
        return False
    return True


def next_number(community: Community, year: int, series: str) -> int:
    """The next number of a series, without gaps: the counter row is locked until the transaction ends."""
    Counter.objects.get_or_create(community=community, year=year, series=series)
    counter = Counter.objects.select_for_update().get(community=community, year=year, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def new_code() -> str:
    """A verification code nobody can guess (12 characters of 32: 60 bits), unique over certificates and
    notices."""
    while True:
        code = "".join(secrets.choice(rules.CODE_ALPHABET) for _i in range(rules.CODE_LENGTH))
        if not Certificate.objects.filter(code=code).exists() and not SealNotice.objects.filter(code=code).exists():
            return code


# --- SEAL-1: seals ---------------------------------------------------------------------------------


def _check_custodian(custodian: Staff | None, community: Community) -> None:
    if custodian is None:
        return
    if custodian.community_id != community.pk or not _holds(custodian, Role.SEAL_CUSTODIAN, community):
        raise ValidationError(
            {"custodian": _("%(name)s does not hold the role of seal custodian (印章保管人) in %(community)s; the "
                            "director grants it first (SEAL-1).") % {"name": custodian.name,
                                                                     "community": community.name}})


@transaction.atomic
def create_seal(*, community: Community, kind: str, name: str, place: str, issued_on: dt.date,
                custodian: Staff | None = None, note: str = "", acting_user, replaces: Seal | None = None) -> Seal:
    """The street office issues a seal to a community (SEAL-1, SEAL-7)."""
    staff = _staff(acting_user)
    _check_street(staff, community, _("Issuing a seal"))
    if kind not in Seal.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of seal.")})
    if not (name or "").strip() or not (place or "").strip():
        raise ValidationError(_("A seal has its wording and a fixed place (SEAL-1)."))
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("A seal cannot be issued on a later day (CTL-6).")})
    _check_custodian(custodian, community)
    seal = Seal(community=community, kind=kind, name=name.strip(), place=place.strip(), issued_on=issued_on,
                custodian=custodian, issued_by=staff, note=(note or "").strip(), replaces=replaces)
    return _save(seal, acting_user)


@transaction.atomic
def set_custodian(seal: Seal, *, custodian: Staff, place: str = "", acting_user) -> Seal:
    """The director or the street office names the custodian and the fixed place (SEAL-1). A seal is never
    lent: changing its keeper is a recorded change of custodian, with history."""
    staff = _staff(acting_user)
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    _check_manager(staff, seal.community)
    if seal.status != Seal.Status.IN_USE:
        raise ValidationError(_("The seal is %(status)s: its custodian cannot change."),
                              params={"status": seal.get_status_display()})
    _check_custodian(custodian, seal.community)
    seal.custodian = custodian
    if (place or "").strip():
        seal.place = place.strip()
    return _save(seal, acting_user)


def check_usable(seal: Seal, at: dt.datetime) -> None:
    """SEAL-8: a lost seal is void from the moment its loss was reported; a replaced seal or one being
    handed over is not used either."""
    if seal.void_from is not None and at >= seal.void_from and seal.status != Seal.Status.REPLACED:
        raise ValidationError(
            _("The seal “%(seal)s” is void since %(when)s (reported lost): it cannot be used (SEAL-8)."),
            params={"seal": seal.name, "when": timezone.localtime(seal.void_from).strftime("%Y-%m-%d %H:%M")})
    if seal.status == Seal.Status.HANDED_OVER:
        raise ValidationError(_("The seal “%(seal)s” has been handed over and the new committee has not yet "
                                "received it: it cannot be used until then (SEAL-6)."), params={"seal": seal.name})
    if seal.status != Seal.Status.IN_USE:
        raise ValidationError(_("The seal “%(seal)s” is %(status)s: it cannot be used (SEAL-7, SEAL-8)."),
                              params={"seal": seal.name, "status": seal.get_status_display()})


# --- SEAL-2 … SEAL-4: asking to use a seal -----------------------------------------------------------


def _check_decision(decision, community: Community) -> None:
    """SEAL-4 / MTG-6: an adopted, not voided decision of a convened representatives' meeting of this
    community."""
    from meetings.models import BodyKind

    meeting = decision.meeting
    if meeting.community_id != community.pk:
        raise ValidationError({"decision": _("The decision belongs to another community's meeting (SEAL-4).")})
    if meeting.body.kind != BodyKind.REPRESENTATIVES:
        raise ValidationError({"decision": _("A major matter needs a decision of the residents' representatives' "
                                             "meeting (SEAL-4, MTG-6).")})
    if not meeting.convened:
        raise ValidationError({"decision": _("That meeting was not convened (no quorum, or its minutes are not "
                                             "approved): its decision cannot authorise a major use (SEAL-4, "
                                             "MTG-6).")})
    if decision.voided or not decision.adopted:
        raise ValidationError({"decision": _("That decision was not adopted or has been voided (SEAL-4).")})


def routing(use: SealUse, requester: Staff) -> list[Step]:
    """SEAL-4: the committee approver signs every use — the director by the rule book, or the party secretary
    where the community's policy says so (ORG-3, ``org.committee_approver``); a use outside the list is
    approved by the street office first. The approver's own request is signed by the street office instead
    (CTL-2: nobody approves their own)."""
    role = policy.committee_approver_role(use.community)
    own = _holds(requester, role, use.community)
    approver = (Step(Role.DEPARTMENT_HEAD, _("Street office, for the committee approver's own request"))
                if own else Step(role, _("Signature of the %(role)s") % {"role": role.label}))
    if use.outside_list:
        first = Step(Role.DEPARTMENT_HEAD, _("Street office: a use outside the allowed list"))
        if own:
            return [first, Step(Role.STREET_LEADER, _("Street leader, for the committee approver's own request"))]
        return [first, approver]
    return [approver]


@transaction.atomic
def request_use(*, seal: Seal, use_kind: str, matter: str, major: bool = False, decision=None,
                resident: Person | None = None, address: str = "", copies: int = 1, document=None,
                source=None, acting_user) -> SealUse:
    """Register a request to use a seal and open its approval (SEAL-2, SEAL-3, SEAL-4)."""
    staff = _staff(acting_user)
    seal = Seal.objects.select_for_update().select_related("community").get(pk=seal.pk)
    community = seal.community
    if staff.community_id != community.pk:
        raise ValidationError(_("A seal use is asked by the staff of the seal's own community (SEAL-2)."))
    check_usable(seal, timezone.now())
    spec = rules.use(use_kind)
    if spec is None:
        raise ValidationError({"use_kind": _("Choose the use from the allowed list, or “a use outside the allowed "
                                             "list” (SEAL-3).")})
    if not (matter or "").strip():
        raise ValidationError({"matter": _("Say what the seal is for (SEAL-2).")})
    if copies is None or copies < 1 or copies > 999:
        raise ValidationError({"copies": _("Copies: from 1 to 999.")})
    if spec.group == rules.CERTIFICATE and resident is None:
        raise ValidationError(_("A certificate names the resident it is for (SEAL-3)."))
    if resident is not None and resident.community_id != community.pk:
        raise ValidationError(_("The resident is not in this community's register (SEAL-3)."))
    if major and decision is None:
        raise ValidationError({"decision": _("A major matter needs the decision of a convened representatives' "
                                             "meeting before the seal is used (SEAL-4, MTG-6).")})
    if decision is not None:
        _check_decision(decision, community)
    today = timezone.localdate()
    use = SealUse(
        community=community, seal=seal, year=today.year, seq=next_number(community, today.year, "use"),
        use_kind=use_kind, major=bool(major), decision=decision, matter=matter.strip()[:300], requester=staff,
        resident=resident, address=(address or "").strip()[:200], copies=copies,
    )
    if source is not None:
        use.source_type = ContentType.objects.get_for_model(source)
        use.source_id = source.pk
    if document:
        use.document = document
    _save(use, acting_user)
    approvals.request_approval(
        use, community=community, steps=routing(use, staff), rule="SEAL-4", acting_user=acting_user,
        summary=_("Seal use %(number)s: %(matter)s") % {"number": use.number, "matter": use.matter},
        preparers=[seal.custodian],  # CTL-2: the custodian only stamps, never approves
    )
    return use


def committee_seal(community: Community) -> Seal | None:
    return Seal.objects.filter(community=community, kind=Seal.Kind.COMMITTEE, status=Seal.Status.IN_USE).first()


def register_use(*, community: Community, matter: str, acting_user, use_kind: str = "report_up",
                 source=None, copies: int = 1, document=None, seal: Seal | None = None, major: bool = False,
                 decision=None) -> SealUse:
    """The one service other chapters call to register their stamping (attendance sheet ATT-9, receipts
    FIN-7, minutes, disclosure notices …): a register entry linked to their record, approved and stamped
    like any other use. Returns the entry; ``entry.number`` is its reference."""
    seal = seal or committee_seal(community)
    if seal is None:
        unusable = Seal.objects.filter(community=community, kind=Seal.Kind.COMMITTEE).order_by("-pk").first()
        if unusable is not None:
            check_usable(unusable, timezone.now())  # says why: void since …, handed over …
        raise ValidationError(_("%(community)s has no committee seal in use (SEAL-1)."),
                              params={"community": community.name})
    return request_use(seal=seal, use_kind=use_kind, matter=matter, source=source, copies=copies,
                       document=document, major=major, decision=decision, acting_user=acting_user)


NUMBER_RE = re.compile(r"^用印-(\d{4})-(\d{1,6})$")


def entry_for(source) -> SealUse | None:
    """The register entry linked to another chapter's record (the latest, if several)."""
    ct = ContentType.objects.get_for_model(source)
    return SealUse.objects.filter(source_type=ct, source_id=source.pk).order_by("-pk").first()


@transaction.atomic
def link_or_register(*, community: Community, reference: str, matter, source, acting_user,
                     use_kind: str = "report_up", field: str = "seal_reference") -> SealUse | None:
    """For another chapter's stamped record (``source``, already saved): with a register number
    (用印-YYYY-NNNN) of this community, link that entry; with no number, register a new entry through
    ``register_use``. A community whose seals are not in the register yet keeps the free-text reference it
    was given (returns None). ``matter`` may be a callable, then worded in the product's language. Refuses, saving nothing, an unknown or another community's number, an entry
    withdrawn, refused or voided, one already linked to another record, and a void or lost seal (SEAL-8)."""
    reference = (reference or "").strip()
    if not Seal.objects.filter(community=community).exists():
        return None
    if callable(matter):  # the register is kept in the product's language (简体中文), whoever's screen asks
        with translation.override(settings.LANGUAGE_CODE):
            matter = str(matter())
    if not reference:
        live = entry_for(source)
        if live is not None and live.status in (SealUse.Status.PENDING, SealUse.Status.APPROVED,
                                                SealUse.Status.STAMPED):
            return live  # sent again (e.g. minutes back from the approver): the same entry
        return register_use(community=community, matter=matter, use_kind=use_kind, source=source,
                            acting_user=acting_user)
    m = NUMBER_RE.match(reference)
    use = (SealUse.objects.select_for_update().filter(community=community, year=int(m.group(1)),
                                                      seq=int(m.group(2))).first() if m else None)
    if use is None:
        raise ValidationError({field: _("“%(ref)s” is not a seal register entry of %(community)s: give its number "
                                        "(such as 用印-2026-0012) or leave it empty to register a new entry (SEAL-2).")
                               % {"ref": reference[:60], "community": community.name}})
    if use.status in (SealUse.Status.REJECTED, SealUse.Status.WITHDRAWN, SealUse.Status.VOID):
        raise ValidationError({field: _("The seal register entry %(number)s is %(status)s: it cannot cover this "
                                        "stamp (SEAL-2).") % {"number": use.number,
                                                              "status": use.get_status_display()}})
    ct = ContentType.objects.get_for_model(source)
    if use.source_type_id is not None and (use.source_type_id, use.source_id) != (ct.pk, source.pk):
        raise ValidationError({field: _("The seal register entry %(number)s already covers another record "
                                        "(SEAL-2).") % {"number": use.number}})
    if use.status != SealUse.Status.STAMPED:
        check_usable(Seal.objects.select_for_update().get(pk=use.seal_id), timezone.now())
    use.source_type, use.source_id = ct, source.pk
    return _save(use, acting_user)


def on_use_decided(use: SealUse, outcome: str, acting_user) -> None:
    """Approval hook: an approved use waits for the custodian's stamp; a refused one is closed."""
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    if use.status != SealUse.Status.PENDING:
        return
    cert = Certificate.objects.filter(use=use).first()
    if outcome == "approved":
        use.status = SealUse.Status.APPROVED
        use.approved_by = staff_for(acting_user)
        use.approved_at = timezone.now()
        if cert:
            cert.status = Certificate.Status.APPROVED
            _save(cert, acting_user)
    else:
        use.status = SealUse.Status.REJECTED
        if cert:
            cert.status = Certificate.Status.REFUSED
            _save(cert, acting_user)
    _save(use, acting_user)


@transaction.atomic
def withdraw_use(use: SealUse, *, acting_user) -> SealUse:
    """The requester withdraws a waiting request (never deleted)."""
    staff = _staff(acting_user)
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    if use.requester_id != staff.pk:
        raise ValidationError(_("Only the person who asked withdraws the request."))
    if use.status != SealUse.Status.PENDING:
        raise ValidationError(_("Only a request waiting for approval can be withdrawn."))
    approvals.withdraw(use, acting_user=acting_user)
    use.status = SealUse.Status.WITHDRAWN
    cert = Certificate.objects.filter(use=use).first()
    if cert:
        cert.status = Certificate.Status.WITHDRAWN
        _save(cert, acting_user)
    return _save(use, acting_user)


@transaction.atomic
def void_use(use: SealUse, *, reason: str, acting_user) -> SealUse:
    """An approved use that will not be stamped is voided with a reason by the director or the street office."""
    staff = _staff(acting_user)
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    _check_manager(staff, use.community)
    if use.status != SealUse.Status.APPROVED:
        raise ValidationError(_("Only an approved use not yet stamped can be voided; a stamped certificate is "
                                "voided on its own page."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for voiding (CTL-5).")})
    use.status = SealUse.Status.VOID
    use.void_reason = reason.strip()[:300]
    cert = Certificate.objects.filter(use=use).first()
    if cert:
        cert.status = Certificate.Status.VOID
        cert.void_reason = use.void_reason
        cert.voided_at = timezone.now()
        cert.voided_by = staff
        _save(cert, acting_user)
    return _save(use, acting_user)


@transaction.atomic
def stamp(use: SealUse, *, acting_user, copies: int | None = None) -> SealUse:
    """The custodian records the stamping of an approved use, at the server's time (SEAL-1, CTL-6). A
    certificate is numbered (per community and year, no gaps) and issued in the same step (SEAL-5)."""
    staff = _staff(acting_user)
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    seal = Seal.objects.select_for_update().get(pk=use.seal_id)
    now = timezone.now()
    if use.status != SealUse.Status.APPROVED:
        raise ValidationError(_("Only an approved use is stamped (it is %(status)s) (SEAL-4)."),
                              params={"status": use.get_status_display()})
    check_usable(seal, now)
    if seal.custodian_id != staff.pk or not _holds(staff, Role.SEAL_CUSTODIAN, use.community):
        raise ValidationError(_("Only the seal's custodian stamps; a seal is never lent out (SEAL-1)."))
    if copies is not None:
        if copies < 1 or copies > 999:
            raise ValidationError({"copies": _("Copies: from 1 to 999.")})
        use.copies = copies
    use.status = SealUse.Status.STAMPED
    use.stamped_at = now
    use.stamped_by = staff
    cert = Certificate.objects.select_for_update().filter(use=use).first()
    if cert is not None:
        today = timezone.localdate()
        cert.year = today.year
        cert.seq = next_number(use.community, today.year, "certificate")
        cert.issued_on = today
        cert.status = Certificate.Status.ISSUED
        _save(cert, acting_user)
    return _save(use, acting_user)


# --- SEAL-5: certificates ----------------------------------------------------------------------------

DEFAULT_BODY = {
    "residence": "兹证明{name}（{gender}，身份证号{id_number}）系我社区居民，现居住于{address}。\n特此证明。",
    "alive": "兹证明{name}（{gender}，身份证号{id_number}），住{address}，系我社区居民，至今健在。\n特此证明。",
    "death_at_home": "兹证明{name}（{gender}，身份证号{id_number}），生前住{address}，系在家中正常死亡。\n特此证明。",
    "dibao": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请城市最低生活保障，情况属实。\n特此证明。",
    "pension": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请抚恤金，情况属实。\n特此证明。",
    "disability": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请残疾保障金，情况属实。\n特此证明。",
    "student_aid": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请子女助学金，情况属实。\n特此证明。",
    "fee_waiver": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请减免学杂费，情况属实。\n特此证明。",
    "only_child": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，为独生子女。\n特此证明。",
    "dog": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，申请办理养犬登记。\n特此证明。",
    "political_review": "兹证明{name}（身份证号{id_number}）系我社区居民，现居住于{address}，在本社区居住期间遵纪守法，"
                        "未发现违法违纪行为。\n特此证明。",
}
MOVED_OUT_BODY = ("兹证明{name}（{gender}，身份证号{id_number}）曾系我社区居民，曾居住于{address}，"
                  "已于{moved_out_on}迁出本社区。\n特此证明。")
DEFAULT_VALIDITY = 90


def template_for(street_office, kind: str) -> CertificateTemplate:
    """The street office's template of a kind, or the built-in wording (not saved)."""
    found = CertificateTemplate.objects.filter(street_office=street_office, kind=kind).first()
    if found:
        return found
    spec = rules.use(kind)
    title = "居民证明" if spec is None else _certificate_title(kind)
    return CertificateTemplate(street_office=street_office, kind=kind, title=title,
                               body=DEFAULT_BODY.get(kind, DEFAULT_BODY["residence"]), validity_days=DEFAULT_VALIDITY)


def _certificate_title(kind: str) -> str:
    return {
        "residence": "居住证明", "alive": "健在证明", "death_at_home": "在家正常死亡证明", "dibao": "低保申请证明",
        "pension": "抚恤金申请证明", "disability": "残疾保障金申请证明", "student_aid": "子女助学金申请证明",
        "fee_waiver": "减免学杂费证明", "only_child": "独生子女证明", "dog": "养犬登记证明", "political_review": "政审证明",
    }.get(kind, "证明")


@transaction.atomic
def save_template(*, street_office, kind: str, title: str, body: str, validity_days: int, acting_user
                  ) -> CertificateTemplate:
    """The street office edits the wording of a certificate (SEAL-5), with history."""
    staff = _staff(acting_user)
    if staff.community_id is not None or staff.street_office_id != street_office.pk:
        raise ValidationError(_("Certificate templates are edited by the street office (SEAL-5)."))
    spec = rules.use(kind)
    if spec is None or spec.group != rules.CERTIFICATE:
        raise ValidationError(_("Unknown certificate."))
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationError(_("A template has a title and a text."))
    if not 1 <= (validity_days or 0) <= 3650:
        raise ValidationError({"validity_days": _("Valid for: from 1 to 3650 days.")})
    tpl = CertificateTemplate.objects.filter(street_office=street_office, kind=kind).first() or \
        CertificateTemplate(street_office=street_office, kind=kind)
    tpl.title, tpl.body, tpl.validity_days = title.strip(), body.strip(), validity_days
    return _save(tpl, acting_user)


def person_address(person: Person) -> str:
    household = person.household
    if household is None:
        return ""
    parts = [household.building.address if household.building and household.building.address else "",
             str(household.building or ""), household.unit]
    return "".join(p for p in parts if p)


def person_values(person: Person, community: Community, purpose: str) -> dict[str, str]:
    return {
        "name": person.name,
        "gender": person.get_gender_display() if person.gender else "",
        "id_number": person.id_number,
        "birth_date": person.birth_date.strftime("%Y年%m月%d日") if person.birth_date else "",
        "address": person_address(person) or community.address or community.name,
        "community": community.name,
        "committee": community.committee_name,
        "purpose": purpose,
        "moved_out_on": person.moved_out_on.strftime("%Y年%m月%d日") if person.moved_out_on else "",
        "today": timezone.localdate().strftime("%Y年%m月%d日"),
    }


@transaction.atomic
def request_certificate(*, community: Community, person: Person, kind: str, purpose: str, acting_user,
                        seal: Seal | None = None) -> Certificate:
    """Generate a certificate from the template, register it as a seal use (SEAL-2) and open its approval,
    in one step (SEAL-5). Only for a person of this community's register; a moved-out person gets the
    residence history only (SEAL-3)."""
    spec = rules.use(kind)
    if spec is None or spec.group != rules.CERTIFICATE:
        raise ValidationError({"kind": _("Choose a certificate of the allowed list (SEAL-3).")})
    if person is None or person.community_id != community.pk:
        raise ValidationError(_("Certificates are issued only for residents of this community's register "
                                "(SEAL-3)."))
    if person.moved_out_on and not spec.moved_out_allowed:
        raise ValidationError({"kind": _("%(name)s moved out on %(day)s: only a certificate of residence (history) "
                                         "can be issued (SEAL-3).") % {"name": person.name,
                                                                      "day": person.moved_out_on.isoformat()}})
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the certificate is for.")})
    seal = seal or committee_seal(community)
    if seal is None:
        raise ValidationError(_("%(community)s has no committee seal in use (SEAL-1)."),
                              params={"community": community.name})
    tpl = template_for(community.street_office, kind)
    values = person_values(person, community, purpose.strip())
    body = rules.fill(MOVED_OUT_BODY if person.moved_out_on else tpl.body, values)
    use = request_use(seal=seal, use_kind=kind, matter=f"{tpl.title}：{person.name}（{purpose.strip()}）"[:300],
                      resident=person, address=values["address"], acting_user=acting_user)
    cert = Certificate(community=community, use=use, kind=kind, person=person, holder_name=person.name,
                       purpose=purpose.strip()[:200], title=tpl.title, body=body, validity_days=tpl.validity_days,
                       code=new_code())
    return _save(cert, acting_user)


@transaction.atomic
def void_certificate(cert: Certificate, *, reason: str, acting_user) -> Certificate:
    """A certificate is voided with a reason, never deleted (SEAL-5, CTL-5); the public page then says
    "voided"."""
    staff = _staff(acting_user)
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    _check_manager(staff, cert.community)
    if cert.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Only an issued certificate can be voided here."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for voiding (CTL-5).")})
    cert.status = Certificate.Status.VOID
    cert.void_reason = reason.strip()[:300]
    cert.voided_at = timezone.now()
    cert.voided_by = staff
    return _save(cert, acting_user)


@transaction.atomic
def record_print(cert: Certificate, *, acting_user) -> bool:
    """Count a print of an issued certificate; True when it is a copy (every print after the first)."""
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    if cert.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Only an issued certificate is printed: it is printed once it is stamped, and a "
                                "voided one no more (SEAL-5)."))
    copy = cert.prints > 0
    cert.prints += 1
    _save(cert, acting_user, update_fields=["prints"])
    return copy


def valid_until(cert: Certificate) -> dt.date | None:
    if cert.issued_on is None:
        return None
    return cert.issued_on + dt.timedelta(days=cert.validity_days - 1)


# --- SEAL-6: handover after an election ----------------------------------------------------------------


@transaction.atomic
def start_handover(*, seal: Seal, took_office_on: dt.date, new_custodian: Staff, note: str = "",
                   acting_user) -> Handover:
    """The new committee took office: the handover is due within 7 working days (policy seal.handover_days)."""
    staff = _staff(acting_user)
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    _check_manager(staff, seal.community)
    if seal.status != Seal.Status.IN_USE:
        raise ValidationError(_("The seal is %(status)s."), params={"status": seal.get_status_display()})
    if Handover.objects.filter(seal=seal, received_at__isnull=True).exists():
        raise ValidationError(_("A handover of this seal is already open (SEAL-6)."))
    if took_office_on > timezone.localdate():
        raise ValidationError({"took_office_on": _("The new committee takes office first (CTL-6).")})
    _check_custodian(new_custodian, seal.community)
    days = policy.get(seal.community, "seal.handover_days")
    due = calendar.deadline(took_office_on, days)
    handover = Handover(community=seal.community, seal=seal, took_office_on=took_office_on, due_on=due.date,
                        due_confirmed=due.confirmed, started_by=staff, new_custodian=new_custodian,
                        note=(note or "").strip()[:300])
    return _save(handover, acting_user)


@transaction.atomic
def hand_over(handover: Handover, *, acting_user) -> Handover:
    """The outgoing side (the seal's custodian or the director) hands the seal over, at the server's time."""
    staff = _staff(acting_user)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    seal = Seal.objects.select_for_update().get(pk=handover.seal_id)
    if handover.handed_at is not None:
        raise ValidationError(_("The seal was already handed over."))
    check_usable(seal, timezone.now())
    if staff.pk != seal.custodian_id and not may_manage(acting_user, seal.community):
        raise ValidationError(_("The outgoing custodian or the director hands the seal over (SEAL-6)."))
    handover.handed_at = timezone.now()
    handover.handed_by = staff
    seal.status = Seal.Status.HANDED_OVER
    _save(seal, acting_user)
    return _save(handover, acting_user)


@transaction.atomic
def receive(handover: Handover, *, acting_user) -> Handover:
    """The new side (the new custodian or the new director) confirms receipt; the new custodian keeps the
    seal from then on. The person who handed it over never confirms its receipt (CTL-2)."""
    staff = _staff(acting_user)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    seal = Seal.objects.select_for_update().get(pk=handover.seal_id)
    if handover.handed_at is None:
        raise ValidationError(_("The outgoing side records the handover first (SEAL-6)."))
    if handover.received_at is not None:
        raise ValidationError(_("The receipt was already recorded."))
    if staff.pk == handover.handed_by_id:
        raise ValidationError(_("The person who handed the seal over cannot confirm its receipt (CTL-2)."))
    if staff.pk != handover.new_custodian_id and not may_manage(acting_user, seal.community):
        raise ValidationError(_("The new custodian or the director confirms the receipt (SEAL-6)."))
    _check_custodian(handover.new_custodian, seal.community)
    handover.received_at = timezone.now()
    handover.received_by = staff
    seal.status = Seal.Status.IN_USE
    seal.custodian = handover.new_custodian
    _save(seal, acting_user)
    return _save(handover, acting_user)


def handover_late(handover: Handover) -> bool:
    end = handover.received_at and timezone.localtime(handover.received_at).date()
    return (end or timezone.localdate()) > handover.due_on


# --- SEAL-7, SEAL-8: replacement, loss, the public notice ----------------------------------------------


@transaction.atomic
def report_loss(seal: Seal, *, circumstances: str, acting_user) -> LossReport:
    """SEAL-8: the seal is void from this moment: any further use is refused."""
    staff = _staff(acting_user)
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    _check_sees(staff, seal.community)
    if seal.status in (Seal.Status.LOST, Seal.Status.REPLACED):
        raise ValidationError(_("The seal is already %(status)s."), params={"status": seal.get_status_display()})
    if not (circumstances or "").strip():
        raise ValidationError({"reason": _("Say when and how the seal was lost (SEAL-8).")})
    now = timezone.now()
    report = LossReport(community=seal.community, seal=seal, reported_at=now, reported_by=staff, circumstances=circumstances.strip()[:500])
    _save(report, acting_user)
    seal.status = Seal.Status.LOST
    seal.void_from = now
    _save(seal, acting_user)
    return report


@transaction.atomic
def replace_seal(old: Seal, *, name: str, place: str, issued_on: dt.date, custodian: Staff | None,
                 collected_on: dt.date | None, acting_user) -> Seal:
    """SEAL-7: the street office issues the new seal and collects the old one (a lost seal cannot be
    collected)."""
    staff = _staff(acting_user)
    old = Seal.objects.select_for_update().get(pk=old.pk)
    _check_street(staff, old.community, _("Replacing a seal"))
    if Seal.objects.filter(replaces=old).exists():
        raise ValidationError(_("This seal was already replaced."))
    if old.status == Seal.Status.HANDED_OVER:
        raise ValidationError(_("The seal is being handed over; finish the handover first (SEAL-6)."))
    if old.status == Seal.Status.IN_USE:
        if collected_on is None:
            raise ValidationError({"collected_on": _("The street office collects the old seal when it issues the new "
                                                     "one: give the day it was collected (SEAL-7).")})
        if collected_on > timezone.localdate():
            raise ValidationError({"collected_on": _("The old seal cannot be collected on a later day (CTL-6).")})
        old.status = Seal.Status.REPLACED
        old.collected_on = collected_on
        old.void_from = old.void_from or timezone.now()
    new = create_seal(community=old.community, kind=old.kind, name=name, place=place, issued_on=issued_on,
                      custodian=custodian, acting_user=acting_user, replaces=old)
    _save(old, acting_user)
    return new


def default_notice_text(seal: Seal, reason: str, new_seal: Seal | None) -> str:
    c = seal.community
    if reason == SealNotice.Reason.LOST:
        when = timezone.localtime(seal.void_from).strftime("%Y年%m月%d日%H时%M分") if seal.void_from else ""
        text = f"{c.committee_name}“{seal.name}”（{seal.get_kind_display()}）已于{when}遗失，自即日起作废，加盖该印章的文书一律无效。"
    else:
        text = f"{c.committee_name}“{seal.name}”（{seal.get_kind_display()}）因故更换，旧章已由街道办事处收缴，自即日起作废。"
    if new_seal is not None:
        text += f"新印章“{new_seal.name}”自{new_seal.issued_on:%Y年%m月%d日}起启用。"
    return text + "\n特此公告。"


@transaction.atomic
def record_notice(seal: Seal, *, posted_from: dt.date, posted_until: dt.date, text: str = "", acting_user
                  ) -> SealNotice:
    """SEAL-8 (and SEAL-7): the street office's public notice that the old seal is void and the new one in
    use, posted at least 30 days (policy seal.lost_notice_days, both ends included)."""
    staff = _staff(acting_user)
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    _check_street(staff, seal.community, _("The public notice on a seal"))
    if seal.status not in (Seal.Status.LOST, Seal.Status.REPLACED):
        raise ValidationError(_("A notice is posted for a lost or replaced seal (SEAL-8)."))
    days = policy.get(seal.community, "seal.lost_notice_days")
    if posted_until < posted_from or not rules.notice_long_enough(posted_from, posted_until, days):
        raise ValidationError({"posted_until": _("The notice runs at least %(days)d days (SEAL-8).") % {"days": days}})
    if seal.void_from and posted_from < timezone.localtime(seal.void_from).date():
        raise ValidationError({"posted_from": _("The posting cannot start before the seal became void (SEAL-8).")})
    reason = SealNotice.Reason.LOST if seal.status == Seal.Status.LOST else SealNotice.Reason.REPLACED
    new_seal = Seal.objects.filter(replaces=seal).first()
    notice = SealNotice(community=seal.community, seal=seal, new_seal=new_seal, reason=reason,
                        text=(text or "").strip() or default_notice_text(seal, reason, new_seal),
                        posted_from=posted_from, posted_until=posted_until, code=new_code(), created_by=staff)
    return _save(notice, acting_user)


# --- public verification ---------------------------------------------------------------------------------

VALID, VOIDED, UNKNOWN = "valid", "voided", "unknown"


def verify(raw_code: str) -> dict:
    """What the public page may say about a code: the state, the kind, the community, the date and the
    holder's masked name. Nothing else (no number, no ID, no address, no purpose)."""
    code = rules.normalise_code(raw_code)
    if not code or len(code) != rules.CODE_LENGTH:
        return {"state": UNKNOWN}
    cert = Certificate.objects.select_related("community").filter(code=code).first()
    if cert is not None:
        if cert.status == Certificate.Status.ISSUED:
            state = VALID
        elif cert.status == Certificate.Status.VOID and cert.issued_on:
            state = VOIDED
        else:
            return {"state": UNKNOWN}  # never issued: nothing to say
        return {"state": state, "kind": cert.kind_label, "community": cert.community.committee_name,
                "date": cert.issued_on, "holder": rules.mask_name(cert.holder_name)}
    notice = SealNotice.objects.select_related("community").filter(code=code).first()
    if notice is not None:
        return {"state": VALID, "kind": str(notice.get_reason_display()) + " · " + _("public notice"),
                "community": notice.community.committee_name, "date": notice.posted_from, "holder": ""}
    return {"state": UNKNOWN}


def visible(model, user):
    return scoping.scope(model.objects.all(), user)
