"""Errors casework services raise beyond Django's own (Http404, PermissionDenied, ValidationError).

Not visible raises ``django.http.Http404`` (no existence leak); visible but not
editable raises ``django.core.exceptions.PermissionDenied``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from cases.models import IdentificationEvent

__all__ = ["HashConflict", "LogChanged", "VersionConflict"]


class VersionConflict(Exception):
    """The record changed since the caller read it: the update carried a stale version."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            _("The record changed since you read it (now version %(version)d); reload it.")
            % {"version": current_version}
        )


class HashConflict(Exception):
    """Hash values already linked to another series; nothing was added.

    Each conflict holds ``algorithm``, ``value`` and ``index`` (its position in the
    request), and the other series' code only when the caller may see that series.
    """

    def __init__(self, conflicts: list[dict[str, Any]]) -> None:
        self.conflicts = conflicts
        super().__init__(
            _(
                "%(count)d value(s) already belong to another series; nothing was added. "
                "The owning agency has been told, so the two of you can talk."
            )
            % {"count": len(conflicts)}
        )


class LogChanged(Exception):
    """A child's identification log grew after the recorder confirmed; nothing was written.

    ``since`` holds the events appended after the position the recorder saw, oldest first.
    """

    def __init__(self, since: list[IdentificationEvent]) -> None:
        self.since = since
        super().__init__(
            _(
                "The identification log of this child changed since you checked it; nothing "
                "was recorded. Look at the log, then record again if it is still needed."
            )
        )
