"""Security hardening: deploy checks, headers, cookies, admin brute-force
protection, two-factor authentication for staff, no inline code on public pages."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from wagtail.models import Page

from portal.ratelimit import client_ip

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x7Qm2vR9pL4sT8wZ1yB6nC3dF5gH0jK-aE_uI.oP!rS@tV#xY$zA%bD^eG&hJ*kL",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
}


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SECURE_SSL_REDIRECT"}}
    env.update(PRODUCTION_ENV)
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cookie_and_transport_settings():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE',"
        "'CSRF_COOKIE_SECURE','CSRF_COOKIE_HTTPONLY','CSRF_COOKIE_SAMESITE','WAGTAIL_2FA_REQUIRED',"
        "'AXES_ENABLED','SECURE_CONTENT_TYPE_NOSNIFF','SECURE_REFERRER_POLICY']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    for prefix in ("SESSION", "CSRF"):
        assert values[f"{prefix}_COOKIE_SECURE"] is True
        assert values[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert values[f"{prefix}_COOKIE_SAMESITE"] == "Lax"
    assert values["WAGTAIL_2FA_REQUIRED"] is True
    assert values["AXES_ENABLED"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, site_homes):
    for url in ("/cs/", "/en/", "/cs/search/?q=klub"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_admin_gets_the_looser_policy_it_needs(client, site_homes):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" in csp
    assert "frame-ancestors 'self'" in csp


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
INLINE_STYLE_ELEMENT = re.compile(r"<style\b", re.I)
EVENT_HANDLER_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


ALLOWED_STYLE = re.compile(r'\sstyle="([^"]*)"')


def inline_code_problems(html: str, allowed_styles=()) -> list[str]:
    """Inline code the public CSP blocks; style attributes whose exact value
    the policy allows by hash are fine."""
    html = ALLOWED_STYLE.sub(lambda m: "" if m.group(1) in allowed_styles else m.group(0), html)
    problems = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", INLINE_STYLE_ATTR),
        ("<style> element", INLINE_STYLE_ELEMENT),
        ("event-handler attribute", EVENT_HANDLER_ATTR),
    ):
        problems += [f"{name}: {match.group(0)[:80]}" for match in pattern.finditer(html)]
    return problems


def test_inline_code_detector_catches_what_the_policy_blocks():
    assert inline_code_problems('<p style="color:red">x</p>')
    assert inline_code_problems("<script>alert(1)</script>")
    assert inline_code_problems("<style>p{}</style>")
    assert inline_code_problems('<button onclick="x()">')
    assert not inline_code_problems(
        '<script type="application/ld+json">{}</script><script src="/static/a.js"></script>'
    )


@pytest.mark.django_db
def test_live_pages_carry_no_inline_code_that_the_policy_would_block(client, site_homes, settings):
    """The CSP has no 'unsafe-inline', so inline scripts and styles would be
    blocked by browsers: the pages must not rely on any. JSON-LD is data,
    not script, and is not blocked."""
    urls = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
    assert len(urls) >= 4
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        problems = inline_code_problems(response.content.decode(), settings.CSP_ALLOWED_STYLE_ATTRIBUTES)
        assert problems == [], url


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktor", "redaktor@example.org", "správné-heslo-42")


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_locks_out_after_repeated_failures(client, editor, site_homes):
    for _attempt in range(2):
        response = client.post("/admin/login/", {"username": "redaktor", "password": "špatně"})
        assert response.status_code == 200  # the form again, with an error
    third = client.post("/admin/login/", {"username": "redaktor", "password": "špatně"})
    assert third.status_code == 429
    locked = client.post(
        "/admin/login/", {"username": "redaktor", "password": "správné-heslo-42"}, HTTP_ACCEPT_LANGUAGE="cs"
    )
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Traceback" not in html
    assert "<h1>" in html
    assert "Příliš mnoho pokusů" in html  # the lockout page, in Czech
    # The right password does not get through while locked.
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_still_works_below_the_limit(client, editor, site_homes):
    client.post("/admin/login/", {"username": "redaktor", "password": "špatně"})
    response = client.post("/admin/login/", {"username": "redaktor", "password": "správné-heslo-42"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_lockout_is_per_user_name_and_address(client, editor, site_homes):
    for _attempt in range(2):
        client.post("/admin/login/", {"username": "redaktor", "password": "špatně"}, REMOTE_ADDR="203.0.113.9")
    # Someone else, from another address, is not locked out by the attacker.
    response = client.post(
        "/admin/login/", {"username": "redaktor", "password": "správné-heslo-42"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(WAGTAIL_2FA_REQUIRED=True)
def test_staff_without_a_second_factor_must_set_one_up(client, editor, site_homes):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/2fa/setup/" in response["Location"]
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()  # the QR code to scan


@pytest.mark.django_db
@override_settings(WAGTAIL_2FA_REQUIRED=True)
def test_staff_with_a_device_must_enter_the_code(client, editor, site_homes):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=editor, name="telefon", confirmed=True)
    client.force_login(editor)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert "/admin/2fa/verify/" in response["Location"]


def test_client_ip_trusts_only_the_configured_proxies():
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "203.0.113.5"
    with override_settings(TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "10.0.0.2"


def _audit_fallback():
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_fallback", ROOT / ".ci" / "audit_fallback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_audit_checks_skipped_packages_pinned_at_their_newest_release(tmp_path, monkeypatch, capsys):
    audit = _audit_fallback()
    projects = {
        "current": {"info": {"version": "2.0"}, "vulnerabilities": []},
        "vulnerable": {
            "info": {"version": "1.4"},
            "vulnerabilities": [
                {"id": "PYSEC-1", "aliases": ["CVE-1"], "fixed_in": ["1.5"], "summary": "XSS", "withdrawn": None},
                {"id": "PYSEC-2", "aliases": [], "fixed_in": [], "summary": "old", "withdrawn": "2024-01-01"},
            ],
        },
        "behind": {"info": {"version": "9.0"}, "vulnerabilities": []},
    }
    monkeypatch.setattr(audit, "project", projects.get)
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "dependencies": [
                    {"name": "audited", "version": "1.0", "vulns": []},
                    *(
                        {
                            "name": name,
                            "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({v})",
                        }
                        for name, v in (("current", "2.0.0"), ("vulnerable", "1.4"), ("behind", "8.1"), ("gone", "0.1"))
                    ),
                ]
            }
        )
    )
    assert audit.main([str(report)]) == 1
    out = capsys.readouterr().out
    assert "4 skipped by pip-audit; 2 of them checked" in out
    assert "VULNERABLE vulnerable 1.4: PYSEC-1 (fixed in 1.5) XSS" in out
    assert "PYSEC-2" not in out  # withdrawn
    assert "not audited: behind 8.1: no data for this release (newest is 9.0)" in out
    assert "not audited: gone 0.1: PyPI did not answer" in out
    # An accepted vulnerability, named by an alias, no longer fails the audit.
    assert audit.main([str(report), "--ignore-vuln", "CVE-1"]) == 0
