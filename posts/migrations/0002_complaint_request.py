"""GRID-6: the complaint's residents' request becomes a foreign key to visits.Request. The column stays
``request_id``: first the state names the old integer by its column, then the field is altered in place, so
existing values are kept."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("posts", "0001_initial"),
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField("complaint", "request_id"),
            migrations.AddField("complaint", "request", models.PositiveIntegerField(
                blank=True, null=True, db_column="request_id", verbose_name="residents' request")),
            migrations.RemoveField("historicalcomplaint", "request_id"),
            migrations.AddField("historicalcomplaint", "request", models.PositiveIntegerField(
                blank=True, null=True, db_column="request_id", verbose_name="residents' request")),
        ]),
        migrations.AlterField(
            model_name="complaint", name="request",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="visits.request", verbose_name="residents' request"),
        ),
        migrations.AlterField(
            model_name="historicalcomplaint", name="request",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="visits.request", verbose_name="residents' request"),
        ),
    ]
