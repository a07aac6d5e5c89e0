"""Permission-matrix entries of the residents' register and the Excel import/export pages."""

from committee.models import Building, Grid, Household
from tests import factories as f
from tests.matrix import add, everyone, world_builder


@world_builder
def register_world(w):
    a = w["a"]
    w["grid_a"] = Grid.objects.create(community=a, name="矩阵片")
    w["building_a"] = Building.objects.create(community=a, name="矩阵楼", grid=w["grid_a"])
    w["household_a"] = Household.objects.create(community=a, building=w["building_a"], unit="1单元101")
    w["resident_a"] = f.person(a, "矩阵居民", household=w["household_a"])


N = 404
D = 403
FAKE_TOKEN = "0" * 32

add("person_list", everyone())
add("person_create", everyone(), note="(street: choose a community first)")
add("person_detail", everyone(200, staff_b=N), args=lambda w: [w["resident_a"].pk])
add("person_edit", everyone(200, staff_b=N), args=lambda w: [w["resident_a"].pk])
add("person_move_out", everyone(302, staff_b=N), method="post", args=lambda w: [w["resident_a"].pk],
    data=lambda w: {"moved_out_on": "2025-01-01"})
add("household_create", everyone())
add("household_detail", everyone(200, staff_b=N), args=lambda w: [w["household_a"].pk])
add("household_edit", everyone(200, staff_b=N), args=lambda w: [w["household_a"].pk])
add("building_list", everyone())
add("building_create", everyone())
add("building_detail", everyone(200, staff_b=N), args=lambda w: [w["building_a"].pk])
add("building_edit", everyone(200, staff_b=N), args=lambda w: [w["building_a"].pk])
add("grid_list", everyone())
add("grid_create", everyone())
add("grid_detail", everyone(200, staff_b=N), args=lambda w: [w["grid_a"].pk])
add("grid_edit", everyone(200, staff_b=N), args=lambda w: [w["grid_a"].pk])
add("history", everyone(200, staff_b=N), args=lambda w: ["committee", "household", w["household_a"].pk],
    note="household")

# Excel: residents — any staff member; staff and roles — director / party secretary and the street office.
add("import_start", everyone(), args=lambda w: ["residents"], note="residents")
add("import_start", everyone(200, staff_a=D, staff_b=D), args=lambda w: ["staff"], note="staff")
add("import_start", everyone(200, staff_a=D, staff_b=D), args=lambda w: ["roles"], note="roles")
add("import_start", everyone(N), args=lambda w: ["nonsense"], note="unknown kind")
# A token that is not this user's upload is a 404 (tokens live in the uploader's session).
add("import_preview", everyone(N), args=lambda w: ["residents", FAKE_TOKEN], note="residents")
add("import_preview", everyone(N, staff_a=D, staff_b=D), args=lambda w: ["staff", FAKE_TOKEN], note="staff")
add("import_confirm", everyone(N), method="post", args=lambda w: ["residents"], data=lambda w: {"token": FAKE_TOKEN})
add("import_confirm", everyone(N, staff_a=D, staff_b=D), method="post", args=lambda w: ["roles"],
    data=lambda w: {"token": FAKE_TOKEN}, note="roles")
add("import_template", everyone(), args=lambda w: ["residents"], note="residents")
add("import_template", everyone(200, staff_a=D, staff_b=D), args=lambda w: ["staff"], note="staff")
# Export needs a community: the street office with "all communities" is sent back to choose one.
add("export", everyone(200, street=302), args=lambda w: ["residents"], note="residents")
add("export", everyone(200, staff_a=D, staff_b=D, street=302), args=lambda w: ["staff"], note="staff")
add("export", everyone(200, staff_a=D, staff_b=D, street=302), args=lambda w: ["roles"], note="roles")
