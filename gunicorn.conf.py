"""gunicorn settings for the portal: `gunicorn portal.wsgi` reads this file.

Everything comes from the environment, so one image serves every app server:
  GUNICORN_BIND      address to listen on             (default 127.0.0.1:8000)
  WEB_CONCURRENCY    worker processes                 (default 2)
  GUNICORN_THREADS   threads per worker               (default 1)
  GUNICORN_TIMEOUT   seconds before a stuck worker is replaced (default 30)
  GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 2000)
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the application once in the master so workers share memory, and fail
# fast at start-up when a setting is missing.
preload_app = True
# Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "portal.wsgi:application"


def post_fork(server, worker):
    # Never share a database connection opened in the master with a worker.
    from django.db import connections

    connections.close_all()


def pre_fork(server, worker):
    # What the master has loaded (the application, its URLconf and templates'
    # code) lives as long as the worker: leave it out of the worker's garbage
    # collections. A full collection would otherwise walk those ~200,000
    # objects every few hundred requests (about 0.15 s stolen from one
    # visitor's request), and touching them would copy the shared memory pages.
    gc.freeze()
