"""Every UI string in the code and templates has a Czech translation in the one Czech catalogue.

Each language keeps exactly one catalogue, `locale/<lang>/LC_MESSAGES/django.po`,
maintained with `manage.py makemessages -l <lang>`. Django's makemessages (GNU
xgettext underneath) extracts the messages from a temporary copy of the sources,
so the committed catalogue is never touched; django.po must then hold every one of
them translated (not fuzzy: a fuzzy entry is left out when compiled), and nothing
the code no longer marks.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from portal.compile_catalogues import compile_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "cs" / "LC_MESSAGES" / "django.po"
SKIP_DIRS = {".git", ".venv", "node_modules", "locale", "media", "staticfiles", "__pycache__", ".pytest_cache", "tests"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
CZECH_PLURALS = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"


def _require_gettext(program: str) -> None:
    if shutil.which(program):
        return
    reason = f"this check needs GNU gettext's {program} (apt-get install gettext, or run .ci/e2e-deps)"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {name for name in names if name in SKIP_DIRS or name.endswith((".sqlite3", ".pyc", ".mo", ".po"))}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The messages of the current sources, as makemessages finds them."""
    _require_gettext("xgettext")
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


def _catalogue() -> dict[tuple[str | None, str], polib.POEntry]:
    """The active (not obsolete) entries of django.po."""
    return {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}


def _po_files() -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [
            name for name in dirnames if name not in SKIP_DIRS - {"locale", "tests"} and not name.startswith(".")
        ]
        found.extend(Path(dirpath) / name for name in filenames if name.endswith(".po"))
    return found


def _read_mo(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def _lookups(entry: polib.POEntry):
    """Every way the code can ask for this entry: (description, function of a compiled catalogue)."""
    if entry.msgid_plural:
        for n in (1, 3, 5):
            if entry.msgctxt:
                yield (
                    f"{entry.msgid!r} n={n}",
                    lambda t, n=n: t.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n),
                )
            else:
                yield f"{entry.msgid!r} n={n}", lambda t, n=n: t.ngettext(entry.msgid, entry.msgid_plural, n)
    elif entry.msgctxt:
        yield repr(entry.msgid), lambda t: t.pgettext(entry.msgctxt, entry.msgid)
    else:
        yield repr(entry.msgid), lambda t: t.gettext(entry.msgid)


def test_each_language_keeps_one_catalogue():
    """One .po file per language, django.po: a second file would be compiled by nobody, or merged behind its back.

    The one exception is Czech's djangojs.po, the JavaScript domain, which Django keeps apart.
    """
    languages = sorted(path.name for path in (ROOT / "locale").iterdir() if path.is_dir())
    assert "cs" in languages
    found = sorted(path.relative_to(ROOT).as_posix() for path in _po_files())
    expected = sorted([f"locale/{language}/LC_MESSAGES/django.po" for language in languages] + [JS_CATALOGUE_PATH])
    assert found == expected, (
        "Each language keeps exactly one catalogue, locale/<lang>/LC_MESSAGES/django.po; found:\n  "
        + "\n  ".join(found)
    )


JS_CATALOGUE_PATH = "locale/cs/LC_MESSAGES/djangojs.po"


