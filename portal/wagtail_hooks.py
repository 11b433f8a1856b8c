"""The staff guide ("Nápověda pro pracovníky centra"): an admin page reachable from the admin menu."""

from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

#: The guide is written per language; other languages get the Czech one.
GUIDE_LANGUAGES = ("cs", "en")


class StaffGuideView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Help for the centre's staff")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_template_names(self):
        language = (get_language() or "cs")[:2]
        return [f"portal/admin/staff_guide_{language if language in GUIDE_LANGUAGES else 'cs'}.html"]


@hooks.register("register_admin_urls")
def register_staff_guide_url():
    return [path("staff-guide/", StaffGuideView.as_view(), name="portal_staff_guide")]


@hooks.register("register_admin_menu_item")
def register_staff_guide_menu_item():
    return MenuItem(_("Help for the centre's staff"), reverse("portal_staff_guide"), icon_name="help", order=10000)
