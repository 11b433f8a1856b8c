"""The funders' publicity rules, applied to pages exactly as a visitor's browser renders them.

Each live funded project page, and each live page of an event that belongs to a
funded project, is rendered in every language through Django's test client
(anonymous, with the site's host name). The HTML rules (html_rules.py) read the
text; the layout rules (browser.py) are measured in headless Chromium at three
viewports, with no server running. Without a browser the layout rules are
estimated from the HTML and every result says so. Each check stores a
`PublicitySnapshot`: the HTML as published, a self-contained copy with styles
and images inlined, a full-page screenshot per viewport, the SHA-256 of each
and the time; and one `PublicityCheck` per rule result.

The rules, their sources and severities are in rules.py (DESIGN §4).
"""

import uuid
from collections.abc import Iterable

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from events.models import EventPage
from projects.models import ProjectPage, PublicityCheck, PublicityScreenshot, PublicitySnapshot
from projects.publicity import serving
from projects.publicity.browser import (
    BrowserSession,
    browser_session,
    footer_results,
    layout_results,
    phrases_for,
)
from projects.publicity.evidence import sha256, standalone_html
from projects.publicity.html_rules import (
    NOT_IN_BROWSER,
    approximate_layout_rules,
    check_html,
    dedupe,
)
from projects.publicity.rules import RULE_INFO, RULES, RuleResult, obligation_in_force, result
from projects.selectors import localized_programmes

__all__ = ["RULES", "RULE_INFO", "RuleResult", "check_html", "check_page", "run_publicity_check", "pages_to_check"]

# Rendering -----------------------------------------------------------------


def _client_for(page: Page) -> tuple[Client, dict]:
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    host = "localhost"
    if site is not None:
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False)) or (site is not None and site.port == 443)
    return Client(raise_request_exception=False, HTTP_HOST=host), {"secure": secure}


def render_page(page: Page, *, client: Client | None = None, options: dict | None = None) -> tuple[int, str, str]:
    """(status code, HTML, path) of the page as an anonymous visitor gets it."""
    path = page.get_url_parts()[2] if page.get_url_parts() else page.url
    if client is None:
        client, options = _client_for(page)
    response = client.get(path, **options)
    body = response.content.decode(response.charset or "utf-8", errors="replace")
    return response.status_code, body, path


def pages_to_check() -> list[Page]:
    """Live funded project pages and live pages of events that belong to a funded project, every language."""
    funded = ProjectPage.objects.live().filter(programmes__isnull=False).distinct()
    pages: list[Page] = list(funded.select_related("locale").order_by("path"))
    funded_keys = set(ProjectPage.objects.filter(programmes__isnull=False).values_list("translation_key", flat=True))
    events = (
        EventPage.objects.live()
        .filter(project__translation_key__in=funded_keys)
        .select_related("locale", "project")
        .order_by("path")
    )
    return pages + list(events)


def project_for(page: Page) -> ProjectPage | None:
    """The project whose publicity rules apply to a page, in the page's own language where it exists."""
    page = page.specific
    if isinstance(page, ProjectPage):
        return page
    project = getattr(page, "project", None)
    if project is None:
        return None
    translated = project.get_translation_or_none(page.locale)
    return translated if translated is not None and translated.live else project


def _page_url(path: str, client_options: dict, client: Client) -> str:
    host = client.defaults.get("HTTP_HOST", "localhost")
    return f"{'https' if client_options.get('secure') else 'http'}://{host}{path}"


def reason_languages() -> list[str]:
    """The languages staff read the admin in: each result keeps its reason in every one of them."""
    return [code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES]


def _result_key(item: RuleResult) -> tuple[str, str, str]:
    return item.rule, item.programme, item.viewport


