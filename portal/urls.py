from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from home import views as home_views
from portal import views as portal_views
from portal.sitemaps import PortalSitemap

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PortalSitemap}}, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    # A funder's controller's read-only view of one project, opened with a link staff give (no account).
    path("kontrola/", include("projects.controller_urls")),
    path("", RedirectView.as_view(url=f"/{settings.LANGUAGE_CODE}/", permanent=False), name="root_redirect"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", home_views.search, name="search"),
    path("registrations/", include("events.registrations.urls")),
    # Page sub-routes that are files (calendar.ics, publicity.json): Wagtail's own pattern needs a trailing slash.
    re_path(r"^(?P<path>(?:[\w\-]+/)*[\w\-]+\.(?:ics|json))$", portal_views.serve, name="page_file"),
    # Wagtail's password form for password-protected pages, at its own address,
    # with a limit on wrong passwords per visitor address (portal/views.py).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        portal_views.authenticate_with_password,
        name="page_password",
    ),
    # Wagtail's own front-end views but its serve view (its login form for pages restricted to signed-in users)...
    path("", include([pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"])),
    # ...and its serve view, at its own pattern and name, routed through kept addresses (portal/routing.py).
    re_path(serve_pattern, portal_views.serve, name="wagtail_serve"),
    prefix_default_language=True,
)
