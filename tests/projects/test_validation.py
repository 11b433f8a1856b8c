"""A funded project can not be published without what its programme requires; the editor is told which field."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from projects.models import FundingProgramme, ProjectPage
from projects.services import ProjectError, project_check_publishable, project_publication_problems

pytestmark = pytest.mark.django_db


def _form(index_programme, **overrides):
    data = {
        "title": "Nový projekt",
        "slug": "novy-projekt",
        "short_description": "Aktivizace komunity.",
        "programmes": [index_programme.pk],
        "registration_number": "CZ.03.02.01/00/22_008/0000016",
        "currency": "CZK",
        "aims": streamfield([("aim", "15 lídrů komunity")]),
        "expected_results": streamfield([("text", rich_text("<p>Spolupracující komunita.</p>"))]),
        "achieved_results": streamfield([]),
        "evaluation_reports": streamfield([]),
        "gallery": streamfield([]),
        "description": rich_text(""),
        "activities": rich_text(""),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    programmes = data.pop("programmes")
    form = nested_form_data(data)
    form["programmes"] = programmes
    return form


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.com", "pw"))
    return client


def _add_url(index):
    return f"/admin/pages/add/projects/projectpage/{index.pk}/"


def test_complete_funded_project_is_published(admin_client, project_index, opzplus):
    response = admin_client.post(_add_url(project_index), _form(opzplus))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = ProjectPage.objects.get(slug="novy-projekt")
    assert page.live and list(page.programmes.all()) == [opzplus]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registration_number": ""}, "registration_number", "registračním číslem"),
        ({"registration_number": "CZ-ACTIVECITIZENS-0045"}, "registration_number", "neodpovídá vzoru"),
        ({"short_description": ""}, "short_description", "stručným popisem"),
        ({"aims": streamfield([])}, "aims", "alespoň jedním cílem"),
        ({"expected_results": streamfield([])}, "expected_results", "výsledky"),
    ],
)
def test_publishing_without_a_required_fact_names_the_field(
    admin_client, project_index, opzplus, overrides, field, message
):
    response = admin_client.post(_add_url(project_index), _form(opzplus, **overrides), HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(str(e) for e in errors[field]).lower() or message in str(errors[field])
    assert not ProjectPage.objects.filter(slug="novy-projekt", live=True).exists()


def test_a_draft_may_be_incomplete(admin_client, project_index, opzplus):
    data = _form(opzplus, registration_number="", short_description="")
    data.pop("action-publish")
    response = admin_client.post(_add_url(project_index), data)
    assert response.status_code == 302
    page = ProjectPage.objects.get(slug="novy-projekt")
    assert not page.live


def test_unfunded_project_needs_none_of_it(admin_client, project_index):
    data = _form(FundingProgramme(pk=0), programmes=[], registration_number="", aims=streamfield([]))
    response = admin_client.post(_add_url(project_index), data)
    assert response.status_code == 302
    assert ProjectPage.objects.get(slug="novy-projekt").live


def test_publishing_in_code_is_refused_too(make_project, opzplus):
    project = make_project(programmes=[opzplus], translate=False)
    project.registration_number = "123"
    with pytest.raises(ValidationError) as error:
        project.save_revision().publish()
    assert "registration_number" in error.value.message_dict


def test_service_lists_every_missing_field(opzplus):
    problems = project_publication_problems(
        programmes=[opzplus],
        registration_number="",
        short_description=" ",
        aims=[],
        expected_results=[],
        achieved_results=[],
    )
    assert set(problems) == {"registration_number", "short_description", "aims", "expected_results"}
    assert (
        project_publication_problems(
            programmes=[],
            registration_number="",
            short_description="",
            aims=[],
            expected_results=[],
            achieved_results=[],
        )
        == {}
    )


def test_check_publishable_raises_project_error(make_project, opzplus):
    project = make_project(programmes=[opzplus], translate=False)
    project_check_publishable(project=project)
    project.short_description = ""
    with pytest.raises(ProjectError):
        project_check_publishable(project=project)


def test_programme_pattern_and_example_are_validated():
    programme = FundingProgramme(
        name="X", statement="S", registration_number_pattern="CZ[", registration_number_example="CZ"
    )
    with pytest.raises(ValidationError) as error:
        programme.clean()
    assert "registration_number_pattern" in error.value.message_dict
    programme.registration_number_pattern = r"CZ-\d{4}"
    programme.registration_number_example = "CZ-12"
    with pytest.raises(ValidationError) as error:
        programme.clean()
    assert "registration_number_example" in error.value.message_dict


def test_end_before_start_is_refused(make_project, opzplus):
    import datetime as dt

    project = make_project(programmes=[opzplus], translate=False)
    project.start_date, project.end_date = dt.date(2025, 1, 1), dt.date(2024, 1, 1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "end_date" in error.value.message_dict


def test_programme_snippet_admin_lists_and_edits(admin_client, opzplus):
    response = admin_client.get("/admin/snippets/projects/fundingprogramme/")
    assert response.status_code == 200 and "Operační program Zaměstnanost plus" in response.content.decode()
    response = admin_client.get(f"/admin/snippets/projects/fundingprogramme/edit/{opzplus.pk}/")
    assert response.status_code == 200


def test_project_edit_page_opens(admin_client, make_project, opzplus):
    project = make_project(programmes=[opzplus], translate=False)
    assert admin_client.get(f"/admin/pages/{project.pk}/edit/").status_code == 200
