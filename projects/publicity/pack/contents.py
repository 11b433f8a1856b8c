"""What the evidence pack holds: one zip per project and reporting period, to attach to a progress report.

It holds a PDF summary (the project's facts, its obligations and their status,
the evidence, the check history in the period and the rules' sources), the
evidence files, each checked page as a self-contained HTML file with its
screenshots, every rule result as CSV, and a manifest with the SHA-256 of every
file (`sha256sum -c MANIFEST.sha256` verifies it).

Read only: it packs what is stored.
"""

import csv
import datetime
import functools
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from projects.models import (
    FundingProgramme,
    Obligation,
    ObligationEvidence,
    ObligationKind,
    ProjectPage,
    PublicityCheck,
    PublicityScreenshot,
    PublicitySnapshot,
)
from projects.publicity.evidence import sha256
from projects.publicity.report import Outcome, outcome_of
from projects.publicity.rules import RULE_LIST, RULES

MANIFEST = "MANIFEST.sha256"
SUMMARY = "summary.pdf"
CHECKS_CSV = "checks.csv"

# Earliest and latest day a reporting period may name (a day past the end must still be a date).
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as moments: from the start of its first day to the start of the day after its last."""
    return day_start(start), day_start(end + datetime.timedelta(days=1))


@dataclass
class PackedFile:
    """A file of the pack: where it is in the zip, how to read it (only when it is written, one file at a
    time), and the SHA-256 stored for it (the summary lists it; the manifest has that of the bytes packed)."""

    name: str
    load: Callable[[], bytes | None]
    stored_sha256: str = ""


@dataclass
class EvidenceItem:
    """One piece of an obligation's evidence, with its file's place in the pack when it has one."""

    evidence: ObligationEvidence
    obligation: Obligation
    file_name: str = ""  # in the zip; empty for a link, a missing file or a withheld one
    file_sha256: str = ""
    withheld: bool = False  # may hold participants' personal data, and the reader may not see it
    missing: bool = False  # the stored file is gone from the media storage

    @property
    def stored_sha256_differs(self) -> bool:
        stored = self.evidence.sha256
        return bool(stored and self.file_sha256 and stored != self.file_sha256)

    @property
    def original_name(self) -> str:
        return PurePosixPath(self.evidence.file.name).name if self.evidence.file else ""


@dataclass
class HistoryRow:
    """Consecutive checks of one rule on one page at one viewport that had the same result."""

    page_title: str
    locale: str
    viewport: str
    rule: str
    label: str
    outcome: str  # "pass", "fail", "warning", "not_in_force"
    source: str
    browser: bool
    first: datetime.datetime
    last: datetime.datetime
    count: int = 1


@dataclass
class PackContents:
    """What the pack holds, read from the database once."""

    project: ProjectPage
    programmes: list[FundingProgramme]
    start: datetime.date
    end: datetime.date
    made_at: datetime.datetime
    obligations: list[Obligation]
    evidence: list[EvidenceItem]
    snapshots: list[PublicitySnapshot]
    files: list[PackedFile] = field(default_factory=list)  # the pages and screenshots, then the evidence

    @property
    def checks(self) -> list[PublicityCheck]:
        return [check for snapshot in self.snapshots for check in snapshot.checks.all()]


def project_obligations(project: ProjectPage) -> list[Obligation]:
    """The project's obligations (kept on its page in the default language), each with its status today."""
    return list(
        Obligation.objects.filter(project__translation_key=project.translation_key)
        .with_status()
        .order_by("due_date", "kind")
        .prefetch_related(Prefetch("evidence", queryset=ObligationEvidence.objects.order_by("taken_on", "pk")))
    )


def snapshots_in_period(project: ProjectPage, start: datetime.date, end: datetime.date) -> list[PublicitySnapshot]:
    """Every stored check of the project's pages (in every language, its events' pages too) in the period."""
    since, until = period_bounds(start, end)
    return list(
        PublicitySnapshot.objects.filter(
            project__translation_key=project.translation_key, checked_at__gte=since, checked_at__lt=until
        )
        .order_by("checked_at", "pk")
        .defer("html", "standalone_html")  # read one page at a time, when it is packed
        .prefetch_related(
            Prefetch("checks", queryset=PublicityCheck.objects.order_by("rule", "viewport", "pk")),
            Prefetch("screenshots", queryset=PublicityScreenshot.objects.order_by("viewport")),
        )
    )


def _read(field_file) -> bytes | None:
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _file_sha256(field_file) -> str | None:
    """The SHA-256 of a stored file, read in chunks; None when it is missing."""
    digest = hashlib.sha256()
    try:
        with field_file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return digest.hexdigest()


def snapshot_base(snapshot: PublicitySnapshot) -> str:
    stamp = timezone.localtime(snapshot.checked_at)
    return f"{stamp:%Y-%m-%d-%H%M}-{slugify(snapshot.page_title)[:60] or 'page'}-{snapshot.locale}-{snapshot.pk}"


EMPTY_SHA256 = sha256(b"")


def _page_html(snapshot_id: int) -> bytes | None:
    html, standalone = PublicitySnapshot.objects.filter(pk=snapshot_id).values_list("html", "standalone_html").get()
    return (standalone or html).encode("utf-8") if (standalone or html) else None


