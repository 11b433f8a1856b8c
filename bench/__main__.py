"""`make bench`: seed a scaled data set, serve it with gunicorn on loopback and
measure the performance targets. Every figure is printed as
`bench: <name> <value> <unit>`; each target is printed next to its figure
(`<name>_target`) with a verdict (`<name>_verdict PASS|FAIL`), and a summary
of every target ends the run.

The public page types (PUBLIC_PAGES): home, event index, event, project
index, project, search and standard page; the month view; the website's news
index, news item, contact, team, document library and donation pages; the
Ukrainian home page, an event in Ukrainian and a Czech page not translated
yet at its Ukrainian address.

Steps (bounded, loopback only, stops by itself; about 8 to 10 minutes):
 1. a fresh PostgreSQL database (BENCH_DATABASE, default portal_bench) with
    the demo content: queries per warm request per page type ("small"), with
    the page cache off and the fragments cache on (Redis);
 2. generated events and projects up to BENCH_EVENTS (1,000) and
    BENCH_PROJECTS (50): the same query counts again ("large"). Target: at
    most 12 per public page type, the same at both sizes;
 3. gunicorn (production settings, 2 workers) with the page cache off and the
    fragments cache on: req/s, p50 and p95 per public page type, and each rate
    as a share of the static-file ceiling (a stylesheet served by the same
    workers, measured before the first page and after each page; a page's
    share is of the mean of the two measurements around it). Targets per
    page type: issue 10's share of the ceiling for its seven
    (`uncached_share_of_static_<page>`), issue 6's 100 req/s for the others
    (`uncached_rps_<page>`); page weight, at most 50 KB sent on a first load;
 4. gunicorn with the page cache on: the same, every response expected to be
    a page-cache hit (the event page too, with the visitor's own CSRF token
    put in). Target: at least 50 % of the static ceiling each;
 5. one registration as a browser makes it (GET the event page, read the
    token and cookie, POST the form): the pages that do not show that date's
    places stay page-cache hits, the event page is a miss and then a hit;
 6. registrations on one date with 50 concurrent clients for
    BENCH_REGISTRATION_SECONDS, each one as a browser makes it. Targets: at
    least 100 per second, p95 of the POST at most 600 ms, confirmed seats
    never over capacity. The per-address registration limit exempts loopback
    (REGISTRATION_RATE_LIMIT_EXEMPT=127.0.0.0/8) for the bench's gunicorn
    only: every client comes from 127.0.0.1;
 7. a fresh gunicorn (page cache on, 2 workers, every cache warm): a page
    restricted to signed-in users by the model API, by bulk_create and by a
    queryset update() that moves a restriction onto another page; after
    each, anonymous GETs until both workers have answered. Target: the page
    is never served (`private_page_served_to_anonymous 0 times`). The
    restrictions are taken off again afterwards;
 8. a separate event index at 10, 100 and 1,000 dates: its queries and
    median render time (in process, every cache emptied before each render);
 9. one held session of a funded project's activity with 10 and then 1,000
    people marked: the queries of the project page (its result figures
    counted from attendance), of the session's attendance sheet and of the
    phone screen that takes its attendance. Target: the same at both sizes
    (BENCH_ATTENDANCE_SCALING=0 leaves the step out).

The run exits 0 whatever the verdicts (it reports, it does not gate); a
crash exits non-zero. Its gunicorn processes and its database are removed at
the end (BENCH_KEEP_DATABASE=1 keeps the database).

Environment: BENCH_SECONDS (per measurement, default 4), BENCH_CONCURRENCY
(default 4), BENCH_REGISTRATION_SECONDS (default 10), BENCH_PG (server URL,
default postgres://postgres@127.0.0.1:5432), BENCH_REDIS (default
redis://127.0.0.1:6379/14), BENCH_EVENTS, BENCH_PROJECTS,
BENCH_REGISTRATION_CAPACITY (default 30), BENCH_INDEX_SCALING (default 1),
BENCH_ATTENDANCE_SCALING (default 1).
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
import tempfile
import threading
import time
from html.parser import HTMLParser
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
KEEP_DATABASE = os.environ.get("BENCH_KEEP_DATABASE", "0") == "1"
INDEX_SCALING = os.environ.get("BENCH_INDEX_SCALING", "1") == "1"
ATTENDANCE_SCALING = os.environ.get("BENCH_ATTENDANCE_SCALING", "1") == "1"
REGISTRATION_CLIENTS = 50
REGISTRATION_SECONDS = float(os.environ.get("BENCH_REGISTRATION_SECONDS", "10"))
# Fewer places than registrations, so the clients compete and the waiting list fills.
REGISTRATION_CAPACITY = int(os.environ.get("BENCH_REGISTRATION_CAPACITY", "30"))
# Every bench client comes from loopback: exempt it from the per-address limit.
RATE_LIMIT_EXEMPT = "127.0.0.0/8"

# The issues' names of the public page types, from the bench's (model) names:
# those of issue 10 first, then the month view (issue 6), the website's page
# types and the Ukrainian pages (issue 15): the Ukrainian home page, an event
# translated into Ukrainian, and a Czech page not translated yet, served at its
# Ukrainian address.
CORE_PAGES = {
    "home": "home",
    "event_index": "eventindex",
    "event": "event",
    "project_index": "projectindex",
    "project": "project",
    "search": "search",
    "standard": "standard",
}
PUBLIC_PAGES = {
    **CORE_PAGES,
    "month": "month",
    "news_index": "newsindex",
    "news": "news",
    "contact": "contact",
    "team": "team",
    "documents": "documentlibrary",
    "donation": "donation",
    "uk_home": "uk_home",
    "uk_event": "uk_event",
    "uk_untranslated": "uk_untranslated",
}
# Page cache off: req/s as a share of the static-file ceiling, at least (%) (issue 10).
UNCACHED_TARGETS = {
    "home": 2.5,
    "event_index": 3.4,
    "event": 4.8,
    "project_index": 3.2,
    "project": 5.5,
    "search": 2.8,
    "standard": 7.6,
}
# Page cache off, the page types issue 10 gives no share: req/s, at least (issue 6).
UNCACHED_RPS_TARGET = 100.0
TRANSFER_TARGET = 50.0  # KB of HTML + CSS + JS on a first load, as sent, at most (issue 6)
CACHED_TARGET = 50.0  # page cache on: share of the static-file ceiling, at least (%)
QUERY_LIMIT = 12  # warm queries per public page type, page cache off, at most
REGISTRATIONS_TARGET = 100.0  # registrations per second on one date, at least
REGISTRATION_P95_TARGET = 600.0  # ms, at most

SUMMARY: list[tuple[str, str, str, bool]] = []


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def report(name: str, value, unit: str = "") -> None:
    print(f"bench: {name} {_format(value)} {unit}".rstrip(), flush=True)


def target(name: str, value, unit: str, *, goal, at_least: bool | None, ok: bool | None = None) -> bool:
    """Print a figure, its target and the verdict; remember them for the summary.

    `at_least` True: the value must reach the goal; False: must not exceed it;
    None: `ok` is the verdict (a goal that is not a number)."""
    if ok is None:
        ok = value >= goal if at_least else value <= goal
    report(name, value, unit)
    report(f"{name}_target", goal, unit)
    report(f"{name}_verdict", "PASS" if ok else "FAIL")
    sign = {True: ">= ", False: "<= ", None: ""}[at_least]
    SUMMARY.append((name, f"{_format(value)} {unit}".rstrip(), f"{sign}{_format(goal)} {unit}".rstrip(), ok))
    return ok


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


# The environment every process of the bench shares -------------------------


def django_env(*, page_cache: bool, redis: str | None, rate_limit_exempt: str = "") -> dict[str, str]:
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
        TRUSTED_PROXY_COUNT="0",
        REGISTRATION_RATE_LIMIT_EXEMPT=rate_limit_exempt,
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


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def redis_url() -> str | None:
    """The bench's Redis database, emptied; None when Redis does not answer."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        client.flushdb()
        return REDIS
    except Exception as exc:  # no Redis here: each worker caches for itself
        note(f"Redis not reachable ({exc.__class__.__name__}); the fragments and pages use per-process memory")
        return None


