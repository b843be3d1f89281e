"""The need-to-know policy over all casework, in one place.

``rules.RULES`` is the table: for each kind of record, which levels, grants and parent
records admit a reader. ``policy`` derives everything from it: ``restrict`` (what
``Model.objects.visible_to`` answers), ``restrict_through`` (records read through a
visible related row), ``can_view``, ``can_edit``, ``agency_can_view``,
the grant models of a kind and the SQL of each rule. Nothing registers rules at import
time, and no other module decides who sees a record.
"""

from cases.access.policy import (
    EDIT_REFUSED,
    agency_can_view,
    can_edit,
    can_view,
    grant_models,
    require_editable,
    require_visible,
    restrict,
    restrict_through,
    visibility_q,
)
from cases.access.rules import RULES, rule_for

__all__ = [
    "EDIT_REFUSED",
    "RULES",
    "agency_can_view",
    "can_edit",
    "can_view",
    "grant_models",
    "require_editable",
    "require_visible",
    "restrict",
    "restrict_through",
    "rule_for",
    "visibility_q",
]
