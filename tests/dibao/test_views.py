"""Access (403 / 404), access records for every detail view and export, masked ID numbers, forms keep
their input, fixed query counts for the case list and the worklist."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from committee.models import AuditEvent
from dibao.models import Access, CaseMember
from tests.conftest import login
from tests.dibao import helpers as h


@pytest.fixture
def officer_client(officer_a):
    return login(officer_a)


def test_committee_member_without_dibao_role_403_and_no_data(client_a, case_a):
    assert client_a.get(reverse("dibao_case", args=[case_a.pk])).status_code == 403
    assert client_a.get(reverse("dibao_home")).status_code == 403
    assert client_a.get(reverse("dibao_export")).status_code == 403
    assert not Access.objects.exists()
    page = client_a.get(reverse("dashboard") if False else "/").content.decode()
    assert "/dibao/" not in page  # no navigation link to a page that would answer 403


def test_another_communitys_case_404(client_b, case_a, community_b):
    from committee.models import Role
    from tests import factories as f

    officer_b = f.staff(community_b, "乙专干", [Role.DIBAO_OFFICER])
    assert login(officer_b).get(reverse("dibao_case", args=[case_a.pk])).status_code == 404


def test_every_detail_view_is_recorded_and_ids_masked(officer_client, officer_a, case_a):
    full = case_a.members.first().person.id_number
    page = officer_client.get(reverse("dibao_case", args=[case_a.pk])).content.decode()
    assert full not in page and full[:6] in page
    assert Access.objects.filter(case=case_a, user=officer_a.user, action="view").count() == 1
    page = officer_client.post(reverse("dibao_case_reveal", args=[case_a.pk])).content.decode()
    assert full in page
    assert Access.objects.filter(case=case_a, action="reveal").count() == 1
    assert officer_client.get(reverse("dibao_case_reveal", args=[case_a.pk])).status_code == 405


def test_street_supervisor_reads_details_and_access_records(client_street, officer_client, case_a):
    officer_client.get(reverse("dibao_case", args=[case_a.pk]))
    assert client_street.get(reverse("dibao_case", args=[case_a.pk])).status_code == 200
    page = client_street.get(reverse("dibao_access")).content.decode()
    assert page.count("<tr>") >= 3


def test_panel_member_sees_case_under_review_only(community_a, officer_a, panel_a, case_a):
    from committee.models import Role
    from dibao import services
    from tests import factories as f

    member = f.staff(community_a, "委员甲", [Role.MEMBER])
    services.add_panel_member(panel_a, category="resident", staff=member, start=h.timezone.localdate(),
                              acting_user=officer_a.user)
    c = login(member)
    assert c.get(reverse("dibao_case", args=[case_a.pk])).status_code == 403
    services.change_status(case_a, to="under_review", reason="材料齐全", acting_user=officer_a.user)
    assert c.get(reverse("dibao_case", args=[case_a.pk])).status_code == 200


def test_export_recorded_and_formula_neutralised(officer_client, officer_a, community_a, case_a):
    CaseMember.objects.filter(case=case_a).update()
    case_a.household.unit = "=HYPERLINK(\"x\")"
    case_a.household.save()
    r = officer_client.get(reverse("dibao_export"))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("=") for v in cells)
    assert Access.objects.filter(action="export").count() == 1
    assert AuditEvent.objects.filter(kind="personal_data_export").exists()


def test_bad_income_form_keeps_input(officer_client, case_a):
    m = case_a.members.first()
    r = officer_client.post(reverse("dibao_member_income", args=[m.pk]),
                            {"wage": "-5", "pension": "12.5", "other": "0", "income_source": "单位甲"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "单位甲" in body and "12.5" in body
    m.refresh_from_db()
    assert m.pension == 0


def test_visit_form_records_on_phone(officer_client, case_a):
    head = case_a.members.get(relation="head")
    r = officer_client.post(reverse("dibao_visit_new", args=[case_a.pk]), {
        "visitors": "专干", f"m{head.pk}_wage": "900", f"m{head.pk}_pension": "0", f"m{head.pk}_other": "0",
        **{f"m{m.pk}_{k}": "0" for m in case_a.members.exclude(pk=head.pk) for k in ("wage", "pension", "other")}})
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.flagged and case_a.visits.count() == 1


def test_review_form_refuses_non_compliant_panel(officer_client, community_a, officer_a, case_a):
    body = h.panel(community_a, officer_a.user, categories=["director", "officer", "local_unit", "property",
                                                             "resident", "resident", "resident"])
    m = h.meeting(body, officer_a.user)
    page = officer_client.get(reverse("dibao_review_new", args=[case_a.pk])).content.decode()
    assert "DB-1" in page
    r = officer_client.post(reverse("dibao_review_new", args=[case_a.pk]), {
        "meeting": m.pk, "decision": "approve", "reasons": "符合条件", "votes_for": 7, "votes_against": 0,
        "votes_abstain": 0})
    assert r.status_code == 200 and "符合条件" in r.content.decode()
    assert not case_a.reviews.exists()


def _cases(community, user, n):
    for i in range(n):
        h.case(community, user, names=(f"户主{i}",))


def test_case_list_and_worklist_fixed_queries(officer_client, community_a, officer_a,
                                              django_assert_max_num_queries):
    _cases(community_a, officer_a.user, 2)
    with django_assert_max_num_queries(30) as few:
        officer_client.get(reverse("dibao_home"))
    with django_assert_max_num_queries(30) as few_w:
        officer_client.get(reverse("dibao_worklist"))
    _cases(community_a, officer_a.user, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert re.search("户主11", officer_client.get(reverse("dibao_home")).content.decode())
    with django_assert_max_num_queries(len(few_w.captured_queries)):
        officer_client.get(reverse("dibao_worklist"))
