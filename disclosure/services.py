"""Every change of the disclosure chapter (DIS-1 … DIS-5). Views call these; each runs in a transaction,
locks the notice, checks the rules and saves with the acting user on the history.

Life of a notice: ``compose`` (from a registered composer, DIS-4) or ``create_free_text`` → draft;
``submit`` → the committee approver decides through committee.approvals (CTL-2: never the drafter);
``issue`` (approved only): the composer runs again and must give exactly what was approved, the DIS-5 scan,
the posting period against its minimum, the seal use (SEAL-2), the PDF printed once and stored with its
SHA-256; ``take_down`` with a reason; ``correct`` → a new draft that says what it corrects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee import approvals, calendar, inputs, policy, printing, records
from committee.models import Community, Staff
from committee.scoping import staff_for
from disclosure import composers, pii, rules
from disclosure.models import Category, Notice

PRINT_LANGUAGE = "zh-hans"  # notices are official papers for residents: always 简体中文
LONGEST_POSTING_DAYS = 366 * 2  # CTL-8: a posting period of more than two years is a typing error

# DIS-3: minimum posting length set by another chapter's rule, per category (policy values)
POLICY_MINIMUM = {
    composers.SEAL: ("seal.lost_notice_days", "days"),  # SEAL-8: 30 days
    composers.WELFARE: ("wel.posting_days", "working_days"),  # WEL-11: 10 working days
}


_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff members can do this."))
    return staff


def may_draft(user, community: Community) -> bool:
    """Any staff member of the community itself drafts, submits and issues its notices; the street office
    reads them."""
    staff = staff_for(user)
    return staff is not None and staff.community_id == community.pk


def _check_drafter(acting_user, community: Community) -> Staff:
    staff = _staff(acting_user)
    if staff.community_id != community.pk:
        raise ValidationError(_("Only staff of %(community)s draft and issue its notices (DIS-3).")
                              % {"community": community.name})
    return staff


def may_take_down(user, notice: Notice) -> bool:
    """The drafter or the committee approver of the community (主任, or 书记 where ORG-3 says so)."""
    staff = staff_for(user)
    if staff is None or staff.community_id != notice.community_id:
        return False
    return staff.pk == notice.drafted_by_id or approvals.holds_role(
        staff, policy.committee_approver_role(notice.community), notice.community, timezone.localdate())


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("community").get(pk=notice.pk)


def category(key: str) -> Category | None:
    return Category.objects.filter(key=key).first()


# --- freezing (DIS-4) --------------------------------------------------------------------------------


def _plain(value):
    """Lazy strings, Decimals and dates to what the JSON field stores, so the draft and the issuing compare."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def _frozen(composed: composers.Composed) -> dict:
    tables = []
    for t in composed.tables:
        d = dataclasses.asdict(t) if dataclasses.is_dataclass(t) else dict(t)
        d["columns"] = [str(c) for c in d.get("columns", [])]
        d["rows"] = [[str(c) for c in row] for row in d.get("rows", [])]
        d["totals"] = [str(c) for c in d["totals"]] if d.get("totals") else None
        d["caption"] = str(d.get("caption") or "")
        tables.append(d)
    return {
        "title": str(composed.title)[:200],
        "paragraphs": [str(p) for p in composed.paragraphs],
        "tables": _plain(tables),
        "closing": [str(p) for p in composed.closing],
        "figures": _plain(composed.figures or {}),
        "min_days": composed.min_days,
        "min_working_days": composed.min_working_days,
        "period_start": composed.period_start,
        "period_end": composed.period_end,
    }


def _run_composer(composer: composers.Composer, community: Community, subject: str, acting_user) -> dict:
    with translation.override(PRINT_LANGUAGE):
        return _frozen(composer.compose(community, subject, acting_user))


def _content(notice: Notice) -> dict:
    return {"title": notice.title, "paragraphs": notice.paragraphs, "tables": notice.tables,
            "closing": notice.closing, "figures": notice.figures}


def subjects(composer: composers.Composer, community: Community, day=None) -> list[composers.Subject]:
    with translation.override(PRINT_LANGUAGE):
        return list(composer.subjects(community, day or timezone.localdate()))


