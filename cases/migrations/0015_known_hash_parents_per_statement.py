"""The known set's two parents checked once per statement instead of once per row.

An import adds up to millions of values to one series of one agency in one statement.
With foreign-key constraints PostgreSQL checks every row's two keys at commit — a look-up
and a ``FOR KEY SHARE`` lock of the same series and agency rows, two million times for a
million values — which took longer than the rest of the import together (11 s of 57 s
at full scale, ``bench/bench_triage.py``). The constraints are replaced by statement-level
triggers with transition tables that keep what the constraints guaranteed:

- a statement that inserts or updates values locks the distinct series and agencies they
  name (``FOR KEY SHARE``, as the constraint's check does, so that a concurrent delete of
  either waits for this transaction) and refuses, with SQLSTATE 23503 like a foreign key,
  any that does not exist;
- deleting a series or an agency that still holds values is refused (23503), checked
  once per statement through the indexes on ``series_id`` and ``submitting_agency_id``; a
  delete that waited for an inserting transaction's lock checks after that commit (the
  trigger's query takes a new snapshot under READ COMMITTED, Django's isolation level);
- changing a series' or an agency's id is refused (ids never change).

Not covered, unlike a constraint: ``TRUNCATE`` of ``cases_series`` or ``victimid_agency``
alone (nothing in VictimID truncates them; the test runner truncates every table at once).
The ORM still refuses deleting a parent with values first (``on_delete=PROTECT``).
"""

import django.db.models.deletion
from django.db import migrations, models

INSTALL = r"""
CREATE FUNCTION cases_known_hash_parents_exist() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  series_ids bigint[];
  agency_ids bigint[];
  missing bigint;
BEGIN
  -- One pass over the statement's rows (a million for an import): the parents they name.
  SELECT array_agg(DISTINCT s), array_agg(DISTINCT a) INTO series_ids, agency_ids
    FROM (SELECT series_id, submitting_agency_id FROM known_rows
          GROUP BY series_id, submitting_agency_id) AS pairs(s, a);
  PERFORM 1 FROM cases_series s WHERE s.id = ANY(series_ids) ORDER BY s.id FOR KEY SHARE;
  SELECT n INTO missing FROM unnest(series_ids) AS n
    WHERE NOT EXISTS (SELECT 1 FROM cases_series s WHERE s.id = n) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "cases_knownhash" violates foreign key: series % does not exist', missing
      USING ERRCODE = 'foreign_key_violation', TABLE = 'cases_knownhash',
            CONSTRAINT = 'known_hash_series_exists';
  END IF;
  PERFORM 1 FROM victimid_agency a WHERE a.id = ANY(agency_ids) ORDER BY a.id FOR KEY SHARE;
  SELECT n INTO missing FROM unnest(agency_ids) AS n
    WHERE NOT EXISTS (SELECT 1 FROM victimid_agency a WHERE a.id = n) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "cases_knownhash" violates foreign key: agency % does not exist', missing
      USING ERRCODE = 'foreign_key_violation', TABLE = 'cases_knownhash',
            CONSTRAINT = 'known_hash_submitting_agency_exists';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER known_hash_parents_inserted AFTER INSERT ON cases_knownhash
  REFERENCING NEW TABLE AS known_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cases_known_hash_parents_exist();
CREATE TRIGGER known_hash_parents_updated AFTER UPDATE ON cases_knownhash
  REFERENCING NEW TABLE AS known_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cases_known_hash_parents_exist();

CREATE FUNCTION cases_known_hash_parent_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  held bigint;
BEGIN
  IF TG_TABLE_NAME = 'cases_series' THEN
    SELECT o.id INTO held FROM gone_rows o
      WHERE EXISTS (SELECT 1 FROM cases_knownhash k WHERE k.series_id = o.id) LIMIT 1;
  ELSE
    SELECT o.id INTO held FROM gone_rows o
      WHERE EXISTS (SELECT 1 FROM cases_knownhash k WHERE k.submitting_agency_id = o.id)
      LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'delete on table "%" violates foreign key: % % still holds known hash values', TG_TABLE_NAME, TG_TABLE_NAME, held
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
            CONSTRAINT = 'known_hash_parent_kept';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION cases_known_hash_parent_id_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the id of a row of "%" never changes', TG_TABLE_NAME
    USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
          CONSTRAINT = 'known_hash_parent_kept';
END $$;

CREATE TRIGGER known_hash_series_kept AFTER DELETE ON cases_series
  REFERENCING OLD TABLE AS gone_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cases_known_hash_parent_kept();
CREATE TRIGGER known_hash_agency_kept AFTER DELETE ON victimid_agency
  REFERENCING OLD TABLE AS gone_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cases_known_hash_parent_kept();
CREATE TRIGGER known_hash_series_id_fixed BEFORE UPDATE OF id ON cases_series
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION cases_known_hash_parent_id_fixed();
CREATE TRIGGER known_hash_agency_id_fixed BEFORE UPDATE OF id ON victimid_agency
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION cases_known_hash_parent_id_fixed();
ALTER TABLE cases_knownhash ENABLE ALWAYS TRIGGER known_hash_parents_inserted;
ALTER TABLE cases_knownhash ENABLE ALWAYS TRIGGER known_hash_parents_updated;
ALTER TABLE cases_series ENABLE ALWAYS TRIGGER known_hash_series_kept;
ALTER TABLE cases_series ENABLE ALWAYS TRIGGER known_hash_series_id_fixed;
ALTER TABLE victimid_agency ENABLE ALWAYS TRIGGER known_hash_agency_kept;
ALTER TABLE victimid_agency ENABLE ALWAYS TRIGGER known_hash_agency_id_fixed;
"""

UNINSTALL = r"""
DROP TRIGGER known_hash_agency_id_fixed ON victimid_agency;
DROP TRIGGER known_hash_series_id_fixed ON cases_series;
DROP TRIGGER known_hash_agency_kept ON victimid_agency;
DROP TRIGGER known_hash_series_kept ON cases_series;
DROP TRIGGER known_hash_parents_updated ON cases_knownhash;
DROP TRIGGER known_hash_parents_inserted ON cases_knownhash;
DROP FUNCTION cases_known_hash_parent_id_fixed();
DROP FUNCTION cases_known_hash_parent_kept();
DROP FUNCTION cases_known_hash_parents_exist();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_upload_job_lease"),
        ("victimid", "0013_audit_verification"),
    ]

    operations = [
        migrations.AlterField(
            model_name="knownhash",
            name="series",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="hashes",
                to="cases.series",
                verbose_name="series",
            ),
        ),
        migrations.AlterField(
            model_name="knownhash",
            name="submitting_agency",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="victimid.agency",
                verbose_name="submitting agency",
            ),
        ),
        migrations.RunSQL(INSTALL, reverse_sql=UNINSTALL),
    ]
