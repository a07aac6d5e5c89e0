"""The disclosure pages: the printed PDF (text, fonts, QR code, repeated table header), the public board
(no login, only this community's current notices, fixed queries), staff lists and forms."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from disclosure import services
from disclosure.models import Notice
from tests.conftest import login
from tests.disclosure.conftest import approve, approved_free_text, issued

pytestmark = pytest.mark.django_db


def _embedded_fonts(reader):
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                desc = desc.get_object()
                if "/FontFile2" in desc.get("/FontDescriptor", {}) or "/FontFile3" in desc.get("/FontDescriptor", {}):
                    found.add(str(desc["/BaseFont"]))
    return found


def _text(data):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_dis_3_pdf_text_fonts_page_numbers_and_qr_to_the_public_page(staff_a, director_a, community_a):
    n = issued(community_a, staff_a, director_a, title="关于停水的通知", body="本周六上午停水。")
    response = login(staff_a).get(reverse("disclosure_pdf", args=[n.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = _text(response.content)
    assert "关于停水的通知" in text and community_a.committee_name in text and "盖章处" in text
    assert "第 1 页 共 1 页" in text and "DIS-" not in text  # no rule ids on paper
    assert any("CJK" in name for name in _embedded_fonts(reader))
    decoded = [r.text for page in reader.pages for img in page.images for r in zxingcpp.read_barcodes(img.image)]
    assert decoded == ["http://testserver" + reverse("disclosure_board_notice", args=[community_a.code, n.code])]


def test_dis_3_the_qr_code_uses_the_public_base_url(staff_a, director_a, community_a, settings, client_a):
    settings.DISCLOSURE_PUBLIC_BASE_URL = "https://gongkai.example.cn"
    n = approved_free_text(community_a, staff_a, director_a)
    today = timezone.localdate()
    r = client_a.post(reverse("disclosure_issue", args=[n.pk]), {"posted_from": today.isoformat(),
                                                                 "posted_until": (today + dt.timedelta(days=9)).isoformat()})
    assert r.status_code == 302
    n.refresh_from_db()
    reader = PdfReader(io.BytesIO(n.pdf.read()))
    decoded = [r.text for page in reader.pages for img in page.images for r in zxingcpp.read_barcodes(img.image)]
    assert decoded == ["https://gongkai.example.cn" + n.public_url()]


def test_dis_3_a_long_table_repeats_its_header_on_every_page(staff_a, director_a, community_a, test_composer,
                                                             records):
    records["rows"] = [[f"支出项目{i:03d}", "10.00"] for i in range(120)]
    n = services.compose(community=community_a, composer_key=test_composer.key, subject="2026-Q3",
                         acting_user=staff_a.user)
    pdf = login(staff_a).get(reverse("disclosure_pdf", args=[n.pk])).content  # the draft preview
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    assert all("金额（元）" in p.extract_text() for p in pages[:-1])
    assert "草稿" in pages[0].extract_text()


def test_dis_3_issuing_page_keeps_the_input_after_a_refusal(staff_a, director_a, community_a, client_a):
    n = approved_free_text(community_a, staff_a, director_a)
    today = timezone.localdate()
    r = client_a.post(reverse("disclosure_issue", args=[n.pk]), {
        "posted_from": today.isoformat(), "posted_until": (today - dt.timedelta(days=2)).isoformat()})
    assert r.status_code == 200 and "张贴截止日期早于开始日期" in r.content.decode()
    assert (today - dt.timedelta(days=2)).isoformat() in r.content.decode()
    n.refresh_from_db()
    assert n.status == Notice.Status.APPROVED


def test_dis_5_the_free_text_form_refuses_an_id_and_keeps_the_text(staff_a, community_a, client_a):
    r = client_a.post(reverse("disclosure_new"), {"category": "other", "title": "公示",
                                                  "body": "户主身份证号110105194912310021"})
    assert r.status_code == 302
    n = Notice.objects.get()
    r = client_a.post(reverse("disclosure_submit", args=[n.pk]), follow=True)
    assert "身份证号" in r.content.decode() and "第1段" in r.content.decode()
    n.refresh_from_db()
    assert n.status == Notice.Status.DRAFT


def test_public_board_shows_only_current_issued_notices_of_that_community(
        staff_a, director_a, community_a, staff_b, director_b, community_b):
    posted = issued(community_a, staff_a, director_a, title="正在张贴")
    later = issued(community_a, staff_a, director_a, title="以后张贴", start=timezone.localdate() + dt.timedelta(days=3))
    down = issued(community_a, staff_a, director_a, title="已撤下")
    services.take_down(down, reason="错误", acting_user=director_a.user)
    approved_free_text(community_a, staff_a, director_a, title="仅批准")
    other = issued(community_b, staff_b, director_b, title="乙社区公告")
    anon = Client()
    page = anon.get(reverse("disclosure_board", args=[community_a.code]))
    body = page.content.decode()
    assert page.status_code == 200 and "正在张贴" in body
    assert "以后张贴" not in body and "已撤下" not in body and "仅批准" not in body and "乙社区公告" not in body
    assert page["Cache-Control"] == "no-store"
    assert anon.get(reverse("disclosure_board_notice", args=[community_a.code, posted.code])).status_code == 200
    assert anon.get(reverse("disclosure_board_pdf", args=[community_a.code, posted.code])).status_code == 200
    for n in (later, down):
        assert anon.get(reverse("disclosure_board_notice", args=[community_a.code, n.code])).status_code == 404
    # another community's notice under this community's board: 404
    assert anon.get(reverse("disclosure_board_notice", args=[community_a.code, other.code])).status_code == 404
    assert anon.get(reverse("disclosure_board_pdf", args=[community_a.code, other.code])).status_code == 404
    assert anon.get(reverse("disclosure_board", args=["no-such"])).status_code == 404


def test_an_expired_notice_leaves_the_public_board_and_stays_in_the_archive(staff_a, director_a, community_a,
                                                                           client_a):
    n = issued(community_a, staff_a, director_a, title="过期公告", days=1)
    Notice.objects.filter(pk=n.pk).update(posted_from=timezone.localdate() - dt.timedelta(days=10),
                                          posted_until=timezone.localdate() - dt.timedelta(days=3))
    assert "过期公告" not in Client().get(reverse("disclosure_board", args=[community_a.code])).content.decode()
    archive = client_a.get(reverse("disclosure_home") + "?tab=archive").content.decode()
    assert "过期公告" in archive and "已到期" in archive


def _many(community, drafter, approver, n):
    for i in range(n):
        issued(community, drafter, approver, title=f"公告{i}")


def test_public_board_and_staff_list_take_a_fixed_number_of_queries(staff_a, director_a, community_a, client_a,
                                                                   django_assert_max_num_queries):
    _many(community_a, staff_a, director_a, 3)
    anon = Client()
    url = reverse("disclosure_board", args=[community_a.code])
    with django_assert_max_num_queries(3) as few:
        anon.get(url)
    with django_assert_max_num_queries(30) as few_staff:
        client_a.get(reverse("disclosure_home"))
    _many(community_a, staff_a, director_a, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert anon.get(url).content.decode().count("公告") >= 30
    with django_assert_max_num_queries(len(few_staff.captured_queries)):
        client_a.get(reverse("disclosure_home"))


def test_compose_page_preselects_composer_and_subject(staff_a, community_a, client_a, test_composer):
    r = client_a.get(reverse("disclosure_compose") + f"?composer={test_composer.key}&subject=seal:1")
    assert r.status_code == 200 and 'value="seal:1" selected' in r.content.decode()
    r = client_a.post(reverse("disclosure_compose"), {"composer": test_composer.key, "subject": "2099-Q1"})
    assert r.status_code == 200 and "尚未结束" in r.content.decode()
    assert not Notice.objects.exists()
    r = client_a.post(reverse("disclosure_compose"), {"composer": test_composer.key, "subject": "2026-Q3"})
    assert r.status_code == 302 and Notice.objects.get().composer == test_composer.key


def test_another_communitys_notice_is_404_for_staff(staff_a, director_a, community_a, client_b):
    n = issued(community_a, staff_a, director_a)
    for name in ("disclosure_notice", "disclosure_pdf", "disclosure_issue"):
        assert client_b.get(reverse(name, args=[n.pk])).status_code == 404


def test_cadence_page_for_the_street_office_lists_every_community(client_street, community_a, community_b):
    body = client_street.get(reverse("disclosure_cadence")).content.decode()
    assert community_a.name in body and community_b.name in body and "逾期" in body


def test_the_street_office_edits_a_categorys_cadence(client_street, client_a):
    url = reverse("disclosure_category", args=["other"])
    assert client_a.get(url).status_code == 403
    assert client_street.post(url, {"cadence": "quarter"}).status_code == 302
    from disclosure.models import Category
    assert Category.objects.get(key="other").cadence == "quarter"
    assert Category.objects.get(key="other").history.first().history_type == "~"  # the change is on the history


def test_approve_through_the_detail_page(staff_a, director_a, community_a, client_director_a):
    n = services.create_free_text(community=community_a, category_key="other", title="通知", body="正文",
                                  acting_user=staff_a.user)
    services.submit(n, acting_user=staff_a.user)
    body = client_director_a.get(n.get_absolute_url()).content.decode()
    assert "value=\"approve\"" in body or "approve" in body
    approve(n, director_a)
    assert n.status == Notice.Status.APPROVED
