"""Casework API views: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.api import examples
from cases.api.serializers import (
    ClueInputSerializer,
    ClueSerializer,
    ClueUpdateSerializer,
    KnownHashAddDocSerializer,
    KnownHashAddResultSerializer,
    KnownHashAddSerializer,
    KnownHashSerializer,
    RecordGrantInputSerializer,
    RecordGrantSerializer,
    SeriesDetailSerializer,
    SeriesInputSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
    SharingGroupInputSerializer,
    SharingGroupMemberInputSerializer,
    SharingGroupSerializer,
    TaxonomyNodeSerializer,
)
from cases.exceptions import HashConflict, VersionConflict
from cases.models import Clue, KnownHash, Series
from cases.selectors.clues import CLUE_FILTERS
from cases.selectors.grants import grant_key, record_grant_get, record_grant_list
from cases.selectors.series import SERIES_FILTERS
from victimid.api.errors import Conflict
from victimid.api.permissions import HasCaseworkAccess
from victimid.models import SharingGroup


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


def _filters(request: Request, known: set[str]) -> dict[str, str]:
    return {key: request.query_params[key] for key in known if key in request.query_params}


def _parameter(name: str, description: str | Promise, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, False, description, **kwargs
    )


ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; `error.fields` names each problem.")),
    401: OpenApiResponse(description=_("No or bad credentials.")),
    403: OpenApiResponse(
        description=_(
            "Second factor missing (`mfa_required`), not vetted, wrong role, or not "
            "the owning agency."
        )
    ),
    404: OpenApiResponse(description=_("No such record that you may see.")),
}
VERSION_CONFLICT = OpenApiResponse(
    description=_("Stale version: `error.current_version` is the version now stored."),
    examples=[examples.VERSION_CONFLICT],
)


class CaseworkView(GenericAPIView):  # type: ignore[type-arg]
    """Base of casework views: casework access required; filtering is the selectors' job."""

    permission_classes = [HasCaseworkAccess]
    filter_backends: list[Any] = []

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


# --- Series -------------------------------------------------------------------------------

SERIES_PARAMETERS = [
    _parameter("status", _("active, identified, closed or merged.")),
    _parameter("distribution", _("agency, country, group or network.")),
    OpenApiParameter("agency", OpenApiTypes.INT, description=_("Owning agency id.")),
    _parameter("q", _("Words of the title, or an exact series code.")),
]


class SeriesListView(CaseworkView):
    """Series you may see; create a series owned by your agency."""

    serializer_class = SeriesSerializer
    queryset = Series.objects.none()

    @extend_schema(
        operation_id="series_list",
        parameters=SERIES_PARAMETERS,
        responses={200: SeriesSerializer(many=True), **ERRORS},
        examples=[examples.SERIES],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.series_list(
            actor=request.user, filters=_filters(request, SERIES_FILTERS)
        )
        return self.paginated(SeriesSerializer, queryset)

    @extend_schema(
        operation_id="series_create",
        request=SeriesInputSerializer,
        responses={201: SeriesDetailSerializer, **ERRORS},
        examples=[examples.SERIES_CREATE, examples.SERIES],
    )
    def post(self, request: Request) -> Response:
        data = _validated(SeriesInputSerializer, request)
        data.pop("merged_into", None)
        series = services.series_create(actor=request.user, **data)
        series = selectors.series_get(actor=request.user, code=series.code, audit=False)
        return self.respond(SeriesDetailSerializer, series, status.HTTP_201_CREATED)


class SeriesDetailView(CaseworkView):
    """One series by code; its owning agency changes it, carrying the version it read."""

    serializer_class = SeriesDetailSerializer
    queryset = Series.objects.none()

    def _render(self, series: Series) -> Response:
        target = series.merged_into
        target_visible = target is not None and access.can_view(self.request.user, target)
        return self.respond(SeriesDetailSerializer, series, merge_target_visible=target_visible)

    @extend_schema(
        operation_id="series_retrieve",
        responses={200: SeriesDetailSerializer, **ERRORS},
        examples=[examples.SERIES],
    )
    def get(self, request: Request, code: str) -> Response:
        return self._render(selectors.series_get(actor=request.user, code=code))

    def _update(self, request: Request, code: str, *, partial: bool) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)  # 403 before any word about the input
        data = _validated(SeriesUpdateSerializer, request, partial=partial)
        version = data.pop("version")
        with service_errors():
            services.series_update(actor=request.user, series=series, version=version, **data)
        return self._render(selectors.series_get(actor=request.user, code=code, audit=False))

    @extend_schema(
        operation_id="series_update",
        request=SeriesUpdateSerializer,
        responses={200: SeriesDetailSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.SERIES_UPDATE],
    )
    def put(self, request: Request, code: str) -> Response:
        return self._update(request, code, partial=False)

    @extend_schema(
        operation_id="series_partial_update",
        request=SeriesUpdateSerializer,
        responses={200: SeriesDetailSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.SERIES_UPDATE],
    )
    def patch(self, request: Request, code: str) -> Response:
        return self._update(request, code, partial=True)


