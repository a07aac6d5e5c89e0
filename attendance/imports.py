"""The punch-clock import (ATT-1): an Excel or CSV export with one row per person and day.

Columns (Chinese headers as on the punch clock's export; English accepted too): 姓名 (name), 日期 (date),
签到 (sign-in time), 签退 (sign-out time, may be empty). Rows are checked first (dry run) and shown with their
errors; the import saves all rows or, when any row has an error, nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import SignIn
from committee.models import Community, Staff
from committee.spreadsheets import SpreadsheetError, read_rows

HEADERS = {
    "name": {"姓名", "name", "员工", "人员"},
    "date": {"日期", "date"},
    "sign_in": {"签到", "签到时间", "上班", "sign-in", "sign_in", "in"},
    "sign_out": {"签退", "签退时间", "下班", "sign-out", "sign_out", "out"},
}
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H：%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


@dataclass
class Row:
    line: int
    name: str
    date: dt.date | None = None
    sign_in: dt.time | None = None
    sign_out: dt.time | None = None
    staff: Staff | None = None
    errors: list[str] = field(default_factory=list)


class ImportFileError(ValueError):
    pass


def read_table(uploaded) -> list[list]:
    """The cells of the first sheet of an .xlsx file, or of a CSV file (UTF-8 or GBK)."""
    try:
        return read_rows(uploaded.read(), getattr(uploaded, "name", ""))
    except SpreadsheetError as e:
        raise ImportFileError(str(e)) from None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _time(value) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    text = str(value).strip()
    if not text:
        return None
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError


def check(table: list[list], community: Community) -> list[Row]:
    """Parse and validate every row against the community's staff and register (no writes): unknown or
    ambiguous staff, bad date or time, future day, sign-out before sign-in, duplicate row in the file,
    and a day already in the register (ATT-1: one sign-in per day)."""
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [str(c or "").strip().lower() for c in table[0]]
    columns = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    missing = [k for k in ("name", "date", "sign_in") if k not in columns]
    if missing:
        raise ImportFileError(_("The first row must name the columns 姓名, 日期, 签到 and 签退."))
    staff_by_name: dict[str, list[Staff]] = {}
    for s in Staff.objects.filter(community=community):
        staff_by_name.setdefault(s.name, []).append(s)
    today = timezone.localdate()
    rows: list[Row] = []
    for n, cells in enumerate(table[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue

        def cell(key, cells=cells):
            i = columns.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        row = Row(line=n, name=str(cell("name") or "").strip())
        matches = staff_by_name.get(row.name, [])
        if not matches:
            row.errors.append(_("unknown staff member “%(name)s” in %(community)s")
                              % {"name": row.name, "community": community.name})
        elif len(matches) > 1:
            row.errors.append(_("two staff members are called “%(name)s”") % {"name": row.name})
        else:
            row.staff = matches[0]
        try:
            row.date = _date(cell("date"))
        except ValueError:
            row.errors.append(_("bad date “%(value)s” (write 2026-03-02)") % {"value": cell("date")})
        bad_in = False
        for key in ("sign_in", "sign_out"):
            try:
                setattr(row, key, _time(cell(key)))
            except ValueError:
                bad_in = bad_in or key == "sign_in"
                row.errors.append(_("bad time “%(value)s” (write 08:25)") % {"value": cell(key)})
        if row.sign_in is None and not bad_in:
            row.errors.append(_("no sign-in time"))
        if row.sign_in and row.sign_out and row.sign_out < row.sign_in:
            row.errors.append(_("sign-out before sign-in"))
        if row.date and row.date > today:
            row.errors.append(_("%(day)s is in the future") % {"day": row.date.isoformat()})
        rows.append(row)
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.staff and row.date:
            key = (row.staff.pk, row.date)
            if key in seen:
                row.errors.append(_("duplicate of row %(line)s") % {"line": seen[key]})
            else:
                seen[key] = row.line
    keys = [k for k in seen]
    if keys:
        dates = {d for _s, d in keys}
        existing = set(
            SignIn.objects.filter(staff__community=community, date__in=dates).values_list("staff_id", "date")
        )
        for row in rows:
            if row.staff and row.date and (row.staff.pk, row.date) in existing:
                row.errors.append(_("%(name)s already has a record for %(day)s (correct it instead)")
                                  % {"name": row.name, "day": row.date.isoformat()})
    return rows
