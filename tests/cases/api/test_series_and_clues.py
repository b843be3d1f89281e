"""The casework API: bad input, conflicts, deconfliction, read auditing, query counts."""

from __future__ import annotations

import base64

import pytest

from cases.choices import Distribution
from cases.models import Clue, ClueCountryHypothesis, DeconflictionNotice, KnownHash, Series
from tests.conftest import api_client_for, signed_in_client
from tests.factories import ClueFactory, KnownHashFactory, SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def _counts() -> tuple[int, ...]:
    return (
        Series.objects.count(),
        Clue.objects.count(),
        ClueCountryHypothesis.objects.count(),
        KnownHash.objects.count(),
    )


def _clue_body(series: Series, /, **overrides):
    body = {
        "series": series.code,
        "taxonomy_node": "sockets",
        "title": "Wall socket",
        "description": "Recessed socket, cream coloured.",
        "languages": ["nld"],
        "country_hypotheses": [{"country": "NL", "confidence": "high"}],
        "distribution": "network",
    }
    body.update(overrides)
    return body


def test_an_investigator_creates_a_series_and_a_clue_and_reads_them_back(actors):
    client = api_client_for(actors.owner)
    response = client.post(
        "/api/v1/series", {"title": "Blue room", "distribution": "country"}, format="json"
    )
    assert response.status_code == 201, response.content
    series = response.json()
    assert series["code"].startswith("SER-") and series["version"] == 1
    assert series["can_edit"] is True and series["hash_count"] == 0
    response = client.post(
        "/api/v1/clues", _clue_body(Series.objects.get(code=series["code"])), format="json"
    )
    assert response.status_code == 201, response.content
    clue = response.json()
    assert clue["series"] == series["code"]
    assert clue["taxonomy_node"]["path"] == "electrical/sockets/"
    assert clue["country_hypotheses"] == [{"country": "NL", "confidence": "high"}]
    assert client.get(f"/api/v1/clues/{clue['id']}").json()["title"] == "Wall socket"


BAD_CLUES = [
    ({"title": "t" * 201}, "title"),
    ({"description": "d" * 5001}, "description"),
    ({"description": "See data:image/png;base64,iVBORw0KGgoAAAANSUhEUg"}, "description"),
    ({"description": "Blob " + "QUJD" * 40}, "description"),
    ({"description": "Write to someone@example.org"}, "description"),
    ({"place_text": "Call +34 600 123 456"}, "place_text"),
    ({"taxonomy_node": "no-such-kind"}, "taxonomy_node"),
    ({"country_hypotheses": [{"country": "XX", "confidence": "high"}]}, "country_hypotheses"),
    ({"languages": ["zzz"]}, "languages"),
    ({"languages": ["english"]}, "languages"),
    ({"distribution": "everyone"}, "distribution"),
    ({"series": "SER-2026-999999"}, "series"),
    ({"time_from": "2025-02-01", "time_to": "2025-01-01"}, "time_to"),
]


@pytest.mark.parametrize("overrides,field", BAD_CLUES, ids=[f for _o, f in BAD_CLUES])
def test_a_bad_clue_answers_400_with_field_errors_and_writes_nothing(
    actors, series, overrides, field
):
    before = _counts()
    response = api_client_for(actors.owner).post(
        "/api/v1/clues", _clue_body(series, **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert _counts() == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"title": "x" * 201, "distribution": "agency"}, "title"),
        ({"title": "Call 0612345678", "distribution": "agency"}, "title"),
        ({"title": "Ok", "distribution": "agency", "summary": "s" * 5001}, "summary"),
        ({"title": "Ok", "distribution": "group"}, "sharing_group"),
        ({"title": "Ok"}, "distribution"),
    ],
)
def test_a_bad_series_answers_400_and_writes_nothing(actors, body, field):
    response = api_client_for(actors.owner).post("/api/v1/series", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "entry,problem",
    [
        ({"algorithm": "md5", "value": MD5[:-1]}, "31"),
        ({"algorithm": "sha256", "value": MD5}, "64"),
        ({"algorithm": "photodna", "value": base64.b64encode(b"x" * 100).decode()}, "144"),
        ({"algorithm": "md5", "value": "not hex at all, not hex at all!!"}, "hexadecimal"),
    ],
)
def test_bad_hashes_answer_400_naming_the_entry_and_nothing_is_added(
    actors, series, entry, problem
):
    entries = [{"algorithm": "md5", "value": MD5}, entry]
    response = api_client_for(actors.owner).post(
        f"/api/v1/series/{series.code}/hashes", {"entries": entries}, format="json"
    )
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["entries"]
    assert messages[0].startswith("Entry 1:") and problem in messages[0]
    assert not KnownHash.objects.exists()


