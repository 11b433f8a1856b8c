"""Every UI string in the code and templates is translated into every language of the site.

The msgids in the code and templates are English, the source language, so English has no
catalogue. Every other language in settings.LANGUAGES keeps exactly one catalogue,
`locale/<lang>/LC_MESSAGES/django.po`, maintained with `manage.py makemessages -l <lang>`.
Django's makemessages (GNU xgettext underneath) extracts the messages once, from a temporary
copy of the sources, so no committed catalogue is touched; each django.po must then hold every
one of them translated (not fuzzy: a fuzzy entry is left out when compiled), with every plural
form of its language filled, and nothing the code no longer marks.

The last tests render the demo site in each of those languages and look in the page chrome for
a message left untranslated: its English source text, or the default language's translation that
Django falls back to.
"""

import dataclasses
import gettext
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import django
import html5lib
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
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


# --------------------------------------------------------------------------------------
# The rendered site: the page chrome is in the page's language
# --------------------------------------------------------------------------------------

HTML_TAG = re.compile(r"<[^>]+>")
ANY_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
WORD = re.compile(r"[^\W\d_]{2,}")
# What a Wagtail page's editors wrote: its title (h1), summary or introduction (.lead) and body
# (.stream). Everything else a page shows comes from the templates and the code: the header, the
# navigation, the footer, headings and labels, form fields, buttons, notes and counts.
PAGE_CONTENT_TAGS = frozenset({"h1", "title"})  # the page's title, in the page and the tab
PAGE_CONTENT_CLASSES = frozenset({"lead", "stream"})
NOT_TEXT = frozenset({"script", "style", "template", "noscript"})
UI_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})


def _normalised(text: str) -> str:
    return " ".join(text.split())


@dataclasses.dataclass(frozen=True)
class Telltale:
    """Text that gives a message away as untranslated, as a page shows it, and where the code uses it."""

    pattern: re.Pattern
    where: str
    # A placeholder at the start or the end: the value next to the text there may be any word.
    value_before: bool = False
    value_after: bool = False


def _telltale(text: str, translations: list[str], where: str) -> Telltale | None:
    """The pattern of `text` (placeholders match any value), or None when it can't give anything away:
    it has no word, or the translation keeps it (a name such as OpenStreetMap)."""
    parts = ANY_PLACEHOLDER.split(text)
    value_before, value_after = not parts[0].strip(), not parts[-1].strip()
    parts = parts[1:] if value_before else parts
    parts = parts[:-1] if value_after else parts
    if not parts or not WORD.search("".join(parts)):
        return None
    parts[0] = parts[0].lstrip()
    parts[-1] = parts[-1].rstrip()
    if all(any(part.strip() in translation for translation in translations) for part in parts):
        return None
    body = ".{1,80}?".join(re.escape(part) for part in parts)
    return Telltale(re.compile(rf"(?<![\w-]){body}(?![\w-])"), where, value_before, value_after)


def telltales(language: str) -> dict[str, Telltale]:
    """What a visitor would see of each message of the language's catalogue if it were not translated:
    {text: Telltale}.

    That is the English source text and, in a language other than the default, the default language's
    translation, which Django falls back to (a Ukrainian page would show the Czech). HTML tags in a
    message are left out, as in the page's text.
    """
    fallback = {} if language == settings.LANGUAGE_CODE else _catalogue(settings.LANGUAGE_CODE)
    found: dict[str, Telltale] = {}
    for key, entry in _catalogue(language).items():
        # An entry not translated yet (or fuzzy) is looked for all the same.
        translations = [_normalised(HTML_TAG.sub(" ", text)) for text in _translations(entry) if text.strip()]
        texts = [entry.msgid, entry.msgid_plural or ""]
        if key in fallback:
            texts += _translations(fallback[key])
        for text in (_normalised(HTML_TAG.sub(" ", text)) for text in texts if text.strip()):
            if text not in found and (telltale := _telltale(text, translations, _where(entry))):
                found[text] = telltale
    return found


def chrome_texts(html: str, *, page: bool) -> list[str]:
    """The text of the page chrome in the page's own language: each run of text, each UI attribute
    (aria-label, title, placeholder, alt) and each button's value.

    Left out: whatever is marked as another language (the language switcher's names, a page shown
    in its original language) and, on a Wagtail page (`page`), what its editors wrote; a view that
    is not a page (search, the 404 page, registration) has only template text, its title included.
    """
    root = html5lib.parse(html, namespaceHTMLElements=False)
    language = (root.get("lang") or "").split("-")[0]
    texts: list[str] = []

    def visit(element, inherited: str) -> None:
        own = (element.get("lang") or inherited).split("-")[0]
        classes = set((element.get("class") or "").split())
        if own != language or element.tag in NOT_TEXT:
            return
        if page and (element.tag in PAGE_CONTENT_TAGS or classes & PAGE_CONTENT_CLASSES):
            return
        texts.extend(element.get(name) for name in UI_ATTRIBUTES if element.get(name))
        if element.tag == "input" and element.get("type") in BUTTON_INPUTS and element.get("value"):
            texts.append(element.get("value"))
        if element.text:
            texts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                visit(child, own)
            if child.tail:
                texts.append(child.tail)

    visit(root, language)
    return [text for text in map(_normalised, texts) if text]


