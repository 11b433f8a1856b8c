"""Project results counted from attendance: the figures match a hand count, and the page shows target and
achieved in both languages, from stored figures (the query count does not grow with the people counted)."""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource
from wagtail_localize.segments.extract import extract_segments

from events.registrations.models import Attendance, Participant
from home import tasks as schedule
from projects.models import ProjectMeasure, ProjectPage, ResultFigureBlock
from projects.services import project_measures_count
from tests.projects.measures_fixtures import (
    AT_LEAST_2,
    AT_LEAST_3,
    HOURS,
    PEOPLE,
    SESSIONS,
    figure,
)

pytestmark = pytest.mark.django_db


def page_text(client, url) -> str:
    """The page's text as a reader gets it (tags removed, spaces collapsed)."""
    html = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def stored(project):
    return {row.key: row.value for row in ProjectMeasure.objects.filter(project=project)}


def test_the_counted_figures_match_the_hand_count(counted_project):
    project, _data = counted_project
    assert project_measures_count() == 5
    assert stored(project) == {
        "sessions:0": SESSIONS,
        "participants:0": PEOPLE,
        "regular_participants:2": AT_LEAST_2,
        "regular_participants:3": AT_LEAST_3,
        "participant_hours:0": Decimal(HOURS),
    }


def test_the_nightly_job_counts_them_and_drops_figures_no_longer_bound(counted_project):
    project, _data = counted_project
    outcome = schedule.run_daily_jobs()
    assert outcome["count_project_results"] == "ok (5)"
    for page in ProjectPage.objects.filter(translation_key=project.translation_key):
        page.expected_results = [figure(10, "setkání", "sessions")]
        page.save_revision().publish()
    project_measures_count()
    assert stored(project) == {"sessions:0": SESSIONS}


def test_the_page_shows_target_and_achieved_in_czech_and_english(client, counted_project):
    project, _data = counted_project
    english = project.get_translation(Locale.objects.get(language_code="en"))
    text = page_text(client, project.url)
    assert "cíl 10" in text and "dosaženo" not in text
    assert "dosažený stav se počítá z docházky v noci" in text, "before the first count the page says when it comes"
    project_measures_count()
    text = page_text(client, project.url + "?counted")
    for target, achieved in (("10", "3"), ("20", "4"), ("15", "2"), ("3", "1"), ("100", "12,5")):
        assert f"cíl {target} · dosaženo {achieved} spočteno z docházky" in text, (target, achieved)
    assert text.count("cíl ") == 5, "the hand-typed figure shows no target"
    text = page_text(client, english.url)
    for target, achieved in (("10", "3"), ("20", "4"), ("15", "2"), ("3", "1"), ("100", "12.5")):
        assert f"target {target} · achieved {achieved} counted from attendance on" in text, (target, achieved)


def test_a_figure_typed_by_hand_still_shows_as_typed(client, make_project, opzplus):
    project = make_project(programmes=[opzplus], expected_results=[figure(95, "zapojených dospělých")])
    project_measures_count()
    html = client.get(project.url).content.decode()
    assert "95" in html and "zapojených dospělých" in html and "result-progress" not in html
    assert not ProjectMeasure.objects.exists()


def test_a_translation_keeps_the_sources_binding(counted_project):
    project, _data = counted_project
    segments = extract_segments(project)
    texts = {getattr(segment, "string", None) and segment.string.data for segment in segments}
    assert "setkání" in texts and "účast alespoň dvakrát" in texts
    assert not {"sessions", "regular_participants", "participant_hours"} & texts, "the binding is not for translators"
    page = ProjectPage.objects.get(pk=project.pk)
    page.expected_results = [figure(10, "setkání", "participants")]
    page.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.update_from_db()
    english_locale = Locale.objects.get(language_code="en")
    source.create_or_update_translation(english_locale, fallback=True)
    english = project.get_translation(english_locale)
    assert [block.value["measure"] for block in english.expected_results] == ["participants"]


