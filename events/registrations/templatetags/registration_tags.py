"""Template tags for the registration form on event pages."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from events.places import Availability
from events.registrations import selectors
from events.registrations.forms import RegistrationForm, date_label
from events.registrations.selectors import (
    availability_version,
    event_availability_shown,
    event_registration_summary,
)
from portal.cache import csrf_placeholder, kept_until
from portal.context_processors import centre_page_url

register = template.Library()


@register.filter
def registration_date_label(date) -> str:
    return date_label(date) if date is not None else ""


@register.filter
def registration_described(field):
    """Render a form field with aria-describedby (help, error) and aria-invalid set."""
    ids = []
    if field.help_text:
        ids.append(f"{field.id_for_label}-help")
    if field.errors:
        ids.append(f"{field.id_for_label}-error")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


def privacy_url(context) -> str:
    """The privacy notice in the page's language (or, not translated yet, at its address)."""
    request = context.get("request")
    return centre_page_url(request, "privacy_page") if request is not None else ""


PANEL_TEMPLATE = "events/includes/registration_form.html"


def _expires(availabilities) -> float | None:
    """When the shown states can next change by the clock alone: a window
    opens or closes, or a date ends and leaves the list (a Unix time)."""
    now = timezone.now()
    moments = [
        moment
        for item in availabilities
        for moment in (item.opens_at, item.closes_at, getattr(item.date, "end", None))
        if moment is not None and moment > now
    ]
    return min(moments).timestamp() if moments else None


@register.simple_tag(takes_context=True)
def registration_panel(context, page, form=None, availabilities=None):
    """The registration section of an event page (nothing when registration is off).

    The empty form is kept per cache version and places version of the event
    (a registration replaces it, so the free places are current) and until its
    dates next open or close. It carries the CSRF placeholder, which each
    response replaces with the visitor's own token (portal/cache.py), so the
    page with its form can be kept whole. A form with the visitor's input and
    errors, and a preview, are always rendered afresh with the real token.
    """
    if not getattr(page, "registration_enabled", False):
        return ""
    request = context.get("request")
    template = context.template.engine.get_template(PANEL_TEMPLATE)

    def render(csrf_token) -> tuple[str, list]:
        panel_availabilities = availabilities if availabilities is not None else event_availability_shown(page=page)
        panel_form = form if form is not None else RegistrationForm(page=page, availabilities=panel_availabilities)
        data = {
            "page": page,
            "availabilities": panel_availabilities,
            "form": panel_form,
            "action": reverse("registrations:register", kwargs={"page_id": page.pk}) + "#registration",
            "privacy_url": privacy_url(context),
            "csrf_token": csrf_token,
        }
        return template.render(context.new(data)), panel_availabilities

    if form is not None or availabilities is not None or request is None or getattr(request, "is_preview", False):
        return render(context.get("csrf_token"))[0]

    def build():
        html, shown = render(csrf_placeholder())
        return html, _expires(shown)

    places_version = availability_version(event_translation_key=page.translation_key)
    html = kept_until("registration-panel", page.pk, get_language(), request.get_host(), places_version, build=build)
    return mark_safe(html)


@register.simple_tag
def registration_summary(page) -> list[dict]:
    """Per date of an event: confirmed seats, capacity and the number waitlisted (counts only)."""
    if page is None or not page.pk:
        return []
    return event_registration_summary(page=page)


@register.simple_tag
def date_cancellation_recipients(date) -> int:
    """How many registrants are e-mailed if this date is cancelled (a count only)."""
    return selectors.date_cancellation_recipients(event_date=date)


@register.simple_tag(takes_context=True)
def registration_shortcut(context, page) -> dict | None:
    """What the top of an event page offers: the next date a resident can register for
    (free places first, else the waiting list) and its number in the form's list of dates.

    None when registration is off or no date can be registered for. Kept like the
    form: per places version of the event, until a date opens, closes or ends.
    """
    if not getattr(page, "registration_enabled", False):
        return None
    request = context.get("request")

    def build() -> tuple[dict | None, float | None]:
        availabilities = event_availability_shown(page=page)
        open_dates = [(number, item) for number, item in enumerate(availabilities, start=1) if item.can_register]
        with_places = [(number, item) for number, item in open_dates if item.state == Availability.OPEN]
        chosen = (with_places or open_dates or [None])[0]
        if chosen is None:
            return None, _expires(availabilities)
        number, item = chosen
        shortcut = {
            "number": number,
            "date": item.date,
            "free": item.free,
            "waitlist": item.state == Availability.WAITLIST,
            "is_series": bool(page.registration_is_series),
        }
        return shortcut, _expires(availabilities)

    if request is None or getattr(request, "is_preview", False):
        return build()[0]
    places_version = availability_version(event_translation_key=page.translation_key)
    return kept_until("registration-shortcut", page.pk, get_language(), places_version, build=build)


@register.simple_tag
def registration_term(page):
    """The term a course's enrolment covers ("1. 9.–31. 1.", how many dates), when it has a term range."""
    if page is None or not getattr(page, "pk", None):
        return None
    return selectors.enrolment_term(page=page, ranged_only=True)
