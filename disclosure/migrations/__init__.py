"""DIS-1 categories with their DIS-2 cadence (the rule book's defaults; the street office edits them).

Used by the data migration 0002_seed_categories and, after every migrate, by DisclosureConfig's
post_migrate handler (a database built without migrations has them too)."""

SEED = [
    # key, cadence, min_days, min_working_days
    ("policy", "half_year", None, None),
    ("plans", "half_year", None, None),
    ("targets", "half_year", None, None),
    ("family_planning", "half_year", None, None),
    ("finance", "quarter", None, None),
    ("dibao", "quarter", None, None),
    ("disability", "as_needed", None, None),
    ("welfare", "as_needed", None, None),  # WEL-11: at least wel.posting_days working days (policy)
    ("service_outlet", "as_needed", None, None),
    ("donations", "as_needed", None, None),
    ("seal", "as_needed", None, None),  # SEAL-8: at least seal.lost_notice_days days (policy)
    ("other", "as_needed", None, None),
]


def seed(apps) -> None:
    Category = apps.get_model("disclosure", "Category")
    for order, (key, cadence, min_days, min_working) in enumerate(SEED, 1):
        Category.objects.get_or_create(key=key, defaults={"cadence": cadence, "min_days": min_days,
                                                          "min_working_days": min_working, "order": order * 10})
