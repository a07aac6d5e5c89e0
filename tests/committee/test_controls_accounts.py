"""CTL-1 (roles), CTL-3 (logins), CTL-4 (wages, policy) and CTL-9 (throttling, audit trail), through the
views with the attacker's exact request, and the allowed person succeeding."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from committee import accounts, approvals, audit, controls
from committee.models import AuditEvent, Person, PolicyValue, Role, RoleAssignment, Staff, User
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def sysadmin(street):
    return f.staff(street, "系统管理员", [Role.SYSTEM_ADMIN])


@pytest.fixture
def discipline(street):
    return f.staff(street, "纪检", [Role.DISCIPLINE])


@pytest.fixture
def cbdirector(street):
    return f.staff(street, "建设办主任", [Role.BUILDING_OFFICE_DIRECTOR])


def _text(response) -> str:
    return response.content.decode()


def _password_unchanged(staff) -> bool:
    staff.user.refresh_from_db()
    return staff.user.check_password(f.PASSWORD) and not staff.user.must_change_password


def _new_password(response) -> str:
    [message] = [str(m) for m in response.context["messages"]]
    return next(w.strip("：:，,—") for w in message.replace("：", " ").split()
                if len(w.strip("：:，,—")) == 10 and w.strip("：:，,—").isalnum() and w.isascii())


# --- CTL-3: password resets ---------------------------------------------------------------------------


def test_ctl_3_discipline_cannot_reset_the_street_leaders_password(discipline, street_leader):
    """Reproduction: 纪检 reset the street leader's password and logged in as him."""
    response = login(discipline).post(f"/staff/{street_leader.pk}/account/reset/")
    assert response.status_code == 403
    assert "CTL-3" in _text(response)
    assert _password_unchanged(street_leader)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET).exists()


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.DISCIPLINE, Role.FINANCE, Role.STREET_LEADER,
                                  Role.BUILDING_OFFICE_DIRECTOR])
def test_ctl_3_street_staff_without_the_account_role_reset_nobody(street, community_a, staff_a, role):
    actor = f.staff(street, "街道", [role])
    response = login(actor).post(f"/staff/{staff_a.pk}/account/reset/")
    assert response.status_code == 403 and "CTL-3" in _text(response)
    assert _password_unchanged(staff_a)


def test_ctl_3_director_cannot_reset_the_secretarys_password(director_a, secretary_a):
    """Reproduction: a community director reset the secretary's password."""
    response = login(director_a).post(f"/staff/{secretary_a.pk}/account/reset/")
    assert response.status_code == 403
    assert "CTL-3" in _text(response)
    assert _password_unchanged(secretary_a)
    # and the page offers no reset button for the secretary
    assert f"/staff/{secretary_a.pk}/account/reset/" not in _text(login(director_a).get(f"/staff/{secretary_a.pk}/"))


def test_ctl_3_director_resets_a_non_approving_member_who_must_then_change_it(director_a, staff_a):
    client = login(director_a)
    assert f"/staff/{staff_a.pk}/account/reset/" in _text(client.get(f"/staff/{staff_a.pk}/"))
    response = client.post(f"/staff/{staff_a.pk}/account/reset/", follow=True)
    assert response.status_code == 200
    password = _new_password(response)
    staff_a.user.refresh_from_db()
    assert staff_a.user.check_password(password) and staff_a.user.must_change_password
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_RESET)
    assert event.actor == director_a.user and event.target_label == staff_a.name
    assert event.street_office_id == staff_a.street_office_id and event.ip == "127.0.0.1"


