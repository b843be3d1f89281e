"""Storing an uploaded file whole, or not at all.

Imports and triage jobs keep the files investigators upload (hash lists, VICS exports)
until a worker has read them (``cases.services.uploads.upload_store`` writes through
``upload_store`` here). A file is written under a temporary name in its final
folder, flushed to disk, and only then given its name (an atomic rename): a reader never
sees half a file, and a failure (the disk is full, the quota is reached) removes what was
written and raises ``StorageFull``, which the API answers with 507 and a clear message
(``victimid.api.errors``), and pages with the same message.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext_lazy as _

__all__ = ["NO_ROOM", "StorageFull", "upload_store"]

NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
PARTIAL_PREFIX = ".partial-"


class StorageFull(Exception):
    """There was no room to store an upload; nothing of it was kept."""

    message = _(
        "There is no room to store this file at the moment. Nothing of it was saved; "
        "please try again later, and tell your platform administrator if it persists."
    )

    def __init__(self) -> None:
        super().__init__(str(self.message))


def upload_store(*, chunks: Iterable[bytes], directory: Path, name: str) -> Path:
    """Write ``chunks`` to ``directory/name`` whole, or raise ``StorageFull`` leaving nothing.

    ``name`` must be a plain file name chosen by the caller (never the uploader's).
    """
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"not a plain file name: {name!r}")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file readable and writable by this user only (0600).
    descriptor, partial = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
    try:
        with os.fdopen(descriptor, "wb") as output:
            for chunk in chunks:
                output.write(chunk)
            output.flush()
            os.fsync(output.fileno())
        final = directory / name
        os.replace(partial, final)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        if error.errno in NO_ROOM:
            raise StorageFull from error
        raise
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return final
