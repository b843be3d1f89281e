"""Changes made in the Django admin reach the audit trail like every other change."""

from __future__ import annotations

import pytest
from django.contrib import admin

from tests.conftest import signed_in_client
from victimid import audit_actions
from victimid.admin_audit import AuditedModelAdmin
from victimid.models import Agency, AuditEvent

pytestmark = pytest.mark.django_db


def test_every_model_admin_of_ours_writes_the_audit_log():
    ours = {
        model._meta.label: type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"victimid", "cases"}
    }
    assert ours, "no VictimID models are registered in the admin"
    unaudited = {
        label: name
        for label, name in ours.items()
        if not isinstance(admin.site._registry[_model(label)], AuditedModelAdmin)
    }
    assert unaudited == {}


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def test_an_agency_changed_in_the_admin_is_an_audit_event(actors):
    client = signed_in_client(actors.admin)
    agency = actors.agency_abroad
    response = client.post(
        f"/admin/victimid/agency/{agency.pk}/change/",
        {
            "name": "Renamed Agency",
            "country": "ES",
            "kind": agency.kind,
            "contact_point": "+34 00 000 0000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Agency.objects.get(pk=agency.pk).name == "Renamed Agency"
    event = AuditEvent.objects.get(action=audit_actions.ADMIN_CHANGED)
    assert event.actor == actors.admin
    assert (event.target_type, event.target_id) == ("victimid.agency", str(agency.pk))
    assert event.details == {"fields": ["Name", "24/7 contact point"]}


def test_an_agency_added_in_the_admin_is_an_audit_event(actors):
    client = signed_in_client(actors.admin)
    response = client.post(
        "/admin/victimid/agency/add/",
        {"name": "New Agency", "country": "FR", "kind": "police", "contact_point": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    created = Agency.objects.get(name="New Agency")
    assert AuditEvent.objects.filter(
        action=audit_actions.ADMIN_ADDED, target_id=str(created.pk), actor=actors.admin
    ).exists()


def test_an_admin_extends_the_clue_taxonomy_and_it_is_audited(actors):
    from cases.models import ClueTaxonomyNode

    parent = ClueTaxonomyNode.objects.get(slug="electrical")
    client = signed_in_client(actors.admin)
    response = client.post(
        "/admin/cases/cluetaxonomynode/add/",
        {
            "parent": parent.pk,
            "slug": "meters",
            "label": "Electricity meters",
            "translations": '{"fr": "Compteurs électriques"}',
            "description": "Meter makes and seals.",
            "position": 9,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    node = ClueTaxonomyNode.objects.get(slug="meters")
    assert node.path == "electrical/meters/"
    assert node.localized_label("fr") == "Compteurs électriques"
    assert AuditEvent.objects.filter(
        action=audit_actions.ADMIN_ADDED, target_id=str(node.pk)
    ).exists()
