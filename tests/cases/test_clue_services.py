"""Creating, updating and deleting clues through the services."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.choices import Distribution, Verdict
from cases.exceptions import VersionConflict
from cases.models import Clue, ClueCountryHypothesis
from cases.services import assessment_create, clue_create, clue_delete, clue_update
from cases.services import clues as clue_services
from tests.factories import SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _clue_kwargs(series, node, **overrides):
    kwargs = dict(
        series=series,
        taxonomy_node=node,
        title="Wall socket",
        description="Recessed socket, cream coloured.",
        distribution=Distribution.NETWORK,
    )
    kwargs.update(overrides)
    return kwargs


def test_it_creates_a_clue_with_languages_and_country_hypotheses(actors, clue):
    assert clue.agency == actors.agency
    assert clue.languages == ["nld"]
    assert sorted(clue.country_hypotheses.values_list("country", "confidence")) == [
        ("BE", "low"),
        ("NL", "high"),
    ]
    assert AuditEvent.objects.filter(action="clue.created", target_id=str(clue.pk)).exists()


def test_an_investigator_abroad_may_add_a_clue_to_a_visible_series(actors, series, sockets):
    clue = clue_create(actor=actors.abroad, **_clue_kwargs(series, sockets))
    assert clue.agency == actors.agency_abroad
    assert clue.owner_country == "ES"


def test_a_clue_on_an_invisible_series_is_404(actors, sockets):
    hidden = SeriesFactory(actor=actors.owner, title="Hidden")
    with pytest.raises(Http404):
        clue_create(actor=actors.abroad, **_clue_kwargs(hidden, sockets))


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"languages": ["xxq"]}, "languages"),
        ({"languages": ["nl"]}, "languages"),
        ({"country_hypotheses": [("QQ", "high")]}, "country_hypotheses"),
        ({"country_hypotheses": [("NL", "certain")]}, "country_hypotheses"),
        ({"country_hypotheses": [("NL", "high"), ("nl", "low")]}, "country_hypotheses"),
        ({"description": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}, "description"),
        ({"description": "A" * 120}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"place_text": "mail me: a.b@example.org"}, "place_text"),
        ({"title": "y" * 201}, "title"),
        ({"latitude": 52.1}, "longitude"),
        ({"latitude": 52.123456, "longitude": 4.1}, "latitude"),
        ({"radius_km": 5}, "radius_km"),
    ],
)
def test_bad_clue_input_is_refused_and_nothing_written(actors, series, sockets, overrides, field):
    with pytest.raises(ValidationError) as caught:
        clue_create(actor=actors.owner, **_clue_kwargs(series, sockets, **overrides))
    assert field in caught.value.message_dict, caught.value.message_dict
    assert not Clue.objects.exists()
    assert not ClueCountryHypothesis.objects.exists()


def test_an_update_replaces_hypotheses_and_a_stale_version_conflicts(actors, clue):
    updated = clue_update(
        actor=actors.colleague,
        clue=clue,
        version=1,
        title="Socket with shutters",
        country_hypotheses=[("DE", "medium")],
    )
    assert updated.version == 2
    assert list(clue.country_hypotheses.values_list("country", flat=True)) == ["DE"]
    with pytest.raises(VersionConflict) as caught:
        clue_update(actor=actors.owner, clue=clue, version=1, title="Lost change")
    assert caught.value.current_version == 2
    assert Clue.objects.get(pk=clue.pk).title == "Socket with shutters"


def test_the_search_vector_follows_an_update(actors, clue):
    clue_update(actor=actors.owner, clue=clue, version=1, description="Lighthouse on a postcard")
    found = Clue.objects.filter(search_vector=SearchQuery("lighthouse", config="simple"))
    assert list(found) == [clue]


def test_another_agency_may_not_update_or_delete(actors, clue):
    with pytest.raises(PermissionDenied):
        clue_update(actor=actors.abroad, clue=clue, version=1, title="Mine")
    with pytest.raises(PermissionDenied):
        clue_delete(actor=actors.abroad, clue=clue)


def test_the_authors_agency_deletes_an_unassessed_clue(actors, clue):
    clue_delete(actor=actors.colleague, clue=clue)
    assert not Clue.objects.filter(pk=clue.pk).exists()
    assert AuditEvent.objects.filter(action="clue.deleted", target_id=str(clue.pk)).exists()


def test_an_assessed_clue_is_never_deleted(actors, clue):
    assessment_create(actor=actors.abroad, clue=clue, verdict=Verdict.UNSURE)
    assert clue_services.clue_has_assessments(clue) is True
    with pytest.raises(PermissionDenied):
        clue_delete(actor=actors.owner, clue=clue)
    assert Clue.objects.filter(pk=clue.pk).exists()


def test_an_unassessed_clue_counts_as_unassessed(clue):
    assert clue_services.clue_has_assessments(clue) is False
