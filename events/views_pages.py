"""What the event pages render: thin glue between requests, selectors and templates."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.filters import parse_filters, parse_month
from events.ics import calendar_response
from events.jsonld import as_script_content, event_structured_data
from events.models import Audience, EventCategory, EventDate, EventPage
from events.places import event_availability, places_version
from portal.cache import kept
from portal.locales import locale_of

#: An index feed never lists more dates than this (a year of a busy centre).
MAX_FEED_DATES = 2000
#: The event page's JSON-LD describes at most this many coming dates (search
#: engines show the next few; a weekly activity would otherwise add ~1 KB per date).
MAX_STRUCTURED_DATES = 8
#: The month view shows at most this many dates a day, then a link to that day's listing.
MONTH_DATES_PER_DAY = 3


class DayDates(list):
    """The dates shown for one day, and how many more that day has (`more_count`)."""

    more_count: int = 0
    more_url: str = ""


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


def filter_choices(*, locale_id: int) -> tuple[list[EventCategory], list[Audience]]:
    """The categories and audiences a visitor can filter by, in their language."""
    return list(EventCategory.objects.filter(locale_id=locale_id)), list(Audience.objects.filter(locale_id=locale_id))


def _filters(*, page, request: HttpRequest):
    locale_id = page.locale_id
    categories, audiences = kept("event-filter-choices", locale_id, build=lambda: filter_choices(locale_id=locale_id))
    parsed = parse_filters(request.GET, categories=categories, audiences=audiences)
    return parsed, categories, audiences


def index_urls(*, page, request: HttpRequest) -> dict[str, str]:
    """The index's sub-pages, relative to the site."""
    base = page.get_url(request) or ""
    return {name: base + page.reverse_subpage(name) for name in ("upcoming", "month", "archive", "calendar")}


def _feed_query(parsed) -> str:
    """The filters a calendar subscription keeps (periods are relative, so they are left out)."""
    from urllib.parse import urlencode

    params = {key: parsed.raw[key] for key in ("category", "audience", "q") if parsed.raw.get(key)}
    return ("?" + urlencode(params)) if params else ""


def _base_context(*, page, request, parsed, categories, audiences) -> dict:
    urls = index_urls(page=page, request=request)
    periods = [
        ("", _("Any time")),
        ("today", _("Today")),
        ("week", _("This week")),
        ("month", _("This month")),
        ("next30", _("Next 30 days")),
    ]
    return {
        # Listings show free places: their fragments are keyed with this too.
        "availability_version": places_version(),
        "index_urls": urls,
        "feed_url": urls["calendar"] + _feed_query(parsed),
        "filters": parsed.filters,
        "filter_values": parsed.raw,
        "filter_problems": list(parsed.problems),
        "categories": categories,
        "audiences": audiences,
        "periods": periods,
        "active_filters": active_filter_labels(parsed.filters, periods=dict(periods)),
        "month_ends_soon": month_ends_soon(today=timezone.localdate()),
    }


#: The month is "almost over" when this many days or fewer are left of it (today included):
#: then "this month" offers the next 30 days, and the month view the next month.
MONTH_END_DAYS = 7


def month_ends_soon(*, today: dt.date) -> int | None:
    """How many days are left of this month (today included) when it is almost over, else None."""
    left = (_shift_month(today.replace(day=1), 1) - today).days
    return left if left <= MONTH_END_DAYS else None


def active_filter_labels(filters, *, periods: dict[str, str]) -> list[str]:
    """The applied filters in words, for the summary of the collapsed filter form."""
    labels = []
    if filters.q:
        labels.append(_("“%(words)s”") % {"words": filters.q})
    if filters.category is not None:
        labels.append(filters.category.name)
    if filters.audience is not None:
        labels.append(filters.audience.name)
    if filters.period == "range":
        labels.append(
            " – ".join(
                formats.date_format(day, "SHORT_DATE_FORMAT") if day else "…"
                for day in (filters.date_from, filters.date_to)
            )
        )
    elif filters.period:
        labels.append(periods.get(filters.period, filters.period))
    if filters.free_only:
        labels.append(_("Free places only"))
    return labels


