"""The account page: password, e-mailed notifications, second factor, recovery codes, tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.forms import (
    NotificationEmailForm,
    PasswordChangeForm,
    ReauthForm,
    SessionEndForm,
    TokenForm,
    TokenRevokeForm,
)
from victimid.http import AuthenticatedRequest
from victimid.models import ApiToken, RecoveryCodeDevice, User, UserSession
from victimid.selectors.notifications import (
    notification_email_choices,
    notification_email_frequencies,
)
from victimid.services import mfa
from victimid.services.accounts import user_password_change
from victimid.services.notifications import (
    notification_email_choices_set,
    notification_email_frequencies_set,
)
from victimid.services.sessions import (
    SESSION_ID_KEY,
    session_end,
    sessions_active,
    sessions_end_all,
)
from victimid.services.tokens import api_token_issue, api_token_revoke


def _page(request: AuthenticatedRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    user: User = request.user
    context = {
        "password_form": extra.pop("password_form", None) or PasswordChangeForm(),
        "email_form": extra.pop("email_form", None)
        or NotificationEmailForm(
            initial={
                "emailed_kinds": [
                    kind for kind, on in notification_email_choices(user=user).items() if on
                ],
                **{
                    f"frequency_{kind}": value
                    for kind, value in notification_email_frequencies(user=user).items()
                },
            }
        ),
        "devices": TOTPDevice.objects.filter(user=user, confirmed=True),
        "recovery": RecoveryCodeDevice.objects.filter(user=user).first(),
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "reauth_form": extra.pop("reauth_form", None) or ReauthForm(),
        "session_end_form": extra.pop("session_end_form", None) or SessionEndForm(),
        "token_revoke_form": extra.pop("token_revoke_form", None) or TokenRevokeForm(),
        "browser_sessions": sessions_active(user=user),
        "current_sid": request.session.get(SESSION_ID_KEY, ""),
        **extra,
    }
    return render(request, "victimid/account.html", context, status=status)


def account_view(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request)


def _reauthenticated(request: AuthenticatedRequest, form: ReauthForm | TokenForm) -> bool:
    """True when ``form`` carries a valid fresh code (``mfa.reauthenticate``, the one rule);
    otherwise the form holds the error to show."""
    if not form.is_valid():
        return False
    try:
        mfa.reauthenticate(user=request.user, token=form.cleaned_data["token"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@sensitive_post_parameters("current_password", "new_password", "new_password_again", "token")
@never_cache
@require_POST
def password_change_view(request: AuthenticatedRequest) -> HttpResponse:
    """Change one's password: this session stays signed in, every other one ends."""
    user: User = request.user
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            user_password_change(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(
                request,
                _(
                    "Your password is changed. You are still signed in here; "
                    "every other session of yours has ended."
                ),
            )
            return redirect("account")
    return _page(request, password_form=form, status=400)


@require_POST
def notification_emails_view(request: AuthenticatedRequest) -> HttpResponse:
    """Save which kinds of notification are e-mailed."""
    form = NotificationEmailForm(request.POST)
    if form.is_valid():
        try:
            notification_email_choices_set(
                actor=request.user, emailed_kinds=form.cleaned_data["emailed_kinds"]
            )
            notification_email_frequencies_set(actor=request.user, frequencies=form.frequencies())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your choice of e-mailed notifications is saved."))
            return redirect("account")
    return _page(request, email_form=form, status=400)


@never_cache  # the response carries the new token
@require_POST
def token_create_view(request: AuthenticatedRequest) -> HttpResponse:
    """Issue a token after the user re-enters a one-time code; the token is shown once."""
    user: User = request.user
    form = TokenForm(request.POST)
    if not _reauthenticated(request, form):
        return _page(request, token_form=form)
    try:
        record, token = api_token_issue(
            user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
    except (PermissionDenied, ValidationError) as exc:
        form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        return _page(request, token_form=form)
    return _page(request, new_token=token, new_token_record=record)


@sensitive_post_parameters("token")
@require_POST
def token_revoke_view(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    """Revoke one of one's own tokens, confirmed by a fresh code (another's is a 404)."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    form = TokenRevokeForm(request.POST)
    if not _reauthenticated(request, form):
        return _page(request, token_revoke_form=form, status=400)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("account")


@never_cache  # the response carries the new recovery codes
@require_POST
def recovery_regenerate_view(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    form = ReauthForm(request.POST)
    if not _reauthenticated(request, form):
        return _page(request, reauth_form=form)
    codes = mfa.recovery_codes_regenerate(user=user)
    return render(request, "victimid/recovery_codes.html", {"codes": codes, "first_time": False})


@sensitive_post_parameters("token")
@require_POST
def session_end_view(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """End one of one's own browser sessions, confirmed by a fresh code (another's is a
    404: none of yours)."""
    session = get_object_or_404(UserSession, pk=session_id, user=request.user)
    form = SessionEndForm(request.POST)
    if not _reauthenticated(request, form):
        return _page(request, session_end_form=form, status=400)
    session_end(actor=request.user, session=session)
    messages.success(request, _("The session is ended."))
    return redirect("account")


@sensitive_post_parameters("token")
@require_POST
def sessions_end_others_view(request: AuthenticatedRequest) -> HttpResponse:
    """End every other browser session of one's own, confirmed by a fresh code; this one
    stays signed in."""
    form = SessionEndForm(request.POST)
    if not _reauthenticated(request, form):
        return _page(request, session_end_form=form, status=400)
    sessions_end_all(
        actor=request.user,
        subject=request.user,
        keep_sid=request.session.get(SESSION_ID_KEY, "") or "-",
    )
    messages.success(request, _("Every other session of yours is ended."))
    return redirect("account")
