"""Every change of the archives chapter (ARC-1 … ARC-7): checked, saved with history, in one transaction.

``archive_rights(staff, community)`` is the one statement of who may file (ARC-1, ARC-6): the holder of the
archivist role of that community today, and, where someone else held the role before, only once the
handover to them is signed by both sides.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import rules
from archives.models import (
    Cabinet,
    Category,
    Handover,
    IntegrityFailure,
    Item,
    ItemFile,
    Loan,
    Volume,
    YearFiled,
)
from archives.sources import get as get_source
from archives.sources import sources
from committee import approvals, inputs, policy, records, uploads
from committee.models import Community, Role, RoleAssignment, Staff
from committee.scoping import staff_for

_save = records.save  # who acted is named in the history (committee.records)


def _staff(acting_user) -> Staff:
    staff = staff_for(acting_user)
    if staff is None:
        raise ValidationError(_("Only staff can change the archives."))
    return staff


def _today():
    return timezone.localdate()


# --- who (ARC-1, ARC-5, ARC-6) ---------------------------------------------------------------------


def archive_rights(staff: Staff | None, community: Community, day: dt.date | None = None) -> bool:
    """ARC-6: the archivist of the community today, who has taken over through a signed handover when
    someone else held the role before."""
    if staff is None or staff.community_id != community.pk:
        return False
    day = day or _today()
    mine = (RoleAssignment.objects.on(day).filter(staff=staff, community=community, role=Role.ARCHIVIST)
            .order_by("start").first())
    if mine is None:
        return False
    handovers = Handover.objects.filter(community=community, incoming=staff)
    if handovers.filter(outgoing_signed_at__isnull=True).exists() or handovers.filter(
            incoming_signed_at__isnull=True).exists():
        return False  # a handover to them is open: not yet
    predecessor = RoleAssignment.objects.filter(community=community, role=Role.ARCHIVIST, start__lte=mine.start
                                                ).exclude(staff=staff).exists()
    if predecessor and not handovers.filter(outgoing_signed_at__isnull=False,
                                            incoming_signed_at__isnull=False).exists():
        return False
    return True


def may_file(user, community) -> bool:
    return archive_rights(staff_for(user), community)


def may_lend(user, community) -> bool:
    """ARC-5: the archivist (with archive rights) and the director lend and take back."""
    staff = staff_for(user)
    if staff is None or staff.community_id != community.pk:
        return False
    return archive_rights(staff, community) or approvals.holds_role(staff, Role.DIRECTOR, community, _today())


def may_read_files(user, community) -> bool:
    """The files themselves: the street office, the archivist, the director, deputy and party secretary."""
    staff = staff_for(user)
    if staff is None:
        return False
    if staff.community_id is None:
        return True  # the street office (its communities only: the views scope the record first)
    return staff.community_id == community.pk and approvals.roles_of(staff, community, _today()) & set(
        rules.FILE_READERS) != set()


def _check_rights(staff, community):
    if not archive_rights(staff, community):
        raise ValidationError(_("Only the archivist of %(community)s files and changes the archives; a new "
                                "archivist takes over once the handover is signed by both (ARC-1, ARC-6).")
                              % {"community": community.name})


def closed_years(community) -> set[int]:
    return set(YearFiled.objects.filter(community=community).values_list("year", flat=True))


def is_closed(community, year, today=None) -> bool:
    month = int(policy.get(community, "arc.filing_month"))
    return rules.year_closed(year, today or _today(), month, closed_years(community))


def filing_deadline(community, year) -> dt.date:
    return rules.filing_deadline(year, int(policy.get(community, "arc.filing_month")))


# --- the catalogue (ARC-1, ARC-3, ARC-4) ---------------------------------------------------------------


def save_cabinet(*, community, name, place, fire, light, damp, theft, cabinet=None, acting_user) -> Cabinet:
    """ARC-4: a cabinet and its protection against fire, light, damp and theft (each described)."""
    staff = _staff(acting_user)
    _check_rights(staff, community)
    errors = {k: _("Say how the cabinet is protected against this (ARC-4).")
              for k, v in {"fire": fire, "light": light, "damp": damp, "theft": theft}.items() if not (v or "").strip()}
    if errors:
        raise ValidationError(errors)
    cabinet = cabinet or Cabinet(community=community)
    cabinet.name, cabinet.place = name.strip(), place.strip()
    cabinet.fire, cabinet.light, cabinet.damp, cabinet.theft = fire.strip(), light.strip(), damp.strip(), theft.strip()
    try:
        with transaction.atomic():
            return _save(cabinet, acting_user)
    except IntegrityError:
        raise ValidationError({"name": _("There is already a cabinet of this name.")}) from None


def ensure_categories() -> None:
    """ARC-1: the rule book's categories are in the table (the migration puts them there; a database emptied
    by a flush, e.g. between browser tests, gets them back). One query when they are there."""
    if Category.objects.count() >= len(rules.CATEGORIES):
        return
    from archives.migrations import CATEGORY_NAMES

    for order, (key, name) in enumerate(CATEGORY_NAMES, start=1):
        Category.objects.get_or_create(key=key, defaults={"name": name, "order": order})


def volume_for(community, year: int, category: Category, acting_user) -> Volume:
    volume = Volume.objects.select_for_update(of=("self",)).filter(community=community, year=year, category=category,
                                                       seq=1).first()
    if volume is None:
        volume = _save(Volume(community=community, year=year, category=category, seq=1,
                              title=f"{year}年 {category.name}"), acting_user)
        volume = Volume.objects.select_for_update().get(pk=volume.pk)
    return volume


def _pdf_text(data: bytes) -> str:
    """The text of a PDF for the search (pypdf); empty when it has none or cannot be read."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:200])[:200_000]
    except Exception:  # noqa: BLE001 - a file without text is still filed
        return ""


