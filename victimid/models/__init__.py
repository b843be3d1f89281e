from victimid.models.agency import Agency
from victimid.models.audit import (
    AUDIT_EVENT_FIELDS,
    AuditCheckpoint,
    AuditEvent,
    AuditVerification,
)
from victimid.models.mfa import RecoveryCode, RecoveryCodeDevice
from victimid.models.notifications import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from victimid.models.outbox import OutboxMessage
from victimid.models.sessions import UserSession
from victimid.models.sharing import SharingGroup, SharingGroupMembership
from victimid.models.tokens import ApiToken
from victimid.models.user import User
from victimid.models.vetting import VettingDecision

__all__ = [
    "AUDIT_EVENT_FIELDS",
    "Agency",
    "ApiToken",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditVerification",
    "EmailFrequency",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "OutboxMessage",
    "RecoveryCode",
    "RecoveryCodeDevice",
    "SharingGroup",
    "SharingGroupMembership",
    "User",
    "UserSession",
    "VettingDecision",
]
