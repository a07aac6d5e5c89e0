"""The seal pages tried as an attacker (STYLE.md): another community's ids, a second step by the same person,
an .html upload named .pdf, formulas and control characters, far dates, a user whose role ended. Each gets a
clear message or a 404, never a 500, and changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee import approvals
from committee.models import Role, RoleAssignment
from seals import services
from seals.models import Certificate, Handover, Seal, SealUse
from tests import factories as f
from tests.conftest import login
from tests.seals.conftest import approve_all

pytestmark = pytest.mark.django_db


def _use(seal, staff, **kw):
    kw.setdefault("use_kind", "notice")
    kw.setdefault("matter", "停水通知")
    return services.request_use(seal=seal, acting_user=staff.user, **kw)


# --- another community's ids -------------------------------------------------------------------------------


def test_another_communitys_staff_cannot_open_or_act_on_a_use(seal_a, staff_a, director_a, staff_b, director_b,
                                                               community_b):
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    custodian_b = f.staff(community_b, "乙保管", [Role.SEAL_CUSTODIAN])
    for who in (staff_b, director_b, custodian_b):
        c = login(who)
        assert c.get(reverse("seals_use", args=[use.pk])).status_code == 404
        for name in ("seals_use_stamp", "seals_use_withdraw", "seals_use_void"):
            assert c.post(reverse(name, args=[use.pk]), {"reason": "x"}).status_code == 404
        assert c.get(reverse("seals_seal", args=[seal_a.pk])).status_code == 404
        assert c.post(reverse("seals_seal_loss", args=[seal_a.pk]), {"reason": "丢了"}).status_code == 404
    use.refresh_from_db()
    seal_a.refresh_from_db()
    assert use.status == SealUse.Status.APPROVED and seal_a.status == Seal.Status.IN_USE


def test_another_communitys_seal_or_decision_posted_in_the_use_form_is_refused(seal_a, staff_b, community_b):
    c = login(staff_b)
    r = c.post(reverse("seals_use_new"), {"seal": seal_a.pk, "use_kind": "notice", "matter": "冒用", "copies": 1})
    assert r.status_code == 200 and not SealUse.objects.exists()


def test_a_certificate_for_another_communitys_resident_is_refused(seal_a, staff_a, resident_b):
    c = login(staff_a)
    r = c.post(reverse("seals_certificate_new") + f"?person={resident_b.pk}",
               {"person": resident_b.pk, "kind": "residence", "purpose": "入学"}, follow=True)
    assert r.status_code == 200 and not Certificate.objects.exists() and not SealUse.objects.exists()
    with pytest.raises(ValidationError, match="SEAL-3"):
        services.request_certificate(community=seal_a.community, person=resident_b, kind="residence", purpose="入学",
                                     acting_user=staff_a.user)


def test_a_use_of_another_communitys_seal_is_refused_by_the_service(seal_a, staff_b):
    with pytest.raises(ValidationError, match="SEAL-2"):
        _use(seal_a, staff_b)
    assert not SealUse.objects.exists()


# --- a second step by the same person ---------------------------------------------------------------------


def test_ctl_2_one_person_holding_both_street_roles_decides_one_step_only(seal_a, director_a, street):
    both = f.staff(street, "街道双职", [Role.DEPARTMENT_HEAD, Role.STREET_LEADER])
    use = _use(seal_a, director_a, use_kind="outside", matter="为企业出具证明")  # the director's own: two street steps
    steps = list(approvals.steps_for(use).order_by("step"))
    assert [s.role_required for s in steps] == [Role.DEPARTMENT_HEAD, Role.STREET_LEADER]
    approvals.decide(steps[0].pk, acting_user=both.user, approve=True)
    with pytest.raises(ValidationError, match="CTL-2"):
        approvals.decide(steps[1].pk, acting_user=both.user, approve=True)
    use.refresh_from_db()
    assert use.status == SealUse.Status.PENDING


def test_a_use_is_stamped_once(seal_a, staff_a, director_a, custodian_a):
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    services.stamp(use, acting_user=custodian_a.user)
    first = SealUse.objects.get(pk=use.pk).stamped_at
    r = login(custodian_a).post(reverse("seals_use_stamp", args=[use.pk]), follow=True)
    assert r.status_code == 200
    assert SealUse.objects.get(pk=use.pk).stamped_at == first


def test_seal_6_the_handover_is_not_received_by_who_handed_it_over(seal_a, custodian_a, director_a, community_a):
    new = f.staff(community_a, "新保管", [Role.SEAL_CUSTODIAN])
    h = services.start_handover(seal=seal_a, took_office_on=dt.date(2026, 9, 29), new_custodian=new,
                                acting_user=director_a.user)
    services.hand_over(h, acting_user=custodian_a.user)
    with pytest.raises(ValidationError):
        services.receive(h, acting_user=custodian_a.user)
    assert Handover.objects.get(pk=h.pk).received_at is None


# --- an .html upload named .pdf ----------------------------------------------------------------------------


def test_ctl_7_an_html_file_named_pdf_is_refused_as_the_document(seal_a, staff_a):
    bad = SimpleUploadedFile("用印文件.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    r = login(staff_a).post(reverse("seals_use_new"), {"seal": seal_a.pk, "use_kind": "notice", "matter": "通知",
                                                       "copies": 1, "document": bad})
    assert r.status_code == 200 and not SealUse.objects.exists()


# --- formulas, scripts, control characters, huge numbers --------------------------------------------------


@pytest.mark.parametrize("field,value", [
    ("matter", "停水\x07通知"), ("address", "1号楼\x1b"), ("copies", "1e400"), ("copies", "-1"), ("copies", "1000"),
])
def test_ctl_8_bad_input_in_the_use_form_saves_nothing(seal_a, staff_a, field, value):
    data = {"seal": seal_a.pk, "use_kind": "notice", "matter": "通知", "copies": 1, field: value}
    r = login(staff_a).post(reverse("seals_use_new"), data)
    assert r.status_code == 200 and not SealUse.objects.exists()


def test_ctl_8_a_formula_or_script_matter_is_kept_as_text_and_neutralised_in_excel(seal_a, staff_a, director_a):
    _use(seal_a, staff_a, matter="=1+1")
    _use(seal_a, staff_a, matter="<script>alert(1)</script>")
    c = login(director_a)
    page = c.get(reverse("seals_register")).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    book = openpyxl.load_workbook(io.BytesIO(c.get(reverse("seals_register_xlsx")).content))
    cells = [cell.value for row in book.active.iter_rows() for cell in row]
    assert "=1+1" not in cells and any(str(v).endswith("=1+1") for v in cells if v)


@pytest.mark.parametrize("field,value,status", [("purpose", "入学\x00", 400), ("purpose", "x" * 201, 200)])
def test_ctl_8_bad_certificate_purpose_saves_nothing(seal_a, staff_a, resident_a, field, value, status):
    """A NUL is refused before the view (400 naming the field, committee.middleware); a too-long text by the form."""
    r = login(staff_a).post(reverse("seals_certificate_new") + f"?person={resident_a.pk}",
                            {"person": resident_a.pk, "kind": "residence", field: value})
    assert r.status_code == status and not Certificate.objects.exists()
    if status == 400:
        assert field in r.content.decode()


def test_ctl_8_a_template_with_a_huge_validity_or_a_control_character_is_refused(seal_a, supervisor, street):
    c = login(supervisor)
    for data in ({"title": "居住证明", "body": "兹证明{name}", "validity_days": "1e400"},
                 {"title": "居住证明", "body": "兹证明{name}\x07", "validity_days": 90},
                 {"title": "居住证明\x1b", "body": "兹证明{name}", "validity_days": 90}):
        r = c.post(reverse("seals_template_edit", args=["residence"]), data)
        assert r.status_code == 200
    from seals.models import CertificateTemplate

    assert not CertificateTemplate.objects.exists()


def test_seal_5_a_python_format_string_in_a_template_prints_as_typed(seal_a, staff_a, director_a, custodian_a,
                                                                     resident_a, supervisor, street):
    services.save_template(street_office=street, kind="residence", title="居住证明",
                           body="兹证明{name}{name.__class__}{0}{__import__}", validity_days=90,
                           acting_user=supervisor.user)
    cert = services.request_certificate(community=seal_a.community, person=resident_a, kind="residence",
                                        purpose="入学", acting_user=staff_a.user)
    assert cert.body == "兹证明王䶮{name.__class__}{0}{__import__}"


# --- far dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["?start=0001-01-01&end=99999-12-31", "?start=9999-12-31", "?end=0001-01-01",
                                   "?start=2026-13-45", "?seal=999999999999999999999", "?use_kind=<script>",
                                   "?q=%01"])
def test_far_or_broken_register_filters_answer_a_page(seal_a, staff_a, director_a, query):
    _use(seal_a, staff_a)
    c = login(director_a)
    assert c.get(reverse("seals_register") + query).status_code == 200
    assert c.get(reverse("seals_register_pdf") + query).status_code == 200
    assert c.get(reverse("seals_register_xlsx") + query).status_code == 200


def test_ctl_8_a_nul_in_a_register_filter_answers_400(seal_a, director_a):
    for name in ("seals_register", "seals_register_pdf", "seals_register_xlsx"):
        assert login(director_a).get(reverse(name) + "?q=%00").status_code == 400


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_handover_with_a_far_date_is_refused(seal_a, director_a, community_a, day):
    new = f.staff(community_a, "新保管", [Role.SEAL_CUSTODIAN])
    r = login(director_a).post(reverse("seals_handover_new", args=[seal_a.pk]),
                               {"took_office_on": day, "new_custodian": new.pk})
    assert r.status_code in (200, 302) and not Handover.objects.exists()


@pytest.mark.parametrize("start,end", [("0001-01-01", "0001-03-01"), ("9999-01-01", "9999-12-31")])
def test_a_loss_notice_with_far_dates_is_refused(seal_a, custodian_a, supervisor, start, end):
    services.report_loss(seal_a, circumstances="遗失", acting_user=custodian_a.user)
    r = login(supervisor).post(reverse("seals_seal_notice", args=[seal_a.pk]),
                               {"posted_from": start, "posted_until": end})
    assert r.status_code in (200, 302)
    from seals.models import SealNotice

    assert not SealNotice.objects.exists()


def test_a_seal_issued_in_the_far_future_or_past_is_refused(community_a, custodian_a):
    from seals.forms import SealForm

    for day in ("0001-01-01", "9999-12-31", "99999-01-01"):
        form = SealForm({"kind": "committee", "name": "章", "place": "柜", "issued_on": day,
                         "custodian": custodian_a.pk}, community=community_a)
        assert not form.is_valid() and "issued_on" in form.errors


# --- a user whose role ended -------------------------------------------------------------------------------


def _end_roles(staff, role):
    RoleAssignment.objects.filter(staff=staff, role=role).update(end=dt.date.today() - dt.timedelta(days=1))


def test_seal_1_a_custodian_whose_role_ended_yesterday_cannot_stamp(seal_a, staff_a, director_a, custodian_a):
    use = _use(seal_a, staff_a)
    approve_all(use, director_a)
    _end_roles(custodian_a, Role.SEAL_CUSTODIAN)
    r = login(custodian_a).post(reverse("seals_use_stamp", args=[use.pk]), follow=True)
    assert r.status_code == 200
    assert SealUse.objects.get(pk=use.pk).status == SealUse.Status.APPROVED


def test_a_director_whose_role_ended_yesterday_cannot_approve_or_void(seal_a, staff_a, director_a):
    use = _use(seal_a, staff_a)
    _end_roles(director_a, Role.DIRECTOR)
    step = approvals.steps_for(use).get()
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    assert SealUse.objects.get(pk=use.pk).status == SealUse.Status.PENDING
    assert not services.may_manage(director_a.user, seal_a.community)


def test_a_custodian_whose_role_ended_is_not_offered_nor_accepted(seal_a, director_a, custodian_a, community_a):
    other = f.staff(community_a, "前保管", [Role.SEAL_CUSTODIAN])
    _end_roles(other, Role.SEAL_CUSTODIAN)
    with pytest.raises(ValidationError, match="SEAL-1"):
        services.set_custodian(seal_a, custodian=other, acting_user=director_a.user)
    assert Seal.objects.get(pk=seal_a.pk).custodian == custodian_a
