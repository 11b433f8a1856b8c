"""Read queries for registrations: free places, the form's date states, staff summaries.

Everything here is read-only. The capacity *decision* is taken again, under a
lock, in `events.registrations.services.booking.registration_create`; these figures are for display.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import EventPage
from events.places import Availability, DateAvailability
from portal.cache import dependency_key, dependency_version, once_per_request
from portal.locales import the_default_locale


def source_page(page):
    """The event page in the default language: the one registrations point at."""
    default = the_default_locale()
    if page.locale_id == default.pk:
        return page
    source = EventPage.objects.filter(translation_key=page.translation_key, locale=default).first()
    return source or page


def registration_window(*, page, event_date, series_start: dt.datetime | None = None):
    """(opens_at, closes_at) for a date: closes by default when the date (or the series) starts."""
    closes_at = page.registration_closes_at
    if closes_at is None:
        closes_at = series_start if page.registration_is_series else getattr(event_date, "start", None)
    return page.registration_opens_at, closes_at


def availability(
    *,
    page,
    event_date,
    taken: int,
    waitlisted: int = 0,
    now: dt.datetime | None = None,
    series_start: dt.datetime | None = None,
) -> DateAvailability:
    """The state of registration for one date, from the page's settings and the seats already taken."""
    now = now or timezone.now()
    capacity = page.registration_capacity_for(event_date)
    opens_at, closes_at = registration_window(page=page, event_date=event_date, series_start=series_start)
    event_cancelled = getattr(page, "status", "") == "cancelled"
    if not page.registration_enabled:
        state = Availability.DISABLED
    elif event_cancelled or (event_date is not None and event_date.cancelled and not page.registration_is_series):
        state = Availability.CANCELLED
    elif closes_at is not None and now >= closes_at:
        state = Availability.CLOSED
    elif opens_at is not None and now < opens_at:
        state = Availability.NOT_YET_OPEN
    elif capacity is not None and taken >= capacity:
        state = Availability.WAITLIST if page.registration_waitlist else Availability.FULL
    else:
        state = Availability.OPEN
    return DateAvailability(
        date=event_date,
        state=state,
        capacity=capacity,
        taken=taken,
        waitlisted=waitlisted,
        opens_at=opens_at,
        closes_at=closes_at,
    )


