"""What every casework API view shares: its base class, errors, input and query parsing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cases import services
from cases.api import examples
from cases.exceptions import HashConflict, VersionConflict
from victimid.api.errors import Conflict
from victimid.api.permissions import HasCaseworkAccess
from victimid.api.serializers import ErrorSerializer

__all__ = [
    "ERRORS",
    "VERSION_CONFLICT",
    "CaseworkView",
    "PayloadTooLarge",
    "query_filters",
    "query_parameter",
    "service_errors",
    "validated",
]


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Too many entries in one request.")
    default_code = "too_many_entries"


def _conflict(message: str, code: str, **extra: Any) -> Conflict:
    error = Conflict(message, code=code)
    error.extra = extra  # type: ignore[attr-defined]  # added to the error body by the handler
    return error


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn the casework services' own exceptions into API errors (409, 413)."""
    try:
        yield
    except VersionConflict as exc:
        raise _conflict(str(exc), "version_conflict", current_version=exc.current_version) from exc
    except HashConflict as exc:
        raise _conflict(str(exc), "hash_conflict", conflicts=exc.conflicts) from exc
    except services.TooManyHashes as exc:
        raise PayloadTooLarge(exc.messages[0]) from exc


def validated(serializer_class: Any, request: Request, partial: bool = False) -> dict[str, Any]:
    """The request body checked by ``serializer_class``; 400 naming each bad field."""
    serializer = serializer_class(data=request.data, context={"request": request}, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def query_filters(request: Request, known: set[str]) -> dict[str, str]:
    """The query parameters among ``known`` that the caller sent."""
    return {key: request.query_params[key] for key in known if key in request.query_params}


def query_parameter(name: str, description: str | Promise, **kwargs: Any) -> OpenApiParameter:
    """An optional text query parameter, for the schema."""
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, False, description, **kwargs
    )


ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description=_("Invalid input; `error.fields` names each problem.")
    ),
    401: OpenApiResponse(ErrorSerializer, description=_("No or bad credentials.")),
    403: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "Second factor missing (`mfa_required`), not vetted, wrong role, or not "
            "the owning agency."
        ),
    ),
    404: OpenApiResponse(ErrorSerializer, description=_("No such record that you may see.")),
}
VERSION_CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description=_("Stale version: `error.current_version` is the version now stored."),
    examples=[examples.VERSION_CONFLICT],
)


class CaseworkView(GenericAPIView):  # type: ignore[type-arg]
    """Base of casework views: casework access required; filtering is the selectors' job."""

    permission_classes = [HasCaseworkAccess]

    def respond(
        self,
        serializer_class: Any,
        instance: Any,
        code: int = status.HTTP_200_OK,
        *,
        many: bool = False,
        **context: Any,
    ) -> Response:
        serializer = serializer_class(
            instance, many=many, context={**self.get_serializer_context(), **context}
        )
        return Response(serializer.data, status=code)

    def paginated(self, serializer_class: Any, queryset: QuerySet[Any]) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)
