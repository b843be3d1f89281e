"""The OpenAPI schema and the Swagger page, and the CSP they are served under."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import api_client_for, signed_in_client


def _csp(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(part.split(" ", 1) for part in directives if part)


def test_the_schema_describes_the_api_to_a_token_holder(actors):
    response = api_client_for(actors.owner).get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "VictimID API"
    assert "/api/v1/me" in schema["paths"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_the_schema_and_docs_answer_anonymous_callers_with_401():
    client = api_client_for(None)
    for url in ("/api/v1/schema", "/api/v1/docs", "/api/v1/schema/", "/api/v1/docs/"):
        response = client.get(url)
        assert response.status_code == 401, url


def test_the_docs_page_loads_its_script_from_a_file_and_relaxes_only_images(actors):
    client = signed_in_client(actors.owner)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<script src="/api/v1/docs?script="></script>' in html
    assert "<style" not in html
    assert "<script>" not in html
    policy = _csp(page)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"

    script = client.get("/api/v1/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content

    # Every other page keeps images to 'self'.
    assert _csp(client.get("/"))["img-src"] == "'self'"


def test_the_docs_wait_for_the_second_factor(actors):
    client = signed_in_client(actors.owner, verified=False)
    response = client.get("/api/v1/docs")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_the_old_addresses_with_a_slash_redirect_for_good_and_keep_the_query(actors):
    client = api_client_for(actors.owner)
    for old, new in [
        ("/api/v1/schema/", "/api/v1/schema"),
        ("/api/v1/schema/?format=json", "/api/v1/schema?format=json"),
        ("/api/v1/docs/", "/api/v1/docs"),
        ("/api/v1/docs/?script=", "/api/v1/docs?script="),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
    assert client.get("/api/v1/schema/", follow=True).status_code == 200


def test_no_api_route_ends_in_a_slash_but_the_two_old_addresses():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route)
            elif isinstance(entry, URLPattern):
                yield route, entry.name

    api = {name: route for route, name in walk(get_resolver(), "") if route.startswith("api/")}
    slashed = {name for name, route in api.items() if route.endswith("/")}
    assert slashed == {"api-schema-moved", "api-docs-moved"}
    assert {"api-me", "api-victim-events", "api-series-grant"} <= set(api)  # a full walk


def test_a_client_that_accepts_only_json_gets_a_json_404_that_points_at_the_schema(actors):
    # reverse(): the route's spelling (with or without a slash) is not the point here.
    for client in (api_client_for(actors.owner), signed_in_client(actors.owner)):
        response = client.get(reverse("api-docs"), HTTP_ACCEPT="application/json")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        error = response.json()["error"]
        assert error["code"] == "not_found"
        assert reverse("api-schema") in error["message"]


@pytest.mark.parametrize(
    "accept",
    [
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
        "*/*",
        "application/json, text/html;q=0.5",
    ],
)
def test_whoever_accepts_html_gets_the_docs_page(actors, accept):
    response = signed_in_client(actors.owner).get(reverse("api-docs"), HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger-ui-bundle.js" in response.content


@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*"])
def test_the_docs_answer_errors_in_the_apis_json_shape_whatever_is_accepted(accept):
    response = api_client_for(None).get(reverse("api-docs"), HTTP_ACCEPT=accept)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_authenticated"
