from __future__ import annotations

import hashlib
import hmac

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

__all__ = ["RecoveryCode", "RecoveryCodeDevice", "hash_recovery_code", "normalise_recovery_code"]


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A django-otp device holding single-use recovery codes, stored only as hashes."""

    class Meta(Device.Meta):
        verbose_name = _("recovery code set")
        verbose_name_plural = _("recovery code sets")

    def verify_token(self, token: str) -> bool:
        verify_allowed, _reason = self.verify_is_allowed()
        if not verify_allowed:
            return False
        candidate = hash_recovery_code(str(token))
        with transaction.atomic():
            # Lock the unused codes so two logins cannot spend the same code.
            for code in self.codes.select_for_update().filter(used_at__isnull=True):
                if hmac.compare_digest(code.code_hash, candidate):
                    code.used_at = timezone.now()
                    code.save(update_fields=["used_at"])
                    self.throttle_reset()
                    return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return 1

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    """One single-use recovery code (its hash) and when it was spent."""

    device = models.ForeignKey(
        RecoveryCodeDevice,
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        # Never the hash: it is a credential.
        return f"recovery code {self.pk} ({'used' if self.used_at else 'unused'})"
