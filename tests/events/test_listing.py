"""The event index: upcoming dates grouped by day, filters, pagination, archive, query counts, bad input."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventDate

from .conftest import local
from .factories import AudienceFactory, EventCategoryFactory


@pytest.fixture
def programme(make_event):
    clubs = EventCategoryFactory(name="Kluby", slug="kluby")
    children = AudienceFactory(name="Děti", slug="deti")
    seniors = AudienceFactory(name="Senioři", slug="seniori")
    homework = make_event(title="Doučovací klub", category=clubs, dates=[0.1, 1.1, 9.1])
    homework.audiences.set([children])
    homework.save()
    seniors_club = make_event(title="Klub seniorů", summary="Trénink paměti", dates=[2.1, 40.1])
    seniors_club.audiences.set([seniors])
    seniors_club.save()
    old = make_event(title="Minulá výměna oblečení", dates=[-5])
    return {"homework": homework, "seniors": seniors_club, "old": old}


def titles(response):
    return [d.page.title for d in response.context["page_obj"].object_list]


def test_upcoming_dates_in_time_order_grouped_by_day(client, index_cs, programme):
    response = client.get(index_cs.url)
    assert response.status_code == 200
    starts = [d.start for d in response.context["page_obj"].object_list]
    assert starts == sorted(starts) and len(starts) == 5
    assert "Minulá výměna oblečení" not in titles(response)
    days = [day for day, _dates in response.context["day_groups"]]
    assert days == sorted(set(days))
    assert b'<h3 class="event-day">' in response.content


def test_filter_by_category_audience_and_text(client, index_cs, programme):
    assert set(titles(client.get(index_cs.url, {"category": "kluby"}))) == {"Doučovací klub"}
    assert set(titles(client.get(index_cs.url, {"audience": "seniori"}))) == {"Klub seniorů"}
    assert set(titles(client.get(index_cs.url, {"q": "paměti"}))) == {"Klub seniorů"}
    assert titles(client.get(index_cs.url, {"audience": "seniori", "category": "kluby"})) == []


def test_period_filters(client, index_cs, make_event):
    now = timezone.now()
    make_event(title="Dnes", dates=[(now - dt.timedelta(minutes=30), now + dt.timedelta(minutes=1))])
    make_event(title="Za dva měsíce", dates=[70])
    response = client.get(index_cs.url, {"period": "today"})
    assert titles(response) == ["Dnes"]
    assert "Dnes" in titles(client.get(index_cs.url, {"period": "week"}))
    assert "Za dva měsíce" not in titles(client.get(index_cs.url, {"period": "month"}))
    far = timezone.localdate() + dt.timedelta(days=70)
    assert titles(client.get(index_cs.url, {"from": far.isoformat(), "to": far.isoformat()})) == ["Za dva měsíce"]


@pytest.mark.parametrize(
    "params",
    [
        {"category": "neznama"},
        {"audience": "<script>"},
        {"period": "forever"},
        {"from": "2026-13-45"},
        {"from": "zítra", "to": "31. 2. 2026"},
        {"from": "2027-01-10", "to": "2027-01-01"},
        {"period": "range", "to": "9999-12-31"},
        {"from": "0001-01-01"},
        {"page": "abc"},
        {"page": "9999"},
        {"page": "-1"},
    ],
)
def test_bad_input_gives_the_page_with_a_message(client, index_cs, programme, params):
    response = client.get(index_cs.url, params)
    assert response.status_code == 200
    assert response.context["filter_problems"], params
    assert b'class="message"' in response.content
    assert b"<script>" not in response.content.split(b"</head>")[1].replace(b'<script type="application/ld+json">', b"")


@pytest.mark.parametrize("suffix", ["", "archive/", "month/", "calendar.ics"])
def test_control_characters_in_the_query_never_reach_the_database(client, index_cs, programme, suffix):
    for params in ({"q": "klub\x00"}, {"q": "\x00", "from": "2026-01-01\x00"}, {"month": "2026-12\x00"}):
        response = client.get(index_cs.url + suffix, params)
        assert response.status_code == 200, (suffix, params)


def test_messages_are_in_czech_on_the_czech_page(client, index_cs, programme):
    response = client.get(index_cs.url, {"category": "neznama"})
    assert "Kategorii „neznama“ neznáme" in response.content.decode()


def test_pagination(client, index_cs, make_event):
    index_cs.per_page = 5
    index_cs.save_revision().publish()
    make_event(dates=[i + 0.5 for i in range(12)])
    first = client.get(index_cs.url)
    third = client.get(index_cs.url, {"page": 3})
    assert len(first.context["page_obj"].object_list) == 5
    assert len(third.context["page_obj"].object_list) == 2
    assert first.context["page_obj"].paginator.count == 12


@pytest.fixture
def kept_fragments(settings):
    """Kept fragments on, as with a shared Redis in production."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "listing"},
    }


