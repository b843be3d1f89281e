"""What every casework page shares: who may open it, and how service errors reach a form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse

from victimid.gate import CASEWORK_REFUSED, has_casework_access
from victimid.models import User


class CaseworkRequest(HttpRequest):
    """A request past the second-factor gate and ``casework_required``: a signed-in user."""

    user: User  # type: ignore[assignment]


def casework_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for anyone without casework access (oversight, auditors, unvetted users).

    Anonymous visitors and sessions without a second factor never get here: the
    second-factor gate sends them to sign in first.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_casework_access(request.user):
            raise PermissionDenied(CASEWORK_REFUSED)
        return view(request, *args, **kwargs)

    return wrapper


def add_service_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: next to its field when the form has one.

    ``aliases`` maps service argument names to the form field that shows their errors
    (e.g. ``country_hypotheses`` to the first country row).
    """
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = aliases.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


@dataclass(frozen=True)
class ConflictingField:
    """A field whose saved value differs from what this editor submitted."""

    label: str
    saved: str
    submitted: str


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the reader saw it in the form: choice labels rather than codes."""
    if value in (None, "", [], ()):
        return "—"
    choices = dict(_flat_choices(getattr(field, "choices", []) or []))
    if isinstance(value, list | tuple):
        return ", ".join(_shown(field, item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    return str(choices.get(value, choices.get(str(value), value)))


def _flat_choices(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(_flat_choices(label))
        else:
            flat.append((key, label))
    return flat


def conflicting_fields(form: forms.Form, saved: dict[str, Any]) -> list[ConflictingField]:
    """The fields where the saved record and the submitted form disagree."""
    conflicts = []
    for name, field in form.fields.items():
        if name == "version" or name not in saved:
            continue
        submitted = form.cleaned_data.get(name)
        current = saved[name]
        if _comparable(submitted) != _comparable(current):
            conflicts.append(
                ConflictingField(
                    label=str(field.label),
                    saved=_shown(field, current),
                    submitted=_shown(field, submitted),
                )
            )
    return conflicts


def _comparable(value: Any) -> Any:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, list | tuple):
        return tuple(sorted(str(item) for item in value))  # an order nobody chose
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return str(value.normalize())
    return str(value)
