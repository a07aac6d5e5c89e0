"""The posts pages: the main flow through the views, bad input keeps what was typed and saves nothing, another
community's ids answer 404, list pages take a fixed number of queries, the evaluation PDF (text, fonts)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from posts import services
from posts.models import Badge, Holding, ItemWeight, Opening, Post, Review
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _embedded_fonts(reader):
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for desc in font.get_object().get("/DescendantFonts", []):
                d = desc.get_object().get("/FontDescriptor")
                if d is not None and ("/FontFile2" in d or "/FontFile3" in d):
                    found.add(str(desc.get_object()["/BaseFont"]))
    return found


def test_post_2_publish_nominate_announce_decide_through_the_pages(community_a, staff_a, director_a, decision_a):
    client = login(director_a)
    post = Post.objects.get(key="public_order")
    r = client.post(reverse("posts_opening_new"), {"post": post.pk, "year": YEAR, "places": 1, "duties": "治安巡逻"})
    opening = Opening.objects.get()
    assert r.status_code == 302 and r.url == opening.get_absolute_url()
    r = login(staff_a).post(reverse("posts_nominate", args=[opening.pk]),
                            {"kind": "self", "staff": staff_a.pk, "statement": "愿意"})
    assert r.status_code == 302
    client.post(reverse("posts_announce", args=[opening.pk]))
    page = client.get(reverse("posts_decide", args=[opening.pk])).content.decode()
    assert decision_a.title in page
    r = client.post(reverse("posts_decide", args=[opening.pk]),
                    {"decision": decision_a.pk, "holders": [staff_a.pk], "start": timezone.localdate().isoformat()})
    assert r.status_code == 302
    holding = Holding.objects.get()
    assert holding.staff == staff_a and holding.opening == opening
    home = client.get(reverse("posts_home")).content.decode()
    assert staff_a.name in home and "未签责任书" in home


def test_post_4_a_grade_outside_the_four_through_the_page_saves_nothing(holding_a, director_a, supervisor):
    review = services.record_report(holding_a, year=YEAR, reported_on=timezone.localdate(), report="述职",
                                    acting_user=director_a.user)
    r = login(supervisor).post(reverse("posts_review_grade", args=[review.pk]), {"grade": "满分"}, follow=True)
    assert "四个等次" in r.content.decode()
    assert Review.objects.get().grade == ""


def test_post_5_a_second_badge_number_keeps_what_was_typed(holding_a, supervisor, community_a, staff_a):
    services.issue_badge(holding_a, number="A-001", acting_user=supervisor.user)
    other = Holding.objects.create(community=community_a, post=Post.objects.get(key="civility"),
                                   staff=f.staff(community_a, "另一人", []), start=timezone.localdate())
    r = login(supervisor).post(reverse("posts_badge_new", args=[other.pk]), {"number": "A-001"})
    page = r.content.decode()
    assert r.status_code == 200 and "已被使用" in page and 'value="A-001"' in page
    assert Badge.objects.count() == 1


def test_post_5_a_badge_issued_by_a_community_user_is_refused(holding_a, director_a):
    r = login(director_a).post(reverse("posts_badge_new", args=[holding_a.pk]), {"number": "A-001"})
    assert r.status_code == 403 and not Badge.objects.exists()


def test_post_6_weights_not_adding_up_keep_the_form_and_save_nothing(supervisor):
    from posts import evaluation

    data = {i.key: str(i.default_weight) for i in evaluation.items()}
    data["attendance.full"] = "30"
    r = login(supervisor).post(reverse("posts_sheet"), data)
    page = r.content.decode()
    assert r.status_code == 200 and "合计" in page and 'value="30"' in page
    assert not ItemWeight.objects.exists()


def test_another_communitys_records_answer_404(holding_a, staff_b, community_a):
    client = login(staff_b)
    for name, args in (("posts_holding", [holding_a.pk]), ("posts_evaluation", [community_a.pk, YEAR]),
                       ("posts_evaluation_pdf", [community_a.pk, YEAR])):
        assert client.get(reverse(name, args=args)).status_code == 404


def test_ctl_8_a_far_year_answers_404(community_a, staff_a):
    assert login(staff_a).get(reverse("posts_evaluation", args=[community_a.pk, 99999])).status_code == 404


def test_post_6_evaluation_page_links_figures_to_their_records(community_a, staff_a):
    page = login(staff_a).get(reverse("posts_evaluation", args=[community_a.pk, YEAR])).content.decode()
    assert reverse("meetings_home") in page and reverse("finance_home") in page
    assert "暂无数据" in page and "评优资格" in page


def test_post_6_evaluation_pdf_text_and_fonts(community_a, staff_a, supervisor):
    services.add_mark(community=community_a, year=YEAR, points="3", reason="创新工作", acting_user=supervisor.user)
    r = login(staff_a).get(reverse("posts_evaluation_pdf", args=[community_a.pk, YEAR]))
    assert r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "目标管理责任考评" in text and community_a.name in text and "创新工作" in text
    assert any("CJK" in name for name in _embedded_fonts(reader))


def test_post_6_compare_page_for_the_street_office(community_a, community_b, supervisor):
    page = login(supervisor).get(reverse("posts_compare")).content.decode()
    assert community_a.name in page and community_b.name in page


def test_badges_list_takes_a_fixed_number_of_queries(holding_a, supervisor, community_a, director_a,
                                                     django_assert_max_num_queries):
    services.issue_badge(holding_a, number="A-001", acting_user=supervisor.user)
    client = login(director_a)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("posts_badges"))
    for i in range(6):
        h = Holding.objects.create(community=community_a, post=Post.objects.get(key="civility"),
                                   staff=f.staff(community_a, f"人{i}", []), start=timezone.localdate())
        services.issue_badge(h, number=f"B-{i}", acting_user=supervisor.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("posts_badges"))
    with django_assert_max_num_queries(25) as home:
        client.get(reverse("posts_home"))
    assert len(home.captured_queries) <= 25
