"""Creating and updating series through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.choices import Distribution
from cases.exceptions import VersionConflict
from cases.models import Series
from cases.services import series_create, series_update
from tests.factories import SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_creates_a_series_owned_by_the_actors_agency_with_a_code(actors):
    series = series_create(actor=actors.owner, title=" Blue room ", distribution="agency")
    assert series.code.startswith("SER-") and len(series.code) == 15
    assert series.agency == actors.agency
    assert series.owner_country == "NL"
    assert series.title == "Blue room"
    assert series.version == 1
    assert AuditEvent.objects.filter(action="series.created", target_id=str(series.pk)).exists()


@pytest.mark.parametrize(
    "title,field",
    [
        ("x" * 201, "title"),
        ("Contact me at someone@example.org", "title"),
        ("Call +31 20 123 4567 now", "title"),
        ("", "title"),
    ],
)
def test_it_refuses_bad_titles_and_writes_nothing(actors, title, field):
    with pytest.raises(ValidationError) as caught:
        series_create(actor=actors.owner, title=title, distribution="agency")
    assert field in caught.value.message_dict
    assert not Series.objects.exists()


def test_it_refuses_an_over_long_summary(actors):
    with pytest.raises(ValidationError) as caught:
        series_create(actor=actors.owner, title="Ok", summary="a " * 2501, distribution="agency")
    assert "summary" in caught.value.message_dict


def test_it_refuses_a_group_the_agency_is_not_in(actors, task_force):
    with pytest.raises(ValidationError) as caught:
        series_create(
            actor=actors.same_country,
            title="Other",
            distribution=Distribution.GROUP,
            sharing_group=task_force,
        )
    assert "sharing_group" in caught.value.message_dict
    series = series_create(
        actor=actors.abroad, title="Ours", distribution="group", sharing_group=task_force
    )
    assert series.sharing_group == task_force


@pytest.mark.parametrize("who", ["unvetted", "oversight", "auditor", "admin"])
def test_only_casework_roles_create_series(actors, who):
    with pytest.raises(PermissionDenied):
        series_create(actor=getattr(actors, who), title="X", distribution="agency")


def test_an_update_bumps_the_version_and_a_stale_one_conflicts(actors, series):
    updated = series_update(actor=actors.owner, series=series, version=1, title="Green room")
    assert updated.version == 2
    assert Series.objects.get(pk=series.pk).title == "Green room"
    with pytest.raises(VersionConflict) as caught:
        series_update(actor=actors.colleague, series=series, version=1, title="Red room")
    assert caught.value.current_version == 2
    assert Series.objects.get(pk=series.pk).title == "Green room"
    assert AuditEvent.objects.filter(action="series.updated").count() == 1


def test_another_agency_may_not_update_and_an_outsider_gets_404(actors, series):
    with pytest.raises(PermissionDenied):
        series_update(actor=actors.abroad, series=series, version=1, title="Mine")
    series_update(actor=actors.owner, series=series, version=1, distribution="agency")
    series.refresh_from_db()
    with pytest.raises(Http404):
        series_update(actor=actors.abroad, series=series, version=2, title="Mine")


def test_it_refuses_fields_that_cannot_change(actors, series):
    with pytest.raises(ValidationError) as caught:
        series_update(actor=actors.owner, series=series, version=1, code="SER-1")
    assert "code" in caught.value.message_dict


def test_merged_needs_a_visible_target(actors, series):
    other = SeriesFactory(actor=actors.abroad, title="Theirs")
    with pytest.raises(ValidationError) as caught:
        series_update(
            actor=actors.owner, series=series, version=1, status="merged", merged_into=other
        )
    assert "merged_into" in caught.value.message_dict


def test_leaving_the_group_level_drops_the_group(actors, task_force):
    series = SeriesFactory(
        actor=actors.owner, title="Shared", distribution="group", sharing_group=task_force
    )
    updated = series_update(actor=actors.owner, series=series, version=1, distribution="country")
    assert updated.sharing_group is None
    assert Series.objects.get(pk=series.pk).sharing_group_id is None
