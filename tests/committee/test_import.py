"""Excel import/export: dry-run preview, row-numbered errors naming the column, nothing saved when any row is
invalid, one transaction on confirm, the importing community and user recorded, unchanged rows skipped."""

import datetime as dt
import io
import pathlib
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from committee.models import Household, Person, Role, RoleAssignment, Staff
from committee.resources import PersonResource, RoleAssignmentResource, StaffResource
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON_HEADERS = ["姓名", "身份证号", "性别", "楼栋", "单元房号", "与户主关系", "残疾", "志愿者"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def zh(message):
    with translation.override("zh-hans"):
        return translation.gettext(message)


def xlsx(headers, rows, name="import.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def ids(n, birth=dt.date(1970, 3, 4)):
    return [f.id_number(birth=birth, seq=f"{600 + i:03d}") for i in range(n)]


def bad_check_digit(number):
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def upload(client, kind, file):
    response = client.post(reverse("import_start", args=[kind]), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response.url)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())
    return preview, token.group(1) if token else response.url.rstrip("/").split("/")[-1]


def confirm(client, kind, token):
    return client.post(reverse("import_confirm", args=[kind]), {"token": token})


def resident_rows():
    a, b, c = ids(3)
    return [
        ["单小明", a, "", "3号楼", "2单元301", "户主", "否", "是"],
        ["李芳", b, "", "3号楼", "2单元301", "配偶", "", ""],
        ["王强", c, "", "5号楼", "101", "户主", "是", ""],
    ]


def test_import_with_one_bad_check_digit_saves_no_row_and_names_the_row_and_column(client_a, media):
    rows = resident_rows()
    rows[1][1] = bad_check_digit(rows[1][1])
    preview, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, rows))
    lines = preview.context["lines"]
    assert [(line["row"], line["column"]) for line in lines] == [(3, "身份证号")]  # the header is row 1
    assert "校验位" in lines[0]["message"]  # GB 11643, in Chinese
    assert not preview.context["can_confirm"]
    assert 'action="/import/residents/confirm/"' not in preview.content.decode()
    assert not Person.objects.exists() and not Household.objects.exists()
    # Even a forged confirm saves nothing at all.
    response = confirm(client_a, "residents", token)
    assert response.status_code == 422
    assert not Person.objects.exists() and not Household.objects.exists()


def test_valid_import_creates_rows_in_the_importers_community_with_history_user(client_a, community_a, staff_a,
                                                                                 community_b, media):
    preview, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, resident_rows()))
    assert preview.context["totals"]["new"] == 3 and preview.context["can_confirm"]
    assert not Person.objects.exists()  # the preview is a dry run
    assert list((media / "imports").glob(f"{token}.*"))
    response = confirm(client_a, "residents", token)
    assert response.status_code == 302 and response.url == reverse("person_list")
    people = Person.objects.order_by("name")
    assert people.count() == 3
    assert {p.community for p in people} == {community_a}
    assert {p.history.get().history_user for p in people} == {staff_a.user}
    ming = Person.objects.get(name="单小明")
    fang = Person.objects.get(name="李芳")
    assert ming.household == fang.household and str(ming.household) == "3号楼 2单元301"
    assert ming.volunteer and not ming.disabled and ming.relation == "head"
    assert Household.objects.get(pk=ming.household_id).history.get().history_user == staff_a.user
    assert not list((media / "imports").glob(f"{token}.*"))  # the temp file is deleted
    assert confirm(client_a, "residents", token).status_code == 404  # and cannot be imported twice


def test_second_identical_import_changes_nothing(client_a, media):
    file_rows = resident_rows()
    _, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, file_rows))
    confirm(client_a, "residents", token)
    history = sum(p.history.count() for p in Person.objects.all())
    preview, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, file_rows))
    totals = preview.context["totals"]
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 3)
    assert not preview.context["can_confirm"]
    assert sum(p.history.count() for p in Person.objects.all()) == history
    assert Household.objects.count() == 2


