"""With DEBUG off, as in production: pages link their CSS under hashed names and WhiteNoise
serves the collected files itself, compressed and cached for good."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from tests.config.test_env import load_settings


@pytest.fixture
def production_static_files(monkeypatch, tmp_path, settings):
    """The static-file settings config/settings.py gives with DEBUG off, collected as at install.

    The test settings serve files from the apps' folders (no collectstatic in every test
    run); here the production storage and WhiteNoise read what collectstatic wrote.
    """
    production = load_settings(monkeypatch, tmp_path, DEBUG="false")
    assert tmp_path / "static" == production.STATIC_ROOT  # collected into this test only
    settings.STATIC_ROOT = production.STATIC_ROOT
    settings.STORAGES = production.STORAGES
    settings.WHITENOISE_USE_FINDERS = production.WHITENOISE_USE_FINDERS
    del settings.WHITENOISE_AUTOREFRESH  # a test setting; production leaves it to DEBUG
    call_command("collectstatic", "--noinput", verbosity=0)


def test_a_page_links_its_css_by_a_hashed_name_that_whitenoise_serves(production_static_files):
    client = Client()  # a new client builds the middleware, WhiteNoise included, afresh
    page = client.get("/login/")
    assert page.status_code == 200
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.content.decode()).group(1)
    assert re.fullmatch(r"/static/victimid/site\.[0-9a-f]{12}\.css", href), href

    css = client.get(href)
    assert css.status_code == 200
    assert css["Content-Type"].startswith("text/css")
    assert "immutable" in css["Cache-Control"]  # the name changes when the content does
    with open(finders.find("victimid/site.css"), "rb") as source:
        assert b"".join(css.streaming_content) == source.read()

    compressed = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    with open(finders.find("victimid/site.css"), "rb") as source:
        assert gzip.decompress(b"".join(compressed.streaming_content)) == source.read()