@transaction.atomic
def compose(*, community: Community, composer_key: str, subject: str, acting_user, corrects: Notice | None = None
            ) -> Notice:
    """DIS-4: a draft whose content is drawn from the records now by the registered composer and frozen.
    The composer refuses a subject that may not be composed (a quarter that has not ended)."""
    staff = _check_drafter(acting_user, community)
    composer = composers.get(composer_key or "")
    if composer is None:
        raise ValidationError({"composer": _("Choose what to compose (DIS-4).")})
    subject = (subject or "").strip()[:60]
    if not subject:
        raise ValidationError({"subject": _("Choose the subject of the notice (DIS-4).")})
    known = {str(s.key): s for s in subjects(composer, community)}
    frozen = _run_composer(composer, community, subject, acting_user)
    label = str(known[subject].label) if subject in known else subject
    notice = Notice(community=community, category=composer.category, composer=composer.key, subject=subject,
                    subject_label=label[:200], drafted_by=staff, corrects=corrects, **frozen)
    return _save(notice, acting_user)


def _clean_text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    bad = inputs.find_control_character(value)
    if bad:
        raise ValidationError({field: _("The text holds a control character; type it again (CTL-8).")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}})
    return value


def _paragraphs(body: str) -> list[str]:
    return [line.strip() for line in (body or "").replace("\r\n", "\n").split("\n") if line.strip()]


@transaction.atomic
def create_free_text(*, community: Community, category_key: str, title: str, body: str, acting_user,
                     corrects: Notice | None = None) -> Notice:
    """DIS-1: a typed notice of a category whose figures are not drawn from records."""
    staff = _check_drafter(acting_user, community)
    if category(category_key) is None:
        raise ValidationError({"category": _("Choose a category of the board (DIS-1).")})
    title = _clean_text(title, "title", 200)
    body = _clean_text(body, "body", 20000)
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if not _paragraphs(body):
        raise ValidationError({"body": _("Write the text of the notice.")})
    notice = Notice(community=community, category=category_key, title=title, paragraphs=_paragraphs(body),
                    drafted_by=staff, corrects=corrects)
    return _save(notice, acting_user)


@transaction.atomic
def edit_free_text(notice: Notice, *, title: str, body: str, acting_user) -> Notice:
    notice = _lock(notice)
    staff = _check_drafter(acting_user, notice.community)
    if notice.composer or notice.status not in (Notice.Status.DRAFT, Notice.Status.REJECTED):
        raise ValidationError(_("Only a typed draft can be edited; an approved notice is issued as approved."))
    if staff.pk != notice.drafted_by_id:
        raise ValidationError(_("Only the person who drafted the notice edits it."))
    title = _clean_text(title, "title", 200)
    body = _clean_text(body, "body", 20000)
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if not _paragraphs(body):
        raise ValidationError({"body": _("Write the text of the notice.")})
    notice.title, notice.paragraphs, notice.status = title, _paragraphs(body), Notice.Status.DRAFT
    return _save(notice, acting_user)


# --- DIS-5 -------------------------------------------------------------------------------------------


def scan(notice: Notice) -> list[pii.Finding]:
    return pii.scan(notice.title, notice.paragraphs, notice.tables, notice.closing)


def _refuse_findings(findings: list[pii.Finding]) -> None:
    if findings:
        raise ValidationError([
            _("The notice holds personal data and cannot be issued (DIS-5): %(kind)s in %(where)s (“%(excerpt)s”). "
              "Mask it or take it out.") % {"kind": f.label, "where": f.where, "excerpt": f.excerpt}
            for f in findings])


# --- approval ----------------------------------------------------------------------------------------


def routing(notice: Notice) -> list[approvals.Step]:
    role = policy.committee_approver_role(notice.community)
    return [approvals.Step(role, _("Committee approval of the notice"))]


@transaction.atomic
def submit(notice: Notice, *, acting_user) -> Notice:
    """The drafter sends the draft to the committee approver. A notice with personal data is refused
    already here (DIS-5), so the approver never sees it."""
    notice = _lock(notice)
    staff = _check_drafter(acting_user, notice.community)
    if notice.status not in (Notice.Status.DRAFT, Notice.Status.REJECTED):
        raise ValidationError(_("Only a draft can be sent for approval."))
    if staff.pk != notice.drafted_by_id:
        raise ValidationError(_("The person who drafted the notice sends it for approval."))
    _refuse_findings(scan(notice))
    approvals.request_approval(notice, community=notice.community, steps=routing(notice),
                               summary=notice.title, rule="DIS-3", acting_user=acting_user)
    notice.status = Notice.Status.SUBMITTED
    return _save(notice, acting_user)


