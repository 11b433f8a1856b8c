"""Compile each language's catalogue without GNU gettext.

Every language keeps one catalogue, `locale/<lang>/LC_MESSAGES/django.po`,
maintained with `manage.py makemessages -l <lang>`, and Czech one more for the
admin's JavaScript strings, `djangojs.po` (see its header). `make messages` compiles it
with Django's `compilemessages` (GNU msgfmt) when msgfmt is installed; on a
machine with only Python it runs this module instead, which writes the same
`django.mo` with polib. Like msgfmt, it leaves fuzzy and obsolete entries out.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The `django.po` (and `djangojs.po`) of every language, in language order."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/django*.po"))


def compile_catalogue(source: Path, target: Path | None = None) -> Path:
    """Write `source` (a .po file) as a .mo file, by default beside it; return the .mo path."""
    target = target or source.with_suffix(".mo")
    polib.pofile(str(source)).save_as_mofile(str(target))
    return target


def main() -> int:
    sources = catalogues()
    for source in sources:
        compile_catalogue(source)
    print(f"compiled {len(sources)} catalogue(s) with polib (GNU msgfmt not found)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
