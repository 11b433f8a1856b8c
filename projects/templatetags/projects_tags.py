"""The funding disclosure data, the header disclosure, the funders' bar and money formatting."""

from decimal import Decimal

from django import template
from django.core.cache import cache as django_cache
from django.utils import formats, timezone, translation
from wagtail.models import Locale

from portal.cache import fresh, structure_value
from projects import cache
from projects.models import EU_KINDS, FunderKind, FundingProgramme, ProjectPage
from projects.selectors import localized_programmes, projects_queryset

register = template.Library()


def _active_locale() -> Locale | None:
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return None


@register.simple_tag
def disclosure_data(project):
    """The project in the page's language and its programmes, ready for the disclosure include."""
    if project is None:
        return {"project": None, "programmes": []}
    project = getattr(project, "specific", project)
    locale = _active_locale()
    if locale is not None and project.locale_id != locale.pk:
        translated = structure_value(
            ("disclosure-project", project.pk, locale.pk), lambda: _live_translation(project, locale)
        )
        if translated is not None:
            project = fresh(translated)
    cached = getattr(project, "_disclosure_programmes", None)
    if cached is None:
        cached = structure_value(
            ("disclosure-programmes", project.pk, locale.pk if locale else None),
            lambda: localized_programmes(project.programmes.select_related("logo"), locale or project.locale),
        )
        project._disclosure_programmes = cached
    return {"project": project, "programmes": cached}


def _live_translation(project, locale):
    translated = project.get_translation_or_none(locale)
    return translated.specific if translated is not None and translated.live else None


@register.filter
def statement_for(programme: FundingProgramme, project) -> str:
    return programme.statement_for(project.title if project is not None else "")


@register.filter
def money(amount, currency: str = "CZK") -> str:
    """3 783 392,50 Kč in Czech, CZK 3,783,392.50 in English; whole amounts without decimals."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    language = translation.get_language() or "cs"
    if language.startswith("cs"):
        return f"{number}\u00a0{'Kč' if currency == 'CZK' else '€'}"
    return f"€{number}" if currency == "EUR" else f"CZK\u00a0{number}"


@register.inclusion_tag("projects/includes/header_disclosure.html", takes_context=True)
def header_funding_disclosure(context):
    """The EU 2014–2020 disclosure in the site header, while such a project runs (cached per language)."""
    locale = _active_locale()
    if locale is None:
        return {"entries": []}
    today = timezone.localdate()
    entries = structure_value(
        ("header-disclosure", locale.language_code, today), lambda: _header_entries(locale=locale, today=today)
    )
    return {"entries": entries, "request": context.get("request")}


def _header_entries(*, locale: Locale, today) -> list[dict]:
    key = cache.key("header", locale.language_code, today.isoformat())
    entries = django_cache.get(key)
    if entries is None:
        projects = list(
            projects_queryset(locale=locale, today=today)
            .filter(effective_status="running", programmes__kind=FunderKind.EU_2014_2020)
            .distinct()
        )
        entries = []
        if projects:
            links = ProjectPage.programmes.through.objects.filter(
                projectpage_id__in=[p.pk for p in projects], fundingprogramme__kind=FunderKind.EU_2014_2020
            ).select_related("fundingprogramme", "fundingprogramme__logo")
            by_project = {}
            for link in links:
                by_project.setdefault(link.projectpage_id, link.fundingprogramme)
            programmes = localized_programmes(list(by_project.values()), locale)
            translated = dict(zip(by_project.keys(), programmes, strict=True))
            for project in projects:
                programme = translated.get(project.pk)
                if programme is not None:
                    entries.append(
                        {
                            "title": project.title,
                            "url": project.url,
                            "registration_number": project.registration_number,
                            "programme": programme,
                        }
                    )
        django_cache.set(key, entries, cache.TIMEOUT)
    return entries


@register.inclusion_tag("projects/includes/funders_bar_logos.html", takes_context=True)
def funders_bar(context):
    """Every funder of a live project in this language, once each (cached per language)."""
    locale = _active_locale()
    if locale is None:
        return {"programmes": [], "has_eu": False}
    return structure_value(("funders-bar", locale.language_code), lambda: _funders(locale=locale))


def _funders(*, locale: Locale) -> dict:
    key = cache.key("funders", locale.language_code)
    data = django_cache.get(key)
    if data is None:
        programmes = list(
            FundingProgramme.objects.filter(projects__live=True, projects__locale=locale)
            .select_related("logo")
            .distinct()
            .order_by("kind", "name")
        )
        programmes = localized_programmes(programmes, locale)
        seen, unique = set(), []
        for programme in programmes:
            if programme.translation_key not in seen:
                seen.add(programme.translation_key)
                unique.append(programme)
        data = {"programmes": unique, "has_eu": any(p.kind in EU_KINDS for p in unique)}
        django_cache.set(key, data, cache.TIMEOUT)
    return data
