"""Pages of the posts chapter. Thin: parse, call a service, show its error, redirect (POST-redirect-GET).
Every object is looked up through ``committee.scoping`` (another community's record answers 404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import files, printing, scoping
from committee.feedback import act, form_errors
from committee.models import Community
from committee.scoping import staff_for
from posts import evaluation, forms, services
from posts.models import (
    Badge,
    Complaint,
    Evaluation,
    Group,
    Holding,
    Inspection,
    Mark,
    Opening,
    Post,
    Review,
)


def _get(request, model, pk, related=()):
    return scoping.get_for_user(model.objects.select_related("community", *related), request.user, pk=pk)


def _form_page(request, form, title, back_obj=None, back=None, submit_label=None):
    return render(request, "committee/form.html", {"form": form, "title": title, "back_obj": back_obj,
                                                   "back": back, "submit_label": submit_label})


def _manager(request, community):
    if not services.may_manage(request.user, community):
        raise PermissionDenied


def _street(request):
    if not scoping.is_street_staff(request.user):
        raise PermissionDenied


def _year(year: int) -> int:
    # CTL-8: years from 2000 to next year; anything else is not a page
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


# --- home (POST-1) and publishing (POST-2) ----------------------------------------------------------


@scoping.staff_required
def home(request):
    """Any staff: the six posts in their groups with the current holders of the community, published posts,
    holders without a letter (POST-1 … POST-3)."""
    community = scoping.current_community(request)
    today = timezone.localdate()
    holdings = scoping.scope_to_current(Holding.objects.select_related("staff", "community", "post"), request) \
        .filter(start__lte=today).exclude(end__lt=today).prefetch_related(
            Prefetch("badges", queryset=Badge.objects.filter(status=Badge.Status.ISSUED), to_attr="worn"))
    by_post: dict[int, list] = {}
    for h in holdings:
        by_post.setdefault(h.post_id, []).append(h)
    groups = []
    posts = list(Post.objects.filter(active=True))
    for value, label in Group.choices:
        groups.append((label, [(p, by_post.get(p.pk, [])) for p in posts if p.group == value]))
    openings = scoping.scope_to_current(Opening.objects.select_related("community", "post"), request) \
        .exclude(status=Opening.Status.DECIDED)[:30]
    is_street = scoping.is_street_staff(request.user)
    return render(request, "posts/home.html", {
        "groups": groups, "openings": openings, "community": community, "is_street": is_street,
        "may_manage": community is not None and services.may_manage(request.user, community),
        "missing": sum(1 for h in holdings if not h.letter), "year": today.year,
        "may_inspect": services.may_inspect(request.user),
    })


@scoping.staff_required
def opening_new(request):
    """The director, deputy, party secretary or the street office (a community chosen): publish a post with its
    places and duties (POST-2)."""
    community, chooser = scoping.one_community(request, _("Publish a post"))
    if chooser:
        return chooser
    _manager(request, community)
    form = forms.OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.publish(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The post %(post)s was published with %(n)s places. Record the "
                                        "self-nominations and recommendations next (POST-2).")
                             % {"post": opening.post.label, "n": opening.places})
            return redirect(opening)
    return _form_page(request, form, _("Publish a post"), back="posts_home")


@scoping.staff_required
def opening_detail(request, pk):
    """Staff of the community or the street office: the published post, its candidates, the decision."""
    opening = _get(request, Opening, pk, ("post", "decision__meeting"))
    staff = staff_for(request.user)
    return render(request, "posts/opening_detail.html", {
        "opening": opening, "nominations": opening.nominations.select_related("staff"),
        "holdings": opening.holdings.select_related("staff"),
        "may_manage": services.may_manage(request.user, opening.community),
        "may_nominate": opening.status == Opening.Status.OPEN and (
            staff.community_id == opening.community_id or services.may_manage(request.user, opening.community)),
    })


@scoping.staff_required
def nominate(request, pk):
    """Community staff (a self-nomination) or the director, deputy, secretary, street office (a democratic
    recommendation): a candidate (POST-2)."""
    opening = _get(request, Opening, pk, ("post",))
    staff = staff_for(request.user)
    manager = services.may_manage(request.user, opening.community)
    if staff.community_id != opening.community_id and not manager:
        raise PermissionDenied
    initial = {"kind": "recommended" if manager else "self", "staff": staff.pk if not manager else None}
    form = forms.NominationForm(request.POST or None, community=opening.community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate(opening, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(name)s is a candidate for %(post)s. When every candidate is in, "
                                        "announce them (POST-2).") % {"name": form.cleaned_data["staff"].name,
                                                                       "post": opening.post.label})
            return redirect(opening)
    return _form_page(request, form, _("Candidate for %(post)s") % {"post": opening.post.label}, back_obj=opening)


@require_POST
@scoping.staff_required
def announce(request, pk):
    """The director, deputy, secretary or the street office: announce the candidates (POST-2)."""
    opening = _get(request, Opening, pk, ("post",))
    return act(request, opening, lambda: services.announce(opening, acting_user=request.user),
               _("The candidates were announced. The disclosure notice can be composed from them; the joint "
                 "meeting (三委联席会) decides next (POST-2)."))


@scoping.staff_required
def decide(request, pk):
    """The director, deputy, secretary or the street office: the decision of the joint meeting and the
    post-holders (POST-2)."""
    opening = _get(request, Opening, pk, ("post",))
    _manager(request, opening.community)
    form = forms.DecideForm(request.POST or None, opening=opening,
                            decisions=services.joint_decisions(opening.community))
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(opening, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The joint decision was recorded; the post-holders hold the post from "
                                        "%(start)s. The street office issues their badges (POST-2, POST-5).")
                             % {"start": form.cleaned_data["start"]})
            return redirect(opening)
    return _form_page(request, form, _("Decision of the joint meeting: %(post)s") % {"post": opening.post.label},
                      back_obj=opening)


# --- holders (POST-2, POST-3) ---------------------------------------------------------------------


@scoping.staff_required
def holding_detail(request, pk):
    """Staff of the community or the street office: a post-holder, training, letter, reviews, badges,
    complaints."""
    holding = _get(request, Holding, pk, ("staff", "post", "opening"))
    is_street = scoping.is_street_staff(request.user)
    return render(request, "posts/holding_detail.html", {
        "holding": holding, "trainings": holding.trainings.all(), "reviews": holding.reviews.all(),
        "badges": holding.badges.all(), "complaints": holding.complaints.all(),
        "worn": holding.badges.filter(status=Badge.Status.ISSUED).first(),
        "may_manage": services.may_manage(request.user, holding.community), "is_street": is_street,
    })


@scoping.staff_required
def holding_end(request, pk):
    """The director, deputy, secretary or the street office: the holder leaves the post (POST-2)."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    _manager(request, holding.community)
    form = forms.EndForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_holding(holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("%(name)s left the post. The street office takes the badge back (POST-5).")
                             % {"name": holding.staff.name})
            return redirect(holding)
    return _form_page(request, form, _("%(name)s leaves the post") % {"name": holding.staff.name},
                      back_obj=holding)


