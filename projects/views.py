"""Admin views: the publicity compliance report, a project's evidence page and download, its posters
(thin; the work is in projects/publicity)."""

import io
import json
import zipfile

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from projects.models import ProjectPage, PublicityCheck, PublicitySnapshot
from projects.publicity import RULES, run_publicity_check
from projects.publicity.poster import A3, PosterError, poster_filename, project_poster

POSTER_CONTENT_TYPES = {A3: "application/pdf"}


class PublicityCheckFilterSet(WagtailFilterSet):
    is_current = django_filters.BooleanFilter(label=_("Latest check only"))
    passed = django_filters.BooleanFilter(label=_("Passed"))
    locale = django_filters.ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=list(RULES.items()))
    checked_at = django_filters.DateFromToRangeFilter(label=_("Checked"), widget=DateRangePickerWidget)

    class Meta:
        model = PublicityCheck
        fields = ["is_current", "passed", "locale", "rule", "checked_at"]


def _evidence_url(check: PublicityCheck) -> str | None:
    return reverse("projects_publicity_project", args=[check.project_id]) if check.project_id else None


class PublicityReportView(ReportView):
    """Every page and rule, with filters and XLSX/CSV export."""

    page_title = _("Publicity compliance")
    header_icon = "tick-inverse"
    index_url_name = "projects_publicity_report"
    index_results_url_name = "projects_publicity_report_results"
    filterset_class = PublicityCheckFilterSet
    paginate_by = 100
    columns = [
        TitleColumn("page_title", label=_("Page"), get_url=_evidence_url),
        Column("locale", label=_("Language")),
        Column("programme", label=_("Programme")),
        Column("rule_label", label=_("Rule")),
        BooleanColumn("passed", label=_("Passed")),
        Column("reason", label=_("Reason")),
        Column("viewport", label=_("Viewport")),
        BooleanColumn("browser", label=_("Checked in a browser")),
        Column("source", label=_("Source")),
        Column("severity_label", label=_("Severity")),
        BooleanColumn("in_force", label=_("In force")),
        DateColumn("checked_at", label=_("Checked")),
    ]
    list_export = [
        "checked_at",
        "page_title",
        "locale",
        "url",
        "programme",
        "rule",
        "rule_label",
        "passed",
        "reason",
        "viewport",
        "browser",
        "source",
        "severity",
        "in_force",
    ]
    export_headings = {
        "checked_at": _("Checked"),
        "page_title": _("Page"),
        "locale": _("Language"),
        "url": _("Address"),
        "programme": _("Programme"),
        "rule": _("Rule code"),
        "rule_label": _("Rule"),
        "passed": _("Passed"),
        "reason": _("Reason"),
        "viewport": _("Viewport"),
        "browser": _("Checked in a browser"),
        "source": _("Source"),
        "severity": _("Severity"),
        "in_force": _("In force"),
    }

    def get_filename(self):
        return f"publicity-compliance-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return PublicityCheck.objects.select_related("snapshot").order_by("-checked_at", "page_title", "locale", "rule")

    def decorate_paginated_queryset(self, object_list):
        for check in object_list:
            check.rule_label = str(RULES.get(check.rule, check.rule))
            check.severity_label = check.get_severity_display()
            check.url = check.snapshot.url
        return object_list

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(self.decorate_paginated_queryset(list(queryset)), spreadsheet_format)


def _project_pages(project: ProjectPage):
    """The live project page in every language."""
    return Page.objects.filter(translation_key=project.translation_key).live().order_by("locale__language_code")


def _stored_snapshots(project: ProjectPage) -> list[PublicitySnapshot]:
    """The latest stored snapshot of each language's page (read only)."""
    latest = []
    for page in _project_pages(project):
        snapshot = PublicitySnapshot.objects.filter(page=page).order_by("-checked_at", "-pk").first()
        if snapshot is not None:
            latest.append(snapshot)
    return latest


def _can_check_again(request: HttpRequest, project: ProjectPage) -> bool:
    return project.permissions_for_user(request.user).can_edit()


