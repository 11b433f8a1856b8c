"""`make bench`: seed a scaled data set, serve it with gunicorn on loopback and
measure. Every figure is printed as `bench: <name> <value> <unit>`.

Steps (bounded, loopback only, stops by itself; about 5 minutes):
 1. a fresh PostgreSQL database (BENCH_DATABASE, default portal_bench) with
    the demo content: queries per warm request per page type ("small");
 2. generated events and projects up to BENCH_EVENTS (1,000) and
    BENCH_PROJECTS (50): the same query counts again ("large");
 3. gunicorn (production settings, 2 workers) with the page cache off:
    req/s, p50 and p95 per page type; the static-file ceiling; page weight;
    registration throughput with 50 concurrent clients;
 4. gunicorn with the page cache on (Redis when it answers): the same again,
    and each cached rate as a share of the static-file ceiling;
 5. a separate event index at 10, 100 and 1,000 dates: its queries and
    median render time (in process, every cache emptied before each render).

Environment: BENCH_SECONDS (per measurement, default 4), BENCH_CONCURRENCY
(default 4), BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432),
BENCH_REDIS (default redis://127.0.0.1:6379/14).
"""

from __future__ import annotations

import gzip
import http.client
import json
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = os.environ.get("BENCH_DATABASE", "portal_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
EVENTS = int(os.environ.get("BENCH_EVENTS", "1000"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "50"))
REGISTRATION_CLIENTS = 50
# Fewer places than registrations, so the clients compete and the waiting list fills.
REGISTRATION_CAPACITY = int(os.environ.get("BENCH_REGISTRATION_CAPACITY", "30"))
REGISTRATIONS_PER_CLIENT = 5  # under the per-address limit of the registration form


def report(name: str, value, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    print(f"bench: {name} {value} {unit}", flush=True)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


# The environment every process of the bench shares -------------------------


def django_env(*, page_cache: bool, redis: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="bench-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=f"{PG}/{DATABASE}",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        WAGTAIL_2FA_REQUIRED="0",
        EMAIL_URL="locmem://",
        LOG_LEVEL="WARNING",
        PAGE_CACHE="1" if page_cache else "0",
        # The registration clients stand behind one trusted proxy, each with
        # its own address, as real visitors behind a load balancer would.
        TRUSTED_PROXY_COUNT="1",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        # Steady-state rates: recycling a worker (a memory-leak guard, every
        # 2,000 requests by default) would otherwise land in whichever
        # measurement happens to be running and halve it for a moment.
        GUNICORN_MAX_REQUESTS="1000000",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


def seed(command: str, *args: str, env: dict[str, str]) -> dict:
    result = subprocess.run(
        [PY, "-m", "bench.seed", command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-5000:])
        raise SystemExit(f"bench: seeding step {command} failed")
    line = next(line for line in reversed(result.stdout.splitlines()) if line.startswith("BENCH-JSON "))
    return json.loads(line.removeprefix("BENCH-JSON "))


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def redis_url() -> str | None:
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        client.flushdb()
        return REDIS
    except Exception as exc:  # no Redis here: each worker caches for itself
        note(f"Redis not reachable ({exc.__class__.__name__}); the cached run uses per-process memory")
        return None


# gunicorn ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("bench: gunicorn did not start:\n" + self.process.stderr.read()[-3000:])
            try:
                status, _h, _b = fetch(self.port, "/cs/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit("bench: gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def fetch(port: int, path: str, *, method="GET", body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


# Load generation -----------------------------------------------------------


def _load_worker(args):
    port, path, seconds, headers = args
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            status, _h, _b = fetch(port, path, headers=headers)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
    return latencies, errors


def load(port: int, path: str, *, headers=None) -> dict:
    """CONCURRENCY client processes, each sending requests one after another
    for SECONDS; returns req/s and latency percentiles in milliseconds."""
    fetch(port, path, headers=headers)  # warm (and fill the cache when on)
    _status, response_headers, _body = fetch(port, path, headers=headers)
    page_cache = dict((k.lower(), v) for k, v in response_headers).get("x-page-cache", "not stored")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(CONCURRENCY) as pool:
        results = pool.map(_load_worker, [(port, path, SECONDS, headers or {})] * CONCURRENCY)
    latencies = sorted(lat for lats, _e in results for lat in lats)
    errors = sum(e for _l, e in results)
    if not latencies:
        return {"rps": 0.0, "p50": 0.0, "p95": 0.0, "errors": errors, "page_cache": page_cache}
    return {
        "page_cache": page_cache,
        "rps": len(latencies) / SECONDS,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
        "errors": errors,
    }


# Page weight ---------------------------------------------------------------

ASSET = re.compile(r"<(?:link[^>]+rel=\"stylesheet\"[^>]*|script[^>]+src=\"[^\"]+\"[^>]*)>", re.I)


def page_weight(port: int, path: str) -> tuple[int, int, str | None]:
    """Bytes of HTML + CSS + JS on a first load (uncompressed, and as sent
    with gzip), images excluded; also returns the first stylesheet's path."""
    _s, _h, html = fetch(port, path)
    raw, sent = len(html), len(gzip.compress(html, 6))
    first_css = None
    for tag in ASSET.findall(html.decode("utf-8", "replace")):
        if 'media="print"' in tag:
            continue  # print styles do not block or load with the page on screen
        match = re.search(r'(?:href|src)="([^"]+)"', tag)
        if not match or match.group(1).startswith(("http:", "https:", "//")):
            continue
        asset = match.group(1)
        first_css = first_css or (asset if tag.lower().startswith("<link") else None)
        _s, headers, body = fetch(port, asset, headers={"Accept-Encoding": "gzip"})
        sent += len(body)
        encoding = dict((k.lower(), v) for k, v in headers).get("content-encoding", "")
        raw += len(gzip.decompress(body)) if encoding == "gzip" else len(body)
    return raw, sent, first_css


# Registrations -------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _register_client(port: int, target: dict, client_no: int, results: list) -> None:
    address = f"10.{client_no // 250}.{client_no % 250}.{(client_no * 7) % 250 + 1}"
    form_path = f"/cs/registrations/event/{target['page_id']}/"
    for n in range(REGISTRATIONS_PER_CLIENT):
        started = time.perf_counter()
        try:
            status, headers, body = fetch(port, form_path, headers={"X-Forwarded-For": address})
            cookies = "; ".join(
                v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken=")
            )
            token = CSRF_INPUT.search(body.decode("utf-8", "replace"))
            data = {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "date": target["date_uid"],
                "name": f"Návštěvník {client_no}",
                "email": f"bench-{client_no}-{n}@example.org",
                "seats": "1",
                "consent": "on",
                "website": "",
            }
            status, _h, _b = fetch(
                port,
                form_path,
                method="POST",
                body=urlencode(data),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookies,
                    "X-Forwarded-For": address,
                    "Referer": f"http://127.0.0.1:{port}{form_path}",
                },
            )
        except OSError:
            status = 0
        results.append((status, time.perf_counter() - started))


def registration_throughput(port: int, target: dict) -> dict:
    results: list = []
    threads = [
        threading.Thread(target=_register_client, args=(port, target, n, results)) for n in range(REGISTRATION_CLIENTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - started
    ok = [lat for status, lat in results if status in (302, 303)]
    latencies = sorted(lat for _s, lat in results)
    return {
        "rps": len(ok) / elapsed if elapsed else 0.0,
        "ok": len(ok),
        "failed": len(results) - len(ok),
        "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0,
        "statuses": sorted({status for status, _l in results}),
    }


# The run ---------------------------------------------------------------------


def main() -> None:
    began = time.monotonic()
    redis = redis_url()
    env_plain = django_env(page_cache=False, redis=redis)

    note(f"fresh database {DATABASE}, migrations and demo content")
    fresh_database()
    seed("prepare", env=env_plain)
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env_plain, check=True, timeout=300
    )
    urls = seed("urls", env=env_plain)
    note("page types: " + ", ".join(f"{k}={v}" for k, v in urls.items()))
    small = seed("queries", env=env_plain)
    sizes = seed("grow", "0", "0", env=env_plain)
    report("seed_small_events", sizes.get("events", 0), "events")
    report("seed_small_projects", sizes.get("projects", 0), "projects")
    for name, count in small.items():
        report(f"queries_{name}_small", count, "queries")

    note(f"growing to {EVENTS} events and {PROJECTS} projects")
    grown_at = time.monotonic()
    sizes = seed("grow", str(EVENTS), str(PROJECTS), env=env_plain)
    report("seed_large_events", sizes.get("events", 0), "events")
    report("seed_large_projects", sizes.get("projects", 0), "projects")
    report("seed_large_seconds", time.monotonic() - grown_at, "s")
    large = seed("queries", env=env_plain)
    for name, count in large.items():
        report(f"queries_{name}_large", count, "queries")
    report("queries_max", max([*small.values(), *large.values()] or [0]), "queries")
    same = all(small.get(name) == count for name, count in large.items())
    report("queries_same_at_both_sizes", "yes" if same else "no", "")

    target = seed("registration", str(REGISTRATION_CAPACITY), env=env_plain)

    note("gunicorn, page cache off")
    server = Server(env_plain)
    try:
        uncached = {name: load(server.port, url) for name, url in urls.items()}
        weights = {name: page_weight(server.port, url) for name, url in urls.items()}
        css = next((w[2] for w in weights.values() if w[2]), None)
        static = load(server.port, css, headers={"Accept-Encoding": "gzip"}) if css else None
        registrations = registration_throughput(server.port, target) if target else None
    finally:
        server.stop()
    for name, result in uncached.items():
        report(f"rps_uncached_{name}", result["rps"], "req/s")
        report(f"p50_uncached_{name}", result["p50"], "ms")
        report(f"p95_uncached_{name}", result["p95"], "ms")
        if result["errors"]:
            report(f"errors_uncached_{name}", result["errors"], "responses")
    if static:
        report("rps_static_ceiling", static["rps"], "req/s")
        report("p50_static_ceiling", static["p50"], "ms")
    for name, (raw, sent, _css) in weights.items():
        report(f"page_weight_{name}", raw / 1024, "KB")
        report(f"page_transfer_{name}", sent / 1024, "KB")
    if registrations:
        report("registrations_per_s", registrations["rps"], "registrations/s")
        report("registrations_ok", registrations["ok"], "registrations")
        report("registrations_failed", registrations["failed"], "requests")
        report("p50_registration", registrations["p50"], "ms")
        report("p95_registration", registrations["p95"], "ms")
        stored = seed("registrations", env=env_plain)["registrations"]
        report("registrations_stored", stored, "registrations")
        outcome = seed("registration_outcome", target["date_uid"], env=env_plain)
        report("registration_capacity", outcome["capacity"], "seats")
        report("registration_confirmed_seats", outcome["confirmed_seats"], "seats")
        report("registration_waitlisted", outcome["waitlisted"], "registrations")
        report(
            "registration_confirmed_within_capacity",
            "yes" if outcome["confirmed_seats"] <= outcome["capacity"] else "no",
            "",
        )
        if registrations["failed"]:
            note(f"registration statuses seen: {registrations['statuses']}")
    else:
        note("no event takes registrations: registration throughput not measured")

    note("gunicorn, page cache on")
    redis_url()  # empty the bench cache again
    server = Server(django_env(page_cache=True, redis=redis))
    try:
        cached = {name: load(server.port, url) for name, url in urls.items()}
    finally:
        server.stop()
    for name, result in cached.items():
        report(f"rps_cached_{name}", result["rps"], "req/s")
        report(f"p50_cached_{name}", result["p50"], "ms")
        report(f"p95_cached_{name}", result["p95"], "ms")
        # "hit": served from the full-page cache; "not stored": a page that
        # may never be cached (the event page carries the registration form).
        report(f"page_cache_{name}", result["page_cache"].replace(" ", "_"), "")
        if static and static["rps"]:
            report(f"cached_share_of_static_{name}", 100 * result["rps"] / static["rps"], "%")

    note("event index at 10, 100 and 1,000 dates (in process, every cache emptied before each render)")
    for size, figures in seed("index_scaling", env=env_plain).items():
        report(f"eventindex_queries_{size}_dates", figures["queries"], "queries")
        report(f"eventindex_render_median_{size}_dates", figures["median_ms"], "ms")
    report("bench_seconds", time.monotonic() - began, "s")


if __name__ == "__main__":
    main()
