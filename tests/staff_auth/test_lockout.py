"""Admin sign-in: repeated failures lock out a user name from an address, and
many failures from one address (password spraying) lock out the address."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

PASSWORD = "správné-heslo-42"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.7"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktor", "redaktor@example.org", PASSWORD)


def sign_in(client, username, password, address, language="cs"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_ADDRESS_FAILURE_LIMIT=20)
def test_one_address_spraying_passwords_over_many_user_names_is_locked_out(client, editor, site_homes):
    for number in range(20):
        response = sign_in(client, f"uzivatel{number}", "heslo123", ATTACKER)
        assert response.status_code == 200, number  # the form again: below every limit
    # The address has used up its attempts: even a new user name, and even
    # the right password of a real account, are refused.
    locked = sign_in(client, "uzivatel20", "heslo123", ATTACKER)
    assert locked.status_code == 429
    assert "Příliš mnoho pokusů o přihlášení" in locked.content.decode()
    english = sign_in(client, "redaktor", PASSWORD, ATTACKER, language="en")
    assert english.status_code == 429
    assert "Too many sign-in attempts" in english.content.decode()
    assert "_auth_user_id" not in client.session

    # The real editor, from their own connection, signs in as usual.
    client.cookies.clear()
    response = sign_in(client, "redaktor", PASSWORD, COLLEAGUE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_ADDRESS_FAILURE_LIMIT=20)
def test_a_few_typos_by_several_people_on_one_network_lock_no_one_out(client, editor, site_homes):
    for username in ("redaktor", "kolegyne", "kolega"):
        for _attempt in range(3):
            assert sign_in(client, username, "překlep", ATTACKER).status_code == 200
    assert sign_in(client, "redaktor", PASSWORD, ATTACKER).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_ADDRESS_FAILURE_LIMIT=20)
def test_one_user_name_is_still_locked_out_after_its_own_limit(client, editor, site_homes):
    for _attempt in range(5):
        sign_in(client, "redaktor", "špatně", ATTACKER)
    assert sign_in(client, "redaktor", PASSWORD, ATTACKER).status_code == 429
