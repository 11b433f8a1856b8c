import os

from django.core.wsgi import get_wsgi_application
from django.urls import resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
application = get_wsgi_application()

# The URLconf, and with it the admin's hooks, viewsets and snippets, is imported here rather
# than by the first request. gunicorn loads this module in its master (preload_app), so every
# worker is forked with it loaded: a new or recycled worker (max_requests) does not spend its
# first request on it (about 0.6 s), and that request is as fast as any other.
resolve("/")
