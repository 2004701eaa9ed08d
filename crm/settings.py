"""One settings module, read from the environment (see README: Production)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CRM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under pytest the settings are imported before any conftest runs, so the runner itself is the signal too.
TESTING = env_bool("CRM_TESTING", False) or "pytest" in sys.modules

VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A random key kept in var/ so that a fresh checkout works without setup; production sets SECRET_KEY."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key() + get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "import_export",
    "axes",
    "csp",
    # the platform
    "crm.core",
    "crm.access",
    "crm.sections",
    "crm.designer",
    "crm.imports",
    "crm.duplicates",
    "crm.approvals",
    "crm.printing",
    "crm.analytics",
    # the sections
    "accounts",
    "contacts",
    "activities",
    "products",
    "feed",
    "opportunities",
    "leads",
    "orders",
    "invoices",
    "contracts",
    "documents",
    "projects",
    "knowledge",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before anything reads the body (the CSRF check reads a posted form)
    "crm.core.uploads.RefuseOversizedUploadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # a form with errors is a 422 to clients, a page to the browser (crm.core.middleware says why)
    "crm.core.middleware.FormErrorsAsPagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "crm.core.middleware.RefuseNullCharactersMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.core.context_processors.shell",
            ],
            # money, number, short_date, short_datetime: how every page shows amounts and dates (crm.core.formats)
            "builtins": ["crm.core.templatetags.formats"],
        },
    }
]

# Database: DATABASE_URL, defaulting to SQLite under var/.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'crm.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # a typo of one letter in an eight-letter word ("nortwind" for "Northwind Traders") scores 0.58: the global
    # search's fallback (`%>`, through the trigram indexes) takes words from 0.5, pg_trgm's default being 0.6
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options"), "-c pg_trgm.word_similarity_threshold=0.5"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # axes' lock of a user name from an address, and the lock of an address trying many user names
    "crm.access.throttling.AddressThrottledAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The language decides how money, numbers and dates look everywhere (crm.core.formats): its separators and date
# patterns, or an installation's own from FORMAT_MODULE_PATH.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
if DEBUG or TESTING:
    # WhiteNoise warns on every start when the folder is missing; collectstatic fills it in production.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: files go out through a permission-checked view
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# The knowledge base's full-text search (PostgreSQL): the text search configuration articles are indexed in.
KNOWLEDGE_SEARCH_CONFIG = os.environ.get("KNOWLEDGE_SEARCH_CONFIG", "english")

# Uploads: attachments and imports.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_ALLOWED_EXTENSIONS = env_list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    "pdf,png,jpg,jpeg,gif,webp,txt,csv,xlsx,xls,docx,doc,pptx,odt,ods,zip,eml,msg,md",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Celery: REDIS_URL unset means tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Tests run tasks in-process too, except those that start a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Safe with two beat schedulers running by mistake: each reminder is claimed once.
    "activities-send-due-reminders": {"task": "activities.tasks.send_due_reminders", "schedule": 60.0},
    # Birthdays and company days into the owners' bell; hourly so that a missed run is caught up the same day,
    # and each event is noticed once a day whatever the number of runs.
    "core-notify-noteworthy-events": {"task": "crm.core.tasks.notify_noteworthy_events", "schedule": 3600.0},
    # A daily duplicate search of every section with active rules; it also rebuilds the on-save key index.
    "duplicates-search-all-sections": {"task": "crm.duplicates.tasks.search_all_sections", "schedule": 86400.0},
    # An import whose worker was killed resumes after its last committed batch.
    "imports-resume-stalled": {"task": "crm.imports.tasks.resume_stalled_imports", "schedule": 120.0},
    # Uploads never started are deleted with their files after IMPORT_DRAFT_DAYS.
    "imports-forget-drafts": {"task": "crm.imports.tasks.forget_drafts", "schedule": 86400.0},
    # Contracts past their end date marked expired, and owners reminded before the end; each contract once.
    "contracts-check-validity": {"task": "contracts.tasks.check_validity", "schedule": 86400.0},
    # Open invoices past their due date are flagged overdue and their owners told, once (safe to run twice).
    "invoices-flag-overdue": {"task": "invoices.tasks.flag_overdue", "schedule": 86400.0},
}

# Imports: rows per transaction, the largest file, the widest sheet.
IMPORT_BATCH_SIZE = int(os.environ.get("IMPORT_BATCH_SIZE", 5000))
# batches written at once on PostgreSQL, each on its own connection (see crm.imports.engine.Importer.writers)
IMPORT_WRITERS = int(os.environ.get("IMPORT_WRITERS", 2))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_COLUMNS = 200
# days an upload that was never started is kept
IMPORT_DRAFT_DAYS = int(os.environ.get("IMPORT_DRAFT_DAYS", 7))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Counters every web process must share (rate limits, crm.core.limits): Redis, or without it a table in the
    # database (made by crm.core's migration 0004). "default" stays per process: the cached access rules check
    # their version in the database when there is no Redis (ACCESS_VERSION_SOURCE).
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "crm_shared_cache",
            # the table is culled when full, and a culled slot is a post the limit forgets
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    ),
}

# Email: console by default.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "crm@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: secure by default outside DEBUG.
SECURE = not (DEBUG or TESTING) and not env_bool("CRM_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W019"] if not SECURE else []
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # indexes that carry extra columns for PostgreSQL's index-only reads (contact_rights_idx) are plain indexes on
    # SQLite, the embedded default: nothing to warn about
    SILENCED_SYSTEM_CHECKS.append("models.W040")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # no inline style at all: the knowledge editor (static/vendor/tiptap) is made with injectCSS off, its style
        # is a file (tiptap.css)
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login throttling.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# failures from one address across all user names (password spraying) before it is refused (crm.access.throttling)
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not env_bool("AXES_DISABLED", False)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Access rights (crm.access): what a user may do when no operation rule of their roles says yes or no.
ACCESS_DEFAULT_OPERATIONS = {"export": True, "import": True, "merge_duplicates": True, "view_change_log": True}
# Where the version of the cached rules lives: the shared cache (Redis) when there is one; otherwise the database,
# so that several web processes with their own local-memory caches never act on stale rules.
ACCESS_VERSION_SOURCE = "cache" if REDIS_URL or DEBUG or TESTING else "database"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Lists
LIST_PAGE_SIZES = [25, 50, 100]
LIST_DEFAULT_PAGE_SIZE = 25
LIST_EXACT_COUNT_LIMIT = 10_000  # above this the list shows "10,000+" from a bounded count