def test_changed_row_is_an_update_and_a_move_to_another_flat_counts(client_a, media):
    rows = resident_rows()
    _, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, rows))
    confirm(client_a, "residents", token)
    rows[2][4] = "102"  # 王强 moves next door
    preview, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, rows))
    totals = preview.context["totals"]
    assert (totals["update"], totals["skip"]) == (1, 2)
    confirm(client_a, "residents", token)
    assert Person.objects.get(name="王强").household.unit == "102"


def test_renters_flag_updates_the_household_and_shows_as_a_change(client_a, media):
    headers = ["姓名", "身份证号", "楼栋", "单元房号", "户籍在本社区"]
    [a] = ids(1)
    _, token = upload(client_a, "residents", xlsx(headers, [["甲", a, "1号楼", "101", "是"]]))
    confirm(client_a, "residents", token)
    preview, token = upload(client_a, "residents", xlsx(headers, [["甲", a, "1号楼", "101", "否"]]))
    assert preview.context["totals"]["update"] == 1
    assert Household.objects.get().registered_locally  # the preview saved nothing
    confirm(client_a, "residents", token)
    assert not Household.objects.get().registered_locally


def test_rows_are_matched_only_inside_the_importers_community(client_a, community_a, community_b, media):
    [number] = ids(1)
    other = f.person(community_b, "乙社区居民", id_number=number)
    _, token = upload(client_a, "residents", xlsx(["姓名", "身份证号"], [["甲社区居民", number]]))
    confirm(client_a, "residents", token)
    other.refresh_from_db()
    assert other.name == "乙社区居民" and other.community == community_b
    assert Person.objects.get(name="甲社区居民").community == community_a


def test_bad_cells_name_their_column(client_a, media):
    a, b = ids(2)
    wrong_gender = "女" if int(a[16]) % 2 else "男"
    preview, _ = upload(client_a, "residents", xlsx(
        ["姓名", "身份证号", "性别", "残疾", "与户主关系", "户籍在本社区"],
        [["甲", a, wrong_gender, "", "", ""], ["乙", b, "", "也许", "邻居", "不知道"], ["", "", "", "", "", ""],
         ["丙", "123", "", "", "", ""]]))
    found = {(line["row"], line["column"]) for line in preview.context["lines"]}
    assert (2, "性别") in found
    assert (3, "残疾") in found and (3, "与户主关系") in found and (3, "户籍在本社区") in found
    assert (4, "身份证号") in found  # "123": too short (the blank row is dropped, so 丙 is row 4)
    assert not Person.objects.exists()


def test_same_person_twice_in_one_file_is_refused(client_a, media):
    [a] = ids(1)
    preview, _ = upload(client_a, "residents", xlsx(["姓名", "身份证号"], [["甲", a], ["甲", a]]))
    [line] = preview.context["lines"]
    assert line["row"] == 3 and line["column"] == "身份证号" and line["message"] == zh("The same record already appears in row %(row)d of this file.") % {"row": 2}


def test_missing_required_column_is_reported(client_a, media):
    preview, _ = upload(client_a, "residents", xlsx(["姓名", "电话"], [["甲", "123"]]))
    assert "身份证号" in preview.context["fatal"]


def test_csv_in_gbk_is_read(client_a, community_a, media):
    a, = ids(1)
    data = f"姓名,身份证号,楼栋\r\n单小明,{a},1号楼\r\n".encode("gbk")
    _, token = upload(client_a, "residents", SimpleUploadedFile("居民.csv", data, content_type="text/csv"))
    confirm(client_a, "residents", token)
    assert Person.objects.get(community=community_a).name == "单小明"


def test_other_file_types_are_refused(client_a):
    r = client_a.post(reverse("import_start", args=["residents"]),
                      {"file": SimpleUploadedFile("x.pdf", b"%PDF", content_type="application/pdf")})
    assert r.status_code == 200 and "file" in r.context["form"].errors


def test_token_of_another_user_is_404(client_a, community_a, media):
    _, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, resident_rows()))
    other = login(f.staff(community_a, "另一人", [Role.MEMBER]))
    assert other.get(reverse("import_preview", args=["residents", token])).status_code == 404
    assert confirm(other, "residents", token).status_code == 404
    assert not Person.objects.exists()


