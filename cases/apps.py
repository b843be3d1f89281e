from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Casework: series, hashes, clues, victims and identification events."""

    name = "cases"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from cases.taxonomy_seed import taxonomy_plant_if_empty

        # After a flush (transactional tests) the seeded tree is gone; plant it again.
        post_migrate.connect(taxonomy_plant_if_empty, sender=self)