def _rule_results(
    *,
    html: str,
    soup: BeautifulSoup,
    project: ProjectPage,
    programmes: list,
    language: str,
    is_project_page: bool,
    measurements: list | None,
    no_browser_reason: str,
    day,
) -> list[RuleResult]:
    """Every rule's result for one rendered page, worded in the active language.

    `measurements` is None when no browser ran: the layout rules are then
    estimated from the HTML and every reason says so.
    """
    results = check_html(
        html, project=project, programmes=programmes, language=language, is_project_page=is_project_page, soup=soup
    )
    eu = [p for p in programmes if p.is_eu]
    if measurements is not None:
        for measurement in measurements:
            for programme in eu:
                results += layout_results(measurement, programme=programme)
                results += footer_results(measurement, programme=programme)
        results = [r for r in results if not (r.rule == "eu_footer_bar" and not r.viewport)] if eu else results
        for item in results:
            item.browser = True
    else:
        for programme in eu:
            results += approximate_layout_rules(soup, programme=programme, language=language)
        prefix = str(NOT_IN_BROWSER)
        for item in results:
            item.browser = False
            if not item.reason.startswith(prefix):
                item.reason = prefix + item.reason
            if no_browser_reason:
                item.extra["no_browser"] = no_browser_reason
    by_name = {p.name: p for p in programmes}
    for item in results:
        programme = by_name.get(item.programme)
        if programme is not None and not obligation_in_force(project, programme, day):
            item.in_force = False
    return dedupe(results)


def word_in_every_language(results: list[RuleResult], build) -> list[RuleResult]:
    """Give each result its reason in every staff language (`build()` words the results in the active one)."""
    active = translation.get_language()
    for code in reason_languages():
        if code == active:
            worded = {_result_key(item): item.reason for item in results}
        else:
            with translation.override(code):
                worded = {_result_key(item): item.reason for item in build()}
        for item in results:
            item.reasons[code] = worded.get(_result_key(item), item.reason)
    return results


def evaluate_page(
    *,
    html: str,
    url: str,
    project: ProjectPage,
    programmes: list,
    language: str,
    is_project_page: bool,
    session: BrowserSession | None,
    fetch,
    no_browser_reason: str = "",
    today=None,
) -> tuple[list[RuleResult], list]:
    """Every rule for one rendered page: (results, measurements with screenshots).

    The page is measured once; the results are then worded in each staff
    language, so the admin report reads in the language of whoever opens it.
    """
    measurements = None
    if session is not None:
        eu = [p for p in programmes if p.is_eu]
        if eu:
            measurements = session.measure(
                url=url, html=html, fetch=fetch, kinds=[p.kind for p in eu], phrases=phrases_for(eu, language)
            )
        else:
            measurements = session.measure(url=url, html=html, fetch=fetch, kinds=[], phrases={})
    soup = BeautifulSoup(html, "html.parser")  # read, never changed, by the rules in every language

    def build() -> list[RuleResult]:
        return _rule_results(
            html=html,
            soup=soup,
            project=project,
            programmes=programmes,
            language=language,
            is_project_page=is_project_page,
            measurements=measurements,
            no_browser_reason=no_browser_reason,
            day=today or timezone.localdate(),
        )

    return word_in_every_language(build(), build), measurements or []


