"""Audit events may be removed only when a checkpoint says they were archived.

The append-only trigger refused every UPDATE and DELETE. Retention must remove archived
events, so a DELETE is now let through only for an event at or below the
``archived_through`` of a checkpoint (whose signature verification checks); UPDATE and
TRUNCATE stay refused.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION victimid_auditevent_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM victimid_auditcheckpoint WHERE archived_through >= OLD.sequence
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER victimid_auditevent_append_only ON victimid_auditevent;
CREATE TRIGGER victimid_auditevent_append_only
    BEFORE UPDATE OR DELETE ON victimid_auditevent
    FOR EACH ROW EXECUTE FUNCTION victimid_auditevent_guard();
"""

UNGUARD = """
DROP TRIGGER victimid_auditevent_append_only ON victimid_auditevent;
CREATE TRIGGER victimid_auditevent_append_only
    BEFORE UPDATE OR DELETE ON victimid_auditevent
    FOR EACH ROW EXECUTE FUNCTION victimid_forbid_change();
DROP FUNCTION victimid_auditevent_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("victimid", "0009_user_sessions")]

    operations = [migrations.RunSQL(GUARD, UNGUARD)]