def on_decided(notice: Notice, outcome: str, acting_user) -> None:
    notice = _lock(notice)
    if notice.status != Notice.Status.SUBMITTED:
        return
    notice.status = Notice.Status.APPROVED if outcome == "approved" else Notice.Status.REJECTED
    _save(notice, acting_user)


@transaction.atomic
def withdraw(notice: Notice, *, acting_user) -> Notice:
    """The drafter withdraws a notice that is not issued; it stays in the list as withdrawn."""
    notice = _lock(notice)
    staff = _check_drafter(acting_user, notice.community)
    if notice.status not in (Notice.Status.DRAFT, Notice.Status.SUBMITTED, Notice.Status.APPROVED,
                             Notice.Status.REJECTED):
        raise ValidationError(_("An issued notice is not withdrawn; take it down with a reason."))
    if staff.pk != notice.drafted_by_id:
        raise ValidationError(_("Only the person who drafted the notice withdraws it."))
    if notice.status == Notice.Status.SUBMITTED:
        approvals.withdraw(notice, acting_user=acting_user)
    notice.status = Notice.Status.WITHDRAWN
    return _save(notice, acting_user)


# --- issuing (DIS-3, DIS-4, DIS-5) -------------------------------------------------------------------


def minimum(notice: Notice) -> tuple[int, int]:
    """(calendar days, working days) the notice must be posted at least: the largest of what the composing
    rule said, the category's own minimum and the rule of the chapter behind the category (policy)."""
    days = [notice.min_days or 0]
    working = [notice.min_working_days or 0]
    cat = category(notice.category)
    if cat is not None:
        days.append(cat.min_days or 0)
        working.append(cat.min_working_days or 0)
    if notice.category in POLICY_MINIMUM:
        key, kind = POLICY_MINIMUM[notice.category]
        (days if kind == "days" else working).append(int(policy.get(notice.community, key)))
    return max(days), max(working)


def shortest_until(notice: Notice, start: dt.date) -> dt.date:
    """The first end day of a posting from ``start`` that meets the minimum (a week when there is none): what
    the issue form proposes."""
    min_days, min_working = minimum(notice)
    end = start + dt.timedelta(days=max(min_days, 7) - 1)
    if min_working:
        end = max(end, calendar.add_working_days(start - dt.timedelta(days=1), min_working))
    return end


def check_period(notice: Notice, posted_from: dt.date | None, posted_until: dt.date | None,
                 today: dt.date) -> None:
    """DIS-3: the posting period: both dates, start today or later, end not before start, at least the
    minimum length (both ends included; working days by the official calendar)."""
    if posted_from is None:
        raise ValidationError({"posted_from": _("Give the first day of the posting period (DIS-3).")})
    if posted_until is None:
        raise ValidationError({"posted_until": _("Give the last day of the posting period (DIS-3).")})
    if posted_from < today:
        raise ValidationError({"posted_from": _("The posting starts today or later, not on %(day)s (DIS-3).")
                               % {"day": posted_from.isoformat()}})
    if posted_until < posted_from:
        raise ValidationError({"posted_until": _("The posting period ends before it starts (DIS-3).")})
    if rules.days_posted(posted_from, posted_until) > LONGEST_POSTING_DAYS:
        raise ValidationError({"posted_until": _("A posting period of more than two years is not accepted (CTL-8).")})
    min_days, min_working = minimum(notice)
    if min_days and rules.days_posted(posted_from, posted_until) < min_days:
        raise ValidationError({"posted_until": _(
            "This notice is posted at least %(n)s days (both days included): until %(day)s or later (DIS-3).")
            % {"n": min_days, "day": (posted_from + dt.timedelta(days=min_days - 1)).isoformat()}})
    if min_working:
        have = len(calendar.working_days_between(posted_from, posted_until))
        if have < min_working:
            last = calendar.add_working_days(posted_from - dt.timedelta(days=1), min_working)
            raise ValidationError({"posted_until": _(
                "This notice is posted at least %(n)s working days; %(from)s – %(until)s has %(have)s: until %(day)s "
                "or later (DIS-3).") % {"n": min_working, "from": posted_from.isoformat(),
                                        "until": posted_until.isoformat(), "have": have, "day": last.isoformat()}})


def pdf_context(notice: Notice, *, public_url: str, draft: bool = False) -> dict:
    import base64
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(public_url, error="m").save(buffer, kind="png", scale=6, border=4)
    qr = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return {"notice": notice, "qr": qr, "public_url": public_url, "draft": draft,
            "seal_org": notice.community.committee_name,
            "seal_date": notice.issued_at and timezone.localtime(notice.issued_at).date()}


