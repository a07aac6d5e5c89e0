"""The register: sign in and out at the server's clock (ATT-1), keeper entries and corrections with a
reason kept in history (ATT-2), the punch-clock import with a dry run (ATT-1)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attendance import imports, services
from attendance.models import SignIn
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def test_att_1_sign_in_and_out_use_the_servers_clock(staff_a):
    client = login(staff_a)
    with at(2026, 3, 2, 8, 41, 7):
        # a time sent by the browser is ignored
        client.post("/attendance/sign/", {"action": "in", "time": "08:00"})
    with at(2026, 3, 2, 17, 35):
        client.post("/attendance/sign/", {"action": "out"})
    record = SignIn.objects.get(staff=staff_a)
    assert (record.date, record.sign_in, record.sign_out) == (dt.date(2026, 3, 2), dt.time(8, 41, 7),
                                                              dt.time(17, 35))
    assert record.source == SignIn.Source.SELF


def test_att_1_a_second_sign_in_the_same_day_is_refused(staff_a):
    with at(2026, 3, 2, 8, 10):
        services.sign(action="in", acting_user=staff_a.user)
    with at(2026, 3, 2, 9, 10):
        with pytest.raises(ValidationError, match="ATT-1"):
            services.sign(action="in", acting_user=staff_a.user)
    assert SignIn.objects.get().sign_in == dt.time(8, 10)


def test_att_1_sign_out_without_sign_in_is_refused(staff_a):
    with at(2026, 3, 2, 17, 40):
        with pytest.raises(ValidationError, match="ATT-1"):
            services.sign(action="out", acting_user=staff_a.user)
    assert not SignIn.objects.exists()


def test_att_1_street_staff_do_not_sign_the_community_register(supervisor):
    with pytest.raises(ValidationError, match="ATT-1"):
        services.sign(action="in", acting_user=supervisor.user)


def test_att_1_keeper_records_on_behalf_with_a_reason_but_not_a_future_day(staff_a, keeper_a):
    with at(2026, 3, 2, 12, 0):
        with pytest.raises(ValidationError, match="ATT-1"):
            services.record_for(staff=staff_a, day=dt.date(2026, 3, 3), sign_in=dt.time(8, 0), sign_out=None,
                                note="忘记签到", acting_user=keeper_a.user)
        with pytest.raises(ValidationError, match="ATT-2"):
            services.record_for(staff=staff_a, day=dt.date(2026, 3, 2), sign_in=dt.time(8, 0), sign_out=None,
                                note=" ", acting_user=keeper_a.user)
        record = services.record_for(staff=staff_a, day=dt.date(2026, 3, 2), sign_in=dt.time(8, 0),
                                     sign_out=None, note="外出办事，电话报到", acting_user=keeper_a.user)
        assert record.source == SignIn.Source.KEEPER and record.recorded_by == keeper_a
        with pytest.raises(ValidationError, match="ATT-2"):
            services.record_for(staff=staff_a, day=dt.date(2026, 3, 2), sign_in=dt.time(8, 5), sign_out=None,
                                note="again", acting_user=keeper_a.user)


def test_att_1_a_member_cannot_keep_the_register(staff_a, director_a):
    with at(2026, 3, 2, 12, 0):
        with pytest.raises(ValidationError, match="ATT-1"):
            services.record_for(staff=director_a, day=dt.date(2026, 3, 2), sign_in=dt.time(8, 0), sign_out=None,
                                note="x", acting_user=staff_a.user)


def test_att_2_correction_needs_a_reason_and_keeps_the_original_in_history(staff_a, keeper_a):
    with at(2026, 3, 2, 8, 45):
        record = services.sign(action="in", acting_user=staff_a.user)
    with at(2026, 3, 3, 9, 0):
        with pytest.raises(ValidationError, match="ATT-2"):
            services.correct(record.pk, sign_in=dt.time(8, 25), sign_out=None, reason="", acting_user=keeper_a.user)
        record.refresh_from_db()
        assert record.sign_in == dt.time(8, 45)
        services.correct(record.pk, sign_in=dt.time(8, 25), sign_out=dt.time(17, 30), reason="打卡机故障，有证明",
                         acting_user=keeper_a.user)
    record.refresh_from_db()
    assert record.sign_in == dt.time(8, 25) and record.correction_reason == "打卡机故障，有证明"
    history = list(record.history.order_by("history_date"))
    assert history[0].sign_in == dt.time(8, 45) and history[0].history_user == staff_a.user
    assert history[-1].history_change_reason == "打卡机故障，有证明"
    assert history[-1].history_user == keeper_a.user


def test_att_2_correction_page_refuses_without_reason(staff_a, keeper_a):
    record = SignIn.objects.create(community=staff_a.community, staff=staff_a, date=dt.date(2026, 3, 2),
                                   sign_in=dt.time(8, 45))
    client = login(keeper_a)
    response = client.post(f"/attendance/register/{record.pk}/correct/", {"sign_in": "08:20", "reason": ""})
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.sign_in == dt.time(8, 45)


# --- punch-clock import ---------------------------------------------------------------------------------


def _csv(text, name="punch.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_att_1_import_dry_run_then_confirm(staff_a, keeper_a):
    client = login(keeper_a)
    text = f"姓名,日期,签到,签退\n{staff_a.name},2026-03-02,08:12,17:40\n{keeper_a.name},2026/03/02,8:31,17:31\n"
    with at(2026, 3, 3, 9, 0):
        response = client.post("/attendance/import/", {"file": _csv(text), "action": "check"})
        assert response.status_code == 200 and response.context["ready"]
        assert not SignIn.objects.exists()  # the dry run saves nothing
        response = client.post("/attendance/import/", {"action": "confirm"})
    assert response.status_code == 302
    assert SignIn.objects.filter(source=SignIn.Source.IMPORT).count() == 2
    assert SignIn.objects.get(staff=keeper_a).sign_in == dt.time(8, 31)


def test_att_1_import_with_an_unknown_name_a_bad_time_or_a_duplicate_saves_nothing(staff_a, keeper_a, staff_b):
    text = (f"姓名,日期,签到,签退\n{staff_a.name},2026-03-02,08:12,17:40\n"
            f"{staff_b.name},2026-03-02,08:12,17:40\n"  # another community's staff: unknown here
            f"{keeper_a.name},2026-03-02,8点半,17:31\n"
            f"{staff_a.name},2026-03-02,08:15,17:45\n")
    table = imports.read_table(_csv(text))
    with at(2026, 3, 3, 9, 0):
        rows = services.import_sign_ins(community=staff_a.community, table=table, acting_user=keeper_a.user,
                                        dry_run=False)
    errors = {r.line: " ".join(r.errors) for r in rows if r.errors}
    assert "没有名为" in errors[3]
    assert "无法识别" in errors[4]
    assert "与第 2 行重复" in errors[5]
    assert 2 not in errors
    assert not SignIn.objects.exists()


def test_att_1_import_refuses_a_day_already_in_the_register_and_reads_xlsx(staff_a, keeper_a):
    from openpyxl import Workbook

    SignIn.objects.create(community=staff_a.community, staff=staff_a, date=dt.date(2026, 3, 2), sign_in=dt.time(8, 0))
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "日期", "签到", "签退"])
    ws.append([staff_a.name, dt.datetime(2026, 3, 2), dt.time(8, 12), dt.time(17, 40)])
    ws.append([keeper_a.name, dt.datetime(2026, 3, 2), dt.time(8, 12), None])
    buf = io.BytesIO()
    wb.save(buf)
    table = imports.read_table(SimpleUploadedFile("punch.xlsx", buf.getvalue()))
    with at(2026, 3, 3, 9, 0):
        rows = imports.check(table, staff_a.community)
    assert "已有考勤记录" in " ".join(rows[0].errors)
    assert rows[1].errors == [] and rows[1].sign_in == dt.time(8, 12)


def test_att_1_import_file_without_the_columns_is_refused(keeper_a):
    with pytest.raises(imports.ImportFileError):
        imports.check(imports.read_table(_csv("a,b\n1,2\n")), keeper_a.community)
