"""Chain the audit events by hash and add signed checkpoints.

Existing events are numbered in the order they were written (their id) and hashed here,
so the chain covers the whole history; the append-only trigger is set aside for that one
UPDATE inside this migration's transaction and restored before it commits.
"""

from django.db import migrations, models

from victimid.audit_chain import GENESIS_HASH, hash_of, normal_ip, plain_details

CHECKPOINT_APPEND_ONLY = """
CREATE TRIGGER victimid_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON victimid_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION victimid_forbid_change();
CREATE TRIGGER victimid_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON victimid_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION victimid_forbid_change();
"""
CHECKPOINT_ALLOW = """
DROP TRIGGER IF EXISTS victimid_auditcheckpoint_append_only ON victimid_auditcheckpoint;
DROP TRIGGER IF EXISTS victimid_auditcheckpoint_no_truncate ON victimid_auditcheckpoint;
"""


def hash_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("victimid", "AuditEvent")
    schema_editor.execute(
        "ALTER TABLE victimid_auditevent DISABLE TRIGGER victimid_auditevent_append_only"
    )
    previous_hash = GENESIS_HASH
    for sequence, event in enumerate(AuditEvent.objects.order_by("id").iterator(), start=1):
        event.sequence = sequence
        event.source_ip = normal_ip(event.source_ip)
        event.details = plain_details(event.details)
        event.chain_hash = hash_of(event, previous_hash)
        event.save(update_fields=["sequence", "source_ip", "details", "chain_hash"])
        previous_hash = event.chain_hash
    schema_editor.execute(
        "ALTER TABLE victimid_auditevent ENABLE TRIGGER victimid_auditevent_append_only"
    )


class Migration(migrations.Migration):
    dependencies = [("victimid", "0007_notification_email_choices")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(default="", max_length=64, verbose_name="chain hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(db_index=True, verbose_name="occurred at"),
        ),
        migrations.RunPython(hash_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["actor", "occurred_at"], name="victimid_au_actor_i_e3bb4f_idx"
            ),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                ("sequence", models.BigIntegerField(verbose_name="head sequence")),
                ("chain_hash", models.CharField(max_length=64, verbose_name="head hash")),
                ("event_count", models.BigIntegerField(verbose_name="events in the table")),
                (
                    "archived_through",
                    models.BigIntegerField(blank=True, null=True, verbose_name="archived through"),
                ),
                ("key_id", models.CharField(max_length=16, verbose_name="key id")),
                ("signature", models.CharField(max_length=64, verbose_name="signature")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-id"],
            },
        ),
        migrations.RunSQL(CHECKPOINT_APPEND_ONLY, CHECKPOINT_ALLOW),
    ]