@scoping.staff_required
def training_new(request, pk):
    """The director, deputy, secretary or the street office: a training of the holder (POST-3)."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    _manager(request, holding.community)
    form = forms.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training(holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The training was recorded (POST-3)."))
            return redirect(holding)
    return _form_page(request, form, _("Training of %(name)s") % {"name": holding.staff.name}, back_obj=holding)


@scoping.staff_required
def letter_upload(request, pk):
    """The director, deputy, secretary or the street office: the signed responsibility letter (POST-3)."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    _manager(request, holding.community)
    form = forms.LetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_letter(holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The signed responsibility letter was kept (POST-3)."))
            return redirect(holding)
    return _form_page(request, form, _("Responsibility letter of %(name)s") % {"name": holding.staff.name},
                      back_obj=holding)


@scoping.staff_required
def letter_file(request, pk):
    """Staff who may see the holder: the letter (CTL-7)."""
    holding = _get(request, Holding, pk)
    return files.serve(holding.letter)


@scoping.staff_required
def letters(request):
    """Any staff: current holders without a signed responsibility letter (POST-3)."""
    communities = [scoping.current_community(request)] if scoping.current_community(request) else \
        list(scoping.communities(request.user))
    return render(request, "posts/letters.html", {"holdings": services.without_letter(communities)})


# --- annual review (POST-4) ------------------------------------------------------------------------


@scoping.staff_required
def review_new(request, pk):
    """The director, deputy, secretary or the street office: the holder's report to the representatives."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    _manager(request, holding.community)
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_report(holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The report was recorded. The street office gives the grade (POST-4)."))
            return redirect(review)
    return _form_page(request, form, _("Annual report of %(name)s") % {"name": holding.staff.name},
                      back_obj=holding)


@scoping.staff_required
def review_detail(request, pk):
    """Staff who may see it: the report, the representatives' evaluation and the grade (POST-4); the street
    office grades here."""
    review = _get(request, Review, pk, ("holding__staff", "holding__post", "graded_by"))
    staff = staff_for(request.user)
    may_grade = (not review.grade and services.is_street(staff, review.community)
                 and review.holding.staff_id != staff.pk)
    return render(request, "posts/review_detail.html", {
        "review": review, "may_grade": may_grade, "form": forms.GradeForm() if may_grade else None})


@require_POST
@scoping.staff_required
def review_grade(request, pk):
    """Street office: the grade (POST-4)."""
    review = _get(request, Review, pk)
    return act(request, review,
               lambda: services.grade(review, grade=request.POST.get("grade", ""), acting_user=request.user),
               _("The grade was recorded (POST-4)."))


@scoping.staff_required
def review_file(request, pk):
    review = _get(request, Review, pk)
    return files.serve(review.report_file)


# --- badges, inspections, complaints (POST-5) -------------------------------------------------------


@scoping.staff_required
def badges(request):
    """Any staff: the badges of the community (street office: of the chosen community or all)."""
    rows = scoping.scope_to_current(Badge.objects.select_related("community", "holding__staff", "holding__post"),
                                    request).order_by("community__name", "number")
    return render(request, "posts/badges.html", {"badges": rows})


@scoping.street_office_required
def badge_new(request, pk):
    """Street office: issue the badge of a post-holder (POST-5)."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    form = forms.BadgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            badge = services.issue_badge(holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Badge No. %(n)s was issued to %(name)s (POST-5).")
                             % {"n": badge.number, "name": holding.staff.name})
            return redirect(badge)
    return _form_page(request, form, _("Issue a badge to %(name)s") % {"name": holding.staff.name},
                      back_obj=holding, submit_label=_("Issue the badge"))


