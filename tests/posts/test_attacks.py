"""The attack checklist of STYLE.md on the posts pages: another community's ids, huge numbers, control
characters, formulas, far years, a leaver, an HTML file named .pdf — a clear message or 404, never a 500,
nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee.models import RoleAssignment
from posts.models import Badge, Holding, Mark, Training
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_huge_numbers_answer_a_message(holding_a, director_a, supervisor, community_a):
    r = login(director_a).post(reverse("posts_training_new", args=[holding_a.pk]),
                               {"date": timezone.localdate().isoformat(), "subject": "培训", "hours": "1e400",
                                "phase": "during"})
    assert r.status_code == 200 and not Training.objects.exists()
    client = login(supervisor)
    r = client.post(reverse("posts_mark_new", args=[community_a.pk, YEAR]), {"points": "1e400", "reason": "x"})
    assert r.status_code == 302 and not Mark.objects.exists()
    badge = client.post(reverse("posts_badge_new", args=[holding_a.pk]), {"number": "Z-1"})
    assert badge.status_code == 302
    r = client.post(reverse("posts_badge_lost", args=[Badge.objects.get().pk]), {"number": "Z-2", "fee": "1e400"})
    assert r.status_code == 200 and Badge.objects.count() == 1
    r = client.post(reverse("posts_sheet"), {"attendance.full": "1e400"})
    assert r.status_code == 200


def test_control_characters_are_refused_and_formulas_kept_as_text(holding_a, director_a):
    client = login(director_a)
    r = client.post(reverse("posts_complaint_new", args=[holding_a.pk]),
                    {"received_on": timezone.localdate().isoformat(), "text": "坏\x07字"})
    assert r.status_code == 200 and not holding_a.complaints.exists()
    r = client.post(reverse("posts_complaint_new", args=[holding_a.pk]),
                    {"received_on": timezone.localdate().isoformat(), "text": "=1+1 <script>alert(1)</script>"})
    assert r.status_code == 302
    page = client.get(r.url).content.decode()
    assert "<script>alert(1)</script>" not in page and "=1+1" in page


def test_another_communitys_staff_cannot_be_made_holder(community_a, community_b, staff_a, director_a, decision_a,
                                                        staff_b):
    from posts import services
    from posts.models import Post

    opening = services.publish(community=community_a, post=Post.objects.get(key="civility"), year=YEAR, places=2,
                               duties="x", acting_user=director_a.user)
    r = login(director_a).post(reverse("posts_nominate", args=[opening.pk]),
                               {"kind": "recommended", "staff": staff_b.pk, "recommended_by": "代表"})
    assert r.status_code == 200 and not opening.nominations.exists()
    services.nominate(opening, staff=staff_a, kind="self", acting_user=staff_a.user)
    services.announce(opening, acting_user=director_a.user)
    r = login(director_a).post(reverse("posts_decide", args=[opening.pk]),
                               {"decision": decision_a.pk, "holders": [staff_b.pk],
                                "start": timezone.localdate().isoformat()})
    assert r.status_code == 200 and not Holding.objects.exists()


def test_a_director_whose_role_ended_cannot_manage(holding_a, director_a):
    RoleAssignment.objects.filter(staff=director_a).update(end=timezone.localdate() - dt.timedelta(days=1))
    r = login(director_a).get(reverse("posts_training_new", args=[holding_a.pk]))
    assert r.status_code in (302, 403)


def test_an_html_page_named_pdf_is_refused_as_letter(holding_a, director_a):
    r = login(director_a).post(reverse("posts_letter", args=[holding_a.pk]),
                               {"file": SimpleUploadedFile("letter.pdf", b"<html><script>x</script></html>"),
                                "signed_on": timezone.localdate().isoformat()})
    assert r.status_code == 200
    holding_a.refresh_from_db()
    assert not holding_a.letter


def test_far_years_and_days(community_a, supervisor, holding_a, director_a):
    client = login(supervisor)
    assert client.get(reverse("posts_compare") + "?year=99999").status_code == 200
    assert client.get(reverse("posts_compare") + "?year=abc").status_code == 200
    assert client.get(reverse("posts_evaluation", args=[community_a.pk, 1])).status_code == 404
    r = login(director_a).post(reverse("posts_training_new", args=[holding_a.pk]),
                               {"date": "0001-01-01", "subject": "x", "hours": "1", "phase": "during"})
    assert r.status_code == 200 and not Training.objects.exists()


def test_the_grade_is_not_given_twice_nor_by_a_second_person(holding_a, director_a, supervisor, street):
    from posts import services

    review = services.record_report(holding_a, year=YEAR, reported_on=timezone.localdate(), report="述职",
                                    acting_user=director_a.user)
    services.grade(review, grade="competent", acting_user=supervisor.user)
    other = f.staff(street, "另一位部门负责人", ["department_head"])
    login(other).post(reverse("posts_review_grade", args=[review.pk]), {"grade": "excellent"})
    review.refresh_from_db()
    assert review.grade == "competent" and review.graded_by == supervisor
