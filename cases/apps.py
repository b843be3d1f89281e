from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Casework: series, hashes, clues, victims and identification events."""

    name = "cases"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"
