"""Template tags for the registration form on event pages."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from events.forms import RegistrationForm, date_label
from events.registration_selectors import event_availability
from portal.cache import structure_value

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
    """The privacy notice in the page's language, from the centre settings of the request's site."""
    from portal.models import CentreSettings

    request = context.get("request")
    if request is None:
        return ""

    def find() -> str:
        privacy = CentreSettings.for_request(request).privacy_page
        if privacy is None:
            return ""
        localized = privacy.specific.localized if hasattr(privacy, "specific") else privacy
        return localized.get_url(request=request) or ""

    # Kept per cache generation: the same for every event page of a site and language.
    return structure_value(("privacy-url", request.get_host(), get_language()), find)


@register.inclusion_tag("events/includes/registration_form.html", takes_context=True)
def registration_panel(context, page, form=None, availabilities=None):
    """The registration section of an event page (nothing when registration is off)."""
    if not getattr(page, "registration_enabled", False):
        return {"hidden": True}
    if availabilities is None:
        availabilities = event_availability(page=page)
    if form is None:
        form = RegistrationForm(page=page, availabilities=availabilities)
    return {
        "page": page,
        "availabilities": availabilities,
        "form": form,
        "action": reverse("registrations:register", kwargs={"page_id": page.pk}) + "#registration",
        "privacy_url": privacy_url(context),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
