"""The oversight dashboards: who reads which figures, on the page, in the API and as CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.services.stats import stats_refresh
from tests.cases.test_stats_refresh import casework  # noqa: F401 - the hand-counted fixture
from tests.conftest import api_client_for, signed_in_client
from tests.factories import UserFactory
from victimid.choices import Role
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(casework):  # noqa: F811
    stats_refresh()
    return casework


def test_oversight_sees_every_country_with_small_counts_hidden(refreshed):
    oversight = UserFactory(agency=refreshed["es"].agency, roles=[Role.OVERSIGHT])
    page = signed_in_client(oversight).get(
        reverse("stats-dashboard"), {"year": "2025", "granularity": "month", "area": "150"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="chart-children"' in html and "<svg" in html
    assert 'data-testid="table-children"' in html
    assert "&lt;5" in html  # Spain's one child, and the two safeguarded
    assert "[c]" in html  # the Netherlands' six, which would give Spain's one away
    assert "Figures" in html and reverse("stats-dashboard") in html  # in the menu
    assert AuditEvent.objects.filter(actor=oversight, action="stats.viewed").exists()


def test_oversight_sees_no_casework(refreshed):
    oversight = UserFactory(agency=refreshed["es"].agency, roles=[Role.OVERSIGHT])
    client = signed_in_client(oversight)
    assert client.get(reverse("series-list")).status_code == 403
    assert client.get(reverse("victim-list")).status_code == 403
    assert api_client_for(oversight).get(reverse("api-victim-list")).status_code == 403


def test_a_coordinator_reads_their_own_country_only(refreshed):
    coordinator = UserFactory(agency=refreshed["nl"].agency, roles=[Role.COORDINATOR])
    client = signed_in_client(coordinator)
    page = client.get(reverse("stats-dashboard"), {"year": "2025"})
    assert page.status_code == 200
    assert "Netherlands" in page.content.decode()
    refused = client.get(reverse("stats-dashboard"), {"area": "ES"})
    assert refused.status_code == 400
    answer = api_client_for(coordinator).get(reverse("api-stats"), {"area": "001"})
    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"area"}


def test_an_investigator_reads_their_agency(refreshed):
    answer = api_client_for(refreshed["nl"]).get(
        reverse("api-stats"), {"year": "2025", "granularity": "month"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["scope"]["kind"] == "agency"
    children = next(t for t in body["tables"] if t["key"] == "children")
    march = next(r for r in children["rows"] if r["key"] == "2025-03")
    assert march["figures"][0] == {
        "measure": "children_identified",
        "text": "6",
        "state": "shown",
        "value": 6.0,
    }


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_auditors_and_admins_read_no_figures(refreshed, role):
    user = UserFactory(agency=refreshed["es"].agency, roles=[role])
    assert signed_in_client(user).get(reverse("stats-dashboard")).status_code == 403
    answer = api_client_for(user).get(reverse("api-stats"))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "wrong_role"


def test_the_csv_has_the_same_protected_figures(refreshed):
    oversight = UserFactory(agency=refreshed["es"].agency, roles=[Role.OVERSIGHT])
    answer = signed_in_client(oversight).get(
        reverse("stats-csv"), {"year": "2025", "granularity": "month", "area": "ES"}
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode()
    assert "2025-03,Children identified,<5,small" in text
    assert AuditEvent.objects.filter(actor=oversight, action="stats.downloaded").exists()


def test_bad_filters_are_refused_by_name(refreshed):
    oversight = UserFactory(agency=refreshed["es"].agency, roles=[Role.OVERSIGHT])
    answer = api_client_for(oversight).get(
        reverse("api-stats"), {"year": "1900", "granularity": "week"}
    )
    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"year", "granularity"}


def test_the_landing_page_leads_oversight_to_the_figures(refreshed):
    oversight = UserFactory(agency=refreshed["es"].agency, roles=[Role.OVERSIGHT])
    page = signed_in_client(oversight).get(reverse("dashboard"))
    assert 'data-testid="figures-link"' in page.content.decode()
