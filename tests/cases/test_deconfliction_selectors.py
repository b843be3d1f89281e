"""Deconfliction notices as each side may read them (design principle 4)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import Distribution
from cases.selectors.deconfliction import Perspective, deconfliction_notices_for
from tests.casework_fixtures import conflict_at
from tests.factories import DeconflictionNoticeFactory

pytestmark = pytest.mark.django_db

MD5 = "fedcba9876543210fedcba9876543210"


def test_the_holder_reads_who_asked_and_their_contact_point(actors):
    held = conflict_at(actors, Distribution.AGENCY, value=MD5).existing_series
    [row] = deconfliction_notices_for(actor=actors.colleague)
    assert row.perspective == Perspective.HOLDER
    assert row.own_series_code == held.code
    assert row.requesting_agency_name == "Agency Abroad"
    assert row.requesting_agency_country == "ES"
    assert row.requesting_agency_contact_point == actors.agency_abroad.contact_point
    assert row.other_series_code is None  # the asking series is agency-level
    assert (row.algorithm, row.value) == ("md5", MD5)


def test_the_requester_reads_nothing_of_a_series_it_may_not_see(actors):
    notice = conflict_at(actors, Distribution.AGENCY)
    held, asking = notice.existing_series, notice.requesting_series
    [row] = deconfliction_notices_for(actor=actors.abroad)
    assert row.perspective == Perspective.REQUESTER
    assert row.own_series_code == asking.code
    assert row.other_series_code is None
    assert row.requesting_agency_name is None and row.requesting_agency_contact_point is None
    assert held.code not in repr(row) and "Owning Agency" not in repr(row)


def test_the_requester_reads_the_holding_series_code_when_it_may_see_it(actors):
    held = conflict_at(actors, Distribution.NETWORK).existing_series
    [row] = deconfliction_notices_for(actor=actors.abroad)
    assert row.other_series_code == held.code
    assert "Owning Agency" not in repr(row)


@pytest.mark.parametrize("who", ["same_country", "oversight", "auditor", "unvetted"])
def test_agencies_on_neither_side_and_users_without_casework_read_nothing(actors, who):
    conflict_at(actors, Distribution.NETWORK)
    assert deconfliction_notices_for(actor=getattr(actors, who)) == []


def test_the_list_is_one_query_however_long(actors):
    DeconflictionNoticeFactory.create_batch(
        5,
        existing_series__actor=actors.owner,
        requesting_series__actor=actors.abroad,
        algorithm="sha1",
    )
    deconfliction_notices_for(actor=actors.abroad)  # warm the user's role cache
    with CaptureQueriesContext(connection) as queries:
        rows = deconfliction_notices_for(actor=actors.abroad, limit=3)
    assert len(rows) == 3
    assert len(queries) == 1
