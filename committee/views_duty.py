"""Whereabouts board, outings, all-out notices and incidents (ORG-4, ORG-5, ORG-6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import duty, scoping
from committee.feedback import flash_errors, form_errors
from committee.forms_duty import AllOutNoticeForm, IncidentForm, OutingForm, ReportBackForm, ReportedForm
from committee.models import AllOutNotice, Incident, Outing
from committee.printing import pdf_response, render_pdf_in
from committee.scoping import staff_required


def _own_community(request):
    """Community staff act in their own community; street-office staff only read these pages."""
    me = scoping.staff_for(request.user)
    if me is None or me.community_id is None:
        raise PermissionDenied
    return me, me.community


@staff_required
def whereabouts(request):
    """Staff: who is in the office and who is out today (ORG-4, ORG-5); street office per community."""
    now = timezone.now()
    today = timezone.localdate()
    current = scoping.current_community(request)
    communities = [current] if current else list(scoping.communities(request.user))
    out_now = list(
        Outing.objects.filter(community__in=communities, leaves_at__lte=now, returned_at__isnull=True)
        .select_related("staff", "told", "community").order_by("back_at")
    )
    recent = list(
        scoping.scope_to_current(Outing.objects.all(), request)
        .select_related("staff", "told", "community").order_by("-leaves_at")[:30]
    )
    out_ids = {o.staff_id for o in out_now}
    in_post = duty.office_staff_by_community(communities, today)
    in_office = [(c, [s for s in in_post[c.pk] if s.pk not in out_ids]) for c in communities]
    me = scoping.staff_for(request.user)
    return render(request, "committee/duty/whereabouts.html", {
        "out_now": out_now, "recent": recent, "in_office": in_office, "now": now,
        "can_record": me.community_id is not None, "back_form": ReportBackForm(),
    })


@staff_required
def outing_create(request):
    """Community staff: register going out (asked the director first; the director tells the duty officer)."""
    me, community = _own_community(request)
    colleagues = duty.office_staff(community, timezone.localdate()).exclude(pk=me.pk).order_by("name")
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = OutingForm(request.POST or None, colleagues=colleagues,
                      initial={"leaves_at": now, "back_at": now + timezone.timedelta(hours=2)})
    if request.method == "POST" and form.is_valid():
        try:
            duty.record_outing(community=community, staff=me, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Outing registered. Report back when you return."))
            return redirect("whereabouts")
    return render(request, "committee/form.html", {"form": form, "title": _("Going out"), "back": "whereabouts"})


@require_POST
@staff_required
def outing_back(request, pk):
    """The person who went out (or the director): report back."""
    outing = get_object_or_404(scoping.scope(Outing.objects.all(), request.user), pk=pk)
    me = scoping.staff_for(request.user)
    if me.pk not in (outing.staff_id, outing.told_id):
        raise PermissionDenied
    form = ReportBackForm(request.POST)
    form.is_valid()
    try:
        duty.report_back(outing, acting_user=request.user, report=form.cleaned_data.get("report", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Reported back."))
    return redirect("whereabouts")


@staff_required
def all_out_notices(request):
    """Staff: notices to residents that everybody will be out (ORG-4); community staff post one."""
    notices = scoping.scope_to_current(AllOutNotice.objects.select_related("community", "created_by"), request)
    me = scoping.staff_for(request.user)
    form = AllOutNoticeForm(request.POST or None)
    if request.method == "POST":
        _me, community = _own_community(request)
        if form.is_valid():
            try:
                notice = duty.post_all_out_notice(community=community, day=form.cleaned_data["date"],
                                                  reason=form.cleaned_data["reason"],
                                                  contact=form.cleaned_data["contact"], acting_user=request.user)
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("Notice saved: print it and post it on the board today."))
                return redirect("all_out_notice_pdf", pk=notice.pk)
    return render(request, "committee/duty/notices.html",
                  {"notices": notices[:50], "form": form, "can_post": me.community_id is not None})


@staff_required
def all_out_notice_pdf(request, pk):
    """Staff who may see the notice: the A4 notice for the board, in Chinese, with a seal area."""
    notice = get_object_or_404(scoping.scope(AllOutNotice.objects.select_related("community"), request.user), pk=pk)
    pdf = render_pdf_in("zh-hans", "committee/duty/notice_pdf.html", {
        "notice": notice, "seal_org": notice.community.committee_name,
        "seal_date": f"{notice.posted_on.year}年{notice.posted_on.month}月{notice.posted_on.day}日",
    })
    return pdf_response(pdf, f"告居民书-{notice.date}.pdf")


@staff_required
def incident_list(request):
    """Staff: incidents and whether they were reported upward (ORG-6); community staff record them."""
    incidents = scoping.scope_to_current(Incident.objects.select_related("community", "recorded_by"), request)
    me = scoping.staff_for(request.user)
    form = IncidentForm(request.POST or None)
    if request.method == "POST":
        _me, community = _own_community(request)
        if form.is_valid():
            try:
                duty.record_incident(community=community, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.warning(request, _("Recorded. Report it upward to the street office now (ORG-6)."))
                return redirect("incident_list")
    return render(request, "committee/duty/incidents.html", {
        "incidents": incidents[:100], "form": form, "reported_form": ReportedForm(),
        "can_record": me.community_id is not None,
    })


@require_POST
@staff_required
def incident_reported(request, pk):
    """Community staff: record when and to whom the incident was reported."""
    incident = get_object_or_404(scoping.scope(Incident.objects.all(), request.user), pk=pk)
    _own_community(request)
    form = ReportedForm(request.POST)
    if form.is_valid():
        try:
            duty.mark_reported(incident, reported_to=form.cleaned_data["reported_to"], acting_user=request.user)
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Report recorded."))
    else:
        messages.error(request, _("Say to whom the incident was reported (ORG-6)."))
    return redirect("incident_list")
