"""DIS-1 categories with their DIS-2 cadence (the rule book's defaults; the street office edits them)."""

from django.db import migrations

from disclosure.migrations import seed as seed_categories

def seed(apps, schema_editor):
    seed_categories(apps)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
