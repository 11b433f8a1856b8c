"""What the website pages render: thin glue between requests, read queries and templates."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from taggit.models import Tag

from portal.cache import csrf_placeholder, kept
from portal.context_processors import centre_page_url, centre_settings
from portal.ratelimit import RateLimit, over_limit
from portal.text import printable

#: News items per page of the index.
NEWS_PAGE_SIZE = 10
#: The oldest year the filter accepts.
FIRST_YEAR = 1990


class CountedPaginator(Paginator):
    """A paginator told how many objects there are (a count already known or kept)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _parse_year(raw: str, *, problems: list[str]) -> int | None:
    if not raw:
        return None
    today = timezone.localdate()
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= today.year + 1:
        return int(raw)
    problems.append(
        _("“%(value)s” is not a year we have news from, so news from every year is shown.") % {"value": raw}
    )
    return None


def news_index_context(*, page, request: HttpRequest) -> dict:
    """The index's list for the query string (?tag=, ?year=, ?page=), with the filter choices."""
    problems: list[str] = []
    news = page.published_news()
    # The filter's choices change only with the content: kept with the cache version.
    tags = kept(
        "news-tags",
        page.pk,
        build=lambda: list(
            Tag.objects.filter(website_newspagetag_items__content_object__in=news).distinct().order_by("name")
        ),
    )
    years = kept("news-years", page.pk, build=lambda: [day.year for day in news.dates("date", "year", order="DESC")])

    tag_slug = printable(request.GET.get("tag"))[:100]
    tag = next((t for t in tags if t.slug == tag_slug), None)
    if tag_slug and tag is None:
        problems.append(_("There is no news with the tag “%(value)s”, so all news is shown.") % {"value": tag_slug})
    year = _parse_year(printable(request.GET.get("year"))[:10], problems=problems)

    listed = news
    if tag is not None:
        listed = listed.filter(tags=tag)
    if year is not None:
        listed = listed.filter(date__year=year)
    # How many items the filter selects changes only with the content, like the list
    # itself (a kept fragment, templates/website/news_index_page.html): the list is read
    # only when that fragment is rendered again.
    count = kept("news-count", page.pk, getattr(tag, "pk", None), year, build=listed.count)
    paginator = CountedPaginator(listed.listed(), NEWS_PAGE_SIZE, count=count)
    number = request.GET.get("page") or 1
    try:
        page_obj = paginator.page(number)
    except PageNotAnInteger:
        page_obj = paginator.page(1)
        problems.append(_("The page number was not valid, so the first page is shown."))
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
        problems.append(_("There are not that many pages of news, so the last page is shown."))
    return {
        "news_items": page_obj.object_list,
        "page_obj": page_obj,
        "tags": tags,
        "years": years,
        "selected_tag": tag,
        "selected_year": year,
        "filter_problems": problems,
        "feed_links": page.feed_links(request),
    }


def news_index_response(*, page, request: HttpRequest) -> HttpResponse:
    return page.render(request, context_overrides=news_index_context(page=page, request=request))


def _in_language(linked, locale):
    """The live page in the news item's language (or, without a live translation, the page itself if live)."""
    if linked is None:
        return None
    translated = linked.get_translation_or_none(locale)
    if translated is not None and translated.live:
        return translated.specific
    return linked.specific if linked.live else None


def _public(page) -> bool:
    """True for a page anonymous visitors may see (no view restriction on it, its ancestors or
    their translations)."""
    return page is not None and not page.get_view_restrictions().exists()


def _disclosed_project(page):
    """The live project whose funding disclosure the news item shows: its own, or its event's."""
    project = page.project
    if project is None and page.event is not None:
        project = page.event.project
    return _in_language(project, page.locale)


def news_page_context(*, page, request: HttpRequest) -> dict:
    """The news item's index, tags, and the live project and event it belongs to (in its language).

    Kept per cache version (any publish starts a new one), except in a preview, which shows the
    draft's own links."""

    def linked() -> dict:
        index = page.get_parent().specific
        project = _disclosed_project(page)
        event = _in_language(page.event, page.locale) if page.event_id else None
        return {
            "project": project,
            # A private project or event (a login or a password) is never named or linked.
            "project_link": project if _public(project) else None,
            "event": event if _public(event) else None,
            "news_tags": sorted(page.tags.all(), key=lambda tag: tag.name),
            "news_index": index,
        }

    context = linked() if getattr(request, "is_preview", False) else kept("news-linked", page.pk, build=linked)
    index = context["news_index"]
    return {**context, "feed_links": index.feed_links(request) if hasattr(index, "feed_links") else {}}


# Contact ---------------------------------------------------------------------------------

DEFAULT_CONTACT_RATE_LIMIT = (5, 600)  # at most 5 messages per address per 10 minutes


def contact_page_context(*, page, request: HttpRequest) -> dict:
    """The centre's contact facts (address, map link, opening hours, accessibility) and the privacy notice."""
    centre = centre_settings(request)
    query = ", ".join(part for part in (centre.street, f"{centre.postal_code} {centre.city}".strip()) if part)
    map_url = centre.map_url or (f"https://www.openstreetmap.org/search?{urlencode({'query': query})}" if query else "")
    return {
        "privacy_url": centre_page_url(request, "privacy_page"),
        "accessibility_url": centre_page_url(request, "accessibility_page"),
        "map_url": map_url,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
    }


def contact_page_response(*, page, request: HttpRequest) -> HttpResponse:
    """GET shows the form (or the thanks after ?sent=1); POST checks the limit and the form, stores
    the message (the worker e-mails it) and redirects."""
    if request.method == "POST":
        limit, window = getattr(settings, "CONTACT_RATE_LIMIT", DEFAULT_CONTACT_RATE_LIMIT)
        if over_limit(request, scope="contact", rate=RateLimit(limit, window)):
            response = render(request, "website/contact_rate_limited.html", {"page": page}, status=429)
            response["Retry-After"] = str(window)
            return response
        form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
        if form.is_valid():
            page.process_form_submission(form)
            return redirect((page.get_url(request) or "/") + "?sent=1")
    else:
        form = page.get_form(page=page, user=request.user)
    context = page.get_context(request)
    context["form"] = form
    if request.method != "POST":
        # The page may be kept by the page cache: each response gets the visitor's own token.
        context["csrf_token"] = csrf_placeholder()
    if context["sent"]:
        return TemplateResponse(request, page.get_landing_page_template(request), context)
    return TemplateResponse(request, page.get_template(request), context)
