"""Admin views: the publicity report, a project's evidence page, the evidence downloads and pack, its
posters, its controller links and its monitoring export (thin; the work is in projects.publicity,
projects.services and projects.monitoring)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_required
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import Locale, Page
from wagtail.permission_policies import ModelPermissionPolicy

from portal.admin_views import admin_forbidden, admin_permission_required
from projects import services
from projects.forms import ControllerLinkForm, EvidencePackForm, MonitoringExportForm, PublicityReportFilterForm
from projects.models import ControllerLink, ProjectPage, PublicityCheck, PublicityScreenshot, PublicitySnapshot
from projects.monitoring import monitoring_filename, monitoring_workbook
from projects.publicity import run_publicity_check
from projects.publicity.evidence import evidence_archive
from projects.publicity.pack import evidence_pack, pack_filename
from projects.publicity.poster import A3, PosterError, poster_filename, project_poster
from projects.publicity.report import export_rows, project_choices, publicity_report

READ_PERMISSION = "projects.view_publicitycheck"
CONTROLLER_LINK_CREATE = "projects.add_controllerlink"
CONTROLLER_LINK_REVOKE = "projects.change_controllerlink"
CONTROLLER_LINK_PERMISSIONS = (CONTROLLER_LINK_CREATE, CONTROLLER_LINK_REVOKE, "projects.view_controllerlink")
PARTICIPANT_DATA_PERMISSION = "registrations.view_registration"
publicity_permission_policy = ModelPermissionPolicy(PublicityCheck)
POSTER_CONTENT_TYPES = {A3: "application/pdf"}


def may_read_publicity(user) -> bool:
    """Whether a member of staff may read the publicity report and its evidence."""
    return publicity_permission_policy.user_has_permission(user, "view")


class PublicityReportView(SpreadsheetExportMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """Each project, then each of its pages, failing rules first, with the evidence beside each page.

    GET only; the filters are a plain form, so it works without JavaScript.
    The same rows download as CSV or XLSX.
    """

    permission_policy = publicity_permission_policy
    permission_required = "view"
    template_name = "projects/admin/publicity_report.html"
    page_title = _("Publicity compliance")
    header_icon = "tick-inverse"
    show_export_buttons = False  # plain links in the page instead of the header's drop-down
    list_export = [
        "project",
        "page",
        "language",
        "url",
        "programme",
        "rule",
        "label",
        "outcome_label",
        "reason",
        "source",
        "viewport",
        "browser",
        "checked_at",
    ]
    export_headings = {
        "project": _("Project"),
        "page": _("Page"),
        "language": _("Language"),
        "url": _("Address"),
        "programme": _("Programme"),
        "rule": _("Rule code"),
        "label": _("Rule"),
        "outcome_label": _("Result"),
        "reason": _("Reason"),
        "source": _("Source"),
        "viewport": _("Viewport"),
        "browser": _("Checked in a browser"),
        "checked_at": _("Checked"),
    }

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_filename(self):
        return f"publicity-compliance-{timezone.localdate():%Y-%m-%d}"

    def stream_csv(self, queryset):
        # Written now, in the reader's language: a streamed response is read after the view has returned.
        return iter(list(super().stream_csv(queryset)))

    def get(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language()
        form = PublicityReportFilterForm(request.GET or None, project_choices=project_choices(language=language))
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        reports = publicity_report(
            language=language,
            project_key=filters.get("project") or None,
            only_failing=bool(filters.get("only_failing")),
            checked_from=filters.get("checked_from"),
            checked_to=filters.get("checked_to"),
        )
        if self.is_export:
            return self.as_spreadsheet(export_rows(reports), request.GET["export"])
        for report in reports:
            report.may_check = report.project.permissions_for_user(request.user).can_edit()
        context = self.get_context_data(
            form=form,
            reports=reports,
            totals={
                "fails": sum(r.fails for r in reports),
                "warnings": sum(r.warnings for r in reports),
                "passes": sum(r.passes for r in reports),
            },
            filtered=any(request.GET.get(name) for name in form.fields),
            pack_period=_pack_period(filters.get("checked_from"), filters.get("checked_to")),
            csv_url=self.get_export_url("csv"),
            xlsx_url=self.get_export_url("xlsx"),
        )
        return self.render_to_response(context)


def _pack_period(start: datetime.date | None, end: datetime.date | None) -> str:
    """The report's period as the evidence pack's query string, when the report names a whole one."""
    if start is None or end is None:
        return ""
    form = EvidencePackForm({"period_start": start.isoformat(), "period_end": end.isoformat()})
    return urlencode(form.data) if form.is_valid() else ""


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


def _zip_response(content: bytes, *, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.zip"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(READ_PERMISSION)
def publicity_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's stored publicity evidence, with a button that checks its pages again.

    GET only shows what is stored; checking again renders and stores new
    snapshots, so it is a POST, for those who may edit the project. A `next`
    address in the admin (the report) is where the POST leads back to.
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
        return redirect(
            get_valid_next_url_from_request(request) or reverse("projects_publicity_project", args=[project.pk])
        )
    return _project_page(request, project, may_check=may_check)


def _default_period(project: ProjectPage) -> dict:
    today = timezone.localdate()
    start = project.start_date if project.start_date and project.start_date <= today else today.replace(day=1)
    return {"period_start": start, "period_end": today}


def _project_page(
    request: HttpRequest, project: ProjectPage, *, may_check: bool, pack_form: EvidencePackForm | None = None
) -> HttpResponse:
    snapshots = _stored_snapshots(project)
    rows = [
        {"snapshot": snapshot, "failed": [c for c in snapshot.checks.order_by("rule") if not c.passed]}
        for snapshot in snapshots
    ]
    may_see_links = any(request.user.has_perm(permission) for permission in CONTROLLER_LINK_PERMISSIONS)
    links = (
        list(ControllerLink.objects.filter(project__translation_key=project.translation_key).select_related("project"))
        if may_see_links
        else []
    )
    return TemplateResponse(
        request,
        "projects/admin/publicity_project.html",
        {
            "project": project,
            "rows": rows,
            "may_check": may_check,
            "pack_form": pack_form or EvidencePackForm(initial=_default_period(project)),
            "may_see_links": may_see_links,
            "may_create_link": request.user.has_perm(CONTROLLER_LINK_CREATE),
            "may_revoke_link": request.user.has_perm(CONTROLLER_LINK_REVOKE),
            "links": links,
        },
    )


@require_http_methods(["GET", "HEAD"])
@permission_required(READ_PERMISSION)
def publicity_evidence(request: HttpRequest, project_id: int) -> HttpResponse:
    """A dated zip: each language's project page as published and offline, its screenshots, results and checksums.

    Only what is stored: a project never checked yet leads to its evidence page,
    whose button checks it.
    """
    project = get_object_or_404(ProjectPage, pk=project_id)
    snapshots = _stored_snapshots(project)
    if not snapshots:
        return redirect("projects_publicity_project", project.pk)
    content = evidence_archive(snapshots, title=project.title, registration_number=project.registration_number)
    return _zip_response(content, name=f"publicity-evidence-{slugify(project.title)}")


@require_http_methods(["GET", "HEAD"])
@permission_required(READ_PERMISSION)
def publicity_page_evidence(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """One page's stored check as a zip: its HTML as published and offline, screenshots, results and checksums."""
    snapshot = get_object_or_404(PublicitySnapshot.objects.select_related("project"), pk=snapshot_id)
    project = snapshot.project
    content = evidence_archive(
        [snapshot],
        title=project.title if project else snapshot.page_title,
        registration_number=project.registration_number if project else "",
    )
    stamp = timezone.localtime(snapshot.checked_at)
    return _zip_response(
        content, name=f"publicity-evidence-{slugify(snapshot.page_title)}-{snapshot.locale}-{stamp:%H%M}"
    )


