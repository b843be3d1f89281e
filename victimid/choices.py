"""Enumerations shared by the people-and-trust models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    NATIONAL_VID_UNIT = "national_vid_unit", _("National victim-identification unit")
    INTERNATIONAL = "international", _("International organisation")
    HOTLINE = "hotline", _("Hotline / NGO")


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending vetting")
    VETTED = "vetted", _("Vetted")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class VettingState(models.TextChoices):
    """Where a user's vetting stands today: the stored status, with a lapsed vetting as its own
    state (it is never stored; ``vetted`` past its date is ``expired``)."""

    PENDING = "pending", _("Pending vetting")
    VETTED = "vetted", _("Vetted")
    EXPIRED = "expired", _("Vetting lapsed")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class VettingDecisionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    RENEW = "renew", _("Renewed")
    REJECT = "reject", _("Rejected")
    SUSPEND = "suspend", _("Suspended")
    REINSTATE = "reinstate", _("Reinstated")


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    COORDINATOR = "coordinator", _("National coordinator")
    OVERSIGHT = "oversight", _("Oversight")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Platform admin")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")
