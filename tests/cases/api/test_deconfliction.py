"""A refused hash submission still leaves its deconfliction notices committed."""

from __future__ import annotations

import pytest

from cases.models import DeconflictionNotice, KnownHash
from tests.conftest import api_client_for
from tests.factories import KnownHashFactory, SeriesFactory
from victimid.models import AuditEvent

# Real commits: a notice written in the refused request's own transaction would vanish.
pytestmark = pytest.mark.django_db(transaction=True)

MD5 = "0" * 31 + "1"


def test_the_notices_outlive_the_refused_insert(actors):
    ours = SeriesFactory(actor=actors.owner, title="Ours")
    KnownHashFactory(series=ours, value=MD5)
    theirs = SeriesFactory(actor=actors.abroad, title="Theirs")

    response = api_client_for(actors.abroad).post(
        f"/api/v1/series/{theirs.code}/hashes",
        {"entries": [{"algorithm": "sha1", "value": "e" * 40}, {"algorithm": "md5", "value": MD5}]},
        format="json",
    )

    assert response.status_code == 409
    assert not KnownHash.objects.filter(series=theirs).exists()  # all or nothing
    notice = DeconflictionNotice.objects.get()
    assert notice.existing_agency_id == actors.agency.pk
    assert notice.requesting_agency_id == actors.agency_abroad.pk
    assert AuditEvent.objects.filter(action="deconfliction.recorded").count() == 1
