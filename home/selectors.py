"""Read queries for the home page: each section is one query, whatever the data size."""

from django.http import HttpRequest
from wagtail.models import Page


def home_page_sections(*, page: Page, request: HttpRequest) -> dict:
    """What the home page shows beside its own fields.

    Each app that contributes a section exposes a selector; the home page only
    reads them.
    """
    sections: dict = {}
    try:
        from events.selectors import upcoming_dates_for_home
    except ImportError:
        upcoming_dates_for_home = None
    if upcoming_dates_for_home is not None:
        sections["upcoming_dates"] = upcoming_dates_for_home(locale=page.locale, limit=6)
    try:
        from projects.selectors import current_projects_for_home
    except ImportError:
        current_projects_for_home = None
    if current_projects_for_home is not None:
        sections["current_projects"] = current_projects_for_home(locale=page.locale, limit=3)
    return sections
