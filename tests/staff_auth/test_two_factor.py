"""Staff sign in with a second factor: an authenticator app (TOTP) or a
recovery code, on every sign-in, with the production middleware and auth."""

import base64
import importlib
import re
import sys
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "správné-heslo-42"
PRODUCTION_ENV = {
    "SECRET_KEY": "x7Qm2vR9pL4sT8wZ1yB6nC3dF5gH0jK-aE_uI.oP!rS@tV#xY$zA%bD^eG&hJ*kL",
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "sqlite:////tmp/portal-unused.sqlite3",
}
PRODUCTION_NAMES = [
    "MIDDLEWARE",
    "AUTHENTICATION_BACKENDS",
    "WAGTAIL_2FA_REQUIRED",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture
def production(monkeypatch):
    """The production settings' middleware, authentication and HTTPS config,
    with the full-page and fragment caches on."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("WAGTAIL_2FA_REQUIRED", "AXES_ENABLED", "SECURE_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("portal.settings.production", None)
    module = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    values = {name: getattr(module, name) for name in PRODUCTION_NAMES}
    assert values["WAGTAIL_2FA_REQUIRED"] is True
    with override_settings(**values, PAGE_CACHE_ENABLED=True, FRAGMENT_CACHE_ENABLED=True):
        yield values


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktor", "redaktor@example.org", PASSWORD)


def https_client() -> Client:
    """A new browser: no cookies, behind the TLS-terminating proxy, in Czech."""
    return Client(headers={"X-Forwarded-Proto": "https", "Accept-Language": "cs"})


def sign_in_with_password(client: Client) -> None:
    response = client.post("/admin/login/", {"username": "redaktor", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == "/admin/"


def enter_code(client: Client, code: str):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/verify/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return client.post("/admin/2fa/verify/", {"otp_token": code, "next": "/admin/"})


def assert_dashboard(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="wagtail-sidebar"' in html
    assert "Komunitní portál" in html  # the site's dashboard, not a sign-in page
    assert "2fa/verify" not in response.request["PATH_INFO"]


def code_at(key: bytes, *, seconds_from_now: int = 0) -> str:
    return f"{totp(key, t0=-seconds_from_now):06d}"


def set_up_authenticator(editor) -> tuple[bytes, list[str]]:
    """The first sign-in: password, then the set-up page; returns the key read
    from the page and the recovery codes it showed."""
    client = https_client()
    sign_in_with_password(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    key = base64.b32decode(secret)
    assert not TOTPDevice.objects.filter(user=editor).exists()  # a GET stores nothing
    reloaded = client.get(response["Location"]).content.decode()
    assert re.search(r"<code>([A-Z2-7 ]+)</code>", reloaded).group(1).replace(" ", "") == secret  # the same key
    wrong = f"{(int(code_at(key)) + 500000) % 1000000:06d}"
    assert client.post("/admin/2fa/setup/", {"otp_token": wrong, "next": "/admin/"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=editor).exists()  # a wrong code stores nothing either
    done = client.post("/admin/2fa/setup/", {"otp_token": code_at(key), "next": "/admin/"})
    assert done.status_code == 200
    assert TOTPDevice.objects.get(user=editor, confirmed=True).bin_key == key
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert_dashboard(client)
    client.post("/admin/logout/")
    assert client.get("/admin/").status_code == 302  # signed out
    return key, codes


@pytest.mark.django_db
def test_staff_sign_in_with_the_authenticator_every_time(production, editor, site_homes):
    key, _codes = set_up_authenticator(editor)

    # Signing in again, in a new browser, with the code the phone shows then.
    client = https_client()
    sign_in_with_password(client)
    response = enter_code(client, code_at(key, seconds_from_now=30))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert_dashboard(client)

    # The next day, another session: a new code again.
    real_time = time.time
    tomorrow = mock.Mock(time=lambda: real_time() + 86400)
    with mock.patch.object(totp_models, "time", tomorrow):
        client = https_client()
        sign_in_with_password(client)
        response = enter_code(client, code_at(key, seconds_from_now=86400))
        assert response.status_code == 302
        assert_dashboard(client)

        # The day after, a third one.
        client = https_client()
        sign_in_with_password(client)
    tomorrow_plus_one = mock.Mock(time=lambda: real_time() + 2 * 86400)
    with mock.patch.object(totp_models, "time", tomorrow_plus_one):
        response = enter_code(client, code_at(key, seconds_from_now=2 * 86400))
        assert response.status_code == 302
        assert_dashboard(client)


@pytest.mark.django_db
def test_a_code_is_accepted_only_once(production, editor, site_homes):
    key, _codes = set_up_authenticator(editor)
    code = code_at(key, seconds_from_now=30)
    first = https_client()
    sign_in_with_password(first)
    assert enter_code(first, code).status_code == 302
    second = https_client()
    sign_in_with_password(second)
    replay = enter_code(second, code)
    assert replay.status_code == 200
    assert "Tento kód není platný" in replay.content.decode()


@pytest.mark.django_db
def test_a_recovery_code_works_once(production, editor, site_homes):
    _key, codes = set_up_authenticator(editor)
    client = https_client()
    sign_in_with_password(client)
    response = enter_code(client, codes[3].upper())  # typed in capitals: still the same code
    assert response.status_code == 302
    assert_dashboard(client)

    again = https_client()
    sign_in_with_password(again)
    refused = enter_code(again, codes[3])
    assert refused.status_code == 200
    assert "Tento kód není platný" in refused.content.decode()
    assert again.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_czech(production, editor, site_homes):
    key, _codes = set_up_authenticator(editor)
    client = https_client()
    sign_in_with_password(client)
    wrong = f"{(int(code_at(key)) + 1) % 1000000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tento kód není platný" in html
    assert client.get("/admin/pages/").status_code == 302
    # Right after a failure the device asks for a short pause, and says so.
    again = client.post("/admin/2fa/verify/", {"otp_token": code_at(key), "next": "/admin/"})
    assert again.status_code == 200
    assert "Příliš mnoho chybných kódů" in again.content.decode()


@pytest.mark.django_db
def test_nonsense_codes_never_fail(production, editor, site_homes):
    set_up_authenticator(editor)
    client = https_client()
    sign_in_with_password(client)
    for code in ["", " ", "x" * 40, "12345", "1234567", "ščř", "\x00"]:
        response = client.post("/admin/2fa/verify/", {"otp_token": code, "next": "https://evil.example/"})
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_superuser_resets_a_lost_phone(production, editor, site_homes):
    set_up_authenticator(editor)
    call_command("reset_two_factor", "redaktor")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client = https_client()
    sign_in_with_password(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/setup/")


@pytest.mark.django_db
def test_a_superuser_resets_another_persons_second_factor_in_the_admin(client, editor, site_homes):
    from django.contrib.auth.models import Group

    colleague = get_user_model().objects.create_user("kolegyne", "k@example.org", PASSWORD, is_staff=True)
    colleague.groups.add(Group.objects.get(name="Editors"))
    TOTPDevice.objects.create(user=colleague, name="telefon", confirmed=True)
    TOTPDevice.objects.create(user=editor, name="telefon", confirmed=True)

    client.force_login(colleague)
    refused = client.post(f"/admin/2fa/reset/{editor.pk}/")  # only superusers may
    assert refused.status_code == 302
    assert refused["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=editor).exists()

    client.force_login(editor)
    listing = client.get("/admin/users/")
    assert f"/admin/2fa/reset/{colleague.pk}/" in listing.content.decode()
    assert client.get(f"/admin/2fa/reset/{colleague.pk}/").status_code == 200
    response = client.post(f"/admin/2fa/reset/{colleague.pk}/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert client.post("/admin/2fa/reset/999999/").status_code in (302, 404)  # no such person: nothing happens
