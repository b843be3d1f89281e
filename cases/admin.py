"""Admin for what platform admins curate: the clue taxonomy and sharing groups.

Casework itself (series, clues, hashes) is read and changed through the services,
which apply the access policy and audit every read; the admin does not list it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases.models import ClueTaxonomyNode
from victimid.admin_audit import AuditedModelAdmin
from victimid.models import SharingGroup, SharingGroupMembership


@admin.register(ClueTaxonomyNode)
class ClueTaxonomyNodeAdmin(AuditedModelAdmin):
    list_display = ["path", "label", "position"]
    search_fields = ["slug", "label"]
    ordering = ["path"]
    fields = ["parent", "slug", "label", "translations", "description", "position"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving or renaming a node would silently re-file every clue under it; add a
        # new node instead. Labels and translations stay editable.
        return ["parent", "slug"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.clues.exists() and not obj.children.exists()


class SharingGroupMembershipInline(admin.TabularInline):
    model = SharingGroupMembership
    extra = 0
    fields = ["agency", "added_by", "added_at"]
    readonly_fields = ["agency", "added_by", "added_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SharingGroup)
class SharingGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "managing_agency", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["managing_agency", "created_by", "created_at"]
    inlines = [SharingGroupMembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # groups are created by coordinators through the service, which audits
