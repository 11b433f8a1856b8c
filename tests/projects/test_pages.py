"""Project pages, the index with its filters and query counts, the home page cards and the header disclosure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from projects.models import ProjectIndexPage, ProjectPage, ProjectStatus
from projects.selectors import current_projects_for_home
from projects.templatetags.projects_tags import money

pytestmark = pytest.mark.django_db


def test_page_tree_rules():
    assert ProjectPage.allowed_parent_page_models() == [ProjectIndexPage]
    assert ProjectIndexPage.allowed_subpage_models() == [ProjectPage]


@pytest.mark.parametrize(
    ("start", "end", "override", "expected"),
    [
        (dt.date(2023, 1, 1), dt.date(2025, 12, 31), "", ProjectStatus.COMPLETED),
        (dt.date(2026, 1, 1), dt.date(2027, 12, 31), "", ProjectStatus.RUNNING),
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), "", ProjectStatus.PLANNED),
        (dt.date(2023, 1, 1), dt.date(2025, 12, 31), ProjectStatus.RUNNING, ProjectStatus.RUNNING),
    ],
)
def test_status_is_derived_from_dates_unless_set(start, end, override, expected):
    page = ProjectPage(title="x", start_date=start, end_date=end, status_override=override)
    assert page.status_on(dt.date(2026, 11, 21)) == expected


def test_project_page_shows_facts_and_disclosure_first(client, make_project, opzplus):
    project = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska")
    html = client.get(project.url).content.decode()
    assert html.count("<h1") == 1
    disclosure, h1 = html.index('class="funding-disclosure"'), html.index("<h1")
    assert disclosure < h1, "the disclosure sits at the top of the page"
    assert 'alt="Evropská unie"' in html and "Spolufinancováno Evropskou unií" in html
    assert "CZ.03.02.01/00/22_008/0000016" in html and "MAS VLTAVA, z.s." in html
    assert "15 lídrů komunity" in html and "Cíle projektu" in html
    assert "1\u00a0000\u00a0000\u00a0Kč" in html


def test_english_page_shows_english_programme_and_statement(client, make_project, opzplus):
    project = make_project(programmes=[opzplus])
    english = project.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(english.url).content.decode()
    assert '<html lang="en">' in html
    assert "Co-funded by the European Union" in html and 'alt="European Union"' in html
    assert "Employment Plus Operational Programme" in html
    assert "Spolufinancováno" not in html


def test_index_lists_running_before_completed_and_filters(client, make_project, opzplus, opz, project_index):
    completed = make_project(
        programmes=[opz],
        title="Naše cesta",
        registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    running = make_project(
        programmes=[opzplus], title="Běžící projekt", start_date=dt.date(2024, 1, 1), end_date=dt.date(2099, 12, 31)
    )
    html = client.get(project_index.url).content.decode()
    assert html.index(running.title) < html.index(completed.title)
    assert "Probíhající projekty" in html and "Ukončené projekty" in html

    html = client.get(project_index.url, {"status": "completed"}).content.decode()
    assert completed.title in html and running.title not in html

    html = client.get(project_index.url, {"programme": str(opzplus.pk)}).content.decode()
    assert running.title in html and completed.title not in html


def test_index_bad_filters_give_a_message_not_an_error(client, make_project, opzplus, project_index):
    make_project(programmes=[opzplus], title="Jediný projekt")
    response = client.get(project_index.url, {"status": "<script>", "programme": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Takový stav neznáme" in html and "Takový program neznáme" in html
    assert "Jediný projekt" in html


def test_index_query_count_does_not_grow_with_projects(client, make_project, opzplus, opz, project_index):
    make_project(programmes=[opzplus], translate=False)
    client.get(project_index.url)
    with CaptureQueriesContext(connection) as few:
        client.get(project_index.url)
    for _ in range(6):
        make_project(programmes=[opz], translate=False, registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098")
    client.get(project_index.url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(project_index.url)
    assert response.content.decode().count('class="card"') == 7
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_home_cards_show_current_projects(client, home_cs, make_project, opzplus):
    make_project(programmes=[opzplus], title="Projekt na úvodní straně")
    projects = current_projects_for_home(locale=home_cs.locale, limit=3)
    assert [p.title for p in projects] == ["Projekt na úvodní straně"]
    assert projects[0].display_programmes[0].short_name == "OPZ+"
    html = client.get(home_cs.url).content.decode()
    assert "Projekt na úvodní straně" in html


def test_header_disclosure_only_while_an_eu_2014_2020_project_runs(client, home_cs, make_project, opz, opzplus):
    make_project(programmes=[opzplus], start_date=dt.date(2024, 1, 1), end_date=dt.date(2099, 1, 1))
    html = client.get(home_cs.url).content.decode()
    assert "header-disclosure" not in html
    running = make_project(
        programmes=[opz],
        title="Běžící OPZ",
        registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2099, 1, 1),
    )
    html = client.get(home_cs.url).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "header-disclosure" in header and 'alt="Evropská unie"' in header
    assert "Evropský sociální fond" in header and running.title in header


def test_funders_bar_shows_each_funder_once(client, home_cs, make_project, opzplus, acf):
    make_project(programmes=[opzplus])
    make_project(programmes=[opzplus])
    html = client.get(home_cs.url).content.decode()
    footer = html[html.index("<footer") :]
    assert footer.count('class="eu-emblem"') == 1


def test_upcoming_events_of_the_project_are_listed(client, make_project, opzplus):
    from django.utils import timezone

    from events.models import EventDate
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    project = make_project(programmes=[opzplus])
    home = project.get_parent().get_parent()
    events = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=events, title="Setkání lídrů", project=project)
    EventDate.objects.create(
        page=event, start=timezone.now() + dt.timedelta(days=3), end=timezone.now() + dt.timedelta(days=3, hours=2)
    )
    html = client.get(project.url).content.decode()
    assert "Setkání lídrů" in html


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("cs", Decimal("3783392.50"), "CZK", "3\u00a0783\u00a0392,50\u00a0Kč"),
        ("en", Decimal("126095"), "EUR", "€126,095"),
        ("en", Decimal("1000.5"), "CZK", "CZK\u00a01,000.50"),
    ],
)
def test_money_is_formatted_per_language(language, amount, currency, expected):
    with translation.override(language):
        assert money(amount, currency) == expected
