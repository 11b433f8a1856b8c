"""News: the index (newest first, paginated, filtered by tag and year), news pages, the home page's
latest items, the RSS and Atom feeds per language, and the funding disclosure of a linked project."""

import datetime as dt
import re

import feedparser
import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from demo.helpers import upsert_translation
from home.models import HomePage
from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory
from website.models import NewsIndexPage, NewsPage

from .factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def news_index(home_cs):
    index = NewsIndexPageFactory(parent=home_cs)
    upsert_translation(index, language_code="en", slug="news", title="News", intro="What is new.")
    return index


def _titles(html: str) -> list[str]:
    return re.findall(r'class="news-title"><a href="[^"]+">([^<]+)</a>', html)


def test_news_pages_live_under_the_index_and_the_index_under_the_home_page():
    assert NewsIndexPage in HomePage.allowed_subpage_models()
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]


def test_the_index_lists_the_newest_first_ten_a_page(client, news_index):
    for n in range(12):
        NewsPageFactory(parent=news_index, title=f"Zpráva {n:02}", date=TODAY - dt.timedelta(days=n))
    html = client.get(news_index.url).content.decode()
    assert _titles(html) == [f"Zpráva {n:02}" for n in range(10)]
    assert "Stránka 1 z 2" in html
    second = client.get(news_index.url + "?page=2").content.decode()
    assert _titles(second) == ["Zpráva 10", "Zpráva 11"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?page=99", "Tolik stránek zpráv tu není, proto ukazujeme poslední."),
        ("?page=abc", "Číslo stránky nebylo platné, proto ukazujeme první stránku."),
    ],
)
def test_a_page_number_out_of_range_shows_a_page_and_says_why(client, news_index, query, message):
    NewsPageFactory(parent=news_index, title="Jediná zpráva")
    response = client.get(news_index.url + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert _titles(html) == ["Jediná zpráva"]
    assert message in html


def test_the_index_filters_by_tag_and_by_year(client, news_index):
    NewsPageFactory(parent=news_index, title="Letos o dětech", tag_names=["děti"])
    NewsPageFactory(parent=news_index, title="Letos o seniorech", tag_names=["senioři"])
    NewsPageFactory(
        parent=news_index, title="Loni o dětech", date=TODAY.replace(year=TODAY.year - 1), tag_names=["děti"]
    )

    html = client.get(news_index.url + "?tag=děti").content.decode()
    assert _titles(html) == ["Letos o dětech", "Loni o dětech"]
    assert '<option value="děti" selected>děti</option>' in html

    html = client.get(news_index.url + f"?year={TODAY.year - 1}").content.decode()
    assert _titles(html) == ["Loni o dětech"]
    assert f'<option value="{TODAY.year}">{TODAY.year}</option>' in html

    html = client.get(news_index.url + f"?tag=d%C4%9Bti&year={TODAY.year}").content.decode()
    assert _titles(html) == ["Letos o dětech"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?tag=neexistuje", "Žádná zpráva nemá štítek „neexistuje“, proto ukazujeme všechny."),
        ("?year=dvacet", "Z roku „dvacet“ žádné zprávy nemáme, proto ukazujeme zprávy ze všech let."),
        ("?year=99999999999999999999", "Z roku „9999999999“"),
        ("?tag=%00x&year=%00", ""),
    ],
)
def test_a_bad_filter_shows_all_news_and_says_why(client, news_index, query, message):
    NewsPageFactory(parent=news_index, title="Zpráva o všem", tag_names=["děti"])
    response = client.get(news_index.url + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert _titles(html) == ["Zpráva o všem"]
    assert message in html


def test_draft_and_private_news_are_not_listed(client, news_index):
    from wagtail.models import PageViewRestriction

    NewsPageFactory(parent=news_index, title="Veřejná")
    draft = NewsPageFactory(parent=news_index, title="Koncept")
    draft.unpublish()
    private = NewsPageFactory(parent=news_index, title="Jen pro tým")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert _titles(client.get(news_index.url).content.decode()) == ["Veřejná"]
    feed = feedparser.parse(client.get(news_index.url + "rss/").content)
    assert [entry.title for entry in feed.entries] == ["Veřejná"]


def test_a_news_page_shows_its_date_summary_image_body_and_tags(client, news_index):
    image = Image.objects.create(title="Hřiště", file=get_test_image_file(size=(1280, 800)))
    news = NewsPageFactory(
        parent=news_index,
        title="Nové hřiště",
        summary="Sousedé rozhodli.",
        date=dt.date(2026, 11, 3),
        image=image,
        image_alt="Děti na novém hřišti",
        body=[("paragraph", "<p>Hřiště bude hotové na jaře.</p>")],
        tag_names=["děti", "komunitní setkání"],
    )
    html = client.get(news.url).content.decode()
    assert '<time datetime="2026-11-03">' in html
    assert "Sousedé rozhodli." in html and "Hřiště bude hotové na jaře." in html
    assert 'alt="Děti na novém hřišti"' in html
    assert re.search(r'<source[^>]+type="image/avif"', html) and re.search(r'<source[^>]+type="image/webp"', html)
    assert f'href="{news_index.url}?tag=d%C4%9Bti"' in html and "komunitní setkání" in html


def test_an_image_needs_its_alternative_text(news_index):
    image = Image.objects.create(title="Hřiště", file=get_test_image_file())
    news = NewsPageFactory.build(title="Bez popisu", slug="bez-popisu", summary="x", image=image, image_alt=" ")
    with pytest.raises(ValidationError) as error:
        news.full_clean()
    assert "image_alt" in error.value.message_dict


@pytest.fixture
def funded_project(home_cs):
    index = ProjectIndexPageFactory(parent=home_cs)
    return ProjectPageFactory(
        parent=index, title="Komunitní centrum Vltavotýnska", programmes=[FundingProgrammeFactory()]
    )


def test_a_news_item_of_a_funded_project_shows_the_projects_disclosure(client, news_index, funded_project):
    linked = NewsPageFactory(parent=news_index, title="Z projektu", project=funded_project)
    plain = NewsPageFactory(parent=news_index, title="Bez projektu")
    html = client.get(linked.url).content.decode()
    assert 'class="funding-disclosure"' in html
    assert "Spolufinancováno Evropskou unií" in html
    assert "CZ.03.02.01/00/22_008/0000016" in html
    assert f'href="{funded_project.url}"' in html
    assert 'class="funding-disclosure"' not in client.get(plain.url).content.decode()


def test_a_news_item_of_an_event_shows_the_events_project_disclosure_and_links_the_event(
    client, news_index, funded_project, home_cs
):
    events = EventIndexPageFactory(parent=home_cs)
    event = EventPageFactory(parent=events, title="Komunitní setkání", project=funded_project)
    news = NewsPageFactory(parent=news_index, title="Pozvánka", event=event)
    html = client.get(news.url).content.decode()
    assert "Spolufinancováno Evropskou unií" in html
    assert f'href="{event.url}"' in html


def test_the_disclosure_goes_when_the_project_is_unpublished(client, news_index, funded_project):
    news = NewsPageFactory(parent=news_index, title="Z projektu", project=funded_project)
    funded_project.unpublish()
    html = client.get(news.url).content.decode()
    assert 'class="funding-disclosure"' not in html
    assert f'href="{funded_project.url}"' not in html


def test_a_private_project_or_event_is_neither_named_nor_linked_from_a_news_item(
    client, news_index, funded_project, home_cs
):
    from wagtail.models import PageViewRestriction

    events = EventIndexPageFactory(parent=home_cs)
    event = EventPageFactory(parent=events, title="Schůzka týmu", project=funded_project)
    news = NewsPageFactory(parent=news_index, title="Zpráva", project=funded_project, event=event)
    html = client.get(news.url).content.decode()
    assert f'href="{funded_project.url}"' in html and f'href="{event.url}"' in html
    PageViewRestriction.objects.create(page=events, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=funded_project, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(news.url).content.decode()
    assert f'href="{funded_project.url}"' not in html and f'href="{event.url}"' not in html
    assert "Schůzka týmu" not in html


def test_the_home_page_shows_the_three_latest_news_items(client, home_cs, news_index):
    for n in range(5):
        NewsPageFactory(parent=news_index, title=f"Zpráva {n}", date=TODAY - dt.timedelta(days=n))
    html = client.get(home_cs.url).content.decode()
    section = html.split('id="home-news"')[1].split("</section>")[0]
    assert _titles(section) == ["Zpráva 0", "Zpráva 1", "Zpráva 2"]
    assert f'href="{news_index.url}"' in section


FEED_LINK = re.compile(
    r'<link rel="alternate" type="application/(rss|atom)\+xml" hreflang="[a-z]+" title="[^"]+" href="([^"]+)">'
)


def test_every_news_page_and_the_home_page_announce_the_feeds_of_their_language(client, home_en, news_index):
    news = NewsPageFactory(parent=news_index, title="Zpráva")
    en_index = news_index.get_translation(home_en.locale)
    for url, index in ((news_index.url, news_index), (news.url, news_index), ("/cs/", news_index), ("/en/", en_index)):
        head = client.get(url).content.decode().split("</head>")[0]
        found = dict(FEED_LINK.findall(head))
        assert found == {"rss": index.url + "rss/", "atom": index.url + "atom/"}, url


@pytest.mark.parametrize(("route", "version"), [("rss/", "rss20"), ("atom/", "atom10")])
def test_the_feeds_are_valid_rss_and_atom_per_language(client, home_en, news_index, route, version):
    news = NewsPageFactory(
        parent=news_index,
        title="Nové hřiště",
        summary="Sousedé rozhodli.",
        date=dt.date(2026, 11, 3),
        tag_names=["děti"],
    )
    NewsPageFactory(parent=news_index, title="Starší zpráva", date=dt.date(2026, 10, 1))
    upsert_translation(
        news, language_code="en", slug="new-playground", title="New playground", summary="Neighbours decided."
    )

    response = client.get(news_index.url + route)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/" + ("rss" if version == "rss20" else "atom"))
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "Aktuality | Komunitní centrum Soused"
    assert feed.feed.link == "http://testserver" + news_index.url
    assert [entry.title for entry in feed.entries] == ["Nové hřiště", "Starší zpráva"]
    first = feed.entries[0]
    assert first.link == "http://testserver" + news.url
    assert first.summary == "Sousedé rozhodli."
    assert first.published_parsed[:3] == (2026, 11, 3)
    assert [tag.term for tag in first.tags] == ["děti"]

    english = feedparser.parse(client.get("/en/news/" + route).content)
    assert english.bozo == 0
    assert [entry.title for entry in english.entries] == ["New playground"]
    assert english.feed.title == "News | Soused Community Centre"
    assert english.entries[0].link == "http://testserver/en/news/new-playground/"
    if version == "rss20":
        assert feed.feed.language == "cs" and english.feed.language == "en"


def test_a_new_news_item_appears_at_once_with_the_page_cache_on(
    client, settings, news_index, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    NewsPageFactory(parent=news_index, title="První")
    assert _titles(client.get(news_index.url).content.decode()) == ["První"]
    assert client.get(news_index.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, title="Druhá", date=TODAY + dt.timedelta(days=1))
    assert _titles(client.get(news_index.url).content.decode()) == ["Druhá", "První"]
    feed = feedparser.parse(client.get(news_index.url + "rss/").content)
    assert [entry.title for entry in feed.entries] == ["Druhá", "První"]


@pytest.mark.parametrize("page_cache", [False, True])
def test_the_kept_list_and_its_count_follow_every_change(
    client, settings, news_index, page_cache, django_capture_on_commit_callbacks
):
    """The index keeps its list and how many items a filter selects; a new item, an unpublished
    one and a restriction made by a queryset update (no signal) each show at once."""
    from django.core.cache import caches
    from wagtail.models import PageViewRestriction

    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "news-kept"},
    }
    settings.PAGE_CACHE_ENABLED = page_cache
    caches["fragments"].clear()
    with django_capture_on_commit_callbacks(execute=True):
        items = [
            NewsPageFactory(parent=news_index, title=f"Zpráva {n}", date=TODAY - dt.timedelta(days=n))
            for n in range(10)
        ]
    html = client.get(news_index.url).content.decode()
    assert len(_titles(html)) == 10 and "Stránka 1 z 2" not in html
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, title="Nejnovější", date=TODAY + dt.timedelta(days=1))
    html = client.get(news_index.url).content.decode()
    assert _titles(html)[0] == "Nejnovější" and "Stránka 1 z 2" in html
    with django_capture_on_commit_callbacks(execute=True):
        items[0].unpublish()
    html = client.get(news_index.url).content.decode()
    assert "Zpráva 0" not in _titles(html) and "Stránka 1 z 2" not in html
    restriction = PageViewRestriction.objects.create(page=items[1], restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.filter(pk=restriction.pk).update(page=items[2])
    titles = _titles(client.get(news_index.url).content.decode())
    assert "Zpráva 2" not in titles and "Zpráva 1" in titles


def test_the_kept_list_is_kept_per_language_and_its_pages_links_carry_only_the_filter(
    client, settings, news_index, django_capture_on_commit_callbacks
):
    """The Czech index served at an English address (the English index has another slug) keeps its
    own list; the links to the next page never carry what someone else added to the address."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "news-lang"},
    }
    caches["fragments"].clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(11):
            NewsPageFactory(parent=news_index, title=f"Zpráva {n}", date=dt.date(2025, 3, 1) + dt.timedelta(days=n))
    english = client.get("/en/aktuality/?utm_source=newsletter").content.decode()
    assert "Page 1 of 2" in english and "March" in english
    czech = client.get("/cs/aktuality/").content.decode()
    assert "Stránka 1 z 2" in czech and "března" in czech and "March" not in czech
    assert 'href="?page=2"' in czech and "utm_source" not in czech
