"""Second factor: enrolment at first sign-in and verification at every sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from victimid.forms import EnrolForm, OneTimeCodeForm
from victimid.http import AuthenticatedRequest, is_verified
from victimid.middleware import before_second_factor
from victimid.services import mfa


def _after_verification(request: AuthenticatedRequest) -> HttpResponse:
    target = request.session.pop("after_second_factor", None)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("dashboard")


@before_second_factor
@csrf_protect
@never_cache
def enrol_view(request: AuthenticatedRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the secret), then confirm with a code."""
    user = request.user
    if mfa.has_confirmed_totp(user):
        return redirect("mfa-verify")
    device = mfa.totp_pending_device(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_confirm(request=request, user=user, token=form.cleaned_data["token"])
        if codes is not None:
            return render(
                request, "victimid/recovery_codes.html", {"codes": codes, "first_time": True}
            )
        form.add_error(
            "token", _("That code does not match. Check the clock of your device and try again.")
        )
    return render(
        request,
        "victimid/mfa_enrol.html",
        {
            "form": form,
            "qr_svg": mfa.totp_qr_svg(device),
            "secret": mfa.totp_secret_text(device),
        },
    )


@before_second_factor
@csrf_protect
@never_cache
def verify_view(request: AuthenticatedRequest) -> HttpResponse:
    """Every sign-in: a code from the app, or one recovery code."""
    user = request.user
    if is_verified(user):
        return _after_verification(request)
    if not mfa.has_confirmed_totp(user):
        return redirect("mfa-enrol")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.second_factor_login(request=request, user=user, token=form.cleaned_data["token"]):
            messages.success(request, _("Signed in."))
            return _after_verification(request)
        form.add_error("token", _("That code is not valid. Try the current code from your app."))
    return render(request, "victimid/mfa_verify.html", {"form": form})
