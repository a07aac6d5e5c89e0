"""Permission-matrix entries of the welfare chapter: every URL × persona. Objects belong to community A
(staff_b gets 404); pages that only a community's own staff use answer 403 to the street office."""

from __future__ import annotations

from django.utils import timezone

from committee.models import Role
from tests import factories as f
from tests.matrix import add, everyone, world_builder
from tests.welfare import helpers
from welfare import services


@world_builder
def welfare_world(w):
    a = w["a"]
    instructor = f.staff(w["street"], "指导员", [Role.INSTRUCTOR], role_community=a)
    finance = f.staff(w["street"], "街道财务", [Role.FINANCE])
    plan = helpers.approved_plan(a, member=w["staff_a"], director=w["director_a"], instructor=instructor,
                                 reviewer=w["supervisor"], setter=finance)
    project = plan.projects.get(name="睦邻互助")
    w["wel_plan"], w["wel_project"] = plan, project
    services.record_activity(project, title="互助培训", date=timezone.localdate(), form="training", sessions=2,
                             participants=20, acting_user=w["staff_a"].user)
    w["wel_spending"] = services.spend(project, kind="costs", purpose="培训物料", amount="100.00", payee="公司",
                                       method="transfer", acting_user=w["staff_a"].user)
    w["wel_change"] = services.request_change(plan, source=project, target=plan.projects.get(name="广场舞大赛"),
                                              amount="100.00", reason="调整", acting_user=w["staff_a"].user)
    w["wel_category"] = services.categories(a.street_office).first()


N, D = 404, 403
plan = lambda w: [w["wel_plan"].pk]  # noqa: E731
project = lambda w: [w["wel_project"].pk]  # noqa: E731
own = {"staff_b": N, "street": D}  # the community's own staff only

add("welfare_home", everyone())
add("welfare_plan_new", everyone(302, street=D), method="post",
    data=lambda w: {"year": str(timezone.localdate().year + 1)})
add("welfare_plan", everyone(200, staff_b=N), args=plan)
add("welfare_plan_act", everyone(302, staff_b=N), method="post", args=lambda w: [w["wel_plan"].pk, "opinions"],
    data=lambda w: {"note": "意见"})
add("welfare_project_new", everyone(200, **own), args=plan)
add("welfare_change_new", everyone(200, **own), args=plan)
add("welfare_project", everyone(200, staff_b=N), args=project)
add("welfare_spend", everyone(200, **own), args=project)
add("welfare_activity_new", everyone(200, **own), args=project)
add("welfare_survey_new", everyone(200, **own), args=project)
add("welfare_project_complete", everyone(302, staff_b=N), method="post", args=project, data=lambda w: {"note": "完成"})
add("welfare_project_approve", everyone(302, staff_b=N), method="post", args=project)
add("welfare_sign", everyone(302, staff_b=N), method="post", args=lambda w: [w["wel_spending"].pk],
    data=lambda w: {"kind": "director"})
add("welfare_change", everyone(200, staff_b=N), args=lambda w: [w["wel_change"].pk])
add("welfare_quarters", everyone())
add("welfare_quarter_act", everyone(302), method="post",
    args=lambda w: [timezone.localdate().year, 1, "report"], data=lambda w: {"community": w["a"].pk, "report": "完成"})
add("welfare_summary", everyone())
add("welfare_groups", everyone())
add("welfare_group_new", everyone(302), method="post",
    data=lambda w: {"community": w["a"].pk, "kind": services.MANAGEMENT_GROUP})
add("welfare_tables", everyone())
add("welfare_table_add", everyone(D, street=302), method="post",
    data=lambda w: {"table": "category", "name": "新类别"})
add("welfare_table_toggle", everyone(D, street=302), method="post",
    args=lambda w: ["category", w["wel_category"].pk])
