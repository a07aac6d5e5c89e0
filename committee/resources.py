"""Excel import/export of staff, role assignments and residents, with Chinese column headers.

The community of every imported row is the importing user's community (set by the view, never read from
the file). Rows are validated with the models' own rules (``full_clean``: the ID check digit, dates …);
the import runs in one transaction and saves nothing when any row is invalid.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from committee.models import (
    ROLE_CHINESE_NAMES,
    Building,
    Gender,
    Household,
    Person,
    Role,
    RoleAssignment,
    Staff,
)

GENDER_NAMES = {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}
YES = {"是", "有", "Y", "y", "yes", "1", "true", "TRUE", "√", "✓"}


class ChoiceNameWidget(widgets.Widget):
    """A choice written by its Chinese name in the sheet (主任, 男), stored as its code."""

    def __init__(self, names: dict, label: str):
        super().__init__()
        self.names = {str(k): v for k, v in names.items()}
        self.codes = {v: k for k, v in names.items()}
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        if text in self.names:
            return self.names[text]
        if text in self.codes:
            return text
        raise ValueError(f"{self.label}“{text}”不是可选值：{'、'.join(self.names)}")

    def render(self, value, obj=None, **kwargs):
        return self.codes.get(value, value or "")


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip() in YES

    def render(self, value, obj=None, **kwargs):
        return "是" if value else ""


class ChineseDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            for fmt in ("%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
                import datetime as dt

                try:
                    return dt.datetime.strptime(str(value).strip(), fmt).date()
                except ValueError:
                    continue
        raise ValueError(f"日期“{value}”无法识别，请写成 2026-03-01")


class CommunityScopedResource(resources.ModelResource):
    """Every row belongs to the community given to the resource; rows are matched inside it only."""

    def __init__(self, community=None, **kwargs):
        super().__init__(**kwargs)
        self.community = community

    def before_import_row(self, row, **kwargs):
        # Excel cells arrive as numbers or with spaces around; the register wants clean text.
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = value.strip()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class StaffResource(CommunityScopedResource):
    name = fields.Field(attribute="name", column_name="姓名")
    gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceNameWidget(GENDER_NAMES, "性别"))
    phone = fields.Field(attribute="phone", column_name="电话")
    monthly_wage = fields.Field(attribute="monthly_wage", column_name="月工资（元）", widget=widgets.DecimalWidget())
    joined_on = fields.Field(attribute="joined_on", column_name="入职日期", widget=ChineseDateWidget())

    class Meta(CommunityScopedResource.Meta):
        model = Staff
        fields = ["name", "gender", "phone", "monthly_wage", "joined_on"]
        import_id_fields = ["name"]

    def get_queryset(self):
        return Staff.objects.filter(community=self.community) if self.community else Staff.objects.all()

    def before_save_instance(self, instance, row, **kwargs):
        if self.community is not None:
            instance.community = self.community
            instance.street_office_id = self.community.street_office_id

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if self.community is not None:
            instance.community = self.community
            instance.street_office_id = self.community.street_office_id


class StaffNameWidget(widgets.Widget):
    def __init__(self, resource):
        super().__init__()
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        qs = Staff.objects.filter(name=name)
        if self.resource.community is not None:
            qs = qs.filter(community=self.resource.community)
        found = list(qs[:2])
        if not found:
            raise ValueError(f"找不到工作人员“{name}”，请先导入工作人员")
        if len(found) > 1:
            raise ValueError(f"有两名工作人员叫“{name}”，请在系统中手工指定")
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class RoleAssignmentResource(CommunityScopedResource):
    role = fields.Field(attribute="role", column_name="职务", widget=ChoiceNameWidget(
        {v: k for k, v in ROLE_CHINESE_NAMES.items()}, "职务"))
    start = fields.Field(attribute="start", column_name="开始日期", widget=ChineseDateWidget())
    end = fields.Field(attribute="end", column_name="结束日期", widget=ChineseDateWidget())
    note = fields.Field(attribute="note", column_name="备注")

    class Meta(CommunityScopedResource.Meta):
        model = RoleAssignment
        fields = ["staff", "role", "start", "end", "note"]
        import_id_fields = ["staff", "role", "start"]

    def __init__(self, community=None, **kwargs):
        super().__init__(community=community, **kwargs)
        self.fields["staff"] = fields.Field(attribute="staff", column_name="姓名", widget=StaffNameWidget(self))

    def get_queryset(self):
        qs = RoleAssignment.objects.select_related("staff")
        return qs.filter(staff__community=self.community) if self.community else qs

    def get_export_order(self):
        return ["staff", "role", "start", "end", "note"]

    def before_save_instance(self, instance, row, **kwargs):
        if instance.role in {r.value for r in Role} and self.community is not None and instance.role not in {
            "instructor", "department_head", "street_leader", "building_office_director", "finance", "discipline"
        }:
            instance.community = self.community


class PersonResource(CommunityScopedResource):
    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceNameWidget(GENDER_NAMES, "性别"))
    building = fields.Field(column_name="楼栋")
    unit = fields.Field(column_name="单元房号")
    relation = fields.Field(attribute="relation", column_name="与户主关系", widget=ChoiceNameWidget(
        {"户主": "head", "配偶": "spouse", "子女": "child", "父母": "parent", "孙子女": "grandchild", "其他": "other"},
        "与户主关系"))
    phone = fields.Field(attribute="phone", column_name="电话")
    disabled = fields.Field(attribute="disabled", column_name="残疾", widget=YesNoWidget())
    elderly_alone = fields.Field(attribute="elderly_alone", column_name="独居老人", widget=YesNoWidget())
    serious_illness = fields.Field(attribute="serious_illness", column_name="重病", widget=YesNoWidget())
    hardship = fields.Field(attribute="hardship", column_name="困难户", widget=YesNoWidget())
    volunteer = fields.Field(attribute="volunteer", column_name="志愿者", widget=YesNoWidget())
    note = fields.Field(attribute="note", column_name="备注")

    class Meta(CommunityScopedResource.Meta):
        model = Person
        fields = ["name", "id_number", "gender", "building", "unit", "relation", "phone", "disabled",
                  "elderly_alone", "serious_illness", "hardship", "volunteer", "note"]
        export_order = fields
        import_id_fields = ["id_number"]

    def get_queryset(self):
        qs = Person.objects.select_related("household__building")
        return qs.filter(community=self.community) if self.community else qs

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if row.get("身份证号") is not None:
            row["身份证号"] = str(row["身份证号"]).strip().upper()

    def dehydrate_building(self, person):
        return person.household.building.name if person.household_id and person.household.building_id else ""

    def dehydrate_unit(self, person):
        return person.household.unit if person.household_id else ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if self.community is None:
            raise ValidationError("导入居民须指定社区")
        instance.community = self.community
        building_name = str(row.get("楼栋") or "").strip()
        unit = str(row.get("单元房号") or "").strip()
        if building_name or unit:
            building = None
            if building_name:
                building, _ = Building.objects.get_or_create(community=self.community, name=building_name)
            household = Household.objects.filter(community=self.community, building=building, unit=unit).first()
            if household is None:
                household = Household.objects.create(community=self.community, building=building, unit=unit)
            instance.household = household
