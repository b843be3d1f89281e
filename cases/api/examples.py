"""Examples for the casework API schema: fictional, neutral, non-graphic."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

AGENCY = {"id": 3, "name": "Demo National Police — VID Team", "country": "NL"}

SERIES = OpenApiExample(
    "A series",
    response_only=True,
    value={
        "code": "SER-2026-000123",
        "title": "Blue curtains room",
        "status": "active",
        "first_seen": "2025-11-02",
        "summary": "Indoor series; the room has blue curtains and a tiled floor.",
        "distribution": "network",
        "distribution_explained": "Every vetted investigator on VictimID, in every country, "
        "will see this.",
        "sharing_group": None,
        "agency": AGENCY,
        "owner_country": "NL",
        "hash_count": 42,
        "clue_count": 3,
        "version": 2,
        "can_edit": True,
        "created_at": "2026-01-05T09:12:00Z",
        "updated_at": "2026-02-11T14:03:00Z",
        "merged_into": None,
    },
)
SERIES_CREATE = OpenApiExample(
    "Create a series",
    request_only=True,
    value={
        "title": "Blue curtains room",
        "distribution": "country",
        "first_seen": "2025-11-02",
        "summary": "Indoor series; the room has blue curtains and a tiled floor.",
    },
)
SERIES_UPDATE = OpenApiExample(
    "Share more widely",
    request_only=True,
    value={"version": 2, "distribution": "network"},
)
VERSION_CONFLICT = OpenApiExample(
    "Stale version",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "version_conflict",
            "message": "The record changed since you read it (now version 3); reload it.",
            "current_version": 3,
        }
    },
)
KNOWN_HASH = OpenApiExample(
    "A known hash",
    response_only=True,
    value={
        "id": 981,
        "algorithm": "md5",
        "value": "d41d8cd98f00b204e9800998ecf8427e",
        "vics_category": 1,
        "distributed": False,
        "submitting_agency": AGENCY,
        "source": "api",
        "created_at": "2026-01-05T09:15:00Z",
    },
)
HASHES_ADD = OpenApiExample(
    "Add hash values",
    request_only=True,
    value={
        "entries": [
            {"algorithm": "md5", "value": "D41D8CD98F00B204E9800998ECF8427E", "vics_category": 1},
            {
                "algorithm": "sha256",
                "value": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "distributed": True,
            },
        ]
    },
)
HASHES_ADDED = OpenApiExample(
    "Values added", response_only=True, status_codes=["201"], value={"added": 2}
)
HASH_CONFLICT = OpenApiExample(
    "Known in another series",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "hash_conflict",
            "message": "1 value(s) already belong to another series; nothing was added. The "
            "owning agency has been told, so the two of you can talk.",
            "conflicts": [
                {"index": 1, "algorithm": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"}
            ],
        }
    },
)
CLUE = OpenApiExample(
    "A clue",
    response_only=True,
    value={
        "id": 57,
        "series": "SER-2026-000123",
        "taxonomy_node": {
            "slug": "sockets",
            "label": "Sockets and plugs",
            "path": "electrical/sockets/",
        },
        "title": "Recessed type F wall socket",
        "description": "Cream recessed socket with two earthing clips, low on the wall.",
        "languages": ["nld"],
        "country_hypotheses": [
            {"country": "NL", "confidence": "medium"},
            {"country": "DE", "confidence": "low"},
        ],
        "place_text": "",
        "latitude": None,
        "longitude": None,
        "radius_km": None,
        "time_from": "2024-01-01",
        "time_to": "2025-06-30",
        "status": "open",
        "distribution": "network",
        "distribution_explained": "Every vetted investigator on VictimID, in every country, "
        "will see this.",
        "sharing_group": None,
        "agency": AGENCY,
        "version": 1,
        "can_edit": False,
        "created_at": "2026-01-06T10:00:00Z",
        "updated_at": "2026-01-06T10:00:00Z",
    },
)
CLUE_CREATE = OpenApiExample(
    "Post a clue",
    request_only=True,
    value={
        "series": "SER-2026-000123",
        "taxonomy_node": "sockets",
        "title": "Recessed type F wall socket",
        "description": "Cream recessed socket with two earthing clips, low on the wall.",
        "languages": ["nld"],
        "country_hypotheses": [{"country": "NL", "confidence": "medium"}],
        "time_from": "2024-01-01",
        "time_to": "2025-06-30",
        "distribution": "network",
    },
)
CLUE_UPDATE = OpenApiExample(
    "Mark in progress",
    request_only=True,
    value={"version": 1, "status": "in_progress"},
)
TAXONOMY = OpenApiExample(
    "A taxonomy node",
    response_only=True,
    value={
        "slug": "electrical",
        "label": "Electrical sockets and plugs",
        "parent": None,
        "path": "electrical/",
        "depth": 0,
        "description": "Socket and plug types, switches, fittings.",
    },
)
SHARING_GROUP = OpenApiExample(
    "A sharing group",
    response_only=True,
    value={
        "id": 4,
        "name": "North Sea task force",
        "description": "Agencies working the harbour series together.",
        "managing_agency": AGENCY,
        "members": [
            {"agency": AGENCY, "added_at": "2026-01-02T08:00:00Z"},
            {
                "agency": {"id": 7, "name": "Demo Policía Nacional", "country": "ES"},
                "added_at": "2026-01-02T08:00:00Z",
            },
        ],
        "can_manage": True,
    },
)
SHARING_GROUP_CREATE = OpenApiExample(
    "Create a group",
    request_only=True,
    value={
        "name": "North Sea task force",
        "description": "Agencies working the harbour series together.",
        "members": [7],
    },
)
MEMBER_ADD = OpenApiExample("Add an agency", request_only=True, value={"agency": 9})
GRANT = OpenApiExample(
    "A grant to an agency",
    response_only=True,
    value={
        "key": "agency-9",
        "kind": "agency",
        "agency": {"id": 9, "name": "Demo Federal Police — Child Protection", "country": "BR"},
        "user": None,
        "granted_at": "2026-03-02T10:15:00Z",
        "sees_record": True,
        "warning": None,
    },
)
# Examples of a list answer hold one item: drf-spectacular wraps them in the list itself.
GRANTS = OpenApiExample(
    "A grant that has no effect yet",
    response_only=True,
    value={
        "key": "user-41",
        "kind": "user",
        "agency": {"id": 12, "name": "Demo State Police — VID Unit", "country": "ES"},
        "user": "investigator@es.example.org",
        "granted_at": "2026-03-04T08:40:00Z",
        "sees_record": False,
        "warning": "investigator@es.example.org cannot see series SER-2026-000123, so they "
        "will not see this clue until that series is shared with them too.",
    },
)
GRANT_TO_AGENCY = OpenApiExample("Grant to an agency", request_only=True, value={"agency": 9})
GRANT_TO_USER = OpenApiExample(
    "Grant to one person", request_only=True, value={"user": "investigator@es.example.org"}
)
VICTIM = OpenApiExample(
    "A victim",
    response_only=True,
    value={
        "code": "VIC-2026-000042",
        "series": ["SER-2026-000017"],
        "age_band": "7-10",
        "status": "identified",
        "agency": "Demo National Police — VID Team",
        "owner_country": "NL",
        "distribution": "country",
        "sharing_group": None,
        "notes": "Same room as in SER-2026-000017, later period.",
        "version": 3,
        "created_at": "2026-11-02T09:14:00Z",
        "updated_at": "2026-11-20T16:40:00Z",
    },
)
VICTIM_CREATE = OpenApiExample(
    "A child seen in one series",
    request_only=True,
    value={"series": ["SER-2026-000017"], "age_band": "7-10", "distribution": "country"},
)
VICTIM_UPDATE = OpenApiExample(
    "Correct the age band", request_only=True, value={"version": 3, "age_band": "11-13"}
)
EVENT = OpenApiExample(
    "An event of the log",
    response_only=True,
    value={
        "id": 311,
        "victim": "VIC-2026-000042",
        "kind": "safeguarded",
        "occurred_on": "2026-11-19",
        "agency": "Demo Policía Nacional — Unidad de Víctimas",
        "country": "ES",
        "recorded_by": "Elena Investigadora",
        "support_service": None,
        "corrects": None,
        "corrected": False,
        "note": "Placed with family; local child protection informed.",
        "recorded_at": "2026-11-20T16:40:00Z",
    },
)
EVENTS_RECORDED = OpenApiExample(
    "Recorded together",
    response_only=True,
    status_codes=["201"],
    value={
        "events": [
            {
                **EVENT.value,
                "id": 310,
                "kind": "identified",
                "note": "",
            },
            EVENT.value,
        ]
    },
)
EVENT_SAFEGUARDED = OpenApiExample(
    "Identified and safeguarded together",
    request_only=True,
    value={"kind": "safeguarded", "occurred_on": "2026-11-19", "also_identified": True},
)
EVENT_REFERRAL = OpenApiExample(
    "Referral",
    request_only=True,
    value={"kind": "referred", "occurred_on": "2026-11-20", "support_service": "legal"},
)
EVENT_CORRECTION = OpenApiExample(
    "Correction",
    request_only=True,
    value={
        "kind": "correction",
        "occurred_on": "2026-11-21",
        "corrects": 311,
        "note": "Recorded against the wrong child.",
    },
)
FOLLOWING = OpenApiExample(
    "Following", response_only=True, value={"series": "SER-2026-000017", "following": True}
)

# --- Lookups, triage, imports, exports (docs/triage.md) -----------------------------------------

_SEIZED_MD5 = "9e107d9d372bb6826bd81d3542a419d6"
HASH_LOOKUP = OpenApiExample(
    "Look up values of any algorithm",
    request_only=True,
    value={
        "values": [
            "D41D8CD98F00B204E9800998ECF8427E",
            _SEIZED_MD5,
            {"value": "da39a3ee5e6b4b0d3255bfef95601890afd80709", "algorithm": "sha1"},
        ]
    },
)
HASH_LOOKUP_RESULT = OpenApiExample(
    "Known, known restricted, new",
    response_only=True,
    value={
        "results": [
            {
                "value": "D41D8CD98F00B204E9800998ECF8427E",
                "status": "known",
                "algorithm": "md5",
                "vics_category": 1,
                "series": {
                    "code": "SER-2026-000042",
                    "title": "Lighthouse room",
                    "status": "active",
                    "identification": {"children": 2, "identified": 1, "safeguarded": 1},
                    "agencies": [
                        {
                            "name": AGENCY["name"],
                            "country": "NL",
                            "contact_point": "+31 70 000 0000",
                            "role": "owner",
                        },
                        {
                            "name": "Demo Policía Nacional — Unidad de Víctimas",
                            "country": "ES",
                            "contact_point": "Unidad de Víctimas, +34 91 000 0000",
                            "role": "claim",
                        },
                    ],
                },
            },
            {"value": _SEIZED_MD5, "status": "known_restricted"},
            {
                "value": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "status": "new",
                "algorithm": "sha1",
            },
        ],
        "counts": {"known": 1, "known_restricted": 1, "new": 1},
    },
)
TRIAGE_UPLOAD = OpenApiExample(
    "Upload a seizure's list",
    request_only=True,
    value={"file": "(the file: seizure-2026-001.txt)", "format": "plain"},
)
TRIAGE_JOB = OpenApiExample(
    "A triage job",
    response_only=True,
    value={
        "id": 17,
        "status": "done",
        "progress": 100,
        "file_name": "seizure-2026-001.txt",
        "file_format": "plain",
        "file_bytes": 33000000,
        "bytes_read": 33000000,
        "lines_read": 1000000,
        "values_read": 1000000,
        "counts": {
            "new": 500000,
            "known_not_identified": 120000,
            "known_identified": 300000,
            "known_restricted": 80000,
        },
        "error": "",
        "error_line": None,
        "error_byte": None,
        "cancel_requested": False,
        "created_at": "2026-03-02T08:00:00Z",
        "started_at": "2026-03-02T08:00:01Z",
        "finished_at": "2026-03-02T08:00:40Z",
        "expires_at": "2026-03-09T08:00:00Z",
        "purged_at": None,
        "links": {
            "self": "/api/v1/triage-jobs/17",
            "hits": "/api/v1/triage-jobs/17/hits",
            "download_csv": "/api/v1/triage-jobs/17/download?format=csv",
            "download_json": "/api/v1/triage-jobs/17/download?format=json",
            "page": "/triage/17/",
        },
    },
)
TRIAGE_HIT = OpenApiExample(
    "Known values",
    response_only=True,
    value={
        "next": None,
        "previous": None,
        "results": [
            {
                "line": 2,
                "value": "d41d8cd98f00b204e9800998ecf8427e",
                "algorithm": "md5",
                "outcome": "known_identified",
                "series": "SER-2026-000042",
                "series_title": "Lighthouse room",
                "vics_category": 1,
            },
            {
                "line": 9,
                "value": _SEIZED_MD5,
                "algorithm": "md5",
                "outcome": "known_restricted",
                "series": None,
                "series_title": None,
                "vics_category": None,
            },
        ],
    },
)
TRIAGE_DOWNLOAD = OpenApiExample(
    "The JSON download (CSV has the same columns)",
    response_only=True,
    value={
        "job": 17,
        "status": "done",
        "counts": {"new": 1, "known_identified": 1},
        "results": [
            {
                "line": 1,
                "value": "0cc175b9c0f1b6a831c399e269772661",
                "algorithm": "md5",
                "outcome": "new",
                "series": None,
                "series_title": None,
                "vics_category": None,
            }
        ],
    },
)
IMPORT_CREATE = OpenApiExample(
    "Import a VICS file into a series",
    request_only=True,
    value={"file": "(the file: national-set.json)", "series": "SER-2026-000042"},
)
IMPORT_JOB = OpenApiExample(
    "An import job",
    response_only=True,
    value={
        "id": 5,
        "status": "failed",
        "progress": 100,
        "series": "SER-2026-000042",
        "file_name": "national-set.json",
        "file_format": "vics",
        "file_bytes": 1422932,
        "bytes_read": 720896,
        "lines_read": 0,
        "values_read": 0,
        "added": 0,
        "already_in_series": 0,
        "conflicts": 0,
        "error": "The JSON is malformed or truncated after record 1162: premature EOF",
        "error_line": 1,
        "error_byte": 720896,
        "created_at": "2026-03-02T08:00:00Z",
        "started_at": "2026-03-02T08:00:01Z",
        "finished_at": "2026-03-02T08:00:02Z",
    },
)
HASH_REMOVE = OpenApiExample(
    "Remove with a reason", request_only=True, value={"reason": "A stock photo, not abuse."}
)
HASH_MOVE = OpenApiExample(
    "Move with a reason",
    request_only=True,
    value={"series": "SER-2026-000043", "reason": "Filed in the wrong series."},
)
HASH_MOVED = OpenApiExample(
    "Moved", response_only=True, value={"id": 981, "series": "SER-2026-000043"}
)
SERIES_EXPORT = OpenApiExample(
    "VICS 2.0 (CSV: algorithm, value, vics_category, distributed, series, victim_identified)",
    response_only=True,
    value={
        "@odata.context": "https://victimid.invalid/odata/$metadata#Media",
        "value": [
            {
                "MediaID": 1,
                "MD5": "d41d8cd98f00b204e9800998ecf8427e",
                "Category": 1,
                "IsDistributed": False,
                "VictimIdentified": True,
                "Series": "SER-2026-000042",
            }
        ],
    },
)

_ASSESSMENT = {
    "id": 12,
    "clue": 57,
    "verdict": "recognised",
    "attributions": [{"country": "DE", "place_text": "Ruhr area", "confidence": "high"}],
    "comment": "This socket plate was sold by a German DIY chain from 2019.",
    "agency": {"id": 8, "name": "Demo Federal Police — VID", "country": "DE"},
    "created_at": "2026-01-08T09:30:00Z",
}

ASSESSMENT = OpenApiExample("An assessment", response_only=True, value=_ASSESSMENT)

ASSESSMENT_CREATE = OpenApiExample(
    "Recognise a clue",
    request_only=True,
    value={
        "verdict": "recognised",
        "attributions": [{"country": "DE", "place_text": "Ruhr area", "confidence": "high"}],
        "comment": "This socket plate was sold by a German DIY chain from 2019.",
    },
)

ASSESSMENTS = OpenApiExample(
    "A clue's assessments",
    response_only=True,
    value={
        "consensus": {
            "assessors": 2,
            "verdicts": {"recognised": 1, "not_recognised": 0, "unsure": 1},
            "verdict": None,
            "verdict_disputed": False,
            "attributions": [
                {
                    "country": "DE",
                    "assessors": 1,
                    "confidence": "high",
                    "places": ["Ruhr area"],
                    "disputed": False,
                    "why_disputed": "",
                }
            ],
        },
        "assessments": [_ASSESSMENT],
    },
)

STATS = OpenApiExample(
    "Figures of Europe by quarter",
    response_only=True,
    value={
        "scope": {"kind": "world", "label": "Every country"},
        "filters": {"year": 2025, "granularity": "quarter", "area": "150", "agency_kind": ""},
        "refreshed_at": "2026-12-07T02:00:00Z",
        "threshold": 5,
        "tables": [
            {
                "key": "children",
                "title": "Children identified and safeguarded",
                "row_heading": "Period",
                "measures": [
                    {"key": "children_identified", "label": "Children identified", "unit": "count"}
                ],
                "rows": [
                    {
                        "key": "2025-Q1",
                        "label": "2025-Q1",
                        "is_total": False,
                        "figures": [
                            {
                                "measure": "children_identified",
                                "text": "<5",
                                "state": "small",
                                "value": None,
                            }
                        ],
                    },
                    {
                        "key": "2025-Q2",
                        "label": "2025-Q2",
                        "is_total": False,
                        "figures": [
                            {
                                "measure": "children_identified",
                                "text": "[c]",
                                "state": "suppressed",
                                "value": None,
                            }
                        ],
                    },
                    {
                        "key": "2025",
                        "label": "2025, whole year",
                        "is_total": True,
                        "figures": [
                            {
                                "measure": "children_identified",
                                "text": "31",
                                "state": "shown",
                                "value": 31.0,
                            }
                        ],
                    },
                ],
            }
        ],
    },
)