@transaction.atomic
def check_page(
    page: Page, *, run=None, session: BrowserSession | None = None, no_browser_reason: str = ""
) -> PublicitySnapshot | None:
    """Render one page, apply the rules (in the browser when there is one), store the evidence and results."""
    page = page.specific
    project = project_for(page)
    if project is None:
        return None
    language = page.locale.language_code
    programmes = localized_programmes(project.programmes.select_related("logo"), page.locale)
    if not programmes:
        return None
    client, options = _client_for(page)
    with translation.override(language):
        status_code, html, path = render_page(page, client=client, options=options)
    url = _page_url(path, options, client)

    def fetch(target: str):
        return serving.fetch(target, client=client, secure=options.get("secure", False))

    def browser_fetch(target: str):
        return serving.fetch(target, secure=options.get("secure", False), pages=False)

    measurements = []
    if status_code != 200:

        def build() -> list[RuleResult]:
            reason = _("The page answered with HTTP status %d instead of showing.") % status_code
            return [result("page_renders", False, reason, programmes[0])]

        results = word_in_every_language(build(), build)
    else:
        results, measurements = evaluate_page(
            html=html,
            url=url,
            project=project,
            programmes=programmes,
            language=language,
            is_project_page=isinstance(page, ProjectPage),
            session=session,
            fetch=browser_fetch,
            no_browser_reason=no_browser_reason,
        )
    standalone = standalone_html(html, page_url=url, fetch=fetch) if status_code == 200 else ""
    now = timezone.now()
    snapshot_fields = {
        "page": page,
        "project": project,
        "page_title": page.title[:255],
        "locale": language,
        "url": path[:500],
        "status_code": status_code,
        "html": html,
        "html_sha256": sha256(html),
        "standalone_html": standalone,
        "standalone_sha256": sha256(standalone) if standalone else "",
        "browser": session.name if session is not None else "",
        "checked_at": now,
    }
    if run is not None:
        snapshot_fields["run"] = run
    snapshot = PublicitySnapshot.objects.create(**snapshot_fields)
    for measurement in measurements:
        if measurement.screenshot:
            shot = PublicityScreenshot(
                snapshot=snapshot, viewport=measurement.viewport, sha256=sha256(measurement.screenshot), taken_at=now
            )
            shot.image.save(
                f"{page.pk}-{language}-{now:%Y%m%d%H%M%S}-{measurement.viewport}.png",
                ContentFile(measurement.screenshot),
                save=True,
            )
    PublicityCheck.objects.filter(page=page, locale=language, is_current=True).update(is_current=False)
    PublicityCheck.objects.bulk_create(
        [
            PublicityCheck(
                snapshot=snapshot,
                page=page,
                project=project,
                page_title=page.title[:255],
                locale=language,
                programme=r.programme[:200],
                rule=r.rule,
                passed=r.passed,
                reason=r.reason,
                reasons=r.reasons,
                source=r.source[:300],
                severity=r.severity,
                in_force=r.in_force,
                viewport=r.viewport,
                browser=r.browser,
                checked_at=now,
                is_current=True,
            )
            for r in results
        ]
    )
    snapshot.results = results
    return snapshot


def run_publicity_check(
    *, pages: Iterable[Page] | None = None, browser: bool = True, session: BrowserSession | None = None
) -> list[PublicitySnapshot]:
    """Check the given pages (default: every page the rules apply to) and store the results.

    With `browser` (the default) the pages are measured in headless Chromium
    where it is installed; otherwise the HTML rules run alone and say so.
    A caller that already drives Chromium passes its `session`. Each snapshot
    gets `.results` and `.no_browser_reason`.
    """
    run = uuid.uuid4()
    snapshots = []
    targets = list(pages if pages is not None else pages_to_check())
    if session is not None:
        for page in targets:
            snapshot = check_page(page, run=run, session=session)
            if snapshot is not None:
                snapshot.no_browser_reason = ""
                snapshots.append(snapshot)
    elif browser:
        with browser_session() as (session, missing):
            for page in targets:
                snapshot = check_page(page, run=run, session=session, no_browser_reason=missing)
                if snapshot is not None:
                    snapshot.no_browser_reason = missing
                    snapshots.append(snapshot)
    else:
        reason = str(_("the browser check was not asked for"))
        for page in targets:
            snapshot = check_page(page, run=run, session=None, no_browser_reason=reason)
            if snapshot is not None:
                snapshot.no_browser_reason = reason
                snapshots.append(snapshot)
    return snapshots


def pages_affected_by(page: Page) -> list[Page]:
    """Which pages to check again after `page` was published."""
    page = page.specific
    project = project_for(page)
    if project is None or not project.programmes.exists():
        return []
    if isinstance(page, ProjectPage):
        keys = [page.translation_key]
        affected: list[Page] = list(ProjectPage.objects.live().filter(translation_key__in=keys))
        affected += list(EventPage.objects.live().filter(project__translation_key=page.translation_key))
        return affected
    return list(Page.objects.live().filter(translation_key=page.translation_key).specific())
