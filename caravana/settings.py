"""Caravana settings.

Everything that differs between deployments is read from the environment
through the typed helpers in ``caravana.env``; see the README's
"Configuration" section for the full list.
"""

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from caravana.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    # A development-only key, never used when DEBUG is off.
    SECRET_KEY = env_str(
        "SECRET_KEY", "dev-only-insecure-key-caravana-do-not-use-in-production-0123"
    )
else:
    SECRET_KEY = env_str(
        "SECRET_KEY", hint="For development on your own machine, set DEBUG=true instead."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "caravana",
    "geo",
    "journey",
    "stops",
    "participants",
    "api",
    "web",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "caravana.middleware.DatabaseUnavailableMiddleware",
    "caravana.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "caravana.urls"
WSGI_APPLICATION = "caravana.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite file by default (a new user needs no server); PostgreSQL in production:
# DATABASE_URL=postgres://user:password@host:5432/caravana

# Connections are kept CONN_MAX_AGE seconds and checked before their first use in each
# request (CONN_HEALTH_CHECKS), so one cut by a PostgreSQL restart is replaced by itself,
# without restarting gunicorn. While the database cannot be reached, requests get a 503
# page (caravana.middleware), after at most DATABASE_CONNECT_TIMEOUT seconds of waiting.

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )

# --- Cache ------------------------------------------------------------------
# Redis when REDIS_URL is set, failing soft (caravana.cache): while it cannot be reached,
# each process caches and counts rate limits in its own memory, and tries Redis again.

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "caravana.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Language and time --------------------------------------------------------
# Times are stored in UTC and shown in each stop's own time zone.

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ht", "Kreyòl ayisyen")]
# Django knows no Haitian Creole: its names (for get_language_info and the switcher) are added
# here, and its date and number formats live in caravana/formats/ht/formats.py.
LANG_INFO.setdefault(
    "ht",
    {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"},
)
FORMAT_MODULE_PATH = ["caravana.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")

# --- Static files ---------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "caravana@localhost")

# --- Request size -------------------------------------------------------------------
# The largest request body accepted, files included (413 above it; see caravana.middleware).
# Form fields alone stay under 1 MiB, in at most 1,000 fields; an upload under the limit is
# kept in memory, never written to a temporary file on the server's disk.

CARAVANA_MAX_UPLOAD_BYTES = env_int("CARAVANA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = min(1024 * 1024, CARAVANA_MAX_UPLOAD_BYTES)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = CARAVANA_MAX_UPLOAD_BYTES

# --- Security (production) ---------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# Reverse proxies in front that append the client's address to X-Forwarded-For; the rate
# limits count the address the outermost one saw (0: the connection's own address).
CARAVANA_PROXY_COUNT = env_int("CARAVANA_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging and error reports -------------------------------------------------------
# Participants' personal data never goes to logs: nothing logs request bodies, and the
# loggers that write request paths (django.request, runserver's django.server) cut the
# tokens out of secret links first (caravana.redact). Error reports hide frame variables
# and POST values (caravana.reports). Gunicorn's access log: caravana/gunicorn.conf.py.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secret_links": {"()": "caravana.redact.RedactSecretLinks"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secret_links"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django.request": {"filters": ["redact_secret_links"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["redact_secret_links"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
DEFAULT_EXCEPTION_REPORTER = "caravana.reports.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "caravana.reports.PrivateReporterFilter"

# --- API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON nested too deeply is a 400 (api.parsers); forms and uploads as DRF reads them.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The client's address behind CARAVANA_PROXY_COUNT proxies (never a forged header).
    "NUM_PROXIES": CARAVANA_PROXY_COUNT,
    # Anonymous host applications and token requests, per address.
    "DEFAULT_THROTTLE_RATES": {"anonymous_post": env_str("API_ANONYMOUS_POST_RATE", "20/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caravana API",
    "DESCRIPTION": "Journeys, stops, participants, lodging and itineraries, with privacy per role.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StopStatusEnum": "stops.models.StopStatus",
        "HostStatusEnum": "stops.models.HostStatus",
    },
}

# --- Caravana ------------------------------------------------------------------------

# The public address of this Caravana, for links printed where there is no request
# (QR codes in PDFs made from the command line): "https://caravana.example.org".
SITE_URL = env_str("SITE_URL", "")
# Riders are emailed what changed in their itinerary once the plan was quiet this long.
CARAVANA_NOTIFY_QUIET_MINUTES = env_int("CARAVANA_NOTIFY_QUIET_MINUTES", 10)

# Rate limits (caravana.throttle), counted in the cache per window of seconds.
# Host registration form: posts allowed per client address, and in all.
CARAVANA_FORM_RATE_PER_ADDRESS = env_int("CARAVANA_FORM_RATE_PER_ADDRESS", 10)
CARAVANA_FORM_RATE_GLOBAL = env_int("CARAVANA_FORM_RATE_GLOBAL", 200)
CARAVANA_FORM_RATE_WINDOW = env_int("CARAVANA_FORM_RATE_WINDOW", 3600)
# Sign-ins (admin, API token): failed attempts per client address and per username.
CARAVANA_LOGIN_RATE_PER_ADDRESS = env_int("CARAVANA_LOGIN_RATE_PER_ADDRESS", 20)
CARAVANA_LOGIN_RATE_PER_USERNAME = env_int("CARAVANA_LOGIN_RATE_PER_USERNAME", 10)
CARAVANA_LOGIN_RATE_WINDOW = env_int("CARAVANA_LOGIN_RATE_WINDOW", 900)
# Secret links: links that open nothing (guesses), and all link requests, per address.
# Generous: a phone polling its calendar every 5 minutes makes 12 requests an hour, and a
# busload of phones may share one address.
CARAVANA_LINK_RATE_UNKNOWN = env_int("CARAVANA_LINK_RATE_UNKNOWN", 20)
CARAVANA_LINK_RATE_PER_ADDRESS = env_int("CARAVANA_LINK_RATE_PER_ADDRESS", 1200)
CARAVANA_LINK_RATE_WINDOW = env_int("CARAVANA_LINK_RATE_WINDOW", 3600)

# Calendar feeds and PDFs are kept in the cache this many seconds (0: not kept). Any change
# to the plan makes a new key (see journey.views), so this only bounds memory and the
# "generated on" date printed in PDFs.
CARAVANA_EXPORT_CACHE_SECONDS = env_int("CARAVANA_EXPORT_CACHE_SECONDS", 3600)

# "offline" (the shipped US gazetteer) or "nominatim" (web service, falls back to offline).
CARAVANA_GEOCODER = env_str("CARAVANA_GEOCODER", "offline")
CARAVANA_GEOCODER_USER_AGENT = env_str("CARAVANA_GEOCODER_USER_AGENT", "caravana")
CARAVANA_GEOCODER_TIMEOUT = env_int("CARAVANA_GEOCODER_TIMEOUT", 5)
