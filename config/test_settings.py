"""Settings for the test suite: the real settings with test-friendly defaults.

Tests run over plain HTTP on localhost, with fast password hashing and Celery
in eager mode; integration tests that start a real worker turn eagerness off in
the worker's own environment.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-" + "x7Qp2LmZ9vR4tK8wN3bY6cJ1hF5dS0aG" * 2)
os.environ.setdefault("AUDIT_SIGNING_KEY", "test-only-audit-" + "Lq8Wm3Zt5Rb2Xk7Nv4Py" * 2)
# Every test signs in from 127.0.0.1: the limits are switched on by the tests about them.
os.environ.setdefault("RATE_LIMITS_ENABLED", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault(
    "TRIAGE_UPLOAD_DIR", os.path.join(tempfile.gettempdir(), "victimid-test-triage")
)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 (tests only)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
