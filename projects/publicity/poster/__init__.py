"""The poster of a funded project: an A3 PDF to print and a 1920×1080 PNG for an electronic display.

The obligation: an A3 poster, or an equivalent electronic display, at a place
the public sees (Regulation (EU) 2021/1060, Art. 50(1)(d); Regulation (EU)
No 1303/2013, Annex XII 2.2(2)(b); the EEA and Norway Grants Regulation,
Annex 3). Each poster is composed once as a layout of boxes
(composition.py → layout.py) from the project's facts (facts.py), and then drawn
(drawing.py): the PDF with ReportLab, the PNG with Pillow.
"""

from django.utils.translation import gettext_lazy as _

from projects.models import ProjectPage
from projects.publicity.poster.composition import compose_poster
from projects.publicity.poster.drawing import render_pdf, render_png
from projects.publicity.poster.facts import poster_facts
from projects.publicity.poster.layout import A3, SCREEN, PosterError, PosterLayout


def project_poster(*, project: ProjectPage, kind: str) -> bytes:
    """The project's poster: A3 → PDF bytes, SCREEN → PNG bytes. Raises PosterError."""
    layout = compose_poster(poster_facts(project=project), kind)
    return render_pdf(layout) if kind == A3 else render_png(layout)


def poster_filename(*, project: ProjectPage, kind: str) -> str:
    language = project.locale.language_code
    return f"poster-{project.slug}-{language}-a3.pdf" if kind == A3 else f"poster-{project.slug}-{language}-screen.png"


def posters_to_make(*, languages: list[str] | None = None) -> list[ProjectPage]:
    """Every live funded project page, in every language (or in the given languages)."""
    pages = ProjectPage.objects.live().filter(programmes__isnull=False).distinct().select_related("locale")
    if languages:
        pages = pages.filter(locale__language_code__in=languages)
    return list(pages.order_by("path"))


POSTER_KINDS = {A3: _("Poster (A3 PDF)"), SCREEN: _("Poster for a screen (PNG)")}
__all__ = [
    "A3",
    "SCREEN",
    "POSTER_KINDS",
    "PosterError",
    "PosterLayout",
    "compose_poster",
    "poster_facts",
    "poster_filename",
    "posters_to_make",
    "project_poster",
    "render_pdf",
    "render_png",
]
