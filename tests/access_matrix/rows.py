"""Every route of the URL configuration, pages and API, as rows of the access matrix.

A row names a route and a method, the rule from ``truth`` that says what each actor gets,
the route's success status, how to call it for the records of one level, and — for a
list — the text that must appear exactly when the actor may see the record, or — for a
write — whether the write took effect. ``test_every_route_has_a_row`` fails for a route
of the URL configuration without one, so no future route can skip the matrix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.forms import IdentificationEventForm
from cases.models import (
    Assessment,
    Claim,
    Clue,
    CoordinationNotice,
    CorrelationSuggestion,
    HashImportJob,
    IdentificationEvent,
    KnownHash,
    RoutingRequest,
    Series,
    SeriesFollower,
    TriageJob,
    TriageResult,
    Victim,
)
from cases.selectors import victim_log_position
from tests.access_matrix import truth
from tests.access_matrix.truth import API, PAGE, Rule
from tests.access_matrix.world import ACTORS, HASH_VALUE, Records, World
from tests.factories import (
    AgencyFactory,
    ClueFactory,
    GrantFactory,
    KnownHashFactory,
    SeriesFactory,
    UserFactory,
)
from victimid.choices import Role
from victimid.models import ApiToken


@dataclass
class Case:
    """One actor at one level, with the world and that level's records."""

    world: World
    records: Records
    actor: str
    level: str
    scratch: dict[str, Any]

    @property
    def user(self) -> Any:
        return self.world.user(self.actor)

    def group_id(self) -> int | str:
        return self.world.sharing_group.pk if self.level == "group" else ""


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    surface: str
    rule: Rule
    ok: int
    path: Callable[[Case], str]
    body: Callable[[Case], dict[str, Any]] | None = None
    query: Callable[[Case], dict[str, str]] | None = None
    # For a list: the text in the answer exactly when the actor sees the level's record.
    listed: Callable[[Case], str] | None = None
    # Before the call (e.g. make what a revocation withdraws); after it: did the write land?
    prepare: Callable[[Case], None] | None = None
    wrote: Callable[[Case], bool] | None = None
    # Rows that end something run after the others: signing out (2).
    last: int = 0
    # An API write sent as multipart/form-data (an upload) rather than JSON.
    multipart: bool = False

    @property
    def name(self) -> str:
        return f"{self.surface} {self.method.upper()} {self.route}"


# --- Helpers ----------------------------------------------------------------------------------

SEIZURE = HASH_VALUE.encode() + b"\n" + b"9" * 32 + b"\n"


def _triage_job(case: Case, key: str = "done", status: str = "done") -> TriageJob:
    """A job of the owner's (one per ``key``), with a known and a new result when done."""
    if key not in case.scratch:
        owner = case.world.users["owner"]
        job = TriageJob.objects.create(
            created_by=owner,
            agency_id=owner.agency_id,
            status=status,
            file_name=f"seizure-{key}.txt",
            file_format="plain",
            file_bytes=len(SEIZURE),
            expires_at=timezone.now() + timedelta(days=7),
        )
        if status == "done":
            TriageResult.objects.create(
                job=job,
                line=1,
                algorithm="md5",
                value=HASH_VALUE,
                outcome="known_not_identified",
                series=case.records.series,
            )
            TriageResult.objects.create(
                job=job, line=2, algorithm="md5", value="9" * 32, outcome="new"
            )
        case.scratch[key] = job
    return case.scratch[key]


def _job_pk(key: str = "done", status: str = "done") -> Callable[[Case], int]:
    return lambda case: _triage_job(case, key, status).pk


def _job_cancelled(key: str) -> Callable[[Case], bool]:
    return lambda case: TriageJob.objects.filter(
        pk=_triage_job(case, key, "queued").pk, status="cancelled"
    ).exists()


def _seizure(case: Case) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("seizure.txt", SEIZURE)}


def _import_job_pk(case: Case) -> int:
    if "import" not in case.scratch:
        owner = case.world.users["owner"]
        case.scratch["import"] = HashImportJob.objects.create(
            created_by=owner,
            agency_id=owner.agency_id,
            series=case.records.series,
            status="done",
            file_name="set.json",
            file_format="vics",
        )
    return case.scratch["import"].pk


def _queued_import_pk(key: str) -> Callable[[Case], int]:
    """A queued import of the owner's into the level's series (one per ``key``), to stop."""

    def make(case: Case) -> int:
        if key not in case.scratch:
            owner = case.world.users["owner"]
            case.scratch[key] = HashImportJob.objects.create(
                created_by=owner,
                agency_id=owner.agency_id,
                series=case.records.series,
                file_name="set.txt",
                file_format="plain",
            )
        return case.scratch[key].pk

    return make


def _import_cancelled(key: str) -> Callable[[Case], bool]:
    return lambda case: HashImportJob.objects.filter(
        pk=_queued_import_pk(key)(case), status="cancelled"
    ).exists()


def _import_started_by_actor(case: Case) -> bool:
    return HashImportJob.objects.filter(created_by=case.user).exists()


def _doomed_hash(key: str) -> Callable[[Case], KnownHash]:
    """A hash value of the level's series made for one row, so each row changes its own."""

    def make(case: Case) -> KnownHash:
        if key not in case.scratch:
            value = hashlib.md5(f"{key}-{case.level}-{case.actor}".encode()).hexdigest()  # noqa: S324
            case.scratch[key] = KnownHashFactory(series=case.records.series, value=value)
        return case.scratch[key]

    return make


def _other_owned_series(case: Case) -> Series:
    if "move-target" not in case.scratch:
        case.scratch["move-target"] = SeriesFactory(
            actor=case.world.users["owner"], title="Move target"
        )
    return case.scratch["move-target"]


def _triage_started_by_actor(case: Case) -> bool:
    return TriageJob.objects.filter(created_by=case.user).exists()


def _url(name: str, *args: Callable[[Case], Any]) -> Callable[[Case], str]:
    return lambda case: reverse(name, args=[arg(case) for arg in args])


def series_code(case: Case) -> str:
    return case.records.series.code


def clue_link(case: Case) -> str:
    """The link to the clue on a page (its title may carry marked words of a search)."""
    return f'href="{reverse("clue-detail", args=[case.records.clue.pk])}"'


def clue_title(case: Case) -> str:
    """The clue's title as stored now (an earlier row may have renamed it)."""
    return Clue.objects.values_list("title", flat=True).get(pk=case.records.clue.pk)


