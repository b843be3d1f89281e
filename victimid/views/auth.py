"""Sign-in, sign-out, self-registration and setting a password from an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from victimid.forms import LoginForm, RegistrationForm
from victimid.middleware import before_second_factor, public
from victimid.models import User
from victimid.services.accounts import user_register
from victimid.services.lockout import release_contact_text


def _locked_response(request: HttpRequest) -> HttpResponse:
    """The same page for real and unknown addresses, so it reveals no account."""
    return render(
        request,
        "victimid/locked.html",
        {"release_text": release_contact_text()},
        status=403,
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """django-axes calls this when a login attempt is refused for too many failures."""
    return _locked_response(request)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """E-mail and password; the second factor follows on its own page."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        known = User.objects.filter(email__iexact=email).first()
        if known is not None and known.locked_at is not None:
            return _locked_response(request)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return _locked_response(request)
        if user is None:
            form.add_error(None, _("The e-mail address or password is not right."))
        else:
            login(request, user, backend="victimid.auth_backends.EmailBackend")
            next_url = _safe_next(request)
            if next_url:
                request.session["after_second_factor"] = next_url
            return redirect("mfa-verify")
    return render(request, "victimid/login.html", {"form": form, "next": _safe_next(request)})


@before_second_factor
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session on the server (the session row is deleted)."""
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("login")


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def register_view(request: HttpRequest) -> HttpResponse:
    """Ask for an account; it stays pending until a coordinator of the agency's country vets it."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_register(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            agency=form.cleaned_data["agency"],
            password=form.cleaned_data["password"],
        )
        messages.success(
            request,
            _(
                "Your account request is recorded. Sign in to set up your second factor; "
                "a national coordinator of your country will vet the account."
            ),
        )
        return redirect("login")
    return render(request, "victimid/register.html", {"form": form})


class SetPasswordView(PasswordResetConfirmView):
    """An invited user chooses a password through the one-time link in the invitation."""

    template_name = "victimid/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return super().form_valid(form)


setattr(SetPasswordView, "victimid_public", True)  # noqa: B010
