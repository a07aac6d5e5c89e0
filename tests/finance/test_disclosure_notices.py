"""The finance chapter's notices through the disclosure app, end to end (FIN-10, FIN-7, DIS-3, DIS-4): composed,
approved by the director, issued; the issued notice's frozen figures are the finance service's quarterly
figures, the printed PDF shows them, and a later change in the books leaves the issued notice as it was."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from disclosure import services as dis
from disclosure.models import Notice
from finance import services
from tests.disclosure.conftest import approve
from tests.finance.test_disclosure_composers import after_q2, assert_same, books, paid  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _issued(community, drafter, director, composer, subject):
    notice = dis.compose(community=community, composer_key=composer, subject=subject, acting_user=drafter.user)
    dis.submit(notice, acting_user=drafter.user)
    approve(notice, director)
    today = timezone.localdate()
    return dis.issue(notice, posted_from=today, posted_until=today + dt.timedelta(days=14), acting_user=drafter.user,
                     base_url="http://testserver")


def _pdf_text(notice):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(dis.stored_pdf(notice))).pages)


def test_fin_10_an_issued_quarter_notice_holds_the_finance_quarter_figures(
        books, community_a, staff_a, director_a, after_q2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = _issued(community_a, staff_a, director_a, "finance.quarter", "2026-Q2")
    assert notice.status == Notice.Status.ISSUED and notice.pdf_sha256
    with translation.override("zh-hans"):
        expected = services.quarter_figures(community_a, 2026, 2)
    frozen = json.loads(json.dumps(notice.figures))
    frozen.pop("community")
    assert_same(frozen, {k: v for k, v in expected.items() if k != "community"})  # DIS-4: from the service
    text = _pdf_text(notice)
    assert f"{expected['totals']['spent']:,.2f}" in text and "特此公告" in text
    # A payment entered later for the same quarter changes the books, never the issued notice (DIS-3).
    paid(books["water"], staff_a, "10.00", dt.date(2026, 6, 1))
    notice.refresh_from_db()
    assert_same(json.loads(json.dumps(notice.figures))["totals"], expected["totals"])
    assert _pdf_text(notice) == text


def test_fin_7_an_issued_self_managed_notice_names_no_payer(books, community_a, staff_a, director_a, after_q2,
                                                            settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = _issued(community_a, staff_a, director_a, "finance.self_managed", "2026-Q2")
    text = _pdf_text(notice)
    assert "1,409.50" in text  # the cleaning fees received in the quarter
    for payer in ("王大妈", "李四", "废品站"):  # DIS-5: payers are not named on the board
        assert payer not in text
