"""ARC-1: the categories of the rule book (A5 档案工作制度), the policy table of the catalogue."""

from django.db import migrations

from archives.migrations import CATEGORY_NAMES as CATEGORIES


def add(apps, schema_editor):
    Category = apps.get_model("archives", "Category")
    for order, (key, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(key=key, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
