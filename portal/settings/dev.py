"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import EMAIL_URL, ENV, INSTALLED_APPS

DEBUG = True
SECRET_KEY = ENV.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
if not EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo content (`manage.py load_demo_content`); production leaves it out.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
DEMO_ADMIN = True

# Static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
