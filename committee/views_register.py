"""Residents' register (grids, buildings, households, residents) and the Excel import/export pages.

Scoping: a community's staff see and edit their own community's register; street-office staff see every
community of their street (lists narrowed by the community switcher) and add records to the community
they have chosen. Another community's record answers 404.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import secrets
import time
from dataclasses import dataclass

import openpyxl
import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from committee import audit, controls, idcard, scoping
from committee.forms_register import (
    BuildingForm,
    ConfirmImportForm,
    GridForm,
    HouseholdForm,
    MoveOutForm,
    PersonForm,
    UploadForm,
)
from committee.models import Building, Grid, Household, Person, Role
from committee.resources import MAX_ROWS, RESOURCES
from committee.scoping import staff_required
from committee.spreadsheets import SpreadsheetError, read_rows, write_row

PER_PAGE = 50
# Special groups of GRID-2, filterable in the residents list.
GROUPS = {
    "disabled": pgettext_lazy("special group", "Disabled"),
    "elderly_alone": gettext_lazy("Elderly living alone"),
    "serious_illness": gettext_lazy("Serious illness"),
    "hardship": gettext_lazy("Hardship household"),
    "volunteer": gettext_lazy("Volunteer"),
}


def _write_community(request):
    return scoping.community_for_write(request)


def _community_label_needed(request) -> bool:
    return scoping.current_community(request) is None


# --- residents -------------------------------------------------------------------------------------


def _people(request):
    return scoping.scope_to_current(
        Person.objects.select_related("household__building", "community"), request)


@staff_required
def person_list(request):
    """Staff: residents of their community (street office: of its communities, or the one chosen); search by
    name, pinyin initials or the last digits of the ID number; filter by grid, building, group, residence."""
    people = _people(request)
    q = request.GET.get("q", "").strip()
    if q:
        match = Q(name__icontains=q)
        compact = q.replace(" ", "")
        if compact.isascii() and compact.isalpha():
            # Pinyin initials: every reading of a heteronym is indexed (单 → d, s, c).
            match |= Q(name_initials__icontains=" " + compact.lower())
        tail = compact.upper()
        if 4 <= len(tail) <= 18 and tail[:-1].isdigit() and (tail[-1].isdigit() or tail[-1] == "X"):
            match |= Q(id_number__endswith=tail)
        people = people.filter(match)
    grids = scoping.scope_to_current(Grid.objects.select_related("community"), request)
    buildings = scoping.scope_to_current(Building.objects.select_related("community"), request)
    grid_id = _int(request.GET.get("grid"))
    if grid_id:
        people = people.filter(household__building__grid_id=grid_id)
    building_id = _int(request.GET.get("building"))
    if building_id:
        people = people.filter(household__building_id=building_id)
    group = request.GET.get("group", "")
    if group in GROUPS:
        people = people.filter(**{group: True})
    residence = request.GET.get("residence", "")
    if residence == "local":
        people = people.filter(household__registered_locally=True)
    elif residence == "other":
        people = people.filter(household__registered_locally=False)
    status = request.GET.get("status", "")
    if status == "moved":
        people = people.filter(moved_out_on__isnull=False)
    elif status != "all":
        people = people.filter(moved_out_on__isnull=True)
    page = Paginator(people.order_by("community__name", "name_initials", "name", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for p in page:
        p.age = p.age_on(today)
    return render(request, "committee/register/person_list.html", {
        "page": page,
        "q": q,
        "grids": grids,
        "buildings": buildings,
        "grid_id": grid_id,
        "building_id": building_id,
        "groups": GROUPS.items(),
        "group": group,
        "residence": residence,
        "status": status,
        "show_community": _community_label_needed(request),
        "filtered": bool(q or grid_id or building_id or group or residence or status),
    })


def _int(value):
    """A positive database id from a query parameter, or None (a 25-digit number would overflow SQLite's
    integers and answer 500: CTL-8)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@staff_required
