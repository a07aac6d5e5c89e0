"""Excel import/export of staff, role assignments and residents, with Chinese column headers.

The community of every imported row is the importing user's community (set by the view, never read from
the file). Rows are validated with the models' own rules (``full_clean``: the ID check digit, dates …);
the import runs in one transaction and saves nothing when any row is invalid (see views_register).

The column headers are the official Chinese terms whatever the screen language, so a sheet exported in
one language imports in another. Messages about a cell are translated; the view prefixes them with the
row number and the column header.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history

from committee import controls, idcard
from committee.inputs import CONTROL, find_control_character
from committee.models import (
    ROLE_CHINESE_NAMES,
    STREET_ROLES,
    Building,
    Gender,
    Household,
    Person,
    RoleAssignment,
    Staff,
)
from committee.scoping import staff_for
from committee.spreadsheets import safe_cells

GENDER_NAMES = {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}
YES = {"是", "有", "y", "yes", "1", "true", "√", "✓", "✔"}
NO = {"否", "无", "n", "no", "0", "false", "×", "✗"}
RELATION_NAMES = {"户主": "head", "配偶": "spouse", "子女": "child", "父母": "parent", "孙子女": "grandchild",
                  "其他": "other"}
MAX_ROWS = 3000


def _text(value) -> str:
    """A cell as text: Excel gives whole numbers as int/float (phone 13800138000.0 → "13800138000")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


class ChoiceNameWidget(widgets.Widget):
    """A choice written by its Chinese name in the sheet (主任, 男), stored as its code."""

    def __init__(self, names: dict):
        super().__init__()
        self.names = {str(k): str(v) for k, v in names.items()}
        self.codes = {}
        for name, code in self.names.items():
            self.codes.setdefault(code, name)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        if text in self.names:
            return self.names[text]
        if text in self.codes:
            return text
        choices = "、".join(n for n in self.names if n not in self.codes)  # the Chinese names only
        raise ValueError(_("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": choices})

    def render(self, value, obj=None, **kwargs):
        return self.codes.get(value, value or "")


class YesNoWidget(widgets.Widget):
    """是 / 否 (or empty = no)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in YES:
            return True
        if text in NO or not text:
            return False
        raise ValueError(_("“%(value)s” is neither 是 (yes) nor 否 (no).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChineseDateWidget(widgets.Widget):
    """Dates as Excel dates or text: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        for fmt in self.FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it like 2026-03-01.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%Y-%m-%d") if value else ""


class MoneyWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "").replace("，", "").removesuffix("元")
        if not text:
            return None
        try:
            return super().clean(text, row, **kwargs)
        except Exception:
            raise ValueError(_("“%(value)s” is not an amount in yuan, e.g. 4500.00.") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:.2f}"


class _NoDiff:
    """No row-by-row comparison: the import pages show totals and errors, never a row's changes
    (``skip_html_diff``), so django-import-export's Diff would read every field twice a row for nothing (the
    10,000-row import, issue 17). ``skip_unchanged`` still compares the row with its copy (``skip_row``)."""

    def __init__(self, *args, **kwargs):
        pass

    def compare_with(self, *args, **kwargs):
        pass


