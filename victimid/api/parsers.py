"""Request body parsing: JSON only, and never deeper than a record can be."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

__all__ = ["MAX_JSON_DEPTH", "BoundedJSONParser"]

# No request body of this API nests deeper than a few levels (a list of objects inside
# an object); 32 leaves room and refuses structures built to exhaust the parser.
MAX_JSON_DEPTH = 32


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) nesting too deep instead of raising RecursionError."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(_too_deep())
        return data


def _too_deep() -> str:
    return _("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a valid JSON value") % {"name": name})


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Is ``data`` nested deeper than ``limit``? Iterative, so it cannot recurse itself."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
