"""Read queries of events: the QuerySets behind `EventDate.objects` and `EventPage.objects`.

Every listing reads its dates through `EventDate.objects.listed()`: one query for the
rows (with their page, category and venue joined) plus one for the audiences, whatever
the number of dates. This module imports no model (`events.models` uses it), so the
related models are reached through the relations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from wagtail.models import PageQuerySet

from events import places
from portal.privacy import exclude_private, public_pages

if TYPE_CHECKING:
    from wagtail.models import Locale, Page

    from events.models import Audience, EventCategory, EventDate, EventPage


#: The "next 30 days" period: today and the 29 days after it.
NEXT_DAYS = 30


@dataclass(frozen=True)
class DateFilters:
    """What a visitor asked for in the query string, already validated."""

    category: EventCategory | None = None
    audience: Audience | None = None
    period: str = ""  # "", "today", "week", "month", "next30" or "range"
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
    if filters.period == "next30":
        return _day_start(today), _day_start(today + dt.timedelta(days=NEXT_DAYS))
    if filters.period == "range":
        start = _day_start(filters.date_from) if filters.date_from else None
        end = _day_start(filters.date_to + dt.timedelta(days=1)) if filters.date_to else None
        return start, end
    return None, None


class EventDateQuerySet(models.QuerySet):
    def public(self) -> EventDateQuerySet:
        """Leave out the dates of pages an anonymous visitor may not see (in a private section, in any language)."""
        return exclude_private(self, "page__translation_key")

    def listed(
        self,
        *,
        locale: Locale,
        filters: DateFilters | None = None,
        index: Page | None = None,
        archive: bool = False,
        window: tuple[dt.datetime | None, dt.datetime | None] | None = None,
        now: dt.datetime | None = None,
    ) -> EventDateQuerySet:
        """Live, public event dates in `locale`, filtered, in time order (newest first for the archive),
        with their free places (`reg_capacity`, `reg_taken`, `reg_free`).

        Upcoming means "not ended yet", so an activity that is on right now is still listed.
        `window` restricts to dates overlapping [start, end) (the month view).
        """
        now = now or timezone.now()
        filters = filters or DateFilters()
        dates = self.public().filter(page__live=True, page__locale=locale)
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
            # One row per date: a page lists an audience at most once.
            dates = dates.filter(page__audiences=filters.audience)
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
        dates = places.annotate_free_places(dates)
        if filters.free_only:
            dates = places.only_free_places(dates)
        return dates.order_by("-start", "-pk") if archive else dates.order_by("start", "pk")

    def month_sample(self, *, per_day: int) -> tuple[list[EventDate], dict[dt.date, int]]:
        """At most `per_day` of these dates for each local day (in time order), and the number
        of dates each day has: two queries, however busy the month is."""
        day = TruncDate("start", tzinfo=timezone.get_current_timezone())
        counts = {row["day"]: row["n"] for row in self.order_by().values(day=day).annotate(n=Count("pk"))}
        # Rank the rows without their free-places columns, then read only the shown ones in full.
        shown_ids = (
            self.order_by()
            .annotate(day_rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]))
            .filter(day_rank__lte=per_day)
            .values("pk")
        )
        return list(self.filter(pk__in=shown_ids)), counts

    def upcoming_for_home(self, *, locale: Locale, limit: int = 6) -> list[EventDate]:
        """The next dates for the home page (cancelled ones included, marked), in one query."""
        return list(
            self.public()
            .filter(page__live=True, page__locale=locale, end__gte=timezone.now())
            .select_related("page", "page__venue", "page__category")
            .order_by("start", "pk")[:limit]
        )

    def of_event(self, page: EventPage) -> list[EventDate]:
        """The event's dates in time order, each pointing at `page` itself (not at a second copy of it)."""
        dates = list(self.filter(page=page).order_by("start", "pk"))
        for date in dates:
            date.page = page
        return dates

    def with_registrations(self, date_ids: list[int]) -> set[int]:
        """Which of these dates have registrations (any model pointing at an event date counts)."""
        ids = [pk for pk in date_ids if pk]
        if not ids:
            return set()
        found: set[int] = set()
        for relation in self.model._meta.related_objects:
            if relation.many_to_many or relation.one_to_one or not relation.field.concrete:
                continue
            related = relation.related_model._default_manager
            found.update(
                related.filter(**{f"{relation.field.name}__in": ids}).values_list(relation.field.attname, flat=True)
            )
        return found


class EventPageQuerySet(PageQuerySet):
    def with_next_start(self, *, now: dt.datetime | None = None) -> EventPageQuerySet:
        """Add `next_start`: the start of each event's next date that has not ended."""
        now = now or timezone.now()
        return self.annotate(next_start=Min("dates__start", filter=Q(dates__end__gte=now)))

    def related_to(self, page: EventPage, *, limit: int = 3) -> list[EventPage]:
        """Other upcoming public events in the same category or for one of the same audiences, soonest first."""
        audience_ids = [a.pk for a in page.audiences.all()]
        condition = Q()
        if page.category_id:
            condition |= Q(category_id=page.category_id)
        if audience_ids:
            condition |= Q(
                pk__in=self.model.audiences.through.objects.filter(audience_id__in=audience_ids).values("eventpage_id")
            )
        if not condition:
            return []
        pages = public_pages(self.live()).filter(locale_id=page.locale_id).filter(condition).exclude(pk=page.pk)
        pages = pages.select_related("category").with_next_start()
        return list(pages.filter(next_start__isnull=False).order_by("next_start")[:limit])
