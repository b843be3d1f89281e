"""Routing a clue to other countries: ask, pass on, withdraw; an assessment answers.

A routing request shares the clue with the asked country's coordinators (and the
investigator they pass it to) for as long as it is open: that is a row of the access
policy (``cases.access.rules.RoutedTo``), kept by the database on the clue's access keys
when a request is written. Closing the request (answered or withdrawn) withdraws it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from cases import access
from cases.choices import Verdict
from cases.languages import LANGUAGE_COUNTRIES
from cases.models import Assessment, Clue, RoutingRequest, RoutingStatus
from cases.screening import screening_problems
from cases.services.common import casework_users, require_casework_writer
from victimid import audit_actions
from victimid.choices import Role
from victimid.models import NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "MAX_COUNTRIES_PER_ROUTING",
    "clue_route",
    "country_coordinators",
    "country_investigators",
    "routing_answer",
    "routing_lock_open",
    "routing_pass",
    "routing_proposed_countries",
    "routing_withdraw",
]

MAX_COUNTRIES_PER_ROUTING = 20
QUESTION_MAX_LENGTH = 1000


def country_coordinators(country: str) -> list[User]:
    """The vetted coordinators of ``country``: those a routing request asks."""
    return [
        user for user in casework_users(agency__country=country) if user.has_role(Role.COORDINATOR)
    ]


def country_investigators(country: str) -> list[User]:
    """The vetted casework users of ``country``: those a request may be passed to."""
    return sorted(casework_users(agency__country=country), key=lambda user: user.email)


def routing_proposed_countries(clue: Clue) -> list[str]:
    """Countries worth asking: its country hypotheses (most confident first), then the
    countries of its languages; none it is already open with, not the owner's own."""
    rank = {"high": 0, "medium": 1, "low": 2}
    hypotheses = sorted(clue.country_hypotheses.all(), key=lambda h: rank.get(h.confidence, 3))
    proposed = [str(h.country) for h in hypotheses]
    for language in clue.languages:
        proposed.extend(LANGUAGE_COUNTRIES.get(language, ()))
    already = {
        str(code)
        for code in RoutingRequest.objects.filter(clue=clue, status=RoutingStatus.OPEN).values_list(
            "country", flat=True
        )
    }
    already.add(str(clue.owner_country))
    return [code for code in dict.fromkeys(proposed) if code not in already]


def _countries_normalise(clue: Clue, raw: Iterable[str]) -> list[str]:
    codes: list[str] = []
    problems: list[str] = []
    open_now = set(
        RoutingRequest.objects.filter(clue=clue, status=RoutingStatus.OPEN).values_list(
            "country", flat=True
        )
    )
    for item in raw:
        code = str(item or "").strip().upper()
        if len(code) != 2 or not countries.alpha2(code):
            problems.append(_("Unknown country code %(code)s.") % {"code": item})
        elif code in open_now:
            problems.append(
                _("%(country)s has already been asked and has not answered yet.")
                % {"country": countries.name(code)}
            )
        elif not country_coordinators(code):
            problems.append(
                _("%(country)s has no coordinator on VictimID yet: nobody there could answer.")
                % {"country": countries.name(code)}
            )
        elif code not in codes:
            codes.append(code)
    if not codes and not problems:
        problems.append(_("Choose at least one country to ask."))
    if len(codes) > MAX_COUNTRIES_PER_ROUTING:
        problems.append(
            _("Ask at most %(limit)d countries at once.") % {"limit": MAX_COUNTRIES_PER_ROUTING}
        )
    if problems:
        raise ValidationError({"countries": problems})
    return codes


def clue_route(
    *, actor: User, clue: Clue, countries: Iterable[str], question: str = ""
) -> list[RoutingRequest]:
    """Ask the coordinators of each country whether they recognise the clue.

    Only the clue's owning agency asks: asking shares its clue with the asked countries'
    coordinators until they answer or it withdraws the request.
    """
    require_casework_writer(actor)
    access.require_editable(actor, clue)
    assert actor.agency is not None
    errors: dict[str, list[str]] = {}
    try:
        codes = _countries_normalise(clue, countries)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        codes = []
    question = (question or "").strip()
    if len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = [
            _("At most %(limit)d characters (this is %(length)d).")
            % {"limit": QUESTION_MAX_LENGTH, "length": len(question)}
        ]
    elif screening_problems(question):
        errors["question"] = screening_problems(question)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            requests = [
                RoutingRequest.objects.create(
                    clue=clue,
                    country=code,
                    question=question,
                    asked_by=actor,
                    asking_agency=actor.agency,
                )
                for code in codes
            ]
            audit_record(
                actor=actor,
                action=audit_actions.CLUE_ROUTED,
                target=clue,
                details={"countries": codes, "requests": [r.pk for r in requests]},
            )
            for request in requests:
                _notify_coordinators(request)
    except IntegrityError as exc:  # asked at the same moment by a colleague
        raise ValidationError(
            {"countries": [_("One of these countries was asked meanwhile; try again.")]}
        ) from exc
    return requests


