"""Registration e-mails: plain text plus HTML from templates/emails/, in the registrant's language."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.headerregistry import Address
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Locale, Site

from events.models import EventDate, EventPage
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.selectors import enrolment_term, waitlist_position
from events.registrations.tokens import CANCEL_TOKEN_SALT, STATUS_TOKEN_SALT, registration_token
from portal.jobs import PRIORITY_MESSAGE
from portal.locales import url_in_language

logger = logging.getLogger(__name__)

# After a failed attempt the outbox row waits this long before the next one:
# minutes while a mail server restarts, then hours. After the last delay the
# e-mail is marked failed for staff to see in the registration's detail.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# While one worker talks to the mail server, no other picks the row up.
SENDING_LEASE = dt.timedelta(minutes=2)


def retry_delay(attempts: int) -> dt.timedelta | None:
    """The wait after `attempts` failed attempts, or None when there is no attempt left."""
    if 1 <= attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return None


def _subject(kind: str, title: str, registration: Registration | None = None) -> str:
    if registration is not None and registration.event_date_id is None:
        if kind == RegistrationEmail.Kind.CANCELLED and registration.leaves_on and not registration.is_cancelled:
            return _("Enrolment ends: %(event)s") % {"event": title}
        if kind == RegistrationEmail.Kind.PROMOTED:
            return _("A place in the course is yours: %(event)s") % {"event": title}
    subjects = {
        RegistrationEmail.Kind.CONFIRMATION: _("Registration confirmed: %(event)s"),
        RegistrationEmail.Kind.WAITLISTED: _("You are on the waiting list: %(event)s"),
        RegistrationEmail.Kind.PROMOTED: _("A place is yours: %(event)s"),
        RegistrationEmail.Kind.CANCELLED: _("Registration cancelled: %(event)s"),
        RegistrationEmail.Kind.DATE_CANCELLED: _("Cancelled: %(event)s"),
        RegistrationEmail.Kind.REMINDER: _("Reminder: %(event)s tomorrow"),
    }
    return subjects[kind] % {"event": title}


@dataclass
class _AbsoluteUrls:
    """Enough of a request for events.ics.build_calendar when there is no request (a task)."""

    root: str

    def build_absolute_uri(self, location: str) -> str:
        return urljoin(self.root + "/", location)


#: Host names of a site served on this machine only (development): its links follow the served address.
LOOPBACK_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]"})


def _site_root() -> str:
    """The address links in e-mails start with: the default site's public address.

    A site on this machine (development) takes `WAGTAILADMIN_BASE_URL` instead,
    which `make run` sets from the served host and port, so the links work
    whichever port the portal is served on.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and site.hostname not in LOOPBACK_HOSTS:
        return site.root_url.rstrip("/")
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost").rstrip("/")


def _sender(centre, centre_name: str) -> str:
    """The centre's own address from its settings (with its name), else the portal's default sender."""
    if centre is not None and centre.email:
        return str(Address(display_name=centre_name, addr_spec=centre.email)) if centre_name else centre.email
    return settings.DEFAULT_FROM_EMAIL


def localised_event(event: EventPage, language: str) -> EventPage:
    """The event page in the registrant's language, when it is live; otherwise the source page."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None and locale.pk != event.locale_id:
        translated = EventPage.objects.live().filter(translation_key=event.translation_key, locale=locale).first()
        if translated is not None:
            return translated
    return event


def localised_date(date: EventDate | None, event: EventPage) -> EventDate | None:
    if date is None:
        return None
    return event.dates.filter(uid=date.uid).first() or date


def registration_links(registration: Registration, *, root: str | None = None) -> dict[str, str]:
    """Absolute status and cancellation links, in the registrant's language."""
    root = _site_root() if root is None else root
    with translation.override(registration.language):
        status = reverse(
            "registrations:status",
            kwargs={"token": registration_token(registration=registration, salt=STATUS_TOKEN_SALT)},
        )
        cancel = reverse(
            "registrations:cancel",
            kwargs={"token": registration_token(registration=registration, salt=CANCEL_TOKEN_SALT)},
        )
    return {"status_url": root + status, "cancel_url": root + cancel}


def _centre():
    from portal.models import CentreSettings

    site = Site.objects.filter(is_default_site=True).first()
    return CentreSettings.for_site(site) if site is not None else None


