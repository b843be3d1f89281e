from cases.models.assessments import Assessment, AssessmentAttribution
from cases.models.claims import Claim, CoordinationNotice, CoordinationReason
from cases.models.clues import Clue, ClueCountryHypothesis
from cases.models.correlation import (
    CorrelationSuggestion,
    SuggestionInbox,
    SuggestionReach,
    SuggestionStatus,
)
from cases.models.deconfliction import DeconflictionNotice
from cases.models.grants import (
    ClueAgencyGrant,
    ClueUserGrant,
    SeriesAgencyGrant,
    SeriesUserGrant,
    VictimAgencyGrant,
    VictimUserGrant,
)
from cases.models.hashes import KnownHash
from cases.models.lookups import RestrictedLookupNotice
from cases.models.routing import RoutingRequest, RoutingStatus
from cases.models.series import Series
from cases.models.stats import FigureState, StatsFigure, StatsRefresh
from cases.models.taxonomy import ClueTaxonomyNode
from cases.models.triage import (
    HashImportJob,
    JobStatus,
    TriageJob,
    TriageOutcome,
    TriageResult,
)
from cases.models.victims import (
    IdentificationEvent,
    SeriesFollower,
    Victim,
    VictimSeries,
)

__all__ = [
    "Assessment",
    "AssessmentAttribution",
    "Claim",
    "Clue",
    "ClueAgencyGrant",
    "ClueCountryHypothesis",
    "ClueTaxonomyNode",
    "ClueUserGrant",
    "CoordinationNotice",
    "CorrelationSuggestion",
    "CoordinationReason",
    "DeconflictionNotice",
    "FigureState",
    "HashImportJob",
    "IdentificationEvent",
    "JobStatus",
    "KnownHash",
    "RestrictedLookupNotice",
    "RoutingRequest",
    "RoutingStatus",
    "Series",
    "SuggestionInbox",
    "SuggestionReach",
    "SuggestionStatus",
    "SeriesAgencyGrant",
    "SeriesFollower",
    "SeriesUserGrant",
    "StatsFigure",
    "StatsRefresh",
    "TriageJob",
    "TriageOutcome",
    "TriageResult",
    "Victim",
    "VictimAgencyGrant",
    "VictimSeries",
    "VictimUserGrant",
]
