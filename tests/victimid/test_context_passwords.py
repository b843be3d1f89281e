"""Passwords containing this platform's words are refused (ASVS 6.2.11): its name, the user's
agency name and country, and a configurable list of the work's words — however dressed up."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from tests.factories import AgencyFactory, UserFactory
from victimid.models import User
from victimid.password_validation import ContextWordsPasswordValidator, context_words

pytestmark = pytest.mark.django_db

validator = ContextWordsPasswordValidator()


@pytest.fixture
def madrid_user():
    agency = AgencyFactory(name="Policía Nacional — Unidad de Víctimas", country="ES")
    return UserFactory(agency=agency)


def _refused_word(password, user=None):
    with pytest.raises(ValidationError) as refusal:
        validator.validate(password, user)
    (error,) = refusal.value.error_list
    assert error.code == "password_context_word"
    return error.params["word"]


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("victimid-rocks-2026", "victimid"),
        ("MyVictimIDpass!", "victimid"),
        ("v1ct1m1d-at-work", "victimid"),  # digits standing in for letters
        ("Vict1m-desk-99", "victim"),
        ("interpol-green-lamp", "interpol"),
        ("the-CSAM-desk-is-busy", "csam"),
    ],
)
def test_the_platforms_name_and_the_works_words_are_refused_however_dressed(password, word):
    assert _refused_word(password) == word


def test_the_users_agency_name_is_refused_without_its_accents(madrid_user):
    assert _refused_word("unidad-de-cuarto-piso", madrid_user) == "unidad"
    assert _refused_word("NACIONAL.piso.cuarto", madrid_user) == "nacional"
    assert _refused_word("victimas-del-norte", madrid_user) in {"victimas", "victim"}


def test_the_users_country_is_refused_in_english_and_in_the_page_language(madrid_user):
    assert _refused_word("sunny-spain-holidays", madrid_user) == "spain"
    from django.utils import translation

    with translation.override("es"):
        assert _refused_word("viva-espana-siempre", madrid_user) == "espana"


def test_another_agencys_name_is_not_a_context_word(madrid_user):
    other = UserFactory(agency=AgencyFactory(name="Politiets Rigspoliti", country="DK"))
    validator.validate("unidad-de-cuarto-piso", other)
    assert "unidad" in context_words(madrid_user) and "unidad" not in context_words(other)


def test_short_words_are_not_looked_for_inside_a_password(madrid_user):
    # "es", "de": two letters would refuse half of all passwords and protect nothing.
    assert not {"es", "de"} & context_words(madrid_user)
    validator.validate("desk-lamp-esker-1989", madrid_user)


@override_settings(PASSWORD_CONTEXT_WORDS=["tigerteam"])
def test_the_list_of_words_is_configurable():
    assert _refused_word("our-tigerteam-rules") == "tigerteam"
    validator.validate("a-victim-free-password")  # the default list is replaced, not added to
    assert _refused_word("victimid-again") == "victimid"  # the platform's name stays


def test_the_settings_chain_refuses_it_and_names_the_word(madrid_user):
    with pytest.raises(ValidationError) as refusal:
        validate_password("Balcony-Spain-Morning", madrid_user)
    assert "“spain”" in " ".join(refusal.value.messages)


def test_a_strong_unrelated_password_passes(madrid_user):
    validate_password("correct-horse-battery-staple-42", madrid_user)


def test_registering_with_the_agencys_name_in_the_password_is_refused():
    agency = AgencyFactory(name="Landelijke Recherche Eenheid", country="NL")
    response = Client().post(
        "/register/",
        {
            "email": "new.investigator@politie.example.nl",
            "full_name": "New Investigator",
            "agency": agency.pk,
            "password": "Landelijke-Lantern-1987",
        },
    )
    assert response.status_code in (200, 400)
    assert "landelijke" in response.content.decode()
    assert not User.objects.filter(email="new.investigator@politie.example.nl").exists()
