"""Regular activities: turning a schedule into concrete event dates, and keeping languages in step.

A schedule ("every Tuesday 15:00–17:00 from September to June, except holidays") is
materialised once into `EventDate` rows; listings, feeds and registrations then work on
plain rows. Regenerating never drops a date that people have registered for.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from events.models import EventDate, EventPage
from events.recurrence import RepeatRule, rule_occurrences

logger = logging.getLogger(__name__)


@dataclass
class RegenerationResult:
    created: int = 0
    removed: int = 0
    unchanged: int = 0
    kept_with_registrations: list[dt.datetime] = field(default_factory=list)


def event_dates_regenerate(*, page: EventPage, rule: RepeatRule, now: dt.datetime | None = None) -> RegenerationResult:
    """Replace the page's future dates (in memory, saved with the page) by the schedule's dates.

    Past dates are left alone. A future date that matches a scheduled start keeps its uid and
    its registrations. A future date the schedule no longer has is removed, unless someone has
    registered for it: then it is kept and reported, so the editor can cancel it explicitly.
    """
    now = now or timezone.now()
    occurrences = rule_occurrences(rule)
    existing = list(page.dates.all())
    registered = EventDate.objects.with_registrations([d.pk for d in existing])
    by_start = {d.start: d for d in existing if d.start >= now}
    result = RegenerationResult()
    keep: list[EventDate] = [d for d in existing if d.start < now]

    wanted = [(s, e) for s, e in occurrences if s >= now]
    wanted_starts = {s for s, _e in wanted}
    for start, end in wanted:
        current = by_start.get(start)
        if current is not None:
            if current.end != end:
                current.end = end
            keep.append(current)
            result.unchanged += 1
        else:
            keep.append(EventDate(start=start, end=end))
            result.created += 1
    for start, current in by_start.items():
        if start in wanted_starts:
            continue
        if current.pk in registered:
            keep.append(current)
            result.kept_with_registrations.append(start)
        else:
            result.removed += 1
    keep.sort(key=lambda d: d.start)
    for order, date in enumerate(keep):
        date.sort_order = order
    page.dates = keep
    return result


#: What every language's row of a date takes from the default language's row.
SYNCHRONISED_DATE_FIELDS = ("start", "end", "capacity", "cancelled", "sort_order", "translation_key")


def translated_reason(*, source: EventDate, current: str) -> str:
    """The reason a translation's row keeps for a date, given the reason it holds now.

    The translated reason is kept. Until there is one, the default language's reason stands in,
    so a cancelled date never goes unexplained. A date that is not cancelled (or has no reason
    in the default language) has none in any language.
    """
    if not source.cancelled or not source.cancellation_reason:
        return ""
    return current or source.cancellation_reason


@transaction.atomic
def event_dates_sync_translations(*, source: EventPage, only: EventPage | None = None) -> int:
    """Make every translation of `source` have the same dates (matched by uid). Returns rows written.

    Start, end, capacity, the cancelled flag and the order come from the source; each translation
    keeps its own reason for cancelling (see `translated_reason`). Registrations point at the
    source page's rows, so translations' rows can be rewritten freely.
    """
    source_dates = list(EventDate.objects.filter(page=source))
    source_uids = {d.uid for d in source_dates}
    written = 0
    translations = EventPage.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk)
    if only is not None:
        translations = translations.filter(pk=only.pk)
    for translation in translations:
        current = {d.uid: d for d in EventDate.objects.filter(page=translation)}
        stale = [d.pk for uid, d in current.items() if uid not in source_uids]
        if stale:
            # Removed first, so a re-added date's translation key is free again.
            EventDate.objects.filter(pk__in=stale).delete()
            written += len(stale)
        for date in source_dates:
            row = current.get(date.uid) or EventDate(page=translation, locale_id=translation.locale_id, uid=date.uid)
            reason = translated_reason(source=date, current=row.cancellation_reason)
            if (
                row.pk
                and row.cancellation_reason == reason
                and all(getattr(row, f) == getattr(date, f) for f in SYNCHRONISED_DATE_FIELDS)
            ):
                continue
            for f in SYNCHRONISED_DATE_FIELDS:
                setattr(row, f, getattr(date, f))
            row.cancellation_reason = reason
            row.save()
            written += 1
    return written


def event_dates_refresh_uids(*, page: EventPage) -> None:
    """Give a copied event fresh date uids, so the copy is a new event in calendars and registrations."""
    for date in EventDate.objects.filter(page=page):
        date.uid = uuid.uuid4()
        date.save(update_fields=["uid"])


# --- Publishing a revision that would delete a registered date ----------------------------

#: The history entry of a scheduled (or unattended) publication that was refused.
PUBLISH_REFUSED_ACTION = "events.publish_refused"


def revision_dropped_dates(*, page: EventPage, revision) -> list[EventDate]:
    """The saved dates with registrations that publishing `revision` would delete."""
    if not page.pk:
        return []
    kept = {date.pk for date in revision.as_object().dates.all() if date.pk}
    return page.dates_dropped_with_registrations(kept_ids=kept)


def revision_refuse(*, page: EventPage, revision, dropped: list[EventDate]) -> None:
    """Leave a revision unpublished because it would delete registered dates, and say so.

    The schedule is taken off the revision (it would be refused every minute otherwise), the
    revision itself stays as the page's draft, the page's history records the refusal, and
    the revision's author (and the page's owner) get an e-mail with a link to the editor.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import formats, translation
    from django.utils.translation import gettext
    from wagtail.log_actions import log
    from wagtail.models import Revision

    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    when = [timezone.localtime(date.start) for date in dropped]
    log(
        instance=page,
        action=PUBLISH_REFUSED_ACTION,
        revision=revision,
        data={"dates": [start.isoformat() for start in when], "revision": {"id": revision.pk}},
    )
    logger.warning(
        "Revision %s of page %s was not published: it would delete dates with registrations (%s)",
        revision.pk,
        page.pk,
        ", ".join(start.isoformat() for start in when),
    )
    recipients = sorted(
        {user.email for user in (revision.user, page.owner) if user is not None and getattr(user, "email", "")}
    )
    if not recipients:
        return
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[page.pk])
    with translation.override(settings.LANGUAGE_CODE):
        listed = ", ".join(formats.date_format(start, "DATETIME_FORMAT") for start in when)
        subject = gettext("Scheduled publishing of “%(title)s” did not happen") % {"title": page.title}
        body = gettext(
            "The scheduled version of the page “%(title)s” was not published, because it would delete "
            "dates that people have registered for: %(dates)s.\n\n"
            "The version is kept as a draft. Add the dates back, or cancel them (everyone registered is told), "
            "then publish or schedule it again:\n%(url)s\n"
        ) % {"title": page.title, "dates": listed, "url": edit_url}
    send_mail(subject, body, None, recipients, fail_silently=True)