def clue_pk(case: Case) -> int:
    return case.records.clue.pk


def victim_code(case: Case) -> str:
    return case.records.victim.code


def _version(record: Any) -> int:
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def _new_agency(case: Case, key: str) -> Any:
    """An agency none of the actors works at, one per ``key`` (so rows stay independent)."""
    if key not in case.scratch:
        case.scratch[key] = AgencyFactory(name=f"Agency Nobody Works At ({key})", country="DE")
    return case.scratch[key]


def _granted_to_new_agency(record: Callable[[Case], Any], key: str) -> Callable[[Case], bool]:
    def wrote(case: Case) -> bool:
        from cases.access import grant_models

        target = record(case)
        agency_grants = grant_models(target)[1]
        return agency_grants.objects.filter(
            content_object=target, group=_new_agency(case, key).permission_group
        ).exists()

    return wrote


def _grant_new_agency(record: Callable[[Case], Any], key: str) -> Callable[[Case], None]:
    return lambda case: GrantFactory(record=record(case), agency=_new_agency(case, key))


def _revoked(record: Callable[[Case], Any], key: str) -> Callable[[Case], bool]:
    granted = _granted_to_new_agency(record, key)
    return lambda case: not granted(case)


def _revoke_path(route: str, address: Callable[[Case], Any], key: str) -> Callable[[Case], str]:
    return lambda case: reverse(route, args=[address(case), f"agency-{_new_agency(case, key).pk}"])


def _series(case: Case) -> Series:
    return case.records.series


def _clue(case: Case) -> Clue:
    return case.records.clue


def _victim(case: Case) -> Victim:
    return case.records.victim


def _title_of(record: Callable[[Case], Any], title: str) -> Callable[[Case], bool]:
    return lambda case: type(record(case)).objects.filter(pk=record(case).pk, title=title).exists()


def _created_by_actor(model: Any, **fields: Any) -> Callable[[Case], bool]:
    return lambda case: model.objects.filter(created_by=case.user, **fields).exists()


def _events_by_actor(case: Case) -> bool:
    return IdentificationEvent.objects.filter(
        victim=case.records.victim, recorded_by=case.user
    ).exists()


def _confirmed_outcome(case: Case) -> dict[str, Any]:
    """The outcome form's confirming POST: the values and the summary's signed token.

    The first POST only shows the summary (tests/cases/test_victim_outcome_confirmation.py);
    the write, and so who may make it, is the confirmation's.
    """
    values = {"kind": "provisionally_identified", "occurred_on": "2026-10-01", "note": ""}
    if case.user is None:
        return {**values, "confirm": "1", "confirmation": ""}
    form = IdentificationEventForm(values, correctable=IdentificationEvent.objects.none())
    assert form.is_valid(), form.errors
    victim = case.records.victim
    token = form.confirmation_token(
        actor=case.user,
        victim=victim,
        seen_up_to=victim_log_position(actor=case.world.users["owner"], victim=victim),
    )
    return {**values, "confirm": "1", "confirmation": token}


def _following(case: Case) -> bool:
    return SeriesFollower.objects.filter(series=case.records.series, user=case.user).exists()


def _unfollow(case: Case) -> None:
    SeriesFollower.objects.filter(series=case.records.series, user=case.user).delete()


def _follow(case: Case) -> None:
    # Every actor follows first, also one who may not see the series (series_follow would
    # refuse them: written directly), so that a refused unfollow shows: the row stays.
    if case.user is not None:
        SeriesFollower.objects.get_or_create(series=case.records.series, user=case.user)


def _doomed_clue(case: Case) -> Clue:
    """A clue at the case's level made for one deleting row, so each row deletes its own."""
    if "doomed" not in case.scratch:
        group = case.world.sharing_group if case.level == "group" else None
        case.scratch["doomed"] = ClueFactory(
            actor=case.world.users["owner"],
            series=case.records.series,
            distribution=case.level,
            sharing_group=group,
        )
        for grantee in ("user_grantee", "agency_grantee"):
            user = case.world.users[grantee]
            target = {"user": user} if grantee == "user_grantee" else {"agency": user.agency}
            GrantFactory(record=case.scratch["doomed"], **target)
    return case.scratch["doomed"]


def _make_doomed_clue(case: Case) -> None:
    case.scratch.pop("doomed", None)
    _doomed_clue(case)


def _doomed_clue_gone(case: Case) -> bool:
    return not Clue.objects.filter(pk=_doomed_clue(case).pk).exists()


def _assessed_by_actor(case: Case) -> bool:
    return Assessment.objects.filter(clue=case.records.clue, assessor=case.user).exists()


def _coordinator_in(case: Case, country: str) -> None:
    """A coordinator in ``country`` (none of the actors), so that it can be asked."""
    if f"coordinator-{country}" not in case.scratch:
        case.scratch[f"coordinator-{country}"] = UserFactory(
            agency=AgencyFactory(name=f"Police of {country}", country=country),
            roles=[Role.COORDINATOR],
        )


def _asked(country: str) -> Callable[[Case], bool]:
    return lambda case: RoutingRequest.objects.filter(
        clue=case.records.clue, country=country, asked_by=case.user
    ).exists()


def _routed(key: str) -> Callable[[Case], RoutingRequest]:
    """A request routing a new clue at the case's level to the coordinator's country (NL).

    A clue of its own (granted like the level's records), so that the access it gives the
    coordinator, and the investigator it is passed to, changes no other row.
    """

    def routed(case: Case) -> RoutingRequest:
        if key not in case.scratch:
            from cases.services import clue_route

            group = case.world.sharing_group if case.level == "group" else None
            owner = case.world.users["owner"]
            clue = ClueFactory(
                actor=owner,
                series=case.records.series,
                distribution=case.level,
                sharing_group=group,
                title=f"Routed stove {key}",
            )
            GrantFactory(record=clue, user=case.world.users["user_grantee"])
            GrantFactory(record=clue, agency=case.world.users["agency_grantee"].agency)
            (case.scratch[key],) = clue_route(actor=owner, clue=clue, countries=["NL"])
        return case.scratch[key]

    return routed


def _passed_to_same_country(key: str) -> Callable[[Case], bool]:
    return lambda case: RoutingRequest.objects.filter(
        pk=_routed(key)(case).pk, assignee=case.world.users["same_country"]
    ).exists()


def _withdrawn(key: str) -> Callable[[Case], bool]:
    return lambda case: RoutingRequest.objects.filter(
        pk=_routed(key)(case).pk, status="withdrawn"
    ).exists()


