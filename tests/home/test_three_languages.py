"""The site in all three languages (cs, en, uk) on the demo content: the language switcher and hreflang,
the sitemap, the news feeds, search, <html lang>, og:locale and the note on a page not translated yet.

The demo translates into Ukrainian the home page, the contact page, the events index and six
activities; the rest (e.g. "O nás", the news) is shown at the Ukrainian address in Czech.
The demo is loaded once for the module, in a transaction that is rolled back at its end.
"""

import xml.etree.ElementTree as ET
from unittest import mock

import feedparser
import html5lib
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from portal.search_text import query_terms
from portal.templatetags import portal_tags

BASE = "http://testserver"
LANGUAGES = ("cs", "en", "uk")
OG_LOCALE = {"cs": "cs_CZ", "en": "en_GB", "uk": "uk_UA"}
NOTE = {
    "en": "This page is not translated into your language yet",
    "uk": "Цю сторінку ще не перекладено вашою мовою",
}
#: The same page in each language: the events index and one activity.
EVENTS_INDEX = {"cs": "/cs/akce/", "en": "/en/events/", "uk": "/uk/zakhody/"}
PARENTS_CAFE = {
    "cs": "/cs/akce/kavarna-pro-rodice/",
    "en": "/en/events/parents-cafe/",
    "uk": "/uk/zakhody/kaviarnia-dlia-batkiv/",
}
#: A page in Czech and English only: at the Ukrainian address it is the Czech page.
ABOUT = {"cs": "/cs/o-nas/", "en": "/en/about-us/", "uk": "/uk/o-nas/"}
UK_EVENTS = {
    "/uk/zakhody/sotsialna-konsultatsiia/",
    "/uk/zakhody/kaviarnia-dlia-batkiv/",
    "/uk/zakhody/cheska-dlia-inozemtsiv/",
    "/uk/zakhody/klub-dopomohy-z-navchanniam/",
    "/uk/zakhody/yurydychna-konsultatsiia/",
    "/uk/zakhody/susidske-prybyrannia/",
}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(demo, db):
    """The demo site; each test's own changes are rolled back after it."""


# Reading pages --------------------------------------------------------------------------------


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def get_page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, parse(response.content.decode())


def head_alternates(tree) -> dict[str, str]:
    """hreflang → href of the page's alternates in <head> (not the feeds or the calendar)."""
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.find("head").iter("link")
        if link.get("rel") == "alternate" and link.get("hreflang") and not link.get("type")
    }


def switcher(tree) -> dict[str, str]:
    nav = next(nav for nav in tree.iter("nav") if "lang-switch" in (nav.get("class") or ""))
    return {link.get("hreflang"): link.get("href") for link in nav.iter("a")}


def current_language_link(tree) -> str:
    nav = next(nav for nav in tree.iter("nav") if "lang-switch" in (nav.get("class") or ""))
    return next(link.get("hreflang") for link in nav.iter("a") if link.get("aria-current") == "true")


def meta(tree, prop: str) -> str:
    return next(m.get("content") for m in tree.find("head").iter("meta") if m.get("property") == prop)


def canonical(tree) -> str:
    return next(link.get("href") for link in tree.find("head").iter("link") if link.get("rel") == "canonical")


def note(tree) -> str:
    paragraphs = [p for p in tree.iter("p") if p.get("class") == "language-note"]
    return "".join(paragraphs[0].itertext()) if paragraphs else ""


def feed_links(tree) -> list[dict]:
    return [
        dict(link.attrib)
        for link in tree.find("head").iter("link")
        if link.get("type") in ("application/rss+xml", "application/atom+xml")
    ]


def text(tree) -> str:
    return " ".join("".join(tree.find("body").itertext()).split())


# 1 and 5: the switcher, hreflang, <html lang>, og:locale, the note --------------------------------


