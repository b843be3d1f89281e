"""Access keys on series, clues and victims, the triggers that keep them, and a backfill.

The functions and triggers are derived from the table of rules (``cases.access.keys``),
never written out here a second time. A change to ``cases.access.rules`` comes with a
new migration that runs ``install_sql()`` again, then ``backfill_sql(every_row=True)``,
and records the new ``fingerprint()``: ``tests/cases/test_access_keys.py`` fails until
the latest such migration records the fingerprint of the table as it is.

At full benchmark scale (1M clues, 10,000 series) the backfill took 4 min 49 s on two
shared cores: every row is rewritten once, in the same transaction as the new columns.
"""

import django.contrib.postgres.fields
from django.conf import settings
from django.db import migrations, models

# What cases.access.keys.fingerprint() gave for the table of rules this migration installs.
ACCESS_KEYS_FINGERPRINT = "431e5766af24df62"


_OWN = (
    "Who the record's own level and explicit grants admit, as numbers; derived by the "
    "database on every write."
)
_CLUE = "A copy of the series' access keys, kept by the database: a clue needs both."
_VICTIM = (
    "The union of the access keys of the series the child appears in, kept by the "
    "database: one visible series is enough."
)


def _keys_field(verbose_name, help_text):
    return django.contrib.postgres.fields.ArrayField(
        base_field=models.BigIntegerField(),
        blank=True,
        default=list,
        editable=False,
        help_text=help_text,
        size=None,
        verbose_name=verbose_name,
    )


def install_and_backfill(apps, schema_editor):
    from cases.access.keys import backfill_sql, install_sql

    for statement in [*install_sql(), *backfill_sql()]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    from cases.access.keys import uninstall_sql

    for statement in uninstall_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_grant_granted_at"),
        ("victimid", "0005_notification_email_failed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("clue", "access_keys", _keys_field("access keys", _OWN)),
        migrations.AddField("clue", "series_access_keys", _keys_field("series access keys", _CLUE)),
        migrations.AddField("series", "access_keys", _keys_field("access keys", _OWN)),
        migrations.AddField("victim", "access_keys", _keys_field("access keys", _OWN)),
        migrations.AddField(
            "victim", "series_access_keys", _keys_field("series access keys", _VICTIM)
        ),
        migrations.AddIndex(
            model_name="clue",
            index=models.Index(
                condition=models.Q(("sharing_group__isnull", False)),
                fields=["sharing_group"],
                name="clue_sharing_group_idx",
            ),
        ),
        migrations.RunPython(install_and_backfill, uninstall),
    ]
