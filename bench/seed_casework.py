"""Seed a benchmark database with casework at scale: set-based SQL, never the ORM row by row.

At full scale: 1,000,000 clues across 10,000 series, 200 agencies in 60 countries,
5,000 explicit grants, sharing groups, an investigator or more per agency. Every row
comes from ``INSERT ... SELECT ... generate_series`` so the database does the work;
the secondary indexes of the big tables are dropped while they fill and rebuilt once
afterwards, and foreign-key triggers are skipped (the rows are consistent by
construction). The triggers that keep access keys (``cases.access.keys``) fire all the
same — they are enabled ``ALWAYS`` — so seeded rows carry the keys a live database
would. The whole seed is one transaction: an interrupted run leaves nothing.

A row in ``bench_seed_marker`` records the scale and seeder version; a database that
carries the right marker is reused as it is (seeding is the slow part of a benchmark).
Text is fictional and non-graphic: random words from a fixed vocabulary of everyday
objects, places and materials, with a skewed word frequency so that full-text search
finds some words often and others rarely, as in real clue records.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction

__all__ = [
    "SCALES",
    "SEED_VERSION",
    "Scale",
    "ensure_seeded",
    "focus_investigator_email",
    "search_terms",
    "seed",
    "seeded_scale",
]

# Bump when the shape of the seeded data changes: a database with an older marker is reseeded.
# 2: access keys (kept by triggers); series grants made before the clues exist.
# 3: children and their identification log (the oversight figures); agency kinds vary.
SEED_VERSION = 3
MARKER_TABLE = "bench_seed_marker"
EMAIL_DOMAIN = "bench.victimid.invalid"
AGENCY_PREFIX = "Bench agency "
GROUP_PREFIX = "Bench task force "


@dataclass(frozen=True)
class Scale:
    """How much casework to seed."""

    name: str
    clues: int
    series: int
    agencies: int
    countries: int
    users_per_agency: int
    sharing_groups: int
    grants: int
    # Of ``grants``, how many reach one investigator (the "focus" user) directly or
    # through their agency: the benchmark reads as someone with many grants.
    focus_grants: int
    phrases: int
    # Children seen in the series, and (for some) their identification log.
    children: int = 0


SCALES: dict[str, Scale] = {
    "full": Scale(
        name="full",
        clues=1_000_000,
        series=10_000,
        agencies=200,
        countries=60,
        users_per_agency=5,
        sharing_groups=30,
        grants=5_000,
        focus_grants=160,
        phrases=20_000,
        children=100_000,
    ),
    "small": Scale(
        name="small",
        clues=20_000,
        series=1_000,
        agencies=40,
        countries=12,
        users_per_agency=3,
        sharing_groups=8,
        grants=500,
        focus_grants=120,
        phrases=2_000,
        children=5_000,
    ),
    # For the seeder's own test: every code path, a fraction of a second.
    "tiny": Scale(
        name="tiny",
        clues=400,
        series=40,
        agencies=6,
        countries=3,
        users_per_agency=2,
        sharing_groups=2,
        grants=60,
        focus_grants=20,
        phrases=50,
        children=200,
    ),
}

# ISO 3166-1 alpha-2 codes the seeded agencies are spread over (first ``countries``).
COUNTRIES: tuple[str, ...] = (
    "NL", "DE", "FR", "BE", "GB", "IE", "ES", "PT", "IT", "AT",
    "CH", "DK", "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "RO",
    "BG", "GR", "HR", "SI", "EE", "LV", "LT", "LU", "MT", "CY",
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "AU", "NZ",
    "JP", "KR", "PH", "TH", "VN", "ID", "MY", "SG", "IN", "LK",
    "ZA", "KE", "NG", "GH", "MA", "TN", "EG", "TR", "UA", "IS",
)  # fmt: skip
# ISO 639-3 codes of languages heard or read in clues.
LANGUAGES: tuple[str, ...] = (
    "eng", "fra", "deu", "spa", "por", "ita", "nld", "pol", "rus", "ukr",
    "tur", "ara", "hin", "tha", "vie", "ind", "tgl", "jpn", "kor", "zho",
    "swe", "nor", "dan", "fin", "ces", "ron", "hun", "ell", "heb", "fas",
)  # fmt: skip
# Everyday, non-graphic words of clue records; earlier words are drawn more often.
VOCABULARY: tuple[str, ...] = tuple(
    """
    wall room window door floor table chair bed shelf lamp curtain carpet tile socket
    plug switch radiator kettle bottle label box bag cup mug plate spoon fork towel
    blanket pillow wardrobe mirror clock calendar poster sticker book magazine newspaper
    toy doll ball puzzle console remote television radio speaker phone charger cable
    blue red green yellow white black grey brown orange purple pink striped checked
    wooden metal plastic glass ceramic concrete brick stone marble paper cardboard fabric
    cotton wool leather rubber painted faded broken old new small large round square
    kitchen bathroom bedroom hallway garden balcony garage attic basement stairs roof
    street road bridge river lake beach forest field hill mountain park square market
    shop school church station harbour airport hotel cafe bakery pharmacy kiosk
    tram bus train taxi bicycle scooter car van truck boat ferry plate sign arrow
    brand logo barcode packaging biscuit cereal yoghurt juice soda water milk chocolate
    toothpaste shampoo soap detergent medicine vitamin tissue napkin candle matches
    uniform jersey jacket shirt trousers skirt dress shoe sneaker boot sandal cap hat
    scarf glove badge emblem crest button zipper pattern print embroidery
    palm pine birch oak maple cactus fern bamboo ivy rose tulip orchid moss grass
    sparrow pigeon gull parrot cat dog horse cow goat chicken fish shell coral crab
    sand clay gravel dust mud snow frost rain fog sunlight shadow dusk dawn
    accent dialect vowel greeting word phrase song jingle announcement broadcast
    script alphabet letter digit numeral handwriting print typeface headline slogan
    date weekday month season holiday festival birthday anniversary timetable receipt
    ticket coin banknote stamp envelope parcel postcard map atlas flag pennant
    voltage frequency outlet adapter meter fuse bulb fixture fan heater cooler
    motorway junction roundabout crossing pedestrian kerb lamppost bollard hedge fence
    gate mailbox doorbell intercom keypad lock hinge handle knob latch shutter blind
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def focus_investigator_email(scale: Scale) -> str:
    """The investigator most of the focus grants are made to."""
    return f"investigator-{_focus_agency_idx(scale)}-1@{EMAIL_DOMAIN}"


