"""Bad input never causes a 500: hypothesis throws arbitrary query strings at
every public route, in both languages.

The values include NUL and other control characters, percent-escaped bytes
that are not UTF-8 (a lone surrogate, %FF), very long strings, many repeated
parameters and parameters no view knows. The routes are taken from the demo
content, so they are real pages with real filters; a plain GET of each writes
nothing to the database. The suite runs this on
PostgreSQL in CI as well, where a NUL byte in a query is an error of its own.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

LANGUAGES = tuple(code for code, _name in django_settings.LANGUAGES)
# The parameters the public views read, and a few they do not.
KNOWN_KEYS = [
    "category",
    "audience",
    "period",
    "from",
    "to",
    "q",
    "free",
    "page",
    "month",
    "programme",
    "status",
    "date",
    "token",
    "lang",
    "format",
    "utm_source",
]
NASTY = [
    "",
    "%00",
    "a%00b",
    "%01%02%1F%7F",
    "%ED%A0%80",  # a surrogate, as UTF-8 bytes: not valid UTF-8
    "%FF%FE",
    "%C0%AF",
    "%E2%80%AE",
    "%0D%0Afoo:%20bar",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "9999-12",
    "0000-00",
    "2024-13",
    "1.%201.%2099999",
    "..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3E",
    "%25",
    "%",
    "%zz",
    "x" * 5000,
    "%00" * 500,
    "😀" * 100,
]


def _encoded(text: str) -> str:
    # surrogatepass: a lone surrogate becomes the bytes %ED%A0%80, as a client may send.
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60).map(_encoded),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10).map(_encoded),
    st.binary(max_size=30).map(lambda raw: quote(raw, safe="")),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=20).map(_encoded), st.sampled_from(["%00", "%ED%A0%80"]))
pairs = st.lists(st.tuples(keys, values), max_size=8)
repeated = st.tuples(st.sampled_from(KNOWN_KEYS), values, st.integers(min_value=2, max_value=300)).map(
    lambda t: [(t[0], t[1])] * t[2]
)
query_strings = st.one_of(pairs, repeated).map(lambda items: "&".join(f"{k}={v}" for k, v in items))
# 40 examples per route keep the whole file well under a minute on SQLite.
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture
def public_routes(db) -> dict[str, dict[str, str]]:
    """Every public route, by name, with its path in each language, from the demo content."""
    from django.urls import translate_url
    from django.utils import translation

    from events.models import EventIndexPage, EventPage
    from home.models import HomePage, StandardPage
    from projects.models import ProjectIndexPage, ProjectPage

    call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115

    def address(model, language: str) -> str:
        """The first live page of the type in the language; one not translated yet is served at the
        language's address from the default language's tree (home.models.HomePage.route)."""
        pages = model.objects.live().public().order_by("path")
        page = pages.filter(locale__language_code=language).first()
        if page is not None:
            return page.url
        with translation.override(django_settings.LANGUAGE_CODE):
            return translate_url(
                pages.filter(locale__language_code=django_settings.LANGUAGE_CODE).first().url, language
            )

    routes: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            pages = {
                model: address(model, language)
                for model in (HomePage, StandardPage, EventIndexPage, EventPage, ProjectIndexPage, ProjectPage)
            }
            events, event, projects = pages[EventIndexPage], pages[EventPage], pages[ProjectIndexPage]
            named = {
                "home": pages[HomePage],
                "standard page": pages[StandardPage],
                "events": events,
                "events archive": events + "archive/",
                "events month": events + "month/",
                "events calendar": events + "calendar.ics",
                "event": event,
                "event calendar": event + "calendar.ics",
                "projects": projects,
                "publicity": projects + "publicity/",
                "publicity json": projects + "publicity.json",
                "project": pages[ProjectPage],
                "search": f"/{language}/search/",
                "registration status": f"/{language}/registrations/status/{secrets.token_urlsafe(24)}/",
                "registration cancel": f"/{language}/registrations/cancel/{secrets.token_urlsafe(24)}/",
                "sitemap": "/sitemap.xml",
                "robots": "/robots.txt",
            }
            for name, path in named.items():
                routes.setdefault(name, {})[language] = path
    return routes


def test_no_query_string_causes_a_500(public_routes):
    """Each route in turn, in a language drawn with each example."""
    client = Client(raise_request_exception=False)
    assert len(public_routes) == 17
    for name, paths in public_routes.items():
        for path in paths.values():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code in (200, 404), name  # 404: the registration links with random tokens
            # A GET writes nothing (an image's first rendition at a size is a file, not content).
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "rendition" not in q["sql"]
            ]
            assert writes == [], (name, writes)
    # What once gave a 500 on PostgreSQL: a NUL byte in a filter, through the language switcher.
    for name in ("events", "events archive", "events month"):
        for path in public_routes[name].values():
            for query in ("category=%00", "audience=a%00", "category=%ED%A0%80", "month=%00", "page=%00"):
                assert client.get(f"{path}?{query}").status_code < 500, f"{path}?{query}"

    def never_500(paths):
        @FUZZ
        @given(query=query_strings, language=st.sampled_from(LANGUAGES))
        def fuzz(query, language):
            path = paths[language]
            response = client.get(f"{path}?{query}")
            assert response.status_code < 500, f"{path}?{query[:300]}"

        fuzz()

    for paths in public_routes.values():
        never_500(paths)


@FUZZ
@given(token=st.text(min_size=1, max_size=300).map(_encoded), language=st.sampled_from(LANGUAGES))
def test_registration_links_with_any_token_never_answer_500(db, token, language):
    client = Client(raise_request_exception=False)
    for name in ("status", "cancel"):
        response = client.get(f"/{language}/registrations/{name}/{token}/")
        assert response.status_code < 500, token
