"""Admin: the funding programme snippet, the publicity report, evidence, pack and poster downloads, controller
links and the dashboard panel."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from projects import views
from projects.models import FundingProgramme, ProjectPage, PublicityCheck, RuleSeverity
from projects.publicity.poster import A3, POSTER_KINDS, SCREEN
from projects.selectors import obligation_counts


class FundingProgrammeViewSet(SnippetViewSet):
    model = FundingProgramme
    icon = "pick"
    menu_label = _("Funding programmes")
    list_display = ["name", "short_name", "kind", "registration_number_example"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


register_snippet(FundingProgrammeViewSet)


@hooks.register("register_admin_urls")
def register_publicity_urls():
    return [
        path("reports/publicity/", views.PublicityReportView.as_view(), name="projects_publicity_report"),
        path(
            "reports/publicity/pages/<int:snapshot_id>/evidence/",
            views.publicity_page_evidence,
            name="projects_publicity_page_evidence",
        ),
        path(
            "reports/publicity/screenshots/<int:screenshot_id>/",
            views.publicity_screenshot,
            name="projects_publicity_screenshot",
        ),
        path("projects/<int:project_id>/publicity/", views.publicity_project, name="projects_publicity_project"),
        path(
            "projects/<int:project_id>/publicity-evidence/",
            views.publicity_evidence,
            name="projects_publicity_evidence",
        ),
        path("reports/obligations/", views.obligation_register, name="projects_obligations"),
        path("projects/<int:project_id>/obligations/", views.project_obligations, name="projects_obligations_project"),
        path("obligations/<int:obligation_id>/", views.obligation_edit, name="projects_obligation_edit"),
        path(
            "obligations/<int:obligation_id>/evidence/",
            views.obligation_evidence_add,
            name="projects_obligation_evidence_add",
        ),
        path(
            "projects/<int:project_id>/evidence-pack/",
            views.publicity_evidence_pack,
            name="projects_publicity_evidence_pack",
        ),
        path(
            "projects/<int:project_id>/controller-links/new/",
            views.controller_link_create,
            name="projects_controller_link_create",
        ),
        path(
            "projects/<int:project_id>/controller-links/<int:link_id>/revoke/",
            views.controller_link_revoke,
            name="projects_controller_link_revoke",
        ),
        path("reports/monitoring/", views.monitoring_export, name="projects_monitoring_export"),
        path(
            "projects/<int:project_id>/poster.pdf",
            views.project_poster_download,
            {"kind": A3},
            name="projects_poster_a3",
        ),
        path(
            "projects/<int:project_id>/poster.png",
            views.project_poster_download,
            {"kind": SCREEN},
            name="projects_poster_screen",
        ),
    ]


@hooks.register("register_page_header_buttons")
def project_poster_buttons(page, user, view_name, next_url=None):
    """The poster downloads in a live funded project's header menu, for those who may edit it."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, ProjectPage) or not page.live:
        return
    if not page.permissions_for_user(user).can_edit() or not page.specific.programmes.exists():
        return
    yield Button(POSTER_KINDS[A3], reverse("projects_poster_a3", args=[page.pk]), icon_name="download", priority=90)
    yield Button(
        POSTER_KINDS[SCREEN], reverse("projects_poster_screen", args=[page.pk]), icon_name="download", priority=91
    )


def _is_project(page) -> bool:
    specific_class = page.specific_class
    return specific_class is not None and issubclass(specific_class, ProjectPage)


@hooks.register("register_page_header_buttons")
def project_obligations_button(page, user, view_name, next_url=None):
    """The project's obligation register in its header menu, for staff who may read the register."""
    if _is_project(page) and views.may_read_obligations(user):
        yield Button(
            _("Publicity obligations"),
            reverse("projects_obligations_project", args=[page.pk]),
            icon_name="list-ul",
            priority=92,
        )


