"""Every database constraint a person can trip is refused first, by field, in plain words.

One row per constraint and way in (the page, the API): the answer is 400, it names the
field to fix with words a person can act on, it never shows the constraint's own name
(``clue_time_window_ordered``...), and nothing is written. ``test_every_constraint_is_
accounted_for`` fails for a constraint of ``cases`` or ``victimid`` that is neither in the
table nor listed with the reason nobody can trip it, so no future constraint slips by.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import escape

from cases.choices import Distribution, IdentificationEventKind, SeriesStatus
from cases.models import Clue, ClueTaxonomyNode, IdentificationEvent, Series, Victim
from cases.models.base import distribution_problems
from cases.models.clues import clue_point_problems, clue_time_window_problems
from cases.models.series import series_merge_problems
from cases.models.victims import identification_event_problems
from tests.conftest import api_client_for, signed_in_client
from tests.factories import IdentificationEventFactory, KnownHashFactory, VictimFactory
from victimid.models import (
    Notification,
    OutboxMessage,
    SharingGroup,
    SharingGroupMembership,
)

pytestmark = pytest.mark.django_db

PAGE = "page"
API = "api"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


@dataclass
class World:
    """The records a row needs, and clients signed in as their owner."""

    actors: Any
    series: Series
    clue: Any
    victim: Any
    identified: IdentificationEvent
    task_force: Any

    def page(self) -> Any:
        return signed_in_client(self.actors.owner)

    def api(self, user: Any = None) -> Any:
        return api_client_for(user or self.actors.owner)


@pytest.fixture
def world(actors, series, clue, task_force) -> World:
    victim = VictimFactory(actor=actors.owner, series=[series])
    identified = IdentificationEventFactory(victim=victim)
    KnownHashFactory(series=series, value=MD5)
    return World(actors, series, clue, victim, identified, task_force)


def _clue_form(**overrides: str) -> dict[str, str]:
    return {
        "taxonomy_node": str(ClueTaxonomyNode.objects.get(slug="sockets").pk),
        "title": "Cream recessed socket",
        "description": "A recessed wall socket with two earthing clips.",
        "country_1": "NL",
        "confidence_1": "high",
        "country_2": "",
        "confidence_2": "medium",
        "country_3": "",
        "confidence_3": "medium",
        "status": "open",
        "distribution": "network",
        **overrides,
    }


def _clue_body(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "series": world.series.code,
        "taxonomy_node": "sockets",
        "title": "Wall socket",
        "description": "Recessed socket, cream coloured.",
        "distribution": "network",
        **overrides,
    }


def _series_form(**overrides: str) -> dict[str, str]:
    return {"title": "Harbour room", "status": "active", "distribution": "network", **overrides}


def _outcome(world: World, **fields: Any) -> Any:
    url = f"/victims/{world.victim.code}/record/"
    return world.page().post(url, {"occurred_on": "2026-10-02", "note": "", **fields})


def _event(world: World, **fields: Any) -> Any:
    url = f"/api/v1/victims/{world.victim.code}/events"
    return world.api().post(url, {"occurred_on": "2026-10-02", **fields}, format="json")


def _corrected(world: World) -> IdentificationEvent:
    """The identification corrected once already (it is then identified again)."""
    IdentificationEventFactory(
        victim=world.victim, kind="correction", corrects=world.identified, note="Wrong"
    )
    IdentificationEventFactory(victim=world.victim)
    return world.identified


@dataclass(frozen=True)
class Trip:
    """One way to trip one constraint, and what the refusal must say."""

    constraint: str
    surface: str
    call: Callable[[World], Any]
    field: str
    says: str
    form: str = "form"  # the page's form in the template context

    @property
    def id(self) -> str:
        return f"{self.constraint}-{self.surface}-{self.field}"


TRIPS = [
    # clue_time_window_ordered
    Trip(
        "clue_time_window_ordered",
        PAGE,
        lambda w: w.page().post(
            f"/series/{w.series.code}/clues/new/",
            _clue_form(time_from="2026-05-01", time_to="2026-01-01"),
        ),
        "time_to",
        "The latest date (2026-01-01) is before the earliest date (2026-05-01).",
    ),
    Trip(
        "clue_time_window_ordered",
        API,
        lambda w: w.api().post(
            "/api/v1/clues",
            _clue_body(w, time_from="2026-05-01", time_to="2026-01-01"),
            format="json",
        ),
        "time_to",
        "The latest date (2026-01-01) is before the earliest date (2026-05-01).",
    ),
    Trip(
        "clue_time_window_ordered",
        API,
        # A change of one end only: the stored other end is checked by the model's rule.
        lambda w: w.api().patch(
            f"/api/v1/clues/{w.clue.pk}",
            {"version": 1, "time_from": "2026-05-01", "time_to": "2026-01-01"},
            format="json",
        ),
        "time_to",
        "is before the earliest date",
    ),
    # clue_point_complete
    Trip(
        "clue_point_complete",
        PAGE,
        lambda w: w.page().post(f"/series/{w.series.code}/clues/new/", _clue_form(latitude="52.1")),
        "longitude",
        "Give both latitude and longitude, or neither.",
    ),
    Trip(
        "clue_point_complete",
        API,
        lambda w: w.api().post("/api/v1/clues", _clue_body(w, longitude="4.3"), format="json"),
        "latitude",
        "Give both latitude and longitude, or neither.",
    ),
    # *_group_iff_group_distribution
    Trip(
        "clue_group_iff_group_distribution",
        PAGE,
        lambda w: w.page().post(
            f"/series/{w.series.code}/clues/new/", _clue_form(distribution="group")
        ),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    Trip(
        "clue_group_iff_group_distribution",
        API,
        lambda w: w.api().post("/api/v1/clues", _clue_body(w, distribution="group"), format="json"),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    Trip(
        "clue_group_iff_group_distribution",
        API,
        lambda w: w.api().post(
            "/api/v1/clues",
            _clue_body(w, distribution="country", sharing_group=w.task_force.pk),
            format="json",
        ),
        "sharing_group",
        "A sharing group goes only with the level “Members of a sharing group”",
    ),
    Trip(
        "series_group_iff_group_distribution",
        PAGE,
        lambda w: w.page().post("/series/new/", _series_form(distribution="group")),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    Trip(
        "series_group_iff_group_distribution",
        API,
        lambda w: w.api().post(
            "/api/v1/series", {"title": "Harbour room", "distribution": "group"}, format="json"
        ),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    Trip(
        "series_group_iff_group_distribution",
        API,
        lambda w: w.api().patch(
            f"/api/v1/series/{w.series.code}",
            {"version": 1, "distribution": "agency", "sharing_group": w.task_force.pk},
            format="json",
        ),
        "sharing_group",
        "A sharing group goes only with the level",
    ),
    Trip(
        "victim_group_iff_group_distribution",
        PAGE,
        lambda w: w.page().post(
            "/victims/new/",
            {"series_codes": w.series.code, "age_band": "unknown", "distribution": "group"},
        ),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    Trip(
        "victim_group_iff_group_distribution",
        API,
        lambda w: w.api().post(
            "/api/v1/victims", {"series": [w.series.code], "distribution": "group"}, format="json"
        ),
        "sharing_group",
        "Choose the sharing group whose agencies may see this.",
    ),
    # series_merged_has_target: the pages never offer "merged" to a series without a target.
    Trip(
        "series_merged_has_target",
        PAGE,
        lambda w: w.page().post(
            f"/series/{w.series.code}/edit/", _series_form(status="merged", version="1")
        ),
        "status",
        "Select a valid choice.",
    ),
    Trip(
        "series_merged_has_target",
        API,
        lambda w: w.api().patch(
            f"/api/v1/series/{w.series.code}", {"version": 1, "status": "merged"}, format="json"
        ),
        "merged_into",
        "Name the series this one was merged into",
    ),
    Trip(
        "series_merged_has_target",
        API,
        lambda w: w.api().post(
            "/api/v1/series",
            {"title": "Harbour room", "distribution": "agency", "status": "merged"},
            format="json",
        ),
        "merged_into",
        "Name the series this one was merged into",
    ),
    # identification_event_referral_has_service
    Trip(
        "identification_event_referral_has_service",
        PAGE,
        lambda w: _outcome(w, kind="referred"),
        "support_service",
        "Say which kind of support service the child was referred to.",
    ),
    Trip(
        "identification_event_referral_has_service",
        API,
        lambda w: _event(w, kind="referred"),
        "support_service",
        "Say which kind of support service the child was referred to.",
    ),
    Trip(
        "identification_event_referral_has_service",
        PAGE,
        lambda w: _outcome(w, kind="follow_up", support_service="medical"),
        "support_service",
        "A kind of support service goes only with a referral; leave it empty for “Follow-up”.",
    ),
    Trip(
        "identification_event_referral_has_service",
        API,
        lambda w: _event(w, kind="follow_up", support_service="medical"),
        "support_service",
        "A kind of support service goes only with a referral; leave it empty for “Follow-up”.",
    ),
    # identification_event_correction_has_target
    Trip(
        "identification_event_correction_has_target",
        PAGE,
        lambda w: _outcome(w, kind="correction", note="Wrong child"),
        "corrects",
        "Choose the event of this child that this corrects.",
    ),
    Trip(
        "identification_event_correction_has_target",
        API,
        lambda w: _event(w, kind="correction", note="Wrong child"),
        "corrects",
        "Choose the event of this child that this corrects.",
    ),
    Trip(
        "identification_event_correction_has_target",
        PAGE,
        lambda w: _outcome(w, kind="follow_up", corrects=w.identified.pk),
        "corrects",
        "Only a correction points at another event; leave it empty for “Follow-up”.",
    ),
    Trip(
        "identification_event_correction_has_target",
        API,
        lambda w: _event(w, kind="follow_up", corrects=w.identified.pk),
        "corrects",
        "Only a correction points at another event; leave it empty for “Follow-up”.",
    ),
    # IdentificationEvent.corrects is one-to-one: an event is corrected once.
    Trip(
        "IdentificationEvent.corrects",
        PAGE,
        lambda w: _outcome(w, kind="correction", corrects=_corrected(w).pk, note="Again"),
        "corrects",
        "Select a valid choice.",  # a corrected event is no longer offered
    ),
    Trip(
        "IdentificationEvent.corrects",
        API,
        lambda w: _event(w, kind="correction", corrects=_corrected(w).pk, note="Again"),
        "corrects",
        "That event is already corrected.",
    ),
    # clue_country_once
    Trip(
        "clue_country_once",
        PAGE,
        lambda w: w.page().post(f"/series/{w.series.code}/clues/new/", _clue_form(country_2="NL")),
        "country_2",
        "Netherlands is given twice: give each country once.",
    ),
    Trip(
        "clue_country_once",
        API,
        lambda w: w.api().post(
            "/api/v1/clues",
            _clue_body(w, country_hypotheses=[{"country": "NL"}, {"country": "nl"}]),
            format="json",
        ),
        "country_hypotheses",
        "NL is given twice: give each country once.",
    ),
    # known_hash_value_once (in another series it is a 409 with deconfliction instead)
    Trip(
        "known_hash_value_once",
        PAGE,
        lambda w: w.page().post(
            f"/series/{w.series.code}/hashes/", {"lines": f"md5:{MD5}", "vics_category": "0"}
        ),
        "lines",
        "this value is already in this series.",
        form="hash_form",
    ),
    Trip(
        "known_hash_value_once",
        API,
        lambda w: w.api().post(
            f"/api/v1/series/{w.series.code}/hashes",
            {"entries": [{"algorithm": "md5", "value": MD5}]},
            format="json",
        ),
        "entries",
        "this value is already in this series.",
    ),
    # assessment_attribution_country_once
    Trip(
        "assessment_attribution_country_once",
        PAGE,
        lambda w: w.page().post(
            f"/clues/{w.clue.pk}/assessments/",
            {"verdict": "recognised", "country_1": "NL", "country_2": "NL"},
        ),
        "country_2",
        "Netherlands is given twice: give each country once.",
        form="assessment_form",
    ),
    Trip(
        "assessment_attribution_country_once",
        API,
        lambda w: w.api().post(
            f"/api/v1/clues/{w.clue.pk}/assessments",
            {"verdict": "recognised", "attributions": [{"country": "NL"}, {"country": "nl"}]},
            format="json",
        ),
        "attributions",
        "is given twice: give each country once.",
    ),
    # routing_request_one_open_per_country: asking a country again while it has not answered
    Trip(
        "routing_request_one_open_per_country",
        API,
        lambda w: _asked_twice(w),
        "countries",
        "has already been asked and has not answered yet.",
    ),
    # Sharing groups are managed through the API only.
    Trip(
        "sharing_group_member_once",
        API,
        lambda w: w.api(w.actors.coordinator).post(
            f"/api/v1/sharing-groups/{w.task_force.pk}/members",
            {"agency": w.actors.agency_abroad.pk},
            format="json",
        ),
        "agency",
        "This agency is already a member.",
    ),
    Trip(
        "SharingGroup.name",
        API,
        lambda w: w.api(w.actors.coordinator).post(
            "/api/v1/sharing-groups", {"name": w.task_force.name}, format="json"
        ),
        "name",
        "already exists",
    ),
]

# Constraints nobody can trip through a page or the API, and why.
OUT_OF_REACH = {
    "victim_series_once": "a series named twice is linked once (form and service merge them)",
    "series_follower_once": "following again changes nothing (get_or_create)",
    "deconfliction_once_per_value_and_series": "written by the hash service, ignoring repeats",
    "notification_emailed_or_skipped_not_both": "set by the e-mail task only",
    "notification_preference_one_per_kind": "written as one upsert per kind",
    "api_token_expires_after_creation": "the token service takes 1 to 90 days, else refuses days",
    "user_vetted_has_expiry": "the vetting service sets the expiry with the status",
    "Series.code": "generated from a sequence",
    "stats_figure_value_iff_shown": "written by the figures' refresh task only",
    "restricted_lookup_notice_once_a_day": "the lookup service inserts it ignoring repeats",
    "Victim.code": "generated from a sequence",
    "ClueTaxonomyNode.slug": "the taxonomy is edited in the admin only",
    "ClueTaxonomyNode.path": "derived from the slugs",
    "Agency.name": "agencies are made by operators (a command, the admin)",
    "Agency.permission_group": "made with the agency",
    "ApiToken.token_hash": "a random secret's hash",
    "AuditEvent.sequence": "assigned under the audit chain's advisory lock",
    "UserSession.sid": "a random 128-bit id",
    # The registration and invitation forms check it first (victimid/forms.py).
    "User.email": "checked by the registration and invitation forms before any write",
    # Issue 12: each is checked by its service first, or written only by a service or task.
    "assessment_attribution_country_once": "attributions_normalise names a country given twice",
    "claim_one_standing_per_agency_and_series": "claim_set renews the standing claim, locked",
    "coordination_notice_once": "written with get_or_create by the claim and follow services",
    "coordination_notice_two_agencies": "the services never tell an agency about itself",
    "routing_request_answered_has_answer": "answered only by routing_answer, with its answer",
    "routing_request_closed_iff_not_open": "status and closing time set together by the services",
    "suggestion_pair_once": "written by the correlation task only, one row per pair",
    "suggestion_pair_ordered": "written by the correlation task only, lower id first",
    "suggestion_inbox_once": "written by database triggers only, as an upsert per agency",
    "suggestion_inbox_reach": "written by database triggers only, from the reach's three values",
    # Guardian's grant tables: granting again what is granted changes nothing.
    **{
        f"{prefix}{holder}Grant.unique_together": "granting again changes nothing"
        for prefix in ("Series", "Clue", "Victim")
        for holder in ("User", "Agency")
    },
}


def _constraint_names() -> set[str]:
    """Every constraint of casework and of people and trust, unique fields included."""
    names: set[str] = set()
    for app in ("cases", "victimid"):
        for model in apps.get_app_config(app).get_models():
            names |= {constraint.name for constraint in model._meta.constraints}
            if model._meta.unique_together:
                names.add(f"{model.__name__}.unique_together")
            names |= {
                f"{model.__name__}.{field.name}"
                for field in model._meta.local_fields
                if field.unique and not field.primary_key
            }
    return names


def _asked_twice(world: World) -> Any:
    """Ask Spain about the clue, then ask again through the API while it is open."""
    path = f"/api/v1/clues/{world.clue.pk}/routing-requests"
    first = world.api().post(path, {"countries": ["ES"]}, format="json")
    assert first.status_code == 201, first.content
    return world.api().post(path, {"countries": ["ES"]}, format="json")


# Trips that write a first record themselves before the refused request.
WRITES_FIRST = {"IdentificationEvent.corrects", "routing_request_one_open_per_country"}


def _written() -> list[Any]:
    """What a refused request must leave as it was: casework, sharing groups, notifications.

    (Reads are audited and signing in writes sessions and tokens: those are not counted.)
    """
    state: list[Any] = []
    watched = [
        *apps.get_app_config("cases").get_models(),
        SharingGroup,
        SharingGroupMembership,
        Notification,
        OutboxMessage,
    ]
    for model in watched:
        state.append((model.__name__, model._default_manager.count()))
        if any(field.name == "version" for field in model._meta.fields):
            state.append(sorted(model._default_manager.values_list("pk", "version")))
    return state


def test_every_constraint_is_accounted_for():
    tripped = {trip.constraint for trip in TRIPS}
    missing = _constraint_names() - tripped - OUT_OF_REACH.keys()
    assert not missing, f"add rows to TRIPS (or a reason to OUT_OF_REACH) for: {sorted(missing)}"
    stale = (tripped | OUT_OF_REACH.keys()) - _constraint_names()
    assert not stale, f"no such constraint: {sorted(stale)}"


@pytest.mark.parametrize("trip", TRIPS, ids=[trip.id for trip in TRIPS])
def test_a_tripped_constraint_is_refused_by_field_in_plain_words(world, trip):
    # Tripping a one-to-one needs a first correction, written by the row itself.
    before = None if trip.constraint in WRITES_FIRST else _written()
    response = trip.call(world)
    assert response.status_code == 400, response.content.decode()[:3000]
    body = response.content.decode()
    leaked = [name for name in _constraint_names() if "." not in name and name in body]
    assert not leaked, f"the answer names the constraint {leaked}"
    assert "Constraint" not in body and "violated" not in body
    if trip.surface == PAGE:
        errors = response.context[trip.form].errors
        messages = errors.get(trip.field, [])
        assert messages, errors
        assert all(escape(message) in body for message in messages)  # next to the field
    else:
        fields = response.json()["error"]["fields"]
        messages = fields.get(trip.field, [])
        assert messages, fields
    assert any(trip.says in message for message in messages), messages
    if before is not None:
        assert _written() == before


def test_a_series_named_twice_is_linked_once_on_the_page_and_in_the_api(actors, series):
    page = signed_in_client(actors.owner).post(
        "/victims/new/",
        {
            "series_codes": f"{series.code}, {series.code.lower()}",
            "age_band": "unknown",
            "distribution": "agency",
        },
    )
    assert page.status_code == 302
    api = api_client_for(actors.owner).post(
        "/api/v1/victims", {"series": [series.code, series.code]}, format="json"
    )
    assert api.status_code == 201, api.content
    assert api.json()["series"] == [series.code]
    assert [victim.series.count() for victim in series.victims.all()] == [1, 1]


def test_the_page_drops_a_group_left_behind_when_the_level_changes(actors, task_force):
    # The form's radio buttons and group list are separate controls: a group chosen, then
    # a level other than "group" chosen, is the person changing their mind, not an error.
    response = signed_in_client(actors.owner).post(
        "/series/new/", _series_form(distribution="agency", sharing_group=str(task_force.pk))
    )
    assert response.status_code == 302
    assert Series.objects.get(title="Harbour room").sharing_group is None


def _agree(constraint_name: str, instance: models.Model, refused_by_rule: bool) -> None:
    model = type(instance)
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    try:
        constraint.validate(model, instance)
        refused_by_database = False
    except ValidationError:
        refused_by_database = True
    assert refused_by_rule == refused_by_database, (constraint_name, vars(instance))


def test_each_rule_refuses_exactly_what_its_constraint_refuses(actors, series, task_force):
    # The rules are the constraints in words: neither refuses what the other allows.
    event = IdentificationEventFactory(victim=VictimFactory(actor=actors.owner, series=[series]))
    for distribution in Distribution.values:
        for group in (None, task_force):
            refused = bool(distribution_problems(distribution, group))
            for model in (Series, Clue, Victim):
                name = f"{model.__name__.lower()}_group_iff_group_distribution"
                _agree(name, model(distribution=distribution, sharing_group=group), refused)
    dates = (None, datetime.date(2026, 1, 1), datetime.date(2026, 5, 1))
    for time_from, time_to in itertools.product(dates, dates):
        refused = bool(clue_time_window_problems(time_from, time_to))
        _agree("clue_time_window_ordered", Clue(time_from=time_from, time_to=time_to), refused)
    points = (None, Decimal("52.1"))
    for latitude, longitude in itertools.product(points, points):
        refused = bool(clue_point_problems(latitude, longitude, None))
        _agree("clue_point_complete", Clue(latitude=latitude, longitude=longitude), refused)
    for status, target in itertools.product(SeriesStatus.values, (None, series)):
        refused = bool(series_merge_problems(status, target))
        _agree("series_merged_has_target", Series(status=status, merged_into=target), refused)
    for kind in IdentificationEventKind.values:
        for service in ("", "medical"):
            problems = identification_event_problems(
                kind=kind, support_service=service, corrects=None, also_identified=False
            )
            _agree(
                "identification_event_referral_has_service",
                IdentificationEvent(kind=kind, support_service=service),
                "support_service" in problems,
            )
        for corrects in (None, event):
            problems = identification_event_problems(
                kind=kind, support_service="", corrects=corrects, also_identified=False
            )
            _agree(
                "identification_event_correction_has_target",
                IdentificationEvent(kind=kind, corrects=corrects),
                "corrects" in problems,
            )
