"""Attacks on the collaboration features (routing, claims and notices, assessments,
correlation, notifications) by outsiders and insiders of the wrong kind.

Each test states the attack and asserts what must hold; the ones that found a defect
say so in their docstring.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import access
from cases.choices import Distribution, Verdict
from cases.models import CoordinationNotice, CorrelationSuggestion
from cases.models import RoutingRequest as RoutingRequestModel
from cases.selectors import routing_queue, series_links, suggestion_list, suggestions_of_clue
from cases.services import (
    assessment_create,
    clue_correlate,
    clue_route,
    routing_pass,
    routing_withdraw,
    suggestion_decide,
)
from cases.services.correlation import correlation_notify
from tests.conftest import api_client_for, signed_in_client
from tests.factories import ClueFactory, PendingUserFactory, SeriesFactory, UserFactory
from victimid.choices import Role
from victimid.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


# --- Routing -------------------------------------------------------------------------------


def test_passing_again_withdraws_the_first_investigators_access(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    second = UserFactory(email="second@es.example.org", agency=actors.agency_abroad)
    routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    assert access.can_view(actors.abroad, hidden_clue)
    routing_pass(actor=actors.coordinator_abroad, request=request, assignee=second)
    assert access.can_view(second, hidden_clue)
    assert not access.can_view(actors.abroad, hidden_clue)
    assert list(routing_queue(actor=actors.abroad)) == []
    # The second one answers it.
    assessment_create(actor=second, clue=hidden_clue, verdict=Verdict.UNSURE)
    request.refresh_from_db()
    assert request.status == "answered"
    assert not access.can_view(second, hidden_clue)


@pytest.mark.parametrize("who", ["oversight", "auditor", "unvetted", "suspended", "inactive"])
def test_a_request_is_passed_only_to_a_vetted_investigator_of_the_country(actors, hidden_clue, who):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    if who in ("oversight", "auditor"):
        assignee = getattr(actors, who)
    elif who == "unvetted":
        assignee = PendingUserFactory(email="pending@es.example.org", agency=actors.agency_abroad)
    else:
        assignee = UserFactory(email=f"{who}@es.example.org", agency=actors.agency_abroad)
        if who == "suspended":
            from victimid.services.vetting import vetting_suspend

            vetting_suspend(actor=actors.admin, subject=assignee, reason="Left the unit")
        else:
            assignee.is_active = False
            assignee.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        routing_pass(actor=actors.coordinator_abroad, request=request, assignee=assignee)
    response = api_client_for(actors.coordinator_abroad).post(
        reverse("api-routing-pass", args=[request.pk]), {"user": assignee.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    request.refresh_from_db()
    assert request.assignee_id is None
    assert not access.can_view(assignee, hidden_clue)


def test_a_coordinator_of_another_country_who_sees_the_clue_cannot_pass_or_withdraw(
    actors, hidden_clue
):
    from tests.factories import AgencyFactory

    french = UserFactory(
        email="coordinator@fr.example.org",
        agency=AgencyFactory(name="Agence", country="FR"),
        roles=[Role.COORDINATOR],
    )
    to_spain, to_france = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES", "FR"])
    assert access.can_view(french, hidden_clue)  # through its own request
    client = api_client_for(french)
    passed = client.post(
        reverse("api-routing-pass", args=[to_spain.pk]), {"user": actors.abroad.pk}, format="json"
    )
    assert passed.status_code == 403
    assert client.post(reverse("api-routing-withdraw", args=[to_spain.pk])).status_code == 403
    assert client.post(reverse("api-routing-withdraw", args=[to_france.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        routing_withdraw(actor=french, request=to_france)
    to_spain.refresh_from_db()
    assert to_spain.status == "open" and to_spain.assignee_id is None


def test_a_hidden_and_a_missing_request_answer_alike(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    missing = request.pk + 1000
    for user in (actors.abroad, actors.coordinator, actors.same_country):
        api = api_client_for(user)
        page = signed_in_client(user)
        for name, body in (("api-routing-pass", {"user": user.pk}), ("api-routing-withdraw", {})):
            there = api.post(reverse(name, args=[request.pk]), body, format="json")
            absent = api.post(reverse(name, args=[missing]), body, format="json")
            assert there.status_code == absent.status_code == 404
            assert there.json() == absent.json()
        for name in ("routing-pass", "routing-withdraw"):
            there = page.post(reverse(name, args=[request.pk]), {"user": user.pk})
            absent = page.post(reverse(name, args=[missing]), {"user": user.pk})
            assert there.status_code == absent.status_code == 404
    request.refresh_from_db()
    assert request.status == "open" and request.assignee_id is None


def test_after_withdrawal_the_routed_readers_keep_nothing_of_the_clue(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    """Defect found: the notifications of a routing request (to the asked coordinators and
    to the investigator it is passed to) carried the clue's title, which stayed in their
    notification list and e-mail digests after the request closed and the access went."""
    with django_capture_on_commit_callbacks(execute=True):
        (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
        routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    routing_withdraw(actor=actors.owner, request=request)
    for user in (actors.coordinator_abroad, actors.abroad):
        told = Notification.objects.filter(recipient=user)
        assert told.exists()
        for notification in told:
            assert f"“{hidden_clue.title}”" not in notification.message
            assert hidden_clue.series.code not in notification.message
        page = signed_in_client(user)
        api = api_client_for(user)
        for body in (
            page.get(reverse("clue-detail", args=[hidden_clue.pk])),
            page.get(reverse("routing-queue"), {"status": "all"}),
            page.get(reverse("dashboard")),
            page.get(reverse("notifications")),
            page.get(reverse("clue-search"), {"q": "stove"}),
            api.get(reverse("api-clue-detail", args=[hidden_clue.pk])),
            api.get(reverse("api-routing-queue"), {"status": "all"}),
            api.get(reverse("api-clue-assessments", args=[hidden_clue.pk])),
            api.get(reverse("api-clue-suggestions", args=[hidden_clue.pk])),
            api.get(reverse("api-suggestions")),
        ):
            assert hidden_clue.title not in body.content.decode(), body.request["PATH_INFO"]


# --- Correlation through a routed clue -----------------------------------------------------


def _routed_suggestion(actors, hidden_clue):
    """A Spanish clue that looks like the Dutch clue routed to Spain; the series stays hidden."""
    spanish = ClueFactory(
        actor=actors.coordinator_abroad,
        series=SeriesFactory(actor=actors.coordinator_abroad, distribution="network"),
        title="Tiled stove with blue glaze in a kitchen",
        languages=["spa"],
        country_hypotheses=[("ES", "high")],
        distribution=Distribution.NETWORK,
    )
    clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    result = clue_correlate(clue_id=spanish.pk)
    suggestion = CorrelationSuggestion.objects.get()
    return spanish, suggestion, result


def test_a_routed_reader_learns_no_hidden_series_through_suggestions(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    """Defect found: a suggestion is shown to whoever sees both clues, and a routed clue is
    seen without its series: the coordinator's suggestion list, their own clue's page and
    the correlation notice named the hidden series (and the notice kept the routed clue's
    title after the request closed), and confirming the suggestion linked the
    coordinator's series to a series they may not see. (The routed clue's own page names
    its series' code on purpose, next to "you see this clue, not its series".)"""
    spanish, suggestion, result = _routed_suggestion(actors, hidden_clue)
    code = hidden_clue.series.code
    assert access.can_view(actors.coordinator_abroad, hidden_clue)
    assert not access.can_view(actors.coordinator_abroad, hidden_clue.series)
    coordinator = actors.coordinator_abroad
    assert list(suggestion_list(actor=coordinator)) == []
    assert list(suggestions_of_clue(actor=coordinator, clue=spanish)) == []
    assert list(suggestions_of_clue(actor=coordinator, clue=hidden_clue)) == []
    page = signed_in_client(coordinator)
    api = api_client_for(coordinator)
    for body in (
        page.get(reverse("suggestion-list")),
        page.get(reverse("clue-detail", args=[spanish.pk])),
        api.get(reverse("api-suggestions")),
        api.get(reverse("api-clue-suggestions", args=[spanish.pk])),
        api.get(reverse("api-clue-suggestions", args=[hidden_clue.pk])),
    ):
        assert code not in body.content.decode(), body.request["PATH_INFO"]
    decided = api.post(
        reverse("api-suggestion-decide", args=[suggestion.pk]),
        {"decision": "confirmed"},
        format="json",
    )
    assert decided.status_code == 404
    with pytest.raises(Exception):  # noqa: B017 — Http404 or PermissionDenied, never a link
        suggestion_decide(actor=coordinator, suggestion=suggestion, decision="confirmed")
    suggestion.refresh_from_db()
    assert suggestion.status == "open"
    with django_capture_on_commit_callbacks(execute=True):
        correlation_notify(clue_id=spanish.pk, suggestion_ids=result.suggested)
    for notification in Notification.objects.filter(
        recipient=coordinator, kind=NotificationKind.CORRELATION
    ):
        assert code not in notification.message
        assert f"“{hidden_clue.title}”" not in notification.message
    # The owner, who sees both clues and both series, still sees it.
    assert list(suggestion_list(actor=actors.owner)) == [suggestion]
    assert list(series_links(actor=coordinator, series=spanish.series)) == []


