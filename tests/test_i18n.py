"""Every UI string in the code and templates has a Czech translation in the committed catalogues.

Django's makemessages (GNU xgettext underneath) extracts the messages from a
temporary copy of the sources, so the committed catalogue is never touched;
each message must then be translated in the merged catalogue that
`python -m portal.compile_catalogues` compiles (django.po plus every area's fragment).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from portal.compile_catalogues import merged_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_DIR = ROOT / "locale" / "cs" / "LC_MESSAGES"
SKIP_DIRS = {".git", ".venv", "node_modules", "locale", "media", "staticfiles", "__pycache__", ".pytest_cache", "tests"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
CZECH_PLURALS = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"


def _require_xgettext() -> None:
    if shutil.which("xgettext"):
        return
    reason = "extracting messages needs GNU gettext's xgettext (apt-get install gettext, or run .ci/e2e-deps)"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {name for name in names if name in SKIP_DIRS or name.endswith((".sqlite3", ".pyc", ".mo", ".po"))}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The messages of the current sources, as makemessages finds them."""
    _require_xgettext()
    copy = tmp_path_factory.mktemp("sources") / "portal"
    shutil.copytree(ROOT, copy, ignore=_ignore, symlinks=True)
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(copy)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "cs", "--no-obsolete", "--no-wrap"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return polib.pofile(str(copy / "locale" / "cs" / "LC_MESSAGES" / "django.po"))


def _where(entry: polib.POEntry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3]) or "?"


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _placeholders(text: str) -> set[str]:
    return {match.group(1) or match.group(2) or "" for match in PLACEHOLDER.finditer(text)}


def test_extraction_finds_the_portal_messages(extracted):
    msgids = {entry.msgid for entry in extracted}
    # Strings from Python code, from a template and a plural: the extraction really ran.
    assert {"Skip to main content", "Page not found", "%(counter)s result"} <= msgids
    assert "The page number was not valid, so the first page is shown." in msgids
    assert len(msgids) > 50


def test_every_message_has_a_czech_translation(extracted):
    catalogue = {(entry.msgctxt, entry.msgid): entry for entry in merged_catalogue(CATALOGUE_DIR)}
    untranslated = []
    for entry in extracted:
        translated = catalogue.get((entry.msgctxt, entry.msgid))
        if translated is None or not all(text.strip() for text in _translations(translated)):
            context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
            untranslated.append(f"  {entry.msgid!r}{context}  ← {_where(entry)}")
    assert not untranslated, (
        f"{len(untranslated)} messages have no Czech translation in locale/cs/LC_MESSAGES/*.po:\n"
        + "\n".join(untranslated)
    )


def test_translations_keep_the_placeholders_and_czech_plurals(extracted):
    catalogue = {(entry.msgctxt, entry.msgid): entry for entry in merged_catalogue(CATALOGUE_DIR)}
    wanted = {(entry.msgctxt, entry.msgid) for entry in extracted}
    problems = []
    for key, entry in catalogue.items():
        if key not in wanted:
            continue
        expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
        for text in _translations(entry):
            found = _placeholders(text)
            # A translation may leave a value out (Czech greets without declining the name, "jeden
            # výsledek" needs no number), but a name the code does not pass breaks the page.
            if found - expected:
                problems.append(
                    f"  {entry.msgid!r}: {text!r} has placeholders {sorted(found)}, expected {sorted(expected)}"
                )
        if entry.msgid_plural and not all(entry.msgstr_plural.get(form, "").strip() for form in range(3)):
            problems.append(f"  {entry.msgid!r}: Czech needs three plural forms (1, 2–4, 5+)")
    assert not problems, "Translations that would break or read wrongly:\n" + "\n".join(problems)


def test_catalogue_header_uses_czech_plural_rules():
    """The merged catalogue takes its header, and so its plural rule, from django.po."""
    header = merged_catalogue(CATALOGUE_DIR).metadata
    assert header.get("Language") == "cs"
    assert header.get("Plural-Forms", "").replace(" ", "") == CZECH_PLURALS.replace(" ", ""), header
