"""ARC-7: the sources this chapter reads from the other chapters (their models and prints; nothing of
theirs is changed). Registered in ``ArchivesConfig.ready``. Each returns exactly the records of that
community and year that exist, with a ``produce_pdf`` re-rendering the chapter's own print as PDF/A.

| source | what | category |
| --- | --- | --- |
| ``meetings.minutes`` | minutes approved (closed meetings of the community, by meeting date) | meetings |
| ``attendance.sheet`` | monthly attendance sheets recorded as sent (ATT-9) | personnel |
| ``finance.audit`` | audit reports (FIN-9) | reports |
| ``seals.register`` | the seal register of a finished year (SEAL-9), when it has entries | ledgers |
| ``seals.certificate`` | certificates issued (numbered) to residents (SEAL-5) | ledgers |

| ``disclosure.notice`` | notices issued on the disclosure board, the dibao quarter postings (DB-5) and the welfare \
postings (WEL-11) among them: the stored original (PDF/A since issuing), checksum verified | ledgers (居务公开台账) |
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.sources import Offer, register_source

PDFA = "pdf/a-3b"


def _render(template, ctx, language=None):
    from committee import printing

    if language:
        return printing.render_pdf_in(language, template, ctx, pdf_variant=PDFA)
    return printing.render_pdf(template, ctx, pdf_variant=PDFA)


# --- meetings: approved minutes ---------------------------------------------------------------------


def minutes_offers(community, year):
    from meetings.models import Meeting

    meetings = (Meeting.objects.filter(community=community, status=Meeting.Status.CLOSED, date__year=year)
                .select_related("body", "community", "street_office").order_by("date", "pk"))
    return [Offer(str(m.pk), f"{m.date:%Y-%m-%d} {m.body.name} {m.title}", m.date, responsible=community.committee_name,
                  produce_pdf=lambda m=m: _minutes_pdf(m)) for m in meetings]


def _minutes_pdf(meeting):
    from meetings.views import _minutes_context  # the minutes print of the meetings chapter

    return _render("meetings/minutes_pdf.html", _minutes_context(meeting), "zh-hans")


# --- attendance: monthly sheets sent -------------------------------------------------------------------


def sheet_offers(community, year):
    from attendance.models import MonthlySheet

    sheets = MonthlySheet.objects.filter(community=community, year=year).order_by("month")
    return [Offer(str(s.pk), f"{s.year}年{s.month}月考勤表", s.sent_on, responsible=community.committee_name,
                  produce_pdf=lambda s=s: _sheet_pdf(community, s.year, s.month)) for s in sheets]


def _sheet_pdf(community, year, month):
    from attendance import figures, rules
    from committee import approvals, policy
    from committee.models import Role

    cm = figures.community_month(community, year, month)
    approver_role = policy.committee_approver_role(community)
    last = cm.dates[-1]
    ctx = {"cm": cm, "community": community, "year": year, "month": month,
           "prepared_by": "、".join(approvals.holders(Role.ATTENDANCE_KEEPER, community, last)
                                   .values_list("name", flat=True)),
           "approved_by": "、".join(approvals.holders(approver_role, community, last).values_list("name", flat=True)),
           "approver_role": approver_role, "marks": rules.MARKS, "can_start": False, "can_import": False,
           "seal_org": community.committee_name, "seal_date": f"{year}-{month:02d}"}
    return _render("attendance/sheet_pdf.html", ctx, "zh-hans")


# --- finance: audit reports ------------------------------------------------------------------------------


def audit_offers(community, year):
    from finance.models import Audit

    audits = Audit.objects.filter(community=community, done_on__year=year).select_related(
        "role_assignment__staff").order_by("done_on", "pk")
    return [Offer(str(a.pk), f"{a.get_kind_display()} {a.done_on:%Y-%m-%d}", a.done_on, responsible=a.auditors,
                  produce_pdf=lambda a=a: _render("archives/pdf/audit.html", {
                      "audit": a, "community": community, "seal_org": community.committee_name,
                      "seal_date": a.done_on}, "zh-hans")) for a in audits]


# --- seals: the register of a finished year, certificates issued ----------------------------------------


def register_offers(community, year):
    from seals.models import SealUse

    if year >= timezone.localdate().year:
        return []  # the register of a year is filed once the year is over
    uses = SealUse.objects.filter(community=community, year=year)
    if not uses.exists():
        return []
    import datetime as dt

    return [Offer(str(year), f"{year}年印章使用登记簿", dt.date(year, 12, 31), responsible=community.committee_name,
                  produce_pdf=lambda: _register_pdf(community, year))]


def _register_pdf(community, year):
    from seals.models import SealUse

    uses = SealUse.objects.filter(community=community, year=year).select_related(
        "seal", "requester", "resident", "approved_by", "stamped_by").order_by("seq")
    return _render("seals/register_pdf.html", {"uses": uses, "community": community}, "zh-hans")


def certificate_offers(community, year):
    from seals.models import Certificate

    certs = Certificate.objects.filter(community=community, year=year, seq__isnull=False).order_by("seq")
    return [Offer(str(c.pk), f"{c.title} {c.number}", c.issued_on, responsible=community.committee_name,
                  produce_pdf=lambda c=c: _certificate_pdf(c)) for c in certs]


def _certificate_pdf(cert):
    from django.conf import settings
    from django.urls import reverse

    from seals import rules, services
    from seals.views import _qr_data_uri

    path = reverse("seals_verify_code", args=[cert.code])
    url = getattr(settings, "SEALS_VERIFY_BASE_URL", "").rstrip("/") + path
    return _render("seals/certificate_pdf.html", {
        "cert": cert, "copy": True, "qr": _qr_data_uri(url), "verify_url": url, "code": rules.format_code(cert.code),
        "valid_until": services.valid_until(cert), "seal_org": cert.community.committee_name,
        "seal_date": cert.issued_on}, "zh-hans")


# --- disclosure: issued notices (the dibao and welfare postings among them) ------------------------------


def notice_offers(community, year):
    """The notices issued in the year, taken-down ones included; filed as their stored original (the PDF
    printed once at issuing, DIS-3), never re-rendered: ``stored_pdf`` verifies its checksum first."""
    from disclosure import services

    return [Offer(str(n.pk), f"{timezone.localtime(n.issued_at):%Y-%m-%d} {n.title}",
                  timezone.localtime(n.issued_at).date(), responsible=community.committee_name,
                  produce_pdf=lambda n=n: services.stored_pdf(n))
            for n in services.issued_notices(community, year)]


def register_all():
    register_source("meetings.minutes", _("Approved minutes"), "meetings", minutes_offers)
    register_source("attendance.sheet", _("Monthly attendance sheets sent"), "personnel", sheet_offers)
    register_source("finance.audit", _("Audit reports"), "reports", audit_offers)
    register_source("seals.register", _("Seal register of the year"), "ledgers", register_offers)
    register_source("seals.certificate", _("Certificates issued"), "ledgers", certificate_offers)
    register_source("disclosure.notice", _("Notices issued on the disclosure board"), "ledgers", notice_offers)