def person_detail(request, pk):
    """Staff who may see the resident: the full record (the full ID number is shown only here)."""
    person = scoping.get_for_user(
        Person.objects.select_related("household__building__grid", "community"), request.user, pk=pk)
    household_members = []
    if person.household_id:
        household_members = list(person.household.members.exclude(pk=person.pk).order_by("moved_out_on", "name"))
    audit.accessed(request, person)  # CTL-9, issue 18: the full record, ID number included, was shown
    return render(request, "committee/register/person_detail.html", {
        "person": person,
        "age": person.age_on(timezone.localdate()),
        "members": household_members,
        "move_out_form": MoveOutForm(initial={"moved_out_on": timezone.localdate()}),
    })


@staff_required
def person_create(request):
    """Staff of the community (street office: with a community chosen): register a resident."""
    household = None
    household_id = _int(request.GET.get("household") or request.POST.get("from_household"))
    if household_id:
        household = scoping.get_for_user(Household, request.user, pk=household_id)
    community = household.community if household else _write_community(request)
    if community is None:
        return scoping.choose_community_page(request, _("Register a resident"))
    form = PersonForm(request.POST or None, community=community,
                      initial={"household": household, "relation": "" if household else Person.Relation.HEAD})
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("%(name)s is registered.") % {"name": person.name})
        return redirect(person)
    return render(request, "committee/form.html", {
        "form": form, "title": _("Register a resident") + f" · {community.name}",
        "back_obj": household, "back": "person_list"})