def index_context(*, page, request: HttpRequest, archive: bool) -> dict:
    parsed, categories, audiences = _filters(page=page, request=request)
    context = _base_context(page=page, request=request, parsed=parsed, categories=categories, audiences=audiences)

    def paginator() -> Paginator:
        dates = EventDate.objects.listed(locale=locale_of(page), index=page, filters=parsed.filters, archive=archive)
        return Paginator(dates, page.per_page)

    raw_number = request.GET.get("page") or "1"
    if raw_number == "1":
        # The first page (the usual request) is always there: its dates are
        # counted and read only when the listing is rendered, not when its
        # fragment is kept.
        page_obj = SimpleLazyObject(lambda: paginator().page(1))
        number = 1
    else:
        # Any other number is checked now, so that one out of range is
        # explained above the listing.
        page_obj = _checked_page(paginator(), raw_number, problems=context["filter_problems"])
        number = page_obj.number
    context.update(
        {
            "archive": archive,
            "page_obj": page_obj,
            # The page of the listing shown, for the key of its fragment.
            "listing_page": number,
            # Read only when the listing is rendered (not when its fragment is cached).
            "day_groups": SimpleLazyObject(lambda: group_by_day(page_obj.object_list)),
        }
    )
    return context


def _checked_page(paginator: Paginator, raw_number: str, *, problems: list[str]):
    """The page `raw_number` names, or the first or last page with a word on why in `problems`."""
    try:
        return paginator.page(raw_number)
    except PageNotAnInteger:
        problems.append(_("“%(value)s” is not a page number; the first page is shown.") % {"value": raw_number[:20]})
        return paginator.page(1)
    except EmptyPage:
        last = paginator.num_pages
        problems.append(
            _("There is no page %(value)s; the last page (%(last)d) is shown.")
            % {"value": raw_number[:20], "last": last}
        )
        return paginator.page(last)


def index_response(*, page, request: HttpRequest, archive: bool) -> HttpResponse:
    context = index_context(page=page, request=request, archive=archive)
    return page.render(request, context_overrides=context)


def _shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_listing(*, queryset, first: dt.date, today: dt.date, day_url) -> dict:
    """The month's days with at most MONTH_DATES_PER_DAY dates each (and how many
    more each day has), and the dates continuing from the month before."""
    dates, per_day = queryset.month_sample(per_day=MONTH_DATES_PER_DAY)
    day_groups = []
    for day, items in group_by_day(d for d in dates if timezone.localdate(d.start) >= first):
        group = DayDates(items)
        group.more_count = per_day.get(day, len(items)) - len(items)
        if group.more_count > 0:
            group.more_url = day_url(day)
        day_groups.append((day, group))
    ongoing = DayDates([d for d in dates if timezone.localdate(d.start) < first][:MONTH_DATES_PER_DAY])
    ongoing.more_count = sum(n for day, n in per_day.items() if day < first) - len(ongoing)
    if ongoing.more_count > 0:
        ongoing.more_url = day_url(max(first, today))
    return {"day_groups": day_groups, "ongoing": ongoing}


def month_response(*, page, request: HttpRequest) -> HttpResponse:
    from urllib.parse import urlencode

    parsed, categories, audiences = _filters(page=page, request=request)
    context = _base_context(page=page, request=request, parsed=parsed, categories=categories, audiences=audiences)
    today = timezone.localdate()
    first, problem = parse_month(request.GET.get("month", ""), today=today)
    if problem:
        context["filter_problems"].append(problem)
    tz = timezone.get_current_timezone()
    after = _shift_month(first, 1)
    window = (dt.datetime.combine(first, dt.time.min, tzinfo=tz), dt.datetime.combine(after, dt.time.min, tzinfo=tz))
    queryset = EventDate.objects.listed(locale=locale_of(page), index=page, filters=parsed.filters, window=window)
    keep = {key: parsed.raw[key] for key in ("category", "audience", "q", "free") if parsed.raw.get(key)}

    def day_url(day: dt.date) -> str:
        listing_url = context["index_urls"]["archive" if day < today else "upcoming"]
        return listing_url + "?" + urlencode({**keep, "from": day.isoformat(), "to": day.isoformat()})

    # Read only when the listing is rendered (not when its fragment is cached).
    listing = SimpleLazyObject(lambda: _month_listing(queryset=queryset, first=first, today=today, day_url=day_url))
    context.update(
        {
            "month": first,
            "previous_month": _shift_month(first, -1).strftime("%Y-%m"),
            "previous_month_first": _shift_month(first, -1),
            "next_month": after.strftime("%Y-%m"),
            "next_month_first": after,
            "is_current_month": first == today.replace(day=1),
            # The current month is almost over: its next month is offered first.
            "next_month_soon": context["month_ends_soon"] if first == today.replace(day=1) else None,
            "day_groups": SimpleLazyObject(lambda: listing["day_groups"]),
            "ongoing": SimpleLazyObject(lambda: listing["ongoing"]),
            "today": today,
        }
    )
    return page.render(request, template="events/event_index_page_month.html", context_overrides=context)


