"""Permission-matrix entries of the posts chapter: every URL × persona. Objects belong to community A
(staff_b gets 404); badges, marks and the score sheet are the street office's (403 for community users)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posts import services
from posts.models import Holding, Nomination, Opening, Post
from tests.matrix import LOGIN, add, everyone, roles, world_builder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@world_builder
def posts_world(w):
    a, staff_a, director, street = w["a"], w["staff_a"], w["director_a"], w["supervisor"]
    today = timezone.localdate()
    post = Post.objects.get(key="finance_supervision")
    opening = Opening.objects.create(community=a, post=post, year=today.year, places=1, duties="监督财务",
                                     published_by=director, status=Opening.Status.ANNOUNCED)
    Nomination.objects.create(community=a, opening=opening, staff=staff_a, kind="self", recorded_by=staff_a)
    holding = Holding.objects.create(community=a, post=post, staff=staff_a, opening=opening, start=today)
    services.upload_letter(holding, file=SimpleUploadedFile("责任书.pdf", PDF), signed_on=today,
                           acting_user=director.user)
    w["posts_opening"], w["posts_holding"] = opening, holding
    w["posts_badge"] = services.issue_badge(holding, number="M-001", acting_user=street.user)
    w["posts_review"] = services.record_report(holding, year=today.year, reported_on=today, report="述职",
                                               acting_user=director.user)
    w["posts_complaint"] = services.record_complaint(holding=holding, received_on=today, text="态度",
                                                     acting_user=director.user)
    w["posts_mark"] = services.add_mark(community=a, year=today.year, points="1", reason="加分",
                                        acting_user=street.user)


N, D = 404, 403
opening = lambda w: [w["posts_opening"].pk]  # noqa: E731
holding = lambda w: [w["posts_holding"].pk]  # noqa: E731
badge = lambda w: [w["posts_badge"].pk]  # noqa: E731
review = lambda w: [w["posts_review"].pk]  # noqa: E731
complaint = lambda w: [w["posts_complaint"].pk]  # noqa: E731
year = lambda w: [w["a"].pk, timezone.localdate().year]  # noqa: E731
# posts are managed by the director, deputy director and party secretary (and the street office)
MANAGERS = roles(200, "deputy_a", "secretary_a")
manager = everyone(200, staff_a=D, staff_b=N, **MANAGERS)
street_only = everyone(D, street=200)

add("posts_home", everyone())
add("posts_opening_new", everyone(D, director_a=200, street=200, **MANAGERS))
add("posts_opening", everyone(200, staff_b=N), args=opening)
add("posts_nominate", everyone(200, staff_b=N), args=opening)
add("posts_announce", everyone(302, staff_b=N), method="post", args=opening)
add("posts_decide", manager, args=opening)
add("posts_holding", everyone(200, staff_b=N), args=holding)
add("posts_holding_end", manager, args=holding)
add("posts_training_new", manager, args=holding)
add("posts_letter", manager, args=holding)
add("posts_letter_file", everyone(200, staff_b=N), args=holding)
add("posts_letters", everyone())
add("posts_review_new", manager, args=holding)
add("posts_review", everyone(200, staff_b=N), args=review)
add("posts_review_grade", everyone(302, staff_b=N), method="post", args=review, data=lambda w: {"grade": "competent"})
add("posts_review_file", everyone(N), args=review, note="no file: 404 for everybody")
add("posts_badge_new", street_only, args=holding)
add("posts_badges", everyone())
add("posts_badge", everyone(200, staff_b=N), args=badge)
add("posts_badge_change", street_only, args=badge)
add("posts_badge_lost", street_only, args=badge)
add("posts_badge_return", everyone(D, street=302), method="post", args=badge)
add("posts_inspections", everyone())
add("posts_inspection_new", everyone(D, discipline=200), note="only the street office's discipline inspection (纪检)")
add("posts_complaints", everyone())
add("posts_complaint", everyone(200, staff_b=N), args=complaint)
add("posts_complaint_new", everyone(200, staff_b=N), args=holding)
add("posts_complaint_follow", everyone(302, staff_b=N), method="post", args=complaint,
    data=lambda w: {"reason": "已处理"})
add("posts_sheet", everyone())
add("posts_sheet", everyone(D, street=200), method="post", data=lambda w: {"attendance.full": "1"},
    note="weights not adding up: the form again")
add("posts_compare", street_only)
add("posts_evaluation", everyone(200, staff_b=N), args=year)
add("posts_evaluation_pdf", everyone(200, staff_b=N), args=year)
add("posts_mark_new", everyone(D, street=302), method="post", args=year,
    data=lambda w: {"points": "2", "reason": "创新"})
add("posts_evaluation_close", everyone(D, street=302), method="post", args=year)
add("posts_mark_void", everyone(D, street=302), method="post", args=lambda w: [w["posts_mark"].pk],
    data=lambda w: {"reason": "录错"})

__all__ = ["LOGIN"]
