"""Input built to break the server gets a clear 4xx in the API's JSON shape, never a 500.

Each case was found by hand or by a schema fuzzer (issue 14): deep JSON, NUL characters in
paths, filters and search terms, lone surrogates, forged cursors, OPTIONS on a record and
a body over the size limit.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from cases.models import Series
from tests.conftest import api_client_for, signed_in_client

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]


def _post_json(client, path, text):
    return client.post(path, data=text, content_type="application/json")


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_json_nested_too_deep_is_refused(actors, depth):
    client = api_client_for(actors.owner)
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    error = _error(_post_json(client, "/api/v1/series", body), 400)
    assert "nested" in error["message"]
    assert not Series.objects.exists()


def test_json_a_record_needs_is_not_refused_for_its_depth(actors):
    client = api_client_for(actors.owner)
    response = _post_json(
        client, "/api/v1/series", json.dumps({"title": "Harbour room", "distribution": "agency"})
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_json_are_refused(actors, constant):
    client = api_client_for(actors.owner)
    _error(_post_json(client, "/api/v1/series", f'{{"title": "a", "x": {constant}}}'), 400)


@pytest.mark.parametrize(
    "text", ['"a\\ud800b"', '"a\\udfffb"', '"a\\u0000b"'], ids=["high", "low", "nul"]
)
def test_lone_surrogates_and_nul_in_a_body_name_the_field(actors, text):
    client = api_client_for(actors.owner)
    error = _error(_post_json(client, "/api/v1/series", f'{{"title": {text}}}'), 400)
    assert "title" in error["fields"]
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/series/SER%00X",
        "/api/v1/clues?q=lamp%00shade",
        "/api/v1/clues?series=SER%00",
        "/api/v1/series?q=%00",
        "/api/v1/clues?%00=1",
    ],
)
def test_nul_in_a_path_filter_or_search_is_refused(actors, path):
    error = _error(api_client_for(actors.owner).get(path), 400)
    assert error["code"] == "invalid_characters"


def test_nul_in_a_page_address_is_refused_too(actors):
    response = signed_in_client(actors.owner).get("/clues/?q=lamp%00shade")
    assert response.status_code == 400


def test_invalid_utf8_in_a_search_is_answered(actors):
    response = api_client_for(actors.owner).get("/api/v1/clues?q=%ED%A0%80")
    assert response.status_code == 200


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "a",
        _cursor("o=0&p=abc"),
        _cursor("o=0&p=99999999999999999999999"),
        _cursor("o=-5&r=1&p=1.5"),
        _cursor("p=" + "9" * 5000),
    ],
    ids=["not-base64", "text", "beyond-bigint", "fraction", "huge"],
)
@pytest.mark.parametrize("route", ["/api/v1/clues", "/api/v1/series", "/api/v1/notifications"])
def test_a_forged_cursor_is_an_invalid_cursor(actors, route, cursor):
    response = api_client_for(actors.owner).get(route, {"cursor": cursor})
    error = _error(response, 404)
    assert "cursor" in error["message"].lower()


def test_options_on_a_record_lists_its_methods(actors, series):
    response = api_client_for(actors.owner).options(f"/api/v1/series/{series.code}")
    assert response.status_code == 200
    assert "PATCH" in response["Allow"] and "actions" not in response.json()


def test_options_on_a_record_one_may_not_see_tells_nothing(actors, agency_level):
    path = f"/api/v1/series/{agency_level.series.code}"
    response = api_client_for(actors.abroad).options(path)
    assert response.status_code == 200
    assert agency_level.series.title not in response.content.decode()


def test_a_body_over_the_size_limit_is_a_json_413(actors, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = api_client_for(actors.owner)
    body = json.dumps({"title": "x" * 4096})
    error = _error(_post_json(client, "/api/v1/series", body), 413)
    assert error["code"] == "too_large"
    assert not Series.objects.exists()


def test_a_page_form_over_the_size_limit_is_a_413(actors, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = signed_in_client(actors.owner).post("/series/new/", {"title": "x" * 4096})
    assert response.status_code == 413


def test_an_unsupported_content_type_is_a_json_415(actors):
    response = api_client_for(actors.owner).post(
        "/api/v1/series", data="<series/>", content_type="application/xml"
    )
    _error(response, 415)


@pytest.mark.parametrize("content_type", ["application/json", "text/xml", "text/plain"])
def test_a_page_sent_a_body_it_does_not_read_is_a_415_and_nothing_is_written(actors, content_type):
    response = signed_in_client(actors.owner).post(
        "/series/new/", data='{"title": "Sent as JSON"}', content_type=content_type
    )
    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in response.content.decode()
    assert not Series.objects.exists()


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(actors, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post(
        "/login/",
        data="username=a",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="999999",
    )
    assert response.status_code == 413


def test_anonymous_hostile_input_is_refused_before_anything_else(db):
    response = Client().get("/api/v1/series/%00")
    assert response.status_code == 400


# --- Input taken as sent, or refused by name ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"), [(12345, "a number"), (True, "true or false"), (["a"], "a list")]
)
def test_a_number_or_a_list_where_text_belongs_is_refused_not_converted(actors, value, kind):
    body = json.dumps({"title": value, "distribution": "agency"})
    error = _error(_post_json(api_client_for(actors.owner), "/api/v1/series", body), 400)
    assert error["fields"]["title"] == [f"Give text here, not {kind}."]
    assert not Series.objects.exists()


def test_an_unknown_field_is_refused_by_name_and_nothing_is_written(actors):
    body = json.dumps({"title": "Harbour room", "distribution": "agency", "titel": "typo"})
    error = _error(_post_json(api_client_for(actors.owner), "/api/v1/series", body), 400)
    assert list(error["fields"]) == ["titel"]
    assert "title" in error["fields"]["titel"][0]  # the message lists what the operation takes
    assert not Series.objects.exists()


def test_a_field_that_cannot_be_set_is_refused_not_ignored(actors, series):
    client = api_client_for(actors.owner)
    response = client.patch(
        f"/api/v1/series/{series.code}",
        {"version": series.version, "code": "SER-1999-000001"},
        format="json",
    )
    error = _error(response, 400)
    assert list(error["fields"]) == ["code"]
    series.refresh_from_db()
    assert series.version == 1 and series.code != "SER-1999-000001"


def test_nested_input_refuses_unknown_fields_too(actors, series):
    body = {
        "series": series.code,
        "taxonomy_node": "sockets",
        "title": "Socket",
        "description": "A socket.",
        "distribution": "agency",
        "country_hypotheses": [{"country": "NL", "confidance": "high"}],
    }
    response = api_client_for(actors.owner).post("/api/v1/clues", body, format="json")
    error = _error(response, 400)
    assert "country_hypotheses" in error["fields"]


def test_the_clue_limits_are_the_models(actors, series):
    from cases.models import Clue

    limit = Clue._meta.get_field("description").max_length
    body = {
        "series": series.code,
        "taxonomy_node": "sockets",
        "title": "Socket",
        "description": "x" * (limit + 1),
        "distribution": "agency",
    }
    error = _error(api_client_for(actors.owner).post("/api/v1/clues", body, format="json"), 400)
    assert error["fields"]["description"] == [
        f"At most {limit:,} characters; this has {limit + 1:,}."
    ]
