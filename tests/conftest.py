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
