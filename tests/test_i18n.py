"""Every UI string in the code and templates is translated into every language of the site.

The msgids in the code and templates are English, the source language, so English has no
catalogue. Every other language in settings.LANGUAGES keeps exactly one catalogue,
`locale/<lang>/LC_MESSAGES/django.po`, maintained with `manage.py makemessages -l <lang>`.
Django's makemessages (GNU xgettext underneath) extracts the messages once, from a temporary
copy of the sources, so no committed catalogue is touched; each django.po must then hold every
one of them translated (not fuzzy: a fuzzy entry is left out when compiled), with every plural
form of its language filled, and nothing the code no longer marks.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

from portal.compile_catalogues import compile_catalogue

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "node_modules", "locale", "media", "staticfiles", "__pycache__", ".pytest_cache", "tests"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
# The language of the msgids: the code and templates are written in English, so it has no catalogue.
SOURCE_LANGUAGE = "en"


def catalogue_languages() -> list[str]:
    """The configured languages that need a catalogue: all but the source language."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


CATALOGUE_LANGUAGES = catalogue_languages()


def catalogue_path(language: str) -> Path:
    """locale/<lang>/LC_MESSAGES/django.po; a clear failure when a configured language has none."""
    locale_name = to_locale(language)
    path = ROOT / "locale" / locale_name / "LC_MESSAGES" / "django.po"
    if not path.is_file():
        pytest.fail(
            f"The language {language!r} is in settings.LANGUAGES but has no catalogue"
            f" {path.relative_to(ROOT).as_posix()}: create it with `python manage.py makemessages -l {locale_name}`"
            f" and translate every message (only {SOURCE_LANGUAGE!r}, the language of the msgids, needs none).",
            pytrace=False,
        )
    return path


def nplurals(catalogue: polib.POFile, language: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    if match is None:
        pytest.fail(f"The {language!r} catalogue has no nplurals in its Plural-Forms header", pytrace=False)
    return int(match.group(1))


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
    """The messages of the current sources, as makemessages finds them.

    One run serves every language: the msgids do not depend on the language they are extracted for.
    """
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


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_extraction_finds_the_portal_messages(extracted):
    msgids = {entry.msgid for entry in extracted}
    # Strings from Python code, from a template and a plural: the extraction really ran.
    assert {"Skip to main content", "Page not found", "%(counter)s result"} <= msgids
    assert "The page number was not valid, so the first page is shown." in msgids
    assert len(msgids) > 50


def _catalogue(language: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """The active (not obsolete) entries of the language's django.po."""
    return {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(catalogue_path(language)))
        if not entry.obsolete
    }


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


# Counts that reach every plural form of the site's languages (Czech 1 / 2–4 / 5+, Ukrainian
# 1, 21 / 2–4, 22 / 0, 5–20, 111 …).
PLURAL_COUNTS = (0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111)


def _lookups(entry: polib.POEntry):
    """Every way the code can ask for this entry: (description, function of a compiled catalogue)."""
    if entry.msgid_plural:
        for n in PLURAL_COUNTS:
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


def test_the_catalogues_are_those_of_the_configured_languages():
    """Every configured language but English has its catalogue, and there is none for a language the site
    does not offer (nobody would see it) or for English (the msgids are the English text)."""
    assert CATALOGUE_LANGUAGES, "settings.LANGUAGES has no language besides English"
    for language in CATALOGUE_LANGUAGES:
        catalogue_path(language)
    on_disk = sorted(path.name for path in (ROOT / "locale").iterdir() if path.is_dir())
    assert on_disk == sorted(to_locale(language) for language in CATALOGUE_LANGUAGES), (
        f"locale/ holds catalogues for {on_disk}; settings.LANGUAGES needs exactly"
        f" {sorted(CATALOGUE_LANGUAGES)} (every configured language but {SOURCE_LANGUAGE!r})"
    )


def test_a_configured_language_without_a_catalogue_fails_clearly(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("pt-br", "Português")]
    assert "pt-br" in catalogue_languages()
    assert SOURCE_LANGUAGE not in catalogue_languages()
    with pytest.raises(pytest.fail.Exception) as failure:
        catalogue_path("pt-br")
    message = str(failure.value)
    assert "'pt-br' is in settings.LANGUAGES but has no catalogue locale/pt_BR/LC_MESSAGES/django.po" in message
    assert "makemessages -l pt_BR" in message


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


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_message_is_translated(extracted, language):
    catalogue = _catalogue(language)
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
        f"{len(untranslated)} messages have no {language!r} translation in {_relative(catalogue_path(language))}"
        f" (run `python manage.py makemessages -l {to_locale(language)}`, then translate):\n" + "\n".join(untranslated)
    )


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_catalogue_holds_only_what_the_code_marks(extracted, language):
    """django.po is kept in sync with the code: a message the code dropped is obsolete (#~), not active."""
    wanted = {(entry.msgctxt, entry.msgid) for entry in extracted}
    stale = [
        f"  {msgid!r}" + (f" (context {msgctxt!r})" if msgctxt else "")
        for (msgctxt, msgid) in _catalogue(language)
        if (msgctxt, msgid) not in wanted
    ]
    assert not stale, (
        f"{len(stale)} entries of {_relative(catalogue_path(language))} are no longer marked in the code"
        f" (run `python manage.py makemessages -l {to_locale(language)}`):\n" + "\n".join(stale)
    )


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_catalogue_passes_msgfmt_check(language):
    """GNU msgfmt, which compilemessages runs, accepts the catalogue: formats, header and domain."""
    _require_gettext("msgfmt")
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file", os.devnull, str(catalogue_path(language))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_translations_keep_the_placeholders_and_every_plural_form(extracted, language):
    """No placeholder the code does not pass, and a plural has every form the catalogue's header counts."""
    catalogue = _catalogue(language)
    forms = nplurals(polib.pofile(str(catalogue_path(language))), language)
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
        if entry.msgid_plural:
            filled = sorted(index for index, text in entry.msgstr_plural.items() if text.strip())
            if filled != list(range(forms)):
                problems.append(
                    f"  {entry.msgid!r}: the header says nplurals={forms}, so forms 0–{forms - 1} are needed;"
                    f" filled: {filled}"
                )
    assert not problems, f"{language!r} translations that would break or read wrongly:\n" + "\n".join(problems)


