"""The evidence pack: one zip per project and reporting period, to attach to a progress report.

It holds a PDF summary (summary.py: the project's facts, its obligations and
their status, the evidence, the check history in the period and the rules'
sources), the evidence files, each checked page as a self-contained HTML file
with its screenshots, every rule result as CSV, and a manifest with the
SHA-256 of every file (`sha256sum -c MANIFEST.sha256` verifies the unpacked
pack). What it holds is read in contents.py. Read only: it packs what is stored.
"""

import datetime
import tempfile
import zipfile
from typing import IO

from projects.models import ProjectPage
from projects.publicity.evidence import sha256
from projects.publicity.pack.contents import (
    CHECKS_CSV,
    EARLIEST_DAY,
    LATEST_DAY,
    MANIFEST,
    SUMMARY,
    PackedFile,
    checks_csv,
    collect_pack,
    manifest,
    pack_filename,
    period_bounds,
)
from projects.publicity.pack.summary import summary_pdf

# Up to this size the zip is built in memory, beyond it in a temporary file.
SPOOL_IN_MEMORY = 16 * 1024 * 1024


def evidence_pack(
    *,
    project: ProjectPage,
    start: datetime.date,
    end: datetime.date,
    language: str,
    include_participant_files: bool = False,
) -> IO[bytes]:
    """The zip for `project` and the period `start`–`end` (both days included), worded in `language`.

    Call it with `language` active (the PDF's dates and labels follow the active language). The zip is
    written to a temporary file (in memory while small), one packed file at a time, and returned at its
    start; the caller closes it. A file missing from the media storage is left out (the manifest lists
    what is packed).
    """
    contents = collect_pack(project=project, start=start, end=end, include_participant_files=include_participant_files)
    summary = summary_pdf(contents, language=language)
    table = checks_csv(contents.checks, language=language)
    files = [
        PackedFile(SUMMARY, lambda: summary),
        PackedFile(CHECKS_CSV, lambda: table),
        *contents.files,
    ]
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - the caller closes it
    packed: list[tuple[str, str]] = []
    with zipfile.ZipFile(spooled, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            content = item.load()
            if content is None:
                continue
            archive.writestr(item.name, content)
            packed.append((item.name, sha256(content)))
            del content
        archive.writestr(MANIFEST, manifest(packed))
    spooled.seek(0)
    return spooled


__all__ = [
    "CHECKS_CSV",
    "EARLIEST_DAY",
    "LATEST_DAY",
    "MANIFEST",
    "SUMMARY",
    "evidence_pack",
    "pack_filename",
    "period_bounds",
]
