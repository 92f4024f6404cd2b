"""Hifazat settings: one file, every value read from the environment through ``config.env``.

``HIFAZAT_ENV`` says which kind of run this is: ``production`` (the default, safe settings, every secret
required), ``development`` (the demo: debug pages, a built-in secret key) or ``test`` (fast hashing, tasks run at
once). Every variable is listed, with its default, in README.md under "Configuration".
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import derive_key, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

HIFAZAT_ENV = env_choice("HIFAZAT_ENV", "production", ["production", "development", "test"])
PRODUCTION = HIFAZAT_ENV == "production"
TESTING = HIFAZAT_ENV == "test"

DEBUG = env_bool("HIFAZAT_DEBUG", default=HIFAZAT_ENV == "development")
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured(
        "HIFAZAT_DEBUG=true is refused when HIFAZAT_ENV=production: it shows code and data."
    )

SECRET_KEY = env_str("HIFAZAT_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "HIFAZAT_SECRET_KEY is not set. Production needs a long random value, for example from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    SECRET_KEY = f"insecure-{HIFAZAT_ENV}-key-never-use-in-production-0123456789abcdefghijklmnop"
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"HIFAZAT_SECRET_KEY has {len(SECRET_KEY)} characters; production needs 50 or more."
    )

ALLOWED_HOSTS = env_list(
    "HIFAZAT_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "HIFAZAT_ALLOWED_HOSTS is not set: name the host names this server answers to."
    )
CSRF_TRUSTED_ORIGINS = env_list("HIFAZAT_CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env_str("HIFAZAT_DATA_DIR", str(BASE_DIR / "var")))

# --- Applications -------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "hifazat.core",
    "hifazat.accounts",
    "hifazat.geography",
    "hifazat.matching",
    "hifazat.people",
    "hifazat.screening",
    "hifazat.notifications",
    "hifazat.cases",
    "hifazat.referrals",
    "hifazat.tracing",
    "hifazat.monitoring",
    "hifazat.campaigns",
    "hifazat.livelihoods",
    "hifazat.intake",
    "hifazat.reporting",
    "hifazat.api",
    "hifazat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hifazat.accounts.middleware.SessionLimitMiddleware",
    "hifazat.accounts.middleware.MembershipMiddleware",
    "hifazat.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hifazat.core.middleware.NoStoreMiddleware",
    # Last, so that a lockout answer comes after every other middleware has seen the request.
    "axes.middleware.AxesMiddleware",
]

if not (DEBUG or TESTING):
    # Production serves the collected, hashed static files itself; the demo and tests use staticfiles' finders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hifazat.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hifazat.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("HIFAZAT_DB_CONN_MAX_AGE", 60))
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL this project reads: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        # optimize=0x10002: gather the table statistics SQLite needs to choose indexes (cheap when fresh).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA optimize=0x10002;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, login protection ----------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("HIFAZAT_PASSWORD_MIN_LENGTH", 12, minimum=8, maximum=128)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is deliberately slow; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_FAILURE_LIMIT = env_int("HIFAZAT_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = env_int("HIFAZAT_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
# Lock a username from one address, so that one office behind a shared address is not locked out by one user.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("HIFAZAT_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

# Roles that must log in with a second factor. Administrators and supervisors always do; more can be added.
TWO_FACTOR_ROLES = sorted({"administrator", "supervisor", *env_list("HIFAZAT_TWO_FACTOR_EXTRA_ROLES")})
OTP_TOTP_ISSUER = env_str("HIFAZAT_OTP_ISSUER", "Hifazat")

SESSION_IDLE_SECONDS = env_int("HIFAZAT_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60) * 60
SESSION_ABSOLUTE_SECONDS = env_int("HIFAZAT_SESSION_MAX_HOURS", 12, minimum=1, maximum=72) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True  # the idle limit restarts with every request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- HTTPS and headers --------------------------------------------------------------------------------------

HTTPS = env_bool("HIFAZAT_HTTPS", default=PRODUCTION)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HIFAZAT_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if AXES_IPWARE_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# No inline script anywhere: data for scripts travels in <script type="application/json"> blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("HIFAZAT_TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HIFAZAT_UPLOAD_MAX_MB", 10, minimum=1, maximum=500) * 1024 * 1024

# --- Anonymous tips (monitoring.tips) -----------------------------------------------------------------------

# Tips taken per site in ten minutes before the form says "busy" and focal points are told.
HIFAZAT_TIP_BUDGET = env_int("HIFAZAT_TIP_BUDGET", 60, minimum=1, maximum=10_000)
# Zero bits of sha256(token + work) the tip page's script must find: each one doubles the work of a script.
HIFAZAT_TIP_WORK_BITS = env_int("HIFAZAT_TIP_WORK_BITS", 14, minimum=0, maximum=24)

# --- Disclosure control (core.disclosure) ------------------------------------------------------------

# Aggregate figures that leave the team (funders, analysts, the API, exports): counts from 1 to this minus one
# are hidden, others rounded to a multiple of it, and figures that would give a hidden one away are hidden too.
HIFAZAT_DISCLOSURE_THRESHOLD = env_int("HIFAZAT_DISCLOSURE_THRESHOLD", 10, minimum=3, maximum=100)

# The response dashboard reads its organisation's summary (reporting.counts) and shows when it was counted; a page
# that finds it older than this many minutes queues its rebuild (``hifazat reporting_refresh`` from cron, or the
# ``summaries_refresh`` task, keeps every summary fresh besides).
HIFAZAT_REPORTING_SUMMARY_MAX_AGE = env_int(
    "HIFAZAT_REPORTING_SUMMARY_MAX_AGE", 60, minimum=1, maximum=7 * 24 * 60
)

# --- Background tasks ---------------------------------------------------------------------------------------

TASKS_BACKEND = env_choice(
    "HIFAZAT_TASKS_BACKEND", "immediate" if TESTING else "database", ["database", "redis", "immediate"]
)
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# --- API ----------------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a refused call is answered 401 with a WWW-Authenticate header. Tokens are stored
        # hashed and expire (``accounts.tokens``).
        "hifazat.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hifazat.api.permissions.IsMemberAndVerified"],
    # At most 200 rows per call (api.pagination); a limit or offset that is not a whole number is a 400.
    "DEFAULT_PAGINATION_CLASS": "hifazat.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "hifazat.api.schema.AutoSchema",  # drf-spectacular's, truthful about empty values
    "EXCEPTION_HANDLER": "hifazat.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
}
# An API token works this many days after it is issued (and ends sooner when its user's password changes).
HIFAZAT_API_TOKEN_DAYS = env_int("HIFAZAT_API_TOKEN_DAYS", 30, minimum=1, maximum=365)

SPECTACULAR_SETTINGS = {
    "TITLE": "Hifazat API",
    "DESCRIPTION": "Version 1 of the Hifazat REST API. Every list is scoped to what the caller may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["hifazat.api.permissions.IsMemberAndVerified"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name for choices that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ConsentGivenByEnum": "hifazat.people.models.Consent.GivenBy",
        "BandEnum": "hifazat.screening.models.Band",
        "CaseStatusEnum": "hifazat.cases.models.CaseStatus",
        "TracingStatusEnum": "hifazat.tracing.models.TracingStatus",
        "ReferralStatusEnum": "hifazat.referrals.models.ReferralStatus",
        "ReportKindEnum": "hifazat.monitoring.models.ReportKind",
        "ReportStatusEnum": "hifazat.monitoring.models.Report.Status",
        "ServiceTypeEnum": "hifazat.referrals.models.ServiceType",
        "WebsiteOrAppEnum": "hifazat.cases.htcds.WebsiteOrApp",
        "VulnerabilityGroupEnum": "hifazat.people.models.VulnerabilityGroup",
        "CaseFollowUpStatusEnum": "hifazat.cases.models.CaseFollowUp.Status",
    },
}

# --- Caches, logging ----------------------------------------------------------------------------------------

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("HIFAZAT_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
    # Request errors are logged without the request object, so no personal data from a URL or form reaches a log.
    "loggers": {
        "django.request": {"level": "ERROR", "propagate": True},
        # django-axes logs every sign-in at INFO; the audit log already records them.
        "axes": {"level": "WARNING"},
        # The task worker logs every task at INFO; failures still show.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Hifazat ------------------------------------------------------------------------------------------------

# Keys for identifying fields (phone and identity numbers) encrypted at rest; never stored in the database.
# HIFAZAT_FIELD_KEYS: comma-separated Fernet keys, the first encrypts, all decrypt (rotation).
# HIFAZAT_INDEX_KEY: the key of the blind index that lets exact search find an encrypted value.
FIELD_ENCRYPTION_KEYS = env_list("HIFAZAT_FIELD_KEYS")
FIELD_INDEX_KEY = env_str("HIFAZAT_INDEX_KEY")
if not FIELD_ENCRYPTION_KEYS or not FIELD_INDEX_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "HIFAZAT_FIELD_KEYS and HIFAZAT_INDEX_KEY must be set in production: they protect phone and identity "
            "numbers. Generate each with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` and keep them outside the database and its backups."
        )
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [derive_key(SECRET_KEY, "fields")]
    FIELD_INDEX_KEY = FIELD_INDEX_KEY or derive_key(SECRET_KEY, "index")
elif PRODUCTION and (len(FIELD_INDEX_KEY) < 43 or len(set(FIELD_INDEX_KEY)) < 10):
    # As for the secret key: length and variety. A short or repetitive key lets anyone who copies the database
    # guess numbers from the index. 32 random bytes are 43 characters in base64 (44 with its padding).
    raise ImproperlyConfigured(
        f"HIFAZAT_INDEX_KEY is too short or too repetitive (length {len(FIELD_INDEX_KEY)}, "
        f"{len(set(FIELD_INDEX_KEY))} different characters); production needs at least 32 random bytes: "
        "43 or more characters, 10 or more of them different, for example from "
        "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
    )

HIFAZAT_PAGE_SIZE = env_int("HIFAZAT_PAGE_SIZE", 25, minimum=5, maximum=500)
