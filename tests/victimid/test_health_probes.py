"""Health probes answer over plain HTTP even where every page redirects to HTTPS."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_redirected_to_https_but_pages_are():
    client = Client()
    assert client.get("/healthz").status_code == 200
    readiness = client.get("/readyz")
    assert readiness.status_code == 200, readiness.content
    assert readiness.json()["checks"] == {"database": "ok", "broker": "ok"}
    login = client.get("/login/")
    assert login.status_code == 301
    assert login["Location"] == "https://testserver/login/"
