"""Smoke test: the production settings, served by gunicorn with the task
worker beside it, against the local PostgreSQL (when DATABASE_URL points at
one; otherwise an SQLite file) and Redis, make one registration end to end."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.services import redis_test_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    url = redis_test_url()
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


@pytest.fixture
def smoke_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'portal'}_smoke"
        server = parts._replace(path="/postgres").geturl()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        yield parts._replace(path=f"/{name}").geturl()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/smoke.sqlite3"


def _get(port, path, headers=None, method="GET", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


def _start(args, env, log):
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_production_stack_serves_pages_and_takes_a_registration(smoke_database, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="smoke-test-" + "s" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=smoke_database,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        EMAIL_URL="console://",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="",
        PYTHONUNBUFFERED="1",
    )
    redis = _redis_url()
    if redis:
        env["REDIS_URL"] = redis

    def manage(*args, timeout=600):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result.stdout

    # The production settings leave the demo app out; bench.seed loads the demo content by the command's class.
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.seed", "prepare"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert prepared.returncode == 0, prepared.stdout[-2000:] + prepared.stderr[-4000:]
    manage("collectstatic", "--no-input", "-v0")
    seeded = subprocess.run(
        [sys.executable, "-m", "bench.seed", "registration"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    target = json.loads(seeded.stdout.strip().splitlines()[-1].removeprefix("BENCH-JSON "))
    assert target, "the demo content has an event that takes registrations"

    server_log = open(tmp_path / "gunicorn.log", "w+")
    worker_log = open(tmp_path / "worker.log", "w+")
    server = _start([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], env, server_log)
    worker = _start([sys.executable, "manage.py", "db_worker", "--interval", "0.5"], env, worker_log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, html = _get(port, "/cs/")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        assert status == 200
        assert "unsafe-inline" not in headers["content-security-policy"]
        # Behind the TLS-terminating proxy, HTTPS responses carry HSTS.
        _s, secure_headers, _b = _get(port, "/cs/", headers={"X-Forwarded-Proto": "https"})
        assert secure_headers["strict-transport-security"].startswith("max-age=")
        assert _get(port, "/en/")[0] == 200
        assert _get(port, "/admin/login/")[0] == 200
        css = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', html)
        assert css, "hashed, compressed static files from the manifest"
        assert _get(port, css.group(1))[0] == 200

        def registrations_stored() -> int:
            counted = subprocess.run(
                [sys.executable, "-m", "bench.seed", "registrations"], cwd=ROOT, env=env, capture_output=True, text=True
            )
            assert counted.returncode == 0, counted.stderr[-2000:]
            return json.loads(counted.stdout.strip().splitlines()[-1].removeprefix("BENCH-JSON "))["registrations"]

        # The demo content has registrations of its own; exactly one more is stored.
        stored_before = registrations_stored()
        form_path = f"/cs/registrations/event/{target['page_id']}/"
        # The event page twice: the second visitor gets the kept form, with a token of its own.
        first_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _get(port, target["url"])[2]).group(1)
        status, headers, form = _get(port, target["url"])
        assert status == 200
        assert f'action="{form_path}#registration"' in form
        assert first_token not in form
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        cookie = headers["set-cookie"].split(";", 1)[0]
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "date": target["date_uid"],
                "name": "Jana Nováková",
                "email": "jana.smoke@example.org",
                "seats": "1",
                "consent": "on",
                "website": "",
            }
        )
        status, headers, _html = _get(
            port,
            form_path,
            method="POST",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{form_path}",
            },
        )
        assert status in (302, 303), _html[:2000]
        location = headers["location"]
        assert "/registrations/status/" in location
        status, _h, page = _get(port, urlsplit(location).path)
        assert status == 200
        assert registrations_stored() == stored_before + 1

        # The worker sends the confirmation e-mail (console backend: its log).
        deadline = time.monotonic() + 60
        while "jana.smoke@example.org" not in (tmp_path / "worker.log").read_text():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not send the confirmation"
            time.sleep(0.5)
    finally:
        _stop(server)
        _stop(worker)
        server_log.close()
        worker_log.close()
