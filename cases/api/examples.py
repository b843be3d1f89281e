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
HASH_LOOKUP = OpenApiExample(
    "Look up values of several algorithms",
    request_only=True,
    value={
        "values": [
            "9e107d9d372bb6826bd81d3542a419d6",
            {"value": "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "algorithm": "sha1"},
        ]
    },
)
HASH_LOOKUP_RESULT = OpenApiExample(
    "One known value, one new",
    response_only=True,
    value={
        "results": [
            {
                "value": "9e107d9d372bb6826bd81d3542a419d6",
                "algorithm": "md5",
                "status": "known",
                "vics_category": 1,
                "series": {
                    "code": "SER-2026-000042",
                    "title": "Blue bedroom series",
                    "status": "active",
                    "identification": {"children": 2, "identified": 1, "safeguarded": 1},
                    "agencies": [
                        {
                            "name": "National Police NL",
                            "country": "NL",
                            "contact_point": "vid-desk@politie.example",
                        }
                    ],
                },
            },
            {
                "value": "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
                "algorithm": "sha1",
                "status": "new",
            },
        ],
        "counts": {"known": 1, "known_restricted": 0, "new": 1},
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
