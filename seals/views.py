"""Pages of the seal chapter. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Every object is looked up through ``committee.scoping`` (another community's record answers 404). The
verification page is the one page of the product that needs no login."""

from __future__ import annotations

import base64
import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import approvals, audit, files, navigation, policy, printing, scoping
from committee.feedback import act, flash_errors, form_errors
from committee.models import Person, StreetOffice
from committee.scoping import staff_for
from seals import forms, rules, services
from seals.models import Certificate, CertificateTemplate, Handover, Seal, SealNotice, SealUse


def _get(request, model, pk, related=()):
    return scoping.get_for_user(model.objects.select_related("community", *related), request.user, pk=pk)


def _community_staff_only(request):
    staff = staff_for(request.user)
    if staff is None or staff.community_id is None:
        raise PermissionDenied
    return staff


def _done(request, obj, text):
    messages.success(request, text)
    return redirect(obj)


# --- seals (SEAL-1) -----------------------------------------------------------------------------------


@scoping.staff_required
def home(request):
    """Any staff: the seals of the current community, open handovers, uses waiting for approval or stamp."""
    seals = scoping.scope_to_current(Seal.objects.select_related("community", "custodian"), request)
    uses = scoping.scope_to_current(SealUse.objects.select_related("community", "seal", "requester"), request)
    waiting = uses.filter(status__in=[SealUse.Status.PENDING, SealUse.Status.APPROVED]).order_by("-pk")[:20]
    recent = uses.filter(status=SealUse.Status.STAMPED).order_by("-stamped_at")[:10]
    handovers = scoping.scope_to_current(Handover.objects.select_related("community", "seal"), request).filter(
        received_at__isnull=True)
    return render(request, "seals/home.html", {
        "seals": seals, "waiting": waiting, "recent": recent, "handovers": handovers,
        "is_street": scoping.is_street_staff(request.user), "community": scoping.current_community(request),
    })


