"""GET /api/v1/me: who the caller is, as anonymous, token holder, session user and lapsed user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import api_client_for, signed_in_client
from victimid.api.permissions import IsVerifiedUser, MfaRequired
from victimid.models import ApiToken

pytestmark = pytest.mark.django_db


def test_anonymous_callers_get_401_with_a_json_error():
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_token_holder_sees_their_agency_country_roles_and_vetting(actors):
    response = api_client_for(actors.coordinator).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "email": "coordinator@nl.example.org",
        "full_name": actors.coordinator.full_name,
        "agency": {
            "id": actors.agency_same_country.pk,
            "name": "Neighbour Agency",
            "country": "NL",
            "kind": "police",
            "contact_point": actors.agency_same_country.contact_point,
        },
        "country": "NL",
        "roles": ["coordinator"],
        "vetting_status": "vetted",
        "vetted_until": actors.coordinator.vetted_until.isoformat().replace("+00:00", "Z"),
    }


def test_a_user_with_a_verified_web_session_can_call_the_api(actors):
    response = signed_in_client(actors.owner).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == actors.owner.email


def test_a_web_session_without_a_second_factor_gets_403_mfa_required(actors):
    response = signed_in_client(actors.owner, verified=False).get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_the_api_permission_itself_refuses_an_unverified_user_with_mfa_required(actors, rf):
    # Second line of defence behind the middleware gate: the DRF permission says the same.
    from rest_framework.request import Request

    request = Request(rf.get("/api/v1/me"))
    actors.owner.is_verified = lambda: False
    request.user = actors.owner
    with pytest.raises(MfaRequired) as caught:
        IsVerifiedUser().has_permission(request, view=None)
    assert caught.value.get_codes() == "mfa_required"


def test_a_lapsed_vetting_shows_as_expired(actors):
    client = api_client_for(actors.owner)
    actors.owner.vetted_until = timezone.now() - timedelta(days=1)
    actors.owner.save(update_fields=["vetted_until"])
    assert client.get("/api/v1/me").json()["vetting_status"] == "expired"


def test_a_pending_user_with_a_verified_session_sees_pending(actors):
    response = signed_in_client(actors.unvetted).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["vetting_status"] == "pending"


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer vid_not-a-real-token", "Bearer not-our-prefix"],
    ids=["missing", "two-parts", "unknown", "foreign"],
)
def test_a_bad_bearer_header_gets_401(db, header):
    response = APIClient().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_using_a_token_records_when_it_was_last_used(actors):
    client = api_client_for(actors.owner)
    client.get("/api/v1/me")
    assert ApiToken.objects.get(user=actors.owner).last_used_at is not None
