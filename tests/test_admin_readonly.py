"""CTL-5: the Django admin is read-only for every rule-governed model of every app; only the reference
data listed in committee.admin.REFERENCE_DATA stays editable, and nothing is deleted there either."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from committee.admin import REFERENCE_DATA
from committee.models import Staff, User
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return User.objects.create_superuser("root-ro", password="root-pass-123")


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_ctl_5_every_admin_model_is_read_only_unless_reference_data(root):
    request = _request(root)
    writable, undeletable_refs, unviewable = [], [], []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if not model_admin.has_view_permission(request):
            unviewable.append(label)
        if label in REFERENCE_DATA:
            if model_admin.has_delete_permission(request):
                undeletable_refs.append(label)
            continue
        if (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                or model_admin.has_delete_permission(request)):
            writable.append(label)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request) or \
                    inline.has_delete_permission(request):
                writable.append(f"{label} inline {inline.model._meta.label_lower}")
    assert not writable, f"admin can write rule-governed records (CTL-5): {writable}"
    assert not undeletable_refs, f"reference data can be deleted in the admin: {undeletable_refs}"
    assert not unviewable, f"a superuser cannot read: {unviewable}"
    # the project's models are all registered, so none escapes the check by being left out
    labels = {m._meta.label_lower for m in admin.site._registry}
    assert {"committee.user", "committee.staff", "committee.roleassignment", "committee.auditevent",
            "finance.expense", "finance.cheque", "finance.receipt", "attendance.leaverequest",
            "attendance.signin"} <= labels


def test_ctl_5_a_non_superuser_admin_account_sees_nothing():
    clerk = User.objects.create_user("clerk", password="x-pass-123", is_staff=True)
    request = _request(clerk)
    assert not any(a.has_view_permission(request) for a in admin.site._registry.values())


def test_ctl_5_admin_refuses_edits_password_changes_and_deletes_through_its_pages(root, community_a, staff_a):
    client = Client()
    client.force_login(root)
    base = f"/admin/committee/staff/{staff_a.pk}"
    assert client.get(f"{base}/change/").status_code == 200  # readable
    response = client.post(f"{base}/change/", {"name": "改名", "street_office": staff_a.street_office_id,
                                               "community": staff_a.community_id})
    assert response.status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/committee/user/{staff_a.user_id}/password/",
                       {"password1": "Hijack-2026-pw", "password2": "Hijack-2026-pw"}).status_code == 403
    assert client.post("/admin/committee/roleassignment/add/", {"staff": staff_a.pk, "role": "street_leader",
                                                                "start": "2026-01-01"}).status_code == 403
    staff_a.refresh_from_db()
    staff_a.user.refresh_from_db()
    assert staff_a.name != "改名" and staff_a.user.check_password(f.PASSWORD)
    assert Staff.objects.filter(pk=staff_a.pk).exists()


def test_ctl_5_reference_data_stays_editable(root, community_a):
    client = Client()
    client.force_login(root)
    assert client.get(f"/admin/committee/community/{community_a.pk}/change/").status_code == 200
    assert client.post(f"/admin/committee/community/{community_a.pk}/delete/", {"post": "yes"}).status_code == 403
