"""Triage results without foreign-key constraints or single-column indexes.

A job writes every probe value's result (a million rows) in one statement: the deferred
foreign-key check of each row (two index look-ups and row locks at commit) and two
indexes that no read uses cost more than the lookup itself. The job's statement locks its
job and the series it names once each instead (``cases.services.triage._finish``);
deleting still cascades through the ORM. The (job, outcome, line) index stays.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_known_hash_value_bytes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="triageresult",
            name="job",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="results",
                to="cases.triagejob",
                verbose_name="job",
            ),
        ),
        migrations.AlterField(
            model_name="triageresult",
            name="series",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.series",
                verbose_name="series",
            ),
        ),
    ]
