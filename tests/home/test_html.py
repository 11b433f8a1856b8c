"""Every kind of page, in both languages, is valid HTML5 with one h1, landmarks and ordered headings.

html5lib parses each page the way the HTML standard says browsers do and
reports every parse error. The pages come from the demo content, one live page
per page type and language, plus search, the 404 page and routable sub-pages.
"""

from collections import Counter

import html5lib
import pytest
from django.core.management import call_command

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
    for language in ("cs", "en"):
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
    assert checked >= 2 * 5, f"only {checked} HTML pages checked"
    assert not failures, "HTML problems:\n" + "\n".join(failures)


def test_the_checks_catch_broken_html():
    broken = "<!DOCTYPE html><html lang='cs'><body><p><div></p><h1>a</h1><h1>b</h1><h4 id=x>c</h4><i id=x></body>"
    assert parse_errors(broken)
    problems = structure_problems(broken)
    assert "2 h1 elements, expected exactly one" in problems
    assert any("h1 then h4" in problem for problem in problems)
    assert "id “x” is used 2 times" in problems
    assert "no <main> (main landmark)" in problems
