"""The evidence pack's PDF summary (ReportLab), set in the posters' embedded font.

A4 landscape, in the reader's language: the project's facts, its obligations
with their status, the evidence with dates and checksums, the files of the
checked pages, the check history of the period (consecutive equal results of a
rule on a page at a viewport are one row; checks.csv lists each check) and the
sources of the rules.
"""

import datetime
import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from projects.models import ObligationStatus
from projects.publicity.pack.contents import (
    CHECKS_CSV,
    MANIFEST,
    PackContents,
    cited_rules,
    history_rows,
    snapshot_files,
)
from projects.publicity.poster.typesetting import poster_font
from projects.publicity.report import Outcome, outcome_of
from projects.publicity.rules import RULES

PAGE = landscape(A4)
MARGIN = 14 * mm
GRID = colors.HexColor("#9aa4b1")
HEADER_FILL = colors.HexColor("#e6ebf2")
FAIL_FILL = colors.HexColor("#fbe3e1")


def _styles() -> dict[str, ParagraphStyle]:
    font = poster_font()
    regular, bold = font.pdf_name(), font.pdf_name(bold=True)
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=11, leading=14, spaceAfter=2),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5),
        "note": ParagraphStyle("note", fontName=regular, fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7.5, leading=9),
        "mono": ParagraphStyle("mono", fontName=regular, fontSize=6.5, leading=8),
        "footer": ParagraphStyle("footer", fontName=regular, fontSize=7, leading=8),
    }


def day(value: datetime.date | None) -> str:
    return formats.date_format(value, "j. n. Y") if value else "–"


def moment(value: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "j. n. Y H:i") if value else "–"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def digest_lines(digest: str) -> str:
    """A SHA-256 on two lines of 32 characters (it fits a narrow column and reads back whole)."""
    return f"{digest[:32]}\n{digest[32:]}" if len(digest) == 64 else digest