def test_the_block_asks_for_n(counted_project):
    block = ResultFigureBlock()
    value = block.to_python(
        {"number": "15", "label": "lídrů", "note": "", "measure": "regular_participants", "min_attendances": None}
    )
    with pytest.raises(Exception) as error:
        block.clean(value)
    assert "Kolik účastí" in str(error.value.block_errors["min_attendances"])


def test_the_page_reads_the_figures_in_one_query_whatever_the_number_of_people(client, counted_project):
    project, data = counted_project
    project_measures_count()
    client.get(project.url)
    with CaptureQueriesContext(connection) as few:
        client.get(project.url + "?few")
    first = data["dates"][0]
    for n in range(60):
        person = Participant.objects.create(name=f"Další {n}")
        Attendance.objects.create(event_date=first, participant=person, status="present")
    project_measures_count()
    assert stored(project)["participants:0"] == PEOPLE + 60
    client.get(project.url)
    with CaptureQueriesContext(connection) as many:
        html = client.get(project.url + "?many").content.decode()
    assert f"dosaženo {PEOPLE + 60}" in html
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    measure_queries = [query for query in many.captured_queries if "projects_projectmeasure" in query["sql"]]
    assert len(measure_queries) <= 1


def test_publishing_a_bound_figure_counts_it_at_once(counted_project, django_capture_on_commit_callbacks):
    project, _data = counted_project
    assert stored(project) == {}
    page = ProjectPage.objects.get(pk=project.pk)
    page.expected_results = [figure(10, "setkání", "sessions"), figure(4, "dětí", "regular_participants", 3)]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    figures = stored(project)
    assert figures["sessions:0"] == SESSIONS and figures["regular_participants:3"] == AT_LEAST_3


def test_the_editor_offers_the_measures_in_czech(client, counted_project, django_user_model):
    project, _data = counted_project
    client.force_login(django_user_model.objects.create_superuser(username="boss", password="pw"))
    response = client.get(f"/admin/pages/{project.pk}/edit/")
    assert response.status_code == 200
    # The block definitions travel as JSON in the page (non-ASCII letters escaped).
    page = unescape(response.content.decode())
    for label in ("Počítat z docházky", "Účastníci přítomní alespoň N krát", "Alespoň N účastí"):
        assert label in page or json.dumps(label)[1:-1] in page, label


def test_the_kept_page_shows_a_new_count_and_an_edit_at_once_and_a_draft_only_in_its_preview(
    client, counted_project, settings, django_capture_on_commit_callbacks
):
    """The project's body is kept as one fragment (as with Redis in production): a recount and a
    publish each start a new cache version after their commit, and a preview never reads or fills it."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-project"},
    }
    project, data = counted_project
    with django_capture_on_commit_callbacks(execute=True):
        project_measures_count()
    assert f"dosaženo {PEOPLE}" in page_text(client, project.url)

    for n in range(3):
        person = Participant.objects.create(name=f"Nový účastník {n}")
        Attendance.objects.create(event_date=data["dates"][0], participant=person, status="present")
    with django_capture_on_commit_callbacks(execute=True):
        project_measures_count()
    assert f"dosaženo {PEOPLE + 3}" in page_text(client, project.url)

    project.refresh_from_db()
    project.short_description = "Nový stručný popis projektu."
    with django_capture_on_commit_callbacks(execute=True):
        project.save_revision().publish()
    assert "Nový stručný popis projektu." in page_text(client, project.url)

    project.refresh_from_db()
    project.short_description = "Koncept, který ještě nevyšel."
    project.save_revision()
    assert "Koncept, který ještě nevyšel." in unescape(project.make_preview_request().content.decode())
    public = page_text(client, project.url)
    assert "Koncept, který ještě nevyšel." not in public
    assert "Nový stručný popis projektu." in public
