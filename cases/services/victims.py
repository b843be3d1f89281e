"""Writing victims, their identification log and series follows.

Who may do what (documented in docs/victims.md):
- create a victim: any casework user (vetted investigator or coordinator) who can see
  every series named; the victim belongs to the creator's agency;
- change a victim (age band, series links, notes, distribution): its owning agency;
- record an identification event: any casework user who can see the victim, because
  the agency that identifies or safeguards a child is often not the one that first
  listed it; the event stores the acting agency and country;
- correct an event: the agency that recorded it or the victim's owning agency.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.choices import (
    AgeBand,
    Distribution,
    IdentificationEventKind,
    SeriesStatus,
    VictimStatus,
)
from cases.exceptions import LogChanged
from cases.models import IdentificationEvent, Series, SeriesFollower, Victim, VictimSeries
from cases.models.base import next_code, raise_problems
from cases.models.victims import VICTIM_CODE_SEQUENCE, identification_event_problems
from cases.screening import screen_fields
from cases.selectors.victims import series_identification_summary, victim_status_expression
from cases.services.claims import coordinate_follow
from cases.services.common import (
    apply_changes,
    casework_users,
    check_text_lengths,
    require_casework_writer,
    still_visible_or_rollback,
    validate_sharing_group,
    versioned_update,
)
from victimid import audit_actions
from victimid.models import NotificationKind, SharingGroup, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "VICTIM_EDITABLE_FIELDS",
    "identification_event_check",
    "identification_event_record",
    "latest_allowed_date",
    "series_follow",
    "series_unfollow",
    "victim_create",
    "victim_update",
]

Kind = IdentificationEventKind
IDENTIFIED_STATES = (VictimStatus.IDENTIFIED, VictimStatus.SAFEGUARDED)
VICTIM_EDITABLE_FIELDS = {"age_band", "notes", "distribution", "sharing_group"}


def _check_series(actor: User, series: Sequence[Series]) -> list[Series]:
    """The distinct series named, each visible to the actor; at least one."""
    distinct = list({item.pk: item for item in series}.values())
    if not distinct:
        raise ValidationError({"series": [_("Name at least one series the child appears in.")]})
    visible = set(
        Series.objects.visible_to(actor)
        .filter(pk__in=[item.pk for item in distinct])  # type: ignore[misc]
        .values_list("pk", flat=True)
    )
    hidden = [item.code for item in distinct if item.pk not in visible]
    if hidden:
        raise ValidationError(
            {"series": [_("No series %(codes)s that you can see.") % {"codes": ", ".join(hidden)}]}
        )
    return distinct


def _victim_validate(victim: Victim, exclude: list[str] | None = None) -> None:
    screen_fields({"notes": victim.notes})
    check_text_lengths(victim)
    victim.full_clean(exclude=exclude)


def victim_create(
    *,
    actor: User,
    series: Sequence[Series],
    age_band: str = AgeBand.UNKNOWN,
    notes: str = "",
    distribution: str = Distribution.AGENCY,
    sharing_group: SharingGroup | None = None,
) -> Victim:
    """Register a child seen in one or more series, under a new pseudonymous code."""
    require_casework_writer(actor)
    linked = _check_series(actor, series)
    agency = actor.agency
    assert agency is not None
    victim = Victim(
        agency=agency,
        owner_country=agency.country,
        distribution=distribution,
        sharing_group=sharing_group,
        age_band=age_band,
        notes=notes,
        created_by=actor,
    )
    _victim_validate(victim, exclude=["code"])
    validate_sharing_group(actor, distribution, sharing_group)
    with transaction.atomic():
        victim.code = next_code("VIC", VICTIM_CODE_SEQUENCE)
        victim.save()
        VictimSeries.objects.bulk_create(
            VictimSeries(victim=victim, series=item, added_by=actor) for item in linked
        )
        still_visible_or_rollback(actor, victim)
        audit_record(
            actor=actor,
            action=audit_actions.VICTIM_CREATED,
            target=victim,
            details={"code": victim.code, "series": sorted(item.code for item in linked)},
        )
    return victim


def victim_update(
    *,
    actor: User,
    victim: Victim,
    version: int,
    age_band: str | None = None,
    series: Sequence[Series] | None = None,
    notes: str | None = None,
    distribution: str | None = None,
    sharing_group: SharingGroup | None = None,
) -> Victim:
    """Change a victim's age band, series links, notes or distribution (owning agency only).

    ``None`` leaves a value as it is; the sharing group is read only with a distribution.
    A stale ``version`` raises VersionConflict and changes nothing, series links included.
    """
    require_casework_writer(actor)
    access.require_editable(actor, victim)
    changes: dict[str, Any] = {
        name: value
        for name, value in (("age_band", age_band), ("notes", notes))
        if value is not None
    }
    if distribution is not None:
        changes.update(distribution=distribution, sharing_group=sharing_group)
    # The audit names what really changed; the distribution and its group count as one.
    changed = sorted(
        {
            "distribution" if name == "sharing_group" else name
            for name, value in changes.items()
            if getattr(victim, name) != value
        }
    )
    updated = copy.copy(victim)
    fields = apply_changes(updated, changes, VICTIM_EDITABLE_FIELDS)
    _victim_validate(updated)
    if distribution is not None:  # a group chosen earlier stays valid until it is changed
        validate_sharing_group(actor, distribution, sharing_group)
    linked = _check_series(actor, series) if series is not None else None
    with transaction.atomic():
        versioned_update(updated, version=version, fields=fields)
        if linked is not None and _relink_series(actor, updated, linked):
            changed.append("series")
        still_visible_or_rollback(actor, updated)
        audit_record(
            actor=actor,
            action=audit_actions.VICTIM_UPDATED,
            target=updated,
            details={"code": updated.code, "changed": changed, "version": updated.version},
        )
    return updated


def _relink_series(actor: User, victim: Victim, wanted_series: list[Series]) -> bool:
    """Replace the links the actor can see; links to series hidden from the actor stay."""
    wanted = {item.pk: item for item in wanted_series}
    visible_ids = set(
        Series.objects.visible_to(actor)
        .values_list("pk", flat=True)
        .filter(victim_links__victim=victim)
    )
    remove = visible_ids - wanted.keys()
    add = wanted.keys() - visible_ids
    if remove:
        VictimSeries.objects.filter(victim=victim, series_id__in=remove).delete()
    VictimSeries.objects.bulk_create(
        VictimSeries(victim=victim, series=wanted[pk], added_by=actor) for pk in add
    )
    return bool(remove or add)


# --- The identification log ---------------------------------------------------------------


def latest_allowed_date() -> datetime.date:
    """Today where the day is furthest ahead (UTC+14): no event may be dated later."""
    return (timezone.now() + datetime.timedelta(hours=14)).date()


@dataclass
class _Standing:
    """The events of one victim that stand (not corrections, not corrected): kind -> date."""

    dates: dict[str, datetime.date]

    def has(self, kind: str) -> bool:
        return kind in self.dates


def _standing(victim: Victim) -> _Standing:
    rows = (
        IdentificationEvent.objects.filter(victim=victim, correction__isnull=True)
        .exclude(kind=Kind.CORRECTION)
        .values_list("kind", "occurred_on")
        .order_by("occurred_on")
    )
    dates: dict[str, datetime.date] = {}
    for kind, occurred_on in rows:
        dates.setdefault(kind, occurred_on)
    return _Standing(dates)


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


def _check_order(
    *,
    actor: User,
    victim: Victim,
    standing: _Standing,
    kind: str,
    occurred_on: datetime.date,
    corrects: IdentificationEvent | None,
    note: str,
) -> None:
    """The order rules of the log; each refusal says why."""
    if kind not in Kind.values:
        _refuse("kind", _("Unknown kind of event."))
    if occurred_on > latest_allowed_date():
        _refuse("occurred_on", _("The date cannot be in the future."))
    identified = standing.has(Kind.IDENTIFIED)
    if kind == Kind.PROVISIONALLY_IDENTIFIED and identified:
        _refuse("kind", _("The child is already identified."))
    if kind == Kind.IDENTIFIED and identified:
        _refuse(
            "kind",
            _("The child is already identified; correct the earlier event if it was wrong."),
        )
    if kind in (Kind.SAFEGUARDED, Kind.REFERRED, Kind.FOLLOW_UP) and not identified:
        _refuse(
            "kind",
            _("Record the identification first (or tick 'also identified' with the safeguarding)."),
        )
    if kind == Kind.SAFEGUARDED:
        if standing.has(Kind.SAFEGUARDED):
            _refuse("kind", _("The child is already recorded as safeguarded."))
        if occurred_on < standing.dates[Kind.IDENTIFIED]:
            _refuse("occurred_on", _("Safeguarding cannot be dated before the identification."))
    if kind == Kind.CORRECTION:
        _check_correction(
            actor=actor, victim=victim, standing=standing, corrects=corrects, note=note
        )


def _check_correction(
    *,
    actor: User,
    victim: Victim,
    standing: _Standing,
    corrects: IdentificationEvent | None,
    note: str,
) -> None:
    if corrects is None or corrects.victim_id != victim.pk:
        _refuse("corrects", _("Choose an event of this child to correct."))
    assert corrects is not None
    if corrects.kind == Kind.CORRECTION:
        _refuse("corrects", _("A correction cannot itself be corrected; record the event again."))
    if IdentificationEvent.objects.filter(corrects=corrects).exists():
        _refuse("corrects", _("That event is already corrected."))
    if not note.strip():
        _refuse("note", _("Say what was wrong: a correction needs a note."))
    if corrects.kind == Kind.IDENTIFIED and standing.has(Kind.SAFEGUARDED):
        _refuse("corrects", _("Correct the safeguarding first: it rests on this identification."))
    if actor.agency_id not in (corrects.agency_id, victim.agency_id):
        raise PermissionDenied(
            _(
                "Only the agency that recorded an event, or the agency that owns the child's "
                "record, corrects it."
            )
        )


def identification_event_check(
    *,
    actor: User,
    victim: Victim,
    kind: str,
    occurred_on: datetime.date,
    note: str = "",
    support_service: str = "",
    corrects: IdentificationEvent | None = None,
    also_identified: bool = False,
) -> list[IdentificationEvent]:
    """The events recording would append now, unsaved, each checked against the log.

    Raises what recording would raise (ValidationError naming the field, PermissionDenied
    for a correction the actor's agency may not make) and writes nothing, so a page can
    show the events for confirmation before anything permanent is written.
    """
    require_casework_writer(actor)
    access.require_visible(actor, victim)
    screen_fields({"note": note})
    raise_problems(
        identification_event_problems(
            kind=kind,
            support_service=support_service,
            corrects=corrects,
            also_identified=also_identified,
        )
    )
    agency = actor.agency
    assert agency is not None
    standing = _standing(victim)
    planned: list[IdentificationEvent] = []
    for step_kind in [Kind.IDENTIFIED, kind] if also_identified else [kind]:
        primary = step_kind == kind
        _check_order(
            actor=actor,
            victim=victim,
            standing=standing,
            kind=step_kind,
            occurred_on=occurred_on,
            corrects=corrects if primary else None,
            note=note if primary else "",
        )
        event = IdentificationEvent(
            victim=victim,
            kind=step_kind,
            occurred_on=occurred_on,
            agency=agency,
            country=agency.country,
            recorded_by=actor,
            support_service=support_service if primary else "",
            corrects=corrects if primary else None,
            note=note if primary else "",
        )
        check_text_lengths(event)
        event.full_clean()
        planned.append(event)
        # The next step sees this one standing, as it will once saved.
        standing.dates.setdefault(step_kind, occurred_on)
    return planned


def identification_event_record(
    *,
    actor: User,
    victim: Victim,
    kind: str,
    occurred_on: datetime.date,
    note: str = "",
    support_service: str = "",
    corrects: IdentificationEvent | None = None,
    also_identified: bool = False,
    seen_up_to: int | None = None,
) -> list[IdentificationEvent]:
    """Append an event (and, with ``also_identified``, the identification before it).

    Any casework user who can see the victim may record; the event carries their agency
    and country. Notifications are written with the events and e-mailed after commit.
    ``seen_up_to`` is the log's position (``victim_log_position``) when the recorder
    confirmed: if the log has grown since, LogChanged is raised and nothing is written,
    so a confirmation sent twice records once.
    """
    # Who may record is settled before the log says anything (LogChanged names events).
    require_casework_writer(actor)
    access.require_visible(actor, victim)
    with transaction.atomic():
        # One writer per child at a time, so two requests cannot both pass the order rules.
        Victim.objects.select_for_update().filter(pk=victim.pk).first()
        if seen_up_to is not None:
            since = list(
                IdentificationEvent.objects.filter(victim=victim, pk__gt=seen_up_to).order_by("pk")
            )
            if since:
                raise LogChanged(since)
        was_identified = _is_identified(victim)
        created = identification_event_check(
            actor=actor,
            victim=victim,
            kind=kind,
            occurred_on=occurred_on,
            note=note,
            support_service=support_service,
            corrects=corrects,
            also_identified=also_identified,
        )
        for event in created:
            event.save()
            audit_record(
                actor=actor,
                action=audit_actions.IDENTIFICATION_EVENT_RECORDED,
                target=event,
                details={
                    "victim": victim.code,
                    "kind": event.kind,
                    "occurred_on": str(occurred_on),
                },
            )
        _notify(actor=actor, victim=victim, events=created, was_identified=was_identified)
    return created


def _is_identified(victim: Victim) -> bool:
    return (
        Victim.objects.filter(pk=victim.pk)
        .annotate(status=victim_status_expression())
        .filter(status__in=IDENTIFIED_STATES)
        .exists()
    )


# --- Notifications ------------------------------------------------------------------------

_OUTCOME_NOTICES: dict[str, str] = {
    Kind.IDENTIFIED: NotificationKind.CHILD_IDENTIFIED,
    Kind.SAFEGUARDED: NotificationKind.CHILD_SAFEGUARDED,
}


def _owners(series: Series) -> list[User]:
    """The casework users of the series' owning agency."""
    return casework_users(agency_id=series.agency_id)


def _followers(series: Series) -> list[User]:
    """Followers who may still see the series (a follow does not outlive access)."""
    users = User.objects.filter(followed_series__series=series, is_active=True).select_related(
        "agency"
    )
    return [user for user in users if access.can_view(user, series)]


def _outcome_message(kind: str, series: Series, victim: Victim | None, progress: str) -> str:
    what = _("identified") if kind == Kind.IDENTIFIED else _("safeguarded")
    if victim is None:
        text = _("A child seen in series %(series)s was %(what)s.") % {
            "series": series.code,
            "what": what,
        }
    else:
        text = _("A child seen in series %(series)s was %(what)s (%(victim)s).") % {
            "series": series.code,
            "what": what,
            "victim": victim.code,
        }
    return f"{text} {progress}"


def _progress_text(summary: dict[str, object]) -> str:
    """The series' progress in the words and figures its page shows this reader."""
    return _("Identified in %(series)s: %(identified)s of %(children)s children.") % {
        "series": summary["series_code"],
        "identified": summary["identified"],
        "children": summary["children"],
    }


def _notify_each(messages: Iterable[tuple[User, str | None]], **about: str) -> None:
    """Notify each recipient with the text computed for them (None: not them)."""
    by_message: dict[str, list[User]] = {}
    for user, message in messages:
        if message is not None:
            by_message.setdefault(message, []).append(user)
    for message, group in by_message.items():
        notifications_create(recipients=group, message=message, **about)


def _notify(
    *, actor: User, victim: Victim, events: Iterable[IdentificationEvent], was_identified: bool
) -> None:
    """Tell each series' owners and followers; codes only, the victim's only to those who see it.

    Each text carries the series' progress from the same summary the series page shows
    its reader (``series_identification_summary``), so the two never disagree.
    """
    outcomes = [event.kind for event in events if event.kind in _OUTCOME_NOTICES]
    series_list = list(Series.objects.filter(victim_links__victim=victim).order_by("pk"))
    for series in series_list:
        recipients = {user.pk: user for user in _owners(series) + _followers(series)}
        recipients.pop(actor.pk, None)
        if not recipients:
            continue
        progress = {
            pk: _progress_text(series_identification_summary(actor=user, series=series))
            for pk, user in recipients.items()
        }
        seeing = [user for user in recipients.values() if access.can_view(user, victim)]
        others = [user for user in recipients.values() if user.pk not in {u.pk for u in seeing}]
        for kind in outcomes:
            for group, shown in ((seeing, victim), (others, None)):
                _notify_each(
                    [
                        (user, _outcome_message(kind, series, shown, progress[user.pk]))
                        for user in group
                    ],
                    kind=_OUTCOME_NOTICES[kind],
                    subject_type="victim" if shown else "series",
                    subject_ref=shown.code if shown else series.code,
                )
    if not was_identified and _is_identified(victim):
        _invite_to_mark_identified(series_list)


def _invite_to_mark_identified(series_list: Iterable[Series]) -> None:
    """Invite owners to mark a series identified once every child they can see in it is."""
    for series in series_list:
        if series.status == SeriesStatus.IDENTIFIED:
            continue
        _notify_each(
            [(user, _invitation(user, series)) for user in _owners(series)],
            kind=NotificationKind.SERIES_ALL_IDENTIFIED,
            subject_type="series",
            subject_ref=series.code,
        )


def _invitation(user: User, series: Series) -> str | None:
    summary = series_identification_summary(actor=user, series=series)
    if not summary["all_identified"]:
        return None  # their series page still shows a child to identify
    return _(
        "Every child known in series %(series)s is now identified "
        "(%(identified)s of %(children)s). Consider marking the series identified."
    ) % {
        "series": series.code,
        "identified": summary["identified"],
        "children": summary["children"],
    }


# --- Following a series -------------------------------------------------------------------


def series_follow(*, actor: User, series: Series) -> SeriesFollower:
    """Follow a visible series to hear when a child in it is identified or safeguarded."""
    require_casework_writer(actor)
    access.require_visible(actor, series)
    with transaction.atomic():
        follower, created = SeriesFollower.objects.get_or_create(user=actor, series=series)
        if created:
            audit_record(actor=actor, action=audit_actions.SERIES_FOLLOWED, target=series)
            coordinate_follow(actor=actor, series=series)
    return follower


def series_unfollow(*, actor: User, series: Series) -> bool:
    """Stop following a series; True when the user was following it."""
    with transaction.atomic():
        deleted, _rows = SeriesFollower.objects.filter(user=actor, series=series).delete()
        if deleted:
            audit_record(actor=actor, action=audit_actions.SERIES_UNFOLLOWED, target=series)
    return bool(deleted)
