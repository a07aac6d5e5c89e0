"""Settings for the residents' committee office system.

One file, configured from environment variables. SQLite works with no configuration ("check out the code
and it works"); PostgreSQL is one variable away (DATABASE_URL). Helpers below refuse malformed values
instead of silently guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address residents reach (e.g. https://office.example.org): printed QR codes (certificates'
# verification, disclosure notices) point there. Empty: the address of the request that printed the paper.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "").rstrip("/")
if PUBLIC_BASE_URL and not PUBLIC_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PUBLIC_BASE_URL must start with https:// or http://, got {PUBLIC_BASE_URL!r}")
SEALS_VERIFY_BASE_URL = env_str("SEALS_VERIFY_BASE_URL", PUBLIC_BASE_URL)

INSTALLED_APPS = [
    # The project's apps first: their templates and translations take precedence over Django's own
    # (the admin translates "Comment" and "Log out" differently from what these offices say).
    "committee",
    "attendance",
    "meetings",
    "finance",
    "seals",
    "archives",
    "disclosure",
    "posts",
    "welfare",
    "visits",
    "dibao",
    "oversight",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "csp",  # django-csp: the Content-Security-Policy header (its system checks)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "committee.context_processors.office",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: a writer waits for the lock (timeout) instead of
# failing with "database is locked" half-way through a transaction.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "committee.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# The public address printed in the QR code of disclosure notices (docs/deployment.md).
DISCLOSURE_PUBLIC_BASE_URL = env_str("DISCLOSURE_PUBLIC_BASE_URL", PUBLIC_BASE_URL)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- History --------------------------------------------------------------------------------------
# History is evidence: it may be read, never reverted or edited through the UI or the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- E-mail: the daily digest (docs/notifications.md) ----------------------------------------------
# Printed to the console unless EMAIL_HOST names an SMTP server; then sent through it.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST) and not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
try:
    EMAIL_PORT = int(env_str("EMAIL_PORT", "") or (587 if EMAIL_USE_TLS else 465 if EMAIL_USE_SSL else 25))
except ValueError as exc:
    raise ImproperlyConfigured(f"EMAIL_PORT must be a number, got {env_str('EMAIL_PORT')!r}") from exc
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shequ@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = ""

# --- Security (production values come from the environment; `check --deploy` runs in CI) ----------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): no inline script or style anywhere (templates load static/js/app.js
# and static/css/app.css); uploaded files get a stricter, sandboxing policy in committee.files (CTL-7).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (django-permissions-policy): the office's pages use no device features.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "camera": [], "display-capture": [], "geolocation": [], "gyroscope": [],
    "magnetometer": [], "microphone": [], "midi": [], "payment": [], "usb": [], "fullscreen": [],
}
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # CTL-8: ID and mobile numbers are masked in anything written (committee.logprivacy); the test suite
    # fails when the product's code logs one at all (tests/conftest.py).
    "filters": {"personal_data": {"()": "committee.logprivacy.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "loggers": {
        # Django's own console and mail handlers bypass the filter: its records go through the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "committee.logprivacy.HidePostedValues"  # CTL-8: no posted values


# --- Logins: throttling, ended employment, forced password change (CTL-3, CTL-9) --------------------
# django-axes counts failed logins per (user name, address) on every login form (the product's and the
# admin's: both go through django.contrib.auth.authenticate) and locks that pair out for a while.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "committee.middleware.RefuseNulMiddleware",  # CTL-8: a NUL character anywhere in the request: 400
    "committee.middleware.RequestMemoMiddleware",  # what one page asks for twice is computed once
    "committee.middleware.PasswordChangeRequiredMiddleware",  # CTL-3: a reset password is changed first
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out attempts before any password is checked
    "committee.auth.OfficeBackend",  # ModelBackend + CTL-3: no login after employment or last role ended
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "committee.views.lockout"  # the translated page registration/lockout.html, 429
AXES_ENABLE_ADMIN = False  # committee.admin shows its records read-only (CTL-5)
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are recorded once, in committee.AuditEvent (CTL-9)
# The address is REMOTE_ADDR (django-ipware is not installed): behind a proxy every attempt comes from the
# proxy's address, and the lockout then works per user name.