@staff_required
def person_edit(request, pk):
    """Staff who may see the resident: correct the record (every change is in its history)."""
    person = scoping.get_for_user(Person.objects.select_related("community"), request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, community=person.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(person)
    return render(request, "committee/form.html", {"form": form, "title": person.name, "back_obj": person})


@require_POST
@staff_required
def person_move_out(request, pk):
    """Staff who may see the resident: record that they moved away on a date. Never deleted."""
    person = scoping.get_for_user(Person, request.user, pk=pk)
    form = MoveOutForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
            person.moved_out_on = form.cleaned_data["moved_out_on"]
            person.save()
        messages.success(request, _("%(name)s moved out on %(day)s; the record is kept.")
                         % {"name": person.name, "day": person.moved_out_on})
    else:
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
    return redirect(person)


# --- households ------------------------------------------------------------------------------------


@staff_required
def household_detail(request, pk):
    """Staff who may see the household: its address and members (moved-out members listed apart)."""
    household = scoping.get_for_user(
        Household.objects.select_related("building__grid", "community"), request.user, pk=pk)
    members = list(household.members.order_by("moved_out_on", "name"))
    audit.accessed(request, household)  # CTL-9: the members' names, ages and phones were shown
    today = timezone.localdate()
    for m in members:
        m.age = m.age_on(today)
    return render(request, "committee/register/household_detail.html", {
        "household": household,
        "members": [m for m in members if not m.moved_out_on],
        "moved": [m for m in members if m.moved_out_on],
    })


@staff_required
def household_create(request):
    """Staff of the community (street office: with a community chosen): add a household."""
    building = None
    building_id = _int(request.GET.get("building"))
    if building_id:
        building = scoping.get_for_user(Building, request.user, pk=building_id)
    community = building.community if building else _write_community(request)
    if community is None:
        return scoping.choose_community_page(request, _("Add a household"))
    form = HouseholdForm(request.POST or None, community=community, initial={"building": building})
    if request.method == "POST" and form.is_valid():
        household = form.save()
        messages.success(request, _("Household added; now register its members."))
        return redirect(household)
    return render(request, "committee/form.html", {
        "form": form, "title": _("Add a household") + f" · {community.name}", "back": "person_list"})


@staff_required
def household_edit(request, pk):
    """Staff who may see the household: change its address, phone, residence status."""
    household = scoping.get_for_user(Household.objects.select_related("community"), request.user, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household, community=household.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(household)
    return render(request, "committee/form.html", {"form": form, "title": str(household), "back_obj": household})


# --- buildings -------------------------------------------------------------------------------------

_LIVING = Q(households__members__moved_out_on__isnull=True) & Q(households__members__isnull=False)


@staff_required
def building_list(request):
    """Staff: the buildings of their community with their grid and counts of households and residents."""
    buildings = scoping.scope_to_current(
        Building.objects.select_related("grid__committee_member", "grid__station_member", "community"), request
    ).annotate(
        n_households=Count("households", distinct=True),
        n_residents=Count("households__members", filter=_LIVING, distinct=True),
    ).order_by("community__name", "name")
    return render(request, "committee/register/building_list.html", {
        "buildings": buildings, "show_community": _community_label_needed(request)})


@staff_required
def building_detail(request, pk):
    """Staff who may see the building: its households and their residents."""
    building = scoping.get_for_user(Building.objects.select_related("grid", "community"), request.user, pk=pk)
    households = _household_rows(Household.objects.filter(building=building))
    return render(request, "committee/register/building_detail.html",
                  {"building": building, "households": households})


def _household_rows(qs):
    """Households with their current residents counted by group (GRID-2), in a fixed number of queries."""
    current = Q(members__moved_out_on__isnull=True)
    return qs.select_related("building").annotate(
        n_members=Count("members", filter=current),
        n_disabled=Count("members", filter=current & Q(members__disabled=True)),
        n_elderly_alone=Count("members", filter=current & Q(members__elderly_alone=True)),
        n_serious_illness=Count("members", filter=current & Q(members__serious_illness=True)),
        n_hardship=Count("members", filter=current & Q(members__hardship=True)),
        n_volunteer=Count("members", filter=current & Q(members__volunteer=True)),
    ).order_by("building__name", "unit")


@staff_required
def building_create(request):
    """Staff of the community (street office: with a community chosen): add a building."""
    community = _write_community(request)
    if community is None:
        return scoping.choose_community_page(request, _("Add a building"))
    form = BuildingForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        building = form.save()
        messages.success(request, _("%(name)s added.") % {"name": building.name})
        return redirect("building_detail", pk=building.pk)
    return render(request, "committee/form.html", {
        "form": form, "title": _("Add a building") + f" · {community.name}", "back": "building_list"})


@staff_required
def building_edit(request, pk):
    """Staff who may see the building: rename it, move it to another grid."""
    building = scoping.get_for_user(Building.objects.select_related("community"), request.user, pk=pk)
    form = BuildingForm(request.POST or None, instance=building, community=building.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("building_detail", pk=building.pk)
    return render(request, "committee/form.html", {"form": form, "title": building.name, "back": "building_list"})


# --- grids (GRID-1 responsibility list) -------------------------------------------------------------


@staff_required
def grid_list(request):
    """Staff: the grids of their community and who is responsible for each (GRID-1), with counts."""
    living = Q(buildings__households__members__moved_out_on__isnull=True,
               buildings__households__members__isnull=False)
    grids = scoping.scope_to_current(
        Grid.objects.select_related("committee_member", "station_member", "community"), request
    ).annotate(
        n_buildings=Count("buildings", distinct=True),
        n_households=Count("buildings__households", distinct=True),
        n_other=Count("buildings__households", filter=Q(buildings__households__registered_locally=False),
                      distinct=True),
        n_residents=Count("buildings__households__members", filter=living, distinct=True),
    ).order_by("community__name", "name")
    unassigned = scoping.scope_to_current(Building.objects.filter(grid__isnull=True), request).count()
    return render(request, "committee/register/grid_list.html", {
        "grids": grids, "unassigned": unassigned, "show_community": _community_label_needed(request)})


@staff_required
def grid_detail(request, pk):
    """Staff who may see the grid: its group (GRID-1), buildings, households and special groups (GRID-2)."""
    grid = scoping.get_for_user(
        Grid.objects.select_related("committee_member", "station_member", "community"), request.user, pk=pk)
    buildings = list(grid.buildings.annotate(n_households=Count("households")).order_by("name"))
    households = _household_rows(Household.objects.filter(building__grid=grid))
    flags = Q(disabled=True) | Q(elderly_alone=True) | Q(serious_illness=True) | Q(hardship=True) | Q(volunteer=True)
    special = (Person.objects.filter(household__building__grid=grid, moved_out_on__isnull=True).filter(flags)
               .select_related("household__building").order_by("household__building__name", "household__unit", "name"))
    return render(request, "committee/register/grid_detail.html", {
        "grid": grid, "buildings": buildings, "households": households, "special": special})


@staff_required
def grid_create(request):
    """Staff of the community (street office: with a community chosen): add a grid and its group."""
    community = _write_community(request)
    if community is None:
        return scoping.choose_community_page(request, _("Add a grid"))
    form = GridForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        grid = form.save()
        messages.success(request, _("%(name)s added.") % {"name": grid.name})
        return redirect(grid)
    return render(request, "committee/form.html", {
        "form": form, "title": _("Add a grid") + f" · {community.name}", "back": "grid_list"})


@staff_required
def grid_edit(request, pk):
    """Staff who may see the grid: rename it or change its committee and station members (GRID-1)."""
    grid = scoping.get_for_user(Grid.objects.select_related("community"), request.user, pk=pk)
    form = GridForm(request.POST or None, instance=grid, community=grid.community)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(grid)
    return render(request, "committee/form.html", {"form": form, "title": grid.name, "back_obj": grid})


# --- Excel import / export --------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: str
    title: object
    back: str  # URL name of the list the import belongs to
    managers_only: bool  # director / party secretary (street office always)
    filename: str


KINDS = {
    "staff": Kind("staff", gettext_lazy("Staff"), "staff_list", True, "工作人员"),
    "roles": Kind("roles", gettext_lazy("Role assignments"), "role_list", True, "职务任职"),
    "residents": Kind("residents", gettext_lazy("Residents"), "person_list", False, "居民名册"),
}
MANAGER_ROLES = {Role.DIRECTOR, Role.PARTY_SECRETARY}
TOKEN_TTL = 24 * 3600


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def _check_import_right(request, kind: Kind):
    """Staff/roles: the community's director, or street-office staff (each row is checked again: CTL-1, CTL-4). Residents: any
    staff member. Returns the community to import into (None: a street-office user must choose one)."""
    if not may_import(request, kind.key):
        raise PermissionDenied
    return scoping.current_community(request)


def may_import(request, kind: str) -> bool:
    """Whether the user may open the import page of ``kind`` (pages show their import link only then)."""
    if scoping.is_street_staff(request.user) or not _kind(kind).managers_only:
        return True
    # CTL-1/CTL-3: the same people who manage staff on screen (the director; the street office)
    community = scoping.current_community(request)
    return controls.manages_staff(scoping.staff_for(request.user), community.pk)


def _imports_dir() -> pathlib.Path:
    path = pathlib.Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep_old_uploads(directory: pathlib.Path) -> None:
    """Uploads nobody confirmed are removed after a day."""
    limit = time.time() - TOKEN_TTL
    for old in directory.glob("*"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


def _clean_header(value) -> str:
    text = "" if value is None else str(value).strip()
    return text.rstrip("*＊").replace("（必填）", "").replace("(必填)", "").strip()


def read_table(data: bytes, suffix: str) -> tablib.Dataset:
    """The first sheet of an .xlsx, or a .csv (UTF-8 or the GBK Chinese Excel writes), as a Dataset.
    Blank rows are dropped. Raises ValueError with a translated message."""
    try:
        rows = read_rows(data, f"upload{suffix}")
    except SpreadsheetError as e:
        raise ValueError(str(e)) from None
    if not rows:
        raise ValueError(_("The file is empty."))
    headers = [_clean_header(h) for h in rows[0]]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    seen = set()
    for h in headers:
        if h and h in seen:
            raise ValueError(_("The column “%(column)s” appears twice.") % {"column": h})
        seen.add(h)
    body = [(list(r) + [None] * width)[:width] for r in rows[1:]]
    if len(body) > MAX_ROWS:
        raise ValueError(_("The file has %(n)d rows; import at most %(max)d at a time.")
                         % {"n": len(body), "max": MAX_ROWS})
    dataset = tablib.Dataset(headers=[h or f"_{i}" for i, h in enumerate(headers)])
    for r in body:
        dataset.append(r)
    return dataset


def _error_lines(resource, result) -> list[dict]:
    """Row-numbered problems (Excel numbering: the header is row 1), each naming the column."""
    lines = []
    for error in result.base_errors:
        lines.append({"row": None, "column": "", "message": _message(error.error)})
    for number, row_result in enumerate(result.rows, start=2):
        if row_result.validation_error is not None:
            error = row_result.validation_error
            items = error.message_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.messages)]
            for key, msgs in items:
                column = "" if key == NON_FIELD_ERRORS else resource.column_for(key)
                for m in msgs:
                    lines.append({"row": number, "column": column, "message": m})
        for err in row_result.errors:
            lines.append({"row": number, "column": "", "message": _message(err.error)})
    return lines


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("This row could not be saved (%(error)s).") % {"error": error}


def _run_import(kind: Kind, community, user, path: pathlib.Path, *, dry_run: bool):
    """Import the stored file; returns (resource, result, dataset, lines). Nothing is kept when any row is
    invalid, or on a dry run."""
    dataset = read_table(path.read_bytes(), path.suffix)
    resource = RESOURCES[kind.key](community=community, user=user)
    missing, unknown = resource.check_headers(dataset.headers)
    if missing:
        raise ValueError(_("The file has no column %(columns)s; start from the template.")
                         % {"columns": "、".join(f"“{c}”" for c in missing)})
    with transaction.atomic():
        # The preview (dry run) keeps django-import-export's savepoint around each row, so that a row the
        # database refuses does not spoil the next rows' messages. Saving comes after a clean preview and runs
        # in this one transaction without them (two round trips a row fewer: the 10,000-row import, issue 17).
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=dry_run,
                                      rollback_on_validation_errors=True, user=user)
        lines = _error_lines(resource, result)
        if dry_run or lines:
            transaction.set_rollback(True)
    if lines and not dry_run:
        # nothing was kept; the preview's run names each row's own problem (a concurrent edit since the
        # preview), or, when it finds none, these lines stand
        preview = _run_import(kind, community, user, path, dry_run=True)
        if preview[3]:
            return preview
    return resource, result, dataset, lines, unknown


def _token_file(token: str) -> pathlib.Path | None:
    for path in _imports_dir().glob(f"{token}.*"):
        return path
    return None


@staff_required
def import_start(request, kind):
    """Staff/roles: the community's director or party secretary and street-office staff; residents: any staff
    member. Upload a file; it is stored under a random token and previewed (dry run) before anything is saved."""
    kind = _kind(kind)
    community = _check_import_right(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and community is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        suffix = pathlib.Path(upload.name).suffix.lower()
        try:
            read_table(data, suffix)
        except ValueError as e:
            form.add_error("file", str(e))
        else:
            directory = _imports_dir()
            _sweep_old_uploads(directory)
            token = secrets.token_hex(16)
            (directory / f"{token}{suffix}").write_bytes(data)
            uploads = request.session.get("imports", {})
            uploads[token] = {"kind": kind.key, "community": community.pk, "name": upload.name}
            request.session["imports"] = uploads
            return redirect("import_preview", kind=kind.key, token=token)
    resource = RESOURCES[kind.key]
    return render(request, "committee/import_start.html", {
        "kind": kind, "community": community, "form": form, "headers": resource.headers(),
        "required": resource.required_columns, "kinds": _allowed_kinds(request)})


def _allowed_kinds(request) -> list[tuple[str, object]]:
    allowed = []
    for other in KINDS.values():
        try:
            _check_import_right(request, other)
        except PermissionDenied:
            continue
        allowed.append((other.key, other.title))
    return allowed


def _upload_for(request, kind: Kind, token: str, community):
    """The stored upload of this user, kind and community, or 404."""
    info = request.session.get("imports", {}).get(token)
    if not info or info["kind"] != kind.key:
        raise Http404
    path = _token_file(token)
    if path is None:
        raise Http404
    if community is None or info["community"] != community.pk:
        raise PermissionDenied  # the street office switched community since the upload
    return info, path


@staff_required
def import_preview(request, kind, token):
    """Whoever uploaded the file: each row as new / changed / unchanged, and the problems by row and column.
    A dry run: nothing is saved. The confirm button appears only when every row is valid."""
    kind = _kind(kind)
    community = _check_import_right(request, kind)
    info, path = _upload_for(request, kind, token, community)
    return _preview(request, kind, community, info, path, token)


def _preview(request, kind, community, info, path, token, *, status=200):
    try:
        resource, result, dataset, lines, unknown = _run_import(kind, community, request.user, path, dry_run=True)
    except ValueError as e:
        return render(request, "committee/import_preview.html", {
            "kind": kind, "community": community, "info": info, "fatal": str(e)}, status=status)
    columns = [c for c in resource.headers() if c in dataset.headers][:6]
    by_row: dict[int, list] = {}
    for line in lines:
        by_row.setdefault(line["row"], []).append(line)
    rows = []
    for number, (row_result, values) in enumerate(zip(result.rows, dataset.dict, strict=False), start=2):
        shown = []
        for c in columns:
            value = values.get(c)
            value = "" if value is None else value
            if isinstance(value, dt.datetime):
                value = value.date()
            if c == "身份证号" and value:
                value = idcard.mask(str(value))  # lists show masked ID numbers
            shown.append((c, value))
        rows.append({"number": number, "type": row_result.import_type, "values": shown,
                     "problems": by_row.get(number, [])})
    totals = result.totals
    changes = totals.get("new", 0) + totals.get("update", 0)
    return render(request, "committee/import_preview.html", {
        "kind": kind, "community": community, "info": info, "columns": columns, "rows": rows,
        "lines": lines, "unknown": unknown, "totals": totals, "changes": changes,
        "can_confirm": not lines and changes > 0,
        "confirm_form": ConfirmImportForm(initial={"token": token}),
    }, status=status)


@require_POST
@staff_required
def import_confirm(request, kind):
    """Whoever uploaded the file: import every row in one transaction (all or nothing), then delete it."""
    kind = _kind(kind)
    community = _check_import_right(request, kind)
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        raise Http404
    token = form.cleaned_data["token"]
    info, path = _upload_for(request, kind, token, community)
    try:
        _resource, result, _dataset, lines, _unknown = _run_import(kind, community, request.user, path, dry_run=False)
    except ValueError as e:
        lines, result = [{"row": None, "column": "", "message": str(e)}], None
    if lines:
        messages.error(request, _("Nothing was imported: some rows are not valid. Correct the file and upload it "
                                  "again."))
        return _preview(request, kind, community, info, path, token, status=422)
    path.unlink(missing_ok=True)
    uploads = request.session.get("imports", {})
    uploads.pop(token, None)
    request.session["imports"] = uploads
    totals = result.totals
    messages.success(request, _("Imported into %(community)s: %(new)d new, %(update)d updated, %(skip)d unchanged.")
                     % {"community": community.name, "new": totals.get("new", 0),
                        "update": totals.get("update", 0), "skip": totals.get("skip", 0)})
    return redirect(kind.back)


def _xlsx_response(headers: list[str], rows: list[list], filename: str, notes: list[tuple] | None = None):
    """An .xlsx with the Chinese headers in bold, every cell as text (ID numbers keep all 18 digits)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    write_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDEEED")
    for r in rows:
        write_row(sheet, ["" if v is None else str(v) for v in r])  # CTL-8
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = 22 if header == "身份证号" else max(10, len(header) * 2 + 4)
        for row in range(2, max(len(rows), 200) + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    if notes:
        info = book.create_sheet("填写说明")
        info.append(["列", "说明", "必填", "示例"])
        for cell in info[1]:
            cell.font = Font(bold=True)
        for note in notes:
            write_row(info, list(note))
        info.column_dimensions["A"].width = 16
        info.column_dimensions["B"].width = 70
        info.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# Column notes for the template's second sheet (also in docs/import-formats.md). Official Chinese, like
# the headers: the sheet is a form for the office, whatever the screen language.
TEMPLATE_NOTES = {
    "staff": [
        ("姓名", "工作人员姓名；同一社区内按姓名匹配已有人员（已有则更新）", "是", "王丽"),
        ("性别", "男 或 女", "否", "女"),
        ("电话", "手机或座机", "否", "13800138000"),
        ("月工资（元）", "数字，最多两位小数", "否", "4500.00"),
        ("入职日期", "如 2026-03-01（也可写 2026/3/1、2026年3月1日）", "否", "2021-03-01"),
        ("离职日期", "离职后填写；不早于入职日期", "否", ""),
    ],
    "roles": [
        ("姓名", "本社区已有的工作人员姓名（先导入工作人员）", "是", "王丽"),
        ("职务", "主任、副主任、书记、委员、分管民政委员、低保员、劳动保障员、综合服务人员、站长、档案员、记账员、"
                 "印章保管人、考勤员 之一", "是", "主任"),
        ("开始日期", "任职开始日期", "是", "2024-01-01"),
        ("结束日期", "卸任后填写；不早于开始日期", "否", ""),
        ("备注", "", "否", "换届选举产生"),
    ],
    "residents": [
        ("姓名", "居民姓名", "是", "单小明"),
        ("身份证号", "18位公民身份号码（GB 11643），校验码必须正确；本列设为文本格式，以免 Excel 丢失末位数字；"
                     "同一社区内按身份证号匹配已有居民（已有则更新）", "是", "11010519491231002X"),
        ("性别", "男 或 女；不填则按身份证号第17位确定，填写须与身份证号一致", "否", "男"),
        ("楼栋", "楼栋名称，系统中没有的会新建", "否", "3号楼"),
        ("单元房号", "同一楼栋、同一单元房号的居民为同一户，没有的户会新建", "否", "2单元301"),
        ("户籍在本社区", "是 或 否（否：租户、流动人口）；新建户时使用，默认是", "否", "是"),
        ("与户主关系", "户主、配偶、子女、父母、孙子女、其他", "否", "户主"),
        ("电话", "", "否", "13800138000"),
        ("残疾", "是 或 否（不填为否）", "否", "否"),
        ("独居老人", "是 或 否", "否", "否"),
        ("重病", "是 或 否", "否", "否"),
        ("困难户", "是 或 否", "否", "否"),
        ("志愿者", "是 或 否", "否", "是"),
        ("迁出日期", "迁出后填写；记录保留不删除", "否", ""),
        ("备注", "", "否", ""),
    ],
}


@staff_required
def import_template(request, kind):
    """Whoever may import this kind: an empty .xlsx with the Chinese headers and a sheet of notes."""
    kind = _kind(kind)
    _check_import_right(request, kind)
    headers = RESOURCES[kind.key].headers()
    return _xlsx_response(headers, [], f"{kind.filename}-导入模板.xlsx", notes=TEMPLATE_NOTES[kind.key])


@staff_required
def export(request, kind):
    """Whoever may import this kind, for the community chosen: the current records as .xlsx (the same columns
    as the import, so an export edited in Excel imports back)."""
    kind = _kind(kind)
    community = _check_import_right(request, kind)
    if community is None:
        messages.error(request, _("Choose a community first (at the top of the page)."))
        return redirect("import_start", kind=kind.key)
    resource = RESOURCES[kind.key](community=community, user=request.user)
    queryset = resource.get_queryset()
    if kind.key == "staff":
        queryset = queryset.order_by("name")
    elif kind.key == "roles":
        queryset = queryset.order_by("staff__name", "start")
    else:
        queryset = queryset.order_by("household__building__name", "household__unit", "name")
    dataset = resource.export(queryset=queryset)
    today = timezone.localdate().strftime("%Y%m%d")
    # CTL-9: an export of personal data (ID numbers, phones, wages) is on the discipline inspection's trail
    audit.record(audit.Kind.PERSONAL_DATA_EXPORT, actor=request.user, target=community, request=request,
                 detail=f"{kind.filename}.xlsx, {len(dataset)} rows")
    return _xlsx_response(list(dataset.headers), [list(r) for r in dataset],
                          f"{kind.filename}-{community.name}-{today}.xlsx")

