"""Demo registrations: registration settings on some demo events, some free and some full (idempotent).

Run by `load_demo_content` after `demo.events`. Demo registrants use example.cz
addresses and are written directly (no e-mails are sent); each gets its
participant record, as a real sign-up does. The regular activities (the
homework club, the leaders' group, the Czech course) take enrolments for a
term; `demo.attendance` then records their attendance.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventPage
from events.registrations.models import Registration
from events.registrations.services.participants import participant_for

DEMO_SETTINGS = {
    # slug of the Czech page: (places, max seats, scope, ask phone, ask note, registrants on the first date)
    "kavarna-pro-rodice": (12, 3, "date", False, True, 4),
    "cesko-vietnamsky-rodinny-den": (60, 6, "date", False, False, 20),
    "financni-gramotnost": (8, 2, "date", False, False, 10),
    "doucovaci-klub": (10, 1, "series", True, True, 8),
    "skupina-lidru": (12, 1, "series", False, False, 9),
    "primestsky-tabor": (15, 2, "series", True, True, 17),
    "cestina-pro-cizince": (10, 1, "series", False, True, 6),
    "uklid-okoli": (None, 6, "date", False, False, 3),
}
NAMES = ["Jana Nováková", "Petr Svoboda", "Lan Nguyen", "Marie Dvořáková", "Tomáš Černý", "Eva Procházková"]
#: The enrolment term of the regular activities, in days from today: from their first demo date for three months.
TERMS = {"doucovaci-klub": (-42, 50), "skupina-lidru": (-42, 50), "cestina-pro-cizince": (-42, 50)}


@transaction.atomic
def load(*, homes) -> str:
    cs = Locale.objects.filter(language_code="cs").first()
    today = timezone.localdate()
    enabled = registrations = 0
    for slug, (capacity, max_seats, scope, phone, note, fill) in DEMO_SETTINGS.items():
        page = EventPage.objects.filter(slug=slug, locale=cs).first()
        if page is None:
            continue
        for translation in [page, *page.get_translations()]:
            translation = translation.specific
            translation.registration_enabled = True
            translation.registration_capacity = capacity
            translation.registration_max_seats = max_seats
            translation.registration_scope = scope
            translation.registration_ask_phone = phone
            translation.registration_ask_note = note
            translation.registration_waitlist = True
            term = TERMS.get(slug)
            translation.registration_term_from = today + dt.timedelta(days=term[0]) if term else None
            translation.registration_term_until = today + dt.timedelta(days=term[1]) if term else None
            translation.save_revision().publish()
        enabled += 1
        first = page.dates.filter(cancelled=False).order_by("start").first()
        if first is None:
            continue
        event_date = None if scope == "series" else _first_upcoming(page) or first
        taken = 0
        for n in range(fill):
            email = f"demo{n + 1}.{slug}@example.cz"
            fits = capacity is None or taken + 1 <= capacity
            name = NAMES[n % len(NAMES)]
            _, created = Registration.objects.get_or_create(
                event=page,
                event_date=event_date,
                email=email,
                defaults={
                    "participant": participant_for(name=name, email=email),
                    "name": name,
                    "seats": 1,
                    "status": Registration.Status.CONFIRMED if fits else Registration.Status.WAITLISTED,
                    "language": "cs" if n % 3 else "en",
                    "consent_at": timezone.now(),
                },
            )
            taken += 1 if fits else 0
            registrations += int(created)
    return f"registration on for {enabled} events, {registrations} demo registrations added"


def _first_upcoming(page):
    return page.dates.filter(cancelled=False, start__gt=timezone.now()).order_by("start").first()
