"""Dashboard reminders of the posts chapter (POST-3 holders without a signed letter, POST-5 open complaints)
and the street comparison column of POST-6. A fixed number of queries whatever the communities."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee import counts, reminders
from posts.models import Complaint, Evaluation


@counts.register
def post_counts(communities, day):
    """Per community (``committee.counts``): holders without a signed letter (POST-3), open complaints
    (POST-5)."""
    from posts.services import without_letter

    return {"posts.without_letter": without_letter(communities, day).select_related(None),
            "posts.open_complaints": Complaint.objects.filter(closed_at__isnull=True)}


def _letters_title(n):
    return ngettext("%(n)s post-holder has no signed responsibility letter",
                    "%(n)s post-holders have no signed responsibility letter", n) % {"n": n}


def _complaints_title(n):
    return ngettext("%(n)s complaint about a badge-holder to follow up",
                    "%(n)s complaints about badge-holders to follow up", n) % {"n": n}


def _complaints_detail():
    return _("Record the follow-up and close the complaint when it is settled.")


# (count key, rule, title(n), page, detail()): a notice per community while any is left
_COUNTED = (("posts.without_letter", "POST-3", _letters_title, "posts_letters", None),
            ("posts.open_complaints", "POST-5", _complaints_title, "posts_complaints", _complaints_detail))


def _counted(communities, day, which):
    key, rule, title, page, detail = which
    found = counts.get(communities, day, key)
    for community in communities:
        if found.get(community.pk):
            yield reminders.Reminder(community=community, title=title(found[community.pk]), rule=rule, due=None,
                                     state=reminders.NOTICE, url=reverse(page), detail=detail() if detail else "")


@reminders.register
def letters_missing(communities, day):
    """POST-3: holders without a signed responsibility letter."""
    return _counted(communities, day, _COUNTED[0])


@reminders.register
def open_complaints(communities, day):
    """POST-5: complaints about badge-holders not yet closed."""
    return _counted(communities, day, _COUNTED[1])


def latest_scores(communities, day) -> dict:
    """POST-6 comparison column: the score of each community's latest closed evaluation (one query)."""
    out = {}
    for community_id, frozen in (Evaluation.objects.filter(community__in=list(communities),
                                                           status=Evaluation.Status.CLOSED)
                                 .order_by("community_id", "year").values_list("community_id", "frozen")):
        if frozen:
            out[community_id] = frozen.get("score", "")
    return out


def street_tasks(user):
    """The street office's work waiting in 待我审批: reports to grade (POST-4), holders without a badge (POST-5),
    as two ``inbox.Source``s (50 of each at most)."""
    from django.db.models import Q
    from django.utils import timezone

    from committee import inbox, scoping
    from posts.models import Badge, Holding, Review

    if not scoping.is_street_staff(user):
        return []
    ids = scoping.community_ids(user)
    today = timezone.localdate()
    worn = Badge.objects.filter(status=Badge.Status.ISSUED).values("holding_id")
    return [
        inbox.Source(Review.objects.filter(community_id__in=ids, grade="")
                     .select_related("community", "holding__staff", "holding__post"), _grade_task, limit=50),
        inbox.Source(Holding.objects.filter(community_id__in=ids, start__lte=today)
                     .filter(Q(end__isnull=True) | Q(end__gte=today)).exclude(pk__in=worn)
                     .select_related("community", "staff", "post"), _badge_task, limit=50),
    ]


def _grade_task(r):
    from committee import inbox

    return inbox.Task(kind=_("Posts"), title=_("Grade the annual report of %(name)s (%(year)s)")
                      % {"name": r.holding.staff.name, "year": r.year},
                      url=r.get_absolute_url(), action=_("Grade"), community=r.community,
                      details=[(_("Post"), str(r.holding.post.label))])


def _badge_task(h):
    from committee import inbox

    return inbox.Task(kind=_("Posts"), title=_("Issue the badge of %(name)s") % {"name": h.staff.name},
                      url=h.get_absolute_url(), action=_("Issue the badge"), community=h.community,
                      details=[(_("Post"), str(h.post.label))])
