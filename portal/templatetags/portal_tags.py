"""Navigation, language switching and SEO helpers used by base.html."""

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from portal.cache import fresh, structure_value

register = template.Library()


def _site(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def locale_home(request, language_code: str | None = None) -> Page | None:
    """The home page in the given (or the active) language, or the site root."""
    site = _site(request)
    if site is None:
        return None
    language_code = language_code or translation.get_language()
    cache = getattr(request, "_portal_locale_homes", None)
    if cache is None:
        cache = request._portal_locale_homes = {}
    if language_code not in cache:
        root = site.root_page

        def build():
            home = (
                Page.objects.filter(translation_key=root.translation_key, locale__language_code=language_code)
                .live()
                .specific()
                .first()
            )
            return home or root.specific

        cache[language_code] = fresh(structure_value(("home", site.pk, language_code), build))
    return cache[language_code]


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
        ancestors = structure_value(
            ("ancestors", page.path),
            lambda: list(page.get_ancestors().filter(depth__gte=2).only("id", "title", "url_path", "path", "depth")),
        )
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}


def _translations(page, request=None) -> dict[str, Page]:
    """The live translations of `page` by language code (one query, kept per generation)."""
    if page is None or not getattr(page, "pk", None):
        return {}
    memo = getattr(request, "_portal_translations", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]

    def build():
        pages = (
            Page.objects.filter(translation_key=page.translation_key)
            .live()
            .select_related("locale")
            .only("id", "title", "url_path", "path", "depth", "translation_key", "locale__language_code")
        )
        return {p.locale.language_code: p for p in pages}

    found = structure_value(("translations", page.translation_key), build)
    if request is not None:
        if memo is None:
            memo = request._portal_translations = {}
        memo[page.pk] = found
    return found


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the current page's translation, or that language's home page."""
    request = context.get("request")
    page = context.get("page")
    translations = _translations(page, request) if isinstance(page, Page) else {}
    links = []
    current = translation.get_language()
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            url = target.get_url(request)
        else:
            home = locale_home(request, code)
            with translation.override(code):
                url = home.get_url(request) if home is not None else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current, "exact": target is not None})
    return links


@register.simple_tag(takes_context=True)
def hreflang_alternates(context):
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        return []
    out = []
    for code, target in sorted(_translations(page, request).items()):
        out.append({"code": code, "url": target.get_full_url(request)})
    return out


@register.simple_tag
def active_locale():
    return Locale.get_active()


@register.simple_tag(takes_context=True)
def page_full_url(context, page):
    """The page's absolute URL, worked out with the request (so Wagtail's site
    root paths are read once per request, not once per use)."""
    get_full_url = getattr(page, "get_full_url", None)
    return (get_full_url(request=context.get("request")) or "") if get_full_url is not None else ""