def _notify_coordinators(request: RoutingRequest) -> None:
    """The asked country's coordinators hear of it; they may see the clue from now on."""
    clue = request.clue
    recipients = [user for user in country_coordinators(str(request.country))]
    recipients = [user for user in recipients if access.can_view(user, clue)]
    notifications_create(
        recipients=recipients,
        kind=NotificationKind.ROUTING_REQUESTED,
        subject_type="clue",
        subject_ref=str(clue.pk),
        # No title: they see the clue only while the request is open, and the message
        # stays in their list and e-mails after it closes.
        message=_(
            "Do you recognise this? %(agency)s asks your country about clue %(number)d; "
            "it is in your routing queue while the request is open."
        )
        % {"agency": request.asking_agency.name, "number": clue.pk},
    )


def _require_coordinator_of(actor: User, request: RoutingRequest) -> None:
    access.require_visible(actor, request)
    if not (
        actor.has_role(Role.COORDINATOR)
        and actor.agency is not None
        and str(actor.agency.country) == str(request.country)
    ):
        raise PermissionDenied(_("Only a coordinator of the asked country passes this request."))


def routing_pass(*, actor: User, request: RoutingRequest, assignee: User | None) -> RoutingRequest:
    """A coordinator of the asked country passes the request to one of its investigators.

    ``assignee`` None: the id given names nobody. Who may not pass the request is refused
    before the assignee is looked at, so the answer never tells which user ids exist.
    """
    require_casework_writer(actor)
    _require_coordinator_of(actor, request)
    if request.status != RoutingStatus.OPEN:
        raise ValidationError({"user": [_("This request is closed.")]})
    if assignee is None or assignee.pk not in {
        user.pk for user in country_investigators(str(request.country))
    }:
        raise ValidationError(
            {"user": [_("Pass it to a vetted investigator of your own country.")]}
        )
    with transaction.atomic():
        changed = RoutingRequest.objects.filter(pk=request.pk, status=RoutingStatus.OPEN).update(
            assignee=assignee, passed_at=timezone.now()
        )
        if not changed:
            raise ValidationError({"user": [_("This request is closed.")]})
        request.refresh_from_db()
        audit_record(
            actor=actor,
            action=audit_actions.ROUTING_PASSED,
            target=request.clue,
            details={"request": request.pk, "to": assignee.pk},
        )
        notifications_create(
            recipients=[assignee] if assignee.pk != actor.pk else [],
            kind=NotificationKind.ROUTING_PASSED,
            subject_type="clue",
            subject_ref=str(request.clue_id),
            message=_(  # no title: the access goes when the request closes (see above)
                "%(coordinator)s passed you a routing request: do you recognise clue "
                "%(number)d? It is in your routing queue while the request is open."
            )
            % {"coordinator": actor.email, "number": request.clue_id},
        )
    return request


def routing_withdraw(*, actor: User, request: RoutingRequest) -> RoutingRequest:
    """The clue's owning agency withdraws an open request; the clue is no longer shared."""
    require_casework_writer(actor)
    access.require_editable(actor, request.clue)
    with transaction.atomic():
        changed = RoutingRequest.objects.filter(pk=request.pk, status=RoutingStatus.OPEN).update(
            status=RoutingStatus.WITHDRAWN, closed_at=timezone.now()
        )
        if not changed:
            raise ValidationError({"request": [_("This request is already closed.")]})
        request.refresh_from_db()
        audit_record(
            actor=actor,
            action=audit_actions.ROUTING_WITHDRAWN,
            target=request.clue,
            details={"request": request.pk, "country": str(request.country)},
        )
    return request


def routing_lock_open(clue: Clue) -> None:
    """Lock the clue's open requests for the rest of the transaction.

    Whatever may close one of them (an answer, a withdrawal) locks them before it writes
    an audit event: the audit chain's lock is held until the commit, so a transaction that
    took it first and then waited for a request held by one waiting for the chain would
    deadlock.
    """
    list(
        RoutingRequest.objects.select_for_update()
        .filter(clue_id=clue.pk, status=RoutingStatus.OPEN)
        .values_list("pk", flat=True)
    )


def routing_answer(*, actor: User, assessment: Assessment) -> list[RoutingRequest]:
    """An assessment by one of the asked country's assessors answers its open requests.

    Called by ``assessment_create`` inside its transaction. The asker hears of it; the
    clue is no longer shared with the answering country through these requests.
    """
    if actor.agency is None:
        return []
    open_requests = RoutingRequest.objects.select_for_update().filter(
        clue_id=assessment.clue_id,
        status=RoutingStatus.OPEN,
        country=str(actor.agency.country),
    )
    answered = [
        request
        for request in open_requests
        if request.assignee_id == actor.pk or actor.has_role(Role.COORDINATOR)
    ]
    if not answered:
        return []
    now = timezone.now()
    RoutingRequest.objects.filter(pk__in=[r.pk for r in answered]).update(
        status=RoutingStatus.ANSWERED, answer=assessment, answered_at=now, closed_at=now
    )
    clue = assessment.clue
    for request in answered:
        audit_record(
            actor=actor,
            action=audit_actions.ROUTING_ANSWERED,
            target=clue,
            details={"request": request.pk, "assessment": assessment.pk},
        )
        asker = request.asked_by
        notifications_create(
            recipients=[asker] if access.can_view(asker, clue) else [],
            kind=NotificationKind.ROUTING_ANSWERED,
            subject_type="clue",
            subject_ref=str(clue.pk),
            message=_("%(country)s answered your request about clue “%(title)s”: %(verdict)s.")
            % {
                "country": countries.name(str(request.country)),
                "title": clue.title,
                "verdict": Verdict(assessment.verdict).label.lower(),
            },
        )
    return answered
