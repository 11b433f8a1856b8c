"""Registrations: a resident's sign-up for an event date (or a whole series), and the e-mail outbox.

A registration always points at the source-locale (Czech) event page and date,
so that signing up on /cs/ and on /en/ fills the same places. Writes live in
`events.registrations.services`, read queries in `events.registrations.selectors`.
The tables keep the names they had when registrations were part of `events`.
"""

import uuid

from django.conf import settings
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
    email = models.EmailField(
        _("e-mail"), max_length=254, blank=True, help_text=_("Empty for a sign-up staff took without an address.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="cs")
    consent_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    participant = models.ForeignKey(
        "Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text=_("The person who signed up (the responsible adult of a family sign-up)."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who took this sign-up (by phone, in person or as a walk-in)."),
    )
    leaves_on = models.DateField(
        _("leaves from"),
        null=True,
        blank=True,
        help_text=_("An enrolment cancelled from this date on: the dates before it still count."),
    )

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
                )
                & ~models.Q(email=""),
                name="events_registration_one_active_per_date",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(
                    status__in=["confirmed", "waitlisted", "attended", "no_show"],
                    anonymised_at__isnull=True,
                    event_date__isnull=True,
                )
                & ~models.Q(email=""),
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
    def attendee_names(self) -> str:
        """The named participants of a family sign-up, as staff read them in exports (empty otherwise)."""
        return ", ".join(attendee.name for attendee in self.attendees.all())

    @property
    def entered_by_name(self) -> str:
        """The staff member who took the sign-up (empty for one made on the website)."""
        user = self.entered_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""

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


class Participant(models.Model):
    """A person across sessions, with as little data as possible: the e-mail or phone a sign-up gave,
    or a record staff made for a walk-in. It lets the centre count unique people and attendances
    without asking anyone for more. Only Registration managers see these records."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(pgettext_lazy("registrations", "name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, db_index=True)
    guardian = models.ForeignKey(
        "self",
        verbose_name=_("responsible adult"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
        help_text=_("For a child signed up by a parent."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who made the record (for a walk-in); empty when made by a sign-up."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    keep_until = models.DateField(
        _("kept until"),
        null=True,
        blank=True,
        help_text=_("A funded project's archiving date: the record is kept for its reporting until then."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]

    def __str__(self):
        # No personal data: the pseudonymous code is what reports and log entries show.
        return self.code

    @property
    def code(self) -> str:
        """The pseudonymous identifier used in exports (P-000042)."""
        return f"P-{self.pk:06d}" if self.pk else "P-new"


class RegistrationAttendee(models.Model):
    """A named participant of a family sign-up: each takes one of the registration's seats."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="attendees"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="attendee_places"
    )
    name = models.CharField(pgettext_lazy("registrations", "name"), max_length=200)

    class Meta:
        verbose_name = _("named participant")
        verbose_name_plural = _("named participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "participant"], name="registrations_attendee_once"),
        ]

    def __str__(self):
        return str(self.participant)


class Attendance(models.Model):
    """Whether one participant came to one session (a source-locale event date)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    event_date = models.ForeignKey(
        EventDate, verbose_name=_("date"), on_delete=models.RESTRICT, related_name="attendances"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendances"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        help_text=_("Empty for a walk-in."),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event_date", "participant"], name="registrations_attendance_once"),
        ]
        indexes = [models.Index(fields=["event_date", "status"], name="registrations_att_date_idx")]

    def __str__(self):
        return f"{self.participant} · {self.get_status_display()}"


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