def snapshot_files(snapshot: PublicitySnapshot) -> list[PackedFile]:
    """The page as one self-contained HTML file (as published when it has none), and its screenshots."""
    base = snapshot_base(snapshot)
    page_sha256 = snapshot.standalone_sha256 or snapshot.html_sha256
    files = []
    if page_sha256 != EMPTY_SHA256:
        files.append(PackedFile(f"pages/{base}.html", functools.partial(_page_html, snapshot.pk), page_sha256))
    for shot in snapshot.screenshots.all():
        name = f"screenshots/{base}-{shot.viewport}.png"
        files.append(PackedFile(name, functools.partial(_read, shot.image), shot.sha256))
    return files


def collect_pack(
    *, project: ProjectPage, start: datetime.date, end: datetime.date, include_participant_files: bool
) -> PackContents:
    """Read what the pack of `project` for the period `start`–`end` (both days included) holds.

    Evidence counts when it is dated on or before the period's last day (a
    poster photographed before the period still shows it hung). Evidence of the
    documents for participants may show participants' names: its files are
    packed only with `include_participant_files`, otherwise listed with their checksum.
    """
    obligations = project_obligations(project)
    snapshots = snapshots_in_period(project, start, end)
    contents = PackContents(
        project=project,
        programmes=list(project.programmes.order_by("name")),
        start=start,
        end=end,
        made_at=timezone.now(),
        obligations=obligations,
        evidence=[],
        snapshots=snapshots,
    )
    for snapshot in snapshots:
        contents.files.extend(snapshot_files(snapshot))
    for obligation in obligations:
        for evidence in obligation.evidence.all():
            if evidence.taken_on > end:
                continue
            item = EvidenceItem(evidence=evidence, obligation=obligation)
            if evidence.file:
                if obligation.kind == ObligationKind.PARTICIPANT_DOCUMENTS and not include_participant_files:
                    item.withheld = True
                else:
                    digest = _file_sha256(evidence.file)
                    if digest is None:
                        item.missing = True
                    else:
                        name = f"evidence/{obligation.kind}-{evidence.pk}-{item.original_name}"
                        item.file_name, item.file_sha256 = name, digest
                        contents.files.append(PackedFile(name, functools.partial(_read, evidence.file), digest))
            contents.evidence.append(item)
    return contents


def history_rows(checks: list[PublicityCheck], *, language: str) -> list[HistoryRow]:
    """The check history: per page, language, viewport and rule, consecutive equal results as one row."""
    rows: list[HistoryRow] = []
    latest: dict[tuple, HistoryRow] = {}
    for check in sorted(checks, key=lambda c: (c.page_title, c.locale, c.viewport, c.rule, c.checked_at, c.pk)):
        key = (check.page_title, check.locale, check.viewport, check.rule)
        outcome = outcome_of(check)
        row = latest.get(key)
        if row is not None and row.outcome == outcome and row.browser == check.browser and row.source == check.source:
            row.last, row.count = check.checked_at, row.count + 1
            continue
        row = HistoryRow(
            page_title=check.page_title,
            locale=check.locale,
            viewport=check.viewport,
            rule=check.rule,
            label=str(RULES.get(check.rule, check.rule)),
            outcome=outcome,
            source=check.source,
            browser=check.browser,
            first=check.checked_at,
            last=check.checked_at,
        )
        latest[key] = row
        rows.append(row)
    return rows


def cited_rules(programmes: list[FundingProgramme], cited: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each rule that applies to the project's programmes with its source (a catalogue entry, as stored),
    then any other (rule, source) a stored check `cited`."""
    pairs: list[tuple[str, str]] = []
    for kind in dict.fromkeys(programme.kind for programme in programmes):
        for rule in RULE_LIST:
            if rule.applies_to(kind) and (rule.code, rule.source_for(kind)) not in pairs:
                pairs.append((rule.code, rule.source_for(kind)))
    for rule, source in cited:
        if source and (rule, source) not in pairs:
            pairs.append((rule, source))
    return pairs


def checks_csv(checks: list[PublicityCheck], *, language: str) -> bytes:
    """Every rule result of the period, one row per check (UTF-8 with a BOM, so spreadsheets read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    words = {True: _("yes"), False: _("no")}
    writer.writerow(
        [
            _("Checked"),
            _("Page"),
            _("Language"),
            _("Viewport"),
            _("Rule code"),
            _("Rule"),
            _("Result"),
            _("Reason"),
            _("Source"),
            _("Checked in a browser"),
            _("In force"),
        ]
    )
    for check in sorted(checks, key=lambda c: (c.checked_at, c.page_title, c.locale, c.rule, c.viewport)):
        writer.writerow(
            [
                timezone.localtime(check.checked_at).isoformat(timespec="seconds"),
                check.page_title,
                check.locale,
                check.viewport,
                check.rule,
                str(RULES.get(check.rule, check.rule)),
                str(Outcome.LABELS[outcome_of(check)]),
                check.reason_in(language),
                _(check.source) if check.source else "",
                words[check.browser],
                words[check.in_force],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def manifest(lines: list[tuple[str, str]]) -> bytes:
    """`sha256sum` lines for every (name, SHA-256) packed, so `sha256sum -c MANIFEST.sha256` checks the unpacked pack."""
    return "".join(f"{digest}  {name}\n" for name, digest in lines).encode("utf-8")


def pack_filename(*, project: ProjectPage, start: datetime.date, end: datetime.date) -> str:
    return f"evidence-pack-{slugify(project.title)[:60]}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.zip"