class CommunityScopedResource(resources.ModelResource):
    """Every row belongs to the community given to the resource; rows are matched inside it only.

    ``community`` is required for importing; ``user`` (the importing user) is recorded in the history of
    every row saved."""

    # Columns a file must have (headers); the other columns may be left out.
    required_columns: tuple[str, ...] = ()

    def __init__(self, community=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.community = community
        self.user = user
        self._seen_keys: dict[tuple, int] = {}
        self._import_fields = None

    def get_diff_class(self):
        return _NoDiff

    def get_import_fields(self):
        """The import's columns, computed once per resource (django-import-export asks five times a row)."""
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True

    # --- columns ---------------------------------------------------------------------------------

    @classmethod
    def headers(cls) -> list[str]:
        return [f.column_name for f in cls().get_import_fields()]

    def column_for(self, key: str) -> str:
        """The header of the column that holds a model field (for error messages), or ""."""
        if key in self.fields:
            return self.fields[key].column_name
        for f in self.fields.values():
            if f.attribute == key or f.column_name == key:
                return f.column_name
        return self.extra_columns().get(key, "")

    def extra_columns(self) -> dict[str, str]:
        return {}

    def check_headers(self, headers) -> tuple[list[str], list[str]]:
        """(missing required columns, unknown columns that will be ignored)."""
        known = set(self.headers())
        headers = [h for h in headers if h]
        missing = [c for c in self.required_columns if c not in headers]
        unknown = [h for h in headers if h not in known]
        return missing, unknown

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # CTL-8: every export of these resources (the register pages and the admin's) neutralises formulas
        # and control characters of legacy rows.
        return safe_cells(super().export_resource(instance, selected_fields=selected_fields, **kwargs))

    # --- rows ------------------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.community is None:
            raise ValidationError(_("Choose the community to import into first."))

    def before_import_row(self, row, **kwargs):
        # Excel cells arrive as numbers or with spaces around; text columns want clean text.
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = value.strip()
        bad = {key: find_control_character(value) for key, value in row.items() if isinstance(value, str)}
        bad = {key: char for key, char in bad.items() if char}
        if bad:  # CTL-8: the row is refused, the message names the column (the view adds the row)
            raise ValidationError({key: _("This cell contains a control character (%(char)s), which is not allowed "
                                          "(CTL-8).") % {"char": char} for key, char in bad.items()})

    def get_instance(self, instance_loader, row):
        """Find the existing record by the key columns; an unreadable key or two matches name the column."""
        errors = {}
        key = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                return None
            try:
                key.append(field.clean(row))
            except ValueError as e:
                errors[field.attribute] = ValidationError(str(e))
        if errors:
            raise ValidationError(errors)
        # The same record twice in one file is almost always a copy-paste slip: refuse the second row.
        row_key = tuple(str(k) for k in key)
        if all(key):
            first = self._seen_keys.setdefault(row_key, self._row_number)
            if first != self._row_number:
                raise ValidationError({self.fields[self.get_import_id_fields()[0]].attribute: _(
                    "The same record already appears in row %(row)d of this file.") % {"row": first + 1}})
        try:
            return super().get_instance(instance_loader, row)
        except MultipleObjectsReturned:
            raise ValidationError({self.fields[self.get_import_id_fields()[0]].attribute: _(
                "Several records match this row; correct them on screen first.")}) from None

    def import_row(self, row, instance_loader, **kwargs):
        self._row_number = kwargs.get("row_number", 0)
        return super().import_row(row, instance_loader, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # The history records the importing user (the request middleware does too; services may import
        # outside a request).
        if self.user is not None:
            instance._history_user = self.user


class StaffResource(CommunityScopedResource):
    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget())
    gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceNameWidget(GENDER_NAMES))
    phone = fields.Field(attribute="phone", column_name="电话", widget=TextWidget())
    monthly_wage = fields.Field(attribute="monthly_wage", column_name="月工资（元）", widget=MoneyWidget())
    joined_on = fields.Field(attribute="joined_on", column_name="入职日期", widget=ChineseDateWidget())
    left_on = fields.Field(attribute="left_on", column_name="离职日期", widget=ChineseDateWidget())

    required_columns = ("姓名",)

    class Meta(CommunityScopedResource.Meta):
        model = Staff
        fields = ["name", "gender", "phone", "monthly_wage", "joined_on", "left_on"]
        import_order = fields
        export_order = fields
        import_id_fields = ["name"]

    def get_queryset(self):
        # Only the community's own staff: a name in the file never matches another community's person.
        return Staff.objects.filter(community=self.community).select_related("community", "street_office")

    def import_instance(self, instance, row, **kwargs):
        instance.community = self.community
        instance.street_office_id = self.community.street_office_id
        before = None
        if instance.pk:
            before = Staff.objects.filter(pk=instance.pk).values_list("monthly_wage", flat=True).first()
        super().import_instance(instance, row, **kwargs)
        # CTL-4: a wage is set by the street office only, whether typed on screen or in a file.
        if instance.monthly_wage != before and not (instance.monthly_wage is None and before is None):
            actor = staff_for(self.user)
            allowed = controls.can_set_wage(actor, instance if instance.pk else None)
            if not allowed:
                raise ValidationError({"monthly_wage": _(
                    "Wages are set by the street office (系统管理员, department head or finance); the community "
                    "sees them and cannot change them (CTL-4).")})


