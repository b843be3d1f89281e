"""Navigation entries by role, for the base template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from victimid.choices import Role
from victimid.gate import has_audit_access, has_casework_access, stats_scope
from victimid.selectors.notifications import unread_notification_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    items: list[tuple[str, Any]] = [("dashboard", _("Dashboard"))]
    if has_casework_access(user):
        items += [("series-list", _("Series")), ("clue-search", _("Search clues"))]
        items.append(("victim-list", _("Children")))
        # Triage jobs are reached from the lookup page, notices and related clues from the
        # dashboard: the header stays one line at 1366 px for every role.
        items.append(("hash-lookup", _("Hash lookup")))
        items.append(("routing-queue", _("Routing")))
    if stats_scope(user) is not None:
        items.append(("stats-dashboard", _("Figures")))
    if user.is_vetted and (user.is_platform_admin or user.has_role(Role.COORDINATOR)):
        items.append(("vetting-queue", _("Vetting")))
    if has_audit_access(user):
        items.append(("audit-list", _("Audit trail")))
    unread = unread_notification_count(actor=user)
    # The unread count in the header, in words a screen reader says too.
    items.append(
        (
            "notifications",
            _("Notifications (%(count)d unread)") % {"count": unread}
            if unread
            else _("Notifications"),
        )
    )
    items.append(("account", _("Account")))
    if user.is_staff:
        items.append(("admin:index", _("Admin")))
    resolved = []
    for name, label in items:
        try:
            resolved.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue  # a section whose app is not installed in this deployment
    return {"nav_items": resolved}