@pytest.mark.parametrize("urls", [EVENTS_INDEX, PARENTS_CAFE], ids=["events-index", "event"])
def test_a_page_in_all_three_languages_links_the_other_two_and_claims_all_three(client, site, urls):
    expected_alternates = {code: BASE + url for code, url in urls.items()} | {"x-default": BASE + urls["cs"]}
    for code, url in urls.items():
        _response, tree = get_page(client, url)
        assert tree.get("lang") == code, url
        assert meta(tree, "og:locale") == OG_LOCALE[code], url
        assert switcher(tree) == urls, url
        assert current_language_link(tree) == code, url
        assert head_alternates(tree) == expected_alternates, url
        assert canonical(tree) == BASE + url
        assert note(tree) == "", url


def test_a_page_only_in_czech_and_english_is_offered_in_czech_at_the_ukrainian_address(client, site):
    for code in ("cs", "en"):
        _response, tree = get_page(client, ABOUT[code])
        assert switcher(tree) == ABOUT, code
        # No Ukrainian version is claimed: the Ukrainian address shows the Czech page.
        assert head_alternates(tree) == {
            "cs": BASE + ABOUT["cs"],
            "en": BASE + ABOUT["en"],
            "x-default": BASE + ABOUT["cs"],
        }, code

    _response, tree = get_page(client, ABOUT["uk"])
    assert tree.get("lang") == "uk"
    assert meta(tree, "og:locale") == "uk_UA"
    assert NOTE["uk"] in note(tree) and "(Čeština)" in note(tree)
    assert canonical(tree) == BASE + ABOUT["cs"]  # the Czech page is the original
    assert "uk" not in head_alternates(tree)
    assert switcher(tree) == ABOUT and current_language_link(tree) == "uk"
    main = tree.find(".//main")
    czech = [div for div in main.iter("div") if div.get("lang") == "cs"]
    assert czech and "O nás" in "".join(czech[0].itertext())
    assert "Мова" in [nav.get("aria-label") for nav in tree.iter("nav")]  # the page's frame is Ukrainian


def test_the_home_pages_link_each_other_in_all_three_languages(client, site):
    homes = {code: f"/{code}/" for code in LANGUAGES}
    for code, url in homes.items():
        _response, tree = get_page(client, url)
        assert tree.get("lang") == code and meta(tree, "og:locale") == OG_LOCALE[code]
        assert switcher(tree) == homes
        assert head_alternates(tree) == {c: BASE + u for c, u in homes.items()} | {"x-default": BASE + "/cs/"}


def test_the_filters_of_the_events_listing_carry_over_in_each_language(client, site):
    _response, tree = get_page(client, "/cs/akce/?category=kluby")
    links = switcher(tree)
    assert links["en"] == "/en/events/?category=clubs"
    assert links["uk"] == "/uk/zakhody/?category=hurtky"

    _response, tree = get_page(client, links["uk"])
    selected = [o for o in tree.find(".//select[@name='category']").iter("option") if o.get("selected") is not None]
    assert [o.get("value") for o in selected] == ["hurtky"]
    assert switcher(tree)["cs"] == "/cs/akce/?category=kluby"
    assert switcher(tree)["en"] == "/en/events/?category=clubs"


def test_a_view_keeps_its_query_in_ukrainian(client, site):
    _response, tree = get_page(client, "/cs/search/?q=klub")
    assert switcher(tree)["uk"] == "/uk/search/?q=klub"


def test_the_switcher_is_the_same_when_a_page_s_links_are_kept(client, site, settings):
    """A page's links at an address without a query are kept for the cache version: the first
    request builds them, the next one reads them, and both give what is worked out afresh."""
    addresses = [
        *EVENTS_INDEX.values(),
        *PARENTS_CAFE.values(),
        *ABOUT.values(),
        "/cs/",
        "/uk/",
        "/cs/akce/month/",
        "/cs/akce/?category=kluby",
    ]
    afresh = {url: switcher(get_page(client, url)[1]) for url in addresses}
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "language-links"},
    }
    caches["fragments"].clear()
    built = []
    build = portal_tags._language_links
    try:
        with mock.patch.object(portal_tags, "_language_links", side_effect=lambda *a: built.append(a) or build(*a)):
            for round_ in ("built", "kept"):
                built.clear()
                for url in addresses:
                    assert switcher(get_page(client, url)[1]) == afresh[url], (round_, url)
                # Kept: only the address with a query (its filters translated per language) is worked out again.
                assert len(built) == (len(addresses) if round_ == "built" else 1), round_
    finally:
        caches["fragments"].clear()
    assert afresh["/cs/akce/month/"]["uk"] == "/uk/zakhody/month/"
    assert afresh["/cs/akce/?category=kluby"]["uk"] == "/uk/zakhody/?category=hurtky"


