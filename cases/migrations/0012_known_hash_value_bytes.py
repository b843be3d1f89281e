"""Known hash values stored as digest bytes (``bytea``) instead of text; data kept.

Each row's text becomes its digest bytes (hex decoded; PhotoDNA's base64 decoded) in
one rewrite of the table; the unique index on (algorithm, value) is rebuilt on the
bytes. Reversible: the bytes become the same text again. On 10 million rows the
rewrite takes minutes and holds an exclusive lock: run it in a maintenance window.
"""

from django.db import migrations

import cases.models.hashes

TO_BYTES = (
    "ALTER TABLE cases_knownhash ALTER COLUMN value TYPE bytea USING"
    " CASE WHEN algorithm = 'photodna' THEN decode(value, 'base64')"
    " ELSE decode(value, 'hex') END"
)
TO_TEXT = (
    "ALTER TABLE cases_knownhash ALTER COLUMN value TYPE varchar(200) USING"
    " CASE WHEN algorithm = 'photodna'"
    " THEN translate(encode(value, 'base64'), E'\\n', '')"
    " ELSE encode(value, 'hex') END"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_merge_correlation_figures_triage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(TO_BYTES, reverse_sql=TO_TEXT)],
            state_operations=[
                migrations.AlterField(
                    model_name="knownhash",
                    name="value",
                    field=cases.models.hashes.HashValueField(
                        help_text=(
                            "Lower-case hex; PhotoDNA as base64, kept as given. Stored as"
                            " the digest bytes."
                        ),
                        max_length=200,
                        verbose_name="value",
                    ),
                ),
            ],
        ),
    ]
