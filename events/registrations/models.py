"""Registrations: a resident's sign-up for an event date (or a whole series), and the e-mail outbox.

A registration always points at the source-locale (Czech) event page and date,
so that signing up on /cs/ and on /en/ fills the same places. Writes live in
`events.registrations.services`, read queries in `events.registrations.selectors`.
The tables keep the names they had when registrations were part of `events`.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import EventDate, EventPage


def registration_label(pk, status_display="") -> str:
    """How a registration is named outside the registrations' own views: its number and status, never the person."""
    if not status_display:
        return _("Registration #%(number)s") % {"number": pk}
    return _("Registration #%(number)s (%(status)s)") % {"number": pk, "status": status_display}


class Registration(models.Model):
    """One resident's sign-up for an event date (or for a whole series)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled by the registrant")
        CANCELLED_BY_STAFF = "cancelled_by_staff", _("Cancelled by staff")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    # States that take up places, states that block a second registration, and the two cancellations.
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITLISTED)
    CANCELLED_STATUSES = (Status.CANCELLED, Status.CANCELLED_BY_STAFF)

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    event_date = models.ForeignKey(
        EventDate,
        verbose_name=_("date"),
        null=True,
        blank=True,
        # A date with registrations cannot be deleted on its own (only with its whole event).
        on_delete=models.RESTRICT,
        related_name="registrations",
        help_text=_("Empty when the registration covers the whole series."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    name = models.CharField(pgettext_lazy("registrations", "name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="cs")
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        db_table = "events_registration"
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        permissions = [("export_registration", _("Can export registrations and personal data"))]
        indexes = [
            models.Index(fields=["event_date", "status"], name="events_reg_date_status_idx"),
            models.Index(fields=["event", "status"], name="events_reg_event_status_idx"),
            models.Index(fields=["email"], name="events_reg_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="events_registration_seats_gte_1"),
            models.UniqueConstraint(
                fields=["event_date", "email"],
                condition=models.Q(
                    status__in=["confirmed", "waitlisted", "attended", "no_show"],
                    anonymised_at__isnull=True,
                    event_date__isnull=False,
                ),
                name="events_registration_one_active_per_date",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(
                    status__in=["confirmed", "waitlisted", "attended", "no_show"],
                    anonymised_at__isnull=True,
                    event_date__isnull=True,
                ),
                name="events_registration_one_active_per_series",
            ),
        ]

    def __str__(self):
        # No personal data: this label ends up in places other staff see, such as
        # the admin's log entries (stored as written) and its messages.
        return registration_label(self.pk, self.get_status_display())

    @property
    def date_display(self) -> str:
        """The date as staff read it (in exports and listings)."""
        if self.event_date_id is None:
            return str(_("Whole series"))
        return timezone.localtime(self.event_date.start).strftime("%d.%m.%Y %H:%M")

    @property
    def holds_seats(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_cancelled(self) -> bool:
        """Cancelled by the registrant or by staff."""
        return self.status in self.CANCELLED_STATUSES


class RegistrationEmailQuerySet(models.QuerySet):
    def due(self, now):
        """E-mails the worker should send now: first sends its task never made, and retries whose time has come."""
        return self.filter(
            state__in=(RegistrationEmail.State.PENDING, RegistrationEmail.State.RETRYING), next_attempt_at__lte=now
        )


class RegistrationEmail(models.Model):
    """The outbox: one e-mail to a registrant, sent by a task and retried with backoff while the mail server is down."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        WAITLISTED = "waitlisted", _("Waiting list")
        PROMOTED = "promoted", _("Moved up from the waiting list")
        CANCELLED = "cancelled", _("Cancellation")
        DATE_CANCELLED = "date_cancelled", _("Date cancelled")
        REMINDER = "reminder", _("Reminder")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will be retried")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, no more attempts")
        DROPPED = "dropped", _("Not sent")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_date = models.ForeignKey(
        EventDate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The date concerned."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("When the worker tries to send it (again), unless its task sends it first."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = RegistrationEmailQuerySet.as_manager()

    class Meta:
        db_table = "events_registrationemail"
        verbose_name = _("registration e-mail")
        verbose_name_plural = _("registration e-mails")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="events_regmail_state_idx"),
            models.Index(fields=["state", "next_attempt_at"], name="events_regmail_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "event_date"],
                condition=models.Q(kind="reminder"),
                name="events_registration_one_reminder_per_date",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.registration_id} ({self.get_state_display()})"
