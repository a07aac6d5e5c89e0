"""Pages of the disclosure chapter. Thin: parse, call a service, show its refusal, redirect. Staff pages look
every notice up through committee.scoping (another community's notice answers 404); the public board
(/board/…) needs no login and shows only what is on the board today."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import approvals, printing, scoping
from committee.feedback import act, form_errors
from committee.models import Community
from committee.scoping import staff_for
from disclosure import composers, forms, services
from disclosure.models import Category, Notice


def base_url(request) -> str:
    """The public address printed in the QR code: DISCLOSURE_PUBLIC_BASE_URL, else the seals' verification
    address, else this request's host."""
    base = getattr(settings, "DISCLOSURE_PUBLIC_BASE_URL", "") or getattr(settings, "SEALS_VERIFY_BASE_URL", "")
    return base.rstrip("/") if base else request.build_absolute_uri("/").rstrip("/")


def _get(request, pk):
    return scoping.get_for_user(Notice.objects.select_related("community", "drafted_by", "issued_by",
                                                              "taken_down_by", "corrects"), request.user, pk=pk)


def _own_community(request):
    staff = staff_for(request.user)
    if staff is None or staff.community_id is None:
        raise PermissionDenied
    return staff.community


TABS = ("current", "drafts", "waiting", "archive")


@scoping.staff_required
def home(request):
    """Any staff (street office: every community, or the one chosen): the board today, drafts, notices
    waiting for approval or issuing, and the archive filtered by category and year."""
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "current"
    today = timezone.localdate()
    qs = scoping.scope_to_current(Notice.objects.select_related("community", "drafted_by"), request)
    if tab == "current":
        qs = qs.posted(today).order_by("-posted_from", "-pk")
    elif tab == "drafts":
        qs = qs.filter(status__in=[Notice.Status.DRAFT, Notice.Status.REJECTED]).order_by("-pk")
    elif tab == "waiting":
        qs = qs.filter(status__in=[Notice.Status.SUBMITTED, Notice.Status.APPROVED]).order_by("-pk")
    else:
        qs = qs.filter(status__in=[Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN, Notice.Status.WITHDRAWN])
        cat = request.GET.get("category", "")
        if cat:
            qs = qs.filter(category=cat[:30])
        year = request.GET.get("year", "")
        if year.isdigit() and 1900 <= int(year) <= today.year + 1:
            qs = qs.filter(issued_at__year=int(year))
        qs = qs.order_by("-issued_at", "-pk")
    notices = list(qs[:200])
    community = scoping.current_community(request)
    return render(request, "disclosure/home.html", {
        "tab": tab, "notices": notices, "tabs": TABS, "categories": list(Category.objects.all()),
        "years": list(range(today.year, today.year - 6, -1)), "sel_category": request.GET.get("category", ""),
        "sel_year": request.GET.get("year", ""), "may_draft": community is not None and services.may_draft(
            request.user, community), "community": community,
    })


@scoping.staff_required
def compose(request):
    """Staff of the community: choose what to compose (a registered composer) and its subject; the figures
    are drawn from the records now and frozen in a draft (DIS-4). GET ?composer=…&subject=… preselects."""
    community = _own_community(request)
    available = composers.all_composers()
    chosen = composers.get(request.POST.get("composer") or request.GET.get("composer") or "")
    subject = (request.POST.get("subject") or request.GET.get("subject") or "")[:60]
    subjects, error = [], ""
    if chosen is not None:
        subjects = services.subjects(chosen, community)
    if request.method == "POST":
        try:
            notice = services.compose(community=community, composer_key=chosen.key if chosen else "",
                                      subject=subject, acting_user=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("The notice was composed from the records. Check it and send it for "
                                        "approval."))
            return redirect(notice)
    return render(request, "disclosure/compose.html", {
        "composers": available, "chosen": chosen, "subjects": subjects, "subject": subject, "error": error,
        "subject_unknown": bool(subject) and subject not in {str(s.key) for s in subjects},
    })


