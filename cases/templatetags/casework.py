"""Template helpers of the casework pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django_countries import countries

from cases.choices import DISTRIBUTION_EXPLAINED, Distribution
from cases.languages import language_name

register = template.Library()


@register.filter
def distribution_explained(level: str) -> str:
    """Who will see a record at ``level``, in plain words."""
    try:
        return str(DISTRIBUTION_EXPLAINED[Distribution(level)])
    except ValueError:
        return ""


@register.filter
def language_label(code: str) -> str:
    """An ISO 639-3 code's language name."""
    return language_name(code)


@register.filter
def country_label(code: Any) -> str:
    """An ISO 3166-1 code's country name."""
    return str(countries.name(str(code)) or code)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (a falsy value removes a key).

    Any change of filter returns to the first page.
    """
    request = context["request"]
    query: QueryDict = request.GET.copy()
    if "page" not in changes:
        query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_set(context: dict[str, Any], name: str, value: Any) -> str:
    """The current query string with ``name`` set to ``value`` (removed when empty)."""
    return query_with(context, **{name: value})