def _check_upload(upload, community, field="upload"):
    try:
        return uploads.check(upload, community=community)
    except ValidationError as e:
        raise ValidationError({field: e.messages}) from None


@transaction.atomic
def file_item(*, community, year: int, category: Category, title: str, date: dt.date, responsible: str,
              pages: int = 1, medium: str = Item.Medium.PAPER, cabinet: Cabinet | None = None, shelf: str = "",
              note: str = "", late_reason: str = "", upload=None, acting_user, source: str = "",
              source_ref: str = "", produced: bool = False) -> Item:
    """ARC-1: file an item in the volume of its category and year. ARC-3: into a closed year (after the
    filing deadline, or recorded as filed) only as a late entry (补记) with its reason."""
    staff = _staff(acting_user)
    _check_rights(staff, community)
    today = _today()
    if not inputs.EARLIEST.year <= year <= today.year:
        raise ValidationError({"year": _("Choose a year between %(first)s and %(last)s.")
                               % {"first": inputs.EARLIEST.year, "last": today.year}})
    if date is None or not inputs.EARLIEST <= date <= today:
        raise ValidationError({"date": _("The date of the document cannot be later than today.")})
    if cabinet is not None and cabinet.community_id != community.pk:
        raise ValidationError({"cabinet": _("Choose a cabinet of this community.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the title.")})
    if pages is None or pages < 1:
        raise ValidationError({"pages": _("Give the number of pages.")})
    late_reason = (late_reason or "").strip()
    late = is_closed(community, year, today)
    if late and not late_reason:
        raise ValidationError({"late_reason": _(
            "The year %(year)s is closed (its materials were due by %(deadline)s): filing into it is a late entry "
            "(补记); give the reason (ARC-3).") % {"year": year, "deadline": filing_deadline(community, year)}})
    if upload is not None:
        _check_upload(upload, community)
    volume = volume_for(community, year, category, acting_user)
    volume.last_item += 1
    _save(volume, acting_user)
    item = Item(community=community, volume=volume, seq=volume.last_item, title=title.strip(), date=date,
                responsible=responsible.strip(), pages=pages, medium=medium, cabinet=cabinet, shelf=shelf.strip(),
                note=note.strip(), late=late, late_reason=late_reason[:300] if late else "", filed_at=timezone.now(),
                filed_by=staff, source=source, source_ref=source_ref)
    try:
        with transaction.atomic():
            _save(item, acting_user)
    except IntegrityError:
        raise ValidationError(_("This record has already been filed (ARC-7).")) from None
    if upload is not None:
        _add_file(item, upload, acting_user=acting_user, staff=staff, produced=produced)
    return item