@scoping.staff_required
def new(request):
    """Staff of the community: a typed notice (DIS-1)."""
    community = _own_community(request)
    form = forms.FreeTextForm(request.POST or None, initial={"category": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_free_text(community=community, category_key=form.cleaned_data["category"],
                                               title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                                               acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The draft was saved. Send it for approval when it is ready."))
            return redirect(notice)
    return render(request, "committee/form.html", {"form": form, "title": _("New notice"),
                                                   "back": "disclosure_home"})


@scoping.staff_required
def edit(request, pk):
    """The drafter: edit a typed draft (or one that was not approved)."""
    notice = _get(request, pk)
    me = staff_for(request.user)
    if notice.composer or notice.drafted_by_id != me.pk or notice.status not in (Notice.Status.DRAFT,
                                                                                 Notice.Status.REJECTED):
        raise PermissionDenied
    form = forms.FreeTextForm(request.POST or None, edit=True,
                              initial={"title": notice.title, "body": "\n".join(notice.paragraphs)})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_free_text(notice, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                                    acting_user=request.user)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(notice)
    return render(request, "committee/form.html", {"form": form, "title": _("Edit the notice"), "back_obj": notice})


@scoping.staff_required
def detail(request, pk):
    """Any staff of the community or the street office: the notice as printed, its approval and its acts."""
    notice = _get(request, pk)
    me = staff_for(request.user)
    drafter = me is not None and me.pk == notice.drafted_by_id
    own = services.may_draft(request.user, notice.community)
    editable = notice.status in (Notice.Status.DRAFT, Notice.Status.REJECTED)
    min_days, min_working = services.minimum(notice)
    return render(request, "disclosure/detail.html", {
        "notice": notice, "steps": approvals.steps_for(notice).order_by("step"),
        "findings": services.scan(notice) if notice.status not in (Notice.Status.ISSUED,
                                                                   Notice.Status.TAKEN_DOWN) else [],
        "may_submit": drafter and editable, "may_edit": drafter and editable and not notice.composer,
        "may_withdraw": drafter and notice.status in (Notice.Status.DRAFT, Notice.Status.SUBMITTED,
                                                      Notice.Status.APPROVED, Notice.Status.REJECTED),
        "may_issue": own and notice.status == Notice.Status.APPROVED,
        "may_take_down": notice.is_posted() and services.may_take_down(request.user, notice),
        "may_correct": own and notice.status in (Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN),
        "min_days": min_days, "min_working": min_working, "corrections": notice.corrections.all(),
    })


@require_POST
@scoping.staff_required
def submit(request, pk):
    notice = _get(request, pk)
    return act(request, notice, lambda: services.submit(notice, acting_user=request.user),
               _("Sent to the committee approver."))


@require_POST
@scoping.staff_required
def withdraw(request, pk):
    notice = _get(request, pk)
    return act(request, notice, lambda: services.withdraw(notice, acting_user=request.user), _("Withdrawn."))


@scoping.staff_required
def issue(request, pk):
    """Staff of the community: issue an approved notice with its posting period; it is printed once and
    stored (DIS-3)."""
    notice = _get(request, pk)
    if not services.may_draft(request.user, notice.community):
        raise PermissionDenied
    min_days, min_working = services.minimum(notice)
    form = forms.IssueForm(request.POST or None, until=services.shortest_until(notice, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue(notice, acting_user=request.user, base_url=base_url(request), **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            notice.refresh_from_db()
            messages.success(request, _("Issued. Print the PDF and post it from %(start)s to %(end)s.")
                             % {"start": notice.posted_from.isoformat(), "end": notice.posted_until.isoformat()})
            return redirect(notice)
    return render(request, "disclosure/issue.html", {"form": form, "notice": notice, "min_days": min_days,
                                                     "min_working": min_working})


@require_POST
@scoping.staff_required
def take_down(request, pk):
    notice = _get(request, pk)
    return act(request, notice, lambda: services.take_down(notice, reason=request.POST.get("reason", ""),
                                                           acting_user=request.user),
               _("Taken down. It stays in the archive."))


@require_POST
@scoping.staff_required
def correct(request, pk):
    notice = _get(request, pk)
    try:
        new_notice = services.correct(notice, acting_user=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(notice)
    messages.success(request, _("A correcting draft was made; it says which notice it corrects."))
    return redirect(new_notice)


def _pdf_response(notice):
    try:
        data = services.stored_pdf(notice)
    except ValidationError as e:
        return HttpResponse(" ".join(e.messages), status=409, content_type="text/plain; charset=utf-8")
    response = printing.pdf_response(data, f"{notice.code}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@scoping.staff_required
def pdf(request, pk):
    """Staff who may see the notice: the issued PDF as stored (checksum verified); before issuing, a preview
    marked as a draft."""
    notice = _get(request, pk)
    if notice.status in (Notice.Status.ISSUED, Notice.Status.TAKEN_DOWN):
        return _pdf_response(notice)
    data = services.render(notice, public_url=base_url(request) + notice.public_url(), draft=True)
    return printing.pdf_response(data, _("Draft") + f"-{notice.pk}.pdf")


@scoping.staff_required
def cadence(request):
    """Any staff: DIS-2 per category, last posted, current period, due or overdue; the street office sees
    every community (or the one chosen)."""
    community = scoping.current_community(request)
    communities = [community] if community else list(scoping.communities(request.user))
    rows = [r for r in services.cadence(communities, timezone.localdate()) if r["months"]]
    return render(request, "disclosure/cadence.html", {"rows": rows, "community": community,
                                                       "is_street": scoping.is_street_staff(request.user),
                                                       "categories": list(Category.objects.all())})


@scoping.street_office_required
def category_edit(request, key):
    """The street office: a category's cadence and minimum posting length (DIS-1, DIS-2)."""
    cat = get_object_or_404(Category, key=key[:30])
    form = forms.CategoryForm(request.POST or None, initial={"cadence": cat.cadence, "min_days": cat.min_days,
                                                             "min_working_days": cat.min_working_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(cat, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("disclosure_cadence")
    return render(request, "committee/form.html", {"form": form, "title": str(cat.label), "back": "disclosure_cadence"})


# --- the public board (no login) ---------------------------------------------------------------------


def _public(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _board_community(code):
    return get_object_or_404(Community.objects.select_related("street_office"), code=code[:30])


def _board_notice(community, code):
    notice = Notice.objects.posted(timezone.localdate()).filter(community=community, code=code[:20]).first()
    if notice is None:
        raise Http404
    notice.community = community
    return notice


def board(request, community):
    """Anyone: the notices on a community's board today, newest first, each with its PDF."""
    c = _board_community(community)
    notices = list(Notice.objects.posted(timezone.localdate()).filter(community=c)
                   .order_by("-posted_from", "-issued_at", "-pk"))
    return _public(render(request, "disclosure/board.html", {"c": c, "notices": notices}))


def board_notice(request, community, code):
    """Anyone: one posted notice of this community's board (another community's code is 404)."""
    c = _board_community(community)
    notice = _board_notice(c, code)
    return _public(render(request, "disclosure/board_notice.html", {"c": c, "notice": notice}))


def board_pdf(request, community, code):
    """Anyone: the PDF of a posted notice, as stored and verified."""
    c = _board_community(community)
    return _public(_pdf_response(_board_notice(c, code)))
