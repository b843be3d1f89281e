"""Claims and deconfliction: who works a series, and agencies told about each other."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.choices import Distribution
from cases.models import Claim, CoordinationNotice, Series
from cases.selectors import active_claims, agency_claims, notices_for
from cases.services import claim_set, claim_withdraw, notice_acknowledge, series_follow
from tests.conftest import api_client_for, signed_in_client
from tests.factories import DeconflictionNoticeFactory, SeriesFactory
from victimid.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

LATER = timezone.localdate() + datetime.timedelta(days=60)


def test_an_agency_claims_a_series_it_sees_and_renews_it(actors, series):
    claim = claim_set(actor=actors.owner, series=series, contact="VID desk", expires_on=LATER)
    renewed = claim_set(
        actor=actors.colleague, series=series, contact="Night desk", expires_on=LATER
    )
    assert renewed.pk == claim.pk and renewed.contact == "Night desk"
    assert [c.agency for c in active_claims(actor=actors.abroad, series=series)] == [actors.agency]
    assert list(agency_claims(actor=actors.colleague)) == [renewed]


def test_claims_are_seen_with_their_series_only(actors, agency_level):
    claim_set(actor=actors.owner, series=agency_level.series, contact="desk", expires_on=LATER)
    assert not Claim.objects.visible_to(actors.abroad).exists()
    with pytest.raises(Http404):
        claim_set(actor=actors.abroad, series=agency_level.series, contact="x", expires_on=LATER)


@pytest.mark.parametrize(
    ("contact", "expires_on", "field"),
    [
        ("", LATER, "contact"),
        ("x" * 201, LATER, "contact"),
        ("desk", timezone.localdate() - datetime.timedelta(days=1), "expires_on"),
        ("desk", timezone.localdate() + datetime.timedelta(days=400), "expires_on"),
    ],
)
def test_bad_claims_are_refused(actors, series, contact, expires_on, field):
    with pytest.raises(ValidationError) as refused:
        claim_set(actor=actors.owner, series=series, contact=contact, expires_on=expires_on)
    assert field in refused.value.message_dict
    assert not Claim.objects.exists()


def test_expired_and_withdrawn_claims_are_not_active(actors, series):
    claim = claim_set(actor=actors.owner, series=series, contact="desk", expires_on=LATER)
    Claim.objects.filter(pk=claim.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(1)
    )
    assert not active_claims(actor=actors.owner, series=series).exists()
    claim_set(actor=actors.owner, series=series, contact="desk", expires_on=LATER)
    claim_withdraw(actor=actors.owner, series=series)
    assert not active_claims(actor=actors.owner, series=series).exists()
    with pytest.raises(Http404):
        claim_withdraw(actor=actors.owner, series=series)


def test_two_claiming_agencies_learn_only_each_others_name_and_contact(
    actors, series, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim_set(actor=actors.owner, series=series, contact="NL desk", expires_on=LATER)
        claim_set(actor=actors.abroad, series=series, contact="ES desk", expires_on=LATER)
        # Claiming again tells nobody twice.
        claim_set(actor=actors.abroad, series=series, contact="ES desk", expires_on=LATER)
    to_owner = notices_for(actor=actors.owner).coordination
    to_abroad = notices_for(actor=actors.abroad).coordination
    assert [(n.other_agency_name, n.other_contact) for n in to_owner] == [
        (actors.agency_abroad.name, "ES desk")
    ]
    assert [(n.other_agency_name, n.other_contact) for n in to_abroad] == [
        (actors.agency.name, "NL desk")
    ]
    told = Notification.objects.filter(kind=NotificationKind.DECONFLICTION)
    assert {n.recipient for n in told} >= {actors.owner, actors.colleague, actors.abroad}
    for notification in told:
        assert series.title not in notification.message
    assert CoordinationNotice.objects.count() == 2


def test_a_follower_and_a_claimant_learn_of_each_other(actors, series):
    claim_set(actor=actors.owner, series=series, contact="NL desk", expires_on=LATER)
    series_follow(actor=actors.abroad, series=series)
    (row,) = notices_for(actor=actors.abroad).coordination
    assert row.other_agency_name == actors.agency.name and row.other_contact == "NL desk"
    (row,) = notices_for(actor=actors.owner).coordination
    assert row.other_agency_name == actors.agency_abroad.name
    assert row.other_reason == "follows the series"


def test_an_outsider_hears_nothing_of_a_series_it_may_not_see(
    actors, django_capture_on_commit_callbacks
):
    """The outsider recipient test of claim notices (kind ``deconfliction``): an agency
    that followed the series while it was shared with the network, and so is a party to
    the deconfliction, no longer sees it once it is kept to its country — and hears
    nothing of it, while a party that still sees it does (the control)."""
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    with django_capture_on_commit_callbacks(execute=True):
        series_follow(actor=actors.abroad, series=series)
        series_follow(actor=actors.same_country, series=series)
    Series.objects.filter(pk=series.pk).update(distribution=Distribution.COUNTRY)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        claim_set(actor=actors.owner, series=series, contact="NL desk", expires_on=LATER)
    assert notices_for(actor=actors.same_country).coordination  # the party who sees it
    assert not Notification.objects.filter(recipient__agency=actors.abroad.agency).exists()
    assert notices_for(actor=actors.abroad).coordination == []
    for notification in Notification.objects.all():
        assert series.title not in notification.message


def test_notices_are_acknowledged_by_their_agency_only(actors, series):
    claim_set(actor=actors.owner, series=series, contact="NL desk", expires_on=LATER)
    claim_set(actor=actors.abroad, series=series, contact="ES desk", expires_on=LATER)
    (row,) = notices_for(actor=actors.owner).coordination
    with pytest.raises(Http404):
        notice_acknowledge(actor=actors.abroad, kind="series", notice_id=row.notice_id)
    notice_acknowledge(actor=actors.colleague, kind="series", notice_id=row.notice_id)
    assert notices_for(actor=actors.owner).coordination[0].acknowledged
    assert not notices_for(actor=actors.abroad).coordination[0].acknowledged
    hash_notice = DeconflictionNoticeFactory(
        existing_series__actor=actors.owner, requesting_series__actor=actors.abroad
    )
    notice_acknowledge(actor=actors.owner, kind="hash", notice_id=hash_notice.pk)
    hash_notice.refresh_from_db()
    assert hash_notice.holder_acknowledged_at and not hash_notice.requester_acknowledged_at
    with pytest.raises(Http404):
        notice_acknowledge(actor=actors.same_country, kind="hash", notice_id=hash_notice.pk)


def test_the_series_page_dashboard_and_notices_page_show_claims(actors, series):
    claim_set(actor=actors.abroad, series=series, contact="ES desk", expires_on=LATER)
    client = signed_in_client(actors.owner)
    page = client.get(reverse("series-detail", args=[series.code])).content.decode()
    assert 'data-testid="claim"' in page and "ES desk" in page
    response = client.post(
        reverse("series-claim", args=[series.code]),
        {"contact": "NL desk", "expires_on": LATER.isoformat()},
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert series.code in dashboard.split('data-testid="dash-claims"')[1]
    notices = client.get(reverse("notices")).content.decode()
    assert "ES desk" in notices and "1 notice not yet acknowledged." in notices
    bad = client.post(reverse("series-claim", args=[series.code]), {"contact": ""})
    assert bad.status_code == 400


def test_the_api_claims_lists_withdraws_and_acknowledges(actors, series):
    owner = api_client_for(actors.owner)
    url = reverse("api-series-claims", args=[series.code])
    created = owner.post(
        url, {"contact": "NL desk", "expires_on": LATER.isoformat()}, format="json"
    )
    assert created.status_code == 201, created.content
    api_client_for(actors.abroad).post(
        url, {"contact": "ES desk", "expires_on": LATER.isoformat()}, format="json"
    )
    assert {c["contact"] for c in owner.get(url).json()} == {"NL desk", "ES desk"}
    notices = owner.get(reverse("api-notices")).json()
    assert notices["unacknowledged"] == 1
    (notice,) = notices["coordination"]
    assert set(notice) >= {"other_agency_name", "other_contact"} and "title" not in str(notice)
    ack = owner.post(reverse("api-notice-acknowledge", args=["series", notice["notice_id"]]))
    assert ack.status_code == 204
    assert owner.get(reverse("api-notices")).json()["unacknowledged"] == 0
    assert owner.delete(url).status_code == 204
    assert owner.delete(url).status_code == 404
    bad = owner.post(url, {"contact": 5, "expires_on": "soon"}, format="json")
    assert bad.status_code == 400
