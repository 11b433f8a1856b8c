"""Read queries for the controller's view: the link a token opens, and what the page shows.

A controller sees the project's facts, its obligations with their evidence,
every stored check of its pages with the screenshots, and the rules' sources.
Nothing about people: no registrant, and no member of staff (who uploaded,
who is responsible). Evidence of the documents for participants may show
participants' names, so its files are listed with their checksum, not offered.
"""

import datetime
import hmac
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from projects.models import (
    ControllerLink,
    ControllerLinkState,
    FundingProgramme,
    Obligation,
    ObligationEvidence,
    ObligationKind,
    ProjectPage,
    PublicityCheck,
    PublicityScreenshot,
    PublicitySnapshot,
)
from projects.publicity.pack.contents import cited_rules, project_obligations
from projects.publicity.report import RULE_ORDER, Outcome, outcome_of
from projects.publicity.rules import RULES

# What `secrets.token_urlsafe(32)` gives (43 characters), with room to spare; anything else is not looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
SNAPSHOTS_PER_PAGE = 10
UNKNOWN = "unknown"


def controller_link_for(token: str, *, now: datetime.datetime | None = None) -> tuple[ControllerLink | None, str]:
    """The link `token` opens and its state (a ControllerLinkState, or UNKNOWN with no link).

    The token is looked up by its SHA-256 (the only form stored), and the
    digests are compared in constant time.
    """
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None, UNKNOWN
    digest = ControllerLink.hash_token(token)
    link = ControllerLink.objects.select_related("project").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash.encode(), digest.encode()):
        return None, UNKNOWN
    return link, link.state_at(now or timezone.now())


def page_address(token: str, language: str) -> str:
    """The controller's page in `language` (the default language has the shorter address)."""
    if language == settings.LANGUAGE_CODE:
        return reverse("controller:page", args=[token])
    return reverse("controller:page_in", args=[token, language])


def is_open(state: str) -> bool:
    return state == ControllerLinkState.ACTIVE


def project_in(link: ControllerLink, language: str) -> ProjectPage:
    """The linked project's page in `language` where it has one, else the page the link was made for."""
    locale = Locale.objects.filter(language_code=language).first()
    translated = link.project.get_translation_or_none(locale) if locale else None
    return translated or link.project


@dataclass
class ControllerEvidence:
    evidence: ObligationEvidence
    withheld: bool  # a file that may show participants' names: listed, not offered

    @property
    def file_name(self) -> str:
        return self.evidence.file.name.rsplit("/", 1)[-1] if self.evidence.file else ""


@dataclass
class ControllerObligation:
    obligation: Obligation
    evidence: list[ControllerEvidence] = field(default_factory=list)


@dataclass
class ControllerRow:
    check: PublicityCheck
    outcome: str
    label: str
    reason: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])


@dataclass
class ControllerSnapshot:
    snapshot: PublicitySnapshot
    rows: list[ControllerRow]
    screenshots: list[PublicityScreenshot]

    @property
    def failures(self) -> int:
        return sum(1 for row in self.rows if row.outcome == Outcome.FAIL)


def _obligations(project: ProjectPage) -> list[ControllerObligation]:
    return [
        ControllerObligation(
            obligation=obligation,
            evidence=[
                ControllerEvidence(
                    evidence=evidence,
                    withheld=bool(evidence.file) and obligation.kind == ObligationKind.PARTICIPANT_DOCUMENTS,
                )
                for evidence in obligation.evidence.all()
            ],
        )
        for obligation in project_obligations(project)
    ]


def _snapshot(snapshot: PublicitySnapshot, *, language: str) -> ControllerSnapshot:
    rows = [
        ControllerRow(
            check=check,
            outcome=outcome_of(check),
            label=str(RULES.get(check.rule, check.rule)),
            reason=check.reason_in(language),
        )
        for check in snapshot.checks.all()
    ]
    rows.sort(
        key=lambda row: (
            Outcome.ORDER.index(row.outcome),
            RULE_ORDER.get(row.check.rule, len(RULE_ORDER)),
            row.check.viewport,
        )
    )
    return ControllerSnapshot(snapshot=snapshot, rows=rows, screenshots=list(snapshot.screenshots.all()))


def project_snapshots(project: ProjectPage):
    """Every stored check of the project's pages (every language, its events' pages too), newest first."""
    return (
        PublicitySnapshot.objects.filter(project__translation_key=project.translation_key)
        .order_by("-checked_at", "-pk")
        .prefetch_related(
            Prefetch("checks", queryset=PublicityCheck.objects.order_by("rule", "viewport", "pk")),
            Prefetch("screenshots", queryset=PublicityScreenshot.objects.order_by("viewport")),
        )
    )


def controller_page(*, link: ControllerLink, language: str, page_number) -> dict:
    """What the controller's page shows, in `language`; `page_number` pages through the check history."""
    project = project_in(link, language)
    programmes: list[FundingProgramme] = list(project.programmes.order_by("name"))
    history: PaginatorPage = Paginator(project_snapshots(project), SNAPSHOTS_PER_PAGE).get_page(page_number)
    stored = PublicityCheck.objects.filter(project__translation_key=project.translation_key)
    cited = stored.order_by().values_list("rule", "source").distinct()
    return {
        "link": link,
        "project": project,
        "programmes": programmes,
        "obligations": _obligations(project),
        "history": history,
        "snapshots": [_snapshot(snapshot, language=language) for snapshot in history.object_list],
        "rules": [(str(RULES.get(code, code)), source) for code, source in cited_rules(programmes, cited)],
    }


def evidence_of(link: ControllerLink, evidence_id: int) -> ObligationEvidence | None:
    """A piece of the linked project's evidence with a file the controller may download, or None."""
    return (
        ObligationEvidence.objects.filter(
            pk=evidence_id, obligation__project__translation_key=link.project.translation_key
        )
        .exclude(file="")
        .exclude(obligation__kind=ObligationKind.PARTICIPANT_DOCUMENTS)
        .first()
    )


def screenshot_of(link: ControllerLink, screenshot_id: int) -> PublicityScreenshot | None:
    return PublicityScreenshot.objects.filter(
        pk=screenshot_id, snapshot__project__translation_key=link.project.translation_key
    ).first()


def snapshot_of(link: ControllerLink, snapshot_id: int) -> PublicitySnapshot | None:
    return PublicitySnapshot.objects.filter(
        pk=snapshot_id, project__translation_key=link.project.translation_key
    ).first()
