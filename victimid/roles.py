"""Roles as Django groups and the model permissions each carries.

Kept in sync after every migration (``post_migrate``), so a model added later
gets its permissions attached to the right roles without a hand-written
migration. Record-level access is decided by ``cases.access``; these model
permissions say what kind of action a role may take at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from victimid.choices import Role

# Roles a national coordinator may grant and remove within their country. Oversight and
# auditors read across every country (aggregates, the whole audit trail) and admins run
# the platform, so only a platform admin hands those out.
COORDINATOR_GRANTABLE_ROLES = frozenset({Role.INVESTIGATOR.value, Role.COORDINATOR.value})


def grantable_roles(actor: Any) -> list[tuple[str, Any]]:
    """The role choices ``actor`` may grant, for forms."""
    if actor.is_platform_admin:
        return list(Role.choices)
    return [choice for choice in Role.choices if choice[0] in COORDINATOR_GRANTABLE_ROLES]


CASEWORK_MODELS = [
    "series",
    "knownhash",
    "clue",
    "assessment",
    "routingrequest",
    "victim",
    "identificationevent",
    "claim",
]
CASEWORK_WORK = [
    f"cases.{action}_{model}" for model in CASEWORK_MODELS for action in ("view", "add", "change")
] + [f"victimid.{action}_sharinggroup" for action in ("view", "add", "change")]
ACCOUNT_MANAGEMENT = [
    "victimid.view_user",
    "victimid.add_user",
    "victimid.change_user",
    "victimid.view_vettingdecision",
]

# "app_label.codename"; permissions of models not (yet) installed are skipped.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INVESTIGATOR: CASEWORK_WORK,
    Role.COORDINATOR: CASEWORK_WORK + ACCOUNT_MANAGEMENT,
    Role.OVERSIGHT: [],
    Role.AUDITOR: ["victimid.view_auditevent"],
    Role.ADMIN: ACCOUNT_MANAGEMENT
    + ["victimid.view_agency", "victimid.add_agency", "victimid.change_agency"]
    + ["victimid.view_auditevent"]
    # Admins curate the clue taxonomy and look after sharing groups in the admin.
    + [f"cases.{action}_cluetaxonomynode" for action in ("view", "add", "change", "delete")]
    + ["victimid.view_sharinggroup", "victimid.change_sharinggroup"],
}


def sync_roles(**kwargs: Any) -> None:
    """Create the role groups and attach the permissions that exist so far.

    ``post_migrate`` fires once per app, and each app's permissions are created by its
    own receiver; acting after the last app means every app's permissions exist.
    """
    from django.apps import apps

    app_config = kwargs.get("app_config")
    # The signal is sent only for apps that have a models module.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not with_models[-1]:
        return
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = [name.split(".", 1) for name in dotted_names]
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if [permission.content_type.app_label, permission.codename] in wanted
        ]
        group.permissions.set(permissions)