def test_the_admin_javascript_strings_are_czech_and_still_used(admin_client):
    """Every entry of djangojs.po is a string Wagtail's or wagtail-localize's JavaScript still uses,
    and the admin's JavaScript catalogues serve them in Czech."""
    import wagtail
    import wagtail_localize

    used = set()
    for package in (wagtail, wagtail_localize):
        english = Path(package.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
        if not english.exists():
            english = Path(package.__file__).parent / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
        used |= {entry.msgid for entry in polib.pofile(str(english))}
    ours = [entry for entry in polib.pofile(str(ROOT / JS_CATALOGUE_PATH)) if not entry.obsolete]
    assert ours and all(entry.translated() for entry in ours)
    assert sorted(entry.msgid for entry in ours if entry.msgid not in used) == []

    wagtail_js = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert "Sbalit v\\u0161e" in wagtail_js or "Sbalit vše" in wagtail_js
    assert "Hlavn\\u00ed nab\\u00eddka" in wagtail_js or "Hlavní nabídka" in wagtail_js


def test_every_message_has_a_czech_translation(extracted):
    catalogue = _catalogue()
    untranslated = []
    for entry in extracted:
        translated = catalogue.get((entry.msgctxt, entry.msgid))
        if translated is None:
            problem = "missing"
        elif translated.fuzzy:
            problem = "fuzzy (not used until the translation is checked and the mark removed)"
        elif translated.msgid_plural != entry.msgid_plural:
            problem = f"plural is {translated.msgid_plural!r} in django.po"
        elif not all(text.strip() for text in _translations(translated)):
            problem = "untranslated"
        else:
            continue
        context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
        untranslated.append(f"  {entry.msgid!r}{context}: {problem}  ← {_where(entry)}")
    assert not untranslated, (
        f"{len(untranslated)} messages have no Czech translation in {CATALOGUE.relative_to(ROOT)}"
        " (run `python manage.py makemessages -l cs`, then translate):\n" + "\n".join(untranslated)
    )


def test_catalogue_holds_only_what_the_code_marks(extracted):
    """django.po is kept in sync with the code: a message the code dropped is obsolete (#~), not active."""
    wanted = {(entry.msgctxt, entry.msgid) for entry in extracted}
    stale = [
        f"  {msgid!r}" + (f" (context {msgctxt!r})" if msgctxt else "")
        for (msgctxt, msgid) in _catalogue()
        if (msgctxt, msgid) not in wanted
    ]
    assert not stale, (
        f"{len(stale)} entries of {CATALOGUE.relative_to(ROOT)} are no longer marked in the code"
        " (run `python manage.py makemessages -l cs`):\n" + "\n".join(stale)
    )


def test_catalogue_passes_msgfmt_check():
    """GNU msgfmt, which compilemessages runs, accepts the catalogue: formats, header and domain."""
    _require_gettext("msgfmt")
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file", os.devnull, str(CATALOGUE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_translations_keep_the_placeholders_and_czech_plurals(extracted):
    catalogue = _catalogue()
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
    header = polib.pofile(str(CATALOGUE)).metadata
    assert header.get("Language") == "cs"
    assert header.get("Plural-Forms", "").replace(" ", "") == CZECH_PLURALS.replace(" ", ""), header


def test_compiling_without_gettext_gives_the_translations(tmp_path):
    """On a machine without msgfmt, `make messages` compiles with polib: Czech text, context and plurals."""
    czech = _read_mo(compile_catalogue(CATALOGUE, tmp_path / "django.mo"))
    assert czech.pgettext("pagination", "Next") == "Další"
    assert czech.pgettext("registrations", "name") == "jméno"
    assert [czech.ngettext("%(counter)s result", "%(counter)s results", n) % {"counter": n} for n in (1, 3, 5)] == [
        "1 výsledek",
        "3 výsledky",
        "5 výsledků",
    ]


def test_compiling_without_gettext_leaves_fuzzy_entries_out(tmp_path):
    source = tmp_path / "django.po"
    source.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Checked"\nmsgstr "Zkontrolováno"\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "Odhadnuto"\n',
        encoding="utf-8",
    )
    compiled = _read_mo(compile_catalogue(source))
    assert compiled.gettext("Checked") == "Zkontrolováno"
    assert compiled.gettext("Guessed") == "Guessed"


def test_compiling_without_gettext_matches_msgfmt(tmp_path):
    """Both ways of compiling give a visitor the same text for every message."""
    _require_gettext("msgfmt")
    with_msgfmt = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(with_msgfmt), str(CATALOGUE)], check=True, timeout=60)
    gnu, polib_built = _read_mo(with_msgfmt), _read_mo(compile_catalogue(CATALOGUE, tmp_path / "polib.mo"))
    differences = [
        description
        for entry in _catalogue().values()
        for description, lookup in _lookups(entry)
        if lookup(gnu) != lookup(polib_built)
    ]
    assert not differences, "Compiled differently:\n  " + "\n  ".join(differences)
