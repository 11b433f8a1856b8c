"""What the tests reach besides their database: with the suite spread over
several worker processes (pytest-xdist), each worker gets a Redis database of
its own, as pytest-django gives each one its own test database."""

import os
from urllib.parse import urlsplit


def redis_test_url() -> str:
    """REDIS_TEST_URL (default database 15); worker gwN uses the database N below it."""
    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    database = (int(parts.path.lstrip("/") or 0) - int(worker[2:])) % 16
    return parts._replace(path=f"/{database}").geturl()
