import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def test_sitemap_lists_both_languages(client, site_homes):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/cs/o-nas/" in xml and "/en/about-us/" in xml
    assert xml.count("<url>") == Page.objects.filter(depth__gte=2).live().count()


def test_robots_txt(client, site_homes):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_404_is_friendly(client, site_homes):
    response = client.get("/cs/neexistuje/")
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode() or "Page not found" in response.content.decode()


def test_search_finds_only_the_current_language(client, site_homes):
    response = client.get("/cs/search/", {"q": "soukromí"})
    cs = client.get("/cs/search/", {"q": "ÚOOÚ"}).content.decode()
    en = client.get("/en/search/", {"q": "ÚOOÚ"}).content.decode()
    assert response.status_code == 200
    assert "/cs/ochrana-osobnich-udaju/" in cs and "/en/privacy-notice/" not in cs
    assert "/en/privacy-notice/" in en and "/cs/ochrana-osobnich-udaju/" not in en


def test_search_is_paginated_and_survives_bad_page_numbers(client, site_homes, home_cs):
    for number in range(12):
        page = StandardPage(title=f"Klub číslo {number}", slug=f"klub-{number}", summary="pravidelný klub")
        home_cs.add_child(instance=page)
        page.save_revision().publish()
    first = client.get("/cs/search/", {"q": "klub"}).content.decode()
    assert 'rel="next"' in first
    for bad in ["999", "abc", "-1", "0"]:
        response = client.get("/cs/search/", {"q": "klub", "page": bad})
        assert response.status_code == 200


def test_staff_groups_and_workflow_exist():
    assert Group.objects.filter(name="Editors").exists()
    assert Group.objects.filter(name="Moderators").exists()
    workflow = Workflow.objects.get(name="Schválení moderátorem")
    assert workflow.workflow_tasks.get().task.name == "Schválení moderátorem"
    assert workflow.workflow_pages.filter(page__depth=1).exists()
    assert Group.objects.get(name="Moderators").page_permissions.filter(permission__codename="publish_page").exists()


@pytest.mark.parametrize("query", ["\x00", "klub\x00", "\x00\x1f\x7f"])
def test_search_ignores_control_characters(client, site_homes, query):
    response = client.get("/cs/search/", {"q": query})
    assert response.status_code == 200
