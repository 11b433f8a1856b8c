"""Search and the small site-wide views (robots.txt, error pages)."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from home.selectors import attach_summaries, search_pages
from portal.text import printable

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX = 200


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the live public pages of the current language's site (home.selectors.search_pages)."""
    query = printable(request.GET.get("q"))[:SEARCH_QUERY_MAX]
    message = ""
    results_page = None
    if query:
        results = search_pages(query, locale=Locale.get_active())
        paginator = Paginator(results, SEARCH_PAGE_SIZE)
        page_number = request.GET.get("page") or 1
        try:
            results_page = paginator.page(page_number)
        except PageNotAnInteger:
            results_page = paginator.page(1)
            message = _("The page number was not valid, so the first page is shown.")
        except EmptyPage:
            results_page = paginator.page(paginator.num_pages)
            message = _("There are not that many pages of results, so the last page is shown.")
        results_page.object_list = attach_summaries(results_page.object_list)
    return render(
        request,
        "home/search.html",
        {"search_query": query, "results": results_page, "message": message},
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /kontrola/",
        *(f"Disallow: /{code}/registrations/" for code, _name in settings.LANGUAGES),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might touch the database: the error may be the database.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
