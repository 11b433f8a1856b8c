"""Every kind of page, in both languages, is valid HTML5 with one h1, landmarks and ordered headings.

html5lib parses each page the way the HTML standard says browsers do and
reports every parse error. The pages come from the demo content, one live page
per page type and language, plus search, the 404 page and routable sub-pages.
"""

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import html5lib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.e2e.targets import Target, discover_targets

LANDMARKS = {"header": "banner", "nav": "navigation", "main": "main", "footer": "contentinfo"}


@pytest.fixture
def demo_targets(db) -> list[Target]:
    call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return discover_targets()


def parse_errors(html: str) -> list[str]:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(html)
    lines = html.splitlines()
    errors = []
    for (line, column), code, data in parser.errors:
        source = lines[line - 1].strip()[:160] if 0 < line <= len(lines) else ""
        errors.append(f"line {line}:{column} {code} {data or ''}\n        {source}")
    return errors


def structure_problems(html: str) -> list[str]:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    problems = []
    h1s = tree.findall(".//h1")
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 elements, expected exactly one")
    elif tree.find(".//main//h1") is None:
        problems.append("the h1 is not inside <main>")
    for tag, role in LANDMARKS.items():
        if tree.find(f".//{tag}") is None:
            problems.append(f"no <{tag}> ({role} landmark)")
    if len(tree.findall(".//main")) != 1:
        problems.append("there must be exactly one <main>")
    previous = 0
    for element in tree.iter():
        if (
            isinstance(element.tag, str)
            and len(element.tag) == 2
            and element.tag[0] == "h"
            and element.tag[1] in "123456"
        ):
            level = int(element.tag[1])
            if previous and level > previous + 1:
                text = " ".join("".join(element.itertext()).split())[:60]
                problems.append(f"heading level skipped: h{previous} then h{level} “{text}”")
            previous = level
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    problems += [f"id “{name}” is used {count} times" for name, count in ids.items() if count > 1]
    for image in tree.iter("img"):
        if image.get("alt") is None:
            problems.append(f"<img src={image.get('src')!r}> has no alt attribute")
    html_element = tree if tree.tag == "html" else tree.find(".//html")
    if html_element is None or not html_element.get("lang"):
        problems.append("<html> has no lang attribute")
    return problems


@pytest.mark.django_db
def test_every_page_type_is_valid_html5_with_one_h1_and_landmarks(client, demo_targets):
    labels = {(t.language, t.label) for t in demo_targets}
    for language, _name in settings.LANGUAGES:
        assert {(language, "HomePage"), (language, "StandardPage"), (language, "404")} <= labels, labels

    failures = []
    checked = 0
    for target in demo_targets:
        response = client.get(target.path)
        if target.expected_status and response.status_code != target.expected_status:
            failures.append(f"{target.path}: HTTP {response.status_code}, expected {target.expected_status}")
            continue
        if response.status_code >= 500:
            failures.append(f"{target.path}: HTTP {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        checked += 1
        problems = parse_errors(html) + structure_problems(html)
        if f'<html lang="{target.language}"' not in html:
            problems.append(f'not marked as <html lang="{target.language}">')
        if problems:
            failures.append(f"{target.language} {target.label} {target.path}:\n    " + "\n    ".join(problems))
    assert checked >= len(settings.LANGUAGES) * 5, f"only {checked} HTML pages checked"
    assert not failures, "HTML problems:\n" + "\n".join(failures)


def test_the_checks_catch_broken_html():
    broken = "<!DOCTYPE html><html lang='cs'><body><p><div></p><h1>a</h1><h1>b</h1><h4 id=x>c</h4><i id=x></body>"
    assert parse_errors(broken)
    problems = structure_problems(broken)
    assert "2 h1 elements, expected exactly one" in problems
    assert any("h1 then h4" in problem for problem in problems)
    assert "id “x” is used 2 times" in problems
    assert "no <main> (main landmark)" in problems


# The Nu HTML Checker (vnu-jar from the npm registry, run with Debian's Java):
# the W3C's conformance checker, stricter than a parser (attribute values,
# content models, ARIA). It runs once over every public page in one batch.
VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _require_vnu() -> str:
    """The java command; a skip on a developer machine without the checker, a failure in CI."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (apt-get install default-jre-headless, or run .ci/e2e-deps)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm ci --ignore-scripts, or run .ci/e2e-deps)")
    if missing:
        reason = "the Nu HTML Checker needs " + "; ".join(missing)
        if _in_ci():
            pytest.fail(reason + " (CI=true, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(reason)
    return java


def vnu_errors(documents: dict[str, str], *, java: str) -> dict[str, list[str]]:
    """Run vnu once over the documents ({name: html}); the errors of each document, by name."""
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{index:04d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        result = subprocess.run(  # noqa: S603 - a fixed command over files written here
            [java, "-Xss2m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", folder],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"vnu gave no JSON report: {result.stdout[:500]} {result.stderr[:2000]}") from error
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url)
        extract = " ".join((message.get("extract") or "").split())
        errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}\n        {extract}")
    return errors


def public_page_paths() -> list[tuple[str, str]]:
    """(language, path) of every live public page in both languages, with search, the 404 page and
    the routable sub-pages (month view, past events, funding overview) and the event listing filtered."""
    from wagtail.models import Page

    paths: list[tuple[str, str]] = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            pages = Page.objects.live().public().filter(locale__language_code=language, depth__gte=2).order_by("path")
            paths += [(language, page.url) for page in pages]
    for target in discover_targets():
        paths.append((target.language, target.path))
    for language, path in list(paths):
        if "/events/" in path or "/akce/" in path:
            paths.append((language, path + "?period=week&free=1&q=a"))
    return list(dict.fromkeys(paths))


@pytest.mark.django_db
def test_every_public_page_passes_the_nu_html_checker(client, demo_targets):
    java = _require_vnu()
    documents: dict[str, str] = {}
    for language, path in public_page_paths():
        response = client.get(path)
        if response.status_code >= 500:
            documents[f"{language} {path}"] = ""
            continue
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code in (301, 302):
            continue
        documents[f"{language} {path} (HTTP {response.status_code})"] = response.content.decode()
    assert not [name for name, html in documents.items() if not html], "pages that failed with HTTP 5xx"
    for language, _name in settings.LANGUAGES:
        assert sum(1 for name in documents if name.startswith(language + " ")) >= 10, documents.keys()

    errors = vnu_errors(documents, java=java)
    report = "\n".join(f"{name}:\n    " + "\n    ".join(problems) for name, problems in sorted(errors.items()))
    assert not errors, f"The Nu HTML Checker found errors on {len(errors)} of {len(documents)} pages:\n{report}"


def test_the_nu_html_checker_catches_an_empty_form_action():
    java = _require_vnu()
    page = '<!DOCTYPE html><html lang="cs"><head><title>t</title></head><body><form action=""></form></body></html>'
    errors = vnu_errors({"broken": page}, java=java)
    assert "broken" in errors
    assert any("action" in problem for problem in errors["broken"])
