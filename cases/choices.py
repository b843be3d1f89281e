"""Enumerations of casework."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Distribution(models.TextChoices):
    AGENCY = "agency", _("My agency only")
    COUNTRY = "country", _("Vetted users in my country")
    GROUP = "group", _("Members of a sharing group")
    NETWORK = "network", _("Every vetted user on VictimID")


DISTRIBUTION_EXPLAINED = {
    Distribution.AGENCY: _("Only vetted colleagues at your own agency will see this."),
    Distribution.COUNTRY: _("Every vetted user at any agency in your country will see this."),
    Distribution.GROUP: _(
        "Vetted users at the agencies in the sharing group you choose will see this."
    ),
    Distribution.NETWORK: _(
        "Every vetted investigator on VictimID, in every country, will see this."
    ),
}


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    IDENTIFIED = "identified", _("Identified")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another series")


class HashAlgorithm(models.TextChoices):
    MD5 = "md5", "MD5"
    SHA1 = "sha1", "SHA-1"
    SHA256 = "sha256", "SHA-256"
    PHOTODNA = "photodna", "PhotoDNA"
    PDQ = "pdq", "PDQ"


class HashSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")
    API = "api", _("Submitted through the API")


class VicsCategory(models.IntegerChoices):
    """VICS categories as used in hash sets exchanged between agencies."""

    UNCATEGORISED = 0, _("0 — not categorised")
    CSAM = 1, _("1 — child sexual abuse material")
    CHILD_EXPLOITATIVE = 2, _("2 — child exploitative / age-difficult")
    NOT_PERTINENT = 3, _("3 — not pertinent")


class ClueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    DISCARDED = "discarded", _("Discarded")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class AgeBand(models.TextChoices):
    """Age at first appearance in the material, in bands: never a birth date."""

    AGE_0_2 = "0-2", _("0–2 years")
    AGE_3_6 = "3-6", _("3–6 years")
    AGE_7_10 = "7-10", _("7–10 years")
    AGE_11_13 = "11-13", _("11–13 years")
    AGE_14_15 = "14-15", _("14–15 years")
    AGE_16_17 = "16-17", _("16–17 years")
    UNKNOWN = "unknown", _("Unknown")


class IdentificationEventKind(models.TextChoices):
    PROVISIONALLY_IDENTIFIED = "provisionally_identified", _("Provisionally identified")
    IDENTIFIED = "identified", _("Identified")
    SAFEGUARDED = "safeguarded", _("Safeguarded")
    REFERRED = "referred", _("Referred to support services")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CORRECTION = "correction", _("Correction")


class SupportService(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SOCIAL_SERVICES = "social_services", _("Social services")
    CHILD_ADVOCACY_CENTRE = "child_advocacy_centre", _("Child advocacy centre")
    LEGAL = "legal", _("Legal")


class VictimStatus(models.TextChoices):
    """A victim's current status, derived from its events that stand (not corrected)."""

    UNIDENTIFIED = "unidentified", _("Not yet identified")
    PROVISIONALLY_IDENTIFIED = "provisionally_identified", _("Provisionally identified")
    IDENTIFIED = "identified", _("Identified")
    SAFEGUARDED = "safeguarded", _("Safeguarded")


class Verdict(models.TextChoices):
    """What an assessor says of a clue: do they recognise what it shows?"""

    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    UNSURE = "unsure", _("Unsure")
