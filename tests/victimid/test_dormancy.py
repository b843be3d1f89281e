"""Accounts nobody has used for 90 days are disabled: sessions and tokens end with them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import api_client_for, signed_in_client
from tests.factories import UserFactory
from tests.victimid.support import attempt_login, audit_events
from victimid import audit_actions
from victimid.models import User
from victimid.tasks import disable_dormant_accounts

pytestmark = pytest.mark.django_db


def _last_seen(user: User, days_ago: int) -> None:
    User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now() - timedelta(days=days_ago))


def test_an_account_unused_for_ninety_days_is_disabled_with_its_sessions_and_tokens(actors):
    client = signed_in_client(actors.owner)
    api = api_client_for(actors.owner)
    _last_seen(actors.owner, 91)

    assert disable_dormant_accounts() == 1

    actors.owner.refresh_from_db()
    assert not actors.owner.is_active
    assert actors.owner.disabled_reason == "Unused for 90 days"
    assert client.get("/account/")["Location"].startswith("/login/")
    assert api.get("/api/v1/me").status_code == 401
    event = audit_events(audit_actions.USER_DISABLED, target=actors.owner).get()
    assert event.actor is None
    assert event.details == {"reason": "dormant", "days": 90}
    assert attempt_login(actors.owner.email).status_code == 200  # refused


def test_an_account_used_recently_stays_active(actors):
    _last_seen(actors.owner, 89)
    disable_dormant_accounts()
    actors.owner.refresh_from_db()
    assert actors.owner.is_active


def test_a_never_used_account_counts_from_when_it_was_created(db):
    old = UserFactory(date_joined=timezone.now() - timedelta(days=100))
    new = UserFactory(date_joined=timezone.now() - timedelta(days=10))
    disable_dormant_accounts()
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.is_active
    assert new.is_active


def test_running_the_task_twice_disables_and_audits_once(actors):
    _last_seen(actors.owner, 120)
    assert disable_dormant_accounts() == 1
    assert disable_dormant_accounts() == 0
    assert audit_events(audit_actions.USER_DISABLED).count() == 1


def test_signing_in_counts_as_use(actors):
    _last_seen(actors.owner, 120)
    signed_in_client(actors.owner)
    assert disable_dormant_accounts() == 0
