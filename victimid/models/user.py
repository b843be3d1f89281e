from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from victimid.choices import Role, VettingState, VettingStatus

__all__ = ["User", "UserManager"]


def new_session_stamp() -> str:
    return secrets.token_hex(16)


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by e-mail address."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_superuser", True)
        fields.setdefault("vetting_status", VettingStatus.VETTED)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: belongs to one agency, holds roles, must be vetted."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    vetting_status = models.CharField(
        _("vetting status"),
        max_length=16,
        choices=VettingStatus.choices,
        default=VettingStatus.PENDING,
    )
    vetted_until = models.DateTimeField(_("vetted until"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Cleared when an account is disabled (for example after 90 days unused)."),
    )
    disabled_reason = models.CharField(_("reason disabled"), max_length=200, blank=True)
    locked_at = models.DateTimeField(
        _("locked at"),
        null=True,
        blank=True,
        help_text=_("Set after repeated failed logins; cleared when a coordinator releases it."),
    )
    session_stamp = models.CharField(
        _("session stamp"),
        max_length=32,
        default=new_session_stamp,
        editable=False,
        help_text=_("Changing it ends every session of this user at once."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(vetting_status="vetted")
                | models.Q(vetted_until__isnull=False)
                | models.Q(is_superuser=True),
                name="user_vetted_has_expiry",
            )
        ]

    def __str__(self) -> str:
        return self.email

    def get_session_auth_hash(self) -> str:
        # Django re-checks this on every request; folding in the stamp means that
        # rotating it (suspension, password change, release) ends all sessions.
        return salted_hmac(
            "victimid.User.session",
            f"{self.password}:{self.session_stamp}",
            secret=None,
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self) -> None:
        """Rotate the session stamp; every existing session fails its next check."""
        self.session_stamp = new_session_stamp()

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    @property
    def is_staff(self) -> bool:
        """Only platform admins reach the Django admin."""
        return self.is_superuser or self.has_role(Role.ADMIN)

    @property
    def is_platform_admin(self) -> bool:
        return self.is_staff

    @property
    def country_code(self) -> str | None:
        return self.agency.country.code if self.agency_id and self.agency else None

    def vetting_expired(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.vetted_until is not None and self.vetted_until <= now

    @property
    def effective_vetting_status(self) -> VettingState:
        """What the user's vetting amounts to right now, with expiry taken into account."""
        if self.vetting_status == VettingStatus.VETTED and self.vetting_expired():
            return VettingState.EXPIRED
        return VettingState(self.vetting_status)

    @property
    def effective_vetting_status_label(self) -> str:
        """The state of ``effective_vetting_status`` in the reader's language."""
        return str(self.effective_vetting_status.label)

    @property
    def is_vetted(self) -> bool:
        """Vetted, not expired, active and not locked: may see casework (with a second factor)."""
        return (
            self.is_active
            and self.locked_at is None
            and self.vetting_status == VettingStatus.VETTED
            and (self.is_superuser or not self.vetting_expired())
        )