def _latin_letter(character: str) -> bool:
    return unicodedata.name(character, "").startswith("LATIN")


def untranslated_in(html: str, looked_for: dict[str, Telltale], *, page: bool) -> dict[str, str]:
    """The telltales in the page chrome: {text: "'text' in 'where on the page'  ← where in the code"}.

    A text counts where it stands on its own: one that runs on into more words in Latin script is
    part of a name or of a longer text (the funder "Active Citizens Fund" is not the message "Active"),
    unless a placeholder's value goes there ("Registration: Parents' café").
    """
    found: dict[str, str] = {}
    for text in chrome_texts(html, page=page):
        for name, telltale in looked_for.items():
            if name in found:
                continue
            for match in telltale.pattern.finditer(text):
                before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
                if not telltale.value_before and before and _latin_letter(before[-1]):
                    continue
                if not telltale.value_after and after and _latin_letter(after[0]):
                    continue
                found[name] = f"{name!r} in {text[:100]!r}  ← {telltale.where}"
                break
    return found


def test_the_chrome_check_finds_untranslated_text_and_leaves_content_and_other_languages_alone():
    found = {
        text: Telltale(re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])"), "code")
        for text in ("Opening hours", "Main menu", "Send", "Phone", "Active", "Otevírací doba")
    }
    page = (
        '<!DOCTYPE html><html lang="uk"><head><title>Opening hours</title></head><body>'
        '<nav aria-label="Main menu"><a lang="en" href="/en/">Opening hours</a></nav>'
        '<main><h1>Opening hours</h1><div class="lead"><p>Send</p></div><label>Phone</label>'
        '<img src="/logo.png" alt="Active Citizens Fund (логотип)"><div lang="cs"><p>Otevírací doba</p></div></main>'
        '<footer><h2>Otevírací doba</h2><input type="submit" value="Send"></footer></body></html>'
    )
    assert sorted(untranslated_in(page, found, page=True)) == ["Main menu", "Otevírací doba", "Phone", "Send"]
    assert untranslated_in(page, found, page=True)["Phone"] == "'Phone' in 'Phone'  ← code"
    # A view (search, 404, registration) has no editors' content: its title and headings are chrome.
    assert "Opening hours" in untranslated_in(page, found, page=False)
    translated = (
        page.replace("Main menu", "Головне меню")
        .replace(">Phone<", ">Телефон<")
        .replace('value="Send"', 'value="Надіслати"')
        .replace("<h2>Otevírací doba", "<h2>Години роботи")
    )
    assert untranslated_in(translated, found, page=True) == {}


def test_the_telltales_are_the_source_text_and_the_default_languages_translation():
    ukrainian, czech = telltales("uk"), telltales("cs")
    assert {"Skip to main content", "Opening hours", "%(counter)s result", "Page %(number)s of %(total)s"} <= set(
        ukrainian
    )
    paging = ukrainian["Page %(number)s of %(total)s"]
    assert paging.pattern.search("Page 1 of 4") and not paging.pattern.search("Сторінка 1 з 4")
    assert "templates/includes/pagination.html" in paging.where
    assert (paging.value_before, paging.value_after) == (False, True)
    assert ukrainian["%(counter)s result"].pattern.search("1 result") and ukrainian["%(counter)s result"].value_before
    # Django shows the default language's translation where Ukrainian has none: Czech gives it away too.
    assert {"Otevírací doba", "%(counter)s výsledků"} <= set(ukrainian)
    assert ukrainian["%(counter)s výsledků"].pattern.search("5 výsledků")
    assert "Otevírací doba" not in czech and "Opening hours" in czech
    # The Ukrainian keeps "CSV" and the Czech "IČO" ("Ідентифікаційний номер (IČO)"); "%(count)s×" has no word.
    assert not {"CSV", "IČO", "%(count)s×"} & set(ukrainian)
    found = untranslated_in(
        '<html lang="uk"><body><h1>Registration: Parents’ café</h1><p>5 results</p></body></html>',
        ukrainian,
        page=False,
    )
    assert {"Registration: %(event)s", "%(counter)s results"} <= set(found)


# The demo's parents' café (/cs/akce/kavarna-pro-rodice/, /uk/zakhody/kaviarnia-dlia-batkiv/): an
# activity in every language, booked per date.
DEMO_EVENT = "kavarna-pro-rodice"


@dataclasses.dataclass(frozen=True)
class Visited:
    label: str
    path: str
    html: str
    page: bool  # a Wagtail page (with its editors' content) rather than a view


def _find(html: str, path: str):
    return html5lib.parse(html, namespaceHTMLElements=False).find(path)