def test_ctl_3_system_admin_resets_the_street_leader_who_must_change_it_at_next_login(sysadmin, street_leader):
    response = login(sysadmin).post(f"/staff/{street_leader.pk}/account/reset/", follow=True)
    password = _new_password(response)
    leader = Client()
    assert leader.post("/login/", {"username": street_leader.user.username, "password": password}).status_code == 302
    # every page leads to "Change password" until it is changed
    for url in ("/dashboard/", "/inbox/", f"/staff/{street_leader.pk}/", "/admin/"):
        assert leader.get(url)["Location"] == "/password/", url
    with override("en"):
        page = leader.get("/password/")
    assert page.status_code == 200 and "CTL-3" in _text(page)
    response = leader.post("/password/", {"old_password": password, "new_password1": "Ein-neues-Pw-2026",
                                          "new_password2": "Ein-neues-Pw-2026"})
    assert response.status_code == 302
    street_leader.user.refresh_from_db()
    assert not street_leader.user.must_change_password
    assert leader.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, actor=street_leader.user).exists()


def test_ctl_3_department_head_cannot_reset_a_higher_or_equal_approver(supervisor, street_leader, street):
    other_head = f.staff(street, "另一部门负责人", [Role.DEPARTMENT_HEAD])
    client = login(supervisor)
    for target in (street_leader, other_head):
        response = client.post(f"/staff/{target.pk}/account/reset/")
        assert response.status_code == 403 and "CTL-3" in _text(response)
        assert _password_unchanged(target)


def test_ctl_3_department_head_resets_a_community_secretary(supervisor, secretary_a):
    response = login(supervisor).post(f"/staff/{secretary_a.pk}/account/reset/")
    assert response.status_code == 302
    secretary_a.user.refresh_from_db()
    assert secretary_a.user.must_change_password


def test_ctl_3_nobody_resets_their_own_login_nor_an_equal_system_admin(sysadmin, street):
    other_admin = f.staff(street, "另一系统管理员", [Role.SYSTEM_ADMIN])
    client = login(sysadmin)
    for target in (sysadmin, other_admin):
        response = client.post(f"/staff/{target.pk}/account/reset/")
        assert response.status_code == 403 and "CTL-3" in _text(response)
        assert _password_unchanged(target)


def test_ctl_3_director_opens_logins_only_for_non_approving_staff(director_a, community_a):
    deputy = f.staff(community_a, "新副主任", [Role.DEPUTY_DIRECTOR], login=False)
    keeper = f.staff(community_a, "新考勤员", [Role.ATTENDANCE_KEEPER], login=False)
    client = login(director_a)
    response = client.post(f"/staff/{deputy.pk}/account/", {"username": "new.deputy"})
    assert response.status_code == 403 and "CTL-3" in _text(response)
    assert not User.objects.filter(username="new.deputy").exists()
    response = client.post(f"/staff/{keeper.pk}/account/", {"username": "new.keeper"})
    assert response.status_code == 302
    keeper.refresh_from_db()
    assert keeper.user.must_change_password
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_OPENED, target_id=str(keeper.pk)).exists()


def test_ctl_3_a_login_is_closed_not_deleted_and_then_refused(director_a, staff_a, secretary_a):
    client = login(director_a)
    response = client.post(f"/staff/{secretary_a.pk}/account/close/", {"reason": "试图关闭"})
    assert response.status_code == 403 and "CTL-3" in _text(response)
    response = client.post(f"/staff/{staff_a.pk}/account/close/", {"reason": "调离本社区"})
    assert response.status_code == 302
    staff_a.user.refresh_from_db()
    assert staff_a.user.is_active is False and User.objects.filter(pk=staff_a.user_id).exists()
    assert not Client().post("/login/", {"username": staff_a.user.username, "password": f.PASSWORD}).has_header(
        "Location")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_CLOSED, detail="调离本社区").exists()


