"""Admin: the funding programme snippet, the publicity report, evidence downloads and the dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from projects import views
from projects.models import FundingProgramme, PublicityCheck


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
            "reports/publicity/results/",
            views.PublicityReportView.as_view(results_only=True),
            name="projects_publicity_report_results",
        ),
        path("projects/<int:project_id>/publicity/", views.publicity_project, name="projects_publicity_project"),
        path(
            "projects/<int:project_id>/publicity-evidence/",
            views.publicity_evidence,
            name="projects_publicity_evidence",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_publicity_report_menu_item():
    return MenuItem(
        _("Publicity compliance"), reverse("projects_publicity_report"), icon_name="tick-inverse", order=700
    )


class PublicityPanel(Component):
    name = "publicity_failures"
    order = 90
    template_name = "projects/admin/publicity_panel.html"

    def get_context_data(self, parent_context=None):
        failures = PublicityCheck.objects.filter(is_current=True, passed=False).order_by("page_title", "locale", "rule")
        latest = PublicityCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
        return {
            "failures": list(failures[:15]),
            "failure_count": failures.count(),
            "last_checked_at": latest,
            "report_url": reverse("projects_publicity_report"),
        }


@hooks.register("construct_homepage_panels")
def add_publicity_panel(request, panels):
    panels.append(PublicityPanel())
