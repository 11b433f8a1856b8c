"""Why a registration rule says no: each error carries the message shown to the person."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _

from events.registrations.models import Registration

logger = logging.getLogger(__name__)


class RegistrationError(Exception):
    """A registration rule says no. `message` is shown to the person, in their language."""

    default_message = _("Registration is not possible.")

    def __init__(self, message: Any = None, *, registration: Registration | None = None):
        self.message = message or self.default_message
        self.registration = registration
        super().__init__(str(self.message))


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this date is closed.")


class RegistrationNotOpen(RegistrationError):
    default_message = _("Registration for this date is not open yet.")


class DateCancelled(RegistrationError):
    default_message = _("This date has been cancelled.")


class EventFull(RegistrationError):
    default_message = _("There are no free places left.")


class TooManySeats(RegistrationError):
    default_message = _("You asked for more places than one registration allows.")


class DuplicateRegistration(RegistrationError):
    default_message = _("This e-mail address is already registered for this date.")


class InvalidAttendees(RegistrationError):
    default_message = _("Check the participants' names.")


class ConsentRequired(RegistrationError):
    default_message = _("Please confirm that you have read the privacy notice.")


class InvalidTransition(RegistrationError):
    default_message = _("This change is not possible for a registration in this state.")


class AttendanceError(RegistrationError):
    default_message = _("Attendance cannot be recorded.")


class AttendanceNotStarted(AttendanceError):
    default_message = _("Attendance can only be recorded once the date has started.")


class UnknownParticipant(AttendanceError):
    default_message = _("This person is not on the list for this date. Reload the page and try again.")


class InvalidToken(RegistrationError):
    default_message = _("This link is not valid or has expired.")
