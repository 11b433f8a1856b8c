"""Participants: one record per person across sessions, found by the e-mail or phone a sign-up gave.

Nothing more is asked of anyone: a sign-up's address (or phone) is what links its attendances,
staff make a record for a walk-in, and a parent's children are records under the parent.
"""

from __future__ import annotations

import re

from django.db import transaction

from events.registrations.models import Participant
from events.registrations.tokens import normalise_email


def normalise_phone(phone: str) -> str:
    """The digits of a phone number with a leading +, so that '777 123 456' and '777123456' match."""
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    return ("+" if phone.startswith("+") else "") + digits


def participant_for(*, name: str = "", email: str = "", phone: str = "", created_by=None) -> Participant:
    """The participant with this e-mail (else this phone), or a new one. A record without either
    is always new: staff made it for a walk-in or someone who gave no contact.

    Inside a caller's transaction it takes no savepoint of its own: an error here ends the caller's."""
    email = normalise_email(email)
    phone_key = normalise_phone(phone)
    name = (name or "").strip()[:200]
    with transaction.atomic(savepoint=False):
        found = None
        live = Participant.objects.select_for_update().filter(anonymised_at__isnull=True, guardian__isnull=True)
        if email:
            found = live.filter(email=email).order_by("id").first()
        if found is None and phone_key:
            found = live.filter(phone=phone_key).order_by("id").first()
        if found is None:
            return Participant.objects.create(name=name, email=email, phone=phone_key, created_by=created_by)
        changed = []
        for field, value in (("name", name), ("email", email), ("phone", phone_key)):
            if value and not getattr(found, field):
                setattr(found, field, value)
                changed.append(field)
        if changed:
            found.save(update_fields=changed)
        return found


def dependant_for(*, guardian: Participant, name: str) -> Participant:
    """A child (or other person) a responsible adult signs up: the same name under the same adult is
    the same participant from term to term."""
    name = " ".join((name or "").split())[:200]
    existing = guardian.dependants.filter(anonymised_at__isnull=True)
    for candidate in existing:
        if candidate.name.casefold() == name.casefold():
            return candidate
    return Participant.objects.create(name=name, guardian=guardian)
