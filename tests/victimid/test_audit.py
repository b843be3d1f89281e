"""The audit trail: every trust-relevant action leaves a row, and the table is append-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from tests.conftest import signed_in_client
from tests.victimid.support import attempt_login, audit_events
from victimid import audit_actions
from victimid.choices import AuditOutcome, Role
from victimid.models import AuditEvent
from victimid.services.accounts import user_set_roles
from victimid.services.audit import audit_record
from victimid.services.tokens import api_token_issue, api_token_revoke
from victimid.services.vetting import vetting_approve

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_the_source_address_and_request_id(actors):
    attempt_login(actors.owner.email)
    event = audit_events(audit_actions.LOGIN, target=actors.owner).get()
    assert event.actor == actors.owner
    assert event.actor_agency == actors.agency
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.source_ip == "127.0.0.1"
    assert len(event.request_id) == 32


def test_the_request_id_sent_by_a_proxy_is_kept_in_the_audit_row(actors):
    from django.test import Client

    Client(HTTP_X_REQUEST_ID="lb-1234.abc").post(
        "/login/", {"username": actors.owner.email, "password": "wrong-password-here"}
    )
    assert AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED).request_id == "lb-1234.abc"


def test_a_failed_sign_in_for_an_unknown_address_keeps_the_address_typed(db):
    attempt_login("nobody@example.org", "whatever-password")
    event = AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_email == "nobody@example.org"
    assert event.outcome == AuditOutcome.FAILURE


def test_a_failed_sign_in_never_records_the_password_tried(actors):
    attempt_login(actors.owner.email, "my-secret-guess-123")
    event = AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED)
    assert "my-secret-guess-123" not in str(event.details)
    assert event.target_id == str(actors.owner.pk)


def test_sign_in_and_second_factor_each_leave_a_row(actors):
    signed_in_client(actors.owner)
    actions = list(
        AuditEvent.objects.filter(actor=actors.owner)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [audit_actions.LOGIN, audit_actions.MFA_VERIFIED]


def test_a_vetting_decision_through_the_web_leaves_a_row(actors):
    client = signed_in_client(actors.coordinator)
    response = client.post(
        f"/vetting/users/{actors.unvetted.pk}/decide/",
        {"decision": "approve", "reason": "Known to the unit"},
    )
    assert response.status_code == 302
    event = audit_events(audit_actions.VETTING_DECIDED, target=actors.unvetted).get()
    assert event.actor == actors.coordinator
    assert event.details["decision"] == "approve"


def test_role_changes_through_the_web_leave_one_row_per_role(actors):
    client = signed_in_client(actors.coordinator)
    client.post(f"/vetting/users/{actors.owner.pk}/roles/", {"roles": ["coordinator"]})
    granted = audit_events(audit_actions.ROLE_GRANTED, target=actors.owner).get()
    revoked = audit_events(audit_actions.ROLE_REVOKED, target=actors.owner).get()
    assert granted.details == {"role": "coordinator"}
    assert revoked.details == {"role": "investigator"}
    assert granted.actor == revoked.actor == actors.coordinator


def test_unchanged_roles_leave_no_row(actors):
    user_set_roles(actor=actors.coordinator, subject=actors.owner, roles=[Role.INVESTIGATOR])
    assert not AuditEvent.objects.filter(action__startswith="role.").exists()


def test_token_issue_and_revoke_leave_rows(actors):
    record, _token = api_token_issue(user=actors.owner, name="x", days=10)
    api_token_revoke(actor=actors.owner, token=record)
    api_token_revoke(actor=actors.owner, token=record)  # a second revoke changes nothing
    assert AuditEvent.objects.filter(action=audit_actions.TOKEN_ISSUED).count() == 1
    assert AuditEvent.objects.filter(action=audit_actions.TOKEN_REVOKED).count() == 1


def test_a_refused_action_leaves_no_success_row(actors):
    with pytest.raises(PermissionDenied):
        vetting_approve(actor=actors.coordinator_abroad, subject=actors.unvetted, reason="x")
    assert not AuditEvent.objects.filter(action=audit_actions.VETTING_DECIDED).exists()


@pytest.fixture
def audit_row(actors):
    return audit_record(action="test.row", actor=actors.owner)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE victimid_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM victimid_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(audit_row, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [audit_row.pk])
    audit_row.refresh_from_db()
    assert audit_row.action == "test.row"


def test_the_database_refuses_to_truncate_the_audit_table(audit_row):
    with connection.cursor() as cursor:
        # Fire the deferred foreign-key checks of this test's inserts now, or PostgreSQL
        # refuses the TRUNCATE for that reason before the trigger has its say.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE victimid_auditevent CASCADE")
    assert AuditEvent.objects.filter(pk=audit_row.pk).exists()


def test_the_orm_cannot_delete_audit_rows_either(audit_row):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=audit_row.pk).delete()
    assert AuditEvent.objects.filter(pk=audit_row.pk).exists()


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(actors):
    from django.test import Client

    Client(HTTP_X_FORWARDED_FOR="203.0.113.9").post(
        "/login/", {"username": actors.owner.email, "password": "wrong-password-here"}
    )
    assert AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED).source_ip == "127.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_saw_is_recorded(actors, settings):
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    Client(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.2").post(
        "/login/", {"username": actors.owner.email, "password": "wrong-password-here"}
    )
    # The client could have written the first entry; the proxy appended the second.
    assert AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED).source_ip == "198.51.100.7"


def test_forwarded_headers_from_an_address_not_configured_as_a_proxy_are_dropped(actors, settings):
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    Client(
        HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.9.9.9"
    ).post("/login/", {"username": actors.owner.email, "password": "wrong-password-here"})
    assert AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED).source_ip == "10.9.9.9"


def test_behind_a_chain_of_trusted_proxies_the_first_untrusted_hop_is_the_client(actors, settings):
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.168.1.1"]
    Client(HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 192.168.1.1", REMOTE_ADDR="10.0.0.5").post(
        "/login/", {"username": actors.owner.email, "password": "wrong-password-here"}
    )
    assert AuditEvent.objects.get(action=audit_actions.LOGIN_FAILED).source_ip == "203.0.113.9"


def test_x_forwarded_proto_makes_a_request_secure_only_from_a_trusted_proxy(settings, rf):
    from victimid.middleware import TrustedProxyMiddleware

    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = {}

    def view(request):
        seen["secure"] = request.is_secure()
        return None

    for remote, secure in (("10.0.0.2", True), ("10.0.0.3", False)):
        request = rf.get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=remote)
        TrustedProxyMiddleware(view)(request)
        assert seen["secure"] is secure
