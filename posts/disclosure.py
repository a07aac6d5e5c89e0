"""POST-2 → DIS-4: the announcement of the candidates for a published post, composed for the disclosure
app (registered in PostsConfig.ready when ``disclosure.composers`` is importable)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posts.models import Nomination, Opening


def subjects(community, day):
    """Published posts whose candidates are announced (or decided) in the community."""
    from disclosure.composers import Subject

    openings = (Opening.objects.filter(community=community, status__in=[Opening.Status.ANNOUNCED,
                                                                        Opening.Status.DECIDED])
                .select_related("post").order_by("-year", "post__order"))
    return [Subject(f"opening:{o.pk}", f"{o.year} {o.post.label}") for o in openings]


def _opening(community, subject_key: str) -> Opening:
    try:
        kind, pk = subject_key.split(":", 1)
        if kind != "opening":
            raise ValueError
        opening = Opening.objects.select_related("post").get(pk=int(pk), community=community)
    except (ValueError, Opening.DoesNotExist):
        raise ValidationError({"subject": _("No announced post of this community has this key (POST-2).")}) from None
    if opening.status == Opening.Status.OPEN:
        raise ValidationError({"subject": _("The candidates of this post are not announced yet (POST-2).")})
    return opening


def compose(community, subject_key: str, acting_user):
    """The notice: the post, its places and duties, the candidates (name, how nominated). No personal data
    beyond the candidate's name (DIS-5)."""
    from disclosure.composers import Composed, Table

    opening = _opening(community, subject_key)
    rows = [[n.staff.name, n.get_kind_display(), n.recommended_by or "—"]
            for n in Nomination.objects.filter(opening=opening).select_related("staff").order_by("pk")]
    title = _("Announcement of the candidates for the post of %(post)s") % {"post": opening.post.label}
    return Composed(
        title=title,
        paragraphs=[
            _("%(community)s published the post of %(post)s for %(year)s with %(places)s places. The candidates "
              "below were nominated by themselves or recommended democratically; the joint meeting of the party "
              "organisation, the committee and the service station decides after this announcement.")
            % {"community": community.name, "post": opening.post.label, "year": opening.year,
               "places": opening.places},
            _("Duties: %(duties)s") % {"duties": opening.duties},
        ],
        tables=[Table(columns=[_("Candidate"), _("Nominated by"), _("Recommended by")], rows=rows)],
        closing=[_("Residents with an opinion may tell the residents' committee.")],
        figures={"opening": opening.pk, "candidates": len(rows), "places": opening.places},
        source=opening,
    )


def register():
    from disclosure import composers

    composers.register(composers.Composer(
        key="posts.candidates", label=gettext_lazy("Candidates for a post"), category=composers.OTHER,
        rule="POST-2", subjects=subjects, compose=compose, order=80,
    ))