# gunicorn ------------------------------------------------------------------

SERVERS: list[Server] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free loopback port; `access_log` (a path) records the
    worker's pid with each request, to tell the two workers apart."""

    def __init__(self, env: dict[str, str], *, access_log: str | None = None):
        self.port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        args = [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        if access_log:
            args += ["--access-logfile", access_log, "--access-logformat", "%(p)s %(s)s %(U)s"]
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        SERVERS.append(self)
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
        if self in SERVERS:
            SERVERS.remove(self)


def fetch(port: int, path: str, *, method="GET", body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def header(headers, name: str, default: str = "") -> str:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), default)


# Load generation -----------------------------------------------------------


def _client_process() -> None:
    """A load-generating process ends quietly when its pool is closed."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _load_worker(args):
    port, path, seconds, headers = args
    latencies, errors, hits = [], 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            status, response_headers, _b = fetch(port, path, headers=headers)
        except OSError:
            status, response_headers = 0, []
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
        elif header(response_headers, "X-Page-Cache") == "hit":
            hits += 1
    return latencies, errors, hits


def load(port: int, path: str, *, headers=None) -> dict:
    """CONCURRENCY client processes, each sending requests one after another
    for SECONDS; returns req/s, latency percentiles in milliseconds and the
    share of responses that were page-cache hits."""
    fetch(port, path, headers=headers)  # warm (and fill the cache when on)
    _status, response_headers, _body = fetch(port, path, headers=headers)
    page_cache = header(response_headers, "X-Page-Cache", "not stored")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(CONCURRENCY, initializer=_client_process) as pool:
        results = pool.map(_load_worker, [(port, path, SECONDS, headers or {})] * CONCURRENCY)
    latencies = sorted(lat for lats, _e, _h in results for lat in lats)
    errors = sum(e for _l, e, _h in results)
    hits = sum(h for _l, _e, h in results)
    if not latencies:
        return {"rps": 0.0, "p50": 0.0, "p95": 0.0, "errors": errors, "page_cache": page_cache, "hits": 0.0}
    return {
        "page_cache": page_cache,
        "hits": 100 * hits / len(latencies),
        "rps": len(latencies) / SECONDS,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
        "errors": errors,
    }


def measure_pages(port: int, urls: dict[str, str], css: str | None) -> tuple[dict, dict | None]:
    """Every page type, each between two measurements of the static-file
    ceiling (one before the first page, then one after each page). A page's
    share is taken of the mean of the two measurements around it (its
    `ceiling`), so that the machine slowing down or speeding up during the
    run, which moves the ceiling by up to half within one run here, moves
    both sides of each share alike. Also returns the ceiling over the whole
    run: the mean of all its measurements, the first, the last, the lowest
    and the highest."""
    static_headers = {"Accept-Encoding": "gzip"}
    if css is None:
        return {name: load(port, url) for name, url in urls.items()}, None
    ceilings = [load(port, css, headers=static_headers)]
    pages = {}
    for name, url in urls.items():
        pages[name] = load(port, url)
        ceilings.append(load(port, css, headers=static_headers))
        pages[name]["ceiling"] = (ceilings[-2]["rps"] + ceilings[-1]["rps"]) / 2
    rates = [ceiling["rps"] for ceiling in ceilings]
    return pages, {
        "rps": statistics.mean(rates),
        "rps_before": rates[0],
        "rps_after": rates[-1],
        "rps_lowest": min(rates),
        "rps_highest": max(rates),
        "p50": statistics.mean(ceiling["p50"] for ceiling in ceilings),
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
        raw += len(gzip.decompress(body)) if header(headers, "Content-Encoding") == "gzip" else len(body)
    return raw, sent, first_css


# Registrations, as a browser makes them ------------------------------------


class RegistrationFormParser(HTMLParser):
    """The registration form of an event page: its action and its fields."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.inside = False
        self.fields: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "registration-form" in (attrs.get("class") or ""):
            self.action, self.inside = attrs.get("action"), True
        elif self.inside and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.fields.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def browser_registration(port: int, event_url: str, date_uid: str, email: str) -> dict:
    """What a browser does: GET the event page (no cookies: a new visitor),
    read the form, its CSRF token and the cookie, POST the form."""
    started = time.perf_counter()
    status, headers, body = fetch(port, event_url)
    got = time.perf_counter()
    page_cache = header(headers, "X-Page-Cache", "not stored")
    cookies = "; ".join(
        v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken=")
    )
    form = RegistrationFormParser()
    # Only the form is parsed: the clients share the server's two cores, and
    # parsing the whole page would take them several milliseconds a registration.
    html = body.decode("utf-8", "replace")
    start = html.rfind("<form", 0, html.find('class="registration-form"'))
    end = html.find("</form>", start)
    form.feed(html[start : end + len("</form>")] if start >= 0 and end >= 0 else html)
    if status != 200 or not form.action:
        return {"get_status": status, "status": -1, "get": got - started, "post": 0.0, "page_cache": page_cache}
    data = {}
    for field in form.fields:
        name, kind = field["name"], field.get("type", field["tag"])
        if kind == "radio":
            if field.get("value") == date_uid:
                data[name] = date_uid
        elif kind == "checkbox":
            if "required" in field:
                data[name] = "on"
        elif name == "name":
            data[name] = "Návštěvník Bench"
        elif name == "email":
            data[name] = email
        elif name == "seats":
            data[name] = "1"
        else:  # the CSRF token, and the honeypot left empty as a person leaves it
            data[name] = field.get("value", "")
    status, _h, _b = fetch(
        port,
        form.action,
        method="POST",
        body=urlencode(data),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "Referer": f"http://127.0.0.1:{port}{event_url}",
        },
    )
    return {
        "get_status": 200,
        "status": status,
        "get": got - started,
        "post": time.perf_counter() - got,
        "page_cache": page_cache,
        "token": bool(data.get("csrfmiddlewaretoken")) and bool(cookies),
    }


