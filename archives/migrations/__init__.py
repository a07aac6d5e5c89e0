# ARC-1: the categories of the rule book in Chinese (the names stored in the table), in its order; used by the
# data migration 0002_categories, by services.ensure_categories and, after every migrate, by
# ArchivesConfig's post_migrate handler (a database built without migrations has them too).
CATEGORY_NAMES = [
    ("meetings", "会议记录、纪要、讲话"),
    ("reports", "总结、计划、报告、请示、批复"),
    ("petitions", "信访登记"),
    ("street_documents", "街道规章、决定、通知"),
    ("personnel", "人员考勤、任免、聘用、离职"),
    ("clippings", "剪报"),
    ("honours", "社区及个人荣誉"),
    ("ledgers", "花名册、台账"),
    ("media", "照片、录像"),
    ("trophies", "奖杯、证书"),
    ("other", "其他"),
]


def seed(apps) -> None:
    """ARC-1: adds the categories that are missing (a renamed one keeps its name)."""
    Category = apps.get_model("archives", "Category")
    for order, (key, name) in enumerate(CATEGORY_NAMES, start=1):
        Category.objects.get_or_create(key=key, defaults={"name": name, "order": order})
