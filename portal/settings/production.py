"""Production: refuses to start without its secrets, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ENV, env_bool, env_list

_missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not ENV.get(name)]
if _missing:
    raise ImproperlyConfigured("Production settings need these environment variables: " + ", ".join(_missing))

DEBUG = False
SECRET_KEY = ENV["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DEMO_ADMIN = False

# HTTPS. SECURE_SSL_REDIRECT can be switched off (SECURE_SSL_REDIRECT=0) only
# where TLS ends in front of the app and plain HTTP never reaches visitors.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Persistent database connections: each gunicorn worker keeps its own.
DATABASES["default"]["CONN_MAX_AGE"] = int(ENV.get("CONN_MAX_AGE", "60"))  # noqa: F405
# Django's health check reopens a connection the server dropped (a restart,
# a failover) before the first query of a request that needs the database; a
# page-cache hit needs none. DB_HEALTH_CHECKS=0 turns it off.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_HEALTH_CHECKS", True)  # noqa: F405

# Static files: compressed, with hashed names, served by WhiteNoise with
# far-future cache headers. Media keep whatever base.py chose (S3 or disk).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Staff sign in with a second factor (TOTP) unless explicitly switched off.
WAGTAIL_2FA_REQUIRED = env_bool("WAGTAIL_2FA_REQUIRED", True)

LOGGING["root"]["level"] = ENV.get("LOG_LEVEL", "INFO")  # noqa: F405
LOGGING["loggers"]["portal"] = {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO"), "propagate": False}  # noqa: F405
