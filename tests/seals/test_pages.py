"""The seal pages: the certificate PDF (text, fonts, QR code), the public verification page, the register
exports, and bad input answered with a message that saves nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from committee import approvals
from seals import services
from seals.models import Certificate, SealUse
from tests.conftest import badge_matches_inbox, login
from tests.seals.conftest import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(seal_a, staff_a, director_a, custodian_a, resident_a, community_a):
    cert = services.request_certificate(community=community_a, person=resident_a, kind="residence", purpose="办理入学",
                                        acting_user=staff_a.user)
    approve_all(cert.use, director_a)
    services.stamp(cert.use, acting_user=custodian_a.user)
    cert.refresh_from_db()
    return cert


def _embedded_fonts(reader):
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for desc in font.get_object().get("/DescendantFonts", []):
                d = desc.get_object().get("/FontDescriptor")
                if d is not None and ("/FontFile2" in d or "/FontFile3" in d):
                    found.add(str(desc.get_object()["/BaseFont"]))
    return found


def test_seal_5_certificate_pdf_text_fonts_rare_character_and_qr_code(issued, staff_a):
    response = login(staff_a).get(reverse("seals_certificate_pdf", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "居住证明" in text and issued.number in text and "办理入学" in text
    assert "王䶮" in text  # a rare character (U+4DAE) prints
    assert "副本" not in text
    assert any("CJK" in name for name in _embedded_fonts(reader))
    images = [img.image for page in reader.pages for img in page.images]
    decoded = [r.text for img in images for r in zxingcpp.read_barcodes(img)]
    url = "http://testserver" + reverse("seals_verify_code", args=[issued.code])
    assert decoded == [url]
    # a reprint is marked as a copy
    again = login(staff_a).get(reverse("seals_certificate_pdf", args=[issued.pk]))
    assert "副本" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(again.content)).pages)


def test_the_qr_code_points_at_the_public_address_when_one_is_set(issued, staff_a, settings):
    settings.SEALS_VERIFY_BASE_URL = "https://office.example.org/"
    response = login(staff_a).get(reverse("seals_certificate_pdf", args=[issued.pk]))
    images = [img.image for page in PdfReader(io.BytesIO(response.content)).pages for img in page.images]
    decoded = [r.text for img in images for r in zxingcpp.read_barcodes(img)]
    assert decoded == ["https://office.example.org" + reverse("seals_verify_code", args=[issued.code])]


def test_verification_page_valid_without_login_and_no_personal_data(issued, resident_a):
    response = Client().get(reverse("seals_verify_code", args=[issued.code]))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-state="valid"' in page
    assert "王*" in page and issued.community.committee_name in page
    for secret in (resident_a.name, resident_a.id_number, issued.purpose, issued.number):
        assert secret not in page


def test_verification_page_voided(issued, director_a):
    services.void_certificate(issued, reason="信息有误", acting_user=director_a.user)
    page = Client().get(reverse("seals_verify_code", args=[issued.code])).content.decode()
    assert 'data-state="voided"' in page and "信息有误" not in page


@pytest.mark.parametrize("code", ["NOPE", "ZZZZZZZZZZZZ", "<script>", "x" * 40])
def test_verification_page_unknown_code_is_a_normal_page(db, code):
    response = Client().get(reverse("seals_verify") + "?code=" + code)
    assert response.status_code == 200 and 'data-state="unknown"' in response.content.decode()


def test_ctl_8_verification_page_with_a_nul_in_the_code_names_the_field(db):
    response = Client().get(reverse("seals_verify") + "?code=AB%00CD")
    page = response.content.decode()
    assert response.status_code == 400 and "code" in page and "U+0000" in page and "data-state" not in page


def test_verification_page_is_throttled_per_address(issued, settings):
    settings.SEALS_VERIFY_THROTTLE = (3, 600)
    client = Client()
    url = reverse("seals_verify_code", args=[issued.code])
    assert [client.get(url).status_code for _i in range(4)] == [200, 200, 200, 429]
    page = client.get(url).content.decode()
    assert "data-state" not in page  # a throttled request learns nothing
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(url).status_code == 200


def test_another_communitys_certificate_is_404(issued, staff_b):
    client = login(staff_b)
    for name in ("seals_certificate", "seals_certificate_pdf"):
        assert client.get(reverse(name, args=[issued.pk])).status_code == 404


def test_certificate_for_another_communitys_resident_is_refused_with_a_message(seal_a, staff_a, resident_b):
    response = login(staff_a).post(reverse("seals_certificate_new"),
                                   {"person": resident_b.pk, "kind": "residence", "purpose": "x"}, follow=True)
    assert "SEAL-3" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_request_page_walks_from_search_to_registration(seal_a, staff_a, resident_a):
    client = login(staff_a)
    page = client.get(reverse("seals_certificate_new") + "?q=王").content.decode()
    assert f"?person={resident_a.pk}" in page
    response = client.post(reverse("seals_certificate_new"), {"person": resident_a.pk, "kind": "residence",
                                                              "purpose": "入学"})
    cert = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == cert.get_absolute_url()
    assert cert.use.status == SealUse.Status.PENDING


def test_stamping_by_someone_else_is_refused_with_a_message(seal_a, staff_a, director_a):
    use = services.request_use(seal=seal_a, use_kind="notice", matter="通知", acting_user=staff_a.user)
    approve_all(use, director_a)
    response = login(director_a).post(reverse("seals_use_stamp", args=[use.pk]), follow=True)
    assert "SEAL-1" in response.content.decode()
    use.refresh_from_db()
    assert use.status == SealUse.Status.APPROVED


def test_seal_9_register_excel_neutralises_formulas_and_filters(seal_a, staff_a, director_a):
    services.request_use(seal=seal_a, use_kind="notice", matter="=HYPERLINK(1)", acting_user=staff_a.user)
    services.request_use(seal=seal_a, use_kind="statistics", matter="统计报表", acting_user=staff_a.user)
    client = login(director_a)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("seals_register_xlsx") + "?use_kind=notice").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == "'=HYPERLINK(1)"
    pdf = client.get(reverse("seals_register_pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "印章使用登记簿" in text and "统计报表" in text


def test_seal_9_register_page_finds_an_entry_by_its_number(seal_a, staff_a, director_a, django_assert_max_num_queries):
    uses = [services.request_use(seal=seal_a, use_kind="notice", matter=f"通知{i}", acting_user=staff_a.user)
            for i in range(5)]
    client = login(director_a)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("seals_register") + "?q=" + uses[2].number).content.decode()
    assert "通知2" in page and "通知3" not in page


def test_seal_8_notice_pdf_has_a_verification_code(seal_a, custodian_a, supervisor):
    import datetime as dt

    from django.utils import timezone

    services.report_loss(seal_a, circumstances="遗失", acting_user=custodian_a.user)
    today = timezone.localdate()
    notice = services.record_notice(seal_a, posted_from=today, posted_until=today + dt.timedelta(days=29),
                                    acting_user=supervisor.user)
    pdf = login(supervisor).get(reverse("seals_notice_pdf", args=[notice.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "公" in text and "作废" in text
    assert services.verify(notice.code)["state"] == "valid"


def test_the_inbox_shows_the_custodian_what_to_stamp(seal_a, staff_a, director_a, custodian_a):
    use = services.request_use(seal=seal_a, use_kind="notice", matter="停水通知", acting_user=staff_a.user)
    assert approvals.waiting_for(director_a.user).count() == 1
    approve_all(use, director_a)
    from committee import inbox

    titles = [t.title for t in inbox.tasks_for(custodian_a.user)]
    assert any(use.number in t for t in titles)
    assert not [t for t in inbox.tasks_for(director_a.user) if use.number in t.title]
    assert badge_matches_inbox(custodian_a.user) == 1


def test_seal_8_the_loss_page_asks_first_and_refuses_a_missing_reason(seal_a, custodian_a):
    client = login(custodian_a)
    page = client.get(reverse("seals_seal", args=[seal_a.pk])).content.decode()
    assert 'data-dialog="dlg-loss"' in page and 'name="reason"' in page
    response = client.post(reverse("seals_seal_loss", args=[seal_a.pk]), {"reason": ""}, follow=True)
    assert "SEAL-8" in response.content.decode()
    seal_a.refresh_from_db()
    assert seal_a.status == "in_use" and seal_a.void_from is None
    client.post(reverse("seals_seal_loss", args=[seal_a.pk]), {"reason": "搬家时遗失"})
    seal_a.refresh_from_db()
    assert seal_a.status == "lost" and seal_a.void_from is not None


def test_attendance_sheet_seal_reference_links_to_the_register_entry(seal_a, staff_a, director_a, community_a):
    import datetime as dt

    import time_machine

    from attendance import services as att
    from committee.models import Role
    from tests import factories as f

    keeper = f.staff(community_a, "考勤员", [Role.ATTENDANCE_KEEPER])
    with time_machine.travel(dt.datetime(2026, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        entry = services.register_use(community=community_a, matter="3月考勤表报街道", acting_user=keeper.user)
        att.mark_sheet_sent(community=community_a, year=2026, month=3, sent_on=dt.date(2026, 4, 8),
                            seal_reference=entry.number, acting_user=keeper.user)
        page = login(director_a).get("/attendance/month/2026/3/").content.decode()
    entry.refresh_from_db()
    assert entry.source.month == 3  # ATT-9: the entry given by its number is linked to the sheet
    assert f'href="{entry.get_absolute_url()}"' in page
    register = login(director_a).get(reverse("seals_register") + "?q=" + entry.number).content.decode()
    assert entry.get_absolute_url() in register


def test_seal_5_the_certificate_prints_in_simplified_chinese_for_an_english_reader_the_register_in_english(
        issued, staff_a, director_a):
    from django.conf import settings

    client = login(staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(reverse("seals_certificate_pdf", args=[issued.pk])).content)).pages)
    assert "用途：办理入学" in text and "核验码" in text and "本证明有效期至" in text
    assert "Purpose" not in text and "Verification" not in text and "Seal here" not in text
    register = client.get(reverse("seals_register_pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(register.content)).pages)
    assert "Seal register" in text and "For the residents' meeting" in text and "印章使用登记簿" not in text
    assert "SEAL-" not in text  # printed papers carry no rule ids
    zh = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        login(director_a).get(reverse("seals_register_pdf")).content)).pages)
    assert "印章使用登记簿" in zh and "供社区居民会议监督" in zh and "SEAL-" not in zh
