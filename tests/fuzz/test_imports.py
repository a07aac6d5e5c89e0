"""Issue 18, CTL-8: every import of the product (the register's staff / roles / residents imports through
django-import-export, and the punch-clock import of attendance), fed generated .xlsx files, answers without
a 500; every refusal names a row and a column; a refused import saves no row.

Each example builds a workbook with openpyxl: the import's own headers (sometimes one left out or doubled),
one to four rows of cells that are plausible or hostile (formulas, control characters, 10,000 characters,
astral CJK, far dates, huge and non-finite numbers, booleans, empty). It is uploaded, previewed and, when the
preview offers it, confirmed, all in one savepoint that is rolled back."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import traceback

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from committee.resources import RESOURCES
from tests import factories as f
from tests.fuzz import checks, strategies

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTENDANCE_HEADERS = ["姓名", "日期", "签到", "签退"]


def _plausible(header: str, staff_name: str):
    today = dt.date.today()
    return {
        "姓名": staff_name, "身份证号": f.id_number(seq="777"), "性别": "男", "电话": "13800138000",
        "月工资（元）": "4500.00", "入职日期": "2021-03-01", "职务": "委员", "开始日期": "2024-01-01",
        "楼栋": "3号楼", "单元房号": "2单元301", "户籍在本社区": "是", "与户主关系": "户主",
        "日期": (today - dt.timedelta(days=3)).isoformat(), "签到": "08:20", "签退": "17:40",
    }.get(header, "")


hostile_cell = st.one_of(
    strategies.text_values, strategies.number_values, strategies.date_values,
    st.integers(min_value=-(2**63), max_value=2**63), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(),
    st.sampled_from([dt.date(1900, 1, 1), dt.date(9999, 12, 31), dt.datetime(1900, 1, 1, 0, 0),
                     dt.time(23, 59, 59), dt.date(2026, 2, 28)]),
)


@st.composite
def workbooks(draw, headers: list[str], staff_name: str):
    headers = list(headers)
    shape = draw(st.sampled_from(["as-is", "as-is", "as-is", "drop", "double", "hostile-header"]))
    if shape == "drop" and len(headers) > 1:
        headers.pop(draw(st.integers(0, len(headers) - 1)))
    elif shape == "double":
        headers.append(draw(st.sampled_from(headers)))
    elif shape == "hostile-header":
        headers[draw(st.integers(0, len(headers) - 1))] = draw(strategies.text_values)
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = []
        for h in headers:
            row.append(draw(hostile_cell) if draw(st.integers(0, 3)) == 0 else _plausible(h, staff_name))
        rows.append(row)
    book = openpyxl.Workbook()
    sheet = book.active
    for r in [headers, *rows]:
        # openpyxl refuses some strings (control characters) and formulas are written as formulas: both are
        # what a hostile file holds, so write them raw where openpyxl lets us.
        cells = []
        for v in r:
            cells.append(v)
        try:
            sheet.append(cells)
        except Exception:  # noqa: BLE001 - openpyxl's IllegalCharacterError and the like
            sheet.append([v if not isinstance(v, str) else v.encode("unicode_escape").decode() for v in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), [headers, *rows]


def _client(staff) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(staff.user)
    return client


def _names_row_and_column(line: dict, headers: list[str]) -> bool:
    if line.get("row") is None:
        return True  # a problem of the whole file (a missing column), not of a row
    if line.get("column"):
        return True
    return any(h and str(h) in line["message"] for h in headers)


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_ctl_8_fuzz_every_register_import(kind, director_a, community_a):
    user = director_a.user
    headers = RESOURCES[kind].headers()
    failures = []

    @checks.fuzz_settings()
    @given(book=workbooks(headers, director_a.name))
    def run(book):
        data, table = book
        client = _client(director_a)
        where = f"import {kind}: {strategies_short(table)}"
        with _example(where):
            client.force_login(user)
            before = checks.row_counts()
            response = client.post(f"/import/{kind}/", {"file": SimpleUploadedFile("x.xlsx", data, XLSX)})
            assert response.status_code < 500, f"{where}: upload {response.status_code}"
            if response.status_code == 302:
                preview = client.get(response["Location"])
                assert preview.status_code < 500, f"{where}: preview {preview.status_code}"
                lines = preview.context.get("lines") or []
                bad = [line for line in lines if not _names_row_and_column(line, table[0])]
                assert not bad, f"{where}: problems that name no row and column: {bad}"
                assert not checks.changed_tables(before, checks.row_counts()), f"{where}: the preview saved rows"
                token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
                confirmed = client.post(f"/import/{kind}/confirm/", {"token": token})
                assert confirmed.status_code < 500, f"{where}: confirm {confirmed.status_code}"
                if confirmed.status_code != 302:
                    changed = checks.changed_tables(before, checks.row_counts())
                    assert not changed, f"{where}: refused import saved rows {changed}"
            else:
                changed = checks.changed_tables(before, checks.row_counts())
                assert not changed, f"{where}: refused upload saved rows {changed}"

    try:
        run()
    except AssertionError as e:
        failures.append(str(e))
    assert not failures, "\n\n".join(failures)


def test_ctl_8_fuzz_the_punch_clock_import(director_a, community_a):
    user = director_a.user
    failures = []

    @checks.fuzz_settings()
    @given(book=workbooks(ATTENDANCE_HEADERS, director_a.name))
    def run(book):
        data, table = book
        client = _client(director_a)
        where = f"punch-clock import: {strategies_short(table)}"
        with _example(where):
            client.force_login(user)
            before = checks.row_counts()
            response = client.post("/attendance/import/", {"file": SimpleUploadedFile("x.xlsx", data, XLSX)})
            assert response.status_code < 500, f"{where}: upload {response.status_code}"
            for row in (response.context.get("rows") if response.context else None) or []:
                assert not row.errors or row.line, f"{where}: an error without a row: {row.errors}"
            assert not checks.changed_tables(before, checks.row_counts()), f"{where}: the check saved rows"
            confirmed = client.post("/attendance/import/", {"action": "confirm"})
            assert confirmed.status_code < 500, f"{where}: confirm {confirmed.status_code}"
            if checks.refused(confirmed):
                changed = checks.changed_tables(before, checks.row_counts())
                assert not changed, f"{where}: refused import saved rows {changed}"

    try:
        run()
    except AssertionError as e:
        failures.append(str(e))
    assert not failures, "\n\n".join(failures)



@contextlib.contextmanager
def _example(where: str):
    """One generated example in a savepoint that is always rolled back; any exception but a failed check
    is reported as the 500 it would have been, with where it happened."""
    with transaction.atomic():
        try:
            yield
        except AssertionError:
            raise
        except Exception as e:
            raise AssertionError(f"{where}\n500: {e!r}\n{traceback.format_exc(limit=-6)}") from e
        finally:
            transaction.set_rollback(True)


def strategies_short(table) -> str:
    def cut(v):
        if isinstance(v, str) and len(v) > 30:
            return f"{v[:15]!r}…({len(v)} chars)"
        return v

    return repr([[cut(v) for v in r] for r in table])