def _routing_pass(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    """Passing a request to NL: its coordinator (who sees the clue through the request);
    403 for others who see the clue by its level, 404 for the rest."""
    gate = truth.casework(surface, actor, level, ok)
    if not gate.allowed or actor == "coordinator":
        return gate
    return truth.Expect(403 if truth.sees(actor, level) else 404, allowed=False)


def _routing_withdraw(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    """Withdrawing: the owning agency; the asked coordinator sees the clue, so 403."""
    expect = truth.changes(surface, actor, level, ok)
    if actor == "coordinator":
        return truth.Expect(403, allowed=False)
    return expect


def _claimed_by_actor(case: Case) -> bool:
    return Claim.objects.filter(series=case.records.series, created_by=case.user).exists()


def _claim_body(case: Case) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    return {
        "contact": "Matrix desk",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


def _notice_to_owner(key: str) -> Callable[[Case], CoordinationNotice]:
    """A notice to the owning agency about another agency on the level's series."""

    def notice(case: Case) -> CoordinationNotice:
        if key not in case.scratch:
            case.scratch[key] = CoordinationNotice.objects.create(
                series=case.records.series,
                agency=case.world.owning_agency,
                other_agency=_new_agency(case, key),
                other_reason="claim",
                other_contact="Other desk",
            )
        return case.scratch[key]

    return notice


def _acknowledged(key: str) -> Callable[[Case], bool]:
    return lambda case: CoordinationNotice.objects.filter(
        pk=_notice_to_owner(key)(case).pk, acknowledged_at__isnull=False
    ).exists()


def _owning_agency_only(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    """A notice to the owning agency: its people acknowledge it; it is nobody else's (404)."""
    gate = truth.casework(surface, actor, level, ok)
    if not gate.allowed or actor in truth.OWNING_AGENCY:
        return gate
    return truth.Expect(404, allowed=False)


def _suggestion(key: str) -> Callable[[Case], CorrelationSuggestion]:
    """A suggestion linking the level's clue to a network-wide clue of another series."""

    def suggestion(case: Case) -> CorrelationSuggestion:
        if key not in case.scratch:
            owner = case.world.users["owner"]
            other = ClueFactory(
                actor=owner,
                series=SeriesFactory(actor=owner, distribution="network"),
                distribution="network",
                title=f"Related socket {key}",
            )
            a, b = sorted((case.records.clue.pk, other.pk))
            case.scratch[key] = CorrelationSuggestion.objects.create(
                clue_a_id=a, clue_b_id=b, score=5.0, reasons=["same kind of clue: Sockets"]
            )
        return case.scratch[key]

    return suggestion


def _decided(key: str) -> Callable[[Case], bool]:
    return lambda case: CorrelationSuggestion.objects.filter(
        pk=_suggestion(key)(case).pk, decided_at__isnull=False
    ).exists()


def _hash_added(value: str) -> Callable[[Case], bool]:
    return lambda case: KnownHash.objects.filter(series=case.records.series, value=value).exists()


def _series_form(case: Case, title: str) -> dict[str, Any]:
    return {
        "version": _version(case.records.series),
        "title": title,
        "status": "active",
        "distribution": case.level,
        "sharing_group": case.group_id(),
        "summary": "",
    }


def _clue_form(case: Case, title: str, *, version: bool) -> dict[str, Any]:
    body = {
        "taxonomy_node": case.records.clue.taxonomy_node_id,
        "title": title,
        "description": "A recessed wall socket beside a lighthouse print.",
        "status": "open",
        "distribution": "agency",
        "sharing_group": "",
        **{f"confidence_{row}": "medium" for row in (1, 2, 3)},
    }
    if version:
        body |= {"version": _version(case.records.clue), "distribution": case.level}
        body["sharing_group"] = case.group_id()
    return body


def _victim_form(case: Case, *, version: bool) -> dict[str, Any]:
    body = {
        "series_codes": case.records.series.code,
        "age_band": "7-10",
        "distribution": "agency",
        "sharing_group": "",
        "notes": "",
    }
    if version:
        body |= {"version": _version(case.records.victim), "distribution": case.level}
        body["sharing_group"] = case.group_id()
    return body


def _age_band_is(band: str) -> Callable[[Case], bool]:
    return lambda case: Victim.objects.filter(pk=case.records.victim.pk, age_band=band).exists()


def _user_id(name: str) -> Callable[[Case], int]:
    return lambda case: case.world.users[name].pk


def _own_token(case: Case) -> int:
    """A token of the owner: nobody else may revoke it; the owner may."""
    if "token" not in case.scratch:
        from victimid.services.tokens import api_token_issue

        record, _secret = api_token_issue(user=case.world.users["owner"], name="matrix", days=5)
        case.scratch["token"] = record
    return case.scratch["token"].pk


def _token_revoked(case: Case) -> bool:
    return ApiToken.objects.filter(pk=_own_token(case), revoked_at__isnull=False).exists()


def _own_session(case: Case) -> int:
    """A browser session of the owner (signed in elsewhere): only the owner may end it."""
    if "session" not in case.scratch:
        from victimid.models import UserSession

        case.scratch["session"] = UserSession.objects.create(
            user=case.world.users["owner"], sid=f"matrix{case.actor}{case.level}"[:32]
        )
    return case.scratch["session"].pk


def _session_ended(case: Case) -> bool:
    from victimid.models import UserSession

    return UserSession.objects.filter(pk=_own_session(case), ended_at__isnull=False).exists()


def _fresh_code(case: Case) -> dict[str, str]:
    """Ending a session or a token asks for a fresh one-time code of the actor (ASVS 7.5.2);
    actors without an authenticator send none, and are refused before it matters."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.victimid.support import fresh_code

    user = case.world.users.get(case.actor)
    if user is None or not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return {}
    return {"token": fresh_code(user)}


_SIGNED_IN = truth.CASEWORK | truth.SIGNED_IN_WITHOUT_CASEWORK
_visitors = truth.by_actor({name: 302 for name in _SIGNED_IN})


# --- Rules for level-free records: sharing groups ---------------------------------------------

GROUP_SEES = {"owner", "group_member"}  # the managing agency and the member agency


def _group_reads(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    expect = truth.casework(surface, actor, level, ok)
    if expect.allowed and actor not in GROUP_SEES:
        return truth.Expect(404, allowed=False)
    return expect


def _group_manages(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    # Only the managing agency's coordinators change members; no actor is one of them.
    expect = _group_reads(surface, actor, level, ok)
    return truth.Expect(403, allowed=False) if expect.allowed else expect


def _group_creates(surface: str, actor: str, level: str, ok: int) -> truth.Expect:
    expect = truth.casework(surface, actor, level, ok)
    if expect.allowed and actor != "coordinator":
        return truth.Expect(403, allowed=False)
    return expect


# --- The rows -----------------------------------------------------------------------------

ROWS: list[Row] = [
    # Health probes and the admin site.
    Row("healthz", "get", PAGE, truth.anyone, 200, _url("healthz")),
    Row("readyz", "get", PAGE, truth.anyone, 200, _url("readyz")),
    # Operators only, by a token no user holds (tests/victimid/test_metrics.py): to every
    # actor, signed in or not, the route does not exist.
    Row("metrics", "get", PAGE, truth.by_actor(dict.fromkeys(ACTORS, 404)), 200, _url("metrics")),
    Row(
        "admin:index",
        "get",
        PAGE,
        truth.by_actor(
            {
                name: 302
                for name in truth.CASEWORK
                | {"anonymous", "unvetted", "no_role", "oversight", "auditor"}
            }
        ),
        200,
        _url("admin:index"),
    ),
    # Signing in, the second factor, the account.
    # Signing in and registering are for visitors: a signed-in user is sent on.
    Row("login", "get", PAGE, _visitors, 200, _url("login")),
    Row("register", "get", PAGE, _visitors, 200, _url("register")),
    Row(
        "set-password",
        "get",
        PAGE,
        truth.anyone,
        200,
        lambda case: reverse("set-password", args=["MQ", "not-a-token"]),
    ),
    *(
        Row(
            "set-password",
            method,
            PAGE,
            truth.anyone,
            200,
            lambda case: reverse("set-password", args=["MQ", "not-a-token"]),
            body=lambda case: {"new_password1": "x", "new_password2": "x"},
        )
        for method in ("post", "put")
    ),
    Row("mfa-enrol", "get", PAGE, truth.signed_in, 302, _url("mfa-enrol")),
    Row("mfa-verify", "get", PAGE, truth.signed_in, 302, _url("mfa-verify")),
    Row("account", "get", PAGE, truth.signed_in, 200, _url("account")),
    Row(
        "token-create",
        "post",
        PAGE,
        truth.signed_in,
        200,
        _url("token-create"),
        body=lambda case: {"name": "matrix", "days": "7"},
    ),
    Row(
        "token-revoke",
        "post",
        PAGE,
        truth.by_actor({"anonymous": 302, **{name: 404 for name in _SIGNED_IN - {"owner"}}}),
        302,
        lambda case: reverse("token-revoke", args=[_own_token(case)]),
        body=_fresh_code,
        wrote=_token_revoked,
    ),
    Row(
        "session-end",
        "post",
        PAGE,
        truth.by_actor({"anonymous": 302, **{name: 404 for name in _SIGNED_IN - {"owner"}}}),
        302,
        lambda case: reverse("session-end", args=[_own_session(case)]),
        body=_fresh_code,
        wrote=_session_ended,
    ),
    # Ends the actor's other sessions; the one making the call stays signed in.
    Row(
        "sessions-end-others",
        "post",
        PAGE,
        truth.signed_in,
        302,
        _url("sessions-end-others"),
        body=_fresh_code,
    ),
    # Changing the password needs the current one and a one-time code: without them,
    # anyone signed in is answered 400 with the fields named (their own account only).
    Row("password-change", "post", PAGE, truth.signed_in, 400, _url("password-change")),
    Row(
        "notification-emails",
        "post",
        PAGE,
        truth.signed_in,
        302,
        _url("notification-emails"),
        body=lambda case: {"emailed_kinds": []},
    ),
    Row("recovery-regenerate", "post", PAGE, truth.signed_in, 200, _url("recovery-regenerate")),
    Row("notifications", "get", PAGE, truth.signed_in, 200, _url("notifications")),
    # A lookup is open to every casework user; what it shows of a known value is the
    # policy's: the series code exactly when the actor may see the series.
    Row("hash-lookup", "get", PAGE, truth.casework, 200, _url("hash-lookup")),
    Row("triage-job-list", "get", PAGE, truth.casework, 200, _url("triage-job-list")),
    Row(
        "triage-job-list",
        "post",
        PAGE,
        truth.casework,
        302,
        _url("triage-job-list"),
        body=_seizure,
        wrote=_triage_started_by_actor,
    ),
    Row(
        "triage-job-detail",
        "get",
        PAGE,
        truth.own_work,
        200,
        _url("triage-job-detail", _job_pk()),
    ),
    Row(
        "triage-job-cancel",
        "post",
        PAGE,
        truth.own_work,
        302,
        _url("triage-job-cancel", _job_pk("page-cancel", "queued")),
        wrote=_job_cancelled("page-cancel"),
    ),
    # Imports into a series (issue 11): the upload page is for who may change the series;
    # a job is its user's own, like a triage job.
    Row("hash-import-list", "get", PAGE, truth.changes, 200, _url("hash-import-list", series_code)),
    Row(
        "hash-import-list",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("hash-import-list", series_code),
        body=_seizure,
        wrote=_import_started_by_actor,
    ),
    Row(
        "hash-import-detail",
        "get",
        PAGE,
        truth.own_work,
        200,
        _url("hash-import-detail", _import_job_pk),
    ),
    Row(
        "hash-import-cancel",
        "post",
        PAGE,
        truth.own_work,
        302,
        _url("hash-import-cancel", _queued_import_pk("page-import-cancel")),
        wrote=_import_cancelled("page-import-cancel"),
    ),
    Row(
        "hash-lookup",
        "post",
        PAGE,
        truth.casework,
        200,
        _url("hash-lookup"),
        body=lambda case: {"values": HASH_VALUE},
        listed=series_code,
    ),
    Row("notifications-read", "post", PAGE, truth.signed_in, 302, _url("notifications-read")),
    Row("dashboard", "get", PAGE, truth.signed_in, 200, _url("dashboard")),
    # The audit trail: auditors and admins; identifiers only (tests/victimid/test_audit_pages.py).
    Row("audit-list", "get", PAGE, truth.auditors, 200, _url("audit-list")),
    Row("audit-export", "get", PAGE, truth.auditors, 200, _url("audit-export")),
    Row("audit-actor", "get", PAGE, truth.auditors, 200, _url("audit-actor", _user_id("owner"))),
    # The oversight figures (issue 13): aggregates only, never a record's title.
    Row("stats-dashboard", "get", PAGE, truth.figures, 200, _url("stats-dashboard")),
    Row("stats-csv", "get", PAGE, truth.figures, 200, _url("stats-csv")),
    Row("api-stats", "get", API, truth.figures, 200, _url("api-stats")),
    # Vetting: coordinators (of the subject's country) and admins.
    Row("vetting-queue", "get", PAGE, truth.managers, 200, _url("vetting-queue")),
    Row("vetting-invite", "get", PAGE, truth.managers, 200, _url("vetting-invite")),
    Row(
        "vetting-user", "get", PAGE, truth.managers, 200, _url("vetting-user", _user_id("unvetted"))
    ),
    Row(
        "vetting-decide",
        "post",
        PAGE,
        truth.managers,
        302,
        _url("vetting-decide", _user_id("unvetted")),
        body=lambda case: {"decision": "reject", "reason": "No vetting record at the agency."},
    ),
    Row(
        "vetting-roles",
        "post",
        PAGE,
        truth.managers,
        302,
        _url("vetting-roles", _user_id("unvetted")),
        body=lambda case: {"roles": ["investigator"]},
    ),
    Row(
        "vetting-release",
        "post",
        PAGE,
        truth.managers,
        302,
        _url("vetting-release", _user_id("unvetted")),
    ),
    # Only a platform admin signs a user out everywhere (coordinators suspend instead).
    Row(
        "vetting-end-sessions",
        "post",
        PAGE,
        truth.by_actor({"anonymous": 302, **{name: 403 for name in _SIGNED_IN - {"admin"}}}),
        302,
        _url("vetting-end-sessions", _user_id("unvetted")),
    ),
    Row("logout", "post", PAGE, truth.signed_in, 302, _url("logout"), last=2),
    # --- Casework pages ---
    Row("series-list", "get", PAGE, truth.casework, 200, _url("series-list"), listed=series_code),
    Row("series-create", "get", PAGE, truth.casework, 200, _url("series-create")),
    Row(
        "series-create",
        "post",
        PAGE,
        truth.casework,
        302,
        _url("series-create"),
        body=lambda case: {"title": "Page series", "status": "active", "distribution": "agency"},
        wrote=_created_by_actor(Series, title="Page series"),
    ),
    Row("series-detail", "get", PAGE, truth.reads, 200, _url("series-detail", series_code)),
    Row("series-edit", "get", PAGE, truth.changes, 200, _url("series-edit", series_code)),
    Row(
        "series-edit",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("series-edit", series_code),
        body=lambda case: _series_form(case, "Lighthouse room renamed on the page"),
        wrote=_title_of(_series, "Lighthouse room renamed on the page"),
    ),
    Row(
        "series-hashes-add",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("series-hashes-add", series_code),
        body=lambda case: {"lines": "sha1:" + "f" * 40, "vics_category": "0"},
        wrote=_hash_added("f" * 40),
    ),
    Row(
        "series-grant-add",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("series-grant-add", series_code),
        body=lambda case: {"agency": _new_agency(case, "series-grant-add post").pk},
        wrote=_granted_to_new_agency(_series, "series-grant-add post"),
    ),
    Row(
        "series-grant-revoke",
        "post",
        PAGE,
        truth.changes,
        302,
        _revoke_path("series-grant-revoke", series_code, "series-grant-revoke post"),
        prepare=_grant_new_agency(_series, "series-grant-revoke post"),
        wrote=_revoked(_series, "series-grant-revoke post"),
    ),
    Row("clue-create", "get", PAGE, truth.reads, 200, _url("clue-create", series_code)),
    Row(
        "clue-create",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("clue-create", series_code),
        body=lambda case: _clue_form(case, "Palm tree on the page", version=False),
        wrote=_created_by_actor(Clue, title="Palm tree on the page"),
    ),
    Row(
        "clue-search",
        "get",
        PAGE,
        truth.casework,
        200,
        _url("clue-search"),
        listed=clue_link,
    ),
    Row(
        "clue-search",
        "get",
        PAGE,
        truth.casework,
        200,
        _url("clue-search"),
        query=lambda case: {"q": "lighthouse"},
        listed=clue_link,
    ),
    Row("clue-detail", "get", PAGE, truth.reads, 200, _url("clue-detail", clue_pk)),
    Row("clue-edit", "get", PAGE, truth.changes, 200, _url("clue-edit", clue_pk)),
    Row(
        "clue-edit",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("clue-edit", clue_pk),
        body=lambda case: _clue_form(case, "Lighthouse socket renamed on the page", version=True),
        wrote=_title_of(_clue, "Lighthouse socket renamed on the page"),
    ),
    Row(
        "clue-grant-add",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("clue-grant-add", clue_pk),
        body=lambda case: {"agency": _new_agency(case, "clue-grant-add post").pk},
        wrote=_granted_to_new_agency(_clue, "clue-grant-add post"),
    ),
    Row(
        "clue-grant-revoke",
        "post",
        PAGE,
        truth.changes,
        302,
        _revoke_path("clue-grant-revoke", clue_pk, "clue-grant-revoke post"),
        prepare=_grant_new_agency(_clue, "clue-grant-revoke post"),
        wrote=_revoked(_clue, "clue-grant-revoke post"),
    ),
    Row(
        "clue-delete",
        "post",
        PAGE,
        truth.changes,
        302,
        lambda case: reverse("clue-delete", args=[_doomed_clue(case).pk]),
        body=lambda case: {"confirm": "yes"},
        prepare=_make_doomed_clue,
        wrote=_doomed_clue_gone,
    ),
    Row(
        "clue-assess",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("clue-assess", clue_pk),
        body=lambda case: {"verdict": "unsure", **{f"confidence_{n}": "low" for n in (1, 2, 3)}},
        wrote=_assessed_by_actor,
    ),
    Row(
        "clue-route",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("clue-route", clue_pk),
        body=lambda case: {"other_country": "DE", "question": ""},
        prepare=lambda case: _coordinator_in(case, "DE"),
        wrote=_asked("DE"),
    ),
    Row("routing-queue", "get", PAGE, truth.casework, 200, _url("routing-queue")),
    Row(
        "routing-pass",
        "post",
        PAGE,
        _routing_pass,
        302,
        lambda case: reverse("routing-pass", args=[_routed("page-pass")(case).pk]),
        body=lambda case: {"user": case.world.users["same_country"].pk},
        wrote=_passed_to_same_country("page-pass"),
    ),
    Row(
        "routing-withdraw",
        "post",
        PAGE,
        _routing_withdraw,
        302,
        lambda case: reverse("routing-withdraw", args=[_routed("page-withdraw")(case).pk]),
        wrote=_withdrawn("page-withdraw"),
    ),
    Row(
        "series-claim",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("series-claim", series_code),
        body=_claim_body,
        wrote=_claimed_by_actor,
    ),
    Row(
        "series-claim-withdraw",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("series-claim-withdraw", series_code),
    ),
    Row("notices", "get", PAGE, truth.casework, 200, _url("notices")),
    Row(
        "notice-acknowledge",
        "post",
        PAGE,
        _owning_agency_only,
        302,
        lambda case: reverse(
            "notice-acknowledge", args=["series", _notice_to_owner("page-ack")(case).pk]
        ),
        wrote=_acknowledged("page-ack"),
    ),
    Row("suggestion-list", "get", PAGE, truth.casework, 200, _url("suggestion-list")),
    Row(
        "suggestion-decide",
        "post",
        PAGE,
        truth.changes,
        302,
        lambda case: reverse("suggestion-decide", args=[_suggestion("page")(case).pk]),
        body=lambda case: {"decision": "confirmed"},
        wrote=_decided("page"),
    ),
    Row("victim-list", "get", PAGE, truth.casework, 200, _url("victim-list"), listed=victim_code),
    Row("victim-create", "get", PAGE, truth.casework, 200, _url("victim-create")),
    Row(
        "victim-create",
        "post",
        PAGE,
        truth.refers_to(400),
        302,
        _url("victim-create"),
        body=lambda case: _victim_form(case, version=False),
        wrote=_created_by_actor(Victim),
    ),
    Row("victim-detail", "get", PAGE, truth.reads, 200, _url("victim-detail", victim_code)),
    Row("victim-edit", "get", PAGE, truth.changes, 200, _url("victim-edit", victim_code)),
    Row(
        "victim-edit",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("victim-edit", victim_code),
        body=lambda case: _victim_form(case, version=True),
        wrote=_age_band_is("7-10"),
    ),
    Row(
        "victim-record-outcome",
        "get",
        PAGE,
        truth.reads,
        200,
        _url("victim-record-outcome", victim_code),
    ),
    Row(
        "victim-record-outcome",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("victim-record-outcome", victim_code),
        body=_confirmed_outcome,
        wrote=_events_by_actor,
    ),
    Row(
        "victim-series-follow",
        "post",
        PAGE,
        truth.reads,
        302,
        _url("victim-series-follow", series_code),
        wrote=_following,
    ),
    Row(
        "victim-grant-add",
        "post",
        PAGE,
        truth.changes,
        302,
        _url("victim-grant-add", victim_code),
        body=lambda case: {"agency": _new_agency(case, "victim-grant-add post").pk},
        wrote=_granted_to_new_agency(_victim, "victim-grant-add post"),
    ),
    Row(
        "victim-grant-revoke",
        "post",
        PAGE,
        truth.changes,
        302,
        _revoke_path("victim-grant-revoke", victim_code, "victim-grant-revoke post"),
        prepare=_grant_new_agency(_victim, "victim-grant-revoke post"),
        wrote=_revoked(_victim, "victim-grant-revoke post"),
    ),
    # --- The API: people and trust ---
    Row("api-me", "get", API, truth.signed_in, 200, _url("api-me")),
    Row("api-audit-list", "get", API, truth.auditors, 200, _url("api-audit-list")),
    Row("api-audit-export", "get", API, truth.auditors, 200, _url("api-audit-export")),
    Row("api-notifications", "get", API, truth.signed_in, 200, _url("api-notifications")),
    Row(
        "api-series-export",
        "get",
        API,
        truth.reads,
        200,
        _url("api-series-export", series_code),
        query=lambda case: {"format": "vics"},
        listed=lambda case: HASH_VALUE,
    ),
    Row("api-imports", "get", API, truth.casework, 200, _url("api-imports")),
    Row(
        "api-imports",
        "post",
        API,
        truth.into_owned,
        202,
        _url("api-imports"),
        body=lambda case: {**_seizure(case), "series": series_code(case)},
        multipart=True,
        wrote=_import_started_by_actor,
    ),
    Row("api-import", "get", API, truth.own_work, 200, _url("api-import", _import_job_pk)),
    Row(
        "api-import-cancel",
        "post",
        API,
        truth.own_work,
        200,
        _url("api-import-cancel", _queued_import_pk("api-import-cancel")),
        wrote=_import_cancelled("api-import-cancel"),
    ),
    Row(
        "api-series-hash-remove",
        "post",
        API,
        truth.changes,
        204,
        _url("api-series-hash-remove", series_code, lambda case: _doomed_hash("rm")(case).pk),
        body=lambda case: {"reason": "Not abuse material: a stock photo."},
        wrote=lambda case: not KnownHash.objects.filter(pk=_doomed_hash("rm")(case).pk).exists(),
    ),
    Row(
        "api-series-hash-move",
        "post",
        API,
        truth.changes,
        200,
        _url("api-series-hash-move", series_code, lambda case: _doomed_hash("mv")(case).pk),
        body=lambda case: {
            "series": _other_owned_series(case).code,
            "reason": "Belongs to the other series.",
        },
        wrote=lambda case: KnownHash.objects.filter(
            pk=_doomed_hash("mv")(case).pk, series=_other_owned_series(case)
        ).exists(),
    ),
    Row("api-triage-jobs", "get", API, truth.casework, 200, _url("api-triage-jobs")),
    Row(
        "api-triage-jobs",
        "post",
        API,
        truth.casework,
        202,
        _url("api-triage-jobs"),
        body=_seizure,
        multipart=True,
        wrote=_triage_started_by_actor,
    ),
    Row("api-triage-job", "get", API, truth.own_work, 200, _url("api-triage-job", _job_pk())),
    Row(
        "api-triage-job-hits",
        "get",
        API,
        truth.own_work,
        200,
        _url("api-triage-job-hits", _job_pk()),
    ),
    Row(
        "api-triage-job-download",
        "get",
        API,
        truth.own_work,
        200,
        _url("api-triage-job-download", _job_pk()),
        query=lambda case: {"format": "csv"},
    ),
    Row(
        "api-triage-job-cancel",
        "post",
        API,
        truth.own_work,
        200,
        _url("api-triage-job-cancel", _job_pk("api-cancel", "queued")),
        wrote=_job_cancelled("api-cancel"),
    ),
    Row(
        "api-hashes-lookup",
        "post",
        API,
        truth.casework,
        200,
        _url("api-hashes-lookup"),
        body=lambda case: {"values": [HASH_VALUE]},
        listed=series_code,
    ),
    Row(
        "api-schema",
        "get",
        API,
        truth.signed_in,
        200,
        _url("api-schema"),
        query=lambda case: {"format": "json"},
    ),
    Row("api-docs", "get", API, truth.signed_in, 200, _url("api-docs")),
    # The old addresses with a trailing slash send on to the slashless ones.
    Row("api-schema-moved", "get", API, truth.signed_in, 301, _url("api-schema-moved")),
    Row("api-docs-moved", "get", API, truth.signed_in, 301, _url("api-docs-moved")),
    # --- The API: casework ---
    Row(
        "api-series-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-series-list"),
        listed=series_code,
    ),
    Row(
        "api-series-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-series-list"),
        query=lambda case: {"q": "lighthouse"},
        listed=series_code,
    ),
    Row(
        "api-series-list",
        "post",
        API,
        truth.casework,
        201,
        _url("api-series-list"),
        body=lambda case: {"title": "API series", "distribution": "agency"},
        wrote=_created_by_actor(Series, title="API series"),
    ),
    Row("api-series-detail", "get", API, truth.reads, 200, _url("api-series-detail", series_code)),
    Row(
        "api-series-detail",
        "patch",
        API,
        truth.changes,
        200,
        _url("api-series-detail", series_code),
        body=lambda case: {
            "version": _version(case.records.series),
            "title": "Lighthouse room patched",
        },
        wrote=_title_of(_series, "Lighthouse room patched"),
    ),
    Row(
        "api-series-detail",
        "put",
        API,
        truth.changes,
        200,
        _url("api-series-detail", series_code),
        body=lambda case: {
            "version": _version(case.records.series),
            "title": "Lighthouse room replaced",
            "distribution": case.level,
            "sharing_group": case.group_id() or None,
        },
        wrote=_title_of(_series, "Lighthouse room replaced"),
    ),
    Row("api-series-hashes", "get", API, truth.reads, 200, _url("api-series-hashes", series_code)),
    Row(
        "api-series-hashes",
        "post",
        API,
        truth.changes,
        201,
        _url("api-series-hashes", series_code),
        body=lambda case: {"entries": [{"algorithm": "sha1", "value": "e" * 40}]},
        wrote=_hash_added("e" * 40),
    ),
    Row(
        "api-series-grants", "get", API, truth.changes, 200, _url("api-series-grants", series_code)
    ),
    Row(
        "api-series-grants",
        "post",
        API,
        truth.changes,
        201,
        _url("api-series-grants", series_code),
        body=lambda case: {"agency": _new_agency(case, "api-series-grants post").pk},
        wrote=_granted_to_new_agency(_series, "api-series-grants post"),
    ),
    Row(
        "api-series-grant",
        "delete",
        API,
        truth.changes,
        204,
        _revoke_path("api-series-grant", series_code, "api-series-grant delete"),
        prepare=_grant_new_agency(_series, "api-series-grant delete"),
        wrote=_revoked(_series, "api-series-grant delete"),
    ),
    Row(
        "api-series-follow",
        "post",
        API,
        truth.reads,
        201,
        _url("api-series-follow", series_code),
        prepare=_unfollow,
        wrote=_following,
    ),
    Row(
        "api-series-follow",
        "delete",
        API,
        truth.reads,
        204,
        _url("api-series-follow", series_code),
        prepare=_follow,
        wrote=lambda case: case.user is not None and not _following(case),
    ),
    Row(
        "api-clue-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-clue-list"),
        listed=clue_title,
    ),
    Row(
        "api-clue-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-clue-list"),
        query=lambda case: {"q": "lighthouse"},
        listed=clue_title,
    ),
    Row(
        "api-clue-list",
        "post",
        API,
        truth.refers_to(400),
        201,
        _url("api-clue-list"),
        body=lambda case: {
            "series": series_code(case),
            "taxonomy_node": "flora",
            "title": "API palm tree",
            "description": "A palm tree through the window.",
            "distribution": "agency",
        },
        wrote=_created_by_actor(Clue, title="API palm tree"),
    ),
    Row("api-series-claims", "get", API, truth.reads, 200, _url("api-series-claims", series_code)),
    Row(
        "api-series-claims",
        "post",
        API,
        truth.reads,
        201,
        _url("api-series-claims", series_code),
        body=_claim_body,
        wrote=_claimed_by_actor,
    ),
    Row(
        "api-series-claims",
        "delete",
        API,
        truth.reads,
        204,
        _url("api-series-claims", series_code),
    ),
    Row("api-notices", "get", API, truth.casework, 200, _url("api-notices")),
    Row(
        "api-notice-acknowledge",
        "post",
        API,
        _owning_agency_only,
        204,
        lambda case: reverse(
            "api-notice-acknowledge", args=["series", _notice_to_owner("api-ack")(case).pk]
        ),
        wrote=_acknowledged("api-ack"),
    ),
    Row(
        "api-clue-suggestions",
        "get",
        API,
        truth.reads,
        200,
        _url("api-clue-suggestions", clue_pk),
    ),
    Row("api-suggestions", "get", API, truth.casework, 200, _url("api-suggestions")),
    Row(
        "api-suggestion-decide",
        "post",
        API,
        truth.changes,
        200,
        lambda case: reverse("api-suggestion-decide", args=[_suggestion("api")(case).pk]),
        body=lambda case: {"decision": "rejected"},
        wrote=_decided("api"),
    ),
    Row("api-clue-routing", "get", API, truth.reads, 200, _url("api-clue-routing", clue_pk)),
    Row(
        "api-clue-routing",
        "post",
        API,
        truth.changes,
        201,
        _url("api-clue-routing", clue_pk),
        body=lambda case: {"countries": ["FR"]},
        prepare=lambda case: _coordinator_in(case, "FR"),
        wrote=_asked("FR"),
    ),
    Row("api-routing-queue", "get", API, truth.casework, 200, _url("api-routing-queue")),
    Row(
        "api-routing-pass",
        "post",
        API,
        _routing_pass,
        200,
        lambda case: reverse("api-routing-pass", args=[_routed("api-pass")(case).pk]),
        body=lambda case: {"user": case.world.users["same_country"].pk},
        wrote=_passed_to_same_country("api-pass"),
    ),
    Row(
        "api-routing-withdraw",
        "post",
        API,
        _routing_withdraw,
        200,
        lambda case: reverse("api-routing-withdraw", args=[_routed("api-withdraw")(case).pk]),
        wrote=_withdrawn("api-withdraw"),
    ),
    Row(
        "api-clue-assessments",
        "get",
        API,
        truth.reads,
        200,
        _url("api-clue-assessments", clue_pk),
    ),
    Row(
        "api-clue-assessments",
        "post",
        API,
        truth.reads,
        201,
        _url("api-clue-assessments", clue_pk),
        body=lambda case: {"verdict": "recognised", "attributions": [{"country": "NL"}]},
        wrote=_assessed_by_actor,
    ),
    Row("api-clue-detail", "get", API, truth.reads, 200, _url("api-clue-detail", clue_pk)),
    Row(
        "api-clue-detail",
        "patch",
        API,
        truth.changes,
        200,
        _url("api-clue-detail", clue_pk),
        body=lambda case: {
            "version": _version(case.records.clue),
            "title": "Lighthouse socket patched",
        },
        wrote=_title_of(_clue, "Lighthouse socket patched"),
    ),
    Row(
        "api-clue-detail",
        "put",
        API,
        truth.changes,
        200,
        _url("api-clue-detail", clue_pk),
        body=lambda case: {
            "version": _version(case.records.clue),
            "taxonomy_node": "sockets",
            "title": "Lighthouse socket replaced",
            "description": "Replaced description.",
            "distribution": case.level,
            "sharing_group": case.group_id() or None,
        },
        wrote=_title_of(_clue, "Lighthouse socket replaced"),
    ),
    Row("api-clue-grants", "get", API, truth.changes, 200, _url("api-clue-grants", clue_pk)),
    Row(
        "api-clue-grants",
        "post",
        API,
        truth.changes,
        201,
        _url("api-clue-grants", clue_pk),
        body=lambda case: {"agency": _new_agency(case, "api-clue-grants post").pk},
        wrote=_granted_to_new_agency(_clue, "api-clue-grants post"),
    ),
    Row(
        "api-clue-grant",
        "delete",
        API,
        truth.changes,
        204,
        _revoke_path("api-clue-grant", clue_pk, "api-clue-grant delete"),
        prepare=_grant_new_agency(_clue, "api-clue-grant delete"),
        wrote=_revoked(_clue, "api-clue-grant delete"),
    ),
    Row(
        "api-clue-detail",
        "delete",
        API,
        truth.changes,
        204,
        lambda case: reverse("api-clue-detail", args=[_doomed_clue(case).pk]),
        prepare=_make_doomed_clue,
        wrote=_doomed_clue_gone,
    ),
    Row("api-clue-taxonomy", "get", API, truth.casework, 200, _url("api-clue-taxonomy")),
    Row(
        "api-languages",
        "get",
        API,
        truth.casework,
        200,
        _url("api-languages"),
        query=lambda case: {"q": "dut"},
    ),
    Row(
        "api-countries",
        "get",
        API,
        truth.casework,
        200,
        _url("api-countries"),
        query=lambda case: {"q": "neth"},
    ),
    Row(
        "api-sharing-group-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-sharing-group-list"),
    ),
    Row(
        "api-sharing-group-list",
        "post",
        API,
        _group_creates,
        201,
        _url("api-sharing-group-list"),
        body=lambda case: {"name": f"Group of {case.actor}", "members": []},
    ),
    Row(
        "api-sharing-group-detail",
        "get",
        API,
        _group_reads,
        200,
        lambda case: reverse("api-sharing-group-detail", args=[case.world.sharing_group.pk]),
    ),
    Row(
        "api-sharing-group-members",
        "post",
        API,
        _group_manages,
        201,
        lambda case: reverse("api-sharing-group-members", args=[case.world.sharing_group.pk]),
        body=lambda case: {"agency": _new_agency(case, "group member").pk},
    ),
    Row(
        "api-sharing-group-member",
        "delete",
        API,
        _group_manages,
        204,
        lambda case: reverse(
            "api-sharing-group-member",
            args=[
                case.world.sharing_group.pk,
                case.world.sharing_group.members.exclude(pk=case.world.owning_agency.pk).first().pk,
            ],
        ),
    ),
    Row(
        "api-victim-list",
        "get",
        API,
        truth.casework,
        200,
        _url("api-victim-list"),
        listed=victim_code,
    ),
    Row(
        "api-victim-list",
        "post",
        API,
        truth.refers_to(400),
        201,
        _url("api-victim-list"),
        body=lambda case: {"series": [series_code(case)], "distribution": "agency"},
        wrote=_created_by_actor(Victim),
    ),
    Row("api-victim-detail", "get", API, truth.reads, 200, _url("api-victim-detail", victim_code)),
    Row(
        "api-victim-detail",
        "patch",
        API,
        truth.changes,
        200,
        _url("api-victim-detail", victim_code),
        body=lambda case: {"version": _version(case.records.victim), "age_band": "11-13"},
        wrote=_age_band_is("11-13"),
    ),
    Row("api-victim-events", "get", API, truth.reads, 200, _url("api-victim-events", victim_code)),
    Row(
        "api-victim-events",
        "post",
        API,
        truth.reads,
        201,
        _url("api-victim-events", victim_code),
        body=lambda case: {"kind": "provisionally_identified", "occurred_on": "2026-10-01"},
        wrote=_events_by_actor,
    ),
    Row(
        "api-victim-grants", "get", API, truth.changes, 200, _url("api-victim-grants", victim_code)
    ),
    Row(
        "api-victim-grants",
        "post",
        API,
        truth.changes,
        201,
        _url("api-victim-grants", victim_code),
        body=lambda case: {"agency": _new_agency(case, "api-victim-grants post").pk},
        wrote=_granted_to_new_agency(_victim, "api-victim-grants post"),
    ),
    Row(
        "api-victim-grant",
        "delete",
        API,
        truth.changes,
        204,
        _revoke_path("api-victim-grant", victim_code, "api-victim-grant delete"),
        prepare=_grant_new_agency(_victim, "api-victim-grant delete"),
        wrote=_revoked(_victim, "api-victim-grant delete"),
    ),
]