def search_terms() -> dict[str, str]:
    """Search queries with a known frequency: a common word, and a rarer pair of words."""
    return {
        "common_word": VOCABULARY[30],
        "rare_pair": f"{VOCABULARY[120]} {VOCABULARY[220]}",
    }


def _focus_agency_idx(scale: Scale) -> int:
    # A mid-sized agency: agencies are drawn with a skew towards low indexes.
    return scale.agencies // 2 + 1


def seeded_scale() -> dict[str, Any] | None:
    """The marker of the database's seed (scale, version, counts), or None if unseeded."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(
            f"SELECT scale, version, seconds, counts FROM {MARKER_TABLE} ORDER BY seeded_at DESC"
        )
        row = cursor.fetchone()
    if row is None:
        return None
    counts = json.loads(row[3]) if isinstance(row[3], str) else row[3]
    return {"scale": row[0], "version": row[1], "seconds": row[2], "counts": counts}


def ensure_seeded(scale: Scale, *, vacuum: bool = True) -> dict[str, Any]:
    """Seed ``scale`` unless the database already carries its marker; return the marker."""
    marker = seeded_scale()
    if marker and marker["scale"] == scale.name and marker["version"] == SEED_VERSION:
        return {**marker, "reused": True}
    seconds = seed(scale)
    if vacuum and not connection.in_atomic_block:
        # A fresh bulk load has no visibility map: VACUUM sets it so index-only scans work
        # as they do on a live database, and ANALYZE gives the planner real statistics.
        with connection.cursor() as cursor:
            for table in _FILLED_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    else:
        _analyze()
    marker = seeded_scale()
    assert marker is not None
    return {**marker, "seconds": seconds, "reused": False}


_FILLED_TABLES = (
    "victimid_agency",
    "victimid_user",
    "victimid_user_groups",
    "auth_group",
    "victimid_sharinggroup",
    "victimid_sharinggroupmembership",
    "cases_series",
    "cases_clue",
    "cases_cluecountryhypothesis",
    "cases_seriesusergrant",
    "cases_seriesagencygrant",
    "cases_clueusergrant",
    "cases_clueagencygrant",
    "cases_victim",
    "cases_victimseries",
    "cases_identificationevent",
)


def _analyze() -> None:
    with connection.cursor() as cursor:
        for table in _FILLED_TABLES:
            cursor.execute(f"ANALYZE {table}")


def seed(scale: Scale) -> float:
    """Replace any earlier bench data with a fresh seed of ``scale``; return the seconds taken."""
    if scale.countries > len(COUNTRIES):
        raise ValueError(f"At most {len(COUNTRIES)} countries")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")  # the same data on every run
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        _drop_work_tables(cursor)
        _remove_earlier_seed(cursor)
        _skip_foreign_key_triggers(cursor)
        _seed_people(cursor, scale)
        _seed_sharing_groups(cursor, scale)
        _seed_phrases(cursor, scale)
        _seed_series(cursor, scale)
        # A grant rewrites its record's access keys, and a series' new keys rewrite its
        # clues' copies (triggers, cases.access.keys): granting series before their clues
        # exist spares rewriting a tenth of the clues just after they are written.
        _seed_series_grants(cursor, scale)
        with (
            _indexes_dropped(cursor, "cases_clue"),
            _indexes_dropped(cursor, "cases_cluecountryhypothesis"),
        ):
            _seed_clues(cursor, scale)
            _seed_country_hypotheses(cursor, scale)
        _seed_clue_grants(cursor, scale)
        _seed_children(cursor, scale)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        _drop_work_tables(cursor)
        seconds = round(time.perf_counter() - started, 1)
        _write_marker(cursor, scale, seconds)
    return seconds


# Temporary tables mapping generated indexes to real ids. They go at commit; a seed
# inside a longer transaction (a test) drops them itself.
_WORK_TABLES = ("_ag", "_us", "_sg", "_ph", "_se", "_fs", "_fc")


def _drop_work_tables(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(_WORK_TABLES)}")


def _skip_foreign_key_triggers(cursor: Any) -> None:
    # Foreign keys are checked by triggers, one deferred event per row and key: millions
    # of events for rows that are consistent by construction. A superuser may skip them.
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


def _remove_earlier_seed(cursor: Any) -> None:
    """Empty what an earlier seed (another scale or version) left; unseeded tables stay."""
    cursor.execute("SELECT count(*) FROM victimid_agency WHERE name LIKE %s", [AGENCY_PREFIX + "%"])
    if cursor.fetchone()[0] == 0:
        return
    # The audit trail of the benchmark database records bench work only, and goes with the
    # seed it recorded (else the bench users it names cannot be removed). Its guard refuses
    # TRUNCATE, so this takes the replica role, which only a superuser may take.
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cursor.fetchone()[0]:
        raise SystemExit(
            "Reseeding empties the bench database's audit trail, which needs a superuser;"
            " or drop the bench database and run again."
        )
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("TRUNCATE victimid_auditevent, victimid_auditcheckpoint")
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    # The benchmark database holds bench data only, so casework goes as a whole; CASCADE
    # reaches tables that later parts of casework hang off series and clues.
    cursor.execute(
        "TRUNCATE cases_clueusergrant, cases_clueagencygrant, cases_seriesusergrant,"
        " cases_seriesagencygrant, cases_cluecountryhypothesis, cases_clue, cases_knownhash,"
        " cases_deconflictionnotice, cases_identificationevent, cases_victimseries,"
        " cases_victim, cases_series, victimid_sharinggroupmembership,"
        " victimid_sharinggroup CASCADE"
    )
    bench_users = "SELECT id FROM victimid_user WHERE email LIKE %s"
    pattern = "%@" + EMAIL_DOMAIN
    cursor.execute(f"DELETE FROM victimid_user_groups WHERE user_id IN ({bench_users})", [pattern])
    cursor.execute("DELETE FROM victimid_user WHERE email LIKE %s", [pattern])
    cursor.execute(
        "WITH gone AS (DELETE FROM victimid_agency WHERE name LIKE %s"
        " RETURNING permission_group_id)"
        " DELETE FROM auth_group WHERE id IN (SELECT permission_group_id FROM gone)",
        [AGENCY_PREFIX + "%"],
    )
    cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def _seed_people(cursor: Any, scale: Scale) -> None:
    """Agencies (each with its permission group), vetted investigators at each."""
    countries = list(COUNTRIES[: scale.countries])
    cursor.execute(
        "INSERT INTO victimid_agency (name, country, kind, contact_point, created_at)"
        " SELECT %s || lpad(a::text, 3, '0'), (%s::text[])[1 + mod(a - 1, %s)],"
        " CASE mod(a, 10) WHEN 0 THEN 'national_vid_unit' WHEN 5 THEN 'hotline'"
        " WHEN 7 THEN 'international' ELSE 'police' END, '',"
        " now() FROM generate_series(1, %s) a",
        [AGENCY_PREFIX, countries, scale.countries, scale.agencies],
    )
    cursor.execute(
        "INSERT INTO auth_group (name) SELECT 'agency:' || id FROM victimid_agency"
        " WHERE name LIKE %s AND permission_group_id IS NULL ON CONFLICT DO NOTHING",
        [AGENCY_PREFIX + "%"],
    )
    cursor.execute(
        "UPDATE victimid_agency a SET permission_group_id = g.id FROM auth_group g"
        " WHERE a.name LIKE %s AND g.name = 'agency:' || a.id",
        [AGENCY_PREFIX + "%"],
    )
    # _ag: agency index (1..n) -> id, country, permission group; the temp tables join
    # generated rows to real ids.
    cursor.execute(
        "CREATE TEMP TABLE _ag ON COMMIT DROP AS"
        " SELECT substr(name, length(%s) + 1)::int AS idx, id, country, permission_group_id"
        " FROM victimid_agency WHERE name LIKE %s",
        [AGENCY_PREFIX, AGENCY_PREFIX + "%"],
    )
    cursor.execute("ALTER TABLE _ag ADD PRIMARY KEY (idx)")
    cursor.execute(
        "INSERT INTO victimid_user (password, is_superuser, email, full_name, vetting_status,"
        " vetted_until, is_active, disabled_reason, session_stamp, date_joined, agency_id)"
        " SELECT '!bench', false, 'investigator-' || a.idx || '-' || k || '@' || %s,"
        " 'Bench investigator ' || a.idx || '-' || k, 'vetted', now() + interval '1 year',"
        " true, '', md5(a.idx || '-' || k), now(), a.id"
        " FROM _ag a CROSS JOIN generate_series(1, %s) k ORDER BY a.idx, k",
        [EMAIL_DOMAIN, scale.users_per_agency],
    )
    # _us: (agency index, k) -> user id, plus a running index for uniform draws.
    cursor.execute(
        "CREATE TEMP TABLE _us ON COMMIT DROP AS"
        " SELECT row_number() OVER (ORDER BY u.id)::int AS idx, a.idx AS aidx,"
        " row_number() OVER (PARTITION BY a.idx ORDER BY u.id)::int AS k, u.id"
        " FROM victimid_user u JOIN _ag a ON a.id = u.agency_id"
    )
    cursor.execute("ALTER TABLE _us ADD PRIMARY KEY (aidx, k)")
    cursor.execute(
        "INSERT INTO victimid_user_groups (user_id, group_id)"
        " SELECT _us.id, g.id FROM _us, auth_group g WHERE g.name = 'investigator'"
    )


def _seed_sharing_groups(cursor: Any, scale: Scale) -> None:
    """Task forces of a few agencies each; the focus agency belongs to some of them."""
    cursor.execute(
        "INSERT INTO victimid_sharinggroup (name, description, created_at, created_by_id,"
        " managing_agency_id)"
        " SELECT %s || lpad(g::text, 3, '0'), '', now(), u.id, a.id"
        " FROM generate_series(1, %s) g"
        " JOIN _ag a ON a.idx = 1 + mod(g * 7, %s) JOIN _us u ON u.aidx = a.idx AND u.k = 1",
        [GROUP_PREFIX, scale.sharing_groups, scale.agencies],
    )
    cursor.execute(
        "CREATE TEMP TABLE _sg ON COMMIT DROP AS"
        " SELECT row_number() OVER (ORDER BY id)::int AS idx, id, managing_agency_id"
        " FROM victimid_sharinggroup WHERE name LIKE %s",
        [GROUP_PREFIX + "%"],
    )
    cursor.execute("ALTER TABLE _sg ADD PRIMARY KEY (idx)")
    focus = _focus_agency_idx(scale)
    cursor.execute(
        "INSERT INTO victimid_sharinggroupmembership (sharing_group_id, agency_id, added_by_id,"
        " added_at)"
        " SELECT DISTINCT ON (m.gid, m.aid) m.gid, m.aid, m.by, now() FROM ("
        # the managing agency is a member of its own group
        "  SELECT g.id AS gid, g.managing_agency_id AS aid, u.id AS by FROM _sg g"
        "  JOIN _ag a ON a.id = g.managing_agency_id JOIN _us u ON u.aidx = a.idx AND u.k = 1"
        "  UNION ALL"
        # three to twelve other agencies, anywhere
        "  SELECT r.gid, a.id, r.by FROM ("
        "   SELECT g.id AS gid, u.id AS by, 1 + floor(random() * %s)::int AS aidx"
        "   FROM _sg g JOIN _ag ma ON ma.id = g.managing_agency_id"
        "   JOIN _us u ON u.aidx = ma.idx AND u.k = 1"
        "   CROSS JOIN LATERAL generate_series(1, 3 + mod(g.idx, 10)) n) r"
        "  JOIN _ag a ON a.idx = r.aidx"
        "  UNION ALL"
        # the focus agency is in a few groups, managed by others
        "  SELECT g.id, a.id, u.id FROM _sg g JOIN _ag a ON a.idx = %s"
        "  JOIN _ag ma ON ma.id = g.managing_agency_id JOIN _us u ON u.aidx = ma.idx AND u.k = 1"
        "  WHERE mod(g.idx, 10) = 3"
        " ) m ORDER BY m.gid, m.aid",
        [scale.agencies, focus],
    )


def _seed_phrases(cursor: Any, scale: Scale) -> None:
    """A pool of random phrases that titles, descriptions and places are built from."""
    cursor.execute(
        "CREATE TEMP TABLE _ph ON COMMIT DROP AS"
        " SELECT p AS idx, (SELECT string_agg((%s::text[])[1 + floor(power(random(), 2) * %s)"
        "::int], ' ') FROM generate_series(1, 3 + mod(p, 6))) AS words"
        " FROM generate_series(1, %s) p",
        [list(VOCABULARY), len(VOCABULARY), scale.phrases],
    )
    cursor.execute("ALTER TABLE _ph ADD PRIMARY KEY (idx)")


# 40% agency, 30% country, 10% group, 20% network: the realistic mix.
_DISTRIBUTION_SQL = (
    "CASE WHEN {r} < 0.4 THEN 'agency' WHEN {r} < 0.7 THEN 'country'"
    " WHEN {r} < 0.8 THEN 'group' ELSE 'network' END"
)


def _seed_series(cursor: Any, scale: Scale) -> None:
    """Series owned mostly by a few busy agencies (skewed), created over three years."""
    cursor.execute(
        "INSERT INTO cases_series (owner_country, distribution, version, created_at,"
        " updated_at, code, title, status, first_seen, summary, agency_id, created_by_id,"
        " sharing_group_id)"
        " SELECT a.country, r.dist, 1, r.ts, r.ts,"
        " 'SER-' || extract(year FROM r.ts) || '-' || lpad(r.i::text, 6, '0'), t.words,"
        " CASE WHEN r.st < 0.8 THEN 'active' WHEN r.st < 0.9 THEN 'identified'"
        " ELSE 'closed' END, r.ts::date, s.words, a.id, u.id, g.id"
        " FROM (SELECT i, "
        + _DISTRIBUTION_SQL.format(r="d")
        + " AS dist, aidx, st, uk, gidx, tidx, sidx, ts FROM ("
        "  SELECT i, random() AS d, 1 + floor(%s * power(random(), 1.5))::int AS aidx,"
        "  random() AS st, 1 + floor(random() * %s)::int AS uk,"
        "  1 + floor(random() * %s)::int AS gidx, 1 + floor(random() * %s)::int AS tidx,"
        "  1 + floor(random() * %s)::int AS sidx,"
        "  now() - interval '1095 days' * (1 - i::float / %s) AS ts"
        "  FROM generate_series(1, %s) i) raw) r"
        " JOIN _ag a ON a.idx = r.aidx JOIN _us u ON u.aidx = r.aidx AND u.k = r.uk"
        " JOIN _ph t ON t.idx = r.tidx JOIN _ph s ON s.idx = r.sidx"
        " LEFT JOIN _sg g ON g.idx = r.gidx AND r.dist = 'group'"
        " ORDER BY r.i",
        [
            scale.agencies,
            scale.users_per_agency,
            scale.sharing_groups,
            scale.phrases,
            scale.phrases,
            scale.series,
            scale.series,
        ],
    )
    cursor.execute("SELECT setval('cases_series_code_seq', %s)", [scale.series])
    cursor.execute(
        "CREATE TEMP TABLE _se ON COMMIT DROP AS"
        " SELECT row_number() OVER (ORDER BY s.id)::int AS idx, s.id, a.idx AS aidx"
        " FROM cases_series s JOIN _ag a ON a.id = s.agency_id"
    )
    cursor.execute("ALTER TABLE _se ADD PRIMARY KEY (idx)")


def _seed_clues(cursor: Any, scale: Scale) -> None:
    """Clues spread over the series (some series far busier), most posted by the owner."""
    nodes_sql = "SELECT array_agg(id ORDER BY path) FROM cases_cluetaxonomynode"
    cursor.execute(
        "INSERT INTO cases_clue (owner_country, distribution, version, created_at, updated_at,"
        " title, description, languages, place_text, status, agency_id, created_by_id,"
        " sharing_group_id, taxonomy_node_id, series_id)"
        " SELECT a.country, r.dist, 1, r.ts, r.ts, t.words,"
        " d1.words || ' ' || d2.words || ' ' || d3.words,"
        " CASE WHEN r.l2 < 0.3 THEN ARRAY[(%s::text[])[r.l1], (%s::text[])[1 + mod(r.l1, %s)]]"
        " ELSE ARRAY[(%s::text[])[r.l1]] END,"
        " CASE WHEN r.pl < 0.4 THEN p.words ELSE '' END,"
        " CASE WHEN r.st < 0.6 THEN 'open' WHEN r.st < 0.8 THEN 'in_progress'"
        " WHEN r.st < 0.9 THEN 'resolved' ELSE 'discarded' END,"
        " a.id, u.id, g.id, (" + nodes_sql + ")[r.node], s.id"
        " FROM (SELECT *, " + _DISTRIBUTION_SQL.format(r="d") + " AS dist FROM ("
        "  SELECT i, random() AS d, 1 + floor(%s * power(random(), 1.3))::int AS sidx,"
        "  random() < 0.85 AS own, 1 + floor(%s * random())::int AS aidx,"
        "  1 + floor(random() * %s)::int AS uk, 1 + floor(random() * %s)::int AS gidx,"
        "  1 + floor(random() * (SELECT count(*) FROM cases_cluetaxonomynode))::int AS node,"
        "  1 + floor(random() * %s)::int AS tidx, 1 + floor(random() * %s)::int AS d1,"
        "  1 + floor(random() * %s)::int AS d2, 1 + floor(random() * %s)::int AS d3,"
        "  1 + floor(random() * %s)::int AS pidx, random() AS pl,"
        "  1 + floor(power(random(), 2) * %s)::int AS l1, random() AS l2, random() AS st,"
        "  now() - interval '1095 days' * (1 - i::float / %s) AS ts"
        "  FROM generate_series(1, %s) i) raw) r"
        " JOIN _se s ON s.idx = r.sidx"
        " JOIN _ag a ON a.idx = CASE WHEN r.own THEN s.aidx ELSE r.aidx END"
        " JOIN _us u ON u.aidx = a.idx AND u.k = r.uk"
        " JOIN _ph t ON t.idx = r.tidx JOIN _ph d1 ON d1.idx = r.d1"
        " JOIN _ph d2 ON d2.idx = r.d2 JOIN _ph d3 ON d3.idx = r.d3"
        " JOIN _ph p ON p.idx = r.pidx"
        " LEFT JOIN _sg g ON g.idx = r.gidx AND r.dist = 'group'",
        [
            list(LANGUAGES),
            list(LANGUAGES),
            len(LANGUAGES),
            list(LANGUAGES),
            scale.series,
            scale.agencies,
            scale.users_per_agency,
            scale.sharing_groups,
            *([scale.phrases] * 5),
            len(LANGUAGES),
            scale.clues,
            scale.clues,
        ],
    )


def _seed_country_hypotheses(cursor: Any, scale: Scale) -> None:
    """85% of clues point at a country, a quarter at a second one too."""
    countries = list(COUNTRIES[: scale.countries])
    cursor.execute(
        "INSERT INTO cases_cluecountryhypothesis (clue_id, country, confidence)"
        " SELECT r.id, (%s::text[])[1 + mod(r.c0 + k, %s)],"
        " CASE WHEN r.cf < 0.3 THEN 'low' WHEN r.cf < 0.8 THEN 'medium' ELSE 'high' END"
        " FROM (SELECT id, floor(random() * %s)::int AS c0, random() AS h, random() AS cf"
        "  FROM cases_clue) r"
        # LATERAL keeps r on the outside: each clue's random draws are made once.
        " CROSS JOIN LATERAL generate_series(0, CASE WHEN r.h < 0.25 THEN 1"
        " WHEN r.h < 0.85 THEN 0 ELSE -1 END) k",
        [countries, scale.countries, scale.countries],
    )


_PERMISSION_SQL = (
    "(SELECT p.id FROM auth_permission p JOIN django_content_type ct"
    " ON ct.id = p.content_type_id WHERE ct.app_label = 'cases' AND ct.model = '{model}'"
    " AND p.codename = 'view_{model}')"
)


def _seed_children(cursor: Any, scale: Scale) -> None:
    """Children seen in the series (one series each, owned by its agency) and their log:
    45% identified some weeks or months after the series was first seen, 60% of those
    safeguarded later, a third referred to support, a fifth followed up; the acting agency
    is the series' owner. Nothing but codes, age bands and dates."""
    if not scale.children:
        return
    # _vd: child index -> the series it is seen in (busy series have more children).
    cursor.execute(
        "CREATE TEMP TABLE _vd ON COMMIT DROP AS"
        " SELECT r.i, _se.id AS series_id FROM (SELECT i,"
        " 1 + floor(%s * power(random(), 1.3))::int AS sidx FROM generate_series(1, %s) i) r"
        " JOIN _se ON _se.idx = r.sidx",
        [scale.series, scale.children],
    )
    cursor.execute(
        "INSERT INTO cases_victim (owner_country, distribution, version, created_at,"
        " updated_at, code, age_band, notes, agency_id, created_by_id, sharing_group_id)"
        " SELECT s.owner_country, s.distribution, 1, s.created_at, s.created_at,"
        " 'VIC-' || extract(year FROM s.created_at) || '-' || lpad(d.i::text, 6, '0'),"
        " (ARRAY['0-2','3-6','7-10','11-13','14-15','16-17','unknown'])[1 + floor(random()"
        " * 7)::int], '', s.agency_id, s.created_by_id, s.sharing_group_id"
        " FROM _vd d JOIN cases_series s ON s.id = d.series_id ORDER BY d.i"
    )
    cursor.execute("SELECT setval('cases_victim_code_seq', %s)", [scale.children])
    cursor.execute(
        "CREATE TEMP TABLE _vc ON COMMIT DROP AS"
        " SELECT v.id AS victim_id, s.id AS series_id, s.agency_id, s.owner_country,"
        " s.created_by_id, coalesce(s.first_seen, s.created_at::date) AS seen, random() AS r1,"
        " random() AS r2, random() AS r3, random() AS r4"
        " FROM (SELECT id, row_number() OVER (ORDER BY id)::int AS rn FROM cases_victim) v"
        " JOIN _vd d ON d.i = v.rn JOIN cases_series s ON s.id = d.series_id"
    )
    cursor.execute(
        "INSERT INTO cases_victimseries (victim_id, series_id, added_by_id, added_at)"
        " SELECT victim_id, series_id, created_by_id, now() FROM _vc"
    )
    event = (
        "INSERT INTO cases_identificationevent (victim_id, kind, occurred_on, agency_id,"
        " country, recorded_by_id, support_service, note, recorded_at)"
        " SELECT victim_id, %s, least(current_date, {day}), agency_id, owner_country,"
        " created_by_id, %s, '', now() FROM _vc WHERE {where}"
    )
    identified = "seen + (7 + floor(r2 * 400))::int"
    cursor.execute(event.format(day=identified, where="r1 < 0.45"), ["identified", ""])
    safeguarded = f"{identified} + (1 + floor(r3 * 120))::int"
    cursor.execute(event.format(day=safeguarded, where="r1 < 0.27"), ["safeguarded", ""])
    cursor.execute(
        event.format(day=f"{safeguarded} + 3", where="r1 < 0.15"), ["referred", "psychological"]
    )
    cursor.execute(
        event.format(day=f"{safeguarded} + (30 + floor(r4 * 200))::int", where="r1 < 0.09"),
        ["follow_up", ""],
    )
    cursor.execute("DROP TABLE _vc, _vd")