def visit_the_site(client, language: str, *, email: str) -> list[Visited]:
    """The home page, the events index, an event, the contact page, search results and the 404 page in
    `language`, and the event's registration: the form with errors, the status page and the cancellation."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Locale

    from events.models import EventPage
    from website.models import ContactPage

    locale = Locale.objects.get(language_code=language)
    event = EventPage.objects.get(locale__language_code=settings.LANGUAGE_CODE, slug=DEMO_EVENT).get_translation(locale)
    contact = ContactPage.objects.live().filter(locale=locale).first()
    assert contact is not None, f"the demo has no contact page in {language!r}"
    with translation.override(language):
        pages = {
            "home page": event.get_ancestors().get(depth=2).url,
            "events index": event.get_parent().url,
            "event": event.url,
            "contact page": contact.url,
        }
        search = f"{reverse('search')}?{urlencode({'q': event.title.split()[-1]})}"
    visited = []

    def get(label: str, path: str, *, status: int = 200, page: bool = False) -> str:
        response = client.get(path)
        assert response.status_code == status, f"{label} {path}: HTTP {response.status_code}, expected {status}"
        visited.append(Visited(label, path, response.content.decode(), page))
        return visited[-1].html

    html = {label: get(label, path, page=True) for label, path in pages.items()}
    assert event.url in get("search results", search), f"searching {search} does not find {event.url}"
    get("404 page", f"/{language}/this-page-does-not-exist/", status=404)

    form = _find(html["event"], ".//form[@class='registration-form']")
    assert form is not None, f"{event.url} has no registration form"
    radio = form.find(".//input[@type='radio']")
    assert radio is not None, f"{event.url} has no date open for registration"
    action, date = form.get("action"), radio.get("value")
    response = client.post(action, {})
    assert response.status_code == 400, f"an empty registration: HTTP {response.status_code}, expected 400"
    visited.append(Visited("registration with errors", action, response.content.decode(), False))
    data = {"date": date, "name": "Olena Test", "email": email, "seats": "1", "consent": "on", "website": ""}
    response = client.post(action, data)
    assert response.status_code == 302, f"a registration for {date}: HTTP {response.status_code}, expected 302"
    status = get("registration status", response["Location"])
    cancel = next(
        (
            link.get("href")
            for link in html5lib.parse(status, namespaceHTMLElements=False).iter("a")
            if "/registrations/cancel/" in (link.get("href") or "")
        ),
        None,
    )
    assert cancel, "the registration status page has no cancellation link"
    get("registration cancellation", cancel)
    return visited


# On the English site the chrome is the source text itself: the check must find it there, in every
# part of every page visited, or it would pass whatever the other languages show.
ON_EVERY_PAGE = {"Skip to main content", "Search", "Main menu", "Opening hours", "Privacy notice"}
ON_THE_PAGE = {
    "home page": {"Coming up", "Visit us"},
    "events index": {"Filter events", "All categories", "Show events", "Page %(number)s of %(total)s"},
    "event": {
        "Practical information",
        "Choose a date",
        "Your name",
        "Register",
        "%(free)s of %(capacity)s places left",
    },
    "contact page": {"Write to us", "Send"},
    "search results": {"What are you looking for?", "%(counter)s result"},
    "404 page": {"Page not found", "Sorry, this page does not exist or has moved."},
    "registration with errors": {"Registration: %(event)s", "Please correct the marked fields."},
    "registration status": {"What happens next", "Cancel the registration"},
    "registration cancellation": {"Yes, cancel the registration"},
}


@pytest.mark.django_db
def test_the_rendered_site_shows_no_untranslated_text_in_its_chrome(client, settings):
    """In every language with a catalogue, the demo's home page, events index, an event, the contact page,
    search results, the 404 page and the event's registration (the form with errors, the status page, the
    cancellation) show no message untranslated in their header, navigation, footer, headings, labels,
    buttons and notes: neither its English source text nor the default language's translation Django
    falls back to (Czech on a Ukrainian page)."""
    call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
    settings.REGISTRATION_RATE_LIMIT = (1000, 600)  # two registration posts per language, all from one address
    english = visit_the_site(client, SOURCE_LANGUAGE, email="english@example.com")
    assert [visited.label for visited in english] == list(ON_THE_PAGE)
    untranslated = []
    for language in CATALOGUE_LANGUAGES:
        given_away = telltales(language)
        for visited in english:
            seen = untranslated_in(visited.html, given_away, page=visited.page)
            missed = (ON_EVERY_PAGE | ON_THE_PAGE[visited.label]) - set(seen)
            assert not missed, f"the check does not see {sorted(missed)} on the English {visited.label} {visited.path}"
        for visited in visit_the_site(client, language, email=f"{language}@example.com"):
            if found := untranslated_in(visited.html, given_away, page=visited.page):
                untranslated.append(f"{language} {visited.label} {visited.path}:\n    " + "\n    ".join(found.values()))
    assert not untranslated, (
        "Untranslated text in the page chrome (translate the message in the language's django.po, or the"
        " page's content where an editor wrote it):\n" + "\n".join(untranslated)
    )
