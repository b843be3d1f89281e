"""Casework reads. Every queryset starts from the access policy; audited reads say so."""

from cases.selectors.assessments import assessment_consensus, assessment_list
from cases.selectors.claims import active_claims, agency_claims, notices_for
from cases.selectors.clues import clue_get, clue_list, clue_queryset
from cases.selectors.correlation import (
    series_links,
    suggestion_get,
    suggestion_list,
    suggestions_of_clue,
)
from cases.selectors.hashes import known_hash_list
from cases.selectors.routing import (
    routing_overdue_before,
    routing_queue,
    routing_request_get,
    routing_requests_of_clue,
)
from cases.selectors.series import series_by_codes, series_get, series_list, series_queryset
from cases.selectors.sharing import sharing_group_get, sharing_groups_for
from cases.selectors.taxonomy import taxonomy_tree
from cases.selectors.victims import (
    series_identification_summary,
    series_is_followed,
    victim_events,
    victim_get,
    victim_list,
    victim_log_position,
)

__all__ = [
    "series_links",
    "suggestion_get",
    "suggestion_list",
    "suggestions_of_clue",
    "active_claims",
    "agency_claims",
    "notices_for",
    "routing_overdue_before",
    "routing_queue",
    "routing_request_get",
    "routing_requests_of_clue",
    "assessment_consensus",
    "assessment_list",
    "clue_get",
    "clue_list",
    "clue_queryset",
    "known_hash_list",
    "series_by_codes",
    "series_get",
    "series_identification_summary",
    "series_is_followed",
    "series_list",
    "series_queryset",
    "sharing_group_get",
    "sharing_groups_for",
    "taxonomy_tree",
    "victim_events",
    "victim_get",
    "victim_list",
    "victim_log_position",
]
