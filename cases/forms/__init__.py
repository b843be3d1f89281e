"""Web forms of the casework pages, one module per kind of record.

They parse input; the services validate and write. Free text is screened here too
(the same rule the services apply), so a form names every offending field at once.
"""

from cases.forms.assessments import ATTRIBUTION_ROWS, AssessmentForm
from cases.forms.claims import ClaimForm, claim_initial
from cases.forms.clues import (
    HYPOTHESIS_ROWS,
    ClueEditForm,
    ClueForm,
    ClueSearchForm,
    clue_initial,
    country_choices,
    taxonomy_choices,
)
from cases.forms.common import CaseworkForm, DistributionFields, VersionField
from cases.forms.grants import GrantForm
from cases.forms.hashes import MAX_HASH_LINES, HashAddForm
from cases.forms.lookups import HashLookupForm
from cases.forms.routing import RoutingForm, RoutingPassForm
from cases.forms.series import (
    EDITABLE_SERIES_STATUSES,
    SeriesEditForm,
    SeriesFilterForm,
    SeriesForm,
    series_initial,
)
from cases.forms.triage import HashImportUploadForm, TriageUploadForm
from cases.forms.victims import (
    IdentificationEventForm,
    VictimEditForm,
    VictimFilterForm,
    VictimForm,
    split_codes,
    victim_initial,
)

__all__ = [
    "HashImportUploadForm",
    "ATTRIBUTION_ROWS",
    "AssessmentForm",
    "EDITABLE_SERIES_STATUSES",
    "HYPOTHESIS_ROWS",
    "MAX_HASH_LINES",
    "CaseworkForm",
    "HashLookupForm",
    "TriageUploadForm",
    "ClaimForm",
    "ClueEditForm",
    "ClueForm",
    "ClueSearchForm",
    "DistributionFields",
    "GrantForm",
    "HashAddForm",
    "IdentificationEventForm",
    "RoutingForm",
    "RoutingPassForm",
    "SeriesEditForm",
    "SeriesFilterForm",
    "SeriesForm",
    "VersionField",
    "VictimEditForm",
    "VictimFilterForm",
    "VictimForm",
    "claim_initial",
    "clue_initial",
    "country_choices",
    "series_initial",
    "split_codes",
    "taxonomy_choices",
    "victim_initial",
]
