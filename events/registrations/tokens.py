"""Signed links in e-mails: a registration's status, cancellation and resend links."""

from __future__ import annotations

import logging

from django.core import signing

from events.registrations.errors import InvalidToken
from events.registrations.models import Registration

logger = logging.getLogger(__name__)

STATUS_TOKEN_SALT = "events.registration.status"
CANCEL_TOKEN_SALT = "events.registration.cancel"
RESEND_TOKEN_SALT = "events.registration.resend"
# Links in e-mails stay valid for a year; a resend offer for an hour.
TOKEN_MAX_AGE = 366 * 24 * 3600
RESEND_TOKEN_MAX_AGE = 3600


def registration_token(*, registration: Registration, salt: str) -> str:
    return signing.dumps(str(registration.public_id), salt=salt, compress=False)


def registration_from_token(*, token: str, salt: str, max_age: int = TOKEN_MAX_AGE) -> Registration:
    """The registration a signed link names, or InvalidToken."""
    try:
        public_id = signing.loads(token, salt=salt, max_age=max_age)
        return Registration.objects.select_related("event", "event_date").get(public_id=public_id)
    except (signing.BadSignature, Registration.DoesNotExist, ValueError, TypeError) as error:
        raise InvalidToken() from error
    except Exception as error:  # malformed UUIDs raise ValidationError
        raise InvalidToken() from error


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()
