"""Navigation, language switching and SEO helpers used by base.html."""

from django import template
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site

from portal import locales
from portal.cache import kept
from portal.text import printable_query

register = template.Library()


def _site(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def locale_home(request, language_code: str | None = None) -> Page | None:
    """The home page in the given (or the active) language, or the site root."""
    site = _site(request)
    if site is None:
        return None
    language_code = language_code or translation.get_language()
    root = site.root_page

    def build():
        home = (
            Page.objects.filter(translation_key=root.translation_key, locale__language_code=language_code)
            .live()
            .specific()
            .first()
        )
        return home or root.specific

    return kept("locale-home", site.pk, language_code, build=build)


@register.simple_tag(takes_context=True)
def home_page(context):
    return locale_home(context.get("request"))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    current = context.get("page")
    home = locale_home(request)
    items = []
    if home is not None:
        items = list(home.get_children().live().in_menu().only("id", "title", "url_path", "path", "depth"))
    return {"home": home, "items": items, "current": current, "request": request}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    ancestors = []
    if page is not None and getattr(page, "depth", 0) > 2:
        ancestors = kept(
            "ancestors",
            page.path,
            build=lambda: list(
                page.get_ancestors().filter(depth__gte=2).only("id", "title", "url_path", "path", "depth")
            ),
        )
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}


def _translations(page) -> dict[str, Page]:
    """The live translations of `page` by language code (one query, kept per cache version)."""
    if page is None or not getattr(page, "pk", None):
        return {}

    def build():
        pages = (
            Page.objects.filter(translation_key=page.translation_key)
            .live()
            .select_related("locale")
            .only(
                "id", "title", "url_path", "path", "depth", "translation_key", "content_type", "locale__language_code"
            )
        )
        return {p.locale.language_code: p for p in pages}

    return kept("translations", page.translation_key, build=build)


def _sub_route(request, page) -> str:
    """The part of the path below the page's own URL: a routable page's own
    sub-page, such as ``month/2026-11/`` or ``publicity/``."""
    if request is None:
        return ""
    own = page.get_url(request) or ""
    path = request.path
    if own.endswith("/") and path.startswith(own) and path != own:
        return path[len(own) :]
    return ""


def _view_in_language(request, code: str) -> str | None:
    """The same non-page view (search, a registration's status page) in
    another language, with its query; None on a page or an unknown path."""
    if request is None:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name in ("wagtail_serve", "page_file"):  # Wagtail's page paths: slugs differ by language
        return None
    return translate_url(request.get_full_path(), code)


def _untranslated_page_url(request, source, code: str, sub_route: str) -> str | None:
    """The address in language `code` of the default-language page `source`: its path under
    that language's prefix, where it is shown until it is translated; None without a source."""
    if source is None or request is None or code == settings.LANGUAGE_CODE:
        return None
    url = locales.url_in_language(source, code, request)
    return url + sub_route if url else None


def _query_for(target, request, code: str, current: str) -> str:
    """The query (filters, month, page number) for the same listing in the
    language `code`: as it is in the current language, else as the target
    page translates it (`translated_query`); pages that do not are linked without it."""
    if request is None:
        return ""
    try:
        query = printable_query(request.GET)
    except SuspiciousOperation:  # e.g. too many fields: link without the query
        return ""
    if not query:
        return ""
    if code == current:
        return "?" + query.urlencode()
    translate = getattr(target.specific_class, "translated_query", None)
    translated = translate(query, source_language=current, locale_id=target.locale_id) if translate else ""
    return f"?{translated}" if translated else ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the same page (and sub-page) or view in that
    language; for a page not translated into it, the default-language page
    at that language's address (shown with a note, HomePage.route); or else
    that language's home page. A page's links at an address without a query
    are the same for every visitor: they are kept for the cache version."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and page.pk and request is not None and not request.GET:
        if not getattr(request, "is_preview", False):
            return kept(
                "language-links",
                page.pk,
                translation.get_language(),
                request.get_host(),
                request.path,
                build=lambda: _language_links(request, page),
            )
    return _language_links(request, page)


def _language_links(request, page) -> list[dict]:
    is_page = isinstance(page, Page)
    translations = _translations(page) if is_page else {}
    sub_route = _sub_route(request, page) if is_page else ""
    links = []
    current = translation.get_language()
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        url = None
        if target is not None:
            url = (target.get_url(request) or "") + sub_route + _query_for(target, request, code, current)
        elif not is_page:
            url = _view_in_language(request, code)
        else:
            url = _untranslated_page_url(request, translations.get(settings.LANGUAGE_CODE), code, sub_route)
        if url is None:
            home = locale_home(request, code)
            with translation.override(code):
                in_language = home is not None and locales.locale_of(home).language_code == code
                # A language without its own home page yet is served the default one at its own address.
                url = home.get_url(request) if in_language else reverse("wagtail_serve", args=[""])
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def hreflang_alternates(context):
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        return []
    out = []
    for code, target in sorted(_translations(page).items()):
        out.append({"code": code, "url": target.get_full_url(request)})
    return out


@register.simple_tag(takes_context=True)
def untranslated_page_language(context) -> dict | None:
    """The code and name of the page's own language when it is shown in another language's site
    (it is not translated yet, HomePage.route); None for a page in the language being served."""
    page = context.get("page")
    active = locales.active_locale()
    if not isinstance(page, Page) or active is None or page.locale_id == active.pk:
        return None
    code = locales.locale_of(page).language_code
    return {"code": code, "name": dict(settings.LANGUAGES).get(code, code)}


@register.simple_tag(takes_context=True)
def pageurl_in_language(context, page) -> str:
    """Wagtail's `pageurl` for the visitor's language: a page not translated into it is linked at
    this language's address, where it is shown, so the visitor stays in their language."""
    return locales.url_in_language(page, request=context.get("request"))


@register.simple_tag(takes_context=True)
def page_link_here(context, page) -> dict:
    """`pageurl_in_language`, and the page's language code when it is not the one being served
    (else ""), for a link to mark the language of its title."""
    active = locales.active_locale()
    url = locales.url_in_language(page, request=context.get("request"))
    if active is None or page.locale_id == active.pk:
        return {"url": url, "language": ""}
    return {"url": url, "language": locales.locale_of(page).language_code}


@register.simple_tag
def page_description(page) -> str:
    """What search engines and link previews show of a page: its search description, else its
    summary as plain text (at most 200 characters), else the centre's own line."""
    if isinstance(page, Page):
        # Page types without a summary have no such attribute (and the template
        # engine would list every attribute of the page to say so).
        summary = getattr(page, "summary", "")
        description = page.search_description or (Truncator(strip_tags(str(summary))).chars(200) if summary else "")
        if description:
            return description
    return translation.gettext("A community centre: clubs, counselling, courses and neighbourhood events.")


@register.simple_tag
def active_locale():
    return locales.active_locale()


@register.simple_tag(takes_context=True)
def page_full_url(context, page):
    """The page's absolute URL, worked out with the request (so Wagtail's site
    root paths are read once per request, not once per use)."""
    get_full_url = getattr(page, "get_full_url", None)
    return (get_full_url(request=context.get("request")) or "") if get_full_url is not None else ""
