"""The evidence pack: one zip per project and reporting period, to attach to a progress report.

It holds a PDF summary (summary.py: the project's facts, its obligations and
their status, the evidence, the check history in the period and the rules'
sources), the evidence files, each checked page as a self-contained HTML file
with its screenshots, every rule result as CSV, and a manifest with the
SHA-256 of every file (`sha256sum -c MANIFEST.sha256` verifies the unpacked
pack). What it holds is read in contents.py. Read only: it packs what is stored.
"""

import datetime
import io
import zipfile

from projects.models import ProjectPage
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


def evidence_pack(
    *,
    project: ProjectPage,
    start: datetime.date,
    end: datetime.date,
    language: str,
    include_participant_files: bool = False,
) -> bytes:
    """The zip for `project` and the period `start`–`end` (both days included), worded in `language`.

    Call it with `language` active (the PDF's dates and labels follow the active language).
    """
    contents = collect_pack(project=project, start=start, end=end, include_participant_files=include_participant_files)
    files = [
        PackedFile(SUMMARY, summary_pdf(contents, language=language)),
        PackedFile(CHECKS_CSV, checks_csv(contents.checks, language=language)),
        *contents.files,
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.writestr(item.name, item.content)
        archive.writestr(MANIFEST, manifest(files))
    return buffer.getvalue()


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