def render(notice: Notice, *, public_url: str, draft: bool = False) -> bytes:
    # PDF/A: the issued notice is stored once and later filed as it is (ARC-7), so it is archival from the start.
    return printing.render_pdf_in(PRINT_LANGUAGE, "disclosure/notice_pdf.html",
                                  pdf_context(notice, public_url=public_url, draft=draft),
                                  pdf_variant=None if draft else "pdf/a-3b")


def public_path(notice: Notice) -> str:
    return notice.public_url()


@transaction.atomic
def issue(notice: Notice, *, posted_from: dt.date | None, posted_until: dt.date | None, acting_user,
          base_url: str, seal_reference: str = "") -> Notice:
    """DIS-3: issue an approved notice. ``base_url`` is the public address the QR code points to
    (``DISCLOSURE_PUBLIC_BASE_URL``, else the request's host)."""
    from seals import services as seals

    notice = _lock(notice)
    staff = _check_drafter(acting_user, notice.community)
    if notice.status != Notice.Status.APPROVED:
        raise ValidationError(_("Only an approved notice is issued: send it to the committee approver first "
                                "(DIS-3)."))
    today = timezone.localdate()
    check_period(notice, posted_from, posted_until, today)
    if notice.composer:  # DIS-4: what is issued is the records now, and exactly what was approved
        composer = composers.get(notice.composer)
        if composer is None:
            raise ValidationError(_("What composed this notice is no longer available; write a new notice."))
        now = _run_composer(composer, notice.community, notice.subject, acting_user)
        if {k: now[k] for k in ("title", "paragraphs", "tables", "closing", "figures")} != _content(notice):
            raise ValidationError(_("The records changed since this notice was composed: what was approved is no "
                                    "longer what the records say. Withdraw it and compose it again (DIS-4)."))
    _refuse_findings(scan(notice))  # DIS-5
    notice.posted_from, notice.posted_until = posted_from, posted_until
    notice.issued_at, notice.issued_by, notice.status = timezone.now(), staff, Notice.Status.ISSUED
    _save(notice, acting_user)
    entry = seals.link_or_register(  # SEAL-2: the stamp on the printed notice is registered
        community=notice.community, reference=seal_reference, source=notice, acting_user=acting_user,
        matter=lambda: _("Disclosure board notice: %(title)s") % {"title": notice.title[:120]},
        use_kind="disclosure", field="seal_reference")
    if entry is not None:
        notice.seal_reference = entry.number
    elif seal_reference:
        notice.seal_reference = _clean_text(seal_reference, "seal_reference", 40)
    url = base_url.rstrip("/") + public_path(notice)
    pdf = render(notice, public_url=url)
    notice.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    notice.pdf.save(f"{notice.community.code}/{notice.issued_at:%Y}/{notice.code}.pdf", ContentFile(pdf), save=False)
    _save(notice, acting_user)
    if notice.corrects_id:  # the corrected notice leaves the board when its correction is posted
        old = Notice.objects.select_for_update().get(pk=notice.corrects_id)
        if old.status == Notice.Status.ISSUED and old.posted_until >= today:
            old.status, old.taken_down_at, old.taken_down_by = Notice.Status.TAKEN_DOWN, timezone.now(), staff
            with translation.override(PRINT_LANGUAGE):
                old.taken_down_reason = _("Corrected by the notice “%(title)s”") % {"title": notice.title[:200]}
            _save(old, acting_user)
    return notice


def stored_pdf(notice: Notice) -> bytes:
    """The issued PDF as stored, after its checksum is verified; ValidationError when it is missing or does
    not match (the file was changed on disk)."""
    if notice.status not in (Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN) or not notice.pdf:
        raise ValidationError(_("This notice has no printed PDF: it is not issued."))
    try:
        with notice.pdf.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ValidationError(_("The stored PDF of this notice is missing; tell the system administrator.")) from None
    if hashlib.sha256(data).hexdigest() != notice.pdf_sha256:
        raise ValidationError(_("The stored PDF of this notice does not match its checksum and is not served; tell "
                                "the system administrator."))
    return data