# --- Hostile input on every collaboration endpoint -----------------------------------------

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
HOSTILE_BODIES = [
    '{"countries": ["E\\u0000S"], "question": "a\\u0000b", "user": 1, "decision": "c\\u0000"}',
    '{"countries": ["ES"], "question": "\\ud800", "comment": "\\udfff", "contact": "\\ud800"}',
    DEEP_LIST,
    DEEP_OBJECT,
    b"\xff\xfe not json",
    '{"countries": "ES", "user": "abc", "decision": ["confirmed"], "verdict": null}',
    '{"countries": [1, null, {}], "user": -1, "attributions": "x", "expires_on": 5}',
    '{"user": 99999999999999999999999999, "attributions": [[1, 2, 3, 4]], "unknown": 1}',
    '{"verdict": "unsure", "attributions": [{"country": {"x": 1}, "confidence": []}]}',
    '{"question": "' + "x" * 200_000 + '", "contact": "' + "y" * 200_000 + '", "countries": []}',
]


def _collaboration_posts(actors, hidden_clue):
    """(client, url) of every collaboration write, each as the actor who may make it."""
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    spanish = ClueFactory(
        actor=actors.abroad,
        series=SeriesFactory(actor=actors.abroad, distribution="network"),
        distribution="network",
    )
    owner = api_client_for(actors.owner)
    coordinator = api_client_for(actors.coordinator_abroad)
    huge = "9" * 25
    return request, [
        (owner, reverse("api-clue-routing", args=[hidden_clue.pk])),
        (coordinator, reverse("api-routing-pass", args=[request.pk])),
        (owner, reverse("api-routing-withdraw", args=[huge])),
        (coordinator, reverse("api-clue-assessments", args=[hidden_clue.pk])),
        (owner, reverse("api-suggestion-decide", args=[huge])),
        (owner, reverse("api-notice-acknowledge", args=["series", huge])),
        (owner, reverse("api-notice-acknowledge", args=["x\u0000", 1])),
        (api_client_for(actors.abroad), reverse("api-series-claims", args=[spanish.series.code])),
    ]


