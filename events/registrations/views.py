"""Registration views: thin. Validation in events.registrations.forms, decisions in events.services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from events.models import EventPage
from events.registrations import errors, tokens
from events.registrations.emails import localised_date, localised_event
from events.registrations.forms import RegistrationForm
from events.registrations.models import Registration
from events.registrations.selectors import (
    enrolment_leaving_dates,
    enrolment_started,
    event_availability,
    waitlist_position,
)
from events.registrations.services import booking
from portal.privacy import public_pages
from portal.ratelimit import RateLimit, over_limit

DEFAULT_RATE_LIMIT = (10, 600)  # at most 10 registration POSTs per address per 10 minutes


def rate_limited(request: HttpRequest, *, scope: str) -> bool:
    """Count this request against the visitor's address; True when over the limit."""
    limit, window = getattr(settings, "REGISTRATION_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    exempt = getattr(settings, "REGISTRATION_RATE_LIMIT_EXEMPT", ())
    return over_limit(request, scope=f"registrations:{scope}", rate=RateLimit(limit, window), exempt=exempt)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "events/registration_rate_limited.html", status=429)
    response["Retry-After"] = str(getattr(settings, "REGISTRATION_RATE_LIMIT", DEFAULT_RATE_LIMIT)[1])
    return response


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "events/registration_invalid_link.html", status=404)


def _event_page(page_id: int) -> EventPage:
    try:
        return public_pages(EventPage.objects.live()).get(pk=page_id)
    except EventPage.DoesNotExist:
        raise Http404 from None


def _status_redirect(registration: Registration) -> HttpResponseRedirect:
    token = tokens.registration_token(registration=registration, salt=tokens.STATUS_TOKEN_SALT)
    return HttpResponseRedirect(reverse("registrations:status", kwargs={"token": token}))


def _shown(registration: Registration) -> dict:
    """The event and date in the language of the page being viewed."""
    event = localised_event(registration.event, get_language() or settings.LANGUAGE_CODE)
    return {"event": event, "date": localised_date(registration.event_date, event)}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, page_id: int) -> HttpResponse:
    """POST: register and redirect to the status page. GET: the form on its own page."""
    page = _event_page(page_id)
    if request.method != "POST":
        return _form_page(request, page=page, status=200)
    if rate_limited(request, scope="register"):
        return _too_many(request)
    # A registration needs the state of the date it names only (its places only where they decide
    # it; the booking counts them under the lock); every date's are worked out when the form is shown again.
    posted = event_availability(page=page, date_uid=request.POST.get("date", ""), for_booking=True)
    form = RegistrationForm(request.POST, page=page, availabilities=posted)
    if not form.is_valid():
        return _form_page(request, page=page, status=400)
    data = form.cleaned_data
    try:
        registration = booking.registration_create(
            event_date=data["event_date"],
            name=data["name"],
            email=data["email"],
            seats=data["seats"],
            attendees=data.get("attendees") or (),
            phone=data.get("phone", ""),
            note=data.get("note", ""),
            language=get_language() or settings.LANGUAGE_CODE,
            consent=data["consent"],
        )
    except errors.DuplicateRegistration as error:
        return _duplicate(request, page=page, registration=error.registration)
    except errors.RegistrationError as error:
        return _form_page(request, page=page, status=409, error=error.message)
    return _status_redirect(registration)


def _form_page(request: HttpRequest, *, page: EventPage, status: int, error=None) -> HttpResponse:
    """The registration form on its own page with every date's places: empty, or as posted with its
    errors (`error` is the booking's reason, shown above the fields)."""
    availabilities = event_availability(page=page)
    if request.method == "POST":
        form = RegistrationForm(request.POST, page=page, availabilities=availabilities)
        form.is_valid()
        if error is not None:
            form.add_error(None, error)
    else:
        form = RegistrationForm(page=page, availabilities=availabilities)
    return render(
        request,
        "events/registration_form.html",
        {"page": page, "event": page, "form": form, "availabilities": availabilities},
        status=status,
    )


def _duplicate(request: HttpRequest, *, page: EventPage, registration: Registration | None) -> HttpResponse:
    token = ""
    if registration is not None:
        token = tokens.registration_token(registration=registration, salt=tokens.RESEND_TOKEN_SALT)
    return render(
        request,
        "events/registration_duplicate.html",
        {"event": page, "resend_token": token},
        status=409,
    )


@never_cache
@require_http_methods(["POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation again to the address already registered (nothing is shown to the visitor)."""
    if rate_limited(request, scope="resend"):
        return _too_many(request)
    try:
        registration = tokens.registration_from_token(
            token=str(request.POST.get("token", ""))[:500],
            salt=tokens.RESEND_TOKEN_SALT,
            max_age=tokens.RESEND_TOKEN_MAX_AGE,
        )
        booking.registration_resend_confirmation(registration=registration)
    except errors.RegistrationError:
        return _invalid_link(request)
    return HttpResponseRedirect(reverse("registrations:resent"))


@never_cache
@require_http_methods(["GET", "HEAD"])
def resent(request: HttpRequest) -> HttpResponse:
    return render(request, "events/registration_resent.html")


@never_cache
@require_http_methods(["GET", "HEAD"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = tokens.registration_from_token(token=token, salt=tokens.STATUS_TOKEN_SALT)
    except errors.InvalidToken:
        return _invalid_link(request)
    cancel_token = tokens.registration_token(registration=registration, salt=tokens.CANCEL_TOKEN_SALT)
    return render(
        request,
        "events/registration_status.html",
        {
            "registration": registration,
            "cancel_token": cancel_token,
            **_leaving(registration),
            "waitlist_position": waitlist_position(registration=registration),
            **_shown(registration),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will be cancelled; only POST cancels (mail scanners prefetch links)."""
    try:
        registration = tokens.registration_from_token(token=token, salt=tokens.CANCEL_TOKEN_SALT)
    except errors.InvalidToken:
        return _invalid_link(request)
    error = None
    leaving = _leaving(registration)
    if request.method == "POST":
        try:
            if leaving["enrolment_started"] or "leaves_on" in request.POST:
                registration = booking.registration_leave(
                    registration=registration, leaves_on=_posted_date(request.POST.get("leaves_on"))
                )
            else:
                registration = booking.registration_cancel(registration=registration)
        except errors.RegistrationError as exc:
            error = exc.message
        else:
            return _status_redirect(registration)
    return render(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "error": error, **leaving, **_shown(registration)},
        status=409 if error else 200,
    )


def _leaving(registration: Registration) -> dict:
    """For an enrolment in a course whose term has started: the dates it can be cancelled from."""
    started = enrolment_started(registration=registration)
    return {
        "enrolment_started": started,
        "leaving_dates": enrolment_leaving_dates(registration=registration) if started else [],
    }


def _posted_date(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        raise errors.InvalidTransition(_("Choose one of the course's dates.")) from None