def _add_file(item, upload, *, acting_user, staff, note="", produced=False) -> ItemFile:
    version = (item.files.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    f = ItemFile(community=item.community, item=item, version=version, original_name=(
        getattr(upload, "name", "") or "file")[-200:], size=len(data), produced=produced, note=note[:300],
        added_at=timezone.now(), added_by=staff)
    f.file.save(getattr(upload, "name", "file") or "file", upload, save=False)  # CTL-7: checked, renamed, sha256
    _save(f, acting_user)
    if data[:5] == b"%PDF-":
        text = _pdf_text(data)
        if text:
            item.text = (item.text + "\n" + text).strip()[:400_000]
            _save(item, acting_user, update_fields=["text"])
    return f


@transaction.atomic
def add_version(item: Item, *, upload, note: str, acting_user) -> ItemFile:
    """ARC-3: the original is never replaced: a corrected or completed file is a new version, with why."""
    staff = _staff(acting_user)
    _check_rights(staff, item.community)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why a new version is added; the original stays (ARC-3).")})
    _check_upload(upload, item.community)
    item = Item.objects.select_for_update().get(pk=item.pk)
    return _add_file(item, upload, acting_user=acting_user, staff=staff, note=note.strip())


def checksum(item_file: ItemFile) -> str:
    digest = hashlib.sha256()
    with item_file.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(item_file: ItemFile, *, acting_user) -> bool:
    """The file still matches the checksum recorded when it was filed; a mismatch is recorded (the audit
    record of the refused download) and the download refused."""
    try:
        found = checksum(item_file)
    except FileNotFoundError:
        found = ""
    if found == item_file.file_sha256:
        return True
    _save(IntegrityFailure(community=item_file.community, file=item_file, at=timezone.now(),
                           by=_staff(acting_user), expected=item_file.file_sha256, found=found or "-"), acting_user)
    return False


# --- ARC-7: what the product produced ---------------------------------------------------------------------


def filed_refs(community, year=None) -> set[tuple[str, str]]:
    qs = Item.objects.filter(community=community).exclude(source="")
    return set(qs.values_list("source", "source_ref"))


def pending_offers(community, year: int) -> list[tuple]:
    """(source, offer) of that year not filed yet, in the order of the sources."""
    filed = filed_refs(community)
    out = []
    for source in sources():
        for offer in source.offers(community, year):
            if (source.key, offer.key) not in filed:
                out.append((source, offer))
    return out


@transaction.atomic
def file_offer(*, community, year: int, source_key: str, offer_key: str, late_reason: str = "", cabinet=None,
               shelf: str = "", acting_user) -> Item:
    """ARC-7: one click files the record in its category and year, the chapter's PDF rendered as PDF/A and
    frozen with its checksum."""
    staff = _staff(acting_user)
    _check_rights(staff, community)
    source = get_source(source_key)
    offer = None
    if source is not None:
        offer = next((o for o in source.offers(community, year) if o.key == offer_key), None)
    if offer is None:
        raise ValidationError(_("This record is not offered for filing (ARC-7)."))
    if (source.key, offer.key) in filed_refs(community):
        raise ValidationError(_("This record has already been filed (ARC-7)."))
    ensure_categories()
    category = Category.objects.get(key=source.category_key)
    if offer.produce_pdf is not None:
        data = offer.produce_pdf()
    else:
        data = offer.content or b""
        if offer.sha256 and hashlib.sha256(data).hexdigest() != offer.sha256:
            raise ValidationError(_("The stored file no longer matches its checksum; it was not filed."))
    pages = offer.pages
    if pages is None and data[:5] == b"%PDF-":
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(data)).pages)
    upload = ContentFile(data, name=f"{source.key}-{offer.key}.pdf")
    return file_item(community=community, year=year, category=category, title=offer.title, date=offer.date,
                     responsible=offer.responsible or community.committee_name or community.name, pages=pages or 1,
                     medium=Item.Medium.ELECTRONIC, cabinet=cabinet, shelf=shelf, late_reason=late_reason,
                     upload=upload, acting_user=acting_user, source=source.key, source_ref=offer.key, produced=True)