# 2: the sitemap ------------------------------------------------------------------------------


def read_sitemap(client) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of its alternates."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP)
        assert loc not in entries, f"{loc} is listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", SITEMAP)
            if link.get("rel") == "alternate"
        }
    return entries


def test_the_sitemap_lists_the_ukrainian_pages_and_only_real_pages(client, site):
    entries = read_sitemap(client)
    uk = {loc.removeprefix(BASE) for loc in entries if loc.startswith(BASE + "/uk/")}
    assert uk == {"/uk/", "/uk/zakhody/", "/uk/kontakty/"} | UK_EVENTS
    # Every address listed is a live page of its own (no fallback address of a Czech page).
    live = {BASE + page.url for page in Page.objects.live().public().filter(depth__gte=2)}
    assert set(entries) == live
    alternates = {href for links in entries.values() for href in links.values()}
    assert alternates <= set(entries)
    assert BASE + ABOUT["uk"] not in alternates and BASE + "/uk/aktuality/" not in alternates


@pytest.mark.parametrize("urls", [EVENTS_INDEX, PARENTS_CAFE, {c: f"/{c}/" for c in LANGUAGES}])
def test_the_sitemap_gives_each_translation_its_alternates_in_every_language(client, site, urls):
    entries = read_sitemap(client)
    expected = {code: BASE + url for code, url in urls.items()} | {"x-default": BASE + urls["cs"]}
    for url in urls.values():
        assert entries[BASE + url] == expected, url


def test_the_sitemap_alternates_are_the_languages_a_page_really_has(client, site):
    entries = read_sitemap(client)
    assert entries[BASE + ABOUT["cs"]] == {
        "cs": BASE + ABOUT["cs"],
        "en": BASE + ABOUT["en"],
        "x-default": BASE + ABOUT["cs"],
    }
    assert entries[BASE + "/uk/kontakty/"]["uk"] == BASE + "/uk/kontakty/"
    # The same alternates as the page's own head, for a page in three and one in two languages.
    for url in (PARENTS_CAFE["uk"], ABOUT["en"], "/uk/kontakty/"):
        _response, tree = get_page(client, url)
        assert entries[BASE + url] == head_alternates(tree), url


def test_a_page_in_one_language_only_has_no_alternates_in_the_sitemap(client, site):
    from home.models import StandardPage

    home = Page.objects.get(depth=2, locale__language_code="cs")
    only_czech = StandardPage(title="Jen česky", slug="jen-cesky", summary="Obsah jen v češtině.")
    home.add_child(instance=only_czech)
    only_czech.save_revision().publish()
    entries = read_sitemap(client)
    assert entries[BASE + "/cs/jen-cesky/"] == {}
    assert BASE + "/uk/jen-cesky/" not in entries and BASE + "/en/jen-cesky/" not in entries


# 3: the news feeds ---------------------------------------------------------------------------


