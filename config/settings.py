"""Django settings, read from the environment through ``config.env``.

With nothing set, the project runs as a developer's machine would want it:
embedded PostgreSQL and a filesystem broker under ``var/``. Production sets
``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and
``CELERY_BROKER_URL`` (see ``docs/deploy.md``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)


def _secret(name: str, minimum: int) -> str:
    """A secret from the environment (or ``<NAME>_FILE``), refused when short or repetitive
    with DEBUG off; in development one is made and kept under var/ so it survives a restart."""
    key = env_str(name)
    if key:
        if not DEBUG and (len(key) < minimum or len(set(key)) < 5):
            raise ImproperlyConfigured(f"{name} must be at least {minimum} varied characters")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(f"{name} is required when DEBUG is off")
    key_file = VAR_DIR / name.lower()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret("SECRET_KEY", 50)

# --- Audit trail ----------------------------------------------------------------
# The key that signs audit checkpoints: outside the database, apart from SECRET_KEY (so
# rotating one never invalidates the other).
AUDIT_SIGNING_KEY = _secret("AUDIT_SIGNING_KEY", 32)
# Keys that signed older checkpoints, kept only to verify them after a rotation.
AUDIT_SIGNING_OLD_KEYS = env_list("AUDIT_SIGNING_OLD_KEYS")
AUDIT_CHECKPOINT_SECONDS = env_int("AUDIT_CHECKPOINT_SECONDS", 600, minimum=10)
AUDIT_VERIFY_SECONDS = env_int("AUDIT_VERIFY_SECONDS", 6 * 3600, minimum=60)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 7 * 365, minimum=1)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "guardian",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "csp",
    "victimid",
    "cases",
]

MIDDLEWARE = [
    "victimid.middleware.TrustedProxyMiddleware",
    "victimid.middleware.RequestIdMiddleware",
    # Counts and times what every layer below answered, by route name (victimid/metrics.py).
    "victimid.metrics.MetricsMiddleware",
    # A refused casework request (403, or a casework route's 404) is an audit event.
    "victimid.middleware.RefusalAuditMiddleware",
    "victimid.middleware.UnusableInputMiddleware",
    "victimid.middleware.RequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before SessionLifetimeMiddleware, which tells the user why their session ended.
    "django.contrib.messages.middleware.MessageMiddleware",
    "victimid.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "victimid.middleware.RateLimitMiddleware",
    "victimid.middleware.SecondFactorGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Search and lists read casework from the read replica, when one is configured.
    "config.db_router.ReplicaRoutesMiddleware",
]

# Views in these modules serve casework, vetting or the audit trail: a 403 or 404 from them
# is audited as a refused access (victimid.middleware.RefusalAuditMiddleware).
AUDITED_REFUSAL_MODULES = (
    "cases.",
    "victimid.views.vetting",
    "victimid.views.audit",
    "victimid.api.audit",
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "victimid.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url is None:
    from config.embedded import embedded_database_url

    _database_url = embedded_database_url(VAR_DIR)
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A kept connection that the server dropped (a restart, a failover) is noticed before a
# request uses it, and replaced, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming read replica of the primary (optional): search and lists read casework from
# it (config/db_router.py); everything else stays on the primary. In the test suite it
# mirrors the default database.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DATABASE_REPLICA_ROUTES = env_list(
    "DATABASE_REPLICA_ROUTES", ["api-clue-list", "api-series-list", "clue-search", "series-list"]
)
# Behind PgBouncer in transaction mode consecutive transactions of one connection may
# reach different server connections: a server-side cursor (.iterator()) would outlive
# its transaction, and a statement psycopg prepared (it does so for a query run five
# times) would be missing on the next server connection. Both off there.
if env_bool("PGBOUNCER_TRANSACTION_MODE", False):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
        _alias.setdefault("OPTIONS", {})["prepare_threshold"] = None
else:
    # No JIT compilation: it pays off for long analytical queries, and a page's query
    # whose estimated cost passes jit_above_cost spent 0.35-1.5 s compiling for a few
    # milliseconds of work (bench/README.md, correlation). PgBouncer passes no startup
    # options: there, set it on the role (docs/deploy.md).
    for _alias in DATABASES.values():
        _options = _alias.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity -----------------------------------------------------------------
AUTH_USER_MODEL = "victimid.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "victimid.auth_backends.EmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "victimid.password_validation.BreachedPasswordValidator"},
    {"NAME": "victimid.password_validation.ContextWordsPasswordValidator"},
]
# Words no password may contain (ASVS 6.2.11), besides the platform's name (OTP_TOTP_ISSUER)
# and the user's agency name and country, which the validator adds itself. Comma-separated.
PASSWORD_CONTEXT_WORDS = env_list(
    "PASSWORD_CONTEXT_WORDS",
    [
        "victimid",
        "victim",
        "csam",
        "csem",
        "interpol",
        "europol",
        "police",
        "policia",
        "polizei",
        "politie",
        "investigator",
        "investigation",
        "identification",
        "safeguard",
        "child",
        "children",
        "abuse",
        "vics",
    ],
)
# An operator's larger list of breached passwords or SHA-1 hashes (victimid.password_validation).
BREACHED_PASSWORDS_FILE = env_str("BREACHED_PASSWORDS_FILE")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

VETTING_PERIOD_DAYS = env_int("VETTING_PERIOD_DAYS", 365, minimum=1)
DORMANT_ACCOUNT_DAYS = env_int("DORMANT_ACCOUNT_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 90, minimum=1)
# A routing request unanswered for this long stands out as overdue in its queue.
ROUTING_OVERDUE_DAYS = env_int("ROUTING_OVERDUE_DAYS", 14, minimum=1)
RECOVERY_CODE_COUNT = 10

OTP_TOTP_ISSUER = "VictimID"
OTP_TOTP_THROTTLE_FACTOR = 1
# The admin must never show a user's TOTP secret or QR code: whoever sees it holds
# that user's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout: 5 failures within 15 minutes lock the account until a coordinator or
# an admin releases it (victimid.services.lockout turns axes' lockout into a
# lasting lock on the user).
# Oversight figures: a count from 1 to this minus one is shown as "<5" (and complemented so
# that it cannot be worked out); medians and percentiles need at least this many cases.
STATS_SMALL_COUNT_THRESHOLD = env_int("STATS_SMALL_COUNT_THRESHOLD", 5, minimum=2)

AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_WINDOW_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "victimid.views.auth.locked_out"
AXES_VERBOSE = False
# The client address is settled by victimid.middleware.TrustedProxyMiddleware (from
# TRUSTED_PROXIES) before axes sees the request: axes reads REMOTE_ADDR only.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# The lock is per account by design (DESIGN.md: 5 failures lock the account until
# released); axes' advice to lock per address as well would let one attacker lock
# out a whole agency behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# --- Sessions -----------------------------------------------------------------
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Transport security ---------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and orchestrators probe the processes directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
_secure_cookies = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Forwarded headers (X-Forwarded-For, -Proto, -Host, X-Real-IP) are believed only from these
# addresses or networks; from anyone else TrustedProxyMiddleware removes them first.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if env_str("TRUSTED_PROXY_COUNT"):
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is replaced by TRUSTED_PROXIES: the proxies' addresses or networks"
    )
if env_bool("BEHIND_TLS_PROXY", False):
    if not TRUSTED_PROXIES:
        raise ImproperlyConfigured("BEHIND_TLS_PROXY needs TRUSTED_PROXIES (the proxy addresses)")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# No uploads of any kind reach casework; keep request bodies bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "VictimID <no-reply@victimid.invalid>")
# For the file-based backend, which make run uses: one file per connection.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- Celery -------------------------------------------------------------------
_broker_url = env_str("CELERY_BROKER_URL")
# The filesystem transport ignores the host, but kombu warns on every connection without one.
CELERY_BROKER_URL = _broker_url or "filesystem://localhost/"
if _broker_url is None:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"  # kombu's default is ./control
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # Redis (and SQS) hand a message a worker took but never acknowledged (the worker was
    # killed) to another worker after this many seconds. Longer than the longest task, or
    # a task still running is started a second time (harmless, as every task is
    # idempotent, but wasteful); shorter, and a killed worker's task waits less.
    _visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        # How often workers look for such messages (one cheap Redis query): every 10 s,
        # sooner for a short timeout, instead of kombu's default of about every 100 s.
        "unacked_restore_interval": min(10, max(1, _visibility_timeout // 5)),
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A pool process killed mid-task (out of memory, SIGKILL) puts its task back on the queue
# instead of dropping it: tasks are idempotent, so running it again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues: light work that must be quick (e-mails, notifications, the relay) and heavy
# jobs that may run for minutes (imports, triage, correlation), so that a long import
# never holds up a notification. Run workers for each (docs/deploy.md, "Scaling"); a
# worker started without --queues consumes both, as in development.
CELERY_TASK_DEFAULT_QUEUE = "light"
CELERY_TASK_QUEUES = (Queue("light"), Queue("heavy"))
CELERY_HEAVY_TASKS = env_list(
    "CELERY_HEAVY_TASKS", ["cases.tasks.*import*", "cases.tasks.*triage*", "cases.tasks.*correlat*"]
)
CELERY_TASK_ROUTES = {pattern: {"queue": "heavy"} for pattern in CELERY_HEAVY_TASKS}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "disable-dormant-accounts": {
        "task": "victimid.tasks.disable_dormant_accounts",
        "schedule": 3600.0,
    },
    "relay-outbox": {"task": "victimid.tasks.relay_outbox", "schedule": 10.0},
    "audit-checkpoint": {
        "task": "victimid.tasks.write_audit_checkpoint",
        "schedule": float(AUDIT_CHECKPOINT_SECONDS),
    },
    "audit-verify": {
        "task": "victimid.tasks.verify_audit_chain",
        "schedule": float(AUDIT_VERIFY_SECONDS),
    },
    "refresh-oversight-figures": {
        "task": "cases.tasks.refresh_stats",
        "schedule": float(env_int("STATS_REFRESH_MINUTES", 60, minimum=1) * 60),
    },
    "daily-notification-digests": {
        "task": "victimid.tasks.send_notification_digests",
        "schedule": 24 * 3600.0,
        "args": ("daily",),
    },
    "weekly-notification-digests": {
        "task": "victimid.tasks.send_notification_digests",
        "schedule": 7 * 24 * 3600.0,
        "args": ("weekly",),
    },
}

# --- Rate limits ------------------------------------------------------------------
# Fixed windows counted in Redis (shared by every web process); 429 with Retry-After past
# the limit. Each as <requests>/<seconds>. Without Redis (development) each process counts
# for itself in memory.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_REDIS_URL = env_str("RATE_LIMIT_REDIS_URL") or (
    _broker_url if _broker_url and _broker_url.startswith(("redis://", "rediss://")) else None
)
RATE_LIMITS = {
    # Per address and per account typed: guessing passwords (the lockout counts too).
    "login": env_rate("RATE_LIMIT_LOGIN", "10/300"),
    # Per account: guessing one-time codes.
    "second_factor": env_rate("RATE_LIMIT_SECOND_FACTOR", "10/300"),
    # Per user: harvesting casework by search or by lookup of values.
    "search": env_rate("RATE_LIMIT_SEARCH", "120/60"),
    "lookup": env_rate("RATE_LIMIT_LOOKUP", "120/60"),
    # Per address: every request that presents a bearer token (guessing tokens, scraping).
    "token": env_rate("RATE_LIMIT_TOKEN", "1200/60"),
}

# --- API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "victimid.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["victimid.api.permissions.IsVerifiedUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["victimid.api.parsers.BoundedJSONParser"],
    "DEFAULT_METADATA_CLASS": "victimid.api.metadata.MethodsOnlyMetadata",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "victimid.api.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "victimid.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE", "6000/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VictimID API",
    "DESCRIPTION": (
        "Collaboration API for child identification and recognition. Every response is "
        "filtered by the caller's access; records the caller may not see answer 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["victimid.api.permissions.IsVerifiedUser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "victimid.api.schema_hooks.document_page_size_refusal",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SeriesStatusEnum": "cases.choices.SeriesStatus",
        "ClueStatusEnum": "cases.choices.ClueStatus",
        "IdentificationEventKindEnum": "cases.choices.IdentificationEventKind",
        "JobStatusEnum": "cases.models.triage.JobStatus",
        "LookupStatusEnum": ["known", "known_restricted", "new"],
    },
}

# --- Logs and metrics -------------------------------------------------------------
# One JSON object per line (victimid/logs.py), with the request id and, in workers, the
# task id; "text" reads better on a developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
# One line per request (route name, status, duration) from victimid.metrics.
LOG_REQUESTS = env_bool("LOG_REQUESTS", not DEBUG)
# One JSON line per audit event on victimid.audit (victimid.services.audit), for the log
# collector's copy of the trail; off on a developer's terminal unless asked for, or
# written to AUDIT_LOG_FILE.
AUDIT_LOG_FILE = env_str("AUDIT_LOG_FILE")
LOG_AUDIT_EVENTS = env_bool("LOG_AUDIT_EVENTS", not DEBUG or bool(AUDIT_LOG_FILE))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "victimid.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "victimid.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "victimid.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
        # One JSON line per audit event (victimid.services.audit): never silenced by a
        # quieter LOG_LEVEL, since the log collector's copy is the trail kept off the database.
        "victimid.audit": {"level": "INFO" if LOG_AUDIT_EVENTS else "WARNING"},
    },
}
# The audit lines also in a file of their own, for a shipper that reads one file
# (docs/deploy.md): JSON lines, reopened when rotated.
if AUDIT_LOG_FILE:
    _handlers: dict[str, Any] = LOGGING["handlers"]  # type: ignore[assignment]
    _loggers: dict[str, Any] = LOGGING["loggers"]  # type: ignore[assignment]
    _handlers["audit_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": AUDIT_LOG_FILE,
        "filters": ["context"],
        "formatter": "json",
    }
    _loggers["victimid.audit"]["handlers"] = ["audit_file"]
# Celery keeps the handlers above (it would otherwise replace them with its own format).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The metrics endpoint (/metrics) answers only a request that carries this token as
# "Authorization: Bearer <token>"; without it (or without a token configured) it is a 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32 and not DEBUG:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters")
# A worker's own metrics on a port of its own (for machines without a web process).
METRICS_WORKER_PORT = env_int("METRICS_WORKER_PORT", 0, minimum=0)
METRICS_WORKER_ADDRESS = env_str("METRICS_WORKER_ADDRESS", "127.0.0.1")
# Dotted path of a callable counting the worker jobs whose lease lapsed, per kind
# (victimid_jobs_lease_lapsed); empty to leave the metric out.
METRICS_LAPSED_JOBS = env_str("METRICS_LAPSED_JOBS", "cases.selectors.jobs.upload_jobs_lapsed")

# --- Hash triage and imports -------------------------------------------------------
# Uploads wait here for the worker (a directory the web and worker processes share) and
# are removed once read; triage results (the probe values) are deleted after this many days.
TRIAGE_UPLOAD_DIR = env_str("TRIAGE_UPLOAD_DIR", str(VAR_DIR / "triage")) or str(VAR_DIR / "triage")
TRIAGE_RESULT_DAYS = env_int("TRIAGE_RESULT_DAYS", 7, minimum=1)
TRIAGE_MAX_LINES = env_int("TRIAGE_MAX_LINES", 10_000_000, minimum=1)
TRIAGE_MAX_UPLOAD_BYTES = env_int("TRIAGE_MAX_UPLOAD_BYTES", 16 * 1024**3, minimum=1)
CELERY_BEAT_SCHEDULE["purge-expired-triage-results"] = {
    "task": "cases.tasks.purge_expired_triage_results",
    "schedule": 3600.0,
}
# A worker holds a triage or import job for this long past its last renewal (with every
# progress write, and every third of it by a heartbeat thread while the worker lives); a
# job whose worker was killed is taken over once the lease lapses.
UPLOAD_JOB_LEASE_SECONDS = env_int("UPLOAD_JOB_LEASE_SECONDS", 120, minimum=2)
# Between progress writes a heartbeat thread renews the lease (one statement may run for
# minutes), but not past this long without progress: a hung worker lets its job go.
UPLOAD_JOB_STALL_SECONDS = env_int("UPLOAD_JOB_STALL_SECONDS", 3600, minimum=1)
# A job given up after this many starts (a file that kills every worker that reads it).
UPLOAD_JOB_MAX_ATTEMPTS = env_int("UPLOAD_JOB_MAX_ATTEMPTS", 3, minimum=1)
# Beat looks this often for jobs whose lease lapsed (or that waited too long in the queue)
# and queues them again through the outbox, for when the broker never gives them back.
CELERY_BEAT_SCHEDULE["requeue-stalled-jobs"] = {
    "task": "cases.tasks.requeue_stalled_jobs",
    "schedule": float(env_int("UPLOAD_JOB_REQUEUE_SECONDS", 60, minimum=1)),
}