@scoping.street_office_required
def seal_new(request):
    """Street office: issue a seal to the current community (SEAL-1)."""
    community, chooser = scoping.one_community(request, _("New seal"))
    if chooser:
        return chooser
    form = forms.SealForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            seal = services.create_seal(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            return _done(request, seal, _("%(seal)s was recorded; its custodian keeps it at %(place)s.")
                         % {"seal": seal.name, "place": seal.place})
    return render(request, "committee/form.html", {"form": form, "title": _("New seal"), "back": "seals_home"})


@scoping.staff_required
def seal_detail(request, pk):
    """Any staff of the community or the street office: a seal, its uses, handovers, loss and notices."""
    seal = _get(request, Seal, pk, ("custodian", "replaces"))
    uses = seal.uses.select_related("requester", "stamped_by").order_by("-pk")[:30]
    return render(request, "seals/seal_detail.html", {
        "seal": seal, "uses": uses, "handovers": seal.handovers.select_related("new_custodian", "handed_by",
                                                                              "received_by"),
        "notices": seal.notices.all(), "loss": getattr(seal, "loss", None),
        "replaced_by": Seal.objects.filter(replaces=seal).first(),
        "may_manage": services.may_manage(request.user, seal.community),
        "is_street": scoping.is_street_staff(request.user),
        "may_post_notice": _may_post_notice(request, seal),
    })


def _may_post_notice(request, seal) -> bool:
    """SEAL-8: the board notice of a void seal is drafted by the community's own staff in the disclosure app
    (composer ``seals.lost``); the street office records its own notice here."""
    if seal.status not in (Seal.Status.LOST, Seal.Status.REPLACED) or scoping.is_street_staff(request.user):
        return False
    staff = staff_for(request.user)
    return (staff is not None and staff.community_id == seal.community_id
            and navigation.may_open(request, "disclosure_compose"))


@scoping.staff_required
def seal_custodian(request, pk):
    """The director or the street office: name the custodian and the fixed place (SEAL-1)."""
    seal = _get(request, Seal, pk)
    if not services.may_manage(request.user, seal.community):
        raise PermissionDenied
    form = forms.CustodianForm(request.POST or None, community=seal.community,
                               initial={"custodian": seal.custodian_id, "place": seal.place})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_custodian(seal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            return _done(request, seal, _("The custodian of %(seal)s was recorded.") % {"seal": seal.name})
    return render(request, "committee/form.html", {"form": form, "title": _("Custodian of %(seal)s") % {"seal": seal.name},
                                                   "back_obj": seal})


@require_POST
@scoping.staff_required
def seal_loss(request, pk):
    """Staff of the community or the street office: report the seal lost; void from this moment (SEAL-8)."""
    seal = _get(request, Seal, pk)
    return act(request, seal,
               lambda: services.report_loss(seal, circumstances=request.POST.get("reason", ""), acting_user=request.user),
               _("The loss of %(seal)s was reported: the seal is void from now on. The street "
                 "office records the new seal and posts the public notice (SEAL-8).") % {"seal": seal.name})


@scoping.street_office_required
def seal_replace(request, pk):
    """Street office: issue the new seal and collect the old one (SEAL-7)."""
    old = _get(request, Seal, pk)
    form = forms.ReplaceForm(request.POST or None, community=old.community,
                             initial={"name": old.name, "place": old.place, "custodian": old.custodian_id})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.replace_seal(old, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            return _done(request, new, _("The new seal was issued and the old one recorded as collected. Record the "
                                         "public notice on the old seal's page (SEAL-8)."))
    return render(request, "committee/form.html", {"form": form, "title": _("Replace %(seal)s") % {"seal": old.name},
                                                   "back_obj": old})


@scoping.street_office_required
def seal_notice(request, pk):
    """Street office: the public notice on a lost or replaced seal, at least 30 days (SEAL-8)."""
    seal = _get(request, Seal, pk)
    today = timezone.localdate()
    form = forms.NoticeForm(request.POST or None, initial={"posted_from": today,
                                                           "posted_until": today + dt.timedelta(days=29)})
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.record_notice(seal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The notice was recorded; print it and post it until %(day)s.")
                             % {"day": notice.posted_until.isoformat()})
            return redirect(seal)
    return render(request, "committee/form.html", {"form": form, "title": _("Public notice on %(seal)s")
                                                   % {"seal": seal.name}, "back_obj": seal})


def _qr_data_uri(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def verification_url(request, code: str) -> str:
    base = getattr(settings, "SEALS_VERIFY_BASE_URL", "")
    path = reverse("seals_verify_code", args=[code])
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


@scoping.staff_required
def notice_pdf(request, pk):
    """Any staff who may see it: the notice PDF for the board, with its verification code (SEAL-8)."""
    notice = _get(request, SealNotice, pk, ("seal", "new_seal"))
    url = verification_url(request, notice.code)
    pdf = printing.render_pdf_in("zh-hans", "seals/notice_pdf.html", {
        "notice": notice, "qr": _qr_data_uri(url), "verify_url": url, "code": rules.format_code(notice.code),
        "seal_org": notice.community.committee_name, "seal_date": notice.posted_from,
    })
    return printing.pdf_response(pdf, _("Seal notice") + f"-{notice.pk}.pdf")


# --- handover (SEAL-6) ---------------------------------------------------------------------------------


@scoping.staff_required
def handover_new(request, pk):
    """The director or the street office: the new committee took office; the handover is due in 7 working
    days (SEAL-6)."""
    seal = _get(request, Seal, pk)
    if not services.may_manage(request.user, seal.community):
        raise PermissionDenied
    form = forms.HandoverForm(request.POST or None, community=seal.community,
                              initial={"took_office_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            h = services.start_handover(seal=seal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            return _done(request, h, _("The handover is due by %(day)s; the outgoing custodian hands the seal over, "
                                       "the new side confirms it.") % {"day": h.due_on.isoformat()})
    return render(request, "committee/form.html", {"form": form, "title": _("Handover of %(seal)s") % {"seal": seal.name},
                                                   "back_obj": seal})


@scoping.staff_required
def handover_detail(request, pk):
    """Any staff of the community or the street office: a handover and both sides' acts (SEAL-6)."""
    h = _get(request, Handover, pk, ("seal", "new_custodian", "handed_by", "received_by", "started_by"))
    return render(request, "seals/handover_detail.html", {"h": h, "late": services.handover_late(h)})


@require_POST
@scoping.staff_required
def handover_give(request, pk):
    """The outgoing custodian or the director: the seal is handed over now."""
    h = _get(request, Handover, pk)
    return act(request, h, lambda: services.hand_over(h, acting_user=request.user),
               _("Handed over. The new custodian or director confirms the receipt next."))


@require_POST
@scoping.staff_required
def handover_receive(request, pk):
    """The new custodian or the director: the seal was received."""
    h = _get(request, Handover, pk)
    return act(request, h, lambda: services.receive(h, acting_user=request.user),
               _("Receipt confirmed: the new custodian keeps the seal from now on."))


# --- uses (SEAL-2 … SEAL-4) ------------------------------------------------------------------------------


@scoping.staff_required
def use_new(request):
    """Staff of the community: ask to use a seal for work (certificates have their own page)."""
    staff = _community_staff_only(request)
    form = forms.UseForm(request.POST or None, request.FILES or None, community=staff.community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            use = services.request_use(acting_user=request.user, seal=data["seal"], use_kind=data["use_kind"],
                                       matter=data["matter"], major=data["major"], decision=data["decision"],
                                       address=data["address"], copies=data["copies"], document=data["document"])
        except ValidationError as e:
            form_errors(form, e)
        else:
            first = approvals.steps_for(use).filter(status="pending").order_by("step").first()
            return _done(request, use, _("Seal use %(number)s registered; it waits for: %(step)s.")
                         % {"number": use.number, "step": first.label if first else "—"})
    return render(request, "seals/use_form.html", {"form": form, "title": _("Ask to use a seal"),
                                                   "approver": policy.committee_approver_role(staff.community).label})


@scoping.staff_required
def use_detail(request, pk):
    """Any staff of the community or the street office: one register entry, its approval and stamping."""
    use = _get(request, SealUse, pk, ("seal", "requester", "resident", "decision__meeting", "approved_by",
                                      "stamped_by"))
    me = staff_for(request.user)
    return render(request, "seals/use_detail.html", {
        "use": use, "steps": approvals.steps_for(use).order_by("step"),
        "certificate": Certificate.objects.filter(use=use).first(),
        "may_stamp": use.status == SealUse.Status.APPROVED and me is not None and use.seal.custodian_id == me.pk,
        "may_withdraw": use.status == SealUse.Status.PENDING and me is not None and use.requester_id == me.pk,
        "may_void": use.status == SealUse.Status.APPROVED and services.may_manage(request.user, use.community),
    })


@require_POST
@scoping.staff_required
def use_stamp(request, pk):
    """The seal's custodian only: record the stamping now (SEAL-1, CTL-6)."""
    use = _get(request, SealUse, pk)
    copies = request.POST.get("copies", "").strip()
    try:
        n = int(copies) if copies else None
    except ValueError:
        n = 0
    try:
        services.stamp(use, acting_user=request.user, copies=n)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect(use)
    cert = Certificate.objects.filter(use=use).first()
    if cert is not None:
        messages.success(request, _("Stamped. Certificate %(number)s is issued: print it now and stamp the paper.")
                         % {"number": cert.number})
        return redirect(cert)
    messages.success(request, _("Stamping of %(number)s recorded.") % {"number": use.number})
    return redirect(use)


@require_POST
@scoping.staff_required
def use_withdraw(request, pk):
    """The requester: withdraw a waiting request."""
    use = _get(request, SealUse, pk)
    return act(request, use, lambda: services.withdraw_use(use, acting_user=request.user),
               _("The request was withdrawn."))


@require_POST
@scoping.staff_required
def use_void(request, pk):
    """The director or the street office: void an approved use that will not be stamped, with a reason."""
    use = _get(request, SealUse, pk)
    return act(request, use,
               lambda: services.void_use(use, reason=request.POST.get("reason", ""), acting_user=request.user),
               _("The use was voided."))


@scoping.staff_required
def use_document(request, pk):
    """Staff who may see the entry: its document (CTL-7)."""
    use = _get(request, SealUse, pk)
    return files.serve(use.document)


# --- certificates (SEAL-5) --------------------------------------------------------------------------------


@scoping.staff_required
def certificate_new(request):
    """Staff of the community: find the resident in this community's register, choose the certificate; it is
    generated, numbered at stamping and registered as a seal use in one step (SEAL-5)."""
    staff = _community_staff_only(request)
    community = staff.community
    people = Person.objects.filter(community=community).select_related("household__building")
    q = request.GET.get("q", "").strip()[:40]
    found = []
    if q:
        found = list(people.filter(Q(name__icontains=q) | Q(id_number__endswith=q.upper()))[:20])
    person = None
    raw = request.POST.get("person") or request.GET.get("person")
    if raw:
        person = people.filter(pk=int(raw)).first() if str(raw).isdigit() and len(str(raw)) < 12 else None
        if person is None:
            messages.error(request, _("That person is not in this community's register: certificates are issued "
                                      "only for its residents (SEAL-3)."))
            return redirect("seals_certificate_new")
    form = forms.CertificateForm(request.POST or None) if person else None
    if person and request.method == "POST" and form.is_valid():
        try:
            cert = services.request_certificate(community=community, person=person, acting_user=request.user,
                                                **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            first = approvals.steps_for(cert.use).filter(status="pending").order_by("step").first()
            return _done(request, cert, _("The certificate was registered as seal use %(number)s; it waits for: "
                                          "%(step)s.") % {"number": cert.use.number,
                                                          "step": first.label if first else "—"})
    return render(request, "seals/certificate_new.html", {"q": q, "found": found, "person": person, "form": form})


@scoping.staff_required
def certificate_detail(request, pk):
    """Any staff of the community or the street office: a certificate, its state and its verification code."""
    cert = _get(request, Certificate, pk, ("person", "use", "voided_by"))
    audit.accessed(request, cert, label=cert.holder_name)  # CTL-9: a certificate names its resident
    return render(request, "seals/certificate_detail.html", {
        "cert": cert, "code": rules.format_code(cert.code), "valid_until": services.valid_until(cert),
        "may_void": cert.status == Certificate.Status.ISSUED and services.may_manage(request.user, cert.community),
        "verify_url": verification_url(request, cert.code),
    })


@scoping.staff_required
def certificate_pdf(request, pk):
    """Any staff who may see it: print an issued certificate; every print after the first is marked as a
    copy (SEAL-5)."""
    cert = _get(request, Certificate, pk, ("person",))
    try:
        copy = services.record_print(cert, acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect(cert)
    url = verification_url(request, cert.code)
    pdf = printing.render_pdf_in("zh-hans", "seals/certificate_pdf.html", {
        "cert": cert, "copy": copy, "qr": _qr_data_uri(url), "verify_url": url, "code": rules.format_code(cert.code),
        "valid_until": services.valid_until(cert), "seal_org": cert.community.committee_name,
        "seal_date": cert.issued_on,
    })
    audit.exported(request, cert.community, f"certificate-{cert.year}-{cert.seq:04d}.pdf", obj=cert)  # CTL-9
    return printing.pdf_response(pdf, f"{cert.title}-{cert.year}-{cert.seq:04d}.pdf")


@require_POST
@scoping.staff_required
def certificate_void(request, pk):
    """The director or the street office: void a certificate with a reason; never deleted (SEAL-5)."""
    cert = _get(request, Certificate, pk)
    try:
        services.void_certificate(cert, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Certificate %(number)s was voided; the verification page now says so.")
                         % {"number": cert.number})
    return redirect(cert)


@scoping.staff_required
def templates(request):
    """Any staff: the certificate wordings of the street office (the street office edits them)."""
    staff = staff_for(request.user)
    street = staff.street_office
    rows = [(k, services.template_for(street, k.key)) for k in rules.CERTIFICATE_KINDS]
    return render(request, "seals/templates.html", {"rows": rows, "is_street": staff.community_id is None})


@scoping.street_office_required
def template_edit(request, kind):
    """Street office: edit the wording of a certificate (SEAL-5)."""
    spec = rules.use(kind)
    if spec is None or spec.group != rules.CERTIFICATE:
        from django.http import Http404

        raise Http404
    street: StreetOffice = staff_for(request.user).street_office
    tpl = services.template_for(street, kind)
    form = forms.TemplateForm(request.POST or None, initial={"title": tpl.title, "body": tpl.body,
                                                             "validity_days": tpl.validity_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(street_office=street, kind=kind, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The wording of “%(kind)s” was saved; new certificates use it.")
                             % {"kind": spec.label})
            return redirect("seals_templates")
    return render(request, "committee/form.html", {"form": form, "title": spec.label, "back": "seals_templates"})


# --- the register (SEAL-2, SEAL-9) -------------------------------------------------------------------------


def _register(request):
    seals = scoping.scope_to_current(Seal.objects.select_related("community"), request)
    form = forms.RegisterFilter(request.GET or None, seals=seals)
    uses = scoping.scope_to_current(SealUse.objects.select_related(
        "community", "seal", "requester", "resident", "approved_by", "stamped_by"), request)
    if form.is_valid():
        d = form.cleaned_data
        if d["start"]:
            uses = uses.filter(requested_at__date__gte=d["start"])
        if d["end"]:
            uses = uses.filter(requested_at__date__lte=d["end"])
        if d["seal"]:
            uses = uses.filter(seal=d["seal"])
        if d["use_kind"]:
            uses = uses.filter(use_kind=d["use_kind"])
        q = d["q"].strip()
        if q:
            match = Q(matter__icontains=q)
            parts = q.replace("用印-", "").split("-")
            if len(parts) == 2 and all(p.isdigit() and len(p) <= 6 for p in parts):
                match |= Q(year=int(parts[0]), seq=int(parts[1]))
            uses = uses.filter(match)
    return form, uses.order_by("-year", "-seq")


@scoping.staff_required
def register(request):
    """Any staff: the seal register, filtered by period, seal and use; printable for the residents' meeting
    (SEAL-9) and exportable to Excel."""
    form, uses = _register(request)
    return render(request, "seals/register.html", {"form": form, "uses": uses[:200], "query": request.GET.urlencode()})


@scoping.staff_required
def register_pdf(request):
    """Any staff: the register printed for the residents' meeting (SEAL-9)."""
    form, uses = _register(request)
    community = scoping.current_community(request)
    # Unlike the certificate and the notice (official papers for residents, always 简体中文), the register
    # follows the reader's language.
    pdf = printing.render_pdf("seals/register_pdf.html", {"uses": uses[:2000], "form": form, "community": community})
    if community is not None:  # CTL-9: residents' names and addresses
        audit.exported(request, community, "seal-register.pdf")
    return printing.pdf_response(pdf, _("Seal register") + ".pdf")


@scoping.staff_required
def register_xlsx(request):
    """Any staff: the register as Excel, formulas neutralised (CTL-8); the export is on the audit trail."""
    import openpyxl

    from committee.spreadsheets import write_row

    form, uses = _register(request)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(_("Seal register"))[:31]
    write_row(sheet, [_("Number"), _("Community"), _("Seal"), _("Use"), _("Matter"), _("Major matter"),
                      _("Requested by"), _("Resident"), _("Address"), _("Copies"), _("Approved by"), _("Stamped at"),
                      _("Stamped by"), _("Status")])
    n = 0
    for u in uses[:5000]:
        write_row(sheet, [u.number, u.community.name, u.seal.name, u.use_label, u.matter, _("Yes") if u.major else "",
                          u.requester.name, u.resident.name if u.resident else "", u.address, u.copies,
                          u.approved_by.name if u.approved_by else "",
                          timezone.localtime(u.stamped_at).strftime("%Y-%m-%d %H:%M") if u.stamped_at else "",
                          u.stamped_by.name if u.stamped_by else "", str(u.get_status_display())])
        n += 1
    out = io.BytesIO()
    book.save(out)
    audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=scoping.current_community(request),
                 request=request, detail=f"seal register .xlsx, {n} rows")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''seal-register.xlsx"
    return response


# --- the public verification page ---------------------------------------------------------------------------

THROTTLE_DEFAULT = (30, 600)  # lookups per address per 10 minutes


def _throttled(request) -> bool:
    """A simple per-address counter in the cache: guessing codes costs time (60-bit codes make it hopeless
    anyway)."""
    limit, window = getattr(settings, "SEALS_VERIFY_THROTTLE", THROTTLE_DEFAULT)
    ip = request.META.get("REMOTE_ADDR", "") or "-"
    key = f"seals.verify:{ip}"
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return False
    return count > limit


def _verify_page(request, code: str):
    if _throttled(request):
        response = render(request, "seals/verify.html", {"throttled": True, "form": forms.VerifyForm()}, status=429)
        response["Retry-After"] = "600"
        return response
    result = services.verify(code) if code else None
    response = render(request, "seals/verify.html", {"result": result, "form": forms.VerifyForm(initial={"code": code}),
                                                     "code": rules.format_code(rules.normalise_code(code))})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def verify(request):
    """Anyone, no login: type a verification code (the QR code opens ``verify_code``)."""
    return _verify_page(request, (request.GET.get("code") or "")[:40])


def verify_code(request, code):
    """Anyone, no login: valid / voided / unknown, the kind, the community, the date, the masked name."""
    return _verify_page(request, code[:40])


__all__ = ["CertificateTemplate"]
