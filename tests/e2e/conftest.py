"""Browser tests: Debian's Chromium driven by Playwright against a live server with the demo content.

The demo content is loaded once per test session into the test database, and
one live server thread serves it to every browser test. The database is
flushed again when the session ends, as Django's transactional tests do.
"""

import dataclasses
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .targets import Target, discover_targets

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1366, "height": 768}


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium chromium-driver, or run .ci/e2e-deps)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(ROOT)} (npm ci, or run .ci/e2e-deps)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -r requirements-dev.txt)")
    return missing


def _require_tools() -> None:
    """Skip on a developer machine without the browser; under CI a missing browser is a failure."""
    missing = _missing_tools()
    if not missing:
        return
    reason = "browser tests need " + "; ".join(missing)
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(reason + " (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module; Playwright's event loop stops with it, so it never outlives the browser tests."""
    _require_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in the main thread, while the test's ORM calls are
    plain synchronous code. Allowed only while a browser test runs: the variable must not leak
    into other tests' subprocesses (Django's deploy checks reject it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclasses.dataclass
class DemoSite:
    url: str
    targets: list[Target]

    def page_url(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="module", autouse=True)
def _migrated_state(django_db_setup):
    """The database as the migrations left it, serialized by Django when a test needs serialized rollback.

    Read before Playwright starts: its event loop runs the test code in another
    context, where `django.db.connection` is a new wrapper without this attribute.
    """
    from django.db import connections

    return getattr(connections["default"], "_test_serialized_contents", None)


@pytest.fixture(scope="module")
def demo_site(_migrated_state, live_server, django_db_blocker, browser):
    """The demo content in the test database, loaded once per test module and served by the live server.

    The data is committed (the live server thread reads it through its own
    connection) and flushed when the module is done, as transactional tests do.
    """
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Site

    name = str(connection.settings_dict["NAME"])
    # Never load into (or flush) a real database.
    assert "test" in name or connection.is_in_memory_db(), f"not a test database: {name}"
    port = int(live_server.url.rsplit(":", 1)[1])
    with django_db_blocker.unblock():
        call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        # Full URLs (canonical, hreflang, OpenGraph) point at the live server.
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
        targets = discover_targets()
    try:
        yield DemoSite(url=live_server.url, targets=targets)
    finally:
        with django_db_blocker.unblock():
            _reset_database(connection, _migrated_state)
            # The connection opened in Playwright's context is not the one
            # Django closes when the run ends: close it here, or it would keep
            # the test database in use and stop it from being dropped.
            connection.close()


def _reset_database(connection, serialized: str | None) -> None:
    """Empty the database the way Django's transactional tests leave it.

    When a later test uses serialized rollback, the state right after the
    migrations is put back too, exactly as Django does before such a test.
    The rows come back with their old ids, so the content types this process
    has cached stay right; emptying that cache here would make code that runs
    while the rows are put back create content types that then clash with them.
    """
    from django.core.management import call_command

    call_command(
        "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=serialized is not None
    )
    if serialized is not None:
        connection.creation.deserialize_db_from_string(serialized)


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """Stands in for pytest-django's helper of the same name in the browser tests.

    pytest-django's helper gives every test that uses `live_server` a
    transactional database, flushed after each test; the browser tests share
    one load of the demo content per module instead (see `demo_site`), so here
    a test only gets the live server's settings and database access.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        live_server._live_server_modified_settings.disable()


@pytest.fixture
def page(browser, demo_site):
    """A fresh browser tab that refuses to load anything from another host."""
    # axe-core is injected as an inline script, which the site's Content-Security-Policy rightly forbids.
    context = browser.new_context(viewport=DESKTOP, locale="cs-CZ", bypass_csp=True)
    tab = context.new_page()
    tab.foreign_requests = []

    def _guard(route):
        if route.request.url.startswith(demo_site.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.foreign_requests.append(route.request.url)
            route.abort()

    tab.route(re.compile(r".*"), _guard)
    yield tab
    context.close()


def http_status(url: str) -> tuple[int, str]:
    """Status and content type of a URL, fetched without the browser."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the local live server
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", "")
