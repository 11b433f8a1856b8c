"""The publicity report staff read: each project, then each of its pages, failing rules first.

Read only. Whatever the number of projects, pages and rules, it takes one query
for the pages' checks (with their projects), one for the rule results and one
for the screenshots.
"""

import datetime
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import ProjectPage, PublicityCheck, PublicityScreenshot, PublicitySnapshot, RuleSeverity
from projects.publicity.html_rules import NOT_IN_BROWSER
from projects.publicity.rules import RULES


class Outcome:
    """What a rule's result means for staff, in the order the report lists them."""

    FAIL = "fail"
    WARNING = "warning"
    NOT_IN_FORCE = "not_in_force"
    PASS = "pass"

    ORDER = (FAIL, WARNING, NOT_IN_FORCE, PASS)
    LABELS = {
        FAIL: _("Fails"),
        WARNING: _("Warning (house rule)"),
        NOT_IN_FORCE: _("Not met, but not in force now"),
        PASS: _("Passes"),
    }


RULE_ORDER = {code: position for position, code in enumerate(RULES)}
LANGUAGE_ORDER = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}


def title_order(title: str) -> str:
    """A sort key that files “Č” with “C” rather than after “Z”."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def outcome_of(check: PublicityCheck) -> str:
    if check.passed:
        return Outcome.PASS
    if not check.in_force:
        return Outcome.NOT_IN_FORCE
    return Outcome.WARNING if check.severity == RuleSeverity.HOUSE else Outcome.FAIL


@dataclass
class RuleRow:
    """One rule's result on one page, worded for the member of staff reading it."""

    check: PublicityCheck
    outcome: str
    label: str
    reason: str
    source: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])

    @property
    def is_house_rule(self) -> bool:
        return self.check.severity == RuleSeverity.HOUSE


@dataclass
class PageReport:
    """One page in one language, as its chosen check found it."""

    snapshot: PublicitySnapshot
    problems: list[RuleRow] = field(default_factory=list)  # failures, then house-rule warnings
    others: list[RuleRow] = field(default_factory=list)  # rules not in force now, then passes
    screenshots: list[PublicityScreenshot] = field(default_factory=list)

    @property
    def is_project_page(self) -> bool:
        return self.snapshot.page_id is not None and self.snapshot.page_id == self.snapshot.project_id

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.problems + self.others if row.outcome == outcome)

    @property
    def passes(self) -> int:
        return self.count(Outcome.PASS)

    @property
    def not_in_force(self) -> int:
        return self.count(Outcome.NOT_IN_FORCE)


@dataclass
class ProjectReport:
    """A project's pages in every language, with its totals."""

    key: str
    title: str
    project: ProjectPage
    pages: list[PageReport] = field(default_factory=list)
    fails: int = 0
    warnings: int = 0
    passes: int = 0
    not_in_force: int = 0
    last_checked_at: datetime.datetime | None = None
    may_check: bool = False  # whether the reader may check the project's pages again

    @property
    def anchor(self) -> str:
        return f"project-{self.key}"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def chosen_snapshots(
    *,
    project_key: str | None = None,
    checked_from: datetime.date | None = None,
    checked_to: datetime.date | None = None,
) -> QuerySet[PublicitySnapshot]:
    """Each page's latest check (in the period, when one is given), with its project and the project's language."""
    snapshots = PublicitySnapshot.objects.filter(project__isnull=False, page__isnull=False)
    if checked_from is None and checked_to is None:
        current = PublicityCheck.objects.filter(is_current=True).values("snapshot_id")
        snapshots = snapshots.filter(pk__in=current)
    else:
        in_period = PublicitySnapshot.objects.filter(page=OuterRef("page"), locale=OuterRef("locale"))
        if checked_from is not None:
            in_period = in_period.filter(checked_at__gte=_day_start(checked_from))
        if checked_to is not None:
            in_period = in_period.filter(checked_at__lt=_day_start(checked_to + datetime.timedelta(days=1)))
        snapshots = snapshots.filter(pk=Subquery(in_period.order_by("-checked_at", "-pk").values("pk")[:1]))
    if project_key:
        snapshots = snapshots.filter(project__translation_key=project_key)
    return snapshots.select_related("project", "project__locale").prefetch_related(
        Prefetch("checks", queryset=PublicityCheck.objects.order_by("pk")),
        Prefetch("screenshots", queryset=PublicityScreenshot.objects.order_by("viewport")),
    )


def _rule_row(check: PublicityCheck, *, language: str, not_in_browser: str) -> RuleRow:
    reason = check.reason_in(language)
    if not check.browser and reason.startswith(not_in_browser):
        reason = reason[len(not_in_browser) :]  # the row says so in its own column
    return RuleRow(
        check=check,
        outcome=outcome_of(check),
        label=str(RULES.get(check.rule, check.rule)),
        reason=reason,
        source=check.translated_source,
    )


