"""The funding disclosure data, the header disclosure, the funders' bar and money formatting."""

import re
from decimal import Decimal

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.cache import kept
from portal.locales import active_locale
from projects.models import FundingProgramme
from projects.selectors import funders_bar_data, header_disclosure_entries, localized_programmes
from projects.selectors import funding_overview_url as funding_overview_url_for

register = template.Library()


@register.simple_tag
def disclosure_data(project):
    """The project in the page's language and its programmes, ready for the disclosure include."""
    if project is None:
        return {"project": None, "programmes": []}
    project = getattr(project, "specific", project)
    locale = active_locale()
    if locale is not None and project.locale_id != locale.pk:
        translated = kept("disclosure-project", project.pk, locale.pk, build=lambda: _live_translation(project, locale))
        if translated:
            project = translated
    programmes = kept(
        "disclosure-programmes",
        project.pk,
        locale.pk if locale else None,
        build=lambda: localized_programmes(project.programmes.select_related("logo"), locale or project.locale),
    )
    return {"project": project, "programmes": programmes}


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
    locale = active_locale()
    if locale is None:
        return {"entries": []}
    today = timezone.localdate()
    entries = kept(
        "header-disclosure",
        locale.language_code,
        today,
        build=lambda: header_disclosure_entries(locale=locale, today=today),
    )
    return {"entries": entries, "request": context.get("request")}


@register.inclusion_tag("projects/includes/funders_bar_logos.html", takes_context=True)
def funders_bar(context):
    """Every funder of a live project in this language, once each (cached per language)."""
    locale = active_locale()
    if locale is None:
        return {"programmes": [], "has_eu": False}
    return kept("funders-bar", locale.language_code, build=lambda: funders_bar_data(locale=locale))


@register.simple_tag
def funding_overview_url() -> str:
    """The funding overview in the page's language, for the footer (kept per cache version and language)."""
    locale = active_locale()
    if locale is None:
        return ""
    return kept("funding-overview-url", locale.language_code, build=lambda: funding_overview_url_for(locale=locale))


@register.filter
def code_breaks(code) -> str:
    """A registration number that may wrap only after its separators ("/", ".", "_" and "-"), never inside a group."""
    text = str(code or "")
    parts = re.split(r"(?<=[/._-])", text)
    return mark_safe("<wbr>".join(escape(part) for part in parts))  # noqa: S308 - every part is escaped
