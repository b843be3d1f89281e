"""Assessing clues: who may, what is refused, the consensus, who hears of it (issue 12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from cases.choices import Distribution, Verdict
from cases.models import Assessment
from cases.selectors import assessment_consensus, assessment_list
from cases.services import assessment_create, series_follow
from tests.conftest import api_client_for, signed_in_client
from tests.factories import ClueFactory, SeriesFactory, UserFactory
from victimid.models import AuditEvent, Notification, NotificationKind

pytestmark = pytest.mark.django_db

RECOGNISED, NOT_RECOGNISED, UNSURE = Verdict.RECOGNISED, Verdict.NOT_RECOGNISED, Verdict.UNSURE


def test_an_investigator_abroad_assesses_a_clue_they_may_see(actors, clue):
    assessment = assessment_create(
        actor=actors.abroad,
        clue=clue,
        verdict=RECOGNISED,
        attributions=[("es", "Valencia coast", "high")],
        comment="The socket plate is a brand sold in Spain.",
    )
    assert assessment.agency == actors.agency_abroad
    assert str(assessment.assessor_country) == "ES"
    assert [
        (str(a.country), a.place_text, a.confidence) for a in assessment.attributions.all()
    ] == [("ES", "Valencia coast", "high")]
    audit = AuditEvent.objects.get(action="clue.assessed", target_id=str(clue.pk))
    assert audit.details["countries"] == ["ES"]


def test_a_clue_one_may_not_see_cannot_be_assessed(actors, agency_level):
    with pytest.raises(Http404):
        assessment_create(actor=actors.abroad, clue=agency_level.clue, verdict=UNSURE)
    assert not Assessment.objects.exists()


def test_users_without_casework_may_not_assess(actors, clue):
    for user in (actors.oversight, actors.auditor, actors.unvetted):
        with pytest.raises(PermissionDenied):
            assessment_create(actor=user, clue=clue, verdict=UNSURE)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"verdict": RECOGNISED, "attributions": [("XX", "", "high")]}, "attributions"),
        ({"verdict": RECOGNISED, "attributions": [("NL", "", "certain")]}, "attributions"),
        (
            {"verdict": RECOGNISED, "attributions": [("NL", "", "low"), ("nl", "", "high")]},
            "attributions",
        ),
        ({"verdict": NOT_RECOGNISED, "attributions": [("NL", "", "low")]}, "attributions"),
        ({"verdict": UNSURE, "comment": "Call me on +31 6 1234 5678"}, "comment"),
        ({"verdict": UNSURE, "comment": "x" * 2001}, "comment"),
        ({"verdict": RECOGNISED, "attributions": [("NL", "y" * 201, "low")]}, "attributions"),
    ],
)
def test_bad_assessments_are_refused_by_field_and_nothing_is_written(
    actors, clue, arguments, field
):
    with pytest.raises(ValidationError) as refused:
        assessment_create(actor=actors.abroad, clue=clue, **arguments)
    assert field in refused.value.message_dict
    assert not Assessment.objects.exists()


def test_assessments_are_seen_with_their_clue_and_only_with_it(actors, country_level):
    clue = country_level.clue
    assessment_create(actor=actors.same_country, clue=clue, verdict=UNSURE)
    assert len(assessment_list(actor=actors.owner, clue=clue)) == 1
    assert len(assessment_list(actor=actors.abroad, clue=clue)) == 0
    assert not Assessment.objects.visible_to(actors.abroad).exists()
    assert not Assessment.objects.visible_to(actors.oversight).exists()


def test_the_consensus_counts_each_assessors_latest_and_marks_disputes(actors, clue):
    belgian = UserFactory(agency__country="BE")
    dutch = UserFactory(agency__country="NL")
    assessment_create(actor=actors.abroad, clue=clue, verdict=UNSURE)
    assessment_create(
        actor=actors.abroad, clue=clue, verdict=RECOGNISED, attributions=[("BE", "", "low")]
    )
    assessment_create(
        actor=belgian, clue=clue, verdict=RECOGNISED, attributions=[("BE", "Ghent", "high")]
    )
    assessment_create(actor=dutch, clue=clue, verdict=NOT_RECOGNISED)
    consensus = assessment_consensus(assessment_list(actor=actors.owner, clue=clue))
    assert consensus.assessors == 3
    assert consensus.verdicts == {RECOGNISED: 2, NOT_RECOGNISED: 1, UNSURE: 0}
    assert consensus.verdict == RECOGNISED
    assert consensus.verdict_disputed
    (belgium,) = consensus.attributions
    assert (belgium.country, belgium.assessors, belgium.confidence) == ("BE", 2, "high")
    assert belgium.places == ("Ghent",)
    assert not belgium.disputed  # only Belgium named, and no Belgian said "not recognised"
    assessment_create(
        actor=dutch, clue=clue, verdict=RECOGNISED, attributions=[("NL", "Zeeland", "medium")]
    )
    consensus = assessment_consensus(assessment_list(actor=actors.owner, clue=clue))
    assert not consensus.verdict_disputed
    assert {row.country: row.disputed for row in consensus.attributions} == {"BE": True, "NL": True}
    assert "also attributed to NL" in consensus.attributions[0].why_disputed


def test_a_countrys_own_not_recognised_disputes_its_attribution(actors, clue):
    spanish_colleague = UserFactory(agency=actors.agency_abroad)
    assessment_create(
        actor=actors.same_country, clue=clue, verdict=RECOGNISED, attributions=[("ES", "", "low")]
    )
    assessment_create(actor=spanish_colleague, clue=clue, verdict=NOT_RECOGNISED)
    (spain,) = assessment_consensus(assessment_list(actor=actors.owner, clue=clue)).attributions
    assert spain.disputed
    assert "in ES does not recognise" in spain.why_disputed


def test_no_majority_is_said_as_such(actors, clue):
    assessment_create(actor=actors.abroad, clue=clue, verdict=UNSURE)
    assessment_create(actor=actors.same_country, clue=clue, verdict=NOT_RECOGNISED)
    consensus = assessment_consensus(assessment_list(actor=actors.owner, clue=clue))
    assert consensus.verdict is None
    assert str(consensus.verdict_label) == "No majority"


# --- Who hears of it ---------------------------------------------------------------------


def test_the_author_and_followers_who_see_the_clue_are_told(
    actors, series, django_capture_on_commit_callbacks
):
    clue = ClueFactory(actor=actors.owner, series=series, distribution=Distribution.COUNTRY)
    series_follow(actor=actors.same_country, series=series)  # sees the country-level clue
    series_follow(actor=actors.abroad, series=series)  # the series, but not this clue
    with django_capture_on_commit_callbacks(execute=True):
        assessment_create(actor=actors.coordinator, clue=clue, verdict=UNSURE)
    told = Notification.objects.filter(kind=NotificationKind.CLUE_ASSESSED)
    assert {n.recipient for n in told} == {actors.owner, actors.same_country}
    notification = told.get(recipient=actors.owner)
    assert (notification.subject_type, notification.subject_ref) == ("clue", str(clue.pk))
    assert clue.title in notification.message and "unsure" in notification.message


def test_an_outsider_follower_of_the_series_hears_nothing_of_a_hidden_clue(
    actors, series, django_capture_on_commit_callbacks
):
    """The outsider recipient test of the kind ``clue_assessed``."""
    hidden = ClueFactory(
        actor=actors.owner,
        series=series,
        distribution=Distribution.AGENCY,
        title="Hidden lighthouse print",
    )
    series_follow(actor=actors.abroad, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_create(actor=actors.colleague, clue=hidden, verdict=RECOGNISED)
    assert not Notification.objects.filter(recipient=actors.abroad).exists()
    everything = " ".join(Notification.objects.values_list("message", flat=True))
    assert Notification.objects.filter(recipient=actors.owner).exists()
    # Even when the outsider later opens their list, the clue's link is withheld.
    from cases.selectors.notifications import notification_rows

    planted = Notification(
        recipient=actors.abroad,
        kind="clue_assessed",
        subject_type="clue",
        subject_ref=str(hidden.pk),
        message="x",
    )
    (row,) = notification_rows(actor=actors.abroad, notifications=[planted])
    assert row.page_url is None and row.api_url is None
    assert "Hidden lighthouse print" in everything  # only the owner's agency was told


def test_the_assessor_is_not_told_of_their_own_assessment(
    actors, clue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment_create(actor=actors.owner, clue=clue, verdict=UNSURE)
    assert not Notification.objects.exists()


# --- Page and API --------------------------------------------------------------------------


def test_the_clue_page_shows_the_consensus_and_takes_an_assessment(actors, clue):
    client = signed_in_client(actors.abroad)
    page = client.get(reverse("clue-detail", args=[clue.pk]))
    assert b"Nobody has assessed this clue yet." in page.content
    response = client.post(
        reverse("clue-assess", args=[clue.pk]),
        {
            "verdict": "recognised",
            "country_1": "ES",
            "place_1": "Valencia",
            "confidence_1": "high",
            "confidence_2": "medium",
            "confidence_3": "medium",
            "comment": "Spanish plate.",
        },
    )
    assert response.status_code == 302
    page = signed_in_client(actors.owner).get(reverse("clue-detail", args=[clue.pk]))
    text = page.content.decode()
    assert 'data-testid="consensus"' in text and "Recognised" in text
    assert "Valencia" in text and "Spanish plate." in text
    assert 'data-testid="verdict-recognised">1<' in text


def test_a_bad_assessment_form_is_answered_400_with_the_field_named(actors, clue):
    client = signed_in_client(actors.abroad)
    response = client.post(
        reverse("clue-assess", args=[clue.pk]),
        {"verdict": "not_recognised", "country_1": "ES", "confidence_1": "high"},
    )
    assert response.status_code == 400
    assert "attributes it to no country" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_api_lists_and_creates_assessments(actors, clue):
    client = api_client_for(actors.abroad)
    url = reverse("api-clue-assessments", args=[clue.pk])
    created = client.post(
        url,
        {
            "verdict": "recognised",
            "attributions": [{"country": "es", "place_text": "Valencia", "confidence": "high"}],
            "comment": "Spanish plate.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["attributions"] == [
        {"country": "ES", "place_text": "Valencia", "confidence": "high"}
    ]
    assert created.json()["agency"]["name"] == actors.agency_abroad.name
    listed = api_client_for(actors.owner).get(url).json()
    assert listed["consensus"]["verdict"] == "recognised"
    assert listed["consensus"]["attributions"][0]["country"] == "ES"
    assert [a["id"] for a in listed["assessments"]] == [created.json()["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"verdict": "recognised", "assessor": 1},
        {"verdict": 3},
        {"verdict": "recognised", "attributions": [{"country": "XX"}]},
        {"verdict": "recognised", "attributions": "NL"},
        {"verdict": "recognised", "comment": ["a"]},
        {"verdict": "recognised", "attributions": [{"country": "NL"}] * 11},
    ],
)
def test_the_api_refuses_bad_assessments_with_400(actors, clue, body):
    response = api_client_for(actors.abroad).post(
        reverse("api-clue-assessments", args=[clue.pk]), body, format="json"
    )
    assert response.status_code == 400, response.content
    assert "error" in response.json()
    assert not Assessment.objects.exists()


def test_a_hidden_clues_assessments_answer_404(actors, agency_level):
    url = reverse("api-clue-assessments", args=[agency_level.clue.pk])
    assert api_client_for(actors.abroad).get(url).status_code == 404
    assert (
        api_client_for(actors.abroad).post(url, {"verdict": "unsure"}, format="json").status_code
        == 404
    )


def test_a_series_of_another_country_keeps_its_assessments_from_outsiders(actors):
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.COUNTRY)
    clue = ClueFactory(actor=actors.owner, series=series, distribution=Distribution.NETWORK)
    assessment_create(actor=actors.same_country, clue=clue, verdict=UNSURE)
    # The clue is network-wide but its series is not: the assessment follows both.
    assert not Assessment.objects.visible_to(actors.abroad).exists()