def _table(header: list[str], rows: list[list], widths: list[float], styles, *, highlight: list[int] = ()) -> Table:
    data = [[_p(text, styles["head"]) for text in header]]
    data += [[cell if isinstance(cell, Paragraph | list) else _p(cell, styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("BACKGROUND", (0, index + 1), (-1, index + 1), FAIL_FILL) for index in highlight]
    table.setStyle(TableStyle(commands))
    return table


def _widths(*shares: float) -> list[float]:
    usable = PAGE[0] - 2 * MARGIN
    total = sum(shares)
    return [usable * share / total for share in shares]


def _money(value, currency: str) -> str:
    if value is None:
        return "–"
    return f"{formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)} {currency}"


def _facts(contents: PackContents, styles) -> list:
    project = contents.project
    programmes = "\n".join(f"{programme.name} ({programme.get_kind_display()})" for programme in contents.programmes)
    rows = [
        [_("Project"), project.title],
        [_("Registration number"), project.registration_number or "–"],
        [_("Promoter"), project.promoter or "–"],
        [_("Partners"), "\n".join(project.partner_list) or "–"],
        [_("Funding programmes"), programmes or "–"],
        [_("Call"), project.call or "–"],
        [_("Project period"), f"{day(project.start_date)} – {day(project.end_date)}"],
        [_("Status"), project.get_status_display()],
        [_("Total cost"), _money(project.total_cost, project.currency)],
        [_("Grant"), _money(project.grant_amount, project.currency)],
        [_("Project page"), project.full_url or project.url_path],
    ]
    table = Table(
        [[_p(label, styles["head"]), _p(value, styles["cell"])] for label, value in rows],
        colWidths=_widths(1, 4),
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [_p(_("The project"), styles["h2"]), table]


def _obligations(contents: PackContents, styles) -> list:
    flow = [_p(_("Obligations and their status on %(day)s") % {"day": day(timezone.localdate())}, styles["h2"])]
    if not contents.obligations:
        return [*flow, _p(_("The project has no obligations in its register."), styles["body"])]
    rows, highlight = [], []
    for index, obligation in enumerate(contents.obligations):
        status = ObligationStatus(obligation.status_value)
        note = obligation.not_applicable_reason if obligation.not_applicable else obligation.note
        note = _(note) if note else ""  # a generated reason or note is a catalogue entry; staff's text stays
        rows.append(
            [
                obligation.get_kind_display(),
                _(obligation.source) if obligation.source else "–",
                day(obligation.due_date),
                day(obligation.keep_until),
                status.label,
                str(sum(1 for item in contents.evidence if item.obligation.pk == obligation.pk)),
                note,
            ]
        )
        if status == ObligationStatus.MISSING:
            highlight.append(index)
    header = [_("Obligation"), _("Source"), _("Due by"), _("Keep until"), _("Status"), _("Evidence"), _("Note")]
    return [*flow, _table(header, rows, _widths(3, 5, 1.4, 1.4, 1.6, 1, 3), styles, highlight=highlight)]


def _evidence(contents: PackContents, styles) -> list:
    flow = [_p(_("Evidence dated up to %(day)s") % {"day": day(contents.end)}, styles["h2"])]
    if not contents.evidence:
        return [*flow, _p(_("No evidence is stored for the project's obligations."), styles["body"])]
    rows = []
    for item in contents.evidence:
        evidence = item.evidence
        if item.file_name:
            where = item.file_name
        elif item.withheld:
            where = _("%(name)s – not in this pack: it may show participants' personal data.") % {
                "name": item.original_name
            }
        elif item.missing:
            where = _("%(name)s – the file is missing from the media storage.") % {"name": item.original_name}
        else:
            where = ""
        if evidence.url:
            where = f"{where}\n{evidence.url}".strip()
        digest = digest_lines(item.file_sha256 or evidence.sha256) or "–"
        if item.stored_sha256_differs:
            digest += "\n" + _("Differs from the SHA-256 stored at upload: %(stored)s") % {"stored": evidence.sha256}
        rows.append(
            [
                item.obligation.get_kind_display(),
                evidence.get_kind_display(),
                where,
                day(evidence.taken_on),
                moment(evidence.uploaded_at),
                _p(digest, styles["mono"]),
                evidence.note,
            ]
        )
    header = [_("Obligation"), _("Kind"), _("File or address"), _("Taken on"), _("Uploaded"), _("SHA-256"), _("Note")]
    return [*flow, _table(header, rows, _widths(2.4, 1.2, 4, 1.3, 1.6, 3.2, 2.4), styles)]


def _pages(contents: PackContents, styles) -> list:
    flow = [_p(_("Checked pages in the period"), styles["h2"])]
    if not contents.snapshots:
        return [*flow, _p(_("No check of the project's pages is stored in this period."), styles["body"])]
    yes, no = _("yes"), _("no")
    rows = []
    for snapshot in contents.snapshots:
        files: list = []
        for item in snapshot_files(snapshot):
            files += [_p(item.name, styles["cell"]), _p(digest_lines(item.stored_sha256), styles["mono"])]
        failed = sum(1 for check in snapshot.checks.all() if outcome_of(check) == Outcome.FAIL)
        rows.append(
            [
                f"{snapshot.page_title} ({snapshot.locale})\n{snapshot.url}",
                moment(snapshot.checked_at),
                f"{yes} ({snapshot.browser})" if snapshot.browser else no,
                str(failed),
                files or "–",
            ]
        )
    header = [_("Page"), _("Checked"), _("In a browser"), _("Failed rules"), _("Files in the pack and their SHA-256")]
    return [*flow, _table(header, rows, _widths(3.6, 1.4, 1.8, 1, 6), styles)]


def _history(contents: PackContents, styles, *, language: str) -> list:
    flow = [
        _p(_("Check history in the period"), styles["h2"]),
        _p(
            _(
                "One row per page, language, viewport and rule; consecutive checks with the same result are one row "
                "with their number. %(file)s lists every check."
            )
            % {"file": CHECKS_CSV},
            styles["note"],
        ),
        Spacer(1, 2 * mm),
    ]
    rows_in = history_rows(contents.checks, language=language)
    if not rows_in:
        return [*flow, _p(_("No check of the project's pages is stored in this period."), styles["body"])]
    yes, no = _("yes"), _("no")
    rows, highlight = [], []
    for index, row in enumerate(rows_in):
        when = moment(row.first) if row.count == 1 else f"{moment(row.first)} – {moment(row.last)} (×{row.count})"
        rows.append(
            [
                f"{row.page_title} ({row.locale})",
                row.viewport or "–",
                row.label,
                str(Outcome.LABELS[row.outcome]),
                _(row.source) if row.source else "–",
                yes if row.browser else no,
                when,
            ]
        )
        if row.outcome == Outcome.FAIL:
            highlight.append(index)
    header = [_("Page"), _("Viewport"), _("Rule"), _("Result"), _("Source"), _("In a browser"), _("Checked")]
    return [*flow, _table(header, rows, _widths(2.6, 1, 3.4, 1.5, 3.8, 0.9, 2.4), styles, highlight=highlight)]


def _sources(contents: PackContents, styles) -> list:
    pairs = cited_rules(contents.programmes, ((c.rule, c.source) for c in contents.checks))
    rows = [[str(RULES.get(code, code)), _(source) if source else "–"] for code, source in pairs]
    flow = [_p(_("The rules and their sources"), styles["h2"])]
    if not rows:
        return [*flow, _p(_("The project has no funding programme, so no rule applies."), styles["body"])]
    return [*flow, _table([_("Rule"), _("Source")], rows, _widths(2, 3), styles)]


def summary_pdf(contents: PackContents, *, language: str) -> bytes:
    """The summary as PDF bytes, in the active language (which should be `language`)."""
    styles = _styles()
    project = contents.project
    period = f"{day(contents.start)} – {day(contents.end)}"
    title = _("Publicity evidence pack: %(project)s") % {"project": project.title}
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=project.promoter or project.title,
        subject=_("Reporting period %(period)s") % {"period": period},
        creator="Komunitní portál",
        lang=language,
    )
    footer_text = f"{project.title} · {project.registration_number} · {period}"

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(poster_font().pdf_name(), 7)
        canvas.drawString(MARGIN, MARGIN - 2 * mm, footer_text)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 2 * mm, _("Page %(number)d") % {"number": doc.page})
        canvas.restoreState()

    story = [
        _p(_("Publicity evidence pack"), styles["title"]),
        _p(project.title, styles["subtitle"]),
        _p(_("Reporting period: %(period)s") % {"period": period}, styles["subtitle"]),
        _p(_("Made on %(moment)s.") % {"moment": moment(contents.made_at)}, styles["note"]),
        _p(
            _(
                "The pack holds this summary, %(csv)s with every rule result, each checked page as a self-contained "
                "HTML file that opens offline, its screenshots, and the evidence files. %(manifest)s lists the "
                "SHA-256 of every file; “sha256sum -c %(manifest)s” verifies the unpacked pack."
            )
            % {"csv": CHECKS_CSV, "manifest": MANIFEST},
            styles["note"],
        ),
        *_facts(contents, styles),
        *_obligations(contents, styles),
        *_evidence(contents, styles),
        *_pages(contents, styles),
        *_history(contents, styles, language=language),
        *_sources(contents, styles),
    ]
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