@transaction.atomic
def record_year_filed(*, community, year: int, acting_user) -> YearFiled:
    """ARC-2: the archivist records that all of the year's materials are filed; refused while the product
    still offers records of that year."""
    staff = _staff(acting_user)
    _check_rights(staff, community)
    if year >= _today().year:
        raise ValidationError(_("A year is recorded as filed once it is over (ARC-2)."))
    waiting = pending_offers(community, year)
    if waiting:
        raise ValidationError(_("%(n)s records of %(year)s are still offered for filing: file them first (ARC-7).")
                              % {"n": len(waiting), "year": year})
    try:
        with transaction.atomic():
            return _save(YearFiled(community=community, year=year, at=timezone.now(), by=staff), acting_user)
    except IntegrityError:
        raise ValidationError(_("%(year)s is already recorded as filed.") % {"year": year}) from None


# --- ARC-5: the borrowing register ---------------------------------------------------------------------------


@transaction.atomic
def lend(item: Item, *, borrower: Staff | None = None, borrower_name: str = "", borrower_unit: str = "",
         purpose: str, due_on: dt.date, acting_user) -> Loan:
    """ARC-5: lend an item (to a member of staff or a named outside person) until a due date; an item
    already lent cannot be lent again. The loan date is the server's (CTL-6)."""
    staff = _staff(acting_user)
    if not may_lend(acting_user, item.community):
        raise ValidationError(_("Only the archivist or the director lends archive items (ARC-5)."))
    item = Item.objects.select_for_update().get(pk=item.pk)
    today = _today()
    if borrower is not None:
        if borrower.community_id not in (item.community_id, None):
            raise ValidationError({"borrower": _("Choose a member of staff of this community.")})
        borrower_name = borrower.name
    if not (borrower_name or "").strip():
        raise ValidationError({"borrower_name": _("Say who borrows the item: a member of staff or a name (ARC-5).")})
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Give the purpose of the loan (ARC-5).")})
    if due_on is None or due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be before the loan date (%(day)s) (ARC-5).")
                               % {"day": today.isoformat()}})
    if due_on > inputs.latest_date():
        raise ValidationError({"due_on": _("Enter a date between %(first)s and %(last)s (CTL-8).")
                               % {"first": today.isoformat(), "last": inputs.latest_date().isoformat()}})
    open_loan = Loan.objects.filter(item=item, returned_on__isnull=True).first()
    if open_loan is not None:
        raise ValidationError(_("%(item)s is on loan to %(who)s until %(due)s: it cannot be lent again before "
                                "it is returned (ARC-5).") % {"item": item.number, "who": open_loan.borrower_name,
                                                              "due": open_loan.due_on.isoformat()})
    loan = Loan(community=item.community, item=item, borrower=borrower, borrower_name=borrower_name.strip(),
                borrower_unit=(borrower_unit or "").strip(), purpose=purpose.strip(), lent_on=today, due_on=due_on,
                lent_by=staff)
    try:
        with transaction.atomic():
            return _save(loan, acting_user)
    except IntegrityError:
        raise ValidationError(_("%(item)s is already on loan (ARC-5).") % {"item": item.number}) from None


@transaction.atomic
def return_loan(loan: Loan, *, acting_user) -> Loan:
    """ARC-5: the item is back (today, the server's date)."""
    staff = _staff(acting_user)
    if not may_lend(acting_user, loan.community):
        raise ValidationError(_("Only the archivist or the director takes back archive items (ARC-5)."))
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_on is not None:
        raise ValidationError(_("This loan was already returned on %(day)s.") % {"day": loan.returned_on.isoformat()})
    loan.returned_on, loan.returned_to = _today(), staff
    return _save(loan, acting_user)


# --- ARC-6: the archivist's handover ----------------------------------------------------------------------------


def held_role(staff: Staff, community) -> bool:
    return RoleAssignment.objects.filter(staff=staff, community=community, role=Role.ARCHIVIST,
                                         start__lte=_today()).exists()


def may_start_handover(user, community) -> bool:
    staff = staff_for(user)
    if staff is None or staff.community_id != community.pk:
        return False
    return archive_rights(staff, community) or approvals.holds_role(staff, Role.DIRECTOR, community, _today())