@scoping.staff_required
def badge_detail(request, pk):
    """Staff who may see it: the badge, what it replaced, what replaced it."""
    badge = _get(request, Badge, pk, ("holding__staff", "holding__post", "issued_by", "replaces"))
    return render(request, "posts/badge_detail.html", {
        "badge": badge, "replaced_by": Badge.objects.filter(replaces=badge).first(),
        "is_street": scoping.is_street_staff(request.user)})


@scoping.street_office_required
def badge_change(request, pk):
    """Street office: a change of post: the old badge returned, a new one issued (POST-5)."""
    badge = _get(request, Badge, pk, ("holding__staff",))
    form = forms.ChangePostForm(request.POST or None, badge=badge)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.change_post(badge, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Badge No. %(old)s was returned and No. %(new)s issued (POST-5).")
                             % {"old": badge.number, "new": new.number})
            return redirect(new)
    return _form_page(request, form, _("Change of post: %(badge)s") % {"badge": badge}, back_obj=badge)


@scoping.street_office_required
def badge_lost(request, pk):
    """Street office: a lost badge reissued against a fee (POST-5)."""
    from committee import policy

    badge = _get(request, Badge, pk, ("holding__staff",))
    form = forms.LostForm(request.POST or None, initial={"fee": policy.get(badge.community, "post.lost_badge_fee")})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.reissue_lost(badge, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Badge No. %(old)s is recorded as lost; No. %(new)s was issued against "
                                        "a fee of %(fee)s yuan (POST-5).")
                             % {"old": badge.number, "new": new.number, "fee": new.fee})
            return redirect(new)
    return _form_page(request, form, _("Lost badge: %(badge)s") % {"badge": badge}, back_obj=badge)


