"""Django admin: platform admins only, and only with a verified second factor."""

from django.contrib import admin
from django_otp.admin import OTPAdminSite

from victimid.admin_audit import AuditedModelAdmin
from victimid.models import Agency, AuditEvent, User, VettingDecision

# Replace the default site's class so every registered model is behind the OTP check.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "VictimID administration"


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "country", "kind", "contact_point"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = [
        "email",
        "full_name",
        "agency",
        "vetting_status",
        "vetted_until",
        "is_active",
        "locked_at",
    ]
    list_filter = ["vetting_status", "is_active"]
    search_fields = ["email", "full_name"]
    # Vetting, roles and locks change only through the services, which audit them.
    readonly_fields = [
        "vetting_status",
        "vetted_until",
        "locked_at",
        "last_login",
        "last_seen_at",
        "date_joined",
        "password",
        "groups",
        "user_permissions",
        "is_superuser",
    ]
    exclude = ["session_stamp"]


@admin.register(VettingDecision)
class VettingDecisionAdmin(AuditedModelAdmin):
    list_display = ["subject", "decision", "decided_by", "decided_at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
    list_display = ["id", "occurred_at", "actor", "action", "target_type", "target_id", "outcome"]
    list_filter = ["action", "outcome"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
