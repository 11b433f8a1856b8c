"""Compile the committed gettext catalogues to the .mo files Django reads.

Every `<name>.po` in a `locale/<lang>/LC_MESSAGES/` folder is merged into that
folder's `django.mo` (django.po first, then the others in name order; the
first translation of a message wins). Each area of the portal keeps its own
catalogue file, so their translations never collide. polib does the work, so
no GNU gettext is needed to build the portal.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogue_dirs() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def merged_catalogue(folder: Path) -> polib.POFile:
    sources = sorted(folder.glob("*.po"), key=lambda p: (p.name != "django.po", p.name))
    merged = polib.POFile()
    seen: set[tuple[str | None, str]] = set()
    for source in sources:
        catalogue = polib.pofile(str(source))
        if not merged.metadata:
            merged.metadata = dict(catalogue.metadata)
        for entry in catalogue.translated_entries():
            if "fuzzy" in entry.flags:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                continue
            seen.add(key)
            merged.append(entry)
    return merged


def main() -> int:
    folders = catalogue_dirs()
    for folder in folders:
        merged_catalogue(folder).save_as_mofile(str(folder / "django.mo"))
    print(f"compiled {len(folders)} catalogue folder(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