def _focus_split(scale: Scale) -> dict[str, int]:
    """How the focus grants divide: series to the user, series to the agency, clues to each."""
    quarter = scale.focus_grants // 4
    return {
        "series_user": quarter,
        "series_agency": quarter // 2,
        "clue_user": quarter + quarter // 2,
        "clue_agency": scale.focus_grants - quarter - quarter // 2 - quarter - quarter // 2,
    }


def _seed_series_grants(cursor: Any, scale: Scale) -> None:
    """Explicit series grants: some reach the focus investigator, the rest fall anywhere."""
    view_series = _PERMISSION_SQL.format(model="series")
    focus = _focus_agency_idx(scale)
    split = _focus_split(scale)
    # Grants matter for records the focus user could not otherwise see: series of other
    # agencies kept to their agency or country (and, later, agency-level clues in them).
    cursor.execute(
        "CREATE TEMP TABLE _fs ON COMMIT DROP AS"
        " SELECT row_number() OVER (ORDER BY random())::int AS idx, s.id FROM cases_series s"
        " JOIN _ag a ON a.idx = %s WHERE s.agency_id <> a.id"
        " AND s.distribution IN ('agency', 'country')",
        [focus],
    )
    series_user_n = split["series_user"]
    series_agency_n = split["series_agency"]
    cursor.execute(
        f"INSERT INTO cases_seriesusergrant (permission_id, user_id, content_object_id)"
        f" SELECT {view_series}, u.id, fs.id FROM _fs fs JOIN _us u ON u.aidx = %s AND u.k = 1"
        f" WHERE fs.idx <= %s",
        [focus, series_user_n],
    )
    cursor.execute(
        f"INSERT INTO cases_seriesagencygrant (permission_id, group_id, content_object_id)"
        f" SELECT {view_series}, a.permission_group_id, fs.id FROM _fs fs JOIN _ag a ON a.idx = %s"
        f" WHERE fs.idx > %s AND fs.idx <= %s",
        [focus, series_user_n, series_user_n + series_agency_n],
    )
    _seed_random_grants(cursor, scale, "series")


