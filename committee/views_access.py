"""Access records of personal data (issue 18, CTL-8/CTL-9): who opened a resident's record, a dibao case, a
certificate, a home visit or a request, and who downloaded personal data, in one list with filters and an
Excel copy. Read by a community's director for their community and by the street office's leaders,
department heads, discipline inspection and system administrator for its communities; nobody else."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee import audit, scoping
from committee.models import AuditEvent, Role

ROW_LIMIT = 500
STREET_READERS = (Role.STREET_LEADER, Role.DEPARTMENT_HEAD, Role.DISCIPLINE, Role.SYSTEM_ADMIN)
COMMUNITY_READERS = (Role.DIRECTOR,)


def may_read(user) -> bool:
    """The director of a community (their community) or a street-office reader (its communities)."""
    staff = scoping.staff_for(user)
    if staff is None:
        return False
    return scoping.has_any_role(user, STREET_READERS if staff.community_id is None else COMMUNITY_READERS)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


_FILE_RE = re.compile(r"^(?P<file>[^,]*?)\s*\.(?P<ext>xlsx|pdf)(?:, (?P<n>\d+) rows)?$")


def _shown(detail: str) -> str:
    """The stored detail is language-neutral ("person_detail", "seal-register.xlsx, 12 rows"); the reader
    sees the page's URL name and the kind of file with its rows in their language."""
    out = []
    for part in (detail or "").split(" · "):
        m = _FILE_RE.match(part)
        if m:
            kind = "Excel" if m["ext"] == "xlsx" else "PDF"
            if m["file"] and not re.search(r"[A-Za-z]", m["file"]):  # a Chinese file name says what it is
                kind = f"{m['file']}.{m['ext']}"
            part = (ngettext("%(file)s, %(n)s row", "%(file)s, %(n)s rows", int(m["n"])) % {"file": kind, "n": int(m["n"])}
                    if m["n"] else kind)
        out.append(part)
    return " · ".join(p for p in out if p)


def _rows(request, filters: dict) -> list[dict]:
    """The access records in the reader's scope (the community chosen by a street-office reader), newest
    first: the audit trail's views and exports, and the dibao app's own access records (views, full-ID
    reveals, documents; its exports are on the audit trail already)."""
    from dibao.models import Access

    person, obj, since, until = filters["person"], filters["object"], filters["since"], filters["until"]
    events = scoping.scope_to_current(AuditEvent.objects.filter(
        kind__in=[AuditEvent.Kind.PERSONAL_DATA_VIEWED, AuditEvent.Kind.PERSONAL_DATA_EXPORT]), request)
    dibao = scoping.scope_to_current(Access.objects.exclude(action=Access.Action.EXPORT), request)
    if person:
        events = events.filter(Q(actor_name__icontains=person) | Q(actor__staff__name__icontains=person))
        dibao = dibao.filter(Q(user__username__icontains=person) | Q(user__staff__name__icontains=person))
    if obj:
        events = events.filter(Q(target_label__icontains=obj) | Q(target_id=obj))
        dibao = dibao.filter(case_id=int(obj)) if obj.isdigit() else dibao.none()
    if since:
        events, dibao = events.filter(at__date__gte=since), dibao.filter(at__date__gte=since)
    if until:
        events, dibao = events.filter(at__date__lte=until), dibao.filter(at__date__lte=until)
    rows = [{"at": e.at, "who": e.actor_name, "what": e.get_kind_display(), "object": e.target_label,
             "community": e.community.name if e.community else "", "detail": _shown(e.detail)}
            for e in events.select_related("community")[:ROW_LIMIT]]
    rows += [{"at": a.at, "who": a.user.get_username(), "what": a.get_action_display(),
              "object": _("Dibao case %(n)s") % {"n": f"#{a.case_id}"} if a.case_id else "", "community": a.community.name,
              "detail": " · ".join(p for p in ["dibao_case", _shown(a.detail)] if p)}
             for a in dibao.select_related("community", "user")[:ROW_LIMIT]]
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows[:ROW_LIMIT]


@scoping.staff_required
def access_records(request):
    """The director (own community) and the street office's readers (its communities): who saw or
    downloaded which personal data when, filtered by person, object and dates; ``?format=xlsx`` for Excel
    (itself an export of personal data, so recorded). CTL-9"""
    if not may_read(request.user):
        raise PermissionDenied(_("Access records are read by the director and the street office's leaders, "
                                 "department heads, discipline inspection and system administrator (CTL-9)."))
    filters = {"person": request.GET.get("person", "").strip()[:50],
               "object": request.GET.get("object", "").strip()[:50],
               "since": _date(request.GET.get("since", "")), "until": _date(request.GET.get("until", ""))}
    rows = _rows(request, filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, rows)
    return render(request, "committee/access_records.html", {
        "rows": rows, "filters": filters, "limit": ROW_LIMIT, "query": request.GET.urlencode()})


def _xlsx(request, rows):
    import openpyxl

    from committee.spreadsheets import write_row

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(_("Access records"))[:31]
    write_row(sheet, [_("When"), _("Done by"), _("Event"), _("Concerns"), _("Community"), _("Detail")])
    for r in rows:
        write_row(sheet, [timezone.localtime(r["at"]).strftime("%Y-%m-%d %H:%M:%S"), r["who"], r["what"],
                          r["object"], r["community"], r["detail"]])
    buf = io.BytesIO()
    book.save(buf)
    community = scoping.current_community(request) or scoping.staff_for(request.user).community
    audit.accessed(request, None, community=community, detail=f"access-records.xlsx, {len(rows)} rows",
                   kind=AuditEvent.Kind.PERSONAL_DATA_EXPORT)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''access-records.xlsx"
    return response
