"""Passwords known from breaches are refused from a list kept on the server, with no network
call; so are such passwords with a few characters added; an operator may add a list."""

from __future__ import annotations

import gzip
import hashlib
import socket

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from victimid import password_validation
from victimid.password_validation import BreachedPasswordValidator

validator = BreachedPasswordValidator()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the breached-password check must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    "password", ["qwertyuiop123", "password1234", "iloveyou2024!", "!!Sunshine2025", "ILOVEYOU1234"]
)
def test_a_breached_password_or_one_dressed_up_is_refused(password):
    with pytest.raises(ValidationError) as refusal:
        validator.validate(password)
    assert refusal.value.error_list[0].code == "password_breached"


@pytest.mark.parametrize("password", ["correct-horse-battery-staple-42", "Vq8#mT2!rLp9zW"])
def test_an_unknown_password_passes(password):
    validator.validate(password)


def test_the_settings_chain_refuses_it_with_the_other_validators(db):
    with pytest.raises(ValidationError) as refusal:
        validate_password("password1234")
    assert "password_breached" in {error.code for error in refusal.value.error_list}
    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("Zq9!xw")


def test_an_operator_list_of_passwords_and_sha1_hashes_is_read_compressed(tmp_path, settings):
    secret = "Harbour-lights-over-the-quay"
    digest = hashlib.sha1(secret.encode()).hexdigest().upper()
    listing = tmp_path / "breached.txt.gz"
    listing.write_bytes(gzip.compress(f"another-leaked-one-here\n{digest}:42\n".encode()))
    settings.BREACHED_PASSWORDS_FILE = str(listing)
    password_validation._operator_list.cache_clear()
    for password in (secret, "Another-Leaked-One-Here"):
        with pytest.raises(ValidationError):
            validator.validate(password)
    validator.validate("harbour-lights-over-the-quay")  # hashes are of the exact password
