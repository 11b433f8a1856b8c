"""The event page in both languages: dates, venue, map link, calendar link, related events."""

import datetime as dt

from django.utils import timezone

from events.models import EventDate

from .conftest import local, translate
from .factories import AudienceFactory, EventCategoryFactory, VenueFactory


def test_event_page_shows_upcoming_dates_next_first_with_cancellations(client, make_event):
    page = make_event(venue=VenueFactory(latitude=49.2236, longitude=14.4203), dates=[5, 1, -3])
    later = EventDate.objects.filter(page=page).order_by("-start").first()
    later.cancelled, later.cancellation_reason = True, "Poradkyně je nemocná"
    later.save()
    response = client.get(page.url)
    html = response.content.decode()
    dates = response.context["upcoming_dates"]
    assert [d.start for d in dates] == sorted(d.start for d in dates) and len(dates) == 2
    assert dates[0].start > timezone.now()
    assert "Zrušeno" in html and "Poradkyně je nemocná" in html
    assert "https://www.openstreetmap.org/?mlat=49.223600&amp;mlon=14.420300" in html
    assert f'href="{page.url}calendar.ics"' in html
    assert 'aria-label="Drobečková navigace"' in html or "breadcrumbs" in html
    assert html.count("<h1") == 1


def test_event_page_in_english_uses_english_interface_text(client, make_event, index_en):
    page = make_event(dates=[2])
    translation = translate(page, slug="homework-club", title="Homework club")
    html = client.get(translation.url).content.decode()
    assert "Practical information" in html and "Add to calendar" in html
    html_cs = client.get(page.url).content.decode()
    assert "Praktické informace" in html_cs and "Přidat do kalendáře" in html_cs


def test_past_only_event_says_when_it_last_took_place(client, make_event):
    page = make_event(dates=[(local(2020, 5, 1, 10), local(2020, 5, 1, 12))])
    html = client.get(page.url).content.decode()
    assert "Žádné další termíny" in html and "1. května 2020" in html


def test_related_events_share_a_category_or_an_audience(client, make_event):
    clubs = EventCategoryFactory()
    kids = AudienceFactory()
    page = make_event(title="Hlavní", category=clubs, dates=[1])
    same_category = make_event(title="Stejná kategorie", category=clubs, dates=[2])
    same_audience = make_event(title="Stejná skupina", dates=[3])
    same_audience.audiences.set([kids])
    same_audience.save()
    page.audiences.set([kids])
    page.save()
    make_event(title="Nesouvisející", dates=[1])
    make_event(title="Proběhlá", category=clubs, dates=[-1])
    related = client.get(page.url).context["related_events"]
    assert [e.pk for e in related] == [same_category.pk, same_audience.pk]


def test_event_of_a_project_includes_the_funding_disclosure(client, make_event, home_cs, home_en):
    from tests.projects.conftest import translate_project
    from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory

    programme = FundingProgrammeFactory()
    index = ProjectIndexPageFactory(parent=home_cs)
    translate(index, slug="projects", title="Projects")
    project = ProjectPageFactory(parent=index, programmes=[programme])
    translate_project(project)
    page = make_event(dates=[3], project=project)
    html = client.get(page.url).content.decode()
    assert project.registration_number in html
    assert "Spolufinancováno Evropskou unií" in html or "Financováno Evropskou unií" in html
    assert 'class="eu-emblem"' in html and 'alt="Evropská unie"' in html

    unrelated = make_event(title="Bez projektu", dates=[3])
    assert project.registration_number not in client.get(unrelated.url).content.decode()


def test_multi_day_date_shows_both_days(client, make_event):
    start = timezone.localtime() + dt.timedelta(days=10)
    page = make_event(dates=[(start, start + dt.timedelta(days=4))])
    assert client.get(page.url).context["upcoming_dates"][0].is_multi_day
