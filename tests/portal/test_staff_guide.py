"""The staff guide: reachable from the admin menu, in Czech, covering the daily workflows."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("editorka", "editorka@example.com", "pw")
    group, _created = Group.objects.get_or_create(name="Guide readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    return client


def test_the_guide_is_in_the_admin_menu_and_covers_the_daily_workflows(editor):
    url = reverse("portal_staff_guide")
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', dashboard, re.S)
    menu = json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    assert re.search(r'"label": "Nápověda pro pracovníky centra".{0,200}?"url": "' + re.escape(url) + '"', menu), menu
    response = editor.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Nápověda pro pracovníky centra" in html
    for heading in (
        "Přidání akce",
        "Zrušení termínu",
        "Docházka a prezenční listina",
        "Exporty registrací",
        "Překlady do angličtiny",
        "Přehled publicity projektů",
    ):
        assert f">{heading}" in html, heading
    assert "10. 12. 2026" in html


def test_the_guide_needs_admin_access(client, django_user_model):
    user = django_user_model.objects.create_user("resident", "r@example.com", "pw")
    client.force_login(user)
    response = client.get(reverse("portal_staff_guide"))
    assert response.status_code in (302, 403)
    assert "Přidání akce" not in response.content.decode()