class SeriesHashListView(CaseworkView):
    """The known hash values of a series; its owning agency adds up to 10,000 at once."""

    serializer_class = KnownHashSerializer
    queryset = KnownHash.objects.none()

    @extend_schema(
        operation_id="series_hashes_list",
        responses={200: KnownHashSerializer(many=True), **ERRORS},
        examples=[examples.KNOWN_HASH],
    )
    def get(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        return self.paginated(
            KnownHashSerializer, selectors.known_hash_list(actor=request.user, series=series)
        )

    @extend_schema(
        operation_id="series_hashes_add",
        request=KnownHashAddDocSerializer,
        responses={
            201: KnownHashAddResultSerializer,
            409: OpenApiResponse(
                description=_(
                    "A value already belongs to another series. Nothing was added; both "
                    "owning agencies received a deconfliction notice. The other series is "
                    "named only if you may see it."
                ),
                examples=[examples.HASH_CONFLICT],
            ),
            413: OpenApiResponse(description=_("More than 10,000 entries.")),
            **ERRORS,
        },
        examples=[examples.HASHES_ADD, examples.HASHES_ADDED],
    )
    def post(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)
        data = _validated(KnownHashAddSerializer, request)
        with service_errors():
            added = services.known_hashes_add(
                actor=request.user, series=series, entries=data["entries"], source=data["source"]
            )
        return Response({"added": len(added)}, status=status.HTTP_201_CREATED)


# --- Clues ----------------------------------------------------------------------------------

CLUE_PARAMETERS = [
    _parameter("series", _("Series code.")),
    _parameter("taxonomy", _("Taxonomy node slug; includes the nodes below it.")),
    _parameter("country", _("A country hypothesis (ISO 3166-1 alpha-2).")),
    _parameter("language", _("A language (ISO 639-3).")),
    _parameter("status", _("open, in_progress, resolved or discarded.")),
    _parameter("created_after", _("Date (YYYY-MM-DD) or ISO 8601 date-time.")),
    _parameter("created_before", _("Date (YYYY-MM-DD) or ISO 8601 date-time, inclusive.")),
    _parameter(
        "q",
        _('Full-text search of title, description and place: words, "a phrase", -not, OR.'),
    ),
]


class ClueListView(CaseworkView):
    """Clues you may see (their series too), filtered and searched; post a clue."""

    serializer_class = ClueSerializer
    queryset = Clue.objects.none()

    @extend_schema(
        operation_id="clues_list",
        parameters=CLUE_PARAMETERS,
        responses={200: ClueSerializer(many=True), **ERRORS},
        examples=[examples.CLUE],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.clue_list(actor=request.user, filters=_filters(request, CLUE_FILTERS))
        return self.paginated(ClueSerializer, queryset)

    @extend_schema(
        operation_id="clues_create",
        request=ClueInputSerializer,
        responses={201: ClueSerializer, **ERRORS},
        examples=[examples.CLUE_CREATE, examples.CLUE],
    )
    def post(self, request: Request) -> Response:
        data = _validated(ClueInputSerializer, request)
        clue = services.clue_create(actor=request.user, **data)
        clue = selectors.clue_get(actor=request.user, pk=clue.pk, audit=False)
        return self.respond(ClueSerializer, clue, status.HTTP_201_CREATED)


class ClueDetailView(CaseworkView):
    """One clue; its author's agency changes it (with the version read) or deletes it."""

    serializer_class = ClueSerializer
    queryset = Clue.objects.none()

    @extend_schema(
        operation_id="clues_retrieve",
        responses={200: ClueSerializer, **ERRORS},
        examples=[examples.CLUE],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(ClueSerializer, selectors.clue_get(actor=request.user, pk=pk))

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        access.require_editable(request.user, clue)
        data = _validated(ClueUpdateSerializer, request, partial=partial)
        version = data.pop("version")
        with service_errors():
            services.clue_update(actor=request.user, clue=clue, version=version, **data)
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        return self.respond(ClueSerializer, clue)

    @extend_schema(
        operation_id="clues_update",
        request=ClueUpdateSerializer,
        responses={200: ClueSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.CLUE_UPDATE],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="clues_partial_update",
        request=ClueUpdateSerializer,
        responses={200: ClueSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.CLUE_UPDATE],
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(
        operation_id="clues_destroy",
        responses={204: None, **ERRORS},
        description=_("Only the author's agency, and only while nobody has assessed the clue."),
    )
    def delete(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        services.clue_delete(actor=request.user, clue=clue)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClueTaxonomyView(CaseworkView):
    """The clue taxonomy, each parent before its children; labels in your language."""

    serializer_class = TaxonomyNodeSerializer
    pagination_class = None

    @extend_schema(
        operation_id="clue_taxonomy_list",
        responses={200: TaxonomyNodeSerializer(many=True), **ERRORS},
        examples=[examples.TAXONOMY],
    )
    def get(self, request: Request) -> Response:
        return self.respond(TaxonomyNodeSerializer, selectors.taxonomy_tree(), many=True)


# --- Sharing groups ---------------------------------------------------------------------------


class SharingGroupListView(CaseworkView):
    """Sharing groups your agency belongs to or manages; coordinators create them."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_list",
        responses={200: SharingGroupSerializer(many=True), **ERRORS},
        examples=[examples.SHARING_GROUP],
    )
    def get(self, request: Request) -> Response:
        return self.paginated(
            SharingGroupSerializer, selectors.sharing_groups_for(actor=request.user)
        )

    @extend_schema(
        operation_id="sharing_groups_create",
        request=SharingGroupInputSerializer,
        responses={201: SharingGroupSerializer, **ERRORS},
        examples=[examples.SHARING_GROUP_CREATE, examples.SHARING_GROUP],
    )
    def post(self, request: Request) -> Response:
        data = _validated(SharingGroupInputSerializer, request)
        group = services.sharing_group_create(actor=request.user, **data)
        group = selectors.sharing_group_get(actor=request.user, pk=group.pk)
        return self.respond(SharingGroupSerializer, group, status.HTTP_201_CREATED)


class SharingGroupDetailView(CaseworkView):
    """One sharing group your agency belongs to or manages."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_retrieve",
        responses={200: SharingGroupSerializer, **ERRORS},
        examples=[examples.SHARING_GROUP],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(
            SharingGroupSerializer, selectors.sharing_group_get(actor=request.user, pk=pk)
        )


class SharingGroupMemberListView(CaseworkView):
    """Add an agency to a group (the managing agency's coordinators)."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_members_add",
        request=SharingGroupMemberInputSerializer,
        responses={201: SharingGroupSerializer, **ERRORS},
        examples=[examples.MEMBER_ADD],
    )
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        if not services.can_manage_sharing_group(request.user, group):
            raise exceptions.PermissionDenied(
                _("Only the managing agency's coordinators change this group's members.")
            )
        data = _validated(SharingGroupMemberInputSerializer, request)
        services.sharing_group_member_add(
            actor=request.user, sharing_group=group, agency=data["agency"]
        )
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        return self.respond(SharingGroupSerializer, group, status.HTTP_201_CREATED)


class SharingGroupMemberDetailView(CaseworkView):
    """Remove an agency from a group (the managing agency's coordinators)."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(operation_id="sharing_groups_members_remove", responses={204: None, **ERRORS})
    def delete(self, request: Request, pk: int, agency_id: int) -> Response:
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        membership = group.memberships.filter(agency_id=agency_id).select_related("agency").first()
        if membership is None:
            raise exceptions.NotFound(_("This agency is not a member of the group."))
        services.sharing_group_member_remove(
            actor=request.user, sharing_group=group, agency=membership.agency
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Explicit grants ----------------------------------------------------------------------------

GRANT_KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("`agency-<agency id>` or `user-<user id>`, as the list gives it."),
)
GRANTS_LIST: dict[str, Any] = {
    "responses": {200: RecordGrantSerializer(many=True), **ERRORS},
    "examples": [examples.GRANTS],
    "description": _(
        "Who else may see the record through an explicit grant. Its owning agency only: "
        "others get 403 when they can see the record, 404 when they cannot."
    ),
}
GRANTS_CREATE: dict[str, Any] = {
    "request": RecordGrantInputSerializer,
    "responses": {
        201: RecordGrantSerializer,
        200: OpenApiResponse(
            RecordGrantSerializer,
            description=_("Already granted: nothing changed, the grant as it stands."),
        ),
        **ERRORS,
    },
    "examples": [examples.GRANT_TO_AGENCY, examples.GRANT_TO_USER, examples.GRANT],
    "description": _(
        "Let one agency (`agency`: its id) or one vetted investigator (`user`: their "
        "e-mail address) see the record even though its level would not show it to them. "
        "Its owning agency only. Granting what is already granted answers 200 and changes "
        "nothing. Check `sees_record`: a clue stays hidden from whoever cannot see its series."
    ),
}
GRANTS_REVOKE: dict[str, Any] = {
    "parameters": [GRANT_KEY],
    "responses": {204: None, **ERRORS},
    "description": _("Withdraw a grant; its owning agency only. 404 when there is no such grant."),
}


class RecordGrantsView(CaseworkView):
    """Base of the grant views: list, make and withdraw the grants of one record."""

    serializer_class = RecordGrantSerializer
    pagination_class = None

    def list_grants(self, record: Any) -> Response:
        grants = record_grant_list(actor=self.request.user, record=record)
        return self.respond(RecordGrantSerializer, grants, many=True)

    def grant(self, record: Any) -> Response:
        access.require_editable(self.request.user, record)  # 403 before any word about the input
        data = _validated(RecordGrantInputSerializer, self.request)
        created = services.record_grant(actor=self.request.user, record=record, **data)
        key = grant_key(**data)
        grant = record_grant_get(actor=self.request.user, record=record, key=key)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.respond(RecordGrantSerializer, grant, code)

    def revoke(self, record: Any, key: str) -> Response:
        grant = record_grant_get(actor=self.request.user, record=record, key=key)
        grantee = {"user": grant.user} if grant.user is not None else {"agency": grant.agency}
        services.record_grant_revoke(actor=self.request.user, record=record, **grantee)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _SeriesGrantsView(RecordGrantsView):
    queryset = Series.objects.none()

    def _series(self, code: str) -> Series:
        return selectors.series_get(actor=self.request.user, code=code, audit=False)


class SeriesGrantListView(_SeriesGrantsView):
    """The explicit grants of a series (its owning agency only); grant it to someone."""

    @extend_schema(operation_id="series_grants_list", **GRANTS_LIST)
    def get(self, request: Request, code: str) -> Response:
        return self.list_grants(self._series(code))

    @extend_schema(operation_id="series_grants_create", **GRANTS_CREATE)
    def post(self, request: Request, code: str) -> Response:
        return self.grant(self._series(code))


class SeriesGrantDetailView(_SeriesGrantsView):
    """Withdraw one explicit grant of a series."""

    @extend_schema(operation_id="series_grants_revoke", **GRANTS_REVOKE)
    def delete(self, request: Request, code: str, key: str) -> Response:
        return self.revoke(self._series(code), key)


class _ClueGrantsView(RecordGrantsView):
    queryset = Clue.objects.none()

    def _clue(self, pk: int) -> Clue:
        return selectors.clue_get(actor=self.request.user, pk=pk, audit=False)


class ClueGrantListView(_ClueGrantsView):
    """The explicit grants of a clue (its owning agency only); grant it to someone."""

    @extend_schema(operation_id="clue_grants_list", **GRANTS_LIST)
    def get(self, request: Request, pk: int) -> Response:
        return self.list_grants(self._clue(pk))

    @extend_schema(operation_id="clue_grants_create", **GRANTS_CREATE)
    def post(self, request: Request, pk: int) -> Response:
        return self.grant(self._clue(pk))


class ClueGrantDetailView(_ClueGrantsView):
    """Withdraw one explicit grant of a clue."""

    @extend_schema(operation_id="clue_grants_revoke", **GRANTS_REVOKE)
    def delete(self, request: Request, pk: int, key: str) -> Response:
        return self.revoke(self._clue(pk), key)


def _validated(serializer_class: Any, request: Request, partial: bool = False) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
