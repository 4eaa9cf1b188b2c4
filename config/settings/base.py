"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("BAKUHUB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "bakuhub.core",
    "bakuhub.accounts",
    "bakuhub.partners",
    "bakuhub.commitments",
    "bakuhub.working_groups",
    "bakuhub.projects",
    "bakuhub.finance",
    "bakuhub.results",
    "bakuhub.demo",
    "bakuhub.portal",
]

MIDDLEWARE = [
    "bakuhub.core.middleware.RequestIdMiddleware",
    "bakuhub.api.errors.ApiErrorMiddleware",
    "bakuhub.core.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bakuhub.accounts.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a locked-out sign-in into the 429 page (`AXES_LOCKOUT_CALLABLE`).
    "axes.middleware.AxesMiddleware",
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bakuhub.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;",
            # Writers take the write lock when their transaction begins, so a row read inside it is current (the
            # If-Match check); a second writer waits for the lock (up to `timeout` seconds) instead of failing.
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the account or the address is locked out, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "bakuhub.accounts.permissions.SecretariatBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("pt", _("Portuguese")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: Django keeps small uploads in memory; our own validators enforce the per-kind limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
BAKUHUB_DOCUMENT_MAX_BYTES = int(os.environ.get("BAKUHUB_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
BAKUHUB_LOGO_MAX_BYTES = int(os.environ.get("BAKUHUB_LOGO_MAX_BYTES", 1024 * 1024))
# How the download views hand over a stored file: "django" streams it; "x-accel-redirect" (nginx) answers with an
# X-Accel-Redirect to BAKUHUB_PROTECTED_MEDIA_PREFIX + name (an `internal;` location); "x-sendfile" (Apache,
# lighttpd) with X-Sendfile: <absolute path>. See README, "Stored files".
BAKUHUB_FILE_SERVING = os.environ.get("BAKUHUB_FILE_SERVING", "django")
if BAKUHUB_FILE_SERVING not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("BAKUHUB_FILE_SERVING must be 'django', 'x-accel-redirect' or 'x-sendfile'.")
BAKUHUB_PROTECTED_MEDIA_PREFIX = os.environ.get("BAKUHUB_PROTECTED_MEDIA_PREFIX", "/protected-media/")
BAKUHUB_STALLED_AFTER_DAYS = int(os.environ.get("BAKUHUB_STALLED_AFTER_DAYS", "180"))
BAKUHUB_API_TOKEN_DAYS = int(os.environ.get("BAKUHUB_API_TOKEN_DAYS", "90"))
BAKUHUB_REMINDER_DAYS_BEFORE = int(os.environ.get("BAKUHUB_REMINDER_DAYS_BEFORE", "3"))
BAKUHUB_SITE_URL = os.environ.get("BAKUHUB_SITE_URL", "http://127.0.0.1:8000")
BAKUHUB_RATE_MAX_AGE_DAYS = int(os.environ.get("BAKUHUB_RATE_MAX_AGE_DAYS", "31"))
BAKUHUB_SMALL_COUNT_K = int(os.environ.get("BAKUHUB_SMALL_COUNT_K", "5"))
# Plausible dates (bakuhub.core.dates.plausible_range): nothing the Hub records is older than this or further ahead.
BAKUHUB_DATE_MIN = datetime.date.fromisoformat(os.environ.get("BAKUHUB_DATE_MIN", "1990-01-01"))
BAKUHUB_DATE_MAX_YEARS_AHEAD = int(os.environ.get("BAKUHUB_DATE_MAX_YEARS_AHEAD", "10"))

# The cache holds the API-token throttle counters, so every process must share it in production (prod.py uses the
# database cache; run `bakuhub createcachetable` after `migrate`). The per-process memory cache is for one process.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "bakuhub"),
    }
}

# The client's address: REMOTE_ADDR, unless a trusted reverse proxy sets a header (e.g. X-Forwarded-For); then the
# address the nearest BAKUHUB_TRUSTED_PROXY_COUNT proxies saw is used (entries further left can be forged).
BAKUHUB_CLIENT_ADDRESS_HEADER = os.environ.get("BAKUHUB_CLIENT_ADDRESS_HEADER", "")
BAKUHUB_TRUSTED_PROXY_COUNT = int(os.environ.get("BAKUHUB_TRUSTED_PROXY_COUNT", "1"))

# Sign-in lockout (portal and admin, django-axes): after this many failures for one username or from one address,
# sign-in is refused for the cool-off time (429, with the time to try again). Recorded in the audit trail.
AXES_FAILURE_LIMIT = int(os.environ.get("BAKUHUB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("BAKUHUB_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time shown to try again stays true
AXES_CLIENT_IP_CALLABLE = "bakuhub.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "bakuhub.portal.views.accounts.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# API tokens: after this many bad tokens from one address within the window, further bad tokens get 429.
BAKUHUB_TOKEN_FAILURE_LIMIT = int(os.environ.get("BAKUHUB_TOKEN_FAILURE_LIMIT", "10"))
BAKUHUB_TOKEN_FAILURE_WINDOW_SECONDS = int(os.environ.get("BAKUHUB_TOKEN_FAILURE_WINDOW_SECONDS", "300"))

# How far (in degrees; 0.05 is about 5 km) a location's point may lie outside its admin-1 unit's simplified outline.
BAKUHUB_LOCATION_TOLERANCE_DEGREES = float(os.environ.get("BAKUHUB_LOCATION_TOLERANCE_DEGREES", "0.05"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hub@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default for the admin
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}


def logging_config(log_format: str) -> dict[str, Any]:
    """Console logging with the request id on every line; `json` gives one JSON object per line."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "bakuhub.core.logging.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
            "json": {"()": "bakuhub.core.logging.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": log_format}},
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # WeasyPrint logs every render step at INFO and each refused resource at ERROR (we refuse them on purpose).
        "loggers": {
            "weasyprint": {"level": "CRITICAL"},
            "fontTools": {"level": "WARNING"},
            "pikepdf": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(os.environ.get("LOG_FORMAT", "plain"))
