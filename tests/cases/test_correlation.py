"""Correlation: related clues found after the commit, shown only to who may see both."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from cases.choices import Distribution
from cases.models import CorrelationSuggestion
from cases.selectors import series_links, suggestion_list, suggestions_of_clue
from cases.services import clue_correlate, clue_update, suggestion_decide
from cases.services import correlation as correlation_service
from cases.services.correlation import correlation_notify
from tests.conftest import api_client_for, signed_in_client
from tests.factories import ClueFactory, SeriesFactory
from victimid.models import Notification, NotificationKind, OutboxMessage

pytestmark = pytest.mark.django_db


def _socket(actor, *, level=Distribution.NETWORK, series=None, **fields):
    series = series or SeriesFactory(actor=actor, distribution=Distribution.NETWORK)
    defaults = {
        "title": "Recessed wall socket with earthing clips",
        "description": "Cream recessed socket, two earthing clips, beside a lighthouse print.",
        "languages": ["nld"],
        "country_hypotheses": [("NL", "high")],
        "distribution": level,
    }
    return ClueFactory(actor=actor, series=series, **{**defaults, **fields})


def test_a_new_clue_queues_its_correlation_after_the_commit(
    actors, series, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        clue = _socket(actors.owner, series=series)
    message = OutboxMessage.objects.get(task_name="cases.tasks.correlate_clue")
    assert message.args == [clue.pk] and message.sent_at is None
    assert callbacks  # handed to the broker only once the transaction commits
    with django_capture_on_commit_callbacks(execute=False):
        clue_update(actor=actors.owner, clue=clue, version=1, title="Socket, cream")
    assert OutboxMessage.objects.filter(task_name="cases.tasks.correlate_clue").count() == 2


def test_related_clues_in_other_series_are_suggested_with_readable_reasons(actors):
    mine = _socket(actors.owner)
    theirs = _socket(actors.abroad, title="Cream socket with earthing clips in a hallway")
    same_series = _socket(actors.owner, series=mine.series)
    unrelated = ClueFactory(
        actor=actors.abroad,
        taxonomy="clothing",
        title="School uniform",
        description="Blue pleated skirt.",
        distribution=Distribution.NETWORK,
    )
    result = clue_correlate(clue_id=theirs.pk)
    pairs = {(s.clue_a_id, s.clue_b_id) for s in CorrelationSuggestion.objects.all()}
    assert tuple(sorted((mine.pk, theirs.pk))) in pairs
    assert not any(same_series.pk in pair and theirs.pk not in pair for pair in pairs)
    assert not any(unrelated.pk in pair for pair in pairs)
    suggestion = CorrelationSuggestion.objects.get(
        clue_a=min(mine.pk, theirs.pk), clue_b=max(mine.pk, theirs.pk)
    )
    reasons = " | ".join(suggestion.reasons)
    assert "same kind of clue" in reasons and "Dutch" in reasons
    assert "Netherlands" in reasons and "similar wording" in reasons
    assert suggestion.score >= correlation_service.MIN_SCORE
    assert result.suggested
    # Running twice changes nothing (a relay may hand the task over twice).
    clue_correlate(clue_id=theirs.pk)
    assert CorrelationSuggestion.objects.count() == len(pairs)


def test_places_within_reach_count(actors):
    a = _socket(
        actors.owner,
        latitude=52.37,
        longitude=4.89,
        radius_km=5,
        languages=[],
        country_hypotheses=[],
        title="Tiled stove",
        description="Blue tiles.",
    )
    b = _socket(
        actors.abroad,
        latitude=52.09,
        longitude=5.12,
        radius_km=10,
        languages=[],
        country_hypotheses=[],
        title="Brick oven",
        description="Red bricks.",
    )
    clue_correlate(clue_id=b.pk)
    suggestion = CorrelationSuggestion.objects.get()
    assert {suggestion.clue_a_id, suggestion.clue_b_id} == {a.pk, b.pk}
    assert any("km apart" in reason for reason in suggestion.reasons)


def test_a_value_on_too_many_clues_generates_nothing(actors, monkeypatch):
    monkeypatch.setattr(correlation_service, "VALUE_CAP", 3)
    for _number in range(4):
        _socket(
            actors.abroad,
            languages=[],
            country_hypotheses=[],
            title="Plain plug",
            description="A plug.",
        )
    new = _socket(
        actors.owner, languages=[], country_hypotheses=[], title="Plain plug", description="A plug."
    )
    result = clue_correlate(clue_id=new.pk)
    assert "taxonomy:sockets" in result.skipped_values
    assert not CorrelationSuggestion.objects.exists()


def test_a_suggestion_is_shown_only_to_who_may_see_both_clues(actors):
    open_clue = _socket(actors.abroad)
    hidden = _socket(
        actors.owner, level=Distribution.AGENCY, title="Secret recessed socket with earthing clips"
    )
    clue_correlate(clue_id=hidden.pk)
    suggestion = CorrelationSuggestion.objects.get()
    assert list(suggestion_list(actor=actors.owner)) == [suggestion]
    assert list(suggestion_list(actor=actors.abroad)) == []
    assert list(suggestions_of_clue(actor=actors.abroad, clue=open_clue)) == []
    assert not CorrelationSuggestion.objects.visible_to(actors.same_country).exists()
    page = signed_in_client(actors.abroad).get(reverse("clue-detail", args=[open_clue.pk]))
    assert hidden.title not in page.content.decode()
    api = api_client_for(actors.abroad).get(reverse("api-clue-suggestions", args=[open_clue.pk]))
    assert api.json()["results"] == []


def test_the_side_that_may_not_see_the_other_is_told_only_whom_to_contact(
    actors, django_capture_on_commit_callbacks
):
    """The outsider recipient test of the kind ``correlation``."""
    open_clue = _socket(actors.abroad, title="Cream socket with earthing clips, hallway")
    hidden = _socket(actors.owner, level=Distribution.AGENCY, title="Secret socket lighthouse")
    with django_capture_on_commit_callbacks(execute=False):
        result = clue_correlate(clue_id=hidden.pk)
    message = OutboxMessage.objects.get(task_name="cases.tasks.notify_correlation")
    assert message.args == [hidden.pk, result.suggested]  # after the commit, a task of its own
    correlation_notify(clue_id=hidden.pk, suggestion_ids=result.suggested)
    told = Notification.objects.filter(kind=NotificationKind.CORRELATION)
    to_abroad = told.get(recipient=actors.abroad)
    assert "a clue your agency may not see" in to_abroad.message
    assert actors.agency.name in to_abroad.message
    assert "Secret socket" not in to_abroad.message and hidden.series.code not in to_abroad.message
    assert to_abroad.subject_ref == str(open_clue.pk)
    to_owner = told.get(recipient=actors.owner)
    assert open_clue.title in to_owner.message  # the owner may see both
    assert not told.filter(recipient__in=[actors.same_country, actors.coordinator]).exists()


def test_confirming_links_both_series_and_only_owners_decide(actors):
    mine = _socket(actors.owner)
    theirs = _socket(actors.abroad)
    clue_correlate(clue_id=theirs.pk)
    suggestion = CorrelationSuggestion.objects.get()
    with pytest.raises(PermissionDenied):
        suggestion_decide(actor=actors.same_country, suggestion=suggestion, decision="confirmed")
    suggestion_decide(actor=actors.abroad, suggestion=suggestion, decision="confirmed")
    assert list(series_links(actor=actors.owner, series=mine.series)) == [suggestion]
    assert list(series_links(actor=actors.abroad, series=theirs.series)) == [suggestion]
    page = signed_in_client(actors.owner).get(reverse("series-detail", args=[mine.series.code]))
    assert 'data-testid="series-link"' in page.content.decode()
    # A later correlation keeps the decision.
    clue_correlate(clue_id=mine.pk)
    suggestion.refresh_from_db()
    assert suggestion.status == "confirmed"


def test_a_hidden_suggestion_cannot_be_decided(actors):
    _socket(actors.abroad)
    hidden = _socket(actors.owner, level=Distribution.AGENCY)
    clue_correlate(clue_id=hidden.pk)
    suggestion = CorrelationSuggestion.objects.get()
    with pytest.raises(Http404):
        suggestion_decide(actor=actors.abroad, suggestion=suggestion, decision="rejected")
    response = api_client_for(actors.abroad).post(
        reverse("api-suggestion-decide", args=[suggestion.pk]),
        {"decision": "rejected"},
        format="json",
    )
    assert response.status_code == 404


def test_the_api_lists_and_decides(actors):
    _socket(actors.owner)
    theirs = _socket(actors.abroad)
    clue_correlate(clue_id=theirs.pk)
    client = api_client_for(actors.owner)
    listed = client.get(reverse("api-suggestions")).json()["results"]
    assert len(listed) == 1 and listed[0]["reasons"]
    bad = client.post(
        reverse("api-suggestion-decide", args=[listed[0]["id"]]),
        {"decision": "maybe"},
        format="json",
    )
    assert bad.status_code == 400
    done = client.post(
        reverse("api-suggestion-decide", args=[listed[0]["id"]]),
        {"decision": "rejected"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    assert client.get(reverse("api-suggestions"), {"status": "x"}).status_code == 400


def test_the_cap_counts_every_clue_with_the_value_once_the_estimate_allows(actors, monkeypatch):
    # Counted exactly (the estimate is low): three clues of the new clue's own series and
    # one abroad put "sockets" on five clues, over a cap of four.
    monkeypatch.setattr(correlation_service, "VALUE_CAP", 4)
    monkeypatch.setattr(correlation_service, "_estimated_rows", lambda queryset: 0.0)
    first = _socket(actors.owner, languages=[], country_hypotheses=[], title="Plain plug")
    for _number in range(2):
        _socket(
            actors.owner,
            languages=[],
            country_hypotheses=[],
            title="Plain plug",
            series=first.series,
        )
    _socket(actors.abroad, languages=[], country_hypotheses=[], title="Plain plug")
    new = _socket(
        actors.owner,
        languages=[],
        country_hypotheses=[],
        title="Plain plug",
        series=first.series,
    )
    assert "taxonomy:sockets" in clue_correlate(clue_id=new.pk).skipped_values


def test_a_value_the_statistics_put_far_over_the_cap_is_not_counted(actors, monkeypatch):
    _socket(actors.abroad)
    new = _socket(actors.owner)
    far_over = correlation_service.VALUE_CAP * correlation_service.ESTIMATE_MARGIN + 1
    monkeypatch.setattr(correlation_service, "_estimated_rows", lambda queryset: far_over)
    result = clue_correlate(clue_id=new.pk)
    assert "taxonomy:sockets" in result.skipped_values
    assert result.suggested == [] and not CorrelationSuggestion.objects.exists()
    monkeypatch.setattr(correlation_service, "_estimated_rows", lambda queryset: 0.0)
    assert clue_correlate(clue_id=new.pk).suggested == [CorrelationSuggestion.objects.get().pk]


def test_a_suggestion_stays_hidden_while_one_clue_s_series_is_hidden(actors):
    # Both clues are shared with the network, but one is in a series its agency keeps to
    # itself: the parent's whole rule decides, not only the clue's own level.
    hidden_series = SeriesFactory(actor=actors.owner, distribution=Distribution.AGENCY)
    in_hidden_series = _socket(actors.owner, series=hidden_series)
    _socket(actors.abroad)
    clue_correlate(clue_id=in_hidden_series.pk)
    suggestion = CorrelationSuggestion.objects.get()
    assert list(suggestion_list(actor=actors.owner)) == [suggestion]
    assert list(suggestion_list(actor=actors.abroad)) == []