def test_template_download_has_the_chinese_headers(client_a):
    response = client_a.get(reverse("import_template", args=["residents"]))
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == PersonResource.headers()
    assert headers[:3] == ["姓名", "身份证号", "性别"]
    assert book.worksheets[0]["B2"].number_format == "@"  # ID numbers stay text, all 18 digits
    assert book.worksheets[1].title == "填写说明"


def test_staff_and_role_templates_have_the_chinese_headers(client_director_a):
    for kind, resource in (("staff", StaffResource), ("roles", RoleAssignmentResource)):
        response = client_director_a.get(reverse("import_template", args=[kind]))
        headers = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
        assert headers == resource.headers()
    assert StaffResource.headers()[0] == "姓名" and RoleAssignmentResource.headers()[:3] == ["姓名", "职务", "开始日期"]


def test_export_then_reimport_changes_nothing(client_a, community_a, community_b, media):
    h = Household.objects.create(community=community_a, unit="101")
    f.person(community_a, "甲", household=h, relation="head", hardship=True)
    f.person(community_a, "乙", moved_out_on=dt.date(2025, 1, 2))
    f.person(community_b, "别的社区")
    response = client_a.get(reverse("export", args=["residents"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [[c.value for c in row] for row in book.worksheets[0].iter_rows() if any(c.value for c in row)]
    assert values[0] == PersonResource.headers()
    assert sorted(r[0] for r in values[1:]) == ["乙", "甲"]  # only the own community
    preview, _ = upload(client_a, "residents", SimpleUploadedFile("export.xlsx", response.content, content_type=XLSX))
    assert preview.context["totals"]["skip"] == 2 and not preview.context["lines"]


def test_staff_and_role_import_by_the_director(client_director_a, director_a, community_a, media):
    _, token = upload(client_director_a, "staff", xlsx(
        ["姓名", "性别", "电话", "入职日期"],
        [["王丽", "女", 13800138000, "2021/3/1"], ["赵刚", "男", "", dt.datetime(2022, 5, 6)]]))
    confirm(client_director_a, "staff", token)
    wang = Staff.objects.get(name="王丽")
    assert wang.community == community_a and wang.street_office == community_a.street_office
    assert wang.phone == "13800138000" and wang.monthly_wage is None
    assert wang.joined_on == dt.date(2021, 3, 1)
    assert wang.history.get().history_user == director_a.user
    _, token = upload(client_director_a, "roles", xlsx(
        ["姓名", "职务", "开始日期", "备注"],
        [["王丽", "委员", "2024-01-01", "补录2024年换届"], ["赵刚", "考勤员", "2024-01-01", "补录2024年换届"]]))
    confirm(client_director_a, "roles", token)
    role = RoleAssignment.objects.get(staff=wang)
    assert (role.role, role.community, role.start) == (Role.MEMBER, community_a, dt.date(2024, 1, 1))
    assert role.backdate_reason == "补录2024年换届"


def test_ctl_4_a_director_cannot_set_wages_through_an_import(client_director_a, director_a, community_a, media):
    """CTL-4: the wage column of a staff file is the street office's; a director's file that sets or raises a
    wage (his own included) is refused whole."""
    before = Staff.objects.get(pk=director_a.pk).monthly_wage
    preview, _ = upload(client_director_a, "staff", xlsx(
        ["姓名", "月工资（元）"], [[director_a.name, 99999], ["王丽", 4500]]))
    found = {(line["row"], line["column"]) for line in preview.context["lines"]}
    assert found == {(2, "月工资（元）"), (3, "月工资（元）")}
    assert "CTL-4" in preview.content.decode()
    director_a.refresh_from_db()
    assert director_a.monthly_wage == before and not Staff.objects.filter(name="王丽").exists()


def test_ctl_1_a_director_cannot_grant_approving_roles_or_his_own_through_an_import(
        client_director_a, director_a, community_a, media):
    """CTL-1: a file grants only what its importer could grant on screen: no 书记 for the director himself,
    no approving role for a colleague, and a past start date needs the 备注 reason."""
    colleague = f.staff(community_a, "王丽", login=False)
    preview, _ = upload(client_director_a, "roles", xlsx(
        ["姓名", "职务", "开始日期"],
        [[director_a.name, "书记", "2020-01-01"], [colleague.name, "主任", "2030-01-01"],
         [colleague.name, "考勤员", "2020-01-01"]]))
    found = {(line["row"], line["column"]) for line in preview.context["lines"]}
    assert found == {(2, "职务"), (3, "职务"), (4, "职务")}
    assert "CTL-1" in preview.content.decode()
    assert not RoleAssignment.objects.filter(role=Role.PARTY_SECRETARY, staff=director_a).exists()
    assert not RoleAssignment.objects.filter(staff=colleague).exists()


def test_role_import_refuses_unknown_staff_and_street_roles(client_director_a, community_a, media):
    f.staff(community_a, "王丽", login=False)
    name = Staff.objects.get(name__startswith="王丽").name
    preview, _ = upload(client_director_a, "roles", xlsx(
        ["姓名", "职务", "开始日期"], [["查无此人", "委员", "2024-01-01"], [name, "社区指导员", "2024-01-01"]]))
    found = {(line["row"], line["column"]) for line in preview.context["lines"]}
    assert found == {(2, "姓名"), (3, "职务")}
    assert not RoleAssignment.objects.filter(staff__name=name).exists()


def test_staff_import_needs_the_director(client_a, client_director_a, secretary_a):
    """CTL-1/CTL-3: staff and roles are imported by those who manage them on screen (the director, the
    street office's account holders); members and the party secretary import residents only."""
    assert client_a.get(reverse("import_start", args=["staff"])).status_code == 403
    assert client_a.get(reverse("import_start", args=["roles"])).status_code == 403
    assert client_a.get(reverse("import_start", args=["residents"])).status_code == 200
    assert login(secretary_a).get(reverse("import_start", args=["staff"])).status_code == 403
    assert client_director_a.get(reverse("import_start", args=["staff"])).status_code == 200


def test_street_office_imports_into_the_chosen_community_only(client_street, supervisor, community_a, media):
    page = client_street.get(reverse("import_start", args=["residents"]))
    assert page.context["community"] is None
    r = client_street.post(reverse("import_start", args=["residents"]), {"file": xlsx(PERSON_HEADERS, resident_rows())})
    assert r.status_code == 200 and not list(pathlib.Path(media).glob("imports/*"))
    client_street.post(reverse("switch_community"), {"community": community_a.pk})
    _, token = upload(client_street, "residents", xlsx(PERSON_HEADERS, resident_rows()))
    confirm(client_street, "residents", token)
    assert {p.community for p in Person.objects.all()} == {community_a}
    assert {p.history.get().history_user for p in Person.objects.all()} == {supervisor.user}


def test_ctl_9_an_export_of_personal_data_is_on_the_audit_trail(client_director_a, director_a, community_a):
    from committee.models import AuditEvent

    response = client_director_a.get(reverse("export", args=["residents"]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind="personal_data_export")
    assert event.actor == director_a.user and event.community_id == community_a.pk
    assert "residents" in event.detail or "居民" in event.detail


def test_a_row_refused_by_the_database_at_confirm_saves_nothing_and_says_so(client_a, community_a, monkeypatch,
                                                                           media):
    """Saving runs without a savepoint per row (issue 17, the 10,000-row import): when the database still
    refuses a row after a clean preview (here someone saved the same resident in between), nothing is kept,
    the page says so (422), and the first person of the file can then be imported as an update."""
    from committee import resources

    rows = resident_rows()
    preview, token = upload(client_a, "residents", xlsx(PERSON_HEADERS, rows))
    assert preview.context["can_confirm"]
    real = resources.bulk_create_with_history

    def concurrent_insert(objs, model, **kwargs):
        if model is Person:
            first = objs[0]
            Person.objects.create(community=community_a, name=first.name, id_number=first.id_number)
        return real(objs, model, **kwargs)

    monkeypatch.setattr(resources, "bulk_create_with_history", concurrent_insert)
    response = confirm(client_a, "residents", token)
    assert response.status_code == 422
    assert response.context["lines"]  # what the database refused, on the preview page
    assert not Person.objects.exists() and not Household.objects.exists()
    monkeypatch.setattr(resources, "bulk_create_with_history", real)
    assert confirm(client_a, "residents", token).status_code == 302
    assert Person.objects.count() == 3