@transaction.atomic
def take_down(notice: Notice, *, reason: str, acting_user) -> Notice:
    """An issued notice leaves the board before its end, with a reason (the drafter or the committee
    approver). It stays in the archive."""
    notice = _lock(notice)
    staff = _staff(acting_user)
    if not may_take_down(acting_user, notice):
        raise ValidationError(_("Only the drafter or the committee approver takes a notice down."))
    if notice.status != Notice.Status.ISSUED or notice.is_expired():
        raise ValidationError(_("Only a notice on the board can be taken down."))
    reason = _clean_text(reason, "reason", 500)
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is taken down before its end (DIS-3).")})
    notice.status, notice.taken_down_at, notice.taken_down_by = Notice.Status.TAKEN_DOWN, timezone.now(), staff
    notice.taken_down_reason = reason
    return _save(notice, acting_user)


@transaction.atomic
def correct(notice: Notice, *, acting_user) -> Notice:
    """DIS-4: a correction is a new notice that says what it corrects: composed again from the records (or,
    typed, a copy to edit), a draft going through approval like any other."""
    _check_drafter(acting_user, notice.community)
    if notice.status not in (Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN):
        raise ValidationError(_("Only an issued notice is corrected; edit or withdraw a draft instead."))
    if notice.composer:
        return compose(community=notice.community, composer_key=notice.composer, subject=notice.subject,
                       acting_user=acting_user, corrects=notice)
    return create_free_text(community=notice.community, category_key=notice.category, title=notice.title,
                            body="\n".join(notice.paragraphs), acting_user=acting_user, corrects=notice)


# --- categories (DIS-1, DIS-2) -----------------------------------------------------------------------


@transaction.atomic
def save_category(cat: Category, *, cadence: str, min_days, min_working_days, acting_user) -> Category:
    staff = _staff(acting_user)
    if staff.community_id is not None:
        raise ValidationError(_("The street office sets the categories' cadence (DIS-2)."))
    if cadence not in Category.Cadence.values:
        raise ValidationError({"cadence": _("Choose how often the category is posted (DIS-2).")})
    cat = Category.objects.select_for_update().get(pk=cat.pk)
    cat.cadence, cat.min_days, cat.min_working_days = cadence, min_days, min_working_days
    return _save(cat, acting_user)


def cadence_months(cat: Category, community: Community) -> int | None:
    if cat.cadence == Category.Cadence.QUARTER:
        return int(policy.get(community, "dis.quarter_months"))
    if cat.cadence == Category.Cadence.HALF_YEAR:
        return int(policy.get(community, "dis.half_year_months"))
    return None


def last_posted(communities) -> dict[tuple[int, str], dt.date]:
    """(community id, category) → the first posting day of the latest issued notice: one query."""
    from django.db.models import Max

    rows = (Notice.objects.filter(community__in=communities,
                                  status__in=[Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN])
            .values("community_id", "category").annotate(last=Max("posted_from")))
    return {(r["community_id"], r["category"]): r["last"] for r in rows}


def posting_days(community: Community, first: dt.date, last: dt.date) -> dict[str, list[dt.date]]:
    """DIS-2 (POST-6 evaluation): category → the first posting days of the community's issued notices
    (taken-down ones included, as in ``last_posted``) between ``first`` and ``last``, sorted: one query."""
    out: dict[str, list[dt.date]] = {}
    rows = (Notice.objects.filter(community=community, status__in=[Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN],
                                  posted_from__gte=first, posted_from__lte=last)
            .order_by("posted_from").values_list("category", "posted_from"))
    for category, day in rows:
        out.setdefault(category, []).append(day)
    return out


def cadence(communities, day: dt.date) -> list[dict]:
    """DIS-2 for each community and each category with a cadence: last posted, current period, state. A fixed
    number of queries for any number of communities."""
    communities = list(communities)
    policy.prefetch(communities)
    cats = list(Category.objects.all())
    last = last_posted(communities)
    out = []
    for c in communities:
        for cat in cats:
            months = cadence_months(cat, c)
            row = {"community": c, "category": cat, "last": last.get((c.pk, cat.key)), "months": months}
            if months:
                row["period"] = rules.period_of(day, months)
                row["state"], row["due"] = rules.cadence_state(row["last"], day, months)
            else:
                row["period"], row["state"], row["due"] = None, "as_needed", None
            out.append(row)
    return out


# --- for other chapters ------------------------------------------------------------------------------


def issued_notices(community: Community, year: int):
    """ARC-7: the notices of a community issued in ``year``, with their stored PDF (``notice.pdf``) and its
    SHA-256 (``notice.pdf_sha256``), taken-down ones included, in the order issued."""
    return (Notice.objects.filter(community=community, issued_at__year=year,
                                  status__in=[Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN])
            .select_related("issued_by", "drafted_by").order_by("issued_at", "pk"))
