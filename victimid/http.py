"""Typing for requests that reached a signed-in view, and for django-otp's per-request flag."""

from __future__ import annotations

from typing import Protocol, cast

from django.http import HttpRequest

from victimid.models import User

__all__ = ["AuthenticatedRequest", "is_verified", "signed_in_user"]


class AuthenticatedRequest(HttpRequest):
    """A request the second-factor gate let through to a non-public view: a signed-in user.

    ``SecondFactorGateMiddleware`` sends anonymous visitors to the login page, so
    every view not marked ``public`` sees a ``User`` (verified, unless the view is
    marked ``before_second_factor``).
    """

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` where the caller knows someone is signed in (admin, gated views)."""
    user = request.user
    assert user.is_authenticated, "only reached behind the login and second-factor gate"
    return user


class _OTPUser(Protocol):
    def is_verified(self) -> bool: ...


def is_verified(user: object) -> bool:
    """Has this request's user passed the second factor?

    django-otp's ``OTPMiddleware`` (and bearer-token authentication) attach
    ``is_verified`` to ``request.user`` per request, so no class declares it.
    """
    return cast(_OTPUser, user).is_verified()