def test_a_kept_first_page_is_served_without_counting_or_reading_the_dates(
    client, index_cs, make_event, kept_fragments
):
    index_cs.per_page = 5
    index_cs.save_revision().publish()
    make_event(title="Kurz vaření", dates=[i + 0.5 for i in range(12)])
    for params in ({}, {"page": "1"}):
        assert "12 nadcházejících termínů" in client.get(index_cs.url, params).content.decode()  # kept...
        with CaptureQueriesContext(connection) as queries:
            html = client.get(index_cs.url, params).content.decode()
        assert "12 nadcházejících termínů" in html and "Stránka 1 z 3" in html
        # ...and then served without a query on the dates.
        assert not [q["sql"] for q in queries.captured_queries if '"events_eventdate"' in q["sql"]], params
    # Any other number is still checked on every request, and shows its own dates.
    third = client.get(index_cs.url, {"page": "3"}).content.decode()
    assert "Stránka 3 z 3" in third and "Stránka 1 z 3" not in third
    for _ in range(2):
        response = client.get(index_cs.url, {"page": "9999"})
        assert response.context["filter_problems"] == ["Stránka 9999 neexistuje; ukazujeme poslední stránku (3)."]
        assert "Stránka 3 z 3" in response.content.decode()


def test_archive_lists_past_dates_newest_first(client, index_cs, programme, make_event):
    make_event(title="Dávno", dates=[-30])
    response = client.get(index_cs.url + "archive/")
    assert response.status_code == 200
    assert titles(response) == ["Minulá výměna oblečení", "Dávno"]


def test_unpublished_events_and_other_languages_are_not_listed(client, index_cs, index_en, make_event):
    draft = make_event(title="Koncept", dates=[3])
    draft.unpublish()
    make_event(title="English only", parent=index_en, dates=[3])
    assert titles(client.get(index_cs.url)) == []


def _listing_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_number_of_queries_does_not_grow_with_the_number_of_dates(client, index_cs, make_event):
    index_cs.per_page = 100
    index_cs.save_revision().publish()
    category = EventCategoryFactory(slug="kluby")
    audiences = [AudienceFactory(), AudienceFactory()]
    pages = []
    for n in range(5):
        page = make_event(title=f"Událost {n}", category=category)
        page.audiences.set(audiences)
        page.save()
        pages.append(page)
    base = timezone.now() + dt.timedelta(hours=1)

    def add_dates(count, offset):
        EventDate.objects.bulk_create(
            EventDate(
                page=pages[i % 5],
                locale_id=pages[i % 5].locale_id,
                start=base + dt.timedelta(hours=offset + i),
                end=base + dt.timedelta(hours=offset + i, minutes=90),
            )
            for i in range(count)
        )

    add_dates(5, 0)
    client.get(index_cs.url)  # warm caches (site root paths, settings)
    few = _listing_queries(client, index_cs.url)
    few_filtered = _listing_queries(client, index_cs.url + "?category=kluby&audience=" + audiences[0].slug)
    add_dates(995, 10)
    many = _listing_queries(client, index_cs.url)
    many_filtered = _listing_queries(client, index_cs.url + "?category=kluby&audience=" + audiences[0].slug)
    assert EventDate.objects.count() == 1000
    assert few == many
    assert few_filtered == many_filtered


def test_month_and_feed_links_keep_the_filters(client, index_cs, programme):
    response = client.get(index_cs.url, {"category": "kluby"})
    assert 'calendar.ics?category=kluby"' in response.content.decode()


def test_home_page_shows_the_next_six_dates(client, home_cs, make_event):
    make_event(title="Brzy", dates=[i + 0.2 for i in range(8)])
    response = client.get(home_cs.url)
    assert len(response.context["upcoming_dates"]) == 6
    assert response.content.decode().count(">Brzy</a>") == 6


def test_local_helper_is_timezone_aware():
    assert local(2026, 1, 1).utcoffset() == dt.timedelta(hours=1)


def test_language_switcher_keeps_the_sub_page_and_translates_the_filters(client, index_en, programme):
    from wagtail.models import Locale

    english = programme["homework"].category.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name, english.slug = "Clubs", "clubs"
    english.save()
    html = client.get("/cs/akce/month/", {"month": "2026-12", "category": "kluby"}).content.decode()
    assert 'href="/en/events/month/?month=2026-12&amp;category=clubs" lang="en"' in html
    assert 'href="/cs/akce/month/?month=2026-12&amp;category=kluby" lang="cs"' in html
    # A category with no English version is left out rather than sent as a Czech slug.
    html = client.get("/cs/akce/archive/", {"audience": "deti", "q": "klub"}).content.decode()
    assert 'href="/en/events/archive/?q=klub" lang="en"' in html


def test_a_tracking_query_costs_no_extra_queries(client, index_en, programme):
    client.get(index_en.url)  # warm
    with CaptureQueriesContext(connection) as plain:
        client.get(index_en.url)
    with CaptureQueriesContext(connection) as tracked:
        client.get(index_en.url, {"utm_source": "newsletter"})
    assert len(tracked) == len(plain)
