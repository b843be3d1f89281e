from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimIdConfig(AppConfig):
    """People and trust: agencies, users, roles, vetting, MFA, tokens, audit."""

    name = "victimid"
    verbose_name = _("VictimID people and trust")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from victimid import celery_hooks, signals  # noqa: F401  (connect receivers)
        from victimid.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="victimid.sync_roles")