def index_calendar_response(*, page, request: HttpRequest) -> HttpResponse:
    parsed, _categories, _audiences = _filters(page=page, request=request)
    dates = EventDate.objects.listed(locale=locale_of(page), index=page, filters=parsed.filters)[:MAX_FEED_DATES]
    name = page.title
    if parsed.filters.category:
        name = f"{name}: {parsed.filters.category.name}"
    if parsed.filters.audience:
        name = f"{name}: {parsed.filters.audience.name}"
    return calendar_response(dates=dates, request=request, name=name, filename=f"{page.slug}.ics")


def event_context(*, page, request: HttpRequest) -> dict:
    from portal.models import CentreSettings

    now = timezone.now()
    # A preview shows a draft: its own venue, audiences and so on, nothing kept.
    preview = getattr(request, "is_preview", False)
    event_places_version = places_version(event_translation_key=page.translation_key)

    def split_dates() -> dict:
        all_dates = EventDate.objects.of_event(page)
        upcoming = [d for d in all_dates if d.end >= now]
        past = [d for d in all_dates if d.end < now]
        return {"upcoming": upcoming, "past": past}

    # The dates are read only when the page's date list or JSON-LD is rendered
    # afresh (both are kept for a cache version).
    dates = SimpleLazyObject(split_dates)

    def structured() -> str:
        centre = CentreSettings.for_request(request)
        upcoming, past = dates["upcoming"], dates["past"]
        data = event_structured_data(
            page=page,
            dates=upcoming[:MAX_STRUCTURED_DATES] or past[-1:],
            request=request,
            organiser_fallback=centre.text.name,
            availabilities=event_availability(page=page) if page.registration_enabled else (),
        )
        return as_script_content(data)

    if preview:
        structured_data = structured()
    else:
        # The offers say whether places are left: kept with the event's places version.
        structured_data = kept(
            "event-json-ld", page.pk, request.get_host(), request.scheme, event_places_version, build=structured
        )

    def live_project():
        project = page.project
        return project.specific if project is not None and project.live else None

    project = None
    if page.project_id:
        project = live_project() if preview else kept("event-project", page.project_id, build=live_project)
    return {
        "upcoming_dates": SimpleLazyObject(lambda: dates["upcoming"]),
        "next_date": SimpleLazyObject(lambda: next((d for d in dates["upcoming"] if not d.cancelled), None)),
        "past_dates_count": SimpleLazyObject(lambda: len(dates["past"])),
        "last_past_date": SimpleLazyObject(lambda: dates["past"][-1] if dates["past"] else None),
        # Read only when the related events' fragment is rendered afresh.
        "related_events": SimpleLazyObject(lambda: EventPage.objects.related_to(page)),
        "structured_data": structured_data,
        "calendar_url": (page.get_url(request) or "") + page.reverse_subpage("calendar"),
        "project": project,
    }


def event_calendar_response(*, page, request: HttpRequest) -> HttpResponse:
    dates = EventDate.objects.of_event(page)
    return calendar_response(
        dates=dates, request=request, name=page.title, filename=f"{slugify(page.slug) or 'event'}.ics"
    )
