"""Victims through the API: thin views over the victim services and selectors.

Not visible → 404 (no existence leak); visible but not the caller's to change → 403;
a stale version → 409 with the current one; the log is append-only, so its events
answer 405 to PUT, PATCH and DELETE.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.api import examples
from cases.api.serializers import (
    IdentificationEventCreateSerializer,
    IdentificationEventSerializer,
    IdentificationEventsRecordedSerializer,
    SeriesFollowSerializer,
    VictimCreateSerializer,
    VictimSerializer,
    VictimUpdateSerializer,
)
from cases.api.views.common import (
    ERRORS,
    VERSION_CONFLICT,
    CaseworkView,
    query_parameter,
    service_errors,
    validated,
)
from cases.api.views.grants import GRANTS_CREATE, GRANTS_LIST, GRANTS_REVOKE, RecordGrantsView
from cases.choices import VictimStatus
from cases.models import IdentificationEvent, Series, Victim

__all__ = [
    "SeriesFollowView",
    "VictimDetailView",
    "VictimEventsView",
    "VictimGrantDetailView",
    "VictimGrantListView",
    "VictimListView",
]

VICTIM_PARAMETERS = [
    query_parameter("series", _("A series code: the victims seen in that series.")),
    query_parameter("status", _("The current status."), enum=VictimStatus.values),
]
# Operations that take no body answer no 400.
NO_INPUT_ERRORS = {code: response for code, response in ERRORS.items() if code != 400}


class VictimListView(CaseworkView):
    """Victims you may see, filtered by series and status; register a victim."""

    serializer_class = VictimSerializer
    queryset = Victim.objects.none()

    @extend_schema(
        operation_id="victims_list",
        parameters=VICTIM_PARAMETERS,
        responses={200: VictimSerializer(many=True), **ERRORS},
        examples=[examples.VICTIM],
        description=_(
            "The victims you may see: their own level admits you and you can see at least one "
            "series the child appears in. Each lists only the series you can see."
        ),
    )
    def get(self, request: Request) -> Response:
        victims = selectors.victim_list(
            actor=request.user,
            series_code=request.query_params.get("series") or None,
            status=request.query_params.get("status") or None,
        )
        return self.paginated(VictimSerializer, victims)

    @extend_schema(
        operation_id="victims_create",
        request=VictimCreateSerializer,
        responses={201: VictimSerializer, **ERRORS},
        examples=[examples.VICTIM_CREATE, examples.VICTIM],
        description=_(
            "Register a child seen in one or more series you can see, under a new "
            "pseudonymous code. The victim belongs to your agency. Never send a name, birth "
            "date, address, school or picture of a child: notes are screened."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(VictimCreateSerializer, request)
        victim = services.victim_create(actor=request.user, **data)
        victim = selectors.victim_get(actor=request.user, code=victim.code, audit=False)
        return self.respond(VictimSerializer, victim, status.HTTP_201_CREATED)


class VictimDetailView(CaseworkView):
    """One victim by code; its owning agency changes it, carrying the version it read."""

    serializer_class = VictimSerializer
    queryset = Victim.objects.none()

    @extend_schema(
        operation_id="victims_retrieve",
        responses={200: VictimSerializer, **NO_INPUT_ERRORS},
        examples=[examples.VICTIM],
        description=_("One victim you may see. A victim is never deleted: DELETE answers 405."),
    )
    def get(self, request: Request, code: str) -> Response:
        return self.respond(VictimSerializer, selectors.victim_get(actor=request.user, code=code))

    @extend_schema(
        operation_id="victims_partial_update",
        request=VictimUpdateSerializer,
        responses={200: VictimSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.VICTIM_UPDATE, examples.VICTIM],
        description=_(
            "Change the age band, series links, notes or who can see it; the owning agency "
            "only, with the version you read (stale: 409). Send `sharing_group` together with "
            "`distribution`. Links to series you cannot see are kept. PUT answers 405."
        ),
    )
    def patch(self, request: Request, code: str) -> Response:
        victim = selectors.victim_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, victim)  # 403 before any word about the input
        data = validated(VictimUpdateSerializer, request)
        with service_errors():
            services.victim_update(actor=request.user, victim=victim, **data)
        victim = selectors.victim_get(actor=request.user, code=code, audit=False)
        return self.respond(VictimSerializer, victim)


class VictimEventsView(CaseworkView):
    """The victim's identification log: list it, or append an event (never change one)."""

    serializer_class = IdentificationEventSerializer
    queryset = IdentificationEvent.objects.none()

    @extend_schema(
        operation_id="victims_events_list",
        responses={200: IdentificationEventSerializer(many=True), **NO_INPUT_ERRORS},
        examples=[examples.EVENT],
        description=_(
            "The log of a victim you may see, newest first; each event says whether a "
            "correction points at it. The log is append-only: PUT, PATCH and DELETE answer 405."
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        victim = selectors.victim_get(actor=request.user, code=code, audit=False)
        events = selectors.victim_events(actor=request.user, victim=victim, audit=True)
        return self.paginated(IdentificationEventSerializer, events)

    @extend_schema(
        operation_id="victims_events_create",
        request=IdentificationEventCreateSerializer,
        responses={
            201: OpenApiResponse(
                IdentificationEventsRecordedSerializer,
                description=_("The events recorded, oldest first."),
            ),
            **ERRORS,
        },
        examples=[
            examples.EVENT_SAFEGUARDED,
            examples.EVENT_REFERRAL,
            examples.EVENT_CORRECTION,
            examples.EVENTS_RECORDED,
        ],
        description=_(
            "Append an event. Any casework user who can see the victim may record one; it "
            "carries the caller's agency and country. A safeguarding needs an identification "
            "first: send `also_identified: true` to record both on the same date. A referral "
            "names the kind of `support_service`. A correction names the event it corrects "
            "(`corrects`) and a note; only the agency that recorded that event or the "
            'victim\'s owning agency corrects it (else 403). Answers `{"events": [...]}`: the '
            "events recorded, oldest first (two with `also_identified`). The log is "
            "append-only: PUT, PATCH and DELETE answer 405."
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        victim = selectors.victim_get(actor=request.user, code=code, audit=False)
        data = validated(IdentificationEventCreateSerializer, request)
        corrects_id = data.pop("corrects")
        corrects = None
        if corrects_id is not None:
            log = selectors.victim_events(actor=request.user, victim=victim)
            corrects = log.filter(pk=corrects_id).first()
            if corrects is None:
                raise exceptions.ValidationError({"corrects": [_("No such event of this child.")]})
        created = services.identification_event_record(
            actor=request.user, victim=victim, corrects=corrects, **data
        )
        events = selectors.victim_events(actor=request.user, victim=victim).filter(
            pk__in=[event.pk for event in created]
        )
        recorded = {"events": events.order_by("id")}
        return self.respond(
            IdentificationEventsRecordedSerializer, recorded, status.HTTP_201_CREATED
        )


class SeriesFollowView(CaseworkView):
    """Follow a series (POST) to hear when a child in it is identified or safeguarded."""

    serializer_class = SeriesFollowSerializer
    queryset = Series.objects.none()

    @extend_schema(
        operation_id="series_follow",
        request=None,
        responses={
            201: SeriesFollowSerializer,
            200: OpenApiResponse(
                SeriesFollowSerializer, description=_("Already following: nothing changed.")
            ),
            **NO_INPUT_ERRORS,
        },
        examples=[examples.FOLLOWING],
        description=_(
            "Follow a series you can see: you are told when a child in it is identified or "
            "safeguarded, for as long as you can see the series."
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        already = selectors.series_is_followed(actor=request.user, series=series)
        services.series_follow(actor=request.user, series=series)
        following = {"series": series.code, "following": True}
        answer = status.HTTP_200_OK if already else status.HTTP_201_CREATED
        return self.respond(SeriesFollowSerializer, following, answer)

    @extend_schema(
        operation_id="series_unfollow",
        request=None,
        responses={204: None, **NO_INPUT_ERRORS},
        description=_("Stop following a series (204 whether or not you were following it)."),
    )
    def delete(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        services.series_unfollow(actor=request.user, series=series)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _VictimGrantsView(RecordGrantsView):
    queryset = Victim.objects.none()

    def _victim(self, code: str) -> Victim:
        return selectors.victim_get(actor=self.request.user, code=code, audit=False)


class VictimGrantListView(_VictimGrantsView):
    """The explicit grants of a victim (its owning agency only); grant it to someone."""

    @extend_schema(operation_id="victim_grants_list", **GRANTS_LIST)
    def get(self, request: Request, code: str) -> Response:
        return self.list_grants(self._victim(code))

    @extend_schema(operation_id="victim_grants_create", **GRANTS_CREATE)
    def post(self, request: Request, code: str) -> Response:
        return self.grant(self._victim(code))


class VictimGrantDetailView(_VictimGrantsView):
    """Withdraw one explicit grant of a victim."""

    @extend_schema(operation_id="victim_grants_revoke", **GRANTS_REVOKE)
    def delete(self, request: Request, code: str, key: str) -> Response:
        return self.revoke(self._victim(code), key)