def test_ctl_3_no_login_from_the_day_after_employment_ended_and_open_sessions_stop(staff_a):
    session = login(staff_a)
    staff_a.left_on = TODAY()
    staff_a.save()
    assert session.get("/dashboard/").status_code == 200  # the last day still works
    assert Client().post("/login/", {"username": staff_a.user.username, "password": f.PASSWORD}).status_code == 302
    staff_a.left_on = TODAY() - dt.timedelta(days=1)
    staff_a.save()
    assert session.get("/dashboard/")["Location"].startswith("/login/")
    response = Client().post("/login/", {"username": staff_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 200  # the login form again: refused


def test_ctl_3_no_login_from_the_day_after_the_last_role_ended(community_a):
    person = f.staff(community_a, "卸任", [Role.MEMBER, Role.ARCHIVIST])
    session = login(person)
    person.roles.filter(role=Role.MEMBER).update(end=TODAY() - dt.timedelta(days=3))
    assert session.get("/dashboard/").status_code == 200  # one role still held
    person.roles.update(end=TODAY() - dt.timedelta(days=1))
    assert session.get("/dashboard/")["Location"].startswith("/login/")
    assert Client().post("/login/", {"username": person.user.username, "password": f.PASSWORD}).status_code == 200


def test_ctl_5_users_and_staff_are_never_deleted(staff_a):
    with pytest.raises(ValidationError, match="CTL-5"):
        staff_a.delete()
    with pytest.raises(ValidationError, match="CTL-5"):
        staff_a.user.delete()
    loose = User.objects.create_user("no-staff-record")
    with pytest.raises(ValidationError, match="CTL-5"), transaction.atomic():
        User.objects.filter(pk=loose.pk).delete()  # a queryset delete is refused as well
    assert Staff.objects.filter(pk=staff_a.pk).exists() and User.objects.filter(pk=loose.pk).exists()


# --- CTL-1: roles -------------------------------------------------------------------------------------


def test_ctl_1_director_cannot_grant_himself_secretary_backdated_nor_approve_as_secretary(director_a, staff_a,
                                                                                          community_a):
    """Reproduction: a director granted himself 书记 with a back-dated start and approved as 书记."""
    client = login(director_a)
    response = client.post(f"/staff/{director_a.pk}/roles/new/",
                           {"role": "party_secretary", "start": "2026-01-01", "backdate_reason": "补录"})
    assert response.status_code == 403 and "CTL-1" in _text(response)
    assert not director_a.roles.filter(role=Role.PARTY_SECRETARY).exists()
    assert client.get(f"/staff/{director_a.pk}/roles/new/").status_code == 403
    # … so he cannot decide a step that needs the secretary
    approvals.register(Person)
    record = f.person(community_a, "审批对象")
    [step] = approvals.request_approval(record, community=community_a, steps=[approvals.Step(Role.PARTY_SECRETARY)],
                                        summary="书记审批", rule="FIN-2", acting_user=staff_a.user)
    client.post(f"/approvals/{step.pk}/decide/", {"decision": "approve"})
    step.refresh_from_db()
    assert step.status == "pending"


def test_ctl_1_director_cannot_grant_an_approving_role_to_another(director_a, staff_a):
    response = login(director_a).post(f"/staff/{staff_a.pk}/roles/new/",
                                      {"role": "party_secretary", "start": TODAY().isoformat()})
    assert response.status_code == 200 and "CTL-1" in _text(response)
    assert not staff_a.roles.filter(role=Role.PARTY_SECRETARY).exists()
    # the form offers only the non-approving roles
    page = _text(login(director_a).get(f"/staff/{staff_a.pk}/roles/new/"))
    assert 'value="attendance_keeper"' in page and 'value="party_secretary"' not in page


def test_ctl_1_director_grants_a_non_approving_role_to_another(director_a, staff_a):
    response = login(director_a).post(f"/staff/{staff_a.pk}/roles/new/",
                                      {"role": "attendance_keeper", "start": TODAY().isoformat()})
    assert response.status_code == 302
    assert staff_a.roles.filter(role=Role.ATTENDANCE_KEEPER, start=TODAY()).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ROLE_GRANTED)
    assert event.actor == director_a.user and event.target_id == str(staff_a.pk)


def test_ctl_1_a_past_start_date_needs_a_reason_shown_in_the_role_history(director_a, staff_a):
    client = login(director_a)
    past = (TODAY() - dt.timedelta(days=20)).isoformat()
    response = client.post(f"/staff/{staff_a.pk}/roles/new/", {"role": "archivist", "start": past})
    assert response.status_code == 200 and "CTL-1" in _text(response)
    assert not staff_a.roles.filter(role=Role.ARCHIVIST).exists()
    response = client.post(f"/staff/{staff_a.pk}/roles/new/",
                           {"role": "archivist", "start": past, "backdate_reason": "上月已口头任命，今日补录"})
    assert response.status_code == 302
    assignment = staff_a.roles.get(role=Role.ARCHIVIST)
    assert assignment.backdate_reason == "上月已口头任命，今日补录"
    assert "上月已口头任命，今日补录" in _text(client.get(f"/staff/{staff_a.pk}/"))
    assert assignment.history.latest().history_change_reason == "上月已口头任命，今日补录"


def test_ctl_1_building_office_director_cannot_grant_himself_street_leader(cbdirector, street):
    """Reproduction: a 社区建设办主任 granted himself 分管领导."""
    client = login(cbdirector)
    response = client.post(f"/staff/{cbdirector.pk}/roles/new/", {"role": "street_leader",
                                                                  "start": TODAY().isoformat()})
    assert response.status_code == 403 and "CTL-1" in _text(response)
    colleague = f.staff(street, "同事", [Role.INSTRUCTOR])
    response = client.post(f"/staff/{colleague.pk}/roles/new/", {"role": "street_leader",
                                                                 "start": TODAY().isoformat()})
    assert response.status_code == 403 and "CTL-1" in _text(response)
    assert not RoleAssignment.objects.filter(role=Role.STREET_LEADER).exists()


def test_ctl_1_system_admin_grants_approving_roles_to_others(sysadmin, staff_a, street):
    client = login(sysadmin)
    assert client.post(f"/staff/{staff_a.pk}/roles/new/",
                       {"role": "party_secretary", "start": TODAY().isoformat()}).status_code == 302
    colleague = f.staff(street, "同事", [Role.INSTRUCTOR])
    assert client.post(f"/staff/{colleague.pk}/roles/new/",
                       {"role": "street_leader", "start": TODAY().isoformat()}).status_code == 302
    assert staff_a.roles.filter(role=Role.PARTY_SECRETARY).exists()
    assert colleague.roles.filter(role=Role.STREET_LEADER).exists()
    # but not to himself
    response = client.post(f"/staff/{sysadmin.pk}/roles/new/", {"role": "street_leader",
                                                                "start": TODAY().isoformat()})
    assert response.status_code == 403 and "CTL-1" in _text(response)


def test_ctl_1_department_head_cannot_grant_a_role_above_his_own(supervisor, street):
    colleague = f.staff(street, "同事", [Role.INSTRUCTOR])
    response = login(supervisor).post(f"/staff/{colleague.pk}/roles/new/",
                                      {"role": "street_leader", "start": TODAY().isoformat()})
    assert response.status_code == 200 and "CTL-1" in _text(response)
    assert not colleague.roles.filter(role=Role.STREET_LEADER).exists()


def test_ctl_1_nobody_ends_their_own_role_and_a_director_ends_no_approving_role(director_a, secretary_a, staff_a):
    client = login(director_a)
    own = director_a.roles.get()
    response = client.post(f"/roles/{own.pk}/end/", {"end": (TODAY() + dt.timedelta(days=30)).isoformat()})
    assert response.status_code == 403 and "CTL-1" in _text(response)
    secretary_role = secretary_a.roles.get()
    response = client.post(f"/roles/{secretary_role.pk}/end/", {"end": TODAY().isoformat()})
    assert response.status_code == 403 and "CTL-1" in _text(response)
    own.refresh_from_db()
    secretary_role.refresh_from_db()
    assert own.end is None and secretary_role.end is None
    # an ended role is not extended
    member_role = staff_a.roles.get()
    member_role.end = TODAY() - dt.timedelta(days=2)
    member_role.save()
    client.post(f"/roles/{member_role.pk}/end/", {"end": (TODAY() + dt.timedelta(days=100)).isoformat()})
    member_role.refresh_from_db()
    assert member_role.end == TODAY() - dt.timedelta(days=2)


def test_ctl_1_every_approval_step_names_an_approving_role():
    """A role that a routing can make an approver is in APPROVING_ROLES, so only the street office grants it."""
    root = pathlib.Path(__file__).resolve().parents[2]
    named = set()
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        named |= set(re.findall(r"Step\(\s*Role\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    assert named, "no routing found"
    assert {Role[name] for name in named} <= controls.APPROVING_ROLES
    from committee import policy

    assert set(policy.setting("org.committee_approver").choices) <= controls.APPROVING_ROLES


# --- CTL-4: wages and policy --------------------------------------------------------------------------


def test_ctl_4_director_cannot_raise_his_own_wage(director_a):
    """Reproduction: a director raised his own wage 6200 → 99999."""
    director_a.monthly_wage = Decimal("6200.00")
    director_a.save()
    client = login(director_a)
    assert 'name="monthly_wage"' not in _text(client.get(f"/staff/{director_a.pk}/edit/"))
    client.post(f"/staff/{director_a.pk}/edit/", {"name": director_a.name, "gender": "M", "phone": "1",
                                                  "monthly_wage": "99999", "wage_reason": "涨工资"})
    director_a.refresh_from_db()
    assert director_a.monthly_wage == Decimal("6200.00")
    # the service refuses it too, whatever form posts it
    director_a.monthly_wage = Decimal("99999")
    with pytest.raises(ValidationError, match="CTL-4"):
        accounts.save_staff(director_a, acting_user=director_a.user, wage_reason="涨工资")
    director_a.refresh_from_db()
    assert director_a.monthly_wage == Decimal("6200.00")


def test_ctl_4_the_street_office_sets_a_wage_with_a_reason_and_the_community_sees_the_history(
        supervisor, director_a, staff_a):
    client = login(supervisor)
    data = {"name": staff_a.name, "gender": "", "phone": "", "community": staff_a.community_id,
            "monthly_wage": "5200.00"}
    response = client.post(f"/staff/{staff_a.pk}/edit/", data)
    assert response.status_code == 200 and "CTL-4" in _text(response)
    staff_a.refresh_from_db()
    assert staff_a.monthly_wage == Decimal("5000.00")
    response = client.post(f"/staff/{staff_a.pk}/edit/", data | {"wage_reason": "2027年度调资"})
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.monthly_wage == Decimal("5200.00")
    page = _text(login(director_a).get(f"/staff/{staff_a.pk}/"))
    assert "2027年度调资" in page and supervisor.name in page
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WAGE_CHANGED, target_id=str(staff_a.pk)).exists()


def test_ctl_4_street_staff_set_no_wage_of_their_own_and_without_the_role_none(supervisor, street, staff_a):
    supervisor.monthly_wage = Decimal("7000")
    with pytest.raises(ValidationError, match="CTL-4"):
        accounts.save_staff(supervisor, acting_user=supervisor.user, wage_reason="x")
    instructor = f.staff(street, "指导员", [Role.INSTRUCTOR])
    staff_a.monthly_wage = Decimal("9000")
    with pytest.raises(ValidationError, match="CTL-4"):
        accounts.save_staff(staff_a, acting_user=instructor.user, wage_reason="x")


def test_ctl_4_policy_values_only_by_the_street_office_with_a_reason(director_a, client_street, community_a):
    client = login(director_a)
    assert client.get("/policy/att.late_fee/").status_code == 403
    assert client.post("/policy/att.late_fee/", {"value": "0", "reason": "不罚了"}).status_code == 403
    assert not PolicyValue.objects.exists()
    response = client_street.post("/policy/att.late_fee/", {"value": "20"})
    assert response.status_code == 200 and not PolicyValue.objects.exists()  # the reason is required
    response = client_street.post("/policy/att.late_fee/", {"value": "20", "reason": "街道办公会决定"})
    assert response.status_code == 302
    row = PolicyValue.objects.get(key="att.late_fee")
    assert row.reason == "街道办公会决定" and row.history.latest().reason == "街道办公会决定"


# --- CTL-9: throttling and the audit trail ------------------------------------------------------------


def test_ctl_9_thirty_wrong_passwords_then_the_right_one_does_not_log_in(staff_a, settings):
    assert settings.AXES_ENABLED is not False
    client = Client()
    for _ in range(30):
        client.post("/login/", {"username": staff_a.user.username, "password": "wrong-guess"})
    response = client.post("/login/", {"username": staff_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 429
    assert "CTL-9" in _text(response)
    assert client.get("/dashboard/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, actor_name=staff_a.user.username).count() >= 30
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()
    # another address is not locked out for this account (the lockout is per account and address)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/login/", {"username": staff_a.user.username, "password": f.PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, ip="10.0.0.9").exists()


def test_ctl_9_the_admin_login_is_throttled_too():
    User.objects.create_superuser("root-axes", password="root-pass-123")
    client = Client()
    for _ in range(30):
        client.post("/admin/login/", {"username": "root-axes", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "root-axes", "password": "root-pass-123"})
    assert response.status_code == 429
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_ctl_9_the_audit_trail_is_read_by_discipline_and_the_system_admin_only(
        discipline, sysadmin, supervisor, director_a, staff_a, street_leader):
    Client().post("/login/", {"username": staff_a.user.username, "password": "wrong"})
    login(sysadmin).post(f"/staff/{street_leader.pk}/account/reset/")
    for reader in (discipline, sysadmin):
        response = login(reader).get("/audit/")
        assert response.status_code == 200
        page = _text(response)
        assert staff_a.user.username in page and street_leader.name in page
    assert login(discipline).get("/audit/?kind=password_reset").context["page"].paginator.count == 1
    for other in (supervisor, director_a, staff_a):
        assert login(other).get("/audit/").status_code == 403
    outsider = f.staff(f.street_office("别的街道"), "外街道纪检", [Role.DISCIPLINE])
    response = login(outsider).get("/audit/")
    assert response.status_code == 200 and staff_a.user.username not in _text(response)
    # the entry in the navigation only for the readers
    assert "/audit/" in _text(login(discipline).get("/dashboard/"))
    assert "/audit/" not in _text(login(supervisor).get("/dashboard/"))


def test_ctl_9_other_apps_record_personal_data_exports(rf, staff_a, community_a):
    request = rf.get("/residents/export/")
    request.user = staff_a.user
    event = audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=community_a, request=request,
                         detail="residents.xlsx, 12 rows")
    assert event.street_office_id == community_a.street_office_id and event.community_id == community_a.pk
    assert event.actor_name == staff_a.user.username and event.ip == "127.0.0.1"


def test_ctl_8_a_negative_wage_is_refused_under_the_wage_field_not_with_the_databases_words(
        supervisor, staff_a):
    """Found by tests/fuzz: the database's check answered 约束 “staff_wage_not_negative” 是无效的 above the form."""
    client = login(supervisor)
    data = {"name": staff_a.name, "gender": "", "phone": "", "community": staff_a.community_id,
            "monthly_wage": "-1", "wage_reason": "调资"}
    response = client.post(f"/staff/{staff_a.pk}/edit/", data)
    assert response.status_code == 200
    assert "monthly_wage" in response.context["form"].errors
    assert "staff_wage_not_negative" not in _text(response)
    staff_a.refresh_from_db()
    assert staff_a.monthly_wage == Decimal("5000.00")
