"""The coordinator's vetting queue, user decisions, invitations and lock release."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from victimid.choices import Role, VettingStatus
from victimid.forms import DecisionForm, InviteForm, RolesForm
from victimid.http import AuthenticatedRequest
from victimid.models import User
from victimid.selectors.users import users_manageable_by
from victimid.services import vetting
from victimid.services.accounts import user_invite, user_set_roles
from victimid.services.lockout import user_release
from victimid.services.sessions import sessions_end_all


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_vetted or not (user.is_platform_admin or user.has_role(Role.COORDINATOR)):
            raise PermissionDenied(_("Vetting is for national coordinators and admins."))
        return view(request, *args, **kwargs)

    return wrapper


@coordinator_required
def queue_view(request: AuthenticatedRequest) -> HttpResponse:
    users = users_manageable_by(request.user)
    pending = users.filter(vetting_status=VettingStatus.PENDING).order_by("date_joined")
    locked = users.filter(locked_at__isnull=False)
    everyone = users.order_by("agency__name", "email")
    return render(
        request,
        "victimid/vetting_queue.html",
        {"pending": pending, "locked": locked, "everyone": everyone},
    )


def _subject(request: AuthenticatedRequest, user_id: int) -> User:
    subject = users_manageable_by(request.user).filter(pk=user_id).first()
    if subject is None:
        raise Http404
    return subject


def _user_page(
    request: AuthenticatedRequest,
    subject: User,
    *,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "victimid/vetting_user.html",
        {
            "subject": subject,
            "decisions": subject.vetting_decisions.select_related("decided_by")[:50],
            "decision_form": decision_form or DecisionForm(subject=subject),
            "roles_form": RolesForm(
                actor=request.user, initial={"roles": sorted(subject.role_names)}
            ),
        },
        status=status,
    )


@coordinator_required
def user_detail_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    return _user_page(request, _subject(request, user_id))


@require_POST
@coordinator_required
def decide_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """Record a decision; bad input comes back as 400 with the reason next to its field."""
    subject = _subject(request, user_id)
    form = DecisionForm(request.POST, subject=subject)
    if form.is_valid():
        try:
            vetting.vetting_decide(
                actor=request.user,
                subject=subject,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            # The service read the user's state afresh under a lock: offer what is open now.
            form = DecisionForm(request.POST, subject=subject)
            form.is_valid()
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for field, errors in by_field.items():
                for error in errors:
                    if error not in form.errors.get(field, []):
                        form.add_error(field, error)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return _user_page(request, subject, decision_form=form, status=403)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("vetting-user", user_id=subject.pk)
    return _user_page(request, subject, decision_form=form, status=400)


@require_POST
@coordinator_required
def roles_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    subject = _subject(request, user_id)
    form = RolesForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            user_set_roles(actor=request.user, subject=subject, roles=form.cleaned_data["roles"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Roles updated."))
    else:
        messages.error(request, _("Choose at least one allowed role."))
    return redirect("vetting-user", user_id=subject.pk)


@require_POST
@coordinator_required
def release_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    subject = _subject(request, user_id)
    user_release(actor=request.user, subject=subject)
    messages.success(request, _("The account is released; the user can sign in again."))
    return redirect("vetting-user", user_id=subject.pk)


@coordinator_required
def invite_view(request: AuthenticatedRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invited = user_invite(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            link = request.build_absolute_uri(
                reverse(
                    "set-password",
                    kwargs={
                        "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
                        "token": default_token_generator.make_token(invited),
                    },
                )
            )
            send_mail(
                _("Your VictimID account"),
                _(
                    "A coordinator has created a VictimID account for you. Choose a password "
                    "here (the link works once): %(link)s\nYou will then set up your second factor."
                )
                % {"link": link},
                None,
                [invited.email],
            )
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invited.email})
            return redirect("vetting-user", user_id=invited.pk)
    return render(request, "victimid/invite.html", {"form": form})


@require_POST
@coordinator_required
def end_sessions_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """A platform admin ends every session of a user at once (e.g. while suspending)."""
    subject = _subject(request, user_id)
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("Only a platform admin ends another user's sessions."))
    ended = sessions_end_all(actor=request.user, subject=subject)
    messages.success(
        request, _("%(count)d session(s) ended; every other one too.") % {"count": ended}
    )
    return redirect("vetting-user", user_id=subject.pk)