@require_http_methods(["GET", "HEAD"])
@permission_required(READ_PERMISSION)
def publicity_screenshot(request: HttpRequest, screenshot_id: int) -> HttpResponse:
    """A stored full-page screenshot, shown in the browser."""
    shot = get_object_or_404(PublicityScreenshot, pk=screenshot_id)
    try:
        handle = shot.image.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The screenshot file is missing from the media storage.")) from error
    return FileResponse(handle, content_type="image/png", filename=f"{shot.snapshot_id}-{shot.viewport}.png")


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


# The obligation register ------------------------------------------------------------------------

OBLIGATION_READ = "projects.view_obligation"
OBLIGATION_CHANGE = "projects.change_obligation"


def may_read_obligations(user) -> bool:
    """Whether a member of staff may read the obligation register (the view or change permission)."""
    return bool(user.is_active and (user.has_perm(OBLIGATION_READ) or user.has_perm(OBLIGATION_CHANGE)))


def may_change_obligations(user) -> bool:
    return bool(user.is_active and user.has_perm(OBLIGATION_CHANGE))


#: The 403 page of the obligation views.
OBLIGATIONS_REFUSED = {
    "title": _("Publicity obligations"),
    "message": _(
        "You may not see or change the publicity obligations. "
        "An administrator can give your group the permission in Settings → Groups."
    ),
}


