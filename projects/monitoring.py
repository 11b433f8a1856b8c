"""The monitoring export: a project's sessions, participants and targets for a period, as an XLSX workbook
a beneficiary attaches to its progress report (zpráva o realizaci).

The workbook is in Czech (sheet names, headers, number formats) whatever the
language of the admin, because the report is. Times are in Europe/Prague and
stored as real Excel dates and times. Participants appear only by their
pseudonymous code (P-000042): no names, e-mail addresses or phone numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from wagtail.models import Locale

from events import measures
from events.measures import Measure, MeasureRequest
from projects.models import ProjectPage

PRAGUE = ZoneInfo("Europe/Prague")
DATE_FORMAT = "d.m.yyyy"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "0.00"
COUNT_FORMAT = "0"
REPORT_LANGUAGE = "cs"


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    number_format: str | None = None


def _prague(moment: dt.datetime) -> dt.datetime:
    """The moment as a Prague wall-clock time without a zone (Excel has none)."""
    return moment.astimezone(PRAGUE).replace(tzinfo=None)


def _number(value: Decimal | int) -> float | int:
    return float(value) if isinstance(value, Decimal) else value


def _sheet(workbook: Workbook, title: str, columns: list[Column], rows: list[list], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([column.heading for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = column.number_format
    sheet.freeze_panes = "A2"
    return sheet


def _measure_label(request: MeasureRequest) -> str:
    if request.measure == Measure.REGULAR_PARTICIPANTS:
        return _("Participants present at least %(n)d times") % {"n": request.min_attendances}
    return str(Measure(request.measure).label)


def _bound_figures(project: ProjectPage) -> list[tuple[str, Decimal, MeasureRequest]]:
    """(what, target, measure) of each result figure bound to a measure, expected results first."""
    figures = []
    for stream in (project.expected_results, project.achieved_results):
        for child in stream or []:
            measure = child.value.get("measure") if child.block_type == "figure" else None
            if not measure:
                continue
            n = int(child.value.get("min_attendances") or 0) if measure == Measure.REGULAR_PARTICIPANTS else 0
            figures.append((child.value["label"], child.value["number"], MeasureRequest(measure, n)))
    return figures


def monitoring_workbook(*, project: ProjectPage, start: dt.date, end: dt.date) -> bytes:
    """The workbook for `project` (any language's page) from `start` to `end` (both days included)."""
    key = project.translation_key
    sessions = measures.session_rows(project_key=key, start=start, end=end)
    participants = measures.participant_rows(project_key=key, start=start, end=end)
    with translation.override(REPORT_LANGUAGE):
        report_locale = Locale.objects.filter(language_code=REPORT_LANGUAGE).first()
        source = (project.get_translation_or_none(report_locale) if report_locale else None) or project
        figures = _bound_figures(source)
        basics = [
            MeasureRequest(Measure.SESSIONS),
            MeasureRequest(Measure.PARTICIPANTS),
            MeasureRequest(Measure.PARTICIPANT_HOURS),
        ]
        requests = [request for _label, _target, request in figures] + basics
        achieved = measures.measure_values(project_key=key, start=start, end=end, requests=requests)

        workbook = Workbook()
        workbook.properties.title = _("Monitoring: %(project)s") % {"project": source.title}
        workbook.properties.language = REPORT_LANGUAGE
        session_columns = [
            Column(pgettext("monitoring export", "Date"), 12, DATE_FORMAT),
            Column(pgettext("monitoring export", "Start"), 8, TIME_FORMAT),
            Column(pgettext("monitoring export", "End"), 8, TIME_FORMAT),
            Column(pgettext("monitoring export", "Activity"), 40),
            Column(pgettext("monitoring export", "Venue"), 28),
            Column(pgettext("monitoring export", "Present"), 11, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Excused"), 11, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Absent"), 11, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Walk-ins"), 13, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Length (hours)"), 12, HOURS_FORMAT),
            Column(pgettext("monitoring export", "Participant-hours"), 14, HOURS_FORMAT),
        ]
        session_values = []
        for row in sessions:
            start_at, end_at = _prague(row.start), _prague(row.end)
            session_values.append(
                [
                    start_at.date(),
                    start_at.time(),
                    end_at.time(),
                    row.activity,
                    row.venue,
                    row.present,
                    row.excused,
                    row.absent,
                    row.walk_ins,
                    _number(row.duration_hours),
                    _number(row.hours),
                ]
            )
        _sheet(workbook, pgettext("monitoring export", "Sessions"), session_columns, session_values, first=True)

        participant_columns = [
            Column(pgettext("monitoring export", "Participant code"), 16),
            Column(pgettext("monitoring export", "Attendances"), 12, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Hours"), 10, HOURS_FORMAT),
            Column(pgettext("monitoring export", "First attendance"), 16, DATE_FORMAT),
            Column(pgettext("monitoring export", "Last attendance"), 16, DATE_FORMAT),
        ]
        participant_values = [
            [row.code, row.attendances, _number(row.hours), _prague(row.first).date(), _prague(row.last).date()]
            for row in participants
        ]
        _sheet(workbook, pgettext("monitoring export", "Participants"), participant_columns, participant_values)

        total_columns = [
            Column(pgettext("monitoring export", "Result"), 44),
            Column(pgettext("monitoring export", "Counted as"), 44),
            Column(pgettext("monitoring export", "Target"), 10, COUNT_FORMAT),
            Column(pgettext("monitoring export", "Achieved"), 12, "0.##"),
        ]
        total_values = [
            [label, _measure_label(request), _number(target), _number(achieved.get(request.key, Decimal(0)))]
            for label, target, request in figures
        ]
        total_values += [
            [
                pgettext("monitoring export", "Total in the period"),
                _measure_label(request),
                None,
                _number(achieved.get(request.key, Decimal(0))),
            ]
            for request in basics
        ]
        totals = _sheet(workbook, pgettext("monitoring export", "Targets"), total_columns, total_values)
        totals.append([])
        totals.append([pgettext("monitoring export", "Project"), source.title])
        totals.append([pgettext("monitoring export", "Registration number"), source.registration_number])
        totals.append([pgettext("monitoring export", "Period from"), start])
        totals.append([pgettext("monitoring export", "Period until"), end])
        for row in totals.iter_rows(min_row=totals.max_row - 1, max_row=totals.max_row, min_col=2, max_col=2):
            row[0].number_format = DATE_FORMAT
            row[0].alignment = Alignment(horizontal="left")
        totals.append([_("Times are in Europe/Prague. Participants appear only by their pseudonymous code.")])

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def monitoring_filename(*, project: ProjectPage, start: dt.date, end: dt.date) -> str:
    return f"monitoring-{slugify(project.title)[:60]}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.xlsx"