class StaffNameWidget(widgets.Widget):
    """A staff member of the importing community, by name."""

    def __init__(self, resource):
        super().__init__()
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError(_("The name is missing."))
        found = list(Staff.objects.filter(name=name, community=self.resource.community)[:2])
        if not found:
            raise ValueError(_("No staff member called “%(name)s” in this community; import the staff first.")
                             % {"name": name})
        if len(found) > 1:
            raise ValueError(_("Two staff members are called “%(name)s”; give this role on screen.")
                             % {"name": name})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class RoleAssignmentResource(CommunityScopedResource):
    role = fields.Field(attribute="role", column_name="职务", widget=ChoiceNameWidget(
        {name: code for code, name in ROLE_CHINESE_NAMES.items() if code not in STREET_ROLES}))
    start = fields.Field(attribute="start", column_name="开始日期", widget=ChineseDateWidget())
    end = fields.Field(attribute="end", column_name="结束日期", widget=ChineseDateWidget())
    note = fields.Field(attribute="note", column_name="备注", widget=TextWidget())

    required_columns = ("姓名", "职务", "开始日期")

    class Meta(CommunityScopedResource.Meta):
        model = RoleAssignment
        fields = ["staff", "role", "start", "end", "note"]
        import_order = fields
        export_order = fields
        import_id_fields = ["staff", "role", "start"]

    def __init__(self, community=None, user=None, **kwargs):
        super().__init__(community=community, user=user, **kwargs)
        self.fields["staff"] = fields.Field(attribute="staff", column_name="姓名", widget=StaffNameWidget(self))

    @classmethod
    def headers(cls) -> list[str]:
        return ["姓名", "职务", "开始日期", "结束日期", "备注"]

    def get_queryset(self):
        # Community roles of the community's own staff (street-office roles are given on screen).
        return RoleAssignment.objects.select_related("staff").filter(
            staff__community=self.community, community=self.community)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # ORG-2: a community role is held in the staff member's own community (the model's clean refuses
        # street-office roles for community staff).
        instance.community = self.community if instance.role not in STREET_ROLES else None
        # CTL-1: a file grants nothing the importing person could not grant on screen (no approving role
        # from a director, nothing for oneself), and a start in the past needs a reason (the 备注 column).
        if getattr(instance, "staff_id", None) and instance.role:
            try:
                controls.check_grant(staff_for(self.user), instance.role, instance.staff)
                if not instance.pk:
                    controls.check_dates(instance.start, instance.note)
            except ValidationError as e:
                raise ValidationError({"role": [m for m in e.messages]}) from None
            if not instance.pk and instance.start and instance.start < timezone.localdate() and instance.note:
                instance.backdate_reason = instance.note[:200]


class HouseholdWidget(widgets.Widget):
    """Not a cell: the household is found (or created) from 楼栋 + 单元房号 in PersonResource."""