def _registration_process(args) -> list[dict]:
    port, event_url, date_uid, process_no, clients, deadline = args
    results: list[dict] = []
    lock = threading.Lock()

    def client(client_no: int) -> None:
        n = 0
        while time.time() < deadline:
            email = f"bench-{process_no}-{client_no}-{n}@example.org"
            n += 1
            try:
                result = browser_registration(port, event_url, date_uid, email)
            except OSError:
                result = {"get_status": 0, "status": 0, "get": 0.0, "post": 0.0, "page_cache": ""}
            result["ended"] = time.time()
            with lock:
                results.append(result)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def registration_throughput(port: int, event_url: str, date_uid: str) -> dict:
    """REGISTRATION_CLIENTS browsers (threads in CONCURRENCY // 2 processes, at
    least one) registering on one date, each again and again for
    REGISTRATION_SECONDS."""
    processes = max(1, CONCURRENCY // 2)
    per_process = [REGISTRATION_CLIENTS // processes + (n < REGISTRATION_CLIENTS % processes) for n in range(processes)]
    started = time.time()
    deadline = started + REGISTRATION_SECONDS
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_client_process) as pool:
        chunks = pool.map(
            _registration_process,
            [(port, event_url, date_uid, n, clients, deadline) for n, clients in enumerate(per_process)],
        )
    results = [result for chunk in chunks for result in chunk]
    elapsed = max([r["ended"] for r in results] + [deadline]) - started
    ok = [r for r in results if r["status"] in (302, 303)]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    return {
        "rps": len(ok) / elapsed if elapsed else 0.0,
        "ok": len(ok),
        "failed": len(results) - len(ok),
        "p50": statistics.median([r["post"] for r in ok]) * 1000 if ok else 0.0,
        "p95": percentile([r["post"] for r in ok], 0.95) * 1000,
        "get_p95": percentile([r["get"] for r in results if r["get_status"] == 200], 0.95) * 1000,
        "page_hits": 100 * sum(r["page_cache"] == "hit" for r in results) / len(results) if results else 0.0,
        "statuses": statuses,
    }


# A registration changes only what shows that date's places --------------------

# Pages that do not show the date's free places (the home page and the event
# index list upcoming dates with their places, so they are rendered again).
UNRELATED_TO_PLACES = ("standard", "project", "project_index", "search")


def registration_invalidation(port: int, urls: dict[str, str], target_event: dict) -> None:
    for _ in range(2):
        for url in urls.values():
            fetch(port, url)
    before = {name: header(fetch(port, url)[1], "X-Page-Cache") for name, url in urls.items()}
    result = browser_registration(port, urls["event"], target_event["date_uid"], "bench-one@example.org")
    if result["status"] not in (302, 303):
        raise SystemExit(f"bench: a single registration failed (status {result['status']})")
    after = {name: header(fetch(port, url)[1], "X-Page-Cache") for name, url in urls.items()}
    event_again = header(fetch(port, urls["event"])[1], "X-Page-Cache")
    for name in urls:
        report(f"page_cache_after_registration_{name}", f"{before[name] or '-'}->{after[name] or '-'}")
    unrelated = [name for name in UNRELATED_TO_PLACES if name in urls]
    still = [name for name in unrelated if before[name] == "hit" and after[name] == "hit"]
    report("pages_still_cached_after_registration", len(still), f"of {len(unrelated)}")
    target(
        "unrelated_pages_still_cached_after_registration",
        len(still),
        "pages",
        goal=len(unrelated),
        at_least=True,
    )
    sequence = f"{after['event']},{event_again}"
    report("event_page_after_registration", sequence)
    target(
        "event_page_miss_then_hit_after_registration",
        sequence,
        "",
        goal="miss,hit",
        at_least=None,
        ok=sequence == "miss,hit",
    )


# A private page is never served to an anonymous visitor -----------------------


def _pids_answering(log: Path, path: str, offset: int) -> tuple[dict[str, int], int]:
    """Requests for `path` per worker pid in the access log after `offset`."""
    text = log.read_text()
    counts: dict[str, int] = {}
    for line in text[offset:].splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == path:
            counts[parts[0]] = counts.get(parts[0], 0) + 1
    return counts, len(text)


def _from_both_workers(port: int, url: str, log: Path, *, each: int = 3, limit: int = 80) -> list[tuple[int, bytes]]:
    """Anonymous GETs of `url`, a few at a time, until both workers have
    answered `each` times (at most `limit` requests)."""
    path = url.split("?", 1)[0]
    offset = log.stat().st_size if log.exists() else 0
    responses: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def get() -> None:
        status, _h, body = fetch(port, url)
        with lock:
            responses.append((status, body))

    while len(responses) < limit:
        threads = [threading.Thread(target=get) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.05)  # the access log is written once the response is sent
        counts, _end = _pids_answering(log, path, offset)
        if len(counts) >= 2 and min(counts.values()) >= each:
            break
    counts, _end = _pids_answering(log, path, offset)
    if len(counts) < 2:
        note(f"only one worker answered {url} in {len(responses)} requests")
    return responses


def private_pages(env: dict[str, str], urls: dict[str, str], pages: dict[str, dict]) -> None:
    """Restrict pages to signed-in users while every cache is warm, three ways;
    count the anonymous responses that are still the page."""
    steps = [
        ("model_api", "create", "standard", None),
        ("bulk_create", "bulk", "project", None),
        ("queryset_update", "move", "standard", "event"),
    ]
    served_total = 0
    made: list[str] = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        log = Path(tmp) / "access.log"
        server = Server(env, access_log=str(log))
        try:
            every = list(urls.values())
            for name, how, page, to in steps:
                shown = to or page
                for url in every:  # every cache warm, on both workers
                    _from_both_workers(server.port, url, log, each=2)
                warm = header(fetch(server.port, urls[shown])[1], "X-Page-Cache")
                args = [how, str(pages[page]["id"])] + ([str(pages[to]["id"])] if to else [])
                made.append(str(seed("restrict", *args, env=env)["restriction"]))
                responses = _from_both_workers(server.port, urls[shown], log)
                title = pages[shown]["title"].encode()
                served = sum(1 for status, body in responses if status == 200 and title in body)
                refused = sum(1 for status, _b in responses if status in (302, 401, 403))
                report(f"private_page_{name}_responses", len(responses), f"requests (cache was {warm or 'off'})")
                report(f"private_page_{name}_refused", refused, "responses")
                report(f"private_page_{name}_served", served, "times")
                served_total += served
                if to:
                    status, _h, _b = fetch(server.port, urls[page])
                    report(f"private_page_{name}_left_page_status", status, "")
        finally:
            server.stop()
            if made:  # the later steps measure the pages public again
                try:
                    seed("unrestrict", *sorted(set(made)), env=env)
                except SystemExit as exc:  # report, but keep the step's own outcome
                    note(f"could not take the bench's restrictions off: {exc}")
    ok = target("private_page_served_to_anonymous", served_total, "times", goal=0, at_least=False)
    if not ok:
        banner = f"!!! A PRIVATE PAGE WAS SERVED TO AN ANONYMOUS VISITOR {served_total} TIMES !!!"
        print(banner, flush=True)
        print(banner, file=sys.stderr, flush=True)


# The run ---------------------------------------------------------------------


def _report_ceiling(run: str, static: dict) -> None:
    report(f"rps_static_ceiling_{run}_run", static["rps"], "req/s")
    for end in ("before", "after", "lowest", "highest"):
        report(f"rps_static_ceiling_{run}_run_{end}", static[f"rps_{end}"], "req/s")


def phase_uncached(env: dict[str, str], urls: dict[str, str]) -> dict:
    server = Server(env)
    try:
        weights = {name: page_weight(server.port, url) for name, url in urls.items()}
        css = next((w[2] for w in weights.values() if w[2]), None)
        results, static = measure_pages(server.port, urls, css)
    finally:
        server.stop()
    for name, (raw, sent, _css) in weights.items():
        report(f"page_weight_{name}", raw / 1024, "KB")
        target(f"page_transfer_{name}", sent / 1024, "KB", goal=TRANSFER_TARGET, at_least=False)
    if static:
        _report_ceiling("uncached", static)
        report("p50_static_ceiling_uncached_run", static["p50"], "ms")
    for name, result in results.items():
        report(f"rps_uncached_{name}", result["rps"], "req/s")
        if static:
            report(f"rps_static_ceiling_around_uncached_{name}", result["ceiling"], "req/s")
        report(f"p50_uncached_{name}", result["p50"], "ms")
        report(f"p95_uncached_{name}", result["p95"], "ms")
        report(f"page_cache_uncached_{name}", result["page_cache"].replace(" ", "_"))
        if result["errors"]:
            report(f"errors_uncached_{name}", result["errors"], "responses")
        if name not in UNCACHED_TARGETS:
            target(f"uncached_rps_{name}", result["rps"], "req/s", goal=UNCACHED_RPS_TARGET, at_least=True)
            if static and result["ceiling"]:
                report(f"uncached_share_of_static_{name}", 100 * result["rps"] / result["ceiling"], "%")
        elif static and result["ceiling"]:
            target(
                f"uncached_share_of_static_{name}",
                100 * result["rps"] / result["ceiling"],
                "%",
                goal=UNCACHED_TARGETS[name],
                at_least=True,
            )
    return {"css": css}


def phase_cached(env: dict[str, str], urls: dict[str, str], css: str | None, target_event: dict | None) -> None:
    server = Server(env)
    try:
        results, static = measure_pages(server.port, urls, css)
        if target_event:
            registration_invalidation(server.port, urls, target_event)
            registrations = registration_throughput(server.port, urls["event"], target_event["date_uid"])
        else:
            registrations = None
    finally:
        server.stop()
    if static:
        _report_ceiling("cached", static)
    for name, result in results.items():
        report(f"rps_cached_{name}", result["rps"], "req/s")
        if static:
            report(f"rps_static_ceiling_around_cached_{name}", result["ceiling"], "req/s")
        report(f"p50_cached_{name}", result["p50"], "ms")
        report(f"p95_cached_{name}", result["p95"], "ms")
        report(f"page_cache_{name}", result["page_cache"].replace(" ", "_"))
        report(f"page_cache_hits_{name}", result["hits"], "% of responses")
        if result["errors"]:
            report(f"errors_cached_{name}", result["errors"], "responses")
        if static and result["ceiling"]:
            share = 100 * result["rps"] / result["ceiling"]
            target(f"cached_share_of_static_{name}", share, "%", goal=CACHED_TARGET, at_least=True)
        target(
            f"page_cache_hit_{name}",
            result["page_cache"],
            "",
            goal="hit",
            at_least=None,
            ok=result["page_cache"] == "hit",
        )
    if registrations is None:
        note("no event takes registrations: registration throughput not measured")
        return
    report("registration_rate_limit_exempt", RATE_LIMIT_EXEMPT, "network (the bench's gunicorn only)")
    report("registration_clients", REGISTRATION_CLIENTS, "clients")
    report("registration_seconds", REGISTRATION_SECONDS, "s")
    target(
        "registrations_per_second", registrations["rps"], "registrations/s", goal=REGISTRATIONS_TARGET, at_least=True
    )
    target("registration_p95", registrations["p95"], "ms", goal=REGISTRATION_P95_TARGET, at_least=False)
    report("registration_p50", registrations["p50"], "ms")
    report("registration_page_get_p95", registrations["get_p95"], "ms")
    report("registration_page_cache_hits", registrations["page_hits"], "% of event page GETs")
    report("registrations_ok", registrations["ok"], "registrations")
    report("registrations_failed", registrations["failed"], "attempts")
    if registrations["failed"]:
        note(f"registration statuses seen: {registrations['statuses']}")
    outcome = seed("registration_outcome", target_event["date_uid"], env=env)
    report("registration_capacity", outcome["capacity"], "seats")
    report("registration_confirmed_seats", outcome["confirmed_seats"], "seats")
    report("registration_waitlisted", outcome["waitlisted"], "registrations")
    over = max(0, outcome["confirmed_seats"] - outcome["capacity"])
    target("confirmed_seats_over_capacity", over, "seats", goal=0, at_least=False)


def summary() -> None:
    print("", flush=True)
    print("summary (target, measured, goal, verdict):", flush=True)
    width = max((len(name) for name, *_ in SUMMARY), default=10)
    for name, value, goal, ok in SUMMARY:
        print(f"  {name:<{width}}  {value:>18}  {goal:>14}  {'PASS' if ok else 'FAIL'}", flush=True)
    passed = sum(ok for *_, ok in SUMMARY)
    report("targets_passed", passed, f"of {len(SUMMARY)}")


def run() -> None:
    began = time.monotonic()
    redis = redis_url()
    env_plain = django_env(page_cache=False, redis=redis)
    env_cached = django_env(page_cache=True, redis=redis, rate_limit_exempt=RATE_LIMIT_EXEMPT)
    report("fragments_cache", "redis" if redis else "process-memory")

    note(f"fresh database {DATABASE}, migrations and demo content")
    fresh_database()
    seed("prepare", env=env_plain)
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env_plain, check=True, timeout=300
    )
    all_pages = seed("pages", env=env_plain)
    missing = [name for name, model in PUBLIC_PAGES.items() if model not in all_pages]
    if missing:
        raise SystemExit(f"bench: no page of type {', '.join(missing)}")
    pages = {name: all_pages[model] for name, model in PUBLIC_PAGES.items()}
    urls = {name: page["url"] for name, page in pages.items()}
    note("page types: " + ", ".join(f"{k}={v}" for k, v in urls.items()))

    note("queries per warm request, page cache off, fragments on")
    by_model = {model: name for name, model in PUBLIC_PAGES.items()}
    small = {by_model.get(k, k): v for k, v in seed("queries", env=env_plain).items()}
    sizes = seed("grow", "0", "0", env=env_plain)
    report("seed_small_events", sizes.get("events", 0), "events")
    report("seed_small_projects", sizes.get("projects", 0), "projects")

    note(f"growing to {EVENTS} events and {PROJECTS} projects")
    grown_at = time.monotonic()
    sizes = seed("grow", str(EVENTS), str(PROJECTS), env=env_plain)
    report("seed_large_events", sizes.get("events", 0), "events")
    report("seed_large_projects", sizes.get("projects", 0), "projects")
    report("seed_large_seconds", time.monotonic() - grown_at, "s")
    large = {by_model.get(k, k): v for k, v in seed("queries", env=env_plain).items()}
    for name in small:
        if name not in PUBLIC_PAGES:  # routes other than the public page types: for information
            report(f"queries_{name}_small", small[name], "queries")
            report(f"queries_{name}_large", large.get(name, -1), "queries")
    for name in PUBLIC_PAGES:
        report(f"queries_{name}_small", small.get(name, -1), "queries")
        counts = [small.get(name, -1), large.get(name, -1)]
        ok = all(0 <= count <= QUERY_LIMIT for count in counts) and counts[0] == counts[1]
        target(f"queries_{name}_large", counts[1], "queries", goal=QUERY_LIMIT, at_least=False, ok=ok)
    public_counts = [count for name in PUBLIC_PAGES for count in (small.get(name, -1), large.get(name, -1))]
    report("queries_max", max(public_counts), "queries")
    same = all(small.get(name) == large.get(name) for name in PUBLIC_PAGES)
    report("queries_same_at_both_sizes", "yes" if same else "no")

    target_event = seed("registration", str(REGISTRATION_CAPACITY), env=env_plain) or None
    if target_event and target_event["page_id"] != pages["event"]["id"]:
        note("the event taking registrations is not the measured event page")

    note("gunicorn, page cache off, fragments cache on")
    css = phase_uncached(env_plain, urls)["css"]

    note("gunicorn, page cache on: pages, one registration, registrations under load")
    redis_url()  # start the cached run from an empty cache
    phase_cached(env_cached, urls, css, target_event)

    note("gunicorn, page cache on: pages restricted while every cache is warm")
    private_pages(env_cached, {name: urls[name] for name in CORE_PAGES}, pages)

    if INDEX_SCALING:
        note("event index at 10, 100 and 1,000 dates (in process, every cache emptied before each render)")
        for size, figures in seed("index_scaling", env=env_plain).items():
            report(f"eventindex_queries_{size}_dates", figures["queries"], "queries")
            report(f"eventindex_render_median_{size}_dates", figures["median_ms"], "ms")
    if ATTENDANCE_SCALING:
        attendance_scaling(env_plain)
    report("bench_seconds", time.monotonic() - began, "s")
    summary()


