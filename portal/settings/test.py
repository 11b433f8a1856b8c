"""The test suite: SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import ENV, INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-test"},
    # Nothing is kept between requests unless a test asks for it (the
    # `kept_fragments` fixture): a rolled-back test never commits, so it never
    # starts a new cache version of its own.
    "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# One folder per worker process when the suite runs on several (pytest-xdist).
MEDIA_ROOT = ENV.get("TEST_MEDIA_ROOT", "/tmp/portal-test-media") + (
    f"-{ENV['PYTEST_XDIST_WORKER']}" if ENV.get("PYTEST_XDIST_WORKER") else ""
)
# The demo content (`manage.py load_demo_content`); production leaves it out.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
DEMO_ADMIN = False
# The test client's login() passes no request, which django-axes refuses;
# tests/portal/test_security.py switches the brute-force protection back on.
AXES_ENABLED = False

# Static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Test clients and browsers fill the contact form in at once; the tests of the
# minimum fill time set it back (tests/website/test_contact.py).
CONTACT_FORM_MIN_SECONDS = 0
