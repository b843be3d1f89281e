"""The API answers every error in its JSON shape, even where no API view runs."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_answers_404_in_json(actors):
    response = api_client_for(actors.owner).get("/api/v1/no-such-resource")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_api_path_answers_anonymous_callers_in_json_too():
    response = APIClient().get("/api/v1/no-such-resource")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_web_page_still_gets_the_html_404_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert b"There is nothing here that you can see." in response.content


def test_a_wrong_method_answers_405_in_json(actors):
    response = api_client_for(actors.owner).post("/api/v1/me", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@override_settings(ROOT_URLCONF="tests.victimid.api.urls_failing")
def test_a_crash_in_the_api_answers_500_in_json_without_details():
    response = Client(raise_request_exception=False).get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert b"secret detail" not in response.content


@override_settings(ROOT_URLCONF="tests.victimid.api.urls_failing")
def test_a_crash_on_a_web_page_answers_the_html_500_page():
    response = Client(raise_request_exception=False).get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
