"""Past a limit, sign-in, the second factor, search and bearer tokens answer 429 with
Retry-After — JSON in the API, a page on the web — and the window opens again."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import api_client_for, current_code, signed_in_client
from tests.factories import PASSWORD
from victimid.ratelimit import reset_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_REDIS_URL = None  # each test counts afresh in memory
    settings.RATE_LIMITS = {
        "login": (3, 300),
        "second_factor": (2, 300),
        "search": (2, 60),
        "lookup": (2, 60),
        "token": (3, 60),
    }
    reset_counts()
    yield
    reset_counts()


def test_sign_in_attempts_past_the_limit_get_429_with_retry_after(actors):
    client = Client()
    for _ in range(3):
        response = client.post("/login/", {"username": "x@example.org", "password": "nope"})
        assert response.status_code != 429
    response = client.post("/login/", {"username": actors.owner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert "Too many requests" in response.content.decode()


def test_one_account_is_limited_whatever_address_the_guesses_come_from(actors):
    for n in range(3):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            "/login/", {"username": actors.owner.email, "password": "nope"}
        )
    response = Client(REMOTE_ADDR="198.51.100.99").post(
        "/login/", {"username": actors.owner.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 429


def test_second_factor_guesses_past_the_limit_get_429(actors):
    client = signed_in_client(actors.owner, verified=False)
    for _ in range(2):
        client.post("/mfa/verify/", {"token": "000000"})
    response = client.post("/mfa/verify/", {"token": current_code(actors.owner)})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_searches_past_the_limit_get_json_429_and_listing_is_not_counted(actors, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token": (100, 60)}
    client = api_client_for(actors.owner)
    for _ in range(5):
        assert client.get("/api/v1/clues").status_code == 200  # no words: not a search
    assert client.get("/api/v1/clues", {"q": "socket"}).status_code == 200
    assert client.get("/api/v1/clues", {"q": "socket"}).status_code == 200
    response = client.get("/api/v1/clues", {"q": "socket"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_api_searches_are_counted_per_token_not_per_address(actors, settings):
    # Investigators behind one proxy share an address, never a search window.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token": (100, 60)}
    owner, colleague = api_client_for(actors.owner), api_client_for(actors.colleague)
    for _ in range(2):
        assert owner.get("/api/v1/clues", {"q": "socket"}).status_code == 200
    assert owner.get("/api/v1/clues", {"q": "socket"}).status_code == 429
    assert colleague.get("/api/v1/clues", {"q": "socket"}).status_code == 200


def test_lookups_past_the_limit_get_429_and_the_lookup_page_itself_is_not_counted(actors, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token": (100, 60)}
    client = api_client_for(actors.owner)
    body = {"values": ["d41d8cd98f00b204e9800998ecf8427e"]}
    statuses = [
        client.post("/api/v1/hashes/lookup", body, format="json").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    page = signed_in_client(actors.colleague)
    assert [page.get("/hashes/lookup/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_search_page_is_limited_too(actors):
    client = signed_in_client(actors.owner)
    codes = [client.get("/clues/", {"q": "socket"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_bearer_token_use_is_limited_per_address_even_with_forged_tokens(actors):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer vid_guess")
    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_the_window_opens_again(actors, settings):
    from django.test import RequestFactory

    from victimid.ratelimit import exceeded

    request = RequestFactory().post("/login/", {"username": "a@b.org"})
    assert [exceeded(request, now=1000.0) for _ in range(3)] == [None, None, None]
    limited = exceeded(request, now=1000.0)
    assert limited is not None and limited.retry_after == 200  # the window ends at 1200
    assert exceeded(request, now=1200.0) is None


def test_the_limits_are_counted_in_redis_when_configured(actors, settings):
    import redis

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis here")
    settings.RATE_LIMIT_REDIS_URL = url
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (1, 5)}
    email = f"redis-{id(settings)}@example.org"
    statuses = [
        Client().post("/login/", {"username": email, "password": "nope"}).status_code
        for _ in range(2)
    ]
    assert statuses[-1] == 429
