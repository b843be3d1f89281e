from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm
from cases.models.base import VisibleQuerySet

__all__ = [
    "HashImportJob",
    "JobStatus",
    "TriageJob",
    "TriageOutcome",
    "TriageResult",
]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class TriageOutcome(models.TextChoices):
    """What became of one probe value. New first: new material may be abuse still going on."""

    NEW = "new", _("New")
    KNOWN_NOT_IDENTIFIED = "known_not_identified", _("Known, child not identified")
    KNOWN_IDENTIFIED = "known_identified", _("Known, child identified")
    KNOWN_RESTRICTED = "known_restricted", _("Known, restricted")


class _UploadJob(models.Model):
    """What a triage job and an import job share: the upload, its reading, the outcome."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "victimid.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("file format"), max_length=8)
    file_bytes = models.BigIntegerField(_("file size (bytes)"), default=0)
    # Where the upload waits for the worker; removed once read. Never shown.
    upload_path = models.CharField(_("upload path"), max_length=500, editable=False)
    bytes_read = models.BigIntegerField(_("bytes read"), default=0)
    lines_read = models.BigIntegerField(_("lines read"), default=0)
    values_read = models.BigIntegerField(_("values read"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    error = models.CharField(_("error"), max_length=500, blank=True)
    error_line = models.BigIntegerField(_("error line"), null=True, blank=True)
    error_byte = models.BigIntegerField(_("error byte"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the run that holds the job (cases.services.uploads): only the holder of
    # the current token writes progress or the outcome; once the lease has lapsed (the
    # worker was killed), another run may take the job over with a new token.
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    requeued_at = models.DateTimeField(_("queued again at"), null=True, blank=True, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def progress(self) -> int:
        """Percent done: the share of the file read while reading, 100 once finished."""
        if self.status in FINISHED:
            return 100
        if not self.file_bytes:
            return 0
        return min(99, int(self.bytes_read * 100 / self.file_bytes))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class TriageJob(_UploadJob):
    """A seizure's hash list checked against the known set by a worker; its user's own."""

    known_identified = models.BigIntegerField(_("known, child identified"), default=0)
    known_not_identified = models.BigIntegerField(_("known, child not identified"), default=0)
    known_restricted = models.BigIntegerField(_("known, restricted"), default=0)
    new_values = models.BigIntegerField(_("new"), default=0)
    expires_at = models.DateTimeField(
        _("results expire at"), help_text=_("The probe values are deleted then.")
    )
    purged_at = models.DateTimeField(_("probe values deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("triage job")
        verbose_name_plural = _("triage jobs")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["created_by", "-id"]),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(purged_at__isnull=True),
                name="triage_job_to_purge",
            ),
        ]

    def __str__(self) -> str:
        return f"triage {self.pk} ({self.status})"

    def counts(self) -> dict[str, int]:
        return {
            TriageOutcome.NEW: self.new_values,
            TriageOutcome.KNOWN_NOT_IDENTIFIED: self.known_not_identified,
            TriageOutcome.KNOWN_IDENTIFIED: self.known_identified,
            TriageOutcome.KNOWN_RESTRICTED: self.known_restricted,
        }


class TriageResult(models.Model):
    """One probe value of a triage job and its outcome; deleted when the results expire.

    ``series`` is set only for a series the job's user could see when it ran: a
    restricted hit keeps no trace of where it is known.
    """

    # No foreign-key constraints in the database, and no index of their own: a job writes
    # up to a million results in one statement, and the deferred check of each row's two
    # keys cost more than the whole lookup. That statement is the only writer; it locks
    # the job and the series it names once each (``cases.services.triage._finish``), so
    # neither can go while it runs. Deleting follows the ORM (CASCADE, SET_NULL); the
    # (job, outcome, line) index serves every read by job.
    job = models.ForeignKey(
        TriageJob,
        verbose_name=_("job"),
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,
    )
    line = models.BigIntegerField(_("line"))
    # Blank when the file did not say and the form fits two (64 hex: SHA-256 or PDQ).
    algorithm = models.CharField(
        _("algorithm"), max_length=16, choices=HashAlgorithm.choices, blank=True
    )
    value = models.CharField(_("value"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=24, choices=TriageOutcome.choices)
    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    vics_category = models.PositiveSmallIntegerField(_("VICS category"), null=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("triage result")
        verbose_name_plural = _("triage results")
        indexes = [models.Index(fields=["job", "outcome", "line"], name="triage_result_by_job")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line} {self.outcome}"


class HashImportJob(_UploadJob):
    """A hash file imported into a series by a worker, all or nothing."""

    series = models.ForeignKey(
        "cases.Series", verbose_name=_("series"), on_delete=models.PROTECT, related_name="+"
    )
    added = models.BigIntegerField(_("added"), default=0)
    already_in_series = models.BigIntegerField(_("already in the series"), default=0)
    conflicts = models.BigIntegerField(_("known in another series"), default=0)

    class Meta:
        verbose_name = _("hash import job")
        verbose_name_plural = _("hash import jobs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"])]

    def __str__(self) -> str:
        return f"import {self.pk} into {self.series_id} ({self.status})"
