"""config.env: settings from the environment, refused at start-up when they make no sense."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import settings as settings_module
from config.env import env_bool, env_int, env_list, env_str

NAME = "VICTIMID_TEST_SETTING"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True)]
    + [("false", False), ("0", False), ("No", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "truee", "y"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, False)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_unset_or_blank_variables_take_the_default(monkeypatch, raw):
    if raw is not None:
        monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, True) is True
    assert env_int(NAME, 7) == 7
    assert env_str(NAME, "fallback") == "fallback"
    assert env_list(NAME, ["a"]) == ["a"]


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv(NAME, " 900 ")
    assert env_int(NAME, 1) == 900


@pytest.mark.parametrize("raw", ["fifteen", "15m", "1.5", "0x10"])
def test_env_int_refuses_text(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be an integer"):
        env_int(NAME, 1)


def test_env_int_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv(NAME, "30")
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        env_int(NAME, 900, minimum=60)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(NAME, "a.example.org, ,b.example.org,")
    assert env_list(NAME) == ["a.example.org", "b.example.org"]


def test_a_file_variant_supplies_a_secret(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret-from-a-mounted-file\n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))
    assert env_str(NAME) == "s3cret-from-a-mounted-file"


def test_a_file_variant_wins_over_the_plain_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-env")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))
    assert env_str(NAME) == "from-file"


def test_file_variants_work_for_typed_values_too(monkeypatch, tmp_path):
    number = tmp_path / "n"
    number.write_text("42\n", encoding="utf-8")
    flag = tmp_path / "flag"
    flag.write_text("off", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(number))
    assert env_int(NAME, 0) == 42
    monkeypatch.setenv(f"{NAME}_FILE", str(flag))
    assert env_bool(NAME, True) is False


def test_an_unreadable_file_variant_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}_FILE"):
        env_str(NAME)


SANE = {
    "DEBUG": "false",
    "SECRET_KEY": "k" + "x7Qp2LmZ9vR4tK8wN3bY6cJ1hF5dS0aG" * 2,
    "AUDIT_SIGNING_KEY": "a" + "Lq8Wm3Zt5Rb2Xk7Nv4Py" * 2,
    "ALLOWED_HOSTS": "victimid.example.org",
    "DATABASE_URL": "postgresql://victimid@db.example.org/victimid",
    "CELERY_BROKER_URL": "redis://broker.example.org:6379/0",
}


def load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **variables: str) -> ModuleType:
    """Execute config/settings.py afresh, as a process starting with these variables would."""
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES"):  # test_settings turns these off
        monkeypatch.delenv(name, raising=False)
    for name, value in (SANE | {"VAR_DIR": str(tmp_path)} | variables).items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fresh_settings", settings_module.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"SESSION_IDLE_SECONDS": "soon"}, "SESSION_IDLE_SECONDS must be an integer"),
        ({"SESSION_IDLE_SECONDS": "10"}, "SESSION_IDLE_SECONDS must be at least 60"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 varied characters"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY must be at least 50 varied characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({"DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL must point at PostgreSQL"),
    ],
    ids=["bool", "int", "minimum", "short-key", "dull-key", "allowed-hosts", "not-postgres"],
)
def test_the_settings_refuse_bad_values_at_start_up(monkeypatch, tmp_path, variables, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        load_settings(monkeypatch, tmp_path, **variables)


def test_the_settings_take_their_values_from_the_environment(monkeypatch, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(SANE["SECRET_KEY"][::-1], encoding="utf-8")
    loaded = load_settings(
        monkeypatch,
        tmp_path,
        SESSION_IDLE_SECONDS="600",
        SECRET_KEY_FILE=str(key_file),
        ALLOWED_HOSTS="a.example.org,b.example.org",
    )
    assert loaded.SESSION_IDLE_SECONDS == loaded.SESSION_COOKIE_AGE == 600
    assert SANE["SECRET_KEY"][::-1] == loaded.SECRET_KEY
    assert loaded.ALLOWED_HOSTS == ["a.example.org", "b.example.org"]
    assert loaded.CELERY_BROKER_URL == "redis://broker.example.org:6379/0"
    assert loaded.SESSION_COOKIE_SECURE and loaded.SECURE_SSL_REDIRECT  # DEBUG off: secure


@pytest.mark.parametrize("value", ["10", "ten/60", "10/0", "0/60", "10/60/2"])
def test_a_rate_limit_that_is_not_requests_per_seconds_stops_start_up(monkeypatch, value):
    from config.env import env_rate

    monkeypatch.setenv("RATE_LIMIT_TEST", value)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TEST"):
        env_rate("RATE_LIMIT_TEST", "1/1")
