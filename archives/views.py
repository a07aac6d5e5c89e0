"""Pages of the archives chapter. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Every object is looked up through ``committee.scoping`` (another community's record answers 404).

Who (docs/archives.md): every member of staff of the community reads the catalogue, the volumes, the
borrowing register and the handovers; the street office reads those of all its communities; the
archivist files (ARC-1, ARC-6 rights); the archivist and the director lend (ARC-5); the files themselves
are for the archivist, the director, deputy, party secretary and the street office."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from archives import forms, services
from archives.models import Cabinet, Handover, IntegrityFailure, Item, ItemFile, Loan, Volume
from archives.sources import sources
from committee import audit, files, printing, scoping
from committee.feedback import act, flash_errors, form_errors
from committee.scoping import staff_for


def _get(request, model, pk, related=()):
    return scoping.get_for_user(model.objects.select_related("community", *related), request.user, pk=pk)


def _community(request, title):
    return scoping.one_community(request, title)


def _own_community(request):
    """The community a write page works in: only a community's own staff write (the street office reads)."""
    staff = staff_for(request.user)
    if staff is None or staff.community_id is None:
        raise PermissionDenied
    return staff.community


def _year(request, default=None):
    raw = request.GET.get("year") or request.POST.get("year")
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if not 1900 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


# --- the catalogue (ARC-1, ARC-4, search) ----------------------------------------------------------------


def _catalogue(request):
    form = forms.SearchForm(request.GET or None)
    items = scoping.scope_to_current(Item.objects.select_related(
        "community", "volume__category", "cabinet"), request)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"].strip():
            q = d["q"].strip()
            items = items.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(responsible__icontains=q))
        if d["year"]:
            items = items.filter(volume__year=d["year"])
        if d["category"]:
            items = items.filter(volume__category=d["category"])
    return form, items.defer("text").order_by("-volume__year", "volume__category__order", "volume__seq", "seq")


@scoping.staff_required
def home(request):
    """Any staff (street office: every community, or the one chosen): the catalogue, searched by title and
    the text of the product's PDFs, filtered by year and category; 50 a page."""
    form, items = _catalogue(request)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    community = scoping.current_community(request)
    on_loan = set(Loan.objects.filter(item__in=[i.pk for i in page.object_list], returned_on__isnull=True)
                  .values_list("item_id", flat=True))
    for item in page.object_list:
        item.on_loan = item.pk in on_loan
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "archives/home.html", {
        "form": form, "page": page, "community": community, "query": query.urlencode(),
        "may_file": community is not None and services.may_file(request.user, community),
    })


@scoping.staff_required
def catalogue_xlsx(request):
    """Any staff: the catalogue (as filtered) as Excel, formulas neutralised (CTL-8)."""
    import openpyxl

    from committee.spreadsheets import write_row

    form, items = _catalogue(request)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(_("Archive catalogue"))[:31]
    write_row(sheet, [pgettext("archives", "Number"), _("Community"), _("Year"), _("Category"), pgettext("archives", "Title"), _("Date"),
                      _("Responsible body"), pgettext("archives", "Pages"), _("Original"), _("Cabinet"), _("Shelf"), _("Late entry")])
    for i in items[:50000]:
        write_row(sheet, [i.number, i.community.name, i.volume.year, str(i.volume.category.label), i.title,
                          i.date.isoformat(), i.responsible, i.pages, str(i.get_medium_display()),
                          i.cabinet.name if i.cabinet else "", i.shelf, i.late_reason if i.late else ""])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''archive-catalogue.xlsx"
    return response