def build_message(mail: RegistrationEmail) -> EmailMultiAlternatives:
    registration = mail.registration
    language = registration.language or settings.LANGUAGE_CODE
    root = _site_root()
    with translation.override(language):
        event = localised_event(registration.event, language)
        date = localised_date(mail.event_date or registration.event_date, event)
        series_dates = []
        term = None
        if registration.event_date is None:
            series_dates = enrolment_dates(registration=registration, event=event, kind=mail.kind)
            term = enrolment_term(page=event, ranged_only=True)
        centre = _centre()
        centre_name = centre.text_for(language).name if centre else ""
        context = {
            "kind": mail.kind,
            "registration": registration,
            "event": event,
            "event_url": urljoin(root + "/", url_in_language(event, language)),
            "date": date,
            "series_dates": series_dates,
            "term": term,
            "attendees": [attendee.name for attendee in registration.attendees.all()],
            "centre": centre,
            "centre_name": centre_name,
            "cancellable": registration.is_active
            and registration.leaves_on is None
            and mail.kind not in (RegistrationEmail.Kind.DATE_CANCELLED, RegistrationEmail.Kind.CANCELLED),
            "waitlist_position": waitlist_position(registration=registration),
            **registration_links(registration, root=root),
        }
        template = f"emails/registration_{mail.kind}"
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        message = EmailMultiAlternatives(
            subject=_subject(mail.kind, event.title, registration),
            body=text,
            from_email=_sender(centre, centre_name),
            to=[registration.email],
            reply_to=[centre.email] if centre and centre.email else None,
        )
        message.attach_alternative(html, "text/html")
        if mail.kind in (RegistrationEmail.Kind.CONFIRMATION, RegistrationEmail.Kind.PROMOTED):
            dates = series_dates if registration.event_date is None else [date]
            _attach_calendar(message, dates=dates, root=root, name=event.title, method="PUBLISH")
        elif mail.kind in (RegistrationEmail.Kind.CANCELLED, RegistrationEmail.Kind.DATE_CANCELLED):
            # Removes from the calendar what the confirmation put there (the same UIDs).
            if mail.event_date_id is not None:
                dates = [date]
            else:
                dates = series_dates
            organizer = (centre_name, centre.email) if centre is not None and centre.email else None
            _attach_calendar(
                message,
                dates=dates,
                root=root,
                name=event.title,
                method="CANCEL",
                organizer=organizer,
                attendee=registration.email,
            )
    return message


def enrolment_dates(*, registration: Registration, event: EventPage, kind: str) -> list[EventDate]:
    """The upcoming dates of an enrolment's term (in the e-mail's language): those it still takes part in,
    or, in the e-mail about leaving from a date on, those it leaves."""
    dates = list(event.term_dates(event.dates.filter(end__gte=timezone.now())).order_by("start"))
    if registration.leaves_on is None:
        return dates
    leaving = kind == RegistrationEmail.Kind.CANCELLED and not registration.is_cancelled
    return [date for date in dates if (timezone.localdate(date.start) >= registration.leaves_on) == leaving]


def _attach_calendar(message: EmailMultiAlternatives, *, dates, root: str, name: str, method: str, **extra) -> None:
    from events.ics import build_calendar

    dates = [date for date in dates if date is not None]
    if dates:
        ics = build_calendar(dates=dates, request=_AbsoluteUrls(root), name=name, method=method, **extra)
        message.attach("event.ics", ics, f"text/calendar; charset=utf-8; method={method}")


def deliver(*, email_id: int, due_only: bool = False, now: dt.datetime | None = None) -> str:
    """Send one outbox e-mail and record the outcome. Never raises for a mail server failure.

    The row is claimed with a conditional UPDATE (so two workers never send the
    same e-mail) that also moves its next attempt past the sending time, and no
    transaction is held open while talking to SMTP. With `due_only` the row is
    only claimed when its next attempt is due at `now` (the periodic sender).
    A failure schedules the next attempt after `retry_delay`; after the last
    one the row is marked failed.
    """
    now = now or timezone.now()
    mail = (
        RegistrationEmail.objects.select_related("registration__event", "registration__event_date", "event_date")
        .filter(pk=email_id)
        .first()
    )
    if mail is None:
        return RegistrationEmail.State.DROPPED
    if mail.state in (RegistrationEmail.State.SENT, RegistrationEmail.State.DROPPED):
        return mail.state
    if mail.registration.anonymised_at or not mail.registration.email:
        RegistrationEmail.objects.filter(pk=mail.pk).update(state=RegistrationEmail.State.DROPPED, next_attempt_at=None)
        return RegistrationEmail.State.DROPPED
    claim = RegistrationEmail.objects.filter(pk=mail.pk, state=mail.state, attempts=mail.attempts)
    if due_only:
        claim = claim.filter(next_attempt_at__lte=now)
    if not claim.update(attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE):
        return RegistrationEmail.objects.get(pk=mail.pk).state
    attempts = mail.attempts + 1
    try:
        build_message(mail).send(fail_silently=False)
    except Exception as error:  # SMTP down, DNS, timeouts… the row is retried later.
        delay = retry_delay(attempts)
        state = RegistrationEmail.State.RETRYING if delay is not None else RegistrationEmail.State.FAILED
        logger.warning("Registration e-mail %s failed (attempt %s): %s", mail.pk, attempts, type(error).__name__)
        RegistrationEmail.objects.filter(pk=mail.pk).update(
            state=state,
            last_error=f"{type(error).__name__}: {error}"[:255],
            next_attempt_at=now + delay if delay is not None else None,
        )
        return state
    RegistrationEmail.objects.filter(pk=mail.pk).update(
        state=RegistrationEmail.State.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return RegistrationEmail.State.SENT


@task(priority=PRIORITY_MESSAGE)
def send_registration_email(email_id: int) -> str:
    """Send one outbox e-mail. A failure is recorded on the row and retried with backoff, never lost."""
    return deliver(email_id=email_id)