def inventory_context(community) -> dict:
    volumes = list(Volume.objects.filter(community=community).select_related("category").order_by(
        "year", "category__order", "seq"))
    items = list(Item.objects.filter(community=community).select_related("volume__category", "cabinet").order_by(
        "volume__year", "volume__category__order", "volume__seq", "seq"))
    loans = {loan.item_id: loan for loan in Loan.objects.filter(community=community, returned_on__isnull=True)}
    by_volume: dict[int, list] = {}
    for item in items:
        item.open_loan = loans.get(item.pk)
        by_volume.setdefault(item.volume_id, []).append(item)
    for v in volumes:
        v.inventory_items = by_volume.get(v.pk, [])
    return {"community": community, "volumes": volumes, "n_items": len(items), "n_loans": len(loans)}


@transaction.atomic
def start_handover(*, community, outgoing: Staff, incoming: Staff, seal_reference: str = "", acting_user) -> Handover:
    """ARC-6: the inventory of every volume and item (and what is on loan) is generated now as PDF/A; the
    seal use for the stamped inventory is registered (SEAL-2)."""
    from committee import printing

    staff = _staff(acting_user)
    if not may_start_handover(acting_user, community):
        raise ValidationError(_("The archivist or the director starts the handover (ARC-6)."))
    if outgoing.community_id != community.pk or not held_role(outgoing, community):
        raise ValidationError({"outgoing": _("%(name)s does not hold and has not held the archivist role of this "
                                             "community (ARC-6).") % {"name": outgoing.name}})
    if incoming.pk == outgoing.pk:
        raise ValidationError({"incoming": _("The incoming archivist is another person (ARC-6).")})
    if incoming.community_id != community.pk or not approvals.holds_role(incoming, Role.ARCHIVIST, community, _today()):
        raise ValidationError({"incoming": _("%(name)s does not hold the archivist role: the director grants it "
                                             "first (ARC-6).") % {"name": incoming.name}})
    if Handover.objects.filter(community=community, incoming=incoming, incoming_signed_at__isnull=True).exists():
        raise ValidationError({"incoming": _("A handover to %(name)s is already open.") % {"name": incoming.name}})
    ctx = inventory_context(community)
    ctx.update({"outgoing": outgoing, "incoming": incoming, "day": _today(), "seal_org": community.committee_name,
                "seal_date": _today()})
    pdf = printing.render_pdf_in("zh-hans", "archives/pdf/inventory.html", ctx, pdf_variant="pdf/a-3b")
    h = Handover(community=community, outgoing=outgoing, incoming=incoming, started_at=timezone.now(),
                 started_by=staff, volumes=len(ctx["volumes"]), items=ctx["n_items"], on_loan=ctx["n_loans"])
    h.inventory.save("inventory.pdf", ContentFile(pdf, name="inventory.pdf"), save=False)
    _save(h, acting_user)
    from seals import services as seals

    entry = seals.link_or_register(
        community=community, reference=seal_reference, source=h, acting_user=acting_user, use_kind="statistics",
        matter=lambda: _("Archive handover inventory: %(out)s to %(in)s") % {"out": outgoing.name, "in": incoming.name})
    if entry is not None:
        h.seal_reference = entry.number
        _save(h, acting_user)
    return h


@transaction.atomic
def sign_handover(h: Handover, *, acting_user) -> Handover:
    """ARC-6: each side signs in their own login; a signer who is neither side, or does not hold (the
    incoming) / has not held (the outgoing) the role, is refused. Both signed: the incoming has the rights."""
    staff = _staff(acting_user)
    h = Handover.objects.select_for_update().get(pk=h.pk)
    now = timezone.now()
    if staff.pk == h.outgoing_id and h.outgoing_signed_at is None:
        if not held_role(staff, h.community):
            raise ValidationError(_("%(name)s has not held the archivist role: the signature is refused (ARC-6).")
                                  % {"name": staff.name})
        h.outgoing_signed_at = now
    elif staff.pk == h.incoming_id and h.incoming_signed_at is None:
        if not approvals.holds_role(staff, Role.ARCHIVIST, h.community, _today()):
            raise ValidationError(_("%(name)s does not hold the archivist role: the signature is refused (ARC-6).")
                                  % {"name": staff.name})
        h.incoming_signed_at = now
    elif staff.pk in (h.outgoing_id, h.incoming_id):
        raise ValidationError(_("You have already signed this handover."))
    else:
        raise ValidationError(_("Only the outgoing and the incoming archivist sign the handover, each in their "
                                "own login (ARC-6)."))
    return _save(h, acting_user)