class PeopleOfTheFileLoader(BaseInstanceLoader):
    """The community's residents named by the file's ID numbers, read in one query (normalised as the rows
    are: ``before_import_row``), instead of one query a row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        numbers = {idcard.normalise(_text(row.get("身份证号"))) for row in (dataset.dict if dataset else [])}
        numbers.discard("")
        self.people = {}
        numbers = sorted(numbers)
        for i in range(0, len(numbers), 500):
            for person in resource.get_queryset().filter(id_number__in=numbers[i:i + 500]):
                self.people.setdefault(person.id_number, person)

    def get_instance(self, row):
        return self.people.get(row.get("身份证号") or "")


class PersonResource(CommunityScopedResource):
    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget())
    id_number = fields.Field(attribute="id_number", column_name="身份证号", widget=TextWidget())
    gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceNameWidget(GENDER_NAMES))
    building = fields.Field(column_name="楼栋", widget=TextWidget())
    unit = fields.Field(column_name="单元房号", widget=TextWidget())
    registered = fields.Field(column_name="户籍在本社区", widget=YesNoWidget())
    relation = fields.Field(attribute="relation", column_name="与户主关系", widget=ChoiceNameWidget(RELATION_NAMES))
    phone = fields.Field(attribute="phone", column_name="电话", widget=TextWidget())
    disabled = fields.Field(attribute="disabled", column_name="残疾", widget=YesNoWidget())
    elderly_alone = fields.Field(attribute="elderly_alone", column_name="独居老人", widget=YesNoWidget())
    serious_illness = fields.Field(attribute="serious_illness", column_name="重病", widget=YesNoWidget())
    hardship = fields.Field(attribute="hardship", column_name="困难户", widget=YesNoWidget())
    volunteer = fields.Field(attribute="volunteer", column_name="志愿者", widget=YesNoWidget())
    moved_out_on = fields.Field(attribute="moved_out_on", column_name="迁出日期", widget=ChineseDateWidget())
    note = fields.Field(attribute="note", column_name="备注", widget=TextWidget())

    required_columns = ("姓名", "身份证号")

    class Meta(CommunityScopedResource.Meta):
        model = Person
        fields = ["name", "id_number", "gender", "building", "unit", "registered", "relation", "phone",
                  "disabled", "elderly_alone", "serious_illness", "hardship", "volunteer", "moved_out_on", "note"]
        import_order = fields
        export_order = fields
        import_id_fields = ["id_number"]
        instance_loader_class = PeopleOfTheFileLoader

    # Issue 17 (a 10,000-row register in seconds): the file's residents are read in one query (the loader),
    # its buildings and flats are read, and the missing ones made, before the rows (``before_import``), and
    # the new residents are inserted in batches with their history rows (``after_import``). A row still
    # gets every check of the models (``full_clean``) except the ones answered here without a query: the
    # community and the flat are the ones this resource set, and the same ID number twice is refused by
    # ``get_instance``.
    BATCH = 500

    def get_queryset(self):
        return Person.objects.filter(community=self.community).select_related("household__building")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._new_people = []
        self._buildings = {b.name: b for b in Building.objects.filter(community=self.community).order_by("pk")}
        self._households = {}
        for household in Household.objects.filter(community=self.community).order_by("pk"):
            self._households.setdefault((household.building_id, household.unit), household)
        self._make_places(dataset)

    def _make_places(self, dataset):
        """The buildings and flats the file names and the community lacks, made in two bulk inserts (with their
        history). A cell the models would refuse (a control character, too long) is left to its row, whose
        own save refuses it with a message; the whole import is refused then, these rows with it."""
        if "楼栋" not in (dataset.headers or []) and "单元房号" not in (dataset.headers or []):
            return
        name_max = Building._meta.get_field("name").max_length
        unit_max = Household._meta.get_field("unit").max_length
        buildings, flats = {}, {}
        for row in dataset.dict:
            name, unit = _text(row.get("楼栋")), _text(row.get("单元房号"))
            if (not name and not unit) or CONTROL.search(name + unit) or len(name) > name_max or len(unit) > unit_max:
                continue
            if name and name not in self._buildings:
                buildings.setdefault(name, Building(community=self.community, name=name))
            try:
                registered = YesNoWidget().clean(row.get("户籍在本社区")) if "户籍在本社区" in row else None
            except ValueError:
                continue  # the row is refused with the message
            flats.setdefault((name, unit), True if registered is None else registered)
        if buildings:
            made = bulk_create_with_history(list(buildings.values()), Building, batch_size=self.BATCH,
                                            default_user=self.user)
            self._buildings.update({b.name: b for b in made})
        new = []
        for (name, unit), registered in flats.items():
            building = self._buildings.get(name) if name else None
            key = (building.pk if building else None, unit)
            if key not in self._households:
                household = Household(community=self.community, building=building, unit=unit,
                                      registered_locally=registered)
                self._households[key] = household
                new.append(household)
        if new:
            bulk_create_with_history(new, Household, batch_size=self.BATCH, default_user=self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "community", "household"], validate_unique=False,
                                validate_constraints=False)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        if is_create:
            instance.fill_derived()
            self._new_people.append(instance)
        else:
            instance.save()

    def after_import(self, dataset, result, **kwargs):
        people, self._new_people = self._new_people, []
        if people and not result.has_errors() and not result.has_validation_errors():
            bulk_create_with_history(people, Person, batch_size=self.BATCH, default_user=self.user)
        super().after_import(dataset, result, **kwargs)  # PostgreSQL: the id sequence after the inserts

    def extra_columns(self):
        return {"household": "单元房号", "birth_date": "身份证号"}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if "身份证号" in row:
            row["身份证号"] = idcard.normalise(_text(row["身份证号"]))

    def dehydrate_building(self, person):
        return person.household.building.name if person.household_id and person.household.building_id else ""

    def dehydrate_unit(self, person):
        return person.household.unit if person.household_id else ""

    def dehydrate_registered(self, person):
        return "是" if not person.household_id or person.household.registered_locally else "否"

    def import_instance(self, instance, row, **kwargs):
        instance.community = self.community
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        # The gender is written in the ID number (17th digit): fill it in, or refuse a contradiction.
        try:
            idcard.validate_id_number(instance.id_number)
        except ValidationError:
            pass  # full_clean reports the ID number itself
        else:
            from_id = idcard.gender(instance.id_number)
            if not instance.gender:
                instance.gender = from_id
            elif instance.gender != from_id and "gender" not in errors:
                errors["gender"] = [_("The gender does not match the ID number (its 17th digit).")]
        try:
            registered = self.fields["registered"].clean(row) if "户籍在本社区" in row else None
        except ValueError as e:
            errors["registered"] = [str(e)]
            registered = None
        if not errors:
            self._place_in_household(instance, row, registered)
        if errors:
            raise ValidationError(errors)

    def _place_in_household(self, instance, row, registered):
        """Find or create the household at 楼栋 + 单元房号 (and the building) of the community."""
        if "楼栋" not in row and "单元房号" not in row:
            return  # the file does not say: keep the household as it is
        building_name = _text(row.get("楼栋"))
        unit = _text(row.get("单元房号"))
        if not building_name and not unit:
            instance.household = None
            return
        too_long = {}
        for key, text, model, name in (("building", building_name, Building, "name"), ("unit", unit, Household, "unit")):
            limit = model._meta.get_field(name).max_length
            if len(text) > limit:
                too_long[key] = [_("At most %(limit)d characters; this cell has %(length)d (CTL-8).")
                                 % {"limit": limit, "length": len(text)}]
        if too_long:
            raise ValidationError(too_long)
        building = None
        if building_name:
            building = self._buildings.get(building_name)
            if building is None:  # a cell _make_places left to the row: its save names the problem
                building = Building(community=self.community, name=building_name)
                building._history_user = self.user
                building.save()
                self._buildings[building_name] = building
        household = self._households.get((building.pk if building else None, unit))
        if household is None:
            household = Household(community=self.community, building=building, unit=unit,
                                  registered_locally=True if registered is None else registered)
            household._history_user = self.user
            household.save()
            self._households[(household.building_id, unit)] = household
        elif registered is not None and household.registered_locally != registered:
            household.registered_locally = registered
            household._history_user = self.user
            household.save()
            instance._household_changed = True  # shown as a change, not as "unchanged"
        instance.household = household

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # The household is not a plain column: a move to another flat is a change.
        if original is not None and original.pk and (
                instance.household_id != original.household_id or getattr(instance, "_household_changed", False)):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)


RESOURCES = {"staff": StaffResource, "roles": RoleAssignmentResource, "residents": PersonResource}