@require_POST
@scoping.street_office_required
def badge_return(request, pk):
    """Street office: the badge handed back."""
    badge = _get(request, Badge, pk)
    return act(request, badge, lambda: services.return_badge(badge, acting_user=request.user),
               _("The badge was recorded as returned (POST-5)."))


@scoping.staff_required
def inspections(request):
    """Any staff: the discipline inspections of badge wearing (POST-5)."""
    rows = scoping.scope_to_current(Inspection.objects.select_related("community", "inspector"), request)
    return render(request, "posts/inspections.html", {"inspections": rows[:200],
                                                      "may_inspect": services.may_inspect(request.user)})


@scoping.street_office_required
def inspection_new(request):
    """The street office's discipline inspection (纪检): an inspection of badge wearing (POST-5)."""
    if not services.may_inspect(request.user):
        raise PermissionDenied
    community, chooser = scoping.one_community(request, _("Badge inspection"))
    if chooser:
        return chooser
    form = forms.InspectionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_inspection(community=community, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The inspection was recorded (POST-5)."))
            return redirect("posts_inspections")
    return _form_page(request, form, _("Badge inspection in %(community)s") % {"community": community.name},
                      back="posts_inspections")


@scoping.staff_required
def complaints(request):
    """Any staff: complaints about badge-holders, open first (POST-5)."""
    rows = scoping.scope_to_current(Complaint.objects.select_related("community", "holding__staff",
                                                                     "holding__post"), request)
    return render(request, "posts/complaints.html", {"complaints": rows.order_by("-closed_at", "-received_on")[:200]})


@scoping.staff_required
def complaint_new(request, pk):
    """Staff of the community or the street office: a complaint about this holder (POST-5)."""
    holding = _get(request, Holding, pk, ("staff", "post"))
    form = forms.ComplaintForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.record_complaint(holding=holding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("The complaint was recorded; the director follows it up (POST-5)."))
            return redirect(complaint)
    return _form_page(request, form, _("Complaint about %(name)s") % {"name": holding.staff.name}, back_obj=holding)


@scoping.staff_required
def complaint_detail(request, pk):
    complaint = _get(request, Complaint, pk, ("holding__staff", "holding__post", "badge", "closed_by", "request"))
    staff = staff_for(request.user)
    req = complaint.request
    return render(request, "posts/complaint_detail.html", {
        "complaint": complaint,
        # GRID-6: the residents' request, linked when the reader may open it (the request page's own scoping)
        "req_link": bool(req and req.community_id in scoping.community_ids(request.user)),
        "may_follow": not complaint.closed_at and services.may_manage(request.user, complaint.community)
        and complaint.holding.staff_id != staff.pk})


@require_POST
@scoping.staff_required
def complaint_follow(request, pk):
    """The director, deputy, secretary or the street office (never the holder): the follow-up (POST-5)."""
    complaint = _get(request, Complaint, pk)
    close = request.POST.get("close") == "1"
    return act(request, complaint,
               lambda: services.follow_up(complaint, text=request.POST.get("reason", ""), close=close,
                                          acting_user=request.user),
               _("The complaint was closed (POST-5).") if close else _("The follow-up was recorded (POST-5)."))


# --- the evaluation (POST-6) ------------------------------------------------------------------------


@scoping.staff_required
def sheet(request):
    """Any staff reads the score sheet's items and weights; the street office sets them (POST-6)."""
    staff = staff_for(request.user)
    street_office = staff.street_office
    weights = evaluation.weights_for(street_office)
    items = evaluation.items()
    is_street = scoping.is_street_staff(request.user)
    form = forms.WeightsForm(request.POST or None, items=items, weights=weights)
    if request.method == "POST":
        if not is_street:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_weights(street_office=street_office, weights=form.cleaned_data, acting_user=request.user)
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("The weights of the score sheet were saved (POST-6)."))
                return redirect("posts_sheet")
    community = street_office.communities.first()
    total = evaluation.total_for(community) if community else 100
    rows = [(i, form[i.key], weights.get(i.key)) for i in items]
    return render(request, "posts/sheet.html", {"form": form, "rows": rows, "is_street": is_street, "total": total,
                                                "year": timezone.localdate().year})