def parse_feed(client, url: str, version: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    assert feed.version == version, url
    assert feed.feed.title and feed.feed.link and feed.entries, url
    for entry in feed.entries:
        assert entry.title and entry.link.startswith(BASE) and entry.get("published_parsed"), url
    return feed


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_announces_news_feeds_that_parse(client, site, language):
    """The home page and the news index of each language announce RSS and Atom; the
    Ukrainian site, which has no news of its own yet, announces the Czech feeds (marked Czech)."""
    content_language = "cs" if language == "uk" else language
    index = {"cs": "/cs/aktuality/", "en": "/en/news/", "uk": "/uk/aktuality/"}[language]
    for url in (f"/{language}/", index):
        _response, tree = get_page(client, url)
        assert tree.get("lang") == language, url
        if url == "/uk/aktuality/":
            assert NOTE["uk"] in note(tree)  # the Czech news index, at the Ukrainian address
        links = feed_links(tree)
        assert sorted(link["type"] for link in links) == ["application/atom+xml", "application/rss+xml"], url
        for link in links:
            assert link["hreflang"] == content_language, url
            version = "rss20" if link["type"] == "application/rss+xml" else "atom10"
            feed = parse_feed(client, link["href"], version)
            assert feed.feed.language == content_language, link["href"]
            first = client.get(feed.entries[0].link.removeprefix(BASE))
            assert first.status_code == 200, feed.entries[0].link


def test_the_ukrainian_site_announces_the_czech_news_feed(client, site):
    _response, tree = get_page(client, "/uk/")
    assert {link["href"] for link in feed_links(tree)} == {"/cs/aktuality/rss/", "/cs/aktuality/atom/"}
    assert [link["title"] for link in feed_links(tree)] == ["Новини (RSS)", "Новини (Atom)"]


@pytest.mark.parametrize(("route", "version"), [("rss/", "rss20"), ("atom/", "atom10")])
def test_the_feeds_at_the_ukrainian_address_of_the_czech_news_are_the_czech_feeds(client, site, route, version):
    """/uk/aktuality/ is the Czech news index shown at the Ukrainian address: its feeds answer
    there too, say they are Czech and name the Czech feed as their own address."""
    czech = parse_feed(client, "/cs/aktuality/" + route, version)
    fallback = parse_feed(client, "/uk/aktuality/" + route, version)
    assert fallback.feed.language == "cs"
    assert [entry.link for entry in fallback.entries] == [entry.link for entry in czech.entries]
    assert fallback.feed.title == czech.feed.title == "Aktuality | Komunitní centrum Soused"
    self_links = [link.href for link in fallback.feed.get("links", []) if link.rel == "self"]
    assert self_links == [BASE + "/cs/aktuality/" + route]


@pytest.mark.parametrize(("route", "version"), [("rss/", "rss20"), ("atom/", "atom10")])
def test_the_english_feed_is_english(client, site, route, version):
    feed = parse_feed(client, "/en/news/" + route, version)
    assert feed.feed.language == "en"
    assert feed.feed.title == "News | Soused Community Centre"
    assert all(entry.link.startswith(BASE + "/en/news/") for entry in feed.entries)


# 4: search -----------------------------------------------------------------------------------


def search(client, query: str, language: str = "uk"):
    """The results as (title, href, lang of the result or "") and the page's tree."""
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    tree = parse(response.content.decode())
    results = []
    listing = tree.find(".//ol[@class='search-results']")
    for item in listing.iter("li") if listing is not None else []:
        link = item.find("h2/a")
        results.append(("".join(link.itertext()), link.get("href"), item.get("lang") or ""))
    return results, tree


@pytest.mark.parametrize("query", ["кав’ярня", "кав'ярня", "кавʼярня", "кавярня", "КАВ'ЯРНЯ", "Кав’ярні", "кавʼЯРНЯ"])
def test_ukrainian_search_finds_the_ukrainian_page_whatever_the_apostrophe_and_case(client, site, query):
    results, tree = search(client, query)
    assert ("Кав’ярня для батьків", PARENTS_CAFE["uk"], "") in results
    assert tree.get("lang") == "uk"


def test_ukrainian_search_finds_ukrainian_words_in_other_forms(client, site):
    titles = [title for title, _href, _lang in search(client, "консультації")[0]]
    assert "Соціальна консультація" in titles and "Юридична консультація" in titles
    titles = [title for title, _href, _lang in search(client, "юридична")[0]]
    assert titles == ["Юридична консультація"]


def test_the_ukrainian_search_page_speaks_ukrainian(client, site):
    _results, tree = search(client, "кав’ярня")
    body = text(tree)
    assert tree.find(".//h1").text == "Пошук"
    assert "Що ви шукаєте?" in body and "1 результат" in body
    assert meta(tree, "og:locale") == "uk_UA"
    _results, tree = search(client, "qqxxzz")
    assert "За запитом «qqxxzz» нічого не знайдено." in text(tree)


def test_the_apostrophe_variants_are_one_word():
    variants = ["кав’ярня", "кав'ярня", "кавʼярня", "кав‘ярня", "кав`ярня", "кавярня", "КАВ'ЯРНЯ"]
    assert {query_terms(variant, language="uk") for variant in variants} == {"кавярн"}


def test_ukrainian_search_also_covers_the_czech_pages_not_translated_yet(client, site):
    """The Ukrainian site shows the Czech pages not translated yet at Ukrainian addresses, so
    its search finds them there (marked Czech); a Czech word that names a translated page finds
    the Ukrainian page."""
    results, _tree = search(client, "poradna")
    assert ("Соціальна консультація", "/uk/zakhody/sotsialna-konsultatsiia/", "") in results
    assert ("Юридична консультація", "/uk/zakhody/yurydychna-konsultatsiia/", "") in results
    czech_news = ("Sociální poradna je otevřená každé úterý", "/uk/aktuality/poradna-kazde-utery/", "cs")
    assert czech_news in results
    assert results.index(czech_news) > 1  # the pages in the visitor's language come first
    assert len({href for _title, href, _lang in results}) == len(results)  # each page once
    assert not any(href.startswith(("/cs/", "/en/")) for _title, href, _lang in results)
    response = client.get(czech_news[1])
    assert response.status_code == 200 and NOTE["uk"] in response.content.decode()

    results, _tree = search(client, "kavarna")
    assert results[0] == ("Кав’ярня для батьків", PARENTS_CAFE["uk"], "")
    assert ("O nás", "/uk/o-nas/", "cs") in search(client, "otevreny prostor pro vsechny sousedy")[0]


def test_czech_and_english_search_stay_in_their_language(client, site):
    assert search(client, "кав’ярня", "cs")[0] == []
    results, _tree = search(client, "kavárna", "cs")
    assert ("Kavárna pro rodiče", PARENTS_CAFE["cs"], "") in results
    assert all(href.startswith("/cs/") for _title, href, _lang in results)
    results, _tree = search(client, "cafe", "en")
    assert PARENTS_CAFE["en"] in [href for _title, href, _lang in results]
    assert all(href.startswith("/en/") for _title, href, _lang in results)


def test_ukrainian_search_never_finds_what_a_visitor_may_not_see(client, site):
    uk_cafe = Page.objects.get(url_path__endswith="/kaviarnia-dlia-batkiv/", locale__language_code="uk").specific
    uk_cafe.unpublish()
    titles = [title for title, _href, _lang in search(client, "кав’ярня")[0]]
    assert titles == []
    # Unpublished in Ukrainian, the page is shown in Czech at its Ukrainian address: found by a Czech word there.
    assert ("Kavárna pro rodiče", "/uk/akce/kavarna-pro-rodice/", "cs") in search(client, "kavarna")[0]
    uk_cafe.save_revision().publish()

    # A private page (here the Czech original of the Ukrainian one) is private in every language.
    cs_counselling = Page.objects.get(url_path__endswith="/socialni-poradna/", locale__language_code="cs")
    PageViewRestriction.objects.create(page=cs_counselling, restriction_type=PageViewRestriction.LOGIN)
    hrefs = [href for _title, href, _lang in search(client, "консультація")[0]]
    assert "/uk/zakhody/sotsialna-konsultatsiia/" not in hrefs
    assert "/uk/zakhody/yurydychna-konsultatsiia/" in hrefs
    hrefs = [href for _title, href, _lang in search(client, "poradna")[0]]
    assert not any("sotsialna" in href or "socialni-poradna" in href for href in hrefs)
    # And a Czech page not translated yet, made private, is not found from the Ukrainian site either.
    news = Page.objects.get(url_path__endswith="/poradna-kazde-utery/", locale__language_code="cs")
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.PASSWORD, password="x")
    hrefs = [href for _title, href, _lang in search(client, "poradna")[0]]
    assert "/uk/aktuality/poradna-kazde-utery/" not in hrefs


def test_robots_txt_keeps_crawlers_out_of_the_registrations_in_every_language(client, site):
    body = client.get("/robots.txt").content.decode()
    for code in LANGUAGES:
        assert f"Disallow: /{code}/registrations/" in body