def test_hostile_input_on_collaboration_writes_answers_4xx_json_and_writes_nothing(
    actors, hidden_clue
):
    from cases.models import Assessment, Claim

    request, posts = _collaboration_posts(actors, hidden_clue)
    problems = []
    for client, url in posts:
        for body in HOSTILE_BODIES:
            raw = body if isinstance(body, bytes) else body.encode()
            response = client.generic("POST", url, raw, content_type="application/json")
            if not 400 <= response.status_code < 500:
                problems.append(f"{url} {body[:60]!r}: {response.status_code}")  # type: ignore
            elif not response["Content-Type"].startswith("application/"):
                problems.append(f"{url} {body[:60]!r}: {response['Content-Type']}")
    assert not problems, "\n".join(problems)
    request.refresh_from_db()
    assert request.status == "open" and request.assignee_id is None
    assert not Assessment.objects.exists() and not Claim.objects.exists()
    assert list(RoutingRequestModel.objects.values_list("country", flat=True)) == ["ES"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/routing-requests?status=%00",
        "/api/v1/routing-requests?cursor=forged",
        "/api/v1/routing-requests?cursor=cD0yMDI2LTAxLTAxKzAwJTNBMDA%3D",
        "/api/v1/suggestions?status=%00&cursor=%ED%A0%80",
        "/api/v1/suggestions?cursor=" + "A" * 5000,
        "/api/v1/notices?cursor=%00",
        "/api/v1/clues/" + "9" * 25 + "/routing-requests",
        "/api/v1/clues/" + "9" * 25 + "/assessments",
        "/api/v1/clues/" + "9" * 25 + "/suggestions",
        "/api/v1/series/%00/claims",
    ],
)
def test_hostile_queries_on_collaboration_lists_answer_without_a_server_error(actors, url):
    response = api_client_for(actors.coordinator_abroad).get(url)
    assert response.status_code in (200, 400, 404), response.content[:300]


