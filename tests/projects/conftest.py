"""Fixtures for the projects tests: programmes and a project index in cs and en, and a project with
hand-countable attendance (tests/projects/measures_fixtures.py)."""

import datetime as dt

import pytest
from django.core.cache import cache

from demo.helpers import locale, upsert_translation
from tests.events.factories import EventIndexPageFactory
from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory
from tests.projects.measures_fixtures import BOUND_RESULTS, build_attendance


@pytest.fixture(autouse=True)
def _html_rules_only(settings):
    """The checker runs without Chromium here (fast); tests/e2e/test_publicity_browser.py measures in Chromium."""
    settings.PUBLICITY_BROWSER = False


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Stored files (screenshots, evidence) go to this test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def translate_programme(programme, **fields):
    translated = programme.copy_for_translation(locale("en"))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return translated


@pytest.fixture
def opzplus(db):
    programme = FundingProgrammeFactory()
    translate_programme(
        programme,
        name="Employment Plus Operational Programme",
        fund_name="European Social Fund Plus",
        statement="Co-funded by the European Union",
    )
    return programme


@pytest.fixture
def opz(db):
    programme = FundingProgrammeFactory(opz=True)
    translate_programme(
        programme,
        name="Operational Programme Employment",
        fund_name="European Social Fund",
        statement="Co-funded by the European Union",
    )
    return programme


@pytest.fixture
def acf(db):
    programme = FundingProgrammeFactory(acf=True)
    translate_programme(
        programme,
        name="EEA and Norway Grants 2014–2021 – Active Citizens Fund",
        fund_name="EEA and Norway Grants",
        statement="The project {project} is supported by a grant from Iceland, Liechtenstein and Norway "
        "through the EEA and Norway Grants.",
    )
    return programme


@pytest.fixture
def project_index(home_cs, home_en):
    index = ProjectIndexPageFactory(parent=home_cs)
    upsert_translation(index, language_code="en", slug="projects", title="Projects")
    return index


def translate_project(project, **fields):
    """Publish the English translation of a project (programmes are left as the source's)."""
    defaults = {"slug": f"{project.slug}-en", "title": f"{project.title} EN"}
    defaults.update(fields)
    return upsert_translation(project, language_code="en", **defaults)


@pytest.fixture
def make_project(project_index):
    def make(*, programmes=(), translate=True, **fields):
        project = ProjectPageFactory(parent=project_index, programmes=list(programmes), **fields)
        if translate:
            translate_project(project)
        return project

    return make


@pytest.fixture
def counted_project(make_project, opzplus, home_cs):
    project = make_project(
        programmes=[opzplus],
        title="Komunitní centrum Vltavotýnska",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        expected_results=BOUND_RESULTS,
    )
    other = make_project(programmes=[opzplus], translate=False, title="Jiný projekt")
    data = build_attendance(project=project, other_project=other, events_index=EventIndexPageFactory(parent=home_cs))
    return project, data