def _community(request, community_id):
    return scoping.get_for_user(Community.objects.select_related("street_office"), request.user, field="pk",
                                pk=community_id)


def _sheet_context(request, community, year):
    from committee import navigation

    ev = Evaluation.objects.filter(community=community, year=year).first()
    s = evaluation.sheet(community, year)
    for row in s.rows:  # a figure links to its records only for a reader who may open them
        row.link = row.figure.url if row.figure.url and (row.figure.open_to is None
                                                         or row.figure.open_to(request)) else ""
    return {"may_flags": navigation.may_open(request, "attendance_flags"),"sheet": s, "evaluation": ev, "community": community, "year": year,
            "closed": ev is not None and ev.status == Evaluation.Status.CLOSED}


@scoping.staff_required
def evaluation_page(request, community_id, year):
    """Staff of the community or the street office: the year's score sheet filled from the records, the
    ATT-8 deductions, the street office's marks and each person's award eligibility (POST-6)."""
    community = _community(request, community_id)
    ctx = _sheet_context(request, community, _year(year))
    ctx.update({"is_street": scoping.is_street_staff(request.user), "mark_form": forms.MarkForm(),
                "prev": year - 1 if year > 2000 else None,
                "next": year + 1 if year < timezone.localdate().year else None})
    return render(request, "posts/evaluation.html", ctx)


@scoping.staff_required
def evaluation_pdf(request, community_id, year):
    """As the page: the score sheet for paper (A4, blank seal area)."""
    community = _community(request, community_id)
    ctx = _sheet_context(request, community, _year(year))
    pdf = printing.render_pdf_in("zh-hans", "posts/evaluation_pdf.html", ctx)
    return printing.pdf_response(pdf, f"evaluation-{community.pk}-{year}.pdf")


@require_POST
@scoping.street_office_required
def mark_new(request, community_id, year):
    """Street office: its own mark with a reason (POST-6)."""
    community = _community(request, community_id)
    target = redirect("posts_evaluation", community.pk, _year(year))
    return act(request, target.url,
               lambda: services.add_mark(community=community, year=year, points=request.POST.get("points", ""),
                                         reason=request.POST.get("reason", ""), acting_user=request.user),
               _("The mark was added (POST-6)."))


@require_POST
@scoping.street_office_required
def mark_void(request, pk):
    mark = _get(request, Mark, pk, ("evaluation",))
    return act(request, mark.evaluation,
               lambda: services.void_mark(mark, reason=request.POST.get("reason", ""), acting_user=request.user),
               _("The mark was voided (POST-6)."))


@require_POST
@scoping.street_office_required
def evaluation_close(request, community_id, year):
    """Street office: close the year's evaluation; its figures are frozen (POST-6)."""
    community = _community(request, community_id)
    target = redirect("posts_evaluation", community.pk, _year(year))
    return act(request, target.url, lambda: services.close_evaluation(community=community, year=year,
                                                                      acting_user=request.user),
               _("The evaluation of %(year)s was closed; its figures are kept as they are now (POST-6).")
               % {"year": year})


@scoping.street_office_required
def compare(request):
    """Street office: every community's score for a year side by side (POST-6)."""
    try:
        year = _year(int(request.GET.get("year", timezone.localdate().year)))
    except (ValueError, Http404):
        year = timezone.localdate().year
    current = scoping.current_community(request)  # ?community=<id> from the street office's overview
    rows = [(c, evaluation.sheet(c, year, with_people=False))
            for c in ([current] if current else scoping.communities(request.user))]
    items = evaluation.items()
    return render(request, "posts/compare.html", {"rows": rows, "items": items, "year": year,
                                                  "years": list(range(timezone.localdate().year, 1999, -1))[:6]})


__all__ = ["dt"]