@scoping.staff_required
def item_new(request):
    """The archivist: file an item in the volume of its category and year (ARC-1, ARC-3, ARC-4)."""
    community = _own_community(request)
    if not services.may_file(request.user, community):
        raise PermissionDenied
    services.ensure_categories()
    form = forms.ItemForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.file_item(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Filed as item %(number)s.") % {"number": item.number})
            return redirect(item)
    return render(request, "committee/form.html", {"form": form, "title": _("File an item"), "back": "archives_home",
                                                   "submit_label": pgettext("archives", "File")})


@scoping.staff_required
def item_detail(request, pk):
    """Any staff of the community, the street office: an item, its files (versions), its loans."""
    item = _get(request, Item, pk, ("volume__category", "cabinet", "filed_by"))
    loans = item.loans.select_related("borrower", "lent_by", "returned_to")
    open_loan = next((loan for loan in loans if loan.returned_on is None), None)
    return render(request, "archives/item_detail.html", {
        "item": item, "files": item.files.select_related("added_by"), "loans": loans, "open_loan": open_loan,
        "failures": IntegrityFailure.objects.filter(file__item=item).select_related("by", "file")[:10],
        "may_file": services.may_file(request.user, item.community),
        "may_lend": services.may_lend(request.user, item.community),
        "may_read_files": services.may_read_files(request.user, item.community),
        "today": timezone.localdate(),
    })


@scoping.staff_required
def item_version(request, pk):
    """The archivist: add a new version of the file; the original stays (ARC-3)."""
    item = _get(request, Item, pk)
    if not services.may_file(request.user, item.community):
        raise PermissionDenied
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            f = services.add_version(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Version %(v)s added; the earlier versions stay.") % {"v": f.version})
            return redirect(item)
    return render(request, "committee/form.html", {"form": form, "title": _("New version of %(number)s")
                                                   % {"number": item.number}, "back_obj": item})


@scoping.staff_required
def file_download(request, pk):
    """Those who may read the files (archivist, director, deputy, party secretary, street office): the file,
    served only when it still matches its checksum; a tampered file is refused and recorded."""
    f = _get(request, ItemFile, pk, ("item",))
    if not services.may_read_files(request.user, f.community):
        raise PermissionDenied
    if not services.verify_file(f, acting_user=request.user):
        messages.error(request, _("The stored file no longer matches the checksum recorded when it was filed: it "
                                  "was not served. The failure is recorded; tell the archivist and the street "
                                  "office."))
        return redirect(f.item)
    return files.serve(f.file)


@scoping.staff_required
def item_copy_pdf(request, pk):
    """Any staff who may read the files: a printed copy of the item's record, stating it is a copy of item N
    (ARC-3)."""
    item = _get(request, Item, pk, ("volume__category", "cabinet", "filed_by"))
    if not services.may_read_files(request.user, item.community):
        raise PermissionDenied
    pdf = printing.render_pdf_in("zh-hans", "archives/pdf/copy.html", {
        "item": item, "files": item.files.all(), "printed_by": staff_for(request.user),
        "seal_org": item.community.committee_name, "seal_date": timezone.localdate()})
    return printing.pdf_response(pdf, f"copy-{item.number}.pdf")


# --- volumes and the volume catalogue (卷内目录) ---------------------------------------------------------


@scoping.staff_required
def volumes(request):
    """Any staff: the volumes by year and category."""
    vols = scoping.scope_to_current(Volume.objects.select_related("community", "category"), request)
    return render(request, "archives/volumes.html", {"volumes": vols[:500],
                                                     "community": scoping.current_community(request)})


@scoping.staff_required
def volume_detail(request, pk):
    """Any staff of the community, the street office: a volume and its items."""
    volume = _get(request, Volume, pk, ("category",))
    return render(request, "archives/volume_detail.html", {
        "volume": volume, "items": volume.items.select_related("cabinet").defer("text").order_by("seq")})


@scoping.staff_required
def volume_pdf(request, pk):
    """Any staff of the community, the street office: the printed volume catalogue (卷内目录)."""
    volume = _get(request, Volume, pk, ("category",))
    pdf = printing.render_pdf_in("zh-hans", "archives/pdf/volume.html", {
        "volume": volume, "items": volume.items.defer("text").order_by("seq"), "community": volume.community})
    return printing.pdf_response(pdf, f"volume-{volume.code}.pdf")


# --- cabinets (ARC-4) ----------------------------------------------------------------------------------------


@scoping.staff_required
def cabinets(request):
    """Any staff: the cabinets and their protection against fire, light, damp and theft (ARC-4)."""
    cabs = scoping.scope_to_current(Cabinet.objects.select_related("community"), request)
    community = scoping.current_community(request)
    return render(request, "archives/cabinets.html", {
        "cabinets": cabs, "community": community,
        "may_file": community is not None and services.may_file(request.user, community)})


@scoping.staff_required
def cabinet_new(request):
    """The archivist: record a cabinet and its protection (ARC-4)."""
    community = _own_community(request)
    if not services.may_file(request.user, community):
        raise PermissionDenied
    form = forms.CabinetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_cabinet(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Cabinet recorded."))
            return redirect("archives_cabinets")
    return render(request, "committee/form.html", {"form": form, "title": _("New cabinet"), "back": "archives_cabinets"})


# --- ARC-2, ARC-7: the year's filing and what the product offers -------------------------------------------------


@scoping.staff_required
def offers(request):
    """Any staff of a community (street office: the chosen one): what the product produced in the year and
    is not filed yet, one click to file (archivist); the year recorded as filed (ARC-2, ARC-7)."""
    community, chooser = _community(request, _("Year-end filing"))
    if chooser:
        return chooser
    today = timezone.localdate()
    year = _year(request, today.year - 1 if today.month <= 6 else today.year)
    waiting = services.pending_offers(community, year)
    groups = [(s, [o for src, o in waiting if src.key == s.key]) for s in sources()]
    from archives.models import YearFiled

    return render(request, "archives/offers.html", {
        "community": community, "year": year, "groups": groups, "n_waiting": len(waiting),
        "years": list(range(today.year, today.year - 6, -1)),
        "deadline": services.filing_deadline(community, year), "closed": services.is_closed(community, year),
        "filed": YearFiled.objects.filter(community=community, year=year).select_related("by").first(),
        "may_file": services.may_file(request.user, community), "current_year": today.year,
    })


@require_POST
@scoping.staff_required
def offer_file(request):
    """The archivist: file one offered record (ARC-7)."""
    community = _own_community(request)
    year = _year(request, timezone.localdate().year)
    back = reverse("archives_offers") + f"?year={year}"
    if not services.may_file(request.user, community):
        raise PermissionDenied
    try:
        item = services.file_offer(community=community, year=year, source_key=request.POST.get("source", ""),
                                   offer_key=request.POST.get("key", ""), late_reason=request.POST.get("reason", ""),
                                   acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Filed as item %(number)s, its PDF frozen with its checksum.")
                         % {"number": item.number})
    return redirect(back)


@require_POST
@scoping.staff_required
def year_filed(request):
    """The archivist: record that all of the year's materials are filed (ARC-2)."""
    community = _own_community(request)
    year = _year(request, timezone.localdate().year - 1)
    if not services.may_file(request.user, community):
        raise PermissionDenied
    return act(request, reverse("archives_offers") + f"?year={year}",
               lambda: services.record_year_filed(community=community, year=year, acting_user=request.user),
               _("%(year)s recorded as filed.") % {"year": year})


# --- ARC-5: the borrowing register --------------------------------------------------------------------------


def _loans(request):
    loans = scoping.scope_to_current(Loan.objects.select_related(
        "community", "item__volume__category", "borrower", "lent_by", "returned_to"), request)
    state = request.GET.get("state", "")
    if state == "open":
        loans = loans.filter(returned_on__isnull=True)
    elif state == "overdue":
        loans = loans.filter(returned_on__isnull=True, due_on__lt=timezone.localdate())
    return state, loans.order_by("-lent_on", "-pk")


@scoping.staff_required
def loans(request):
    """Any staff: the borrowing register (open, overdue, all); printable and exportable (ARC-5)."""
    state, rows = _loans(request)
    return render(request, "archives/loans.html", {"loans": rows[:300], "state": state, "today": timezone.localdate(),
                                                   "query": request.GET.urlencode()})


@scoping.staff_required
def loans_pdf(request):
    """Any staff: the borrowing register printed."""
    state, rows = _loans(request)
    community = scoping.current_community(request)
    pdf = printing.render_pdf("archives/pdf/loans.html", {"loans": rows[:3000], "today": timezone.localdate(),
                                                          "community": community})
    if community is not None:  # CTL-9: names and addresses of outside borrowers
        audit.exported(request, community, "archive-loans.pdf")
    return printing.pdf_response(pdf, _("Borrowing register") + ".pdf")


@scoping.staff_required
def loans_xlsx(request):
    """Any staff: the borrowing register as Excel, formulas neutralised (CTL-8); names of outside borrowers are
    personal data: the export is on the audit trail (CTL-9)."""
    import openpyxl

    from committee.spreadsheets import write_row

    state, rows = _loans(request)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(_("Borrowing register"))[:31]
    write_row(sheet, [pgettext("archives", "Item"), pgettext("archives", "Title"), _("Community"), _("Borrower"), _("Unit or address"), pgettext("archives", "Purpose"),
                      _("Lent on"), _("Due back on"), _("Returned on"), _("Lent by")])
    n = 0
    for loan in rows[:10000]:
        write_row(sheet, [loan.item.number, loan.item.title, loan.community.name, loan.borrower_name,
                          loan.borrower_unit, loan.purpose, loan.lent_on.isoformat(), loan.due_on.isoformat(),
                          loan.returned_on.isoformat() if loan.returned_on else "", loan.lent_by.name])
        n += 1
    out = io.BytesIO()
    book.save(out)
    audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=scoping.current_community(request),
                 request=request, detail=f"archive loans .xlsx, {n} rows")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''archive-loans.xlsx"
    return response


@scoping.staff_required
def lend(request, pk):
    """The archivist or the director: lend the item (ARC-5)."""
    item = _get(request, Item, pk)
    if not services.may_lend(request.user, item.community):
        raise PermissionDenied
    form = forms.LendForm(request.POST or None, community=item.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.lend(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(item)s lent; it is due back on %(day)s.")
                             % {"item": item.number, "day": form.cleaned_data["due_on"].isoformat()})
            return redirect(item)
    return render(request, "committee/form.html", {"form": form, "title": _("Lend %(number)s") % {"number": item.number},
                                                   "back_obj": item, "submit_label": _("Lend")})


@require_POST
@scoping.staff_required
def loan_return(request, pk):
    """The archivist or the director: the item is back (ARC-5)."""
    loan = _get(request, Loan, pk, ("item",))
    return act(request, loan.item, lambda: services.return_loan(loan, acting_user=request.user),
               _("%(item)s returned.") % {"item": loan.item.number})


# --- ARC-6: the handover --------------------------------------------------------------------------------------


@scoping.staff_required
def handovers(request):
    """Any staff: the archivist handovers (open and signed)."""
    rows = scoping.scope_to_current(Handover.objects.select_related("community", "outgoing", "incoming"), request)
    community = scoping.current_community(request)
    return render(request, "archives/handovers.html", {
        "handovers": rows, "community": community,
        "may_start": community is not None and services.may_start_handover(request.user, community)})


@scoping.staff_required
def handover_new(request):
    """The archivist or the director: start the handover; the inventory is generated now (ARC-6)."""
    community = _own_community(request)
    if not services.may_start_handover(request.user, community):
        raise PermissionDenied
    form = forms.HandoverForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            h = services.start_handover(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The inventory was generated. Next: the outgoing and the incoming archivist "
                                        "each sign it in their own login."))
            return redirect(h)
    return render(request, "committee/form.html", {"form": form, "title": _("Archivist handover"),
                                                   "back": "archives_handovers"})


@scoping.staff_required
def handover_detail(request, pk):
    """Any staff of the community, the street office: the handover, its inventory and signatures."""
    h = _get(request, Handover, pk, ("outgoing", "incoming", "started_by"))
    me = staff_for(request.user)
    may_sign = me is not None and ((me.pk == h.outgoing_id and not h.outgoing_signed_at)
                                   or (me.pk == h.incoming_id and not h.incoming_signed_at))
    return render(request, "archives/handover_detail.html", {
        "h": h, "may_sign": may_sign, "sign_url": reverse("archives_handover_sign", args=[h.pk])})


@require_POST
@scoping.staff_required
def handover_sign(request, pk):
    """The outgoing or the incoming archivist, each in their own login: sign the inventory (ARC-6)."""
    h = _get(request, Handover, pk)
    return act(request, h, lambda: services.sign_handover(h, acting_user=request.user),
               _("Signed. Once both have signed, the incoming archivist keeps the archives."))


@scoping.staff_required
def handover_pdf(request, pk):
    """Any staff of the community, the street office: the inventory as generated (checked against its
    checksum)."""
    h = _get(request, Handover, pk)
    import hashlib

    try:
        with h.inventory.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    if hashlib.sha256(data).hexdigest() != h.inventory_sha256:
        messages.error(request, _("The stored inventory no longer matches its checksum: it was not served."))
        return redirect(h)
    return printing.pdf_response(data, f"inventory-{h.pk}.pdf")