def attendance_scaling(env: dict[str, str]) -> None:
    """Step 9: queries of the project page and of the attendance screens at 10 and 1,000 people."""
    note("project page and attendance sheet at 10 and 1,000 people (in process)")
    figures = seed("attendance_scaling", env=env)
    if not figures:
        note("no funded project or event index: the attendance step was left out")
        return
    small, large = figures["10"], figures["1000"]
    for name in large:
        report(f"queries_{name}_10_people", small.get(name, -1), "queries")
        counts = [small.get(name, -1), large[name]]
        ok = all(count >= 0 for count in counts) and counts[0] == counts[1]
        target(f"queries_{name}_1000_people", counts[1], "queries", goal=counts[0], at_least=False, ok=ok)


def _terminated(signum, _frame):
    raise SystemExit(f"bench: stopped by signal {signum}")


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        run()
    finally:
        for server in list(SERVERS):
            server.stop()
        if not KEEP_DATABASE:
            try:
                drop_database()
            except Exception as exc:  # noqa: BLE001 - report, but keep the run's own outcome
                note(f"could not drop the bench database {DATABASE}: {exc}")
        if REDIS:
            try:
                import redis

                redis.Redis.from_url(REDIS, socket_connect_timeout=1).flushdb()
            except Exception:  # noqa: BLE001 - no Redis: nothing kept there
                pass


if __name__ == "__main__":
    main()
