"""Forms of the victims pages: register and change a victim, record an outcome, filter."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    DISTRIBUTION_EXPLAINED,
    AgeBand,
    Distribution,
    IdentificationEventKind,
    SupportService,
    VictimStatus,
)
from cases.forms.common import CaseworkForm, DistributionFields, VersionField, add_rule_problems
from cases.models import IdentificationEvent, Victim
from cases.models.victims import EVENT_KIND_OF_FIELD, identification_event_problems
from cases.screening import screen_text
from cases.selectors.series import series_by_codes
from cases.selectors.sharing import sharing_groups_for
from victimid.models import User

__all__ = [
    "IdentificationEventForm",
    "VictimEditForm",
    "VictimFilterForm",
    "VictimForm",
    "split_codes",
    "victim_initial",
]

_CODE_SEPARATORS = re.compile(r"[\s,;]+")
_CONFIRMATION_SALT = "cases.forms.victims.IdentificationEventForm.confirmation"


def split_codes(text: str) -> list[str]:
    """Series codes typed with commas, spaces or new lines, upper-cased and de-duplicated."""
    return list(dict.fromkeys(code.upper() for code in _CODE_SEPARATORS.split(text) if code))


class VictimFilterForm(CaseworkForm):
    """Filters of the victim list."""

    series = forms.CharField(label=_("Series code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *VictimStatus.choices],
    )


class VictimForm(DistributionFields):
    """Register a victim: the series the child appears in, the age band, who will see it."""

    series_codes = forms.CharField(
        label=_("Series the child appears in"),
        max_length=500,
        help_text=_("One or more series codes, e.g. SER-2026-000017, separated by commas."),
    )
    age_band = forms.ChoiceField(
        label=_("Age band at first appearance"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN
    )
    # The victim pages draw the generic form, so each level carries its explanation here.
    distribution = forms.ChoiceField(
        label=_("Who will see this child's record"),
        choices=[
            (value, f"{label} — {DISTRIBUTION_EXPLAINED[Distribution(value)]}")
            for value, label in Distribution.choices
        ],
        initial=Distribution.AGENCY,
        widget=forms.RadioSelect,
        help_text=_("Readers must also be able to see at least one of the series."),
    )
    notes = Victim._meta.get_field("notes").formfield(
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never a name, birth date, address, school or picture of the child."),
    )

    field_order = ["series_codes", "age_band", "distribution", "sharing_group", "notes"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, sharing_groups=sharing_groups_for(actor=actor), **kwargs)
        self.actor = actor

    def clean_series_codes(self) -> list[Any]:
        """The series named, each one the actor can see (others are unknown series)."""
        codes = split_codes(self.cleaned_data["series_codes"])
        if not codes:
            raise ValidationError(_("Name at least one series."))
        found = series_by_codes(actor=self.actor, codes=codes)
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(
                _("No series %(codes)s that you can see."), params={"codes": ", ".join(missing)}
            )
        return [found[code] for code in codes]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values under the names the victim services take."""
        data = self.cleaned_data
        return {
            "series": data["series_codes"],
            "age_band": data["age_band"],
            "notes": data["notes"] or "",
            "distribution": data["distribution"],
            "sharing_group": data["sharing_group"],
        }


class VictimEditForm(VictimForm, VersionField):
    """The owner's changes, carrying the version read so no change is lost silently."""


def victim_initial(victim: Victim) -> dict[str, Any]:
    """The edit form's starting values: only the series links the reader can see."""
    return {
        "version": victim.version,
        "series_codes": ", ".join(link.series.code for link in victim.visible_series_links),  # type: ignore[attr-defined]
        "age_band": victim.age_band,
        "notes": victim.notes,
        "distribution": victim.distribution,
        "sharing_group": victim.sharing_group_id,
    }


