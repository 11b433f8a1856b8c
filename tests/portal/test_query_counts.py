"""Queries per warm request for every public page type, at a small and a large data size.

A warm request is the second one for the same URL, served the way production
serves it with the full-page cache off: kept fragments and values on
(portal/cache.py). Each page type must stay within the budget and use the
SAME number of queries however many events and projects there are, which
exposes any query made per listed item.
"""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from demo.helpers import upsert_translation
from events.models import EventDate
from home.models import StandardPage
from portal import cache as portal_cache
from tests.events.factories import (
    AudienceFactory,
    EventCategoryFactory,
    EventIndexPageFactory,
    EventPageFactory,
    VenueFactory,
)
from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory
from tests.website.factories import NewsIndexPageFactory, NewsPageFactory

MAX_QUERIES = 12
SMALL = {"events": 5, "projects": 3, "news": 3}
LARGE = {"events": 60, "projects": 20, "news": 25}


@pytest.fixture
def production_caches(settings):
    """Kept fragments and values on, as with a shared Redis in production."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
    }


class Portal:
    """A portal with events (dates this month and next, some open for registration)
    and funded projects, grown on demand."""

    def __init__(self, home_cs, home_en):
        self.home_cs = home_cs
        self.events_index = EventIndexPageFactory(parent=home_cs)
        upsert_translation(self.events_index, language_code="en", slug="events", title="Events")
        self.projects_index = ProjectIndexPageFactory(parent=home_cs)
        upsert_translation(self.projects_index, language_code="en", slug="projects", title="Projects")
        self.programme = FundingProgrammeFactory()
        self.categories = [EventCategoryFactory(name=f"Kategorie {n}", slug=f"kategorie-{n}") for n in range(3)]
        self.audiences = [AudienceFactory(name=f"Skupina {n}", slug=f"skupina-{n}") for n in range(3)]
        self.venue = VenueFactory()
        self.news_index = NewsIndexPageFactory(parent=home_cs)
        self.events, self.projects, self.news = [], [], []

    def grow(self, *, events: int, projects: int, news: int) -> None:
        while len(self.projects) < projects:
            self.projects.append(ProjectPageFactory(parent=self.projects_index, programmes=[self.programme]))
        today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        while len(self.events) < events:
            n = len(self.events)
            page = EventPageFactory(
                parent=self.events_index,
                category=self.categories[n % 3],
                venue=self.venue,
                project=self.projects[n % len(self.projects)],
                registration_enabled=n % 2 == 0,
                registration_capacity=10,
            )
            page.audiences.set([self.audiences[n % 3], self.audiences[(n + 1) % 3]])
            page.save_revision().publish()
            for week in range(3):
                start = today + dt.timedelta(days=n % 5 + 7 * week, hours=n % 4)
                EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=2))
            self.events.append(page)
        while len(self.news) < news:
            n = len(self.news)
            item = NewsPageFactory(
                parent=self.news_index,
                project=self.projects[n % len(self.projects)],
                tag_names=[f"štítek {n % 4}", "aktuality"],
                date=today.date() - dt.timedelta(days=n * 40),
            )
            self.news.append(item)
        # Outside a committed transaction the signals' new version waits for
        # a commit that never comes in a test: start a new version by hand.
        portal_cache.site_version_replace()

    def urls(self) -> dict[str, str]:
        event = self.events[0]
        project = self.projects[0]
        with translation.override("cs"):
            search = reverse("search") + "?q=Akce"
        standard = StandardPage.objects.child_of(self.home_cs).live().first()
        return {
            "home": self.home_cs.url,
            "standard": standard.url,
            "event_index": self.events_index.url,
            "month": self.events_index.url + "month/",
            "event": event.url,
            "project_index": self.projects_index.url,
            "project": project.url,
            "search": search,
            "news_index": self.news_index.url,
            "news_filtered": self.news_index.url + "?tag=aktuality&page=2",
            "news": self.news[0].url,
            "news_rss": self.news_index.url + "rss/",
            "news_atom": self.news_index.url + "atom/",
        }


@pytest.fixture
def portal(site_homes, production_caches):
    return Portal(site_homes["cs"], site_homes["en"])


def warm_queries(client, url: str) -> tuple[int, list[str]]:
    first = client.get(url)
    assert first.status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), [q["sql"] for q in captured.captured_queries]


def test_every_public_page_type_stays_within_the_budget_at_both_sizes(client, portal):
    portal.grow(**SMALL)
    urls = portal.urls()
    small = {name: warm_queries(client, url) for name, url in urls.items()}
    portal.grow(**LARGE)
    large = {name: warm_queries(client, url) for name, url in urls.items()}

    for name in urls:
        count, queries = large[name]
        assert count <= MAX_QUERIES, f"{name}: {count} queries\n" + "\n".join(queries)
        assert small[name][0] == count, (
            f"{name}: {small[name][0]} queries with {SMALL}, {count} with {LARGE}\n" + "\n".join(queries)
        )


def test_the_month_view_shows_a_few_dates_a_day_and_links_to_the_rest(client, portal):
    portal.grow(events=20, projects=1, news=0)  # four events start on each of five days
    busy_day = timezone.localdate() + dt.timedelta(days=2)
    response = client.get(portal.events_index.url + "month/", {"month": busy_day.strftime("%Y-%m")})
    html = response.content.decode()
    days = dict(response.context["day_groups"])
    assert days and all(len(dates) <= 3 for dates in days.values())
    dates = days[busy_day]
    assert (len(dates), dates.more_count) == (3, 1)
    assert "+ 1 další akce v tento den" in html
    assert f"from={busy_day.isoformat()}&amp;to={busy_day.isoformat()}" in html
    shown = client.get(dates.more_url)
    assert [d.start.date() for d in shown.context["page_obj"].object_list] == [busy_day] * 4


def test_kept_fragments_follow_a_publish(client, portal):
    portal.grow(events=1, projects=1, news=0)
    url = portal.events_index.url
    client.get(url)
    portal.events_index.title = "Kalendář akcí"
    portal.events_index.show_in_menus = True
    portal.events_index.save_revision().publish()
    portal_cache.site_version_replace()  # what the publish signal does after the commit
    assert "Kalendář akcí" in client.get(url).content.decode()
    menu = client.get(portal.home_cs.url).content.decode()
    assert "Kalendář akcí" in menu


def test_an_unpublished_event_is_gone_at_once(client, portal):
    portal.grow(events=2, projects=1, news=0)
    event = portal.events[1]
    assert client.get(event.url).status_code == 200
    assert client.get(event.url).status_code == 200
    event.unpublish()
    portal_cache.site_version_replace()  # what the unpublish signal does after the commit
    assert client.get(event.url).status_code == 404
    assert client.get(portal.events_index.url + "month/").status_code == 200


def test_a_preview_is_neither_stored_in_nor_served_from_the_fragment_cache(rf, production_caches):
    from django.template import Context, Template

    template = Template(
        '{% load wagtail_cache %}{% wagtailcache 300 part 1 using="fragments" %}{{ value }}{% endwagtailcache %}'
    )

    def render(value, *, preview=False):
        request = rf.get("/cs/")
        request.is_preview = preview
        return template.render(Context({"request": request, "value": value}))

    assert render("published") == "published"
    assert render("draft", preview=True) == "draft"
    assert render("changed") == "published"


def test_a_draft_preview_shows_the_draft_and_leaves_the_kept_page_alone(client, portal):
    portal.grow(events=1, projects=1, news=0)
    event = portal.events[0]
    assert "Vstupné dobrovolné" not in client.get(event.url).content.decode()
    event.price_note = "Vstupné dobrovolné"
    event.save_revision()  # a draft, not published

    preview = event.make_preview_request()
    assert "Vstupné dobrovolné" in preview.content.decode()
    assert "Vstupné dobrovolné" not in client.get(event.url).content.decode()


def test_every_page_type_of_the_demo_site_stays_within_the_budget_in_every_language(client, db, production_caches):
    """The whole demo site: one page of each page type, the month view, and the Ukrainian home
    page, a Ukrainian event and a Czech page not translated yet at its Ukrainian address."""
    from django.core.management import call_command
    from wagtail.models import Page, get_page_models

    from portal.locales import url_in_language

    call_command("load_demo_content", stdout=io.StringIO())
    portal_cache.site_version_replace()
    live = Page.objects.live()
    urls = {}
    for model in get_page_models():
        if model._meta.abstract or model is Page:
            continue
        page = live.filter(locale__language_code="cs").exact_type(model).order_by("path").first()
        if page is not None:
            urls[model._meta.label] = page.url
    urls["month"] = urls["events.EventIndexPage"] + "month/"
    urls["uk home"] = live.get(locale__language_code="uk", depth=2).url
    urls["uk event"] = live.filter(locale__language_code="uk").type(EventPageFactory._meta.model).first().url
    about = live.get(locale__language_code="cs", slug="o-nas")
    urls["cs page at its uk address"] = url_in_language(about, "uk")
    assert urls["cs page at its uk address"].startswith("/uk/")
    expected = {
        "home.HomePage",
        "home.StandardPage",
        "events.EventIndexPage",
        "events.EventPage",
        "projects.ProjectIndexPage",
        "projects.ProjectPage",
        "website.NewsIndexPage",
        "website.NewsPage",
        "website.ContactPage",
        "website.TeamPage",
        "website.DocumentLibraryPage",
        "website.DonationPage",
    }
    assert expected <= set(urls)
    for name, url in urls.items():
        count, queries = warm_queries(client, url)
        assert count <= MAX_QUERIES, f"{name} {url}: {count} queries\n" + "\n".join(queries)