def _seat_counts_by_uid(source, date_uid: uuid.UUID | None = None) -> dict:
    from events.registrations.models import Registration

    registrations = Registration.objects.filter(event=source, event_date__isnull=False)
    if date_uid is not None:
        registrations = registrations.filter(event_date__uid=date_uid)
    rows = registrations.values("event_date__uid").annotate(
        taken=Coalesce(Sum("seats", filter=Q(status__in=Registration.SEAT_STATUSES)), 0),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return {row["event_date__uid"]: (row["taken"], row["waitlisted"]) for row in rows}


def _series_counts(source) -> tuple[int, int]:
    from events.registrations.models import Registration

    row = Registration.objects.filter(event=source, event_date__isnull=True).aggregate(
        # An enrolment that leaves from a date on gave its seat back for the rest of the term.
        taken=Coalesce(Sum("seats", filter=Q(status__in=Registration.SEAT_STATUSES, leaves_on__isnull=True)), 0),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return row["taken"], row["waitlisted"]


def _places_decide(page, dates) -> bool:
    """Whether the seats taken can decide that one of `dates` takes no registration: it has a
    limit and the event has no waiting list (with one, a full date still takes registrations)."""
    return not page.registration_waitlist and any(page.registration_capacity_for(date) is not None for date in dates)


def event_availability(
    *, page, now: dt.datetime | None = None, date_uid: str | None = None, for_booking: bool = False
) -> list[DateAvailability]:
    """For the event page: every upcoming date with its state and free places (a series gives one entry).

    With `date_uid` (what a posted registration form names), only that date if it is upcoming: a
    registration needs no other date's places. A value that names no date gives no date at all.
    With `for_booking` (the form checking that the posted date takes registrations, before the
    booking decides under the lock), the places are counted only where they decide that
    (`_places_decide`); the figures are then not for showing."""
    now = now or timezone.now()
    if page.registration_is_series:
        all_dates = list(page.term_dates(page.dates.filter(cancelled=False)).order_by("start"))
        if not all_dates:
            return []
        counted = not for_booking or _places_decide(page, all_dates[:1])
        taken, waitlisted = _series_counts(source_page(page)) if counted else (0, 0)
        return [
            availability(
                page=page,
                event_date=all_dates[0],
                taken=taken,
                waitlisted=waitlisted,
                now=now,
                series_start=all_dates[0].start,
            )
        ]
    dates = page.dates.filter(end__gte=now).order_by("start")
    only = None
    if date_uid is not None:
        try:
            only = uuid.UUID(str(date_uid))
        except ValueError:
            return []
        dates = dates.filter(uid=only)
    dates = list(dates)
    counted = not for_booking or _places_decide(page, dates)
    counts = _seat_counts_by_uid(source_page(page), only) if counted and dates else {}
    return [
        availability(
            page=page,
            event_date=date,
            taken=counts.get(date.uid, (0, 0))[0],
            waitlisted=counts.get(date.uid, (0, 0))[1],
            now=now,
        )
        for date in dates
    ]


def event_availability_shown(*, page) -> list[DateAvailability]:
    """`event_availability` for showing a page: its registration form, its shortcut and its
    structured data read it once per request."""
    return once_per_request("event-availability", page.pk, build=lambda: event_availability(page=page))


def series_first_start(*, page) -> dt.datetime | None:
    """When an enrolment's term starts: its first date that is not cancelled."""
    first = page.term_dates(page.dates.filter(cancelled=False)).order_by("start").first()
    return first.start if first else None


def annotate_free_places(dates: QuerySet) -> QuerySet:
    """Annotate EventDate rows with `reg_capacity`, `reg_taken` and `reg_free` in the same query.

    Works for dates of any language: registrations are matched by the date's
    `uid` (the same in every language) or, for whole-series registration, by the
    page's translation key. `reg_free` is None when registration is off or unlimited.
    """
    from events.registrations.models import Registration

    seat_statuses = list(Registration.SEAT_STATUSES)
    per_date = (
        Registration.objects.filter(event_date__uid=OuterRef("uid"), status__in=seat_statuses)
        .order_by()
        .values("event_date__uid")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    per_series = (
        Registration.objects.filter(
            event__translation_key=OuterRef("page__translation_key"),
            event_date__isnull=True,
            status__in=seat_statuses,
            leaves_on__isnull=True,
        )
        .order_by()
        .values("event__translation_key")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    dates = dates.annotate(
        reg_capacity=Case(
            When(page__registration_enabled=False, then=Value(None)),
            When(
                Q(page__registration_scope="date", capacity__isnull=False),
                then=F("capacity"),
            ),
            default=F("page__registration_capacity"),
            output_field=IntegerField(),
        ),
        reg_taken=Case(
            When(
                page__registration_scope="series",
                then=Coalesce(Subquery(per_series, output_field=IntegerField()), Value(0)),
            ),
            default=Coalesce(Subquery(per_date, output_field=IntegerField()), Value(0)),
            output_field=IntegerField(),
        ),
    )
    return dates.annotate(
        reg_free=Case(
            When(reg_capacity__isnull=True, then=Value(None)),
            When(reg_taken__gte=F("reg_capacity"), then=Value(0)),
            default=F("reg_capacity") - F("reg_taken"),
            output_field=IntegerField(),
        )
    )


def only_free_places(dates: QuerySet) -> QuerySet:
    """Dates (annotated by `annotate_free_places`) where a resident can still get a place now."""
    now = timezone.now()
    return dates.filter(
        Q(page__registration_enabled=True),
        Q(cancelled=False),
        Q(reg_capacity__isnull=True) | Q(reg_free__gt=0),
        Q(page__registration_opens_at__isnull=True) | Q(page__registration_opens_at__lte=now),
        Q(page__registration_closes_at__isnull=True) | Q(page__registration_closes_at__gt=now),
        Q(start__gt=now),
    ).exclude(page__status="cancelled")


def event_registration_summary(*, page) -> list[dict]:
    """For staff: per date of the source page, confirmed seats, capacity and the number waitlisted."""
    source = source_page(page)
    rows = []
    if source.registration_is_series:
        taken, waitlisted = _series_counts(source)
        rows.append(
            {
                "date": None,
                "taken": taken,
                "capacity": source.registration_capacity,
                "waitlisted": waitlisted,
            }
        )
    counts = _seat_counts_by_uid(source)
    # A course's dates within its term are listed too: attendance is taken for each of them.
    # (The dates may be a revision's, in memory: no lookups that only a database can answer.)
    term = {date.pk for date in source.term_dates(source.dates.all())} if source.registration_is_series else set()
    for date in source.dates.order_by("start"):
        taken, waitlisted = counts.get(date.uid, (0, 0))
        if source.registration_is_series and not taken and not waitlisted and date.pk not in term:
            continue
        rows.append(
            {
                "date": date,
                "taken": taken,
                "capacity": source.registration_capacity_for(date),
                "waitlisted": waitlisted,
            }
        )
    return rows


def date_cancellation_recipients(*, event_date) -> int:
    """How many registrants are e-mailed when the centre cancels this date (a count, no personal data).

    Per-date registrations that are confirmed or waiting, and confirmed registrations for the
    whole series (they are told about the one date). Works for a date in any language.
    """
    from events.registrations.models import Registration

    if event_date is None or event_date.pk is None or event_date.end < timezone.now():
        return 0
    per_date = Registration.objects.filter(
        event_date__uid=event_date.uid,
        event_date__page__translation_key=event_date.page.translation_key,
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
    ).count()
    series = 0
    page = event_date.page
    # The page may be a revision being previewed or reverted to: its dates are not in the database.
    if page.registration_is_series and page.term_covers(timezone.localdate(event_date.start)):
        series = (
            Registration.objects.filter(
                event__translation_key=page.translation_key,
                event_date__isnull=True,
                status=Registration.Status.CONFIRMED,
            )
            .exclude(leaves_on__lte=timezone.localdate(event_date.start))
            .count()
        )
    return per_date + series


# Czech alphabetical order at the first level: accents other than the háček do not count,
# "č", "ř", "š", "ž" follow their base letter, and "ch" follows "h".
_CZECH_LETTERS = {"č": "c~", "ř": "r~", "š": "s~", "ž": "z~"}


def czech_sort_key(text: str) -> str:
    """A key that sorts words in Czech alphabetical order (Čermák after Cibulka, Chalupa after Horák)."""
    text = text.casefold().replace("ch", "h~")
    text = "".join(_CZECH_LETTERS.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def surname_first(name: str) -> tuple[str, str]:
    """("Nováková", "Jana") for "Jana Nováková": the last word is taken as the surname."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return words[-1], " ".join(words[:-1])


def attendance_rows(*, event_date=None, event=None) -> list:
    """The people of the printed attendance sheet, by surname (then first names).

    For a date: everyone expected at it (see `expected_people`), with the attendance recorded so far
    and the walk-ins. For a whole-series course without a date: its enrolments, each named participant
    of a family sign-up on a row of their own. Each row has `surname`, `given_names`, `seats` and
    `status` (the recorded attendance, or "").
    """
    if event_date is not None:
        return attendance_list(event_date=event_date)
    from events.registrations.models import Registration

    registrations = (
        Registration.objects.filter(
            event=event, event_date__isnull=True, status__in=Registration.SEAT_STATUSES, anonymised_at__isnull=True
        )
        .filter(Q(leaves_on__isnull=True) | Q(leaves_on__gt=timezone.localdate()))
        .select_related("participant")
        .prefetch_related("attendees__participant")
        .order_by("id")
    )
    return _sorted_rows(_rows_of(registrations))


# Attendance per session -------------------------------------------------------------


class AttendanceRow:
    """One person on a date's attendance list: a registrant, a named participant of a family sign-up,
    an enrolled person or a walk-in, with their attendance at the date if recorded."""

    def __init__(self, *, name, participant=None, registration=None, seats=1, guardian_name=""):
        self.name = name
        self.participant = participant
        self.registration = registration
        self.seats = seats
        self.guardian_name = guardian_name
        self.attendance = None
        self.surname, self.given_names = surname_first(name)

    @property
    def key(self):
        return self.participant.pk if self.participant is not None else f"r{self.registration.pk}"

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance is not None else ""

    @property
    def walk_in(self) -> bool:
        return bool(self.attendance and self.attendance.walk_in and self.registration is None)


def expected_registrations(*, event_date) -> QuerySet:
    """The registrations that bring people to this (default-language) date.

    - per-date registrations of the date holding places (confirmed, or already marked attended or not);
    - enrolments in the whole series (no date) holding places, when the event's term covers the
      date, made before the date ended, and not left before it (`leaves_on` after the date's day).
    """
    from events.registrations.models import Registration

    page = event_date.page
    day = timezone.localdate(event_date.start)
    wanted = Q(event_date=event_date)
    in_term = (page.registration_term_from is None or page.registration_term_from <= day) and (
        page.registration_term_until is None or day <= page.registration_term_until
    )
    if in_term:
        wanted |= Q(event_id=page.pk, event_date__isnull=True, created_at__lt=event_date.end) & (
            Q(leaves_on__isnull=True) | Q(leaves_on__gt=day)
        )
    return (
        Registration.objects.filter(wanted, status__in=Registration.SEAT_STATUSES, anonymised_at__isnull=True)
        .select_related("participant")
        .prefetch_related("attendees__participant")
        .order_by("id")
    )


def _rows_of(registrations) -> list[AttendanceRow]:
    """A row per named participant of a family sign-up, otherwise one per registration (its registrant)."""
    rows = []
    for registration in registrations:
        attendees = list(registration.attendees.all())
        if attendees:
            rows += [
                AttendanceRow(
                    name=attendee.name,
                    participant=attendee.participant,
                    registration=registration,
                    guardian_name=registration.name,
                )
                for attendee in attendees
            ]
        else:
            rows.append(
                AttendanceRow(
                    name=registration.name,
                    participant=registration.participant,
                    registration=registration,
                    seats=registration.seats,
                )
            )
    return rows


def _sorted_rows(rows: list[AttendanceRow]) -> list[AttendanceRow]:
    return sorted(rows, key=lambda row: (czech_sort_key(row.surname), czech_sort_key(row.given_names), str(row.key)))


def attendance_list(*, event_date) -> list[AttendanceRow]:
    """Everyone on a (default-language) date's attendance list, by surname in Czech order: the people
    expected at it, then anyone else whose attendance was recorded (a walk-in, or someone whose
    registration was since cancelled). A person reached twice is listed once."""
    from events.registrations.models import Attendance

    rows = []
    seen = set()
    for row in _rows_of(expected_registrations(event_date=event_date)):
        if row.participant is not None:
            if row.participant.pk in seen:
                continue
            seen.add(row.participant.pk)
        rows.append(row)
    recorded = Attendance.objects.filter(event_date=event_date).select_related("participant", "recorded_by")
    by_participant = {attendance.participant_id: attendance for attendance in recorded}
    for row in rows:
        if row.participant is not None:
            row.attendance = by_participant.pop(row.participant.pk, None)
    for attendance in by_participant.values():
        row = AttendanceRow(
            name=attendance.participant.name or attendance.participant.code, participant=attendance.participant
        )
        row.attendance = attendance
        rows.append(row)
    return _sorted_rows(rows)


def attendance_last_recorded(*, event_date):
    """The attendance most recently recorded at a date (who and when), or None."""
    from events.registrations.models import Attendance

    return (
        Attendance.objects.filter(event_date=event_date)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    )


def participants_listing() -> QuerySet:
    """Participant records for Registration managers: each with its number of attendances (present)
    and its first and last attendance. Anonymised records are left out."""
    from events.registrations.models import Attendance, Participant

    present = Q(attendances__status=Attendance.Status.PRESENT)
    return Participant.objects.filter(anonymised_at__isnull=True).annotate(
        attendance_count=Count("attendances", filter=present),
        first_attendance=Min("attendances__event_date__start", filter=present),
        last_attendance=Max("attendances__event_date__start", filter=present),
    )


# Free places in kept pages (portal/cache.py) ----------------------------------------


def availability_keys(*, event_translation_key=None) -> tuple[str, ...]:
    """The dependency keys of the free places: of every listing, or of one
    event (in every language) as well."""
    keys = [dependency_key("availability")]
    if event_translation_key is not None:
        keys.append(dependency_key("availability", event_translation_key))
    return tuple(keys)


def availability_version(*, event_translation_key=None) -> str:
    """Note that what is being rendered shows free places (of the listings,
    or of one event) and return their version, for a fragment's key."""
    if event_translation_key is None:
        return dependency_version(dependency_key("availability"))
    return dependency_version(dependency_key("availability", event_translation_key))


def waitlist_position(*, registration) -> int | None:
    """Where a waitlisted registration stands in its date's (or series') queue: 1 is next in line.

    None for a registration that is not on the waiting list. The queue is promoted
    oldest first (services.capacity.promote_locked), so the position counts the
    waiting registrations of the same pool created before this one.
    """
    from events.registrations.models import Registration

    if registration.status != Registration.Status.WAITLISTED:
        return None
    pool = Registration.objects.filter(event_id=registration.event_id, status=Registration.Status.WAITLISTED)
    if registration.event_date_id is None:
        pool = pool.filter(event_date__isnull=True)
    else:
        pool = pool.filter(event_date_id=registration.event_date_id)
    ahead = pool.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    ).count()
    return ahead + 1


# Deleting pages ---------------------------------------------------------------------


def registrations_held_by_pages(*, pages) -> list[dict]:
    """Per event page in these pages' subtrees (registrations point at the default language's
    page, whatever the registrant's language): the registrations a deletion would lose.

    `active` counts confirmed and waitlisted registrations, `unsent` the outbox e-mails not
    sent yet (a cancellation being sent, say). Events with neither are left out.
    """
    from events.registrations.models import Registration, RegistrationEmail

    subtree = Q()
    for page in pages:
        subtree |= Q(path__startswith=page.path)
    if not subtree:
        return []
    events = EventPage.objects.filter(subtree).annotate(
        active=Count(
            "registrations",
            filter=Q(registrations__status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)),
            distinct=True,
        ),
        unsent=Count(
            "registrations__emails",
            filter=Q(
                registrations__emails__state__in=(RegistrationEmail.State.PENDING, RegistrationEmail.State.RETRYING)
            ),
            distinct=True,
        ),
    )
    return [
        {"event": event, "active": event.active, "unsent": event.unsent}
        for event in events.filter(Q(active__gt=0) | Q(unsent__gt=0)).order_by("path")
    ]


# Enrolment terms ---------------------------------------------------------------------

#: How a term's first and last day are written ("1. 9.–31. 1." / "1 Sep–31 Jan").
TERM_DAY_FORMATS = {"cs": "j. n.", "en": "j M", "uk": "d.m"}


@dataclass(frozen=True)
class Term:
    """The term an enrolment in a whole course covers: its first and last day and how many dates it has."""

    first_day: dt.date
    last_day: dt.date
    dates: int

    @property
    def label(self) -> str:
        """ "1. 9.–31. 1." in the active language."""
        from django.utils.dateformat import format as date_format
        from django.utils.translation import get_language

        day_format = TERM_DAY_FORMATS.get((get_language() or "cs")[:2], TERM_DAY_FORMATS["cs"])
        return f"{date_format(self.first_day, day_format)}–{date_format(self.last_day, day_format)}"


def enrolment_term(*, page, ranged_only: bool = False) -> Term | None:
    """The term of a course that takes enrolments for all its dates (or those within its term range);
    None for an event that registers per date, or a course without dates (or, with `ranged_only`,
    without a term range: its pages and e-mails then speak of "every date of the course")."""
    if not page.registration_is_series:
        return None
    if ranged_only and not (page.registration_term_from or page.registration_term_until):
        return None
    dates = list(page.term_dates(page.dates.filter(cancelled=False)).order_by("start").values_list("start", flat=True))
    if not dates:
        return None
    first_day = page.registration_term_from or timezone.localdate(dates[0])
    last_day = page.registration_term_until or timezone.localdate(dates[-1])
    return Term(first_day=first_day, last_day=last_day, dates=len(dates))


def enrolment_started(*, registration, now: dt.datetime | None = None) -> bool:
    """Whether an active enrolment's term has begun: from then on it is cancelled from a date onward."""
    if registration.event_date_id is not None or not registration.holds_seats:
        return False
    start = series_first_start(page=registration.event)
    return start is not None and start <= (now or timezone.now())


def enrolment_leaving_dates(*, registration, by_staff: bool = False, now: dt.datetime | None = None):
    """The dates an enrolment can be cancelled from: the term's dates not started yet (all of them for staff),
    before the date it already leaves from."""
    if registration.event_date_id is not None or not registration.is_active:
        return []
    now = now or timezone.now()
    event = registration.event
    dates = event.term_dates(event.dates.filter(cancelled=False)).order_by("start")
    if not by_staff:
        dates = dates.filter(start__gt=now)
    dates = list(dates)
    if registration.leaves_on is not None:
        dates = [date for date in dates if timezone.localdate(date.start) < registration.leaves_on]
    return dates
