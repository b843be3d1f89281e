"""Make the audit table append-only in PostgreSQL itself, not by convention."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION victimid_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER victimid_auditevent_append_only
    BEFORE UPDATE OR DELETE ON victimid_auditevent
    FOR EACH ROW EXECUTE FUNCTION victimid_forbid_change();
CREATE TRIGGER victimid_auditevent_no_truncate
    BEFORE TRUNCATE ON victimid_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION victimid_forbid_change();
"""

ALLOW = """
DROP TRIGGER IF EXISTS victimid_auditevent_append_only ON victimid_auditevent;
DROP TRIGGER IF EXISTS victimid_auditevent_no_truncate ON victimid_auditevent;
"""


class Migration(migrations.Migration):
    dependencies = [("victimid", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