@hooks.register("register_page_listing_more_buttons")
def project_obligations_listing_button(page, user, next_url=None):
    """The same link in the page listing's "More" menu of each project."""
    if _is_project(page) and views.may_read_obligations(user):
        yield Button(
            _("Publicity obligations"),
            reverse("projects_obligations_project", args=[page.pk]),
            icon_name="list-ul",
            priority=60,
        )


class ObligationRegisterMenuItem(MenuItem):
    """Shown only to staff who may read the obligation register."""

    def is_shown(self, request):
        return views.may_read_obligations(request.user)


@hooks.register("register_reports_menu_item")
def register_obligation_register_menu_item():
    return ObligationRegisterMenuItem(
        _("Publicity obligations"), reverse("projects_obligations"), icon_name="list-ul", order=710
    )


@hooks.register("register_page_header_buttons")
def project_monitoring_button(page, user, view_name, next_url=None):
    """The monitoring export of a project, in its header menu, for Registration managers."""
    if not _is_project(page) or not views.may_export_monitoring(user):
        return
    url = reverse("projects_monitoring_export") + f"?project={page.pk}"
    yield Button(_("Monitoring export (XLSX)"), url, icon_name="download", priority=93)


class MonitoringExportMenuItem(MenuItem):
    """Shown only to Registration managers: the export is derived from personal data."""

    def is_shown(self, request):
        return views.may_export_monitoring(request.user)


@hooks.register("register_reports_menu_item")
def register_monitoring_menu_item():
    return MonitoringExportMenuItem(
        _("Monitoring export"), reverse("projects_monitoring_export"), icon_name="download", order=720
    )


class PublicityReportMenuItem(MenuItem):
    """Shown only to staff who may read the publicity report."""

    def is_shown(self, request):
        return views.may_read_publicity(request.user)


@hooks.register("register_reports_menu_item")
def register_publicity_report_menu_item():
    return PublicityReportMenuItem(
        _("Publicity compliance"), reverse("projects_publicity_report"), icon_name="tick-inverse", order=700
    )


@hooks.register("register_permissions")
def register_publicity_permissions():
    """Reading the publicity report and its evidence, the obligation register, and making and revoking
    controller links, can be given to a group in Settings → Groups."""
    return Permission.objects.filter(
        content_type__app_label="projects",
        codename__in=[
            "view_publicitycheck",
            "view_obligation",
            "change_obligation",
            "view_controllerlink",
            "add_controllerlink",
            "change_controllerlink",
        ],
    )


class PublicityPanel(Component):
    name = "publicity_failures"
    order = 90
    template_name = "projects/admin/publicity_panel.html"

    def __init__(self, *, show_failures: bool = True, show_obligations: bool = False):
        self.show_failures = show_failures
        self.show_obligations = show_obligations

    def get_context_data(self, parent_context=None):
        context = {
            "show_failures": self.show_failures,
            "obligations": obligation_counts() if self.show_obligations else None,
            "obligations_url": reverse("projects_obligations"),
        }
        if not self.show_failures:
            return context
        language = translation.get_language()
        # Only a legal rule in force fails; house rules and rules out of their period are warnings.
        failures = PublicityCheck.objects.filter(
            is_current=True, passed=False, in_force=True, severity=RuleSeverity.LEGAL
        ).order_by("page_title", "locale", "rule")
        latest = PublicityCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
        shown = list(failures[:15])
        for check in shown:
            check.reason_text = check.reason_in(language)
        return {
            **context,
            "failures": shown,
            "failure_count": failures.count(),
            "last_checked_at": latest,
            "report_url": reverse("projects_publicity_report"),
        }


@hooks.register("construct_homepage_panels")
def add_publicity_panel(request, panels):
    show_failures = views.may_read_publicity(request.user)
    show_obligations = views.may_read_obligations(request.user)
    if show_failures or show_obligations:
        panels.append(PublicityPanel(show_failures=show_failures, show_obligations=show_obligations))
