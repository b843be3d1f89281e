"""Casework writes. Each service checks access, validates, writes and audits itself."""

from cases.services.assessments import assessment_create
from cases.services.claims import claim_set, claim_withdraw, notice_acknowledge
from cases.services.clues import clue_create, clue_delete, clue_has_assessments, clue_update
from cases.services.correlation import clue_correlate, suggestion_decide
from cases.services.grants import record_grant, record_grant_revoke
from cases.services.hashes import MAX_HASHES_PER_REQUEST, TooManyHashes, known_hashes_add
from cases.services.lookups import hashes_lookup, lookup_counts
from cases.services.routing import (
    clue_route,
    country_investigators,
    routing_pass,
    routing_proposed_countries,
    routing_withdraw,
)
from cases.services.series import series_create, series_update
from cases.services.sharing import (
    can_manage_sharing_group,
    sharing_group_create,
    sharing_group_member_add,
    sharing_group_member_remove,
)
from cases.services.victims import (
    identification_event_check,
    identification_event_record,
    series_follow,
    series_unfollow,
    victim_create,
    victim_update,
)

__all__ = [
    "assessment_create",
    "MAX_HASHES_PER_REQUEST",
    "TooManyHashes",
    "can_manage_sharing_group",
    "claim_set",
    "claim_withdraw",
    "clue_correlate",
    "clue_create",
    "clue_delete",
    "clue_has_assessments",
    "clue_route",
    "country_investigators",
    "clue_update",
    "hashes_lookup",
    "identification_event_check",
    "identification_event_record",
    "known_hashes_add",
    "lookup_counts",
    "notice_acknowledge",
    "record_grant",
    "record_grant_revoke",
    "routing_pass",
    "routing_proposed_countries",
    "routing_withdraw",
    "series_create",
    "series_follow",
    "series_unfollow",
    "series_update",
    "sharing_group_create",
    "suggestion_decide",
    "sharing_group_member_add",
    "sharing_group_member_remove",
    "victim_create",
    "victim_update",
]