class IdentificationEventForm(CaseworkForm):
    """Record an outcome: one event of the identification log (never changed afterwards).

    Nothing is chosen for the recorder: the kind of event is asked for. A field that one
    kind alone uses says so in its help and carries ``data-shown-with`` (the page's
    ``dependent_fields.js`` shows it only with its kind); given with another kind it is
    refused by name, as the API refuses it. The page confirms before writing: the first
    valid POST shows what will be recorded, and ``confirmation_token`` vouches for
    exactly those values when they come back to be recorded.
    """

    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("— choose what happened —")), *IdentificationEventKind.choices],
        error_messages={"required": _("Choose what happened.")},
    )
    occurred_on = forms.DateField(
        label=_("Date it happened"), widget=forms.DateInput(attrs={"type": "date"})
    )
    support_service = forms.ChoiceField(
        label=_("Kind of support service"),
        required=False,
        choices=[("", _("— choose the kind of service —")), *SupportService.choices],
        help_text=_("Only for a referral to support services."),
    )
    corrects = forms.TypedChoiceField(
        label=_("Event this corrects"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Only for a correction: the event stays in the log, marked corrected."),
    )
    also_identified = forms.BooleanField(
        label=_("Also record the identification on the same date"),
        required=False,
        help_text=_("Only for a safeguarding, when the identification was not yet recorded."),
    )
    note = IdentificationEvent._meta.get_field("note").formfield(
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a colleague needs to know. Never a name or address of the child."),
    )

    def __init__(
        self, *args: Any, correctable: QuerySet[IdentificationEvent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.correctable = {event.pk: event for event in correctable}
        self.fields["corrects"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose the event —")),
            *(
                (event.pk, f"{event.occurred_on:%Y-%m-%d} · {event.get_kind_display()}")
                for event in self.correctable.values()
            ),
        ]
        for name, kind in EVENT_KIND_OF_FIELD.items():
            self.fields[name].widget.attrs["data-shown-with"] = f"kind={kind}"

    def clean_corrects(self) -> IdentificationEvent | None:
        pk = self.cleaned_data.get("corrects")
        return self.correctable.get(pk) if pk is not None else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "kind" in cleaned:
            add_rule_problems(
                self,
                identification_event_problems(
                    kind=cleaned["kind"],
                    support_service=cleaned.get("support_service") or "",
                    corrects=cleaned.get("corrects"),
                    also_identified=bool(cleaned.get("also_identified")),
                ),
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values under the names ``identification_event_record`` takes."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "support_service": data.get("support_service") or "",
            "corrects": data.get("corrects"),
            "also_identified": bool(data.get("also_identified")),
            "note": data.get("note") or "",
        }

    def recorded_values(self) -> dict[str, Any]:
        """What will be recorded, in a shape that compares and signs exactly."""
        arguments = self.service_arguments()
        corrects = arguments["corrects"]
        return {
            **arguments,
            "occurred_on": arguments["occurred_on"].isoformat(),
            "corrects": corrects.pk if corrects is not None else None,
        }

    def confirmation_token(self, *, actor: User, victim: Victim, seen_up_to: int) -> str:
        """Signed proof that ``actor`` was shown these values for ``victim`` to confirm,
        with the log's position then (``victim_log_position``)."""
        return signing.dumps(
            {
                "actor": actor.pk,
                "victim": victim.pk,
                "values": self.recorded_values(),
                "seen_up_to": seen_up_to,
            },
            salt=_CONFIRMATION_SALT,
            compress=True,
        )

    def confirmed_position(self, token: str, *, actor: User, victim: Victim) -> int | None:
        """The log position of the summary, if ``token`` vouches for exactly these values.

        None when the token is missing, forged, another person's or another child's, or
        when any value differs from what was summarised: then nothing may be recorded.
        """
        try:
            confirmed = signing.loads(token, salt=_CONFIRMATION_SALT)
        except signing.BadSignature:
            return None
        if (
            not isinstance(confirmed, dict)
            or confirmed.get("actor") != actor.pk
            or confirmed.get("victim") != victim.pk
            or confirmed.get("values") != self.recorded_values()
            or not isinstance(confirmed.get("seen_up_to"), int)
        ):
            return None
        return int(confirmed["seen_up_to"])

    def describes(self, events: list[IdentificationEvent], *, actor: User) -> bool:
        """Are ``events`` exactly what these values record, by ``actor``? (A repeated confirm.)"""
        values = self.recorded_values()
        kinds = [IdentificationEventKind.IDENTIFIED] if values["also_identified"] else []
        kinds.append(values["kind"])
        if [event.kind for event in events] != kinds:
            return False
        last = events[-1]
        return (
            all(
                event.recorded_by_id == actor.pk
                and event.occurred_on.isoformat() == values["occurred_on"]
                for event in events
            )
            and last.support_service == values["support_service"]
            and last.corrects_id == values["corrects"]
            and last.note == values["note"]
        )