@require_http_methods(["GET", "HEAD", "POST"])
def publicity_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's stored publicity evidence, with a button that checks its pages again.

    GET only shows what is stored; checking again renders and stores new
    snapshots, so it is a POST, for those who may edit the project.
    """
    project = get_object_or_404(ProjectPage, pk=project_id)
    may_check = _can_check_again(request, project)
    if request.method == "POST":
        if not may_check:
            raise PermissionDenied
        checked = run_publicity_check(pages=list(_project_pages(project)))
        messages.success(
            request,
            ngettext(
                "%(count)d page was checked again and its evidence stored.",
                "%(count)d pages were checked again and their evidence stored.",
                len(checked),
            )
            % {"count": len(checked)},
        )
        return redirect("projects_publicity_project", project.pk)
    snapshots = _stored_snapshots(project)
    rows = [
        {"snapshot": snapshot, "failed": [c for c in snapshot.checks.order_by("rule") if not c.passed]}
        for snapshot in snapshots
    ]
    return TemplateResponse(
        request,
        "projects/admin/publicity_project.html",
        {"project": project, "rows": rows, "may_check": may_check},
    )


@require_http_methods(["GET", "HEAD"])
def publicity_evidence(request: HttpRequest, project_id: int) -> HttpResponse:
    """A dated zip: each language's page HTML exactly as published, with the check results and time.

    Only what is stored: a project never checked yet leads to its evidence page,
    whose button checks it.
    """
    project = get_object_or_404(ProjectPage, pk=project_id)
    snapshots = _stored_snapshots(project)
    if not snapshots:
        return redirect("projects_publicity_project", project.pk)
    today = timezone.localdate()
    buffer = io.BytesIO()
    record = {"project": project.title, "registration_number": project.registration_number, "pages": []}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for snapshot in snapshots:
            stamp = timezone.localtime(snapshot.checked_at)
            base = f"{slugify(snapshot.page_title)}-{snapshot.locale}-{stamp:%Y-%m-%d-%H%M}"
            archive.writestr(f"{base}.html", snapshot.html)
            files = {f"{base}.html": snapshot.html_sha256}
            if snapshot.standalone_html:
                archive.writestr(f"{base}-offline.html", snapshot.standalone_html)
                files[f"{base}-offline.html"] = snapshot.standalone_sha256
            for shot in snapshot.screenshots.all():
                with shot.image.open("rb") as handle:
                    archive.writestr(f"{base}-{shot.viewport}.png", handle.read())
                files[f"{base}-{shot.viewport}.png"] = shot.sha256
            checks = list(snapshot.checks.order_by("rule", "viewport"))
            lines = [
                f"{snapshot.page_title} ({snapshot.locale})",
                f"URL: {snapshot.url}",
                f"Checked at: {stamp:%Y-%m-%d %H:%M:%S %Z}",
                f"HTTP status: {snapshot.status_code}",
                f"Browser: {snapshot.browser or 'NOT CHECKED IN A BROWSER (HTML rules only)'}",
                "",
            ]
            lines += [f"SHA-256 {digest}  {name}" for name, digest in files.items()] + [""]
            lines += [
                f"[{'OK' if c.passed else ('FAIL' if c.in_force else 'not in force')}]"
                f"{f' [{c.viewport}]' if c.viewport else ''} {RULES.get(c.rule, c.rule)} — {c.reason} ({c.source})"
                for c in checks
            ]
            archive.writestr(f"{base}-result.txt", "\n".join(lines) + "\n")
            record["pages"].append(
                {
                    "title": snapshot.page_title,
                    "language": snapshot.locale,
                    "url": snapshot.url,
                    "checked_at": snapshot.checked_at.isoformat(),
                    "html_file": f"{base}.html",
                    "browser": snapshot.browser or None,
                    "files_sha256": files,
                    "results": [
                        {
                            "rule": c.rule,
                            "label": str(RULES.get(c.rule, c.rule)),
                            "passed": c.passed,
                            "reason": c.reason,
                            "source": c.source,
                            "severity": c.severity,
                            "in_force": c.in_force,
                            "viewport": c.viewport,
                            "browser": c.browser,
                        }
                        for c in checks
                    ],
                    "passed": all(c.passed for c in checks),
                }
            )
        archive.writestr("evidence.json", json.dumps(record, ensure_ascii=False, indent=2))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    filename = f"publicity-evidence-{slugify(project.title)}-{today:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def project_poster_download(request: HttpRequest, project_id: int, kind: str) -> HttpResponse:
    """The project's poster (A3 PDF or screen PNG), for those who may edit the project.

    What keeps the poster from being made (a draft, a missing logo) comes back as a message on the edit page.
    """
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not project.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    try:
        data = project_poster(project=project, kind=kind)
    except PosterError as error:
        messages.error(request, str(error))
        return redirect("wagtailadmin_pages:edit", project.pk)
    response = HttpResponse(data, content_type=POSTER_CONTENT_TYPES.get(kind, "image/png"))
    response["Content-Disposition"] = f'attachment; filename="{poster_filename(project=project, kind=kind)}"'
    return response
