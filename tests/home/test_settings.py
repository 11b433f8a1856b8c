"""The settings package: production refuses to start without its secrets, passes the deploy checks,
and SQLite runs with WAL and IMMEDIATE transactions.

Each check runs in a fresh Python process with a scrubbed environment, because
settings are read once at start-up.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x8#Kq2!vZ7@pL4$wN9^rT1&yB6*mC3(hF5)jD0_sG-eA+uQ=iW",
    "ALLOWED_HOSTS": "portal.example.cz,www.portal.example.cz",
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    # HTTPS-ready: TLS ends at the proxy, which forwards X-Forwarded-Proto.
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.cz,https://www.portal.example.cz",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.cz",
    "SECURE_SSL_REDIRECT": "true",
}


def run_python(code: str, *, settings: str, env: dict[str, str], args: list[str] | None = None):
    """Run Python in a new process whose environment holds only PATH, HOME and `env`."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    clean.update({"DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"})
    clean.update(env)
    command = [sys.executable, *(args or ["-c", textwrap.dedent(code)])]
    return subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    result = run_python("import django; django.setup()", settings="portal.settings.production", env=env)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert missing in result.stderr.splitlines()[-1], result.stderr


def test_a_mistyped_rate_limit_exemption_stops_the_start_with_its_name():
    env = {**PRODUCTION_ENV, "REGISTRATION_RATE_LIMIT_EXEMPT": "192.0.2.0/24, 10.0.0.300"}
    result = run_python("import django; django.setup()", settings="portal.settings.production", env=env)
    assert result.returncode != 0
    assert "REGISTRATION_RATE_LIMIT_EXEMPT" in result.stderr.splitlines()[-1], result.stderr
    assert "10.0.0.300" in result.stderr.splitlines()[-1]
    env["REGISTRATION_RATE_LIMIT_EXEMPT"] = "192.0.2.0/24, 2001:db8::/32"
    code = "import django; django.setup(); from django.conf import settings; print(len(settings.REGISTRATION_RATE_LIMIT_EXEMPT))"
    assert run_python(code, settings="portal.settings.production", env=env).stdout.strip() == "2"


def test_production_starts_with_its_variables():
    code = """
        import django
        django.setup()
        from django.conf import settings
        assert not settings.DEBUG
        assert settings.ALLOWED_HOSTS == ["portal.example.cz", "www.portal.example.cz"], settings.ALLOWED_HOSTS
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        print("ok")
    """
    result = run_python(code, settings="portal.settings.production", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_check_deploy_prints_no_warnings():
    result = run_python(
        "", settings="portal.settings.production", env=PRODUCTION_ENV, args=["manage.py", "check", "--deploy"]
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "?: (" not in output, output


def test_check_deploy_does_warn_about_an_insecure_setup():
    """The check above can fail: without HTTPS redirects and with a short key Django complains."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": "short", "SECURE_SSL_REDIRECT": "false"}
    result = run_python("", settings="portal.settings.production", env=env, args=["manage.py", "check", "--deploy"])
    output = result.stdout + result.stderr
    assert "security.W008" in output and "security.W009" in output, output


SQLITE_CHECK = """
    import sqlite3
    import django
    django.setup()
    from django.db import connection, transaction
    from django.conf import settings

    assert connection.vendor == "sqlite", connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print("journal_mode", cursor.fetchone()[0])
    print("transaction_mode", connection.transaction_mode)

    # IMMEDIATE takes the write lock when the transaction begins, before any write:
    # a second writer is refused at once instead of deadlocking later.
    other = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0, isolation_level=None)
    with transaction.atomic():
        connection.cursor().execute("SELECT 1")
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            print("second writer", error)
        else:
            print("second writer got the lock")
            other.execute("ROLLBACK")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    print("after commit the lock is free")
"""


@pytest.mark.parametrize("settings_module", ["portal.settings.dev", "portal.settings.production"])
def test_sqlite_runs_with_wal_and_immediate_transactions(tmp_path, settings_module):
    database = tmp_path / "portal.sqlite3"
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{database}"}
    result = run_python(SQLITE_CHECK, settings=settings_module, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "journal_mode wal" in lines, result.stdout
    assert "transaction_mode IMMEDIATE" in lines, result.stdout
    assert "second writer database is locked" in lines, result.stdout
    assert "after commit the lock is free" in lines, result.stdout


def test_admin_loads_no_avatars_from_other_hosts(client, django_user_model, site_homes):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
