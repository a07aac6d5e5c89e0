"""ARC-7: the product's own records of a year are offered for filing in the right category, exactly those
that exist in the other chapters; one click files them as PDF/A frozen with their checksum; an offer filed
is not offered again."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from archives import services
from committee import approvals
from committee.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _offers(community, year):
    return sorted((s.key, o.key) for s, o in services.pending_offers(community, year))


@pytest.fixture
def product(community_a, community_b, director_a, staff_a, supervisor):
    """Records of last year and this year in meetings, attendance, finance and seals, in A and in B."""
    from attendance.models import MonthlySheet
    from finance import services as fin
    from meetings.models import Body, Meeting
    from seals import services as seals
    from seals.models import SealUse

    today = timezone.localdate()
    last = today.year - 1
    out = {"last": last, "this": today.year}
    body = Body.objects.create(street_office=community_a.street_office, community=community_a, kind="committee",
                               name="居委会")
    body_b = Body.objects.create(street_office=community_b.street_office, community=community_b, kind="committee",
                                 name="居委会")
    mk = lambda b, d, status: Meeting.objects.create(  # noqa: E731
        body=b, street_office=b.street_office, community=b.community, title="例会", date=d, status=status,
        minutes="会议纪要全文：讨论了年度计划。")
    out["minutes"] = mk(body, dt.date(last, 5, 6), Meeting.Status.CLOSED)
    mk(body, dt.date(last, 6, 6), Meeting.Status.SUBMITTED)  # not approved: not offered
    mk(body, dt.date(today.year, 1, 6), Meeting.Status.CLOSED)  # this year
    mk(body_b, dt.date(last, 5, 6), Meeting.Status.CLOSED)  # another community
    out["sheet"] = MonthlySheet.objects.create(community=community_a, year=last, month=11, sent_on=dt.date(last, 12, 3),
                                               sent_by=director_a)
    MonthlySheet.objects.create(community=community_b, year=last, month=11, sent_on=dt.date(last, 12, 3),
                                sent_by=director_a)
    out["audit"] = fin.record_audit(community=community_a, kind="periodic", done_on=dt.date(last, 7, 10),
                                    late_reason="补录", auditors="审计小组", findings="账目相符",
                                    period_start=dt.date(last, 1, 1), period_end=dt.date(last, 6, 30),
                                    acting_user=supervisor.user)
    custodian = f.staff(community_a, "保管员", [Role.SEAL_CUSTODIAN])
    seal = seals.create_seal(community=community_a, kind="committee", name="甲社区居民委员会", place="柜",
                             issued_on=dt.date(2024, 1, 1), custodian=custodian, acting_user=supervisor.user)
    use = seals.request_use(seal=seal, use_kind="notice", matter="通知", acting_user=staff_a.user)
    SealUse.objects.filter(pk=use.pk).update(year=last)  # a use of last year (the register of a finished year)
    person = f.person(community_a, "赵六")
    cert = seals.request_certificate(community=community_a, person=person, kind="residence", purpose="入学",
                                     acting_user=staff_a.user)
    approvals.decide(approvals.steps_for(cert.use).get().pk, acting_user=director_a.user, approve=True)
    seals.stamp(cert.use, acting_user=custodian.user)
    cert.refresh_from_db()
    out["cert"] = cert
    return out


def test_arc_7_offers_exactly_the_records_of_the_year_in_the_other_apps(product, community_a, community_b):
    last, this = product["last"], product["this"]
    assert _offers(community_a, last) == sorted([
        ("meetings.minutes", str(product["minutes"].pk)),
        ("attendance.sheet", str(product["sheet"].pk)),
        ("finance.audit", str(product["audit"].pk)),
        ("seals.register", str(last)),
    ])
    this_year = _offers(community_a, this)
    assert ("seals.certificate", str(product["cert"].pk)) in this_year
    assert not any(k == "seals.register" for k, _ in this_year)  # the register of a year not over yet
    assert [k for k, _ in this_year].count("meetings.minutes") == 1
    assert _offers(community_a, last - 5) == []


def test_arc_7_one_click_files_the_pdf_a_frozen_with_its_checksum_and_it_is_not_offered_again(
        product, community_a, archivist_a):
    last = product["last"]
    key = str(product["minutes"].pk)
    item = services.file_offer(community=community_a, year=last, source_key="meetings.minutes", offer_key=key, late_reason="年底补录",
                               acting_user=archivist_a.user)
    assert item.volume.category.key == "meetings" and item.volume.year == last
    assert item.medium == "electronic" and item.source == "meetings.minutes"
    stored = item.files.get()
    data = stored.file.read()
    assert stored.produced and hashlib.sha256(data).hexdigest() == stored.file_sha256
    reader = PdfReader(io.BytesIO(data))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and (b"<pdfaid:part>3</pdfaid:part>" in metadata or b'pdfaid:part="3"' in metadata)
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert "讨论了年度计划" in item.text  # the PDF's text, for the search
    assert ("meetings.minutes", key) not in _offers(community_a, last)
    with pytest.raises(ValidationError, match="ARC-7"):
        services.file_offer(community=community_a, year=last, source_key="meetings.minutes", offer_key=key, late_reason="年底补录",
                            acting_user=archivist_a.user)


@pytest.mark.parametrize("source", ["attendance.sheet", "finance.audit", "seals.register"])
def test_arc_7_each_source_files_in_its_category(product, community_a, archivist_a, source):
    last = product["last"]
    key = {"attendance.sheet": str(product["sheet"].pk), "finance.audit": str(product["audit"].pk),
           "seals.register": str(last)}[source]
    item = services.file_offer(community=community_a, year=last, source_key=source, offer_key=key, late_reason="年底补录",
                               acting_user=archivist_a.user)
    assert item.volume.category.key == {"attendance.sheet": "personnel", "finance.audit": "reports",
                                        "seals.register": "ledgers"}[source]
    assert item.files.get().file.read()[:5] == b"%PDF-"


def test_arc_7_a_certificate_is_filed_as_a_copy(product, community_a, archivist_a):
    item = services.file_offer(community=community_a, year=product["this"], source_key="seals.certificate",
                               offer_key=str(product["cert"].pk), acting_user=archivist_a.user)
    assert product["cert"].number in item.title and "赵六" in item.text


def test_arc_7_another_communitys_record_is_not_offered_to_file(product, community_b):
    b_archivist = f.staff(community_b, "乙档案员", [Role.ARCHIVIST])
    with pytest.raises(ValidationError, match="ARC-7"):
        services.file_offer(community=community_b, year=product["last"], source_key="meetings.minutes",
                            offer_key=str(product["minutes"].pk), acting_user=b_archivist.user)


def test_arc_2_the_year_cannot_be_recorded_as_filed_while_offers_wait(product, community_a, archivist_a):
    with pytest.raises(ValidationError, match="ARC-7"):
        services.record_year_filed(community=community_a, year=product["last"], acting_user=archivist_a.user)


def test_arc_7_an_issued_disclosure_notice_is_filed_as_its_stored_pdf_a_original(community_a, community_b,
                                                                              archivist_a, staff_a, director_a,
                                                                              staff_b):
    """DIS-3 + ARC-7: the notice printed once at issuing is PDF/A and is filed byte for byte (checksum kept);
    drafts, another community's notices and other years are not offered; a tampered original is refused."""
    from disclosure.models import Notice
    from tests.disclosure.conftest import approved_free_text, issued

    year = timezone.localdate().year
    notice = issued(community_a, staff_a, director_a, title="停水通知")
    approved_free_text(community_a, staff_a, director_a, title="未发布的通知")  # approved, not issued
    other = f.staff(community_b, "乙主任", roles=[Role.DIRECTOR])
    issued(community_b, staff_b, other, title="B社区通知")
    assert [o for o in _offers(community_a, year) if o[0] == "disclosure.notice"] == [("disclosure.notice",
                                                                                        str(notice.pk))]
    original = notice.pdf.open("rb").read()
    metadata = PdfReader(io.BytesIO(original)).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid" in metadata
    item = services.file_offer(community=community_a, year=year, source_key="disclosure.notice",
                               offer_key=str(notice.pk), acting_user=archivist_a.user)
    stored = item.files.get()
    assert item.volume.category.key == "ledgers" and stored.file.read() == original
    assert stored.file_sha256 == notice.pdf_sha256
    assert Notice.objects.filter(community=community_a, status=Notice.Status.ISSUED).count() == 1
