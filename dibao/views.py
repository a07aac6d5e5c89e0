"""Pages of the dibao chapter. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Every object is looked up through ``committee.scoping`` first (another community's case answers 404), then
the dibao access check (a committee member without a dibao role gets 403). Every view of a case's details
writes an access record (``dibao.models.Access``); full ID numbers only by an explicit POST, recorded."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import audit, controls, files, scoping
from committee.feedback import act, form_errors
from committee.scoping import staff_for
from dibao import forms, rules, services
from dibao.models import Access, Case, CaseMember, Document, PanelSeat, Standard


def _list_access(request):
    if not services.may_see_list(request.user):
        raise PermissionDenied


def _case(request, pk, *, work=False) -> Case:
    case = scoping.get_for_user(Case.objects.select_related("community", "household__building"), request.user, pk=pk)
    if work and not services.may_work(request.user, case.community):
        raise PermissionDenied
    if not services.may_see_details(request.user, case):
        raise PermissionDenied
    return case


def _work_community(request, title):
    staff = staff_for(request.user)
    if staff is None or staff.community_id is None:
        raise PermissionDenied  # the street office supervises; it does not work the cases
    community, chooser = scoping.one_community(request, title)
    if chooser:
        return None, chooser
    if not services.may_work(request.user, community):
        raise PermissionDenied
    return community, None


def _standards_by_community(communities):
    rows = list(Standard.objects.filter(street_office_id__in={c.street_office_id for c in communities}))
    return rows


def _case_rows(cases, day, community=None):
    """Cases with their assessment: the members of all of them in one query (a subquery, not a list of ids),
    the standards read once: a fixed number of queries for any number of cases. With ``community`` (the
    page's current one), also the standard in force there on ``day`` (DB-6, ``services.standard_on``) from
    the same reads. Returns (rows, that standard or None)."""
    from collections import defaultdict

    from committee import policy

    members = defaultdict(list)
    for m in CaseMember.objects.filter(case__in=cases.values("pk"), left_on__isnull=True).select_related("person"):
        members[m.case_id].append(m)
    cases = list(cases)
    communities = {c.community_id: c.community for c in cases}
    if community is not None:
        communities[community.pk] = community
    policy.prefetch(list(communities.values()))
    rows_std = _standards_by_community(list(communities.values()))
    fallback = {cid: policy.get(c, "db.standard") for cid, c in communities.items()}

    def standard(c):
        row = services.pick_standard([r for r in rows_std if r.street_office_id == c.street_office_id], c.pk, day)
        return row.amount if row else Decimal(fallback[c.pk])

    out = []
    for c in cases:
        mine = members[c.pk]
        head = next((m.person.name for m in mine if m.relation == "head"), "")
        out.append({"case": c, "head": head,
                    "assessment": rules.assess([(m.income, m.covered) for m in mine], standard(c.community))})
    return out, standard(community) if community is not None else None


@scoping.staff_required
def home(request):
    """The case list of the current community (or the street's communities): dibao roles and the street
    office's supervisors only."""
    _list_access(request)
    day = timezone.localdate()
    status = request.GET.get("status", "")
    cases = scoping.scope_to_current(Case.objects.select_related("community", "household__building"), request)
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    community = scoping.current_community(request)
    cases = cases.order_by("community__name", "-pk")[:500]
    rows, standard = _case_rows(cases, day, community)
    return render(request, "dibao/home.html", {
        "rows": rows, "community": community, "statuses": Case.Status.choices, "status": status,
        "may_work": community is not None and services.may_work(request.user, community),
        "standard": standard,
    })


@scoping.staff_required
def case_new(request):
    community, chooser = _work_community(request, _("New dibao case"))
    if chooser:
        return chooser
    form = forms.CaseForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The case was opened; now add the household's members and their incomes."))
            return redirect(case)
    return render(request, "committee/form.html", {"form": form, "title": _("New dibao case"), "back": "dibao_home"})


def _detail(request, case, *, reveal=False):
    day = timezone.localdate()
    members = list(case.members.select_related("person").order_by("pk"))
    current = [m for m in members if m.left_on is None]
    result = services.assessment(case, day)
    body = services.panel_of(case.community)
    work = services.may_work(request.user, case.community)
    meetings = []
    if work and body is not None:
        meetings = list(body.meetings.exclude(status="cancelled").order_by("-date")[:12])
    head = next((m.person for m in current if m.relation == "head"), None)
    return render(request, "dibao/case.html", {
        "case": case, "members": members, "current": current, "result": result, "reveal": reveal,
        "transitions": case.transitions.select_related("by", "review").order_by("at", "pk"),
        "reviews": case.reviews.select_related("meeting").order_by("-quarter"),
        "visits": case.visits.select_related("recorded_by"),
        "documents": case.documents.order_by("pk"), "may_work": work,
        "visit_state": rules.visit_state(case.visits.order_by("-visited_on").values_list("visited_on", flat=True)
                                         .first(), timezone.localtime(case.opened_at).date(), day)
        if case.status in Case.ACTIVE else None,
        "moves": [(s, Case.Status(s).label) for s in services.OFFICER_MOVES.get(case.status, ())],
        "panel": body, "panel_meetings": meetings, "head": head,
        "may_certify": work and staff_for(request.user).community_id == case.community_id and head is not None,
    })


@scoping.staff_required
def case_detail(request, pk):
    """Details of a case: dibao roles, supervisors and (while under review) panel members. Recorded."""
    case = _case(request, pk)
    services.record_access(request.user, case, Access.Action.VIEW)
    return _detail(request, case)


@require_POST
@scoping.staff_required
def case_reveal(request, pk):
    """Full ID numbers: an explicit, recorded action (POST), shown on this response only."""
    case = _case(request, pk)
    services.record_access(request.user, case, Access.Action.REVEAL)
    return _detail(request, case, reveal=True)


@require_POST
@scoping.staff_required
def case_status(request, pk):
    case = _case(request, pk, work=True)
    to = request.POST.get("to", "")
    return act(request, case, lambda: services.change_status(case, to=to, reason=request.POST.get("reason", ""),
                                                             acting_user=request.user),
               _("The case's state was changed; the history shows the reason."))


@scoping.staff_required
def member_add(request, pk):
    case = _case(request, pk, work=True)
    form = forms.MemberForm(request.POST or None, community=case.community, household=case.household)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The member was added; the per-capita income is computed again."))
            return redirect(case)
    return render(request, "committee/form.html", {"form": form, "title": _("Add a member to the case"),
                                                   "back_obj": case})


@scoping.staff_required
def member_income(request, pk):
    member = scoping.get_for_user(CaseMember.objects.select_related("case__community", "person"), request.user, pk=pk)
    case = _case(request, member.case_id, work=True)
    form = forms.IncomeForm(request.POST or None, initial={
        "wage": member.wage, "pension": member.pension, "other": member.other,
        "income_source": member.income_source, "covered": member.covered})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_income(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The income was saved; a change puts the case on the next review."))
            return redirect(case)
    return render(request, "committee/form.html", {"form": form, "title": _("Income of %(name)s") % {
        "name": member.person.name}, "back_obj": case})


@scoping.staff_required
def visit_new(request, pk):
    """DB-4: the home-visit form, made for a phone."""
    case = _case(request, pk, work=True)
    members = services.current_members(case)
    for m in members:
        m.person  # noqa: B018 (names on the form)
    form = forms.VisitForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            visit = services.record_visit(case, acting_user=request.user, visitors=data["visitors"],
                                          visited_on=data["visited_on"], date_reason=data["date_reason"],
                                          family_changes=data["family_changes"], notes=data["notes"],
                                          incomes=form.incomes())
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The visit was recorded; the income changed, so the case is on the next "
                                        "review.") if visit.income_changed else _("The visit was recorded."))
            return redirect(case)
    return render(request, "dibao/visit_form.html", {"form": form, "case": case})


@scoping.staff_required
def review_new(request, pk):
    """DB-3: the panel's decision on this household, recorded in a panel meeting with quorum."""
    from meetings.models import Meeting

    case = _case(request, pk, work=True)
    body = services.panel_of(case.community)
    meetings = Meeting.objects.filter(body=body).exclude(status="cancelled").order_by("-date") if body else \
        Meeting.objects.none()
    form = forms.ReviewForm(request.POST or None, meetings=meetings)
    panel_errors = services.panel_check(body) if body else [_("The community has no dibao review panel yet (DB-1).")]
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The panel's decision was recorded."))
            return redirect(case)
    return render(request, "dibao/review_form.html", {"form": form, "case": case, "panel": body,
                                                      "panel_errors": panel_errors,
                                                      "result": services.assessment(case)})


@scoping.staff_required
def document_add(request, pk):
    case = _case(request, pk, work=True)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document(case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The document was added."))
            return redirect(case)
    return render(request, "committee/form.html", {"form": form, "title": _("Add a document"), "back_obj": case})


@scoping.staff_required
def document(request, pk):
    doc = scoping.get_for_user(Document.objects.select_related("case"), request.user, pk=pk)
    case = _case(request, doc.case_id)
    services.record_access(request.user, case, Access.Action.DOCUMENT, detail=f"#{doc.pk}")
    return files.serve(doc.file)


@scoping.staff_required
def worklist(request):
    """DB-3 / DB-4: the quarter's households, who is reviewed and who still needs a review or a visit."""
    _list_access(request)
    day = timezone.localdate()
    quarter = request.GET.get("quarter") or rules.quarter_of(day)
    try:
        rules.quarter_bounds(quarter)
    except ValueError:
        messages.error(request, _("Choose a quarter such as %(q)s.") % {"q": rules.quarter_of(day)})
        quarter = rules.quarter_of(day)
    ids = [c.pk for c in _current_communities(request)]
    rows = services.worklist(ids, quarter, day)
    return render(request, "dibao/worklist.html", {
        "rows": rows, "quarter": quarter, "quarter_label": rules.quarter_label(quarter),
        "previous": rules.previous_quarter(quarter), "unreviewed": sum(1 for r in rows if r["review"] is None),
        "community": scoping.current_community(request),
    })


def _current_communities(request):
    community = scoping.current_community(request)
    return [community] if community else list(scoping.communities(request.user))


@scoping.staff_required
def panel(request):
    """DB-1: the panel of the current community, its members with their categories and the composition check."""
    _list_access(request)
    community, chooser = scoping.one_community(request, _("Dibao review panel"))
    if chooser:
        return chooser
    body = services.panel_of(community)
    work = services.may_work(request.user, community)
    form = forms.PanelMemberForm(request.POST or None, community=community) if work and body else None
    if request.method == "POST":
        if not work:
            raise PermissionDenied
        if body is None:
            return act(request, "dibao_panel", lambda: services.create_panel(community, acting_user=request.user),
                       _("The panel was created; add its members with their categories."))
        if form.is_valid():
            try:
                _member, errors = services.add_panel_member(body, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                if errors:
                    messages.warning(request, _("The member was added. The panel cannot review yet: %(why)s")
                                     % {"why": " ".join(errors)})
                else:
                    messages.success(request, _("The member was added; the panel's composition complies (DB-1)."))
                return redirect("dibao_panel")
    day = timezone.localdate()
    members = services.panel_members(body, day) if body else []
    return render(request, "dibao/panel.html", {
        "community": community, "body": body, "members": members, "form": form, "may_work": work,
        "errors": services.panel_check(body, day) if body else [],
        "categories": PanelSeat.Category.choices,
    })


@require_POST
@scoping.staff_required
def panel_category(request, pk):
    from meetings.models import BodyMember

    member = scoping.get_for_user(BodyMember.objects.select_related("body__community"), request.user,
                                  field="body__community", pk=pk)
    if member.body.kind != services.PANEL_KIND or not services.may_work(request.user, member.body.community):
        raise PermissionDenied
    return act(request, "dibao_panel", lambda: services.set_category(
        member, category=request.POST.get("category", ""), acting_user=request.user),
        _("The category was saved; the composition was checked again (DB-1)."))


@scoping.staff_required
def standards(request):
    """DB-6 / CTL-4: the dated standard table; the street office sets it, everyone with a dibao role reads."""
    _list_access(request)
    staff = staff_for(request.user)
    street = staff.street_office
    may_set = staff.community_id is None and services.passes_standard(request.user)
    communities = scoping.communities(request.user)
    form = forms.StandardForm(request.POST or None, communities=communities) if may_set else None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_standard(street_office=street, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("The standard was recorded with its date of effect."))
                return redirect("dibao_standards")
    community = scoping.current_community(request) or staff.community
    return render(request, "dibao/standards.html", {
        "rows": Standard.objects.filter(street_office=street).select_related("community", "set_by"),
        "form": form, "community": community,
        "in_force": services.standard_on(community, timezone.localdate()) if community else None,
    })


@scoping.staff_required
def export(request):
    """The case list as Excel: dibao roles and supervisors only, at most 2,000 rows, recorded (CTL-9)."""
    from openpyxl import Workbook

    from committee.spreadsheets import write_row

    _list_access(request)
    day = timezone.localdate()
    cases = scoping.scope_to_current(Case.objects.select_related("community", "household__building"),
                                     request).order_by("community__name", "pk")
    rows, _standard = _case_rows(cases[:2000], day)
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Dibao cases")
    write_row(sheet, [_("Case"), _("Community"), _("Household"), _("Head of household"), _("Status"), _("Members"),
                      _("Covered members"), _("Per-capita income"), _("Standard"), _("Monthly amount")])
    for r in rows:
        c, a = r["case"], r["assessment"]
        write_row(sheet, [c.pk, c.community.name, str(c.household), r["head"], c.get_status_display(), a.members,
                          a.covered, a.per_capita, a.standard, a.amount])
    buf = io.BytesIO()
    wb.save(buf)
    for community in {r["case"].community for r in rows} or set(_current_communities(request)[:1]):
        services.record_access(request.user, None, Access.Action.EXPORT, community=community,
                               detail=f"dibao-cases.xlsx, {len(rows)}")
        audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=community, request=request,
                     detail=f"dibao-cases.xlsx, {len(rows)} rows")
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="dibao-cases.xlsx"'
    return response


@scoping.staff_required
def access_log(request):
    """Who saw which case when: the street office's supervisors and its audit readers."""
    staff = staff_for(request.user)
    if staff.community_id is not None or not (services.passes_standard(request.user)
                                              or controls.can_read_audit(staff)):
        raise PermissionDenied
    rows = scoping.scope_to_current(Access.objects.select_related("community", "user", "case"), request)[:300]
    return render(request, "dibao/access.html", {"rows": rows})