def test_more_than_ten_thousand_hashes_answer_413_and_nothing_is_added(actors, series):
    entries = [{"algorithm": "sha256", "value": f"{i:064x}"} for i in range(10_001)]
    response = api_client_for(actors.owner).post(
        f"/api/v1/series/{series.code}/hashes", {"entries": entries}, format="json"
    )
    assert response.status_code == 413
    assert "10000" in response.json()["error"]["message"]
    assert not KnownHash.objects.exists()


def test_ten_thousand_hashes_are_added_at_once(actors, series):
    entries = [{"algorithm": "sha256", "value": f"{i:064X}"} for i in range(10_000)]
    response = api_client_for(actors.owner).post(
        f"/api/v1/series/{series.code}/hashes", {"entries": entries}, format="json"
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json() == {"added": 10_000}
    assert KnownHash.objects.filter(series=series, source="api").count() == 10_000


def test_a_hash_known_in_a_hidden_series_answers_409_without_naming_it(actors):
    hidden = SeriesFactory(actor=actors.owner, title="Secret harbour")
    KnownHashFactory(series=hidden, value=MD5)
    theirs = SeriesFactory(actor=actors.abroad, title="Their series")

    response = api_client_for(actors.abroad).post(
        f"/api/v1/series/{theirs.code}/hashes",
        {"entries": [{"algorithm": "md5", "value": MD5.upper()}]},
        format="json",
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "hash_conflict"
    assert error["conflicts"] == [{"index": 0, "algorithm": "md5", "value": MD5}]
    assert hidden.code not in response.content.decode()
    assert "Secret harbour" not in response.content.decode()
    assert not KnownHash.objects.filter(series=theirs).exists()
    notice = DeconflictionNotice.objects.get()
    assert (notice.existing_agency, notice.requesting_agency) == (
        actors.agency,
        actors.agency_abroad,
    )
    assert (notice.existing_series, notice.requesting_series) == (hidden, theirs)


def test_a_hash_known_in_a_visible_series_names_it(actors, series):
    KnownHashFactory(series=series, value=MD5)
    theirs = SeriesFactory(actor=actors.abroad, title="Their series")
    response = api_client_for(actors.abroad).post(
        f"/api/v1/series/{theirs.code}/hashes",
        {"entries": [{"algorithm": "md5", "value": MD5}]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["conflicts"][0]["series"] == series.code


def test_a_stale_version_answers_409_with_the_current_version(actors, clue):
    client = api_client_for(actors.owner)
    url = f"/api/v1/clues/{clue.pk}"
    assert client.patch(url, {"version": 1, "status": "resolved"}, format="json").status_code == 200
    response = client.patch(url, {"version": 1, "title": "Lost"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_conflict"
    assert response.json()["error"]["current_version"] == 2
    assert Clue.objects.get(pk=clue.pk).title != "Lost"


def test_an_update_without_a_version_is_refused(actors, series):
    response = api_client_for(actors.owner).patch(
        f"/api/v1/series/{series.code}", {"title": "No version"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_an_update_replaces_country_hypotheses(actors, clue):
    response = api_client_for(actors.owner).patch(
        f"/api/v1/clues/{clue.pk}",
        {"version": 1, "country_hypotheses": [{"country": "de", "confidence": "low"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["country_hypotheses"] == [{"country": "DE", "confidence": "low"}]
    assert response.json()["version"] == 2


def test_a_clue_on_a_series_one_cannot_see_is_hidden_even_at_network_level(actors):
    hidden = SeriesFactory(actor=actors.owner, title="Hidden")
    clue = ClueFactory(
        series=hidden,
        title="Network clue",
        description="Visible level, invisible series.",
        distribution="network",
    )
    client = api_client_for(actors.abroad)
    assert client.get(f"/api/v1/clues/{clue.pk}").status_code == 404
    assert client.get("/api/v1/clues").json()["results"] == []
    assert client.get(f"/api/v1/series/{hidden.code}/hashes").status_code == 404


def test_reads_write_audit_events_with_actor_target_and_query(actors, series, clue):
    client = api_client_for(actors.abroad)
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    client.get("/api/v1/series", {"status": "active"})
    client.get(f"/api/v1/series/{series.code}")
    client.get(f"/api/v1/series/{series.code}/hashes")
    client.get("/api/v1/clues", {"q": "socket", "country": "NL"})
    client.get("/api/v1/clues")
    client.get(f"/api/v1/clues/{clue.pk}")
    events = list(AuditEvent.objects.filter(id__gt=start).order_by("id"))
    assert [(e.action, e.actor) for e in events] == [
        ("series.listed", actors.abroad),
        ("series.viewed", actors.abroad),
        ("hashes.listed", actors.abroad),
        ("clue.searched", actors.abroad),
        ("clue.listed", actors.abroad),
        ("clue.viewed", actors.abroad),
    ]
    assert events[0].details == {"filters": {"status": "active"}}
    assert events[1].target_id == str(series.pk)
    assert events[3].details == {"filters": {"q": "socket", "country": "NL"}}
    assert events[5].target_id == str(clue.pk)


def test_bad_filters_answer_400(actors):
    client = api_client_for(actors.owner)
    for url, params, field in [
        ("/api/v1/clues", {"taxonomy": "nope"}, "taxonomy"),
        ("/api/v1/clues", {"created_after": "last tuesday"}, "created_after"),
        ("/api/v1/clues", {"status": "maybe"}, "status"),
        ("/api/v1/series", {"agency": "abc"}, "agency"),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        assert field in response.json()["error"]["fields"]


def test_the_taxonomy_filter_includes_descendants_and_search_uses_websearch(actors, clue):
    client = api_client_for(actors.owner)
    ids = [
        c["id"] for c in client.get("/api/v1/clues", {"taxonomy": "electrical"}).json()["results"]
    ]
    assert ids == [clue.pk]
    assert client.get("/api/v1/clues", {"taxonomy": "flora"}).json()["results"] == []
    found = client.get("/api/v1/clues", {"q": '"earthing clips" -palm'}).json()["results"]
    assert [c["id"] for c in found] == [clue.pk]


def test_lists_paginate_with_a_cursor(actors):
    for i in range(3):
        SeriesFactory(actor=actors.owner, title=f"Series {i}")
    client = api_client_for(actors.owner)
    first = client.get("/api/v1/series", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    titles = [s["title"] for s in first["results"] + second["results"]]
    assert titles == ["Series 2", "Series 1", "Series 0"]


def _populate(actors, count: int) -> None:
    """``count`` network-wide series of the owner, each with a hash value and a clue."""
    for series in SeriesFactory.create_batch(count, actor=actors.owner, distribution="network"):
        KnownHashFactory(series=series)
        ClueFactory(
            series=series,
            description="Cream socket.",
            country_hypotheses=[("NL", "high"), ("BE", "low")],
            distribution=Distribution.NETWORK,
        )


@pytest.mark.parametrize("url", ["/api/v1/series", "/api/v1/clues", "/api/v1/sharing-groups"])
def test_list_query_counts_stay_flat(actors, task_force, url, django_assert_max_num_queries):
    client = api_client_for(actors.abroad)
    _populate(actors, 2)
    client.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _populate(actors, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_an_api_session_without_second_factor_is_refused_with_mfa_required(actors):
    client = signed_in_client(actors.owner, verified=False)
    response = client.get("/api/v1/clues")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


@pytest.mark.parametrize("who,code", [("oversight", "wrong_role"), ("auditor", "wrong_role")])
def test_non_casework_roles_get_403_with_a_code(actors, who, code):
    response = api_client_for(getattr(actors, who)).get("/api/v1/series")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == code


def test_only_the_authors_agency_deletes_and_the_deletion_is_audited(actors, clue):
    assert api_client_for(actors.abroad).delete(f"/api/v1/clues/{clue.pk}").status_code == 403
    response = api_client_for(actors.colleague).delete(f"/api/v1/clues/{clue.pk}")
    assert response.status_code == 204
    assert not Clue.objects.filter(pk=clue.pk).exists()
    assert AuditEvent.objects.filter(action="clue.deleted", target_id=str(clue.pk)).exists()