def _seed_clue_grants(cursor: Any, scale: Scale) -> None:
    """Explicit clue grants: some reach the focus investigator, the rest fall anywhere."""
    view_clue = _PERMISSION_SQL.format(model="clue")
    focus = _focus_agency_idx(scale)
    split = _focus_split(scale)
    cursor.execute(
        "CREATE TEMP TABLE _fc ON COMMIT DROP AS"
        " SELECT row_number() OVER (ORDER BY random())::int AS idx, c.id FROM cases_clue c"
        " WHERE c.series_id IN (SELECT id FROM _fs WHERE idx <= %s)"
        " AND c.distribution = 'agency'",
        [split["series_user"] + split["series_agency"]],
    )
    clue_user_n = split["clue_user"]
    cursor.execute(
        f"INSERT INTO cases_clueusergrant (permission_id, user_id, content_object_id)"
        f" SELECT {view_clue}, u.id, fc.id FROM _fc fc JOIN _us u ON u.aidx = %s AND u.k = 1"
        f" WHERE fc.idx <= %s",
        [focus, clue_user_n],
    )
    cursor.execute(
        f"INSERT INTO cases_clueagencygrant (permission_id, group_id, content_object_id)"
        f" SELECT {view_clue}, a.permission_group_id, fc.id FROM _fc fc JOIN _ag a ON a.idx = %s"
        f" WHERE fc.idx > %s AND fc.idx <= %s",
        [focus, clue_user_n, clue_user_n + split["clue_agency"]],
    )
    _seed_random_grants(cursor, scale, "clue")


