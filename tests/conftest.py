"""Fixtures shared by every test area."""

import pytest
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("cs")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test commits
    nothing, so it never starts a new cache version of its own."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site_homes(db):
    """The home page in cs and en, the standard pages and the centre settings (the demo's centre part)."""
    from demo.centre import load_home

    return load_home()


@pytest.fixture
def home_cs(site_homes):
    return site_homes["cs"]


@pytest.fixture
def home_en(site_homes):
    return site_homes["en"]


def pytest_collection_modifyitems(items):
    """Every transactional test puts the migrated state back (serialized rollback).

    One that does not ends with a flush that re-creates the content types, the
    locales and the root page under new ids; the next test that puts the
    migrated state back then clashes with them.
    """
    careless = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db"))
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    # A browser test on the shared demo site that also asks for pytest-django's database
    # fixtures is made transactional by pytest-django and flushed without the migrated state.
    careless += [
        item.nodeid
        for item in items
        if "demo_site" in getattr(item, "fixturenames", ())
        and {"db", "transactional_db", "django_user_model", "admin_user", "admin_client"} & set(item.fixturenames)
    ]
    if careless:
        raise pytest.UsageError(
            "tests that would flush the database without the migrated state: " + ", ".join(careless)
        )


@pytest.fixture(scope="session", autouse=True)
def _stop_watching_restrictions(django_db_setup):
    """The process's connection that listens for page view restrictions
    (portal.restrictions) is closed before the test database is dropped."""
    yield
    from portal.restrictions import stop_watching

    stop_watching()