def _django_plural_forms(language: str) -> str:
    """Plural-Forms of Django's own catalogue for the language (django/conf/locale/<lang>)."""
    path = Path(django.__file__).parent / "conf" / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    if not path.is_file():
        pytest.fail(f"Django has no catalogue for {language!r} ({path}) to take the plural rule from", pytrace=False)
    return polib.pofile(str(path)).metadata.get("Plural-Forms", "")


def _rule(plural_forms: str) -> str:
    return "".join(plural_forms.split()).rstrip(";")


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_catalogue_header_uses_djangos_plural_rule(language):
    """The same Plural-Forms as Django's own catalogue for the language, which Wagtail's catalogues
    follow too: one count of forms and one rule for the language whichever catalogue a string comes
    from, so that Django can merge them (it keeps a catalogue with another rule apart)."""
    header = polib.pofile(str(catalogue_path(language))).metadata
    assert header.get("Language") == to_locale(language), header
    django_rule = _django_plural_forms(language)
    assert _rule(header.get("Plural-Forms", "")) == _rule(django_rule), (
        f"{_relative(catalogue_path(language))} has Plural-Forms {header.get('Plural-Forms')!r};"
        f" Django's own {language!r} catalogue has {django_rule!r}: use Django's, and fill every form"
    )


# What a visitor reads: pagination, a word with a context, and a count in every plural form.
SPOT_CHECKS = {
    "cs": {
        "next": "Další",
        "name": "jméno",
        "results": {1: "1 výsledek", 3: "3 výsledky", 5: "5 výsledků"},
    },
    "uk": {
        "next": "Наступна",
        "name": "ім’я",
        "results": {1: "1 результат", 3: "3 результати", 5: "5 результатів", 11: "11 результатів", 21: "21 результат"},
    },
}


@pytest.mark.parametrize("language", sorted(SPOT_CHECKS))
def test_compiling_without_gettext_gives_the_translations(tmp_path, language):
    """On a machine without msgfmt, `make messages` compiles with polib: the text, context and plurals."""
    expected = SPOT_CHECKS[language]
    compiled = _read_mo(compile_catalogue(catalogue_path(language), tmp_path / "django.mo"))
    assert compiled.pgettext("pagination", "Next") == expected["next"]
    assert compiled.pgettext("registrations", "name") == expected["name"]
    results = {
        n: compiled.ngettext("%(counter)s result", "%(counter)s results", n) % {"counter": n}
        for n in expected["results"]
    }
    assert results == expected["results"]


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


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_compiling_without_gettext_matches_msgfmt(tmp_path, language):
    """Both ways of compiling give a visitor the same text for every message and every count."""
    _require_gettext("msgfmt")
    source = catalogue_path(language)
    with_msgfmt = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(with_msgfmt), str(source)], check=True, timeout=60)
    gnu, polib_built = _read_mo(with_msgfmt), _read_mo(compile_catalogue(source, tmp_path / "polib.mo"))
    differences = [
        description
        for entry in _catalogue(language).values()
        for description, lookup in _lookups(entry)
        if lookup(gnu) != lookup(polib_built)
    ]
    assert not differences, "Compiled differently:\n  " + "\n  ".join(differences)
