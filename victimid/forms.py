"""Web forms of the people-and-trust pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from victimid.choices import Role
from victimid.models import Agency, EmailFrequency, NotificationKind, User
from victimid.roles import grantable_roles
from victimid.services.vetting import (
    DECISION_ACTIONS,
    vetting_decision_refusal,
    vetting_decisions_open,
)


class LoginForm(forms.Form):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=_("One-time code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    token = forms.RegexField(
        label=_("Code shown by your app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all())
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this address exists already."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            probe = User(
                email=data.get("email", ""),
                full_name=data.get("full_name", ""),
                agency=data.get("agency"),
            )
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=[])

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.all()
        if not actor.is_platform_admin:
            assert actor.agency is not None, "every user but a platform admin has an agency"
            agencies = agencies.filter(country=actor.agency.country)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["role"].choices = grantable_roles(actor)  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this address exists already."))
        return email


class DecisionForm(forms.Form):
    """A vetting decision about one user: only the decisions open from their current state."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    # Not required here: the service refuses an empty reason and names this field, so the
    # rule is stated once for the page, the commands and any later API.
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        help_text=_("Required. Kept in the user's vetting history."),
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )

    def __init__(self, *args: Any, subject: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        decision.choices = [  # type: ignore[attr-defined]
            (kind.value, DECISION_ACTIONS[kind]) for kind in vetting_decisions_open(subject)
        ]
        # Offered from an older page, after someone else decided: say what is open now.
        decision.error_messages["invalid_choice"] = vetting_decision_refusal(subject)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = grantable_roles(actor)  # type: ignore[attr-defined]


class _AccountPageForm(forms.Form):
    """One of several forms on the account page: its ids carry a prefix so none repeats."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _current_code_field() -> forms.CharField:
    """The code that confirms a sensitive change: from the app, or a recovery code."""
    return forms.CharField(
        label=_("Current one-time code"),
        max_length=16,
        help_text=_("The code your authenticator app shows now, or an unused recovery code."),
        # Text, not numeric: recovery codes have letters, and a phone must offer them.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class TokenForm(_AccountPageForm):
    id_prefix = "new_token"

    name = forms.CharField(label=_("What the token is for"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=30,
    )
    token = _current_code_field()


class ReauthForm(_AccountPageForm):
    """A fresh one-time code confirming one sensitive change (``mfa.reauthenticate``)."""

    id_prefix = "reauth"

    token = _current_code_field()


class SessionEndForm(ReauthForm):
    """The code that confirms ending one of one's sessions, or all the others."""

    id_prefix = "end_session"


class TokenRevokeForm(ReauthForm):
    """The code that confirms revoking one of one's API tokens."""

    id_prefix = "revoke_token"


class PasswordChangeForm(_AccountPageForm):
    """One's own new password, confirmed by the current one and a second-factor code."""

    id_prefix = "password"

    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = _current_code_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rules the service applies, in the words of the configured validators.
        self.fields["new_password"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error(
                "new_password_again", _("This is not the same as the new password above.")
            )
        return data


class NotificationEmailForm(_AccountPageForm):
    """Which kinds of notification arrive by e-mail too (all of them are always in-app)."""

    id_prefix = "email"

    emailed_kinds = forms.MultipleChoiceField(
        label=_("E-mail me when"),
        choices=NotificationKind.choices,
        required=False,  # nothing ticked: every notification stays in-app only
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Unticked kinds are not e-mailed; they still appear under Notifications. "
            "E-mails carry no casework, only a neutral line and a reminder to sign in."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # How often each kind leaves: at once, or gathered in a daily or weekly digest.
        for kind, label in NotificationKind.choices:
            self.fields[f"frequency_{kind}"] = forms.ChoiceField(
                label=_("How often: %(kind)s") % {"kind": label},
                choices=EmailFrequency.choices,
                initial=EmailFrequency.IMMEDIATELY,
                required=False,
            )

    def frequencies(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data.get(f"frequency_{kind}") or EmailFrequency.IMMEDIATELY
            for kind in NotificationKind.values
        }


class AuditFilterForm(forms.Form):
    """Filters of the audit page; the selector checks what they mean (and names the field)."""

    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=254,
        help_text=_("User id or e-mail address."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("name"), required=False
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("e.g. clue.viewed, or auth. for every sign-in event."),
    )
    target_type = forms.CharField(
        label=_("Target type"), required=False, max_length=64, help_text=_("e.g. cases.clue")
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict[str, str]:
        """The filters given, as the selector takes them (text)."""
        given: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            given[name] = str(value.pk) if isinstance(value, Agency) else str(value)
        return given