# --- Claims and notices ---------------------------------------------------------------------


def test_a_coordination_notice_is_listed_only_to_who_may_see_its_series(actors):
    """Defect found: the notices page and API listed every coordination notice of the
    agency to all its users — the series' code, the other agency and its contact — also to
    colleagues who may not see the series (it was shared with one of them by a grant, or
    no longer is), while the notification of the same notice went only to who may see it."""
    import datetime

    from cases.services import claim_set
    from tests.factories import GrantFactory

    series = SeriesFactory(actor=actors.owner, title="Attic room", distribution="agency")
    GrantFactory(record=series, user=actors.abroad)
    colleague_abroad = UserFactory(email="colleague@es.example.org", agency=actors.agency_abroad)
    expires = datetime.date.today() + datetime.timedelta(days=30)
    claim_set(actor=actors.owner, series=series, contact="NL desk", expires_on=expires)
    claim_set(actor=actors.abroad, series=series, contact="ES desk", expires_on=expires)
    assert access.can_view(actors.abroad, series)
    assert not access.can_view(colleague_abroad, series)
    # The notification of the notice went only to the colleague who may see the series
    # (test_claims' outsider test asks an agency that is never told at all).
    told = Notification.objects.filter(kind=NotificationKind.DECONFLICTION)
    assert actors.abroad.pk in {n.recipient_id for n in told}
    assert not told.filter(recipient=colleague_abroad).exists()
    granted = api_client_for(actors.abroad).get(reverse("api-notices")).content.decode()
    assert series.code in granted  # the investigator who claimed it sees its notice
    for body in (
        api_client_for(colleague_abroad).get(reverse("api-notices")),
        signed_in_client(colleague_abroad).get(reverse("notices")),
        signed_in_client(colleague_abroad).get(reverse("dashboard")),
    ):
        text = body.content.decode()
        assert body.status_code == 200
        assert series.code not in text and "NL desk" not in text, body.request["PATH_INFO"]
    notice = CoordinationNotice.objects.get(agency=actors.agency_abroad)
    url = reverse("api-notice-acknowledge", args=["series", notice.pk])
    missing = reverse("api-notice-acknowledge", args=["series", notice.pk + 1000])
    there = api_client_for(colleague_abroad).post(url)
    absent = api_client_for(colleague_abroad).post(missing)
    assert there.status_code == absent.status_code == 404 and there.json() == absent.json()
    # Another agency's notice by id: 404 too, and nothing acknowledged.
    owners = CoordinationNotice.objects.get(agency=actors.agency)
    stranger = api_client_for(actors.abroad).post(
        reverse("api-notice-acknowledge", args=["series", owners.pk])
    )
    assert stranger.status_code == 404
    assert not CoordinationNotice.objects.filter(acknowledged_at__isnull=False).exists()
    assert api_client_for(actors.abroad).post(url).status_code == 204