def _seed_random_grants(cursor: Any, scale: Scale, target: str) -> None:
    """The grants beyond the focus ones: any record to any user or agency (duplicates are
    dropped, so a few fewer). 30% of them go to series, 70% to clues."""
    rest = max(0, scale.grants - scale.focus_grants)
    user_count = scale.agencies * scale.users_per_agency
    share = {"series": 0.15, "clue": 0.35}[target]
    permission = _PERMISSION_SQL.format(model=target)
    for table, holder in (
        (f"cases_{target}usergrant", "user_id"),
        (f"cases_{target}agencygrant", "group_id"),
    ):
        if holder == "user_id":
            holder_join = "JOIN _us h ON h.idx = r.hi"
            holder_count = user_count
            holder_column = "h.id"
        else:
            holder_join = "JOIN _ag h ON h.idx = r.hi"
            holder_count = scale.agencies
            holder_column = "h.permission_group_id"
        if target == "series":
            target_join = "JOIN _se t ON t.idx = r.ti"
            target_column = "t.id"
        else:
            # Clue ids are dense from the first seeded clue.
            target_join = ""
            target_column = "(SELECT min(id) FROM cases_clue) + r.ti - 1"
        cursor.execute(
            f"INSERT INTO {table} (permission_id, {holder}, content_object_id)"
            f" SELECT {permission}, {holder_column}, {target_column} FROM ("
            f"  SELECT 1 + floor(random() * %s)::int AS hi, 1 + floor(random() * %s)::int AS ti"
            f"  FROM generate_series(1, %s) n) r {holder_join} {target_join}"
            f" ON CONFLICT DO NOTHING",
            [
                holder_count,
                scale.series if target == "series" else scale.clues,
                round(rest * share),
            ],
        )


@contextmanager
def _indexes_dropped(cursor: Any, table: str) -> Iterator[None]:
    """Drop ``table``'s secondary indexes while it fills; build each once afterwards.

    Maintaining a dozen indexes (one of them a GIN over the search vector) row by row
    costs far more than building them from the finished table. Indexes that back a
    constraint (primary key, unique) stay: dropping them would drop the constraint.
    """
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
        " JOIN pg_class c ON c.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
        [table],
    )
    indexes: Sequence[tuple[str, str]] = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)


def _write_marker(cursor: Any, scale: Scale, seconds: float) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale text PRIMARY KEY, version int NOT NULL,"
        " seeded_at timestamptz NOT NULL DEFAULT now(), seconds float NOT NULL,"
        " counts jsonb NOT NULL)"
    )
    cursor.execute(f"DELETE FROM {MARKER_TABLE}")
    counts = {}
    for table in _FILLED_TABLES[:2] + _FILLED_TABLES[4:]:
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
    cursor.execute(
        f"INSERT INTO {MARKER_TABLE} (scale, version, seconds, counts) VALUES (%s, %s, %s, %s)",
        [scale.name, SEED_VERSION, seconds, json.dumps({**counts, "scale": asdict(scale)})],
    )
