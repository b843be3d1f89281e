"""victimid.gate: who may see casework at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.conftest import signed_in_client
from victimid.gate import has_casework_access

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", True),
        ("coordinator", True),
        ("unvetted", False),
        ("oversight", False),
        ("auditor", False),
        ("admin", False),
    ],
)
def test_only_vetted_investigators_and_coordinators_see_casework(actors, who, expected):
    assert has_casework_access(getattr(actors, who)) is expected


def test_nobody_anonymous_sees_casework():
    assert not has_casework_access(AnonymousUser())
    assert not has_casework_access(None)


def test_a_session_without_a_second_factor_sees_no_casework(actors):
    actors.owner.is_verified = lambda: False
    assert not has_casework_access(actors.owner)


@pytest.mark.parametrize(
    "change",
    [
        {"vetting_status": "suspended"},
        {"is_active": False},
        {"locked_at": timezone.now()},
        {"vetted_until": timezone.now() - timedelta(seconds=1)},
    ],
    ids=["suspended", "disabled", "locked", "expired"],
)
def test_a_suspended_disabled_locked_or_expired_investigator_sees_no_casework(actors, change):
    for field, value in change.items():
        setattr(actors.owner, field, value)
    assert not has_casework_access(actors.owner)


def test_the_dashboard_of_an_oversight_user_offers_no_casework(actors):
    response = signed_in_client(actors.oversight).get("/")
    assert response.context["casework"] is False


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("owner", {"dashboard", "account"}, {"vetting-queue", "admin:index"}),
        ("coordinator", {"dashboard", "account", "vetting-queue"}, {"admin:index"}),
        ("admin", {"dashboard", "account", "vetting-queue", "admin:index"}, set()),
        ("auditor", {"dashboard", "account"}, {"vetting-queue", "admin:index"}),
    ],
)
def test_the_menu_offers_each_role_only_its_own_sections(actors, who, visible, hidden):
    response = signed_in_client(getattr(actors, who)).get("/account/")
    names = {item["name"] for item in response.context["nav_items"]}
    assert visible <= names
    assert not hidden & names


def test_no_menu_is_offered_before_the_second_factor(actors):
    response = signed_in_client(actors.coordinator, verified=False).get("/mfa/verify/")
    assert response.context["nav_items"] == []
