"""Read queries for event listings, feeds and the home page.

Every listing reads its dates through `event_dates()`: one query for the rows (with their
page, category and venue joined) plus one for the audiences, whatever the number of dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from wagtail.models import Locale, Page

from events import places
from events.models import Audience, EventCategory, EventDate, EventPage


@dataclass(frozen=True)
class DateFilters:
    """What a visitor asked for in the query string, already validated."""

    category: EventCategory | None = None
    audience: Audience | None = None
    period: str = ""  # "", "today", "week", "month" or "range"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    free_only: bool = False  # registrations: only dates where a place can still be booked

    @property
    def active(self) -> bool:
        return bool(self.category or self.audience or self.period or self.q or self.free_only)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(filters: DateFilters, *, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The [start, end) window a period filter stands for, in the site's time zone."""
    today = timezone.localdate(now)
    if filters.period == "today":
        return _day_start(today), _day_start(today + dt.timedelta(days=1))
    if filters.period == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return _day_start(today), _day_start(monday + dt.timedelta(days=7))
    if filters.period == "month":
        next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return _day_start(today), _day_start(next_month)
    if filters.period == "range":
        start = _day_start(filters.date_from) if filters.date_from else None
        end = _day_start(filters.date_to + dt.timedelta(days=1)) if filters.date_to else None
        return start, end
    return None, None


def with_availability(dates: QuerySet[EventDate]) -> QuerySet[EventDate]:
    """Annotate listing rows with what registrations know: `reg_capacity`, `reg_taken`, `reg_free`."""
    return places.annotate_free_places(dates)


def event_dates(
    *,
    locale: Locale,
    filters: DateFilters | None = None,
    index: Page | None = None,
    archive: bool = False,
    window: tuple[dt.datetime | None, dt.datetime | None] | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[EventDate]:
    """Live event dates in `locale`, filtered, in time order (newest first for the archive).

    Upcoming means "not ended yet", so an activity that is on right now is still listed.
    `window` restricts to dates overlapping [start, end) (the month view).
    """
    now = now or timezone.now()
    filters = filters or DateFilters()
    dates = EventDate.objects.filter(page__live=True, page__locale=locale)
    if index is not None:
        dates = dates.filter(page__path__startswith=index.path, page__depth=index.depth + 1)
    if window is None:
        dates = dates.filter(end__lt=now) if archive else dates.filter(end__gte=now)
    else:
        start, end = window
        if start is not None:
            dates = dates.filter(end__gt=start)
        if end is not None:
            dates = dates.filter(start__lt=end)
    start, end = period_bounds(filters, now=now)
    if start is not None:
        dates = dates.filter(end__gt=start)
    if end is not None:
        dates = dates.filter(start__lt=end)
    if filters.category is not None:
        dates = dates.filter(page__category=filters.category)
    if filters.audience is not None:
        audiences = EventPage.audiences.through.objects.filter(
            eventpage_id=OuterRef("page_id"), audience=filters.audience
        )
        dates = dates.filter(Exists(audiences))
    if filters.q:
        dates = dates.filter(
            Q(page__title__icontains=filters.q)
            | Q(page__summary__icontains=filters.q)
            | Q(page__venue__name__icontains=filters.q)
        )
    # The page's StreamField body is never shown in a listing or feed: leave it in the database.
    dates = (
        dates.select_related("page", "page__category", "page__venue")
        .defer("page__body")
        .prefetch_related("page__audiences")
    )
    dates = with_availability(dates)
    if filters.free_only:
        dates = places.only_free_places(dates)
    return dates.order_by("-start", "-pk") if archive else dates.order_by("start", "pk")


class DayDates(list):
    """The dates shown for one day, and how many more that day has (`more_count`)."""

    more_count: int = 0
    more_url: str = ""


def month_dates(*, dates: QuerySet[EventDate], per_day: int) -> tuple[list[EventDate], dict[dt.date, int]]:
    """At most `per_day` dates for each local day (in time order), and the number
    of dates each day has: two queries, however busy the month is."""
    day = TruncDate("start", tzinfo=timezone.get_current_timezone())
    counts = {row["day"]: row["n"] for row in dates.order_by().values(day=day).annotate(n=Count("pk"))}
    # Rank the rows without their free-places columns, then read only the shown ones in full.
    shown_ids = (
        dates.order_by()
        .annotate(day_rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]))
        .filter(day_rank__lte=per_day)
        .values("pk")
    )
    return list(dates.filter(pk__in=shown_ids)), counts


def group_by_day(dates) -> list[tuple[dt.date, list[EventDate]]]:
    """[(day, [dates starting that day])], preserving the order of `dates`."""
    groups: list[tuple[dt.date, list[EventDate]]] = []
    for date in dates:
        day = timezone.localdate(date.start)
        if groups and groups[-1][0] == day:
            groups[-1][1].append(date)
        else:
            groups.append((day, [date]))
    return groups


def filter_choices(*, locale: Locale) -> tuple[list[EventCategory], list[Audience]]:
    """The categories and audiences a visitor can filter by, in their language."""
    return list(EventCategory.objects.filter(locale=locale)), list(Audience.objects.filter(locale=locale))


def upcoming_dates_for_home(*, locale: Locale, limit: int = 6) -> list[EventDate]:
    """The next dates for the home page (cancelled ones included, marked), in one query."""
    return list(
        EventDate.objects.filter(page__live=True, page__locale=locale, end__gte=timezone.now())
        .select_related("page", "page__venue", "page__category")
        .order_by("start", "pk")[:limit]
    )


def event_upcoming_dates(*, page: EventPage, now: dt.datetime | None = None) -> list[EventDate]:
    now = now or timezone.now()
    return list(EventDate.objects.filter(page=page, end__gte=now).order_by("start", "pk"))


def event_all_dates(*, page: EventPage) -> list[EventDate]:
    """The event's dates in time order, each pointing at `page` itself (not at a second copy of it)."""
    dates = list(EventDate.objects.filter(page=page).order_by("start", "pk"))
    for date in dates:
        date.page = page
    return dates


def annotate_next_start(pages: QuerySet[EventPage], *, now: dt.datetime | None = None) -> QuerySet[EventPage]:
    """Add `next_start`: the start of each event's next date that has not ended."""
    now = now or timezone.now()
    return pages.annotate(next_start=Min("dates__start", filter=Q(dates__end__gte=now)))


def related_events(*, page: EventPage, limit: int = 3) -> list[EventPage]:
    """Other upcoming events in the same category or for one of the same audiences, soonest first."""
    audience_ids = [a.pk for a in page.audiences.all()]
    condition = Q()
    if page.category_id:
        condition |= Q(category_id=page.category_id)
    if audience_ids:
        condition |= Q(
            pk__in=EventPage.audiences.through.objects.filter(audience_id__in=audience_ids).values("eventpage_id")
        )
    if not condition:
        return []
    pages = (
        EventPage.objects.live()
        .filter(locale_id=page.locale_id)
        .filter(condition)
        .exclude(pk=page.pk)
        .select_related("category")
    )
    return list(annotate_next_start(pages).filter(next_start__isnull=False).order_by("next_start")[:limit])
