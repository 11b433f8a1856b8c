"""The pages a visitor can open, discovered from the database: one live page per page type and
language (a type not yet translated into a language: the default language's page, which that
language's site shows with a note), plus search, the 404 page and the extra views of routable pages.

Shared by the browser tests and the HTML validity test, so both cover new page
types as soon as another app adds them.
"""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class Target:
    """One page a visitor can open: what it is, its URL path and its language."""

    label: str
    path: str
    language: str
    expected_status: int = 200
    # Other live pages of the same type, for checks that need a particular state (e.g. an open form).
    alternatives: tuple[str, ...] = ()


MAX_ALTERNATIVES = 30
_ROUTE_VALUES = {"year": lambda today: today.year, "month": lambda today: today.month, "day": lambda today: today.day}


def _route_kwargs(pattern) -> dict[str, int] | None:
    """Values for a routable page's URL parameters, when they are dates; None when they can't be guessed."""
    today = datetime.date.today()
    names = list(getattr(pattern.pattern, "converters", {}) or {})
    regex = getattr(pattern.pattern, "regex", None)
    if not names and regex is not None:
        names = list(regex.groupindex)
    if any(name not in _ROUTE_VALUES for name in names):
        return None
    return {name: _ROUTE_VALUES[name](today) for name in names}


def _subpage_targets(page, language: str, label: str, url: str) -> list[Target]:
    """The extra views of a routable page (e.g. an index's month view or publicity overview)."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    if not isinstance(page, RoutablePageMixin):
        return []
    targets = []
    for pattern in type(page).get_subpage_urls():
        name = getattr(pattern, "name", None)
        kwargs = _route_kwargs(pattern)
        if not name or kwargs is None:
            continue
        try:
            subpath = page.reverse_subpage(name, kwargs=kwargs or None)
        except Exception:  # noqa: BLE001 - a route we can't build is simply not visited
            continue
        if subpath.strip("/") == "":
            continue
        targets.append(Target(f"{label} › {name}", url.rstrip("/") + "/" + subpath.lstrip("/"), language))
    return targets


def discover_targets() -> list[Target]:
    """Every kind of page the site has now: one live page per page type per language, and the extra views."""
    from django.conf import settings
    from django.urls import Resolver404, resolve, translate_url
    from django.utils import translation
    from wagtail.models import Page

    def live_of_type(language: str) -> dict[int, list[Page]]:
        pages = Page.objects.live().public().filter(locale__language_code=language, depth__gte=2).order_by("path")
        of_type: dict[int, list[Page]] = {}
        for page in pages:
            of_type.setdefault(page.content_type_id, []).append(page)
        return of_type

    default = settings.LANGUAGE_CODE
    with translation.override(default):
        defaults = {content_type: same[0] for content_type, same in live_of_type(default).items()}
    targets: list[Target] = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            of_type = live_of_type(language)
            home = None
            for same_type in of_type.values():
                page = same_type[0].specific
                label = type(page).__name__
                home = home or (page if page.depth == 2 else None)
                others = tuple(other.url for other in same_type[1:MAX_ALTERNATIVES])
                targets.append(Target(label, page.url, language, alternatives=others))
                targets.extend(_subpage_targets(page, language, label, page.url))
            for content_type, source in defaults.items():
                if content_type in of_type:
                    continue
                source = source.specific
                with translation.override(default):
                    url = translate_url(source.url, language)
                label = type(source).__name__
                targets.append(Target(label, url, language))
                targets.extend(_subpage_targets(source, language, label, url))
            word = (home.title.split() or ["a"])[-1] if home else "centrum"
            targets.append(Target("search results", f"/{language}/search/?q={word}", language))
            targets.append(Target("search without results", f"/{language}/search/?q=qqxxzz", language))
            targets.append(Target("404", f"/{language}/this-page-does-not-exist/", language, expected_status=404))
            cancel = f"/{language}/registrations/cancel/not-a-valid-token/"
            try:
                resolve(cancel)
            except Resolver404:
                pass
            else:
                targets.append(Target("registration cancellation, invalid link", cancel, language, expected_status=0))
    return targets