@admin_permission_required(may_read_obligations, **OBLIGATIONS_REFUSED)
@require_http_methods(["GET", "HEAD"])
def obligation_register(request: HttpRequest) -> HttpResponse:
    """Every project's obligations: what is missing and what is due soon first."""
    from projects.models import ObligationStatus
    from projects.selectors import obligation_counts
    from projects.selectors import obligation_register as register_rows

    status = request.GET.get("status", "")
    if status not in ObligationStatus.values:
        status = ""
    return TemplateResponse(
        request,
        "projects/admin/obligation_register.html",
        {
            "rows": register_rows(status=status),
            "counts": obligation_counts(),
            "status": status,
            "statuses": ObligationStatus.choices,
        },
    )


@admin_permission_required(may_read_obligations, **OBLIGATIONS_REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def project_obligations(request: HttpRequest, project_id: int) -> HttpResponse:
    """One project's obligations with their sources, deadlines, status and evidence.

    A POST (for those who may change the register) generates the register again from the project's facts.
    """
    from projects.models import Obligation
    from projects.obligations import project_obligations_update, source_page
    from projects.selectors import project_attendance_dates

    project = source_page(get_object_or_404(ProjectPage, pk=project_id))
    may_change = may_change_obligations(request.user)
    if request.method == "POST":
        if not may_change:
            return admin_forbidden(request, **OBLIGATIONS_REFUSED)
        project_obligations_update(project=project)
        messages.success(request, _("The obligations were generated again from the project's facts."))
        return redirect("projects_obligations_project", project.pk)
    obligations = list(
        Obligation.objects.filter(project=project)
        .with_status()
        .select_related("responsible")
        .prefetch_related("evidence__uploaded_by")
        .order_by("due_date", "kind")
    )
    return TemplateResponse(
        request,
        "projects/admin/project_obligations.html",
        {
            "project": project,
            "obligations": obligations,
            "may_change": may_change,
            "snapshots": _stored_snapshots(project),
            "attendance_dates": list(project_attendance_dates(project=project)[:20]),
        },
    )


def _obligation(obligation_id: int):
    from projects.models import Obligation

    return get_object_or_404(Obligation.objects.select_related("project", "responsible"), pk=obligation_id)


def _staff_users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


@admin_permission_required(may_change_obligations, **OBLIGATIONS_REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def obligation_edit(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """Who answers for an obligation, whether it applies (and why not), and a note."""
    from projects.forms import ObligationForm
    from projects.obligations import ObligationError, obligation_update

    obligation = _obligation(obligation_id)
    initial = {
        "responsible": obligation.responsible,
        "not_applicable": obligation.not_applicable,
        "not_applicable_reason": obligation.not_applicable_reason,
        "note": obligation.translated_note,
    }
    form = ObligationForm(request.POST or None, initial=initial, users=_staff_users())
    if request.method == "POST" and form.is_valid():
        try:
            obligation_update(obligation=obligation, **form.cleaned_data)
        except ObligationError as error:
            form.add_error(None, _(str(error)))
        else:
            messages.success(request, _("The obligation was saved."))
            return redirect("projects_obligations_project", obligation.project_id)
    return TemplateResponse(request, "projects/admin/obligation_edit.html", {"obligation": obligation, "form": form})


@admin_permission_required(may_change_obligations, **OBLIGATIONS_REFUSED)
@require_http_methods(["GET", "HEAD", "POST"])
def obligation_evidence_add(request: HttpRequest, obligation_id: int) -> HttpResponse:
    """Upload evidence: a photo dated from its EXIF data, a link and screenshot of a post, anything else dated."""
    from django.utils.formats import date_format

    from projects.forms import ObligationEvidenceForm
    from projects.obligations import ObligationError, obligation_evidence_add

    obligation = _obligation(obligation_id)
    initial = {"kind": request.GET.get("kind") or ("url" if obligation.kind == "social_post" else "photo")}
    form = ObligationEvidenceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = obligation_evidence_add(
                obligation=obligation,
                kind=data["kind"],
                taken_on=data["taken_on"],
                user=request.user,
                file=data.get("file"),
                url=data.get("url") or "",
                note=data.get("note") or "",
            )
        except ObligationError as error:
            form.add_error(None, _(str(error)))
        else:
            if form.exif_date is not None:
                messages.success(
                    request,
                    _("The evidence was saved. The photo was taken on %(date)s (read from its EXIF data).")
                    % {"date": date_format(evidence.taken_on, "DATE_FORMAT")},
                )
            else:
                messages.success(request, _("The evidence was saved."))
            return redirect("projects_obligations_project", obligation.project_id)
    return TemplateResponse(
        request, "projects/admin/obligation_evidence_form.html", {"obligation": obligation, "form": form}
    )


@require_http_methods(["GET", "HEAD"])
@permission_required(READ_PERMISSION)
def publicity_evidence_pack(request: HttpRequest, project_id: int) -> HttpResponse:
    """The evidence pack of a reporting period (GET ?period_start=…&period_end=…): one zip for a progress report.

    A period that is not one comes back as the project's evidence page with the form's messages.
    Files of the documents for participants are packed only for staff who may see registrations.
    """
    project = get_object_or_404(ProjectPage, pk=project_id)
    form = EvidencePackForm(request.GET)
    if not form.is_valid():
        return _project_page(request, project, may_check=_can_check_again(request, project), pack_form=form)
    start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    archive = evidence_pack(
        project=project,
        start=start,
        end=end,
        language=translation.get_language(),
        include_participant_files=request.user.has_perm(PARTICIPANT_DATA_PERMISSION),
    )
    return FileResponse(
        archive,
        as_attachment=True,
        filename=pack_filename(project=project, start=start, end=end),
        content_type="application/zip",
    )


#: The 403 page of the controller link views.
CONTROLLER_LINKS_REFUSED = {
    "title": _("Controller links"),
    "message": _(
        "You may not create or revoke controller links. "
        "An administrator can give you the permission in Settings → Groups."
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
@admin_permission_required(lambda user: user.has_perm(CONTROLLER_LINK_CREATE), **CONTROLLER_LINKS_REFUSED)
def controller_link_create(request: HttpRequest, project_id: int) -> HttpResponse:
    """Make a controller link: GET shows the form, POST makes the link and shows its address once."""
    project = get_object_or_404(ProjectPage, pk=project_id)
    today = timezone.localdate()
    form = ControllerLinkForm(
        request.POST or None,
        initial={"valid_until": today + datetime.timedelta(days=services.DEFAULT_CONTROLLER_LINK_DAYS)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.controller_link_create(
                project=project,
                label=form.cleaned_data["label"],
                valid_until=form.cleaned_data["valid_until"],
                created_by=request.user,
            )
        except services.ControllerLinkError as error:
            form.add_error(error.field, str(error))
        else:
            response = TemplateResponse(
                request,
                "projects/admin/controller_link_created.html",
                {
                    "project": project,
                    "link": link,
                    "address": request.build_absolute_uri(reverse("controller:page", args=[token])),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return TemplateResponse(
        request,
        "projects/admin/controller_link_form.html",
        {"project": project, "form": form, "max_days": services.controller_link_max_days()},
    )


@require_http_methods(["POST"])
@admin_permission_required(lambda user: user.has_perm(CONTROLLER_LINK_REVOKE), **CONTROLLER_LINKS_REFUSED)
def controller_link_revoke(request: HttpRequest, project_id: int, link_id: int) -> HttpResponse:
    """Withdraw a controller link at once."""
    project = get_object_or_404(ProjectPage, pk=project_id)
    link = get_object_or_404(ControllerLink, pk=link_id, project__translation_key=project.translation_key)
    services.controller_link_revoke(link=link, revoked_by=request.user)
    messages.success(request, _("The link for “%(label)s” no longer opens.") % {"label": link.label})
    return redirect("projects_publicity_project", project.pk)


# Monitoring export -------------------------------------------------------------------

#: Derived from personal data (pseudonymous, but still): only Registration managers may download it.
MONITORING_PERMISSIONS = ("registrations.view_registration", "registrations.export_registration")


def may_export_monitoring(user) -> bool:
    return all(user.has_perm(permission) for permission in MONITORING_PERMISSIONS)


def _monitoring_projects() -> list[ProjectPage]:
    """Every project once, by its page in the default language (or its first page)."""
    default_locale = Locale.get_default()
    pages: dict = {}
    for page in ProjectPage.objects.order_by("pk"):
        if page.translation_key not in pages or page.locale_id == default_locale.pk:
            pages[page.translation_key] = page
    return sorted(pages.values(), key=lambda page: page.title)


@require_http_methods(["GET", "HEAD"])
@admin_permission_required(
    may_export_monitoring,
    title=_("Monitoring export"),
    message=_(
        "Only Registration managers may download the monitoring export: it is derived from the attendance of people."
    ),
)
def monitoring_export(request: HttpRequest) -> HttpResponse:
    """Choose a project and a period, then download its monitoring workbook (XLSX).

    A link with only `project` (from the project's page in the admin) opens the form
    with the project's period filled in; with the dates, the workbook is downloaded.
    Anyone else gets a 403 page: the address was shared by mistake.
    """
    projects = _monitoring_projects()
    choices = [(page.pk, page.title) for page in projects]
    by_pk = {page.pk: page for page in projects}
    if "date_from" in request.GET or "date_to" in request.GET:
        form = MonitoringExportForm(request.GET, project_choices=choices)
        if form.is_valid():
            project = by_pk[form.cleaned_data["project"]]
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            response = HttpResponse(
                monitoring_workbook(project=project, start=start, end=end),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            filename = monitoring_filename(project=project, start=start, end=end)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    else:
        initial = {}
        asked = _int_or_none(request.GET.get("project"))
        chosen = by_pk.get(asked)
        if chosen is None and asked is not None:  # a translation's page: the same project
            key = ProjectPage.objects.filter(pk=asked).values_list("translation_key", flat=True).first()
            chosen = next((page for page in projects if page.translation_key == key), None)
        if chosen is not None:
            initial = {"project": chosen.pk, "date_from": chosen.start_date, "date_to": chosen.end_date}
        form = MonitoringExportForm(initial=initial, project_choices=choices)
    return TemplateResponse(
        request,
        "projects/admin/monitoring_export.html",
        {"form": form, "page_title": _("Monitoring export"), "has_projects": bool(projects)},
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
