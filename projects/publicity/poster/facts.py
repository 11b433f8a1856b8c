"""The facts a poster shows, read from a project page and its programmes in the page's language.

What each programme contributes follows the web disclosure
(templates/projects/includes/funding_disclosure.html) and the model's rules
(`is_eu`, `STATEMENT_KINDS`, `statement_for`, the official-lockup flag):
- an EU programme: the EU emblem with its statement beside it (2021–2027), or
  with the words "European Union" and the fund (2014–2020, which has no
  statement); an official lockup stands for the emblem and its words; the
  programme's own logo is another logo;
- the EEA Grants, Norway Grants and Active Citizens Fund: the mechanism's logo and statement;
- another funder: its statement, and its logo as another logo.
"""

import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from portal.templatetags.portal_dates import local_date
from projects.models import EEA_NORWAY_KINDS, STATEMENT_KINDS, FundingProgramme, ProjectPage
from projects.publicity.poster.layout import PosterError
from projects.selectors import localized_programmes


@dataclass(frozen=True)
class FunderBlock:
    """One programme's part of the disclosure: its principal mark, the words beside it and its other logos."""

    kind: str
    principal: str  # "eu_emblem", "logo" or "" (a programme of another funder without a logo)
    principal_alt: str
    principal_image: Image.Image | None = field(compare=False, repr=False)
    words: tuple[tuple[str, bool], ...]  # (text, bold) paragraphs
    others: tuple[tuple[Image.Image, str], ...] = field(compare=False, repr=False)


@dataclass(frozen=True)
class PosterFacts:
    language: str
    title: str
    main_aim: str
    about: str
    registration_number: str
    promoter: str
    programmes: tuple[str, ...]
    period: str
    url: str
    funders: tuple[FunderBlock, ...]
    labels: dict = field(compare=False)


def _logo_image(programme: FundingProgramme) -> Image.Image:
    try:
        with programme.logo.file.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            image.load()
    except (OSError, UnidentifiedImageError, ValueError) as error:
        raise PosterError(
            gettext("The logo of “%(programme)s” can not be drawn (%(error)s). Upload it as a PNG or JPEG image.")
            % {"programme": programme.name, "error": error}
        ) from error
    return image.convert("RGBA")


def funder_block(programme: FundingProgramme, *, project_title: str, logo: Image.Image | None) -> FunderBlock:
    """What the disclosure shows for one programme, in the active language (`logo`: the programme's logo)."""
    statement = programme.statement_for(project_title).strip()
    if programme.is_eu:
        if programme.logo_is_official_lockup and logo is not None:
            # The official lockup carries the emblem and the words (EU 2014–2020 only, declared by an editor).
            return FunderBlock(programme.kind, "logo", programme.logo_alt, logo, (), ())
        if programme.kind in STATEMENT_KINDS:
            words = ((statement, False),) if statement else ()
        else:  # 2014–2020: no statement; the Union and the fund are named beside the emblem.
            words = ((gettext("European Union"), True),)
            if programme.fund_name:
                words += ((programme.fund_name, False),)
        others = ((logo, programme.logo_alt),) if logo is not None else ()
        return FunderBlock(programme.kind, "eu_emblem", gettext("European Union"), None, words, others)
    words = ((statement, False),) if statement else ()
    if programme.kind in EEA_NORWAY_KINDS:
        return FunderBlock(programme.kind, "logo", programme.logo_alt, logo, words, ())
    others = ((logo, programme.logo_alt),) if logo is not None else ()
    return FunderBlock(programme.kind, "", "", None, words, others)


def main_aim(project: ProjectPage) -> str:
    """The first of the project's aims (the main one), or its short description when it has none."""
    for block in project.aims or []:
        text = str(block.value or "").strip()
        if text:
            return text[0].upper() + text[1:]
    return (project.short_description or "").strip()


def poster_facts(*, project: ProjectPage) -> PosterFacts:
    """The facts a poster shows, in the project page's language.

    Raises PosterError, in the active language, when the project can not have a correct poster yet.
    """
    project = project.specific
    if not project.live:
        raise PosterError(gettext("Publish the project first: the poster's QR code leads to its public page."))
    programmes = localized_programmes(project.programmes.select_related("logo"), project.locale)
    if not programmes:
        raise PosterError(gettext("The project has no funding programme, so it needs no funder's poster."))
    url = project.get_full_url()
    if not url:
        raise PosterError(gettext("The project's page has no public address (no site serves it)."))
    logos = {}
    for programme in programmes:
        if programme.kind in EEA_NORWAY_KINDS and not programme.logo_id:
            raise PosterError(
                gettext("Upload the logo of “%(programme)s” first: its poster must show the mechanism's logo.")
                % {"programme": programme.name}
            )
        logos[programme.pk] = _logo_image(programme) if programme.logo_id else None
    language = project.locale.language_code
    with translation.override(language):
        period = ""
        if project.start_date and project.end_date:
            period = f"{local_date(project.start_date, 'date')} – {local_date(project.end_date, 'date')}"
        return PosterFacts(
            language=language,
            title=project.title,
            main_aim=main_aim(project),
            about=(project.short_description or "").strip(),
            registration_number=project.registration_number,
            promoter=project.promoter,
            programmes=tuple(programme.name for programme in programmes),
            period=period,
            url=url,
            funders=tuple(
                funder_block(programme, project_title=project.title, logo=logos[programme.pk])
                for programme in programmes
            ),
            labels={
                "aim": gettext("Main aim of the project"),
                "about": gettext("About the project"),
                "registration_number": gettext("Registration number"),
                "promoter": gettext("Promoter"),
                "programme": gettext("Programme"),
                "period": gettext("Period"),
                "more": gettext("More about the project"),
                "poster": gettext("Poster"),
            },
        )
