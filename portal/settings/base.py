"""Settings shared by every environment.

Configuration comes only from environment variables, read once here.
`dev`, `test` and `production` only differ from this module.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

ENV = os.environ


def env_bool(name: str, default: bool = False) -> bool:
    value = ENV.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in ENV.get(name, default).split(",") if item.strip()]


SECRET_KEY = ENV.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "home",
    "projects",
    "events",
    "events.registrations",
    "website",
    "staff_auth",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    # Security: admin brute-force protection and two-factor authentication for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail.contrib.frontend_cache",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and friends (portal/middleware.py).
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database down: a friendly 503 page instead of a traceback.
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that the admin's "not found" pages are not redirected to /cs/ (portal/middleware.py).
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Whole pages for anonymous visitors, and the visitor's own CSRF token in
    # kept forms (portal/cache.py). Inside the session and CSRF middleware (a
    # kept page goes back through them, so the CSRF cookie is set for the
    # token put in); outside authentication, messages, redirects and
    # lockouts, which a request it may answer (no session, no message cookie)
    # never needs, and which have written their cookies by the time a fresh
    # page is offered to the cache.
    "portal.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), then the second factor for staff (staff_auth).
    "django_otp.middleware.OTPMiddleware",
    "staff_auth.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.cache",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: DATABASE_URL, or an SQLite file beside manage.py.
DATABASE_URL = ENV.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(ENV.get("CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock at the start of each transaction, so writers are serialised and the
    # capacity check and the insert can never interleave.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
    # The server binds the parameters, so a query run again with other values is the same
    # statement; psycopg prepares a statement run 5 times on a connection, and PostgreSQL then
    # parses and plans it once per connection instead of on every run (Django's documented
    # OPTIONS; measured: 6-15 % more pages per second). DB_PREPARED_STATEMENTS=0 turns both
    # off, e.g. behind a connection pooler in transaction mode that keeps no prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Czech first and default, then English and Ukrainian. Each one listed here gets its
# Wagtail locale after `migrate` (portal.apps); a page not yet translated is shown in Czech (home.models).
LANGUAGE_CODE = "cs"
LANGUAGES = [("cs", "Čeština"), ("en", "English"), ("uk", "Українська")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them; Czech-style dates ("10. 12. 2026") are read in every
# language, and the admin's date fields write them (portal/formats, portal/widgets.py).
FORMAT_MODULE_PATH = ["portal.formats"]
WAGTAIL_DATE_FORMAT = "%d. %m. %Y"
WAGTAIL_DATETIME_FORMAT = "%d. %m. %Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
TIME_ZONE = "Europe/Prague"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible object storage (shared by every app server) when a
# bucket is configured, through django-storages' S3 backend (boto3); otherwise
# the local MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = ENV.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # Where visitors fetch the files: the bucket's public address or a CDN,
    # e.g. https://media.example.org/portal. Addresses are built from it
    # without a request to the bucket.
    _media_public_url = urlsplit(ENV.get("AWS_S3_PUBLIC_URL", ""))
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Without keys boto3 looks for credentials itself (an instance role).
            "access_key": ENV.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": ENV.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": ENV.get("AWS_S3_REGION_NAME") or None,
            # Any S3-compatible service: MinIO, Ceph, Wasabi, a cloud's S3 API.
            "endpoint_url": ENV.get("AWS_S3_ENDPOINT_URL") or None,
            # "path" for services that do not serve buckets as host names.
            "addressing_style": ENV.get("AWS_S3_ADDRESSING_STYLE") or None,
            "custom_domain": (_media_public_url.netloc + _media_public_url.path.rstrip("/")) or None,
            "url_protocol": f"{_media_public_url.scheme or 'https'}:",
            # Media are public: plain addresses that pages, the page cache and
            # the CDN can keep (signed ones expire).
            "querystring_auth": False,
            # As on disk, an upload never replaces another file of the same name.
            "file_overwrite": False,
        },
    }

# Cache: Redis when REDIS_URL is set (shared by every app server), otherwise
# process-local memory.
REDIS_URL = ENV.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A Redis outage must not take the site down: errors are logged
                # and the request goes on as a cache miss.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Errors that django-redis ignores are logged to this logger, where a filter
# (LOGGING below, portal/outages.py) turns them into one warning per outage.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache.redis"
# Kept fragments and values (portal/cache.py): the same store, under their own prefix.
# On Redis, FragmentCache reads ahead what a page's previous render read.
CACHES["fragments"] = {**CACHES["default"], "KEY_PREFIX": "portal-fragments", "LOCATION": CACHES["default"]["LOCATION"]}
if REDIS_URL:
    CACHES["fragments"]["BACKEND"] = "portal.cache.FragmentCache"
else:
    CACHES["fragments"]["LOCATION"] = "portal-fragments"

# Full-page cache for anonymous visitors (portal/cache.py). On by default only
# with a shared Redis cache, so that a publish on one app server invalidates
# the pages cached by every other one. Fragments and kept values use the
# same version and expire after PAGE_CACHE_SECONDS at the latest.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = int(ENV.get("PAGE_CACHE_SECONDS", "300"))
# On PostgreSQL each process learns of a changed page view restriction from a
# notification instead of reading them at the start of every request, and
# reads them again at least this often (portal/restrictions.py). 0: read them
# on every request, as on SQLite.
RESTRICTION_WATCH_SECONDS = int(ENV.get("RESTRICTION_WATCH_SECONDS", "60"))

# A CDN in front of the site is purged on publish and unpublish (both
# languages, and the listings above the page): an HTTP purge endpoint
# (Varnish and friends) and/or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if ENV.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": ENV["FRONTEND_CACHE_URL"],
    }
if ENV.get("CLOUDFLARE_ZONEID") and ENV.get("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": ENV["CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": ENV["CLOUDFLARE_BEARER_TOKEN"],
    }

# Security headers (portal/middleware.py). The public site allows no inline
# script or style; the Wagtail admin needs inline code and gets a looser policy.
CSP_PUBLIC = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
    + (f" {ENV['MEDIA_ORIGIN']}" if ENV.get("MEDIA_ORIGIN") else "")
    + "; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self';"
    " form-action 'self'; frame-ancestors 'none'"
)
CSP_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data: blob:"
    + (f" {ENV['MEDIA_ORIGIN']}" if ENV.get("MEDIA_ORIGIN") else "")
    + "; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
    " form-action 'self'; frame-ancestors 'self'"
)
# The only inline style attributes the public CSP lets through (by hash, with
# 'unsafe-hashes'; no 'unsafe-inline'): the funders' statement typography that
# the publicity rules require (projects/publicity/ measures the rendered result).
CSP_ALLOWED_STYLE_ATTRIBUTES = [
    "font-family: Arial, Helvetica, sans-serif; font-style: normal; text-decoration: none; color: #000000;",
    "color: #003399;",
]
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Brute-force protection on the admin login (django-axes): after 5 failures
# for the same user name from the same address, that pair is locked out for
# an hour; after 20 failures from one address, whatever the user names, that
# address is (staff_auth/lockout.py). Failed attempts (user name, IP address, user agent) are kept in the
# database only as long as needed: `manage.py axes_reset_failure_logs --age 30`
# runs daily; successful logins are not logged at all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(ENV.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = int(ENV.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "staff_auth.lockout.SignInAttemptsHandler"
# An attempt refused during a lockout is answered with the lockout page and
# not counted again (the lockout ends an hour after the last counted failure).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "portal/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_ip"
# How many reverse proxies (load balancer, CDN) sit in front of the app and
# append to X-Forwarded-For; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(ENV.get("TRUSTED_PROXY_COUNT", "0"))

# Two-factor authentication (an authenticator app, with recovery codes) for
# everyone who can use the admin (staff_auth, on django-otp); the production
# settings require it, development and tests leave it optional.
WAGTAIL_2FA_REQUIRED = env_bool("WAGTAIL_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = ENV.get("OTP_TOTP_ISSUER", "Komunitní portál")

# E-mail: EMAIL_URL (smtp://user:password@host:port, or console:// / locmem://)
# or the classic SMTP settings.
EMAIL_URL = ENV.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Komunitní centrum <info@komunitni-centrum.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    if _mail.scheme in {"smtp", "smtps", "submission"}:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _mail.hostname or "localhost"
        EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 587 if _mail.scheme == "submission" else 25)
        EMAIL_HOST_USER = unquote(_mail.username or "")
        EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
        EMAIL_USE_SSL = _mail.scheme == "smtps"
        EMAIL_USE_TLS = _mail.scheme == "submission"
    elif _mail.scheme == "console":
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    elif _mail.scheme == "locmem":
        EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(ENV.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10

# Background work (e-mails, checks, the schedule in home/tasks.py) goes through
# django-tasks' database backend; `manage.py db_worker` runs it. Finished task
# results are deleted this many days after they finished.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_RESULTS_RETENTION_DAYS = int(ENV.get("TASK_RESULTS_RETENTION_DAYS", "14"))

# Wagtail
WAGTAIL_SITE_NAME = "Komunitní portál"
WAGTAILADMIN_BASE_URL = ENV.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Pages are indexed with a normalised field as well (portal/search_text.py: no diacritics,
# Snowball stems of the page's language and their beginnings). PostgreSQL's "simple"
# configuration keeps those words as they are; SQLite's full-text index needs no setting.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "webp": "webp"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin shows initials instead of loading avatars from gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# Forms accept at most this many bytes of POST data (registrations are small).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A cache outage is logged once (and reminded of once a minute at most), with
# no traceback, and once more when the cache is back (portal/outages.py): the
# filter sits on every logger whose records mean "a cache call failed".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"cache_outage": {"()": "portal.outages.CacheOutageFilter", "interval": 60}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django_redis": {"handlers": ["console"], "level": "WARNING", "propagate": False, "filters": ["cache_outage"]},
        DJANGO_REDIS_LOGGER: {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["cache_outage"],
        },
        "portal.ratelimit": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["cache_outage"],
        },
        "portal.cache.outage": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Registrations: anonymised this many days after their date; at most N form
# posts per address per window (seconds), counted in the shared cache.
REGISTRATION_RETENTION_DAYS = int(ENV.get("REGISTRATION_RETENTION_DAYS", "90"))
REGISTRATION_RATE_LIMIT = (
    int(ENV.get("REGISTRATION_RATE_LIMIT", "10")),
    int(ENV.get("REGISTRATION_RATE_WINDOW", "600")),
)
# Password-protected pages: at most N wrong passwords per address per window
# (seconds), counted in the shared cache (portal/views.py).
# The contact form: messages per visitor address and window (seconds), the
# least time a person takes to fill it in, and how long messages are kept.
CONTACT_RATE_LIMIT = (
    int(ENV.get("CONTACT_RATE_LIMIT", "5")),
    int(ENV.get("CONTACT_RATE_WINDOW", "600")),
)
CONTACT_FORM_MIN_SECONDS = float(ENV.get("CONTACT_FORM_MIN_SECONDS", "3"))
CONTACT_SUBMISSION_RETENTION_DAYS = int(ENV.get("CONTACT_SUBMISSION_RETENTION_DAYS", "180"))
PAGE_PASSWORD_RATE_LIMIT = (
    int(ENV.get("PAGE_PASSWORD_RATE_LIMIT", "10")),
    int(ENV.get("PAGE_PASSWORD_RATE_WINDOW", "600")),
)
# Publicity records (checks, snapshots, screenshots, obligation evidence) are kept for the
# programme's archiving period after the project's end (FundingProgramme.archive_years);
# this many years for records whose project is gone or has no programme.
PUBLICITY_ARCHIVE_YEARS = int(ENV.get("PUBLICITY_ARCHIVE_YEARS", "10"))
# Controller links (/kontrola/<token>/): the longest a link may be valid, in days, and at most
# N wrong tokens per address per window (seconds), counted in the shared cache.
CONTROLLER_LINK_MAX_DAYS = int(ENV.get("CONTROLLER_LINK_MAX_DAYS", "365"))
CONTROLLER_LINK_RATE_LIMIT = (
    int(ENV.get("CONTROLLER_LINK_RATE_LIMIT", "20")),
    int(ENV.get("CONTROLLER_LINK_RATE_WINDOW", "3600")),
)
# Addresses that are never rate limited, e.g. the centre's own network, where
# staff help many residents register from one public address.
try:
    REGISTRATION_RATE_LIMIT_EXEMPT = [
        ipaddress.ip_network(network, strict=False) for network in env_list("REGISTRATION_RATE_LIMIT_EXEMPT")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"REGISTRATION_RATE_LIMIT_EXEMPT: {error}") from error