# --- Assessments ----------------------------------------------------------------------------


def test_a_follower_who_sees_the_clue_only_through_routing_is_not_told_its_series(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    """Defect found: ``clue_assessed`` names the clue's series and goes to its followers
    who may see the clue; a follower who sees it only through a routing request (they
    followed the series while it was shared wider) was told the series' code."""
    from cases.models import SeriesFollower

    # Followed when the series was shared with them; it no longer is.
    SeriesFollower.objects.create(series=hidden_clue.series, user=actors.coordinator_abroad)
    clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    assert access.can_view(actors.coordinator_abroad, hidden_clue)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_create(actor=actors.colleague, clue=hidden_clue, verdict=Verdict.UNSURE)
    assessed = Notification.objects.filter(kind=NotificationKind.CLUE_ASSESSED)
    assert {n.recipient for n in assessed} == {actors.owner}
    for notification in Notification.objects.filter(recipient=actors.coordinator_abroad):
        assert hidden_clue.series.code not in notification.message


FORM = "application/x-www-form-urlencoded"


def test_hostile_form_posts_on_collaboration_pages_answer_without_a_server_error(
    actors, hidden_clue
):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    owner = signed_in_client(actors.owner)
    coordinator = signed_in_client(actors.coordinator_abroad)
    hostile = [
        {"countries": ["E\x00S"], "other_country": "\\ud800", "question": "a\x00b"},
        {"question": "x" * 100_000, "other_country": "ZZ", "countries": ["" * 3, "NL" * 50]},
        {"user": "abc", "verdict": "\x00", "decision": "\\ud800", "comment": "y" * 100_000},
        {"user": "9" * 30, "confidence_1": "huge", "country_1": "\x00", "contact": "\x00"},
    ]
    posts = [
        (owner, reverse("clue-route", args=[hidden_clue.pk])),
        (coordinator, reverse("routing-pass", args=[request.pk])),
        (coordinator, reverse("clue-assess", args=[hidden_clue.pk])),
        (owner, reverse("suggestion-decide", args=[10**12])),
        (owner, reverse("notice-acknowledge", args=["series", 10**12])),
        (owner, reverse("series-claim", args=[hidden_clue.series.code])),
    ]
    problems = []
    for client, url in posts:
        for data in hostile:
            # A lone surrogate arrives as the bytes a browser would send (%ED%A0%80).
            body = urlencode(data, doseq=True).replace("%5Cud800", "%ED%A0%80")
            status = client.generic("POST", url, body, FORM).status_code
            if status >= 500 or status < 300:
                problems.append(f"{url} {sorted(data)}: {status}")
    assert not problems, "\n".join(problems)
    request.refresh_from_db()
    assert request.status == "open" and request.assignee_id is None
    assert list(RoutingRequestModel.objects.values_list("country", flat=True)) == ["ES"]


def test_who_may_not_pass_a_request_learns_nothing_of_the_user_ids_they_name(actors, hidden_clue):
    """Defect found: the pass endpoint looked the named user up before asking whether the
    caller may pass the request at all — the owner (who sees the request but passes
    nothing) got 400 for an unknown id and 403 for a real one, so it told which user ids
    exist. Now the caller is refused first, whatever the id."""
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    api = api_client_for(actors.colleague)
    page = signed_in_client(actors.colleague)
    for user_id in (actors.abroad.pk, 10**9, actors.owner.pk):
        refused = api.post(
            reverse("api-routing-pass", args=[request.pk]), {"user": user_id}, format="json"
        )
        assert refused.status_code == 403, (user_id, refused.content)
        on_page = page.post(reverse("routing-pass", args=[request.pk]), {"user": user_id})
        assert on_page.status_code == 403, user_id
    request.refresh_from_db()
    assert request.assignee_id is None