def _row_order(row: RuleRow) -> tuple:
    return Outcome.ORDER.index(row.outcome), RULE_ORDER.get(row.check.rule, len(RULE_ORDER)), row.check.viewport


def _page_report(snapshot: PublicitySnapshot, *, language: str, only_failing: bool) -> PageReport:
    not_in_browser = str(NOT_IN_BROWSER)
    rows = sorted(
        (_rule_row(check, language=language, not_in_browser=not_in_browser) for check in snapshot.checks.all()),
        key=_row_order,
    )
    problems = [row for row in rows if row.outcome in (Outcome.FAIL, Outcome.WARNING)]
    others = [] if only_failing else [row for row in rows if row.outcome not in (Outcome.FAIL, Outcome.WARNING)]
    return PageReport(snapshot=snapshot, problems=problems, others=others, screenshots=list(snapshot.screenshots.all()))


def _page_order(page: PageReport) -> tuple:
    """The project's own page first, then its events' pages; each language in the site's order, then by title."""
    snapshot = page.snapshot
    return (
        not page.is_project_page,
        LANGUAGE_ORDER.get(snapshot.locale, len(LANGUAGE_ORDER)),
        title_order(snapshot.page_title),
    )


def publicity_report(
    *,
    language: str,
    project_key: str | None = None,
    only_failing: bool = False,
    checked_from: datetime.date | None = None,
    checked_to: datetime.date | None = None,
) -> list[ProjectReport]:
    """The report: projects with failures first, then those with warnings, then the rest, each by title.

    Within a project its own page comes first (in each language), then the pages
    of its events (by language, then title). Within a page, failing rules come
    first, then house-rule warnings, then (unless `only_failing`) the rules not
    in force now and the passes. The totals count every rule, whatever the filter.
    """
    projects: dict[str, ProjectReport] = {}
    for snapshot in chosen_snapshots(project_key=project_key, checked_from=checked_from, checked_to=checked_to):
        project = snapshot.project
        key = str(project.translation_key)
        report = projects.get(key)
        if report is None:
            report = projects[key] = ProjectReport(key=key, title=project.title, project=project)
        elif project.locale.language_code == language and report.project.locale.language_code != language:
            report.title, report.project = project.title, project  # named in the reader's language
        page = _page_report(snapshot, language=language, only_failing=only_failing)
        counts = Counter(outcome_of(check) for check in snapshot.checks.all())
        report.fails += counts[Outcome.FAIL]
        report.warnings += counts[Outcome.WARNING]
        report.passes += counts[Outcome.PASS]
        report.not_in_force += counts[Outcome.NOT_IN_FORCE]
        if report.last_checked_at is None or snapshot.checked_at > report.last_checked_at:
            report.last_checked_at = snapshot.checked_at
        if page.problems or page.others:
            report.pages.append(page)
    for report in projects.values():
        report.pages.sort(key=_page_order)
    return sorted(
        projects.values(),
        key=lambda report: (not report.fails, not report.warnings, title_order(report.title)),
    )


def project_choices(*, language: str) -> list[tuple[str, str]]:
    """Every funded project once (by its translation key), named in the reader's language where it has one."""
    names: dict[str, tuple[bool, str]] = {}
    funded = ProjectPage.objects.filter(programmes__isnull=False).distinct()
    for key, title, code in funded.values_list("translation_key", "title", "locale__language_code"):
        preferred = code == language
        if str(key) not in names or (preferred and not names[str(key)][0]):
            names[str(key)] = (preferred, title)
    return sorted(((key, title) for key, (_preferred, title) in names.items()), key=lambda item: title_order(item[1]))


def export_rows(reports: list[ProjectReport]) -> list[dict]:
    """The report's rules as flat rows for a spreadsheet, in the report's order and the reader's language."""
    browser_words = {True: str(_("yes")), False: str(_("no"))}
    return [
        {
            "project": report.title,
            "page": page.snapshot.page_title,
            "language": page.snapshot.locale,
            "url": page.snapshot.url,
            "programme": row.check.programme,
            "rule": row.check.rule,
            "label": row.label,
            "outcome_label": row.outcome_label,
            "reason": row.reason,
            "source": row.source,
            "viewport": row.check.viewport,
            "browser": browser_words[row.check.browser],
            "checked_at": timezone.localtime(row.check.checked_at).replace(tzinfo=None, microsecond=0),
        }
        for report in reports
        for page in report.pages
        for row in page.problems + page.others
    ]
