"""Password-protected pages: wrong passwords are limited per address."""

import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.test import override_settings
from wagtail.models import PageViewRestriction

from home.models import StandardPage

PASSWORD = "tajne-heslo"


@pytest.fixture
def protected_page(home_cs):
    cache.clear()
    page = StandardPage(title="Jen pro členy", slug="jen-pro-cleny", summary="interní")
    home_cs.add_child(instance=page)
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD)
    yield page
    cache.clear()


def password_form_action(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return re.search(r'action="([^"]*authenticate_with_password[^"]*)"', response.content.decode()).group(1)


def try_password(client, action, page, password, address="203.0.113.9"):
    return client.post(action, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(PAGE_PASSWORD_RATE_LIMIT=(10, 600))
def test_wrong_passwords_are_limited_per_address(client, protected_page):
    action = password_form_action(client, protected_page)
    assert action.startswith("/cs/")
    for attempt in range(10):
        response = try_password(client, action, protected_page, f"spatne-{attempt}")
        assert response.status_code == 200, attempt  # the form again
    limited = try_password(client, action, protected_page, "spatne-11")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Příliš mnoho chybných hesel" in html
    assert "Traceback" not in html
    assert limited["Retry-After"] == "600"
    # Over the limit even the right password waits for the window to pass.
    assert try_password(client, action, protected_page, PASSWORD).status_code == 429
    assert "password" in client.get(protected_page.url).content.decode()  # still the password form

    # Another visitor is not affected.
    other = try_password(client, action, protected_page, PASSWORD, address="198.51.100.7")
    assert other.status_code == 302

    # After the window, the right password works from the limited address too.
    real_time = time.time
    later = mock.Mock(time=lambda: real_time() + 601)
    with mock.patch.object(locmem, "time", later):
        client.cookies.clear()
        response = try_password(client, action, protected_page, PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == protected_page.url


@pytest.mark.django_db
@override_settings(PAGE_PASSWORD_RATE_LIMIT=(3, 600))
def test_the_limit_speaks_english_on_english_pages(client, protected_page):
    action = password_form_action(client, protected_page).replace("/cs/", "/en/", 1)
    for _attempt in range(3):
        assert try_password(client, action, protected_page, "wrong").status_code == 200
    limited = try_password(client, action, protected_page, "wrong")
    assert limited.status_code == 429
    assert "Too many wrong passwords" in limited.content.decode()


@pytest.mark.django_db
@override_settings(PAGE_PASSWORD_RATE_LIMIT=(10, 600))
def test_the_right_password_is_not_counted(client, protected_page):
    action = password_form_action(client, protected_page)
    for _attempt in range(15):
        assert try_password(client, action, protected_page, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_bad_input_never_gives_a_server_error(client, protected_page):
    action = password_form_action(client, protected_page)
    restriction_id, page_id = re.findall(r"\d+", action)[-2:]
    for url, data in [
        (action, {}),
        (action, {"password": "\x00" * 5000, "return_url": "https://evil.example/"}),
        (f"/cs/_util/authenticate_with_password/999999/{page_id}/", {"password": PASSWORD}),
        (f"/cs/_util/authenticate_with_password/{restriction_id}/999999/", {"password": PASSWORD}),
    ]:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 404), url
    assert client.get(action).status_code == 200
