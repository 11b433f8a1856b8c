"""The Django side of `make bench`, run in a subprocess against the bench
database: seeding, finding one URL per public page type, counting queries.

    python -m bench.seed prepare            migrate and load the demo content
    python -m bench.seed grow EVENTS PROJECTS   add generated events and projects
    python -m bench.seed urls               one URL per public page type (JSON)
    python -m bench.seed pages              the same with each page's id and title (JSON)
    python -m bench.seed queries            queries per warm request per page type, page cache off (JSON)
    python -m bench.seed restrict HOW PAGE_ID [TO_PAGE_ID]  a login restriction made by
                                            the model API (create), bulk_create (bulk) or a
                                            queryset update() moving PAGE_ID's onto TO_PAGE_ID (move)
    python -m bench.seed registration CAPACITY  an event that takes registrations (JSON)
    python -m bench.seed registration_outcome UID  confirmed seats against capacity (JSON)
    python -m bench.seed index_scaling      event index queries and render time at 10/100/1,000 dates (JSON)
    python -m bench.seed attendance_scaling  queries of the project page and of a session's attendance
                                            sheet (and take screen) at 10 and 1,000 participants (JSON)

Everything is discovered from the models that exist, so the bench covers
whichever page types the portal has.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid

import django


def _setup() -> None:
    django.setup()


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum does on a live database
    after a bulk load (otherwise the first plans assume empty tables)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def prepare() -> None:
    """Migrate and load the demo content.

    The bench runs the production settings, which leave the `demo` app out,
    so the command is called by its class rather than by name.
    """
    from django.core.management import call_command

    from demo.management.commands.load_demo_content import Command as LoadDemoContent

    call_command("migrate", interactive=False, verbosity=0)
    call_command(LoadDemoContent(), verbosity=0)
    analyze()


def _live_cs():
    from wagtail.models import Locale, Page

    return Page.objects.live().filter(locale=Locale.objects.get(language_code="cs"))


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _count(model) -> int:
    return _live_cs().type(model).count() if model else 0


def grow(events: int, projects: int) -> dict:
    """Copy demo event and project pages until there are `events` events
    and `projects` projects in Czech, each event with dates of its own."""
    from django.db import transaction
    from django.utils import timezone

    result = {}
    EventPage, EventDate = _model("events.EventPage"), _model("events.EventDate")
    if EventPage is not None:
        template = _live_cs().type(EventPage).order_by("path").first()
        have = _count(EventPage)
        if template is not None and have < events:
            template = template.specific
            parent = template.get_parent()
            now = timezone.now().replace(minute=0, second=0, microsecond=0)
            for n in range(have, events):
                with transaction.atomic():
                    copy = template.copy(
                        to=parent,
                        update_attrs={"title": f"{template.title} ({n})", "slug": f"bench-akce-{n}"},
                        exclude_fields=["dates"],
                        keep_live=True,
                        copy_revisions=False,
                        log_action=None,
                    )
                    if EventDate is not None:
                        start = now + dt.timedelta(days=n % 120 - 20, hours=n % 9)
                        EventDate.objects.bulk_create(
                            EventDate(
                                page=copy,
                                locale_id=copy.locale_id,
                                start=start + dt.timedelta(days=7 * week),
                                end=start + dt.timedelta(days=7 * week, hours=2),
                                uid=uuid.uuid4(),
                            )
                            for week in range(3)
                        )
        result["events"] = _count(EventPage)
    ProjectPage = _model("projects.ProjectPage")
    if ProjectPage is not None:
        template = _live_cs().type(ProjectPage).order_by("path").first()
        have = _count(ProjectPage)
        if template is not None and have < projects:
            template = template.specific
            parent = template.get_parent()
            for n in range(have, projects):
                template.copy(
                    to=parent,
                    update_attrs={"title": f"{template.title} ({n})", "slug": f"bench-projekt-{n}"},
                    keep_live=True,
                    copy_revisions=False,
                    log_action=None,
                )
        result["projects"] = _count(ProjectPage)
    analyze()
    return result


def pages() -> dict[str, dict]:
    """One Czech page per public page type (its URL, id and title), plus the
    routes that are page types of their own (the month view) and the search page."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import get_page_models

    found: dict[str, dict] = {}
    for model in get_page_models():
        if model._meta.abstract or model._meta.label == "wagtailcore.Page":
            continue
        page = _live_cs().exact_type(model).order_by("path").first()
        if page is None or not page.url:
            continue
        name = model._meta.model_name.removesuffix("page") or "page"
        found[name] = {"url": page.url, "id": page.pk, "title": page.title}
        if model._meta.label == "events.EventIndexPage":
            found["month"] = {"url": page.url + "month/", "id": page.pk, "title": page.title}
    with translation.override("cs"):
        found["search"] = {"url": reverse("search") + "?q=klub", "id": None, "title": ""}
    found.update(ukrainian_pages())
    return dict(sorted(found.items()))


def ukrainian_pages() -> dict[str, dict]:
    """The Ukrainian home page and an event translated into Ukrainian, and a Czech page not translated
    yet, at its Ukrainian address (served in Czech under the Ukrainian interface)."""
    from django.conf import settings
    from wagtail.models import Page

    from portal.locales import url_in_language

    if "uk" not in dict(settings.LANGUAGES):
        return {}
    uk = Page.objects.live().filter(locale__language_code="uk")
    found = {}
    for name, label in (("uk_home", "home.HomePage"), ("uk_event", "events.EventPage")):
        page = uk.type(_model(label)).order_by("path").first()
        if page is not None and page.url:
            found[name] = {"url": page.url, "id": page.pk, "title": page.title}
    translated = uk.values_list("translation_key", flat=True)
    untranslated = (
        _live_cs().type(_model("home.StandardPage")).exclude(translation_key__in=translated).order_by("path").first()
    )
    if untranslated is not None:
        url = url_in_language(untranslated, "uk")
        if url.startswith("/uk/"):
            found["uk_untranslated"] = {"url": url, "id": untranslated.pk, "title": untranslated.title}
    return found


def urls() -> dict[str, str]:
    return {name: page["url"] for name, page in pages().items()}


def restrict(how: str, page_id: int, to_page_id: int | None = None) -> dict:
    """Put a login restriction on a page in one of the ways that bypass (or
    not) Django's signals: `create` (the model API, as the admin does),
    `bulk` (bulk_create: no signals) or `move` (a queryset update() that moves
    the restriction of `page_id` onto `to_page_id`: no signals either)."""
    from wagtail.models import Page, PageViewRestriction

    if how == "create":
        restriction = PageViewRestriction.objects.create(page=Page.objects.get(pk=page_id), restriction_type="login")
    elif how == "bulk":
        (restriction,) = PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=Page.objects.get(pk=page_id), restriction_type="login")]
        )
    elif how == "move":
        restriction = PageViewRestriction.objects.filter(page_id=page_id).order_by("pk").first()
        PageViewRestriction.objects.filter(pk=restriction.pk).update(page_id=to_page_id)
        page_id = to_page_id
    else:
        raise SystemExit(f"unknown restriction {how}")
    return {"restriction": restriction.pk, "page_id": page_id}


def unrestrict(restriction_ids: list[int]) -> dict:
    """Take the bench's restrictions off again, so the later steps see the pages public."""
    from wagtail.models import PageViewRestriction

    deleted, _by_model = PageViewRestriction.objects.filter(pk__in=restriction_ids).delete()
    return {"deleted": deleted}


def queries() -> dict[str, int]:
    """Queries of a warm request per page type with the page cache off and the
    fragments cache on, as `make bench` runs them (PAGE_CACHE=0, Redis)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if settings.PAGE_CACHE_ENABLED:
        raise SystemExit("queries are counted with the page cache off (PAGE_CACHE=0)")
    if "dummy" in settings.CACHES["fragments"]["BACKEND"].lower():
        raise SystemExit("queries are counted with the fragments cache on")
    caches["fragments"].get("bench-probe")  # the fragments cache answers (or raises)
    counts = {}
    client = Client()
    for name, url in urls().items():
        client.get(url)  # warm: Wagtail's site-root and settings caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[name] = len(captured) if response.status_code == 200 else -response.status_code
    return counts


def registration(capacity: int) -> dict:
    """An event open for registration of one date at a time, with `capacity` places and a waiting list."""
    from django.utils import timezone

    EventPage, EventDate = _model("events.EventPage"), _model("events.EventDate")
    if not hasattr(EventPage, "registration_enabled"):
        return {}
    page = _live_cs().type(EventPage).order_by("path").first()
    if page is None:
        return {}
    page = page.specific
    page.registration_enabled = True
    page.registration_capacity = capacity
    if hasattr(page, "registration_opens_at"):
        page.registration_opens_at = None
        page.registration_closes_at = None
    if hasattr(page, "registration_waitlist"):
        page.registration_waitlist = True
    if hasattr(page, "registration_scope"):
        # One date at a time (a course whose term is under way takes no enrolments on the website).
        page.registration_scope = "date"
    page.save_revision().publish()
    start = timezone.now() + dt.timedelta(days=30)
    date = EventDate.objects.filter(page=page, start__gt=timezone.now(), cancelled=False).order_by("start").first()
    if date is None:
        date = EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=2), uid=uuid.uuid4())
    EventDate.objects.filter(page=page).update(capacity=None)
    return {"page_id": page.pk, "url": page.url, "date_uid": str(date.uid)}


def registration_outcome(date_uid: str) -> dict:
    """What the bench's registrations left behind on one date: confirmed seats against capacity."""
    from django.db.models import Sum

    EventDate, Registration = _model("events.EventDate"), _model("registrations.Registration")
    date = EventDate.objects.select_related("page").get(uid=date_uid, page__locale__language_code="cs")
    page = date.page.specific
    rows = Registration.objects.filter(event_date=date)
    confirmed = rows.filter(status="confirmed").aggregate(seats=Sum("seats"))["seats"] or 0
    return {
        "capacity": page.registration_capacity_for(date),
        "confirmed_seats": confirmed,
        "waitlisted": rows.filter(status="waitlisted").count(),
    }


def index_scaling(sizes: tuple[int, ...] = (10, 100, 1000), renders: int = 15) -> dict:
    """A separate event index with one event of N upcoming dates, for each N: the
    index page's queries (warm) and its median render time with every cache emptied."""
    import statistics
    import time

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import EventDate, EventIndexPage, EventPage
    from portal.cache import site_version_replace

    home = _live_cs().filter(depth=2).first()
    index = home.get_children().filter(slug="bench-scaling").first()
    if index is None:
        index = EventIndexPage(title="Bench scaling", slug="bench-scaling")
        home.add_child(instance=index)
        index.save_revision().publish()
    index = index.specific
    event = index.get_children().type(EventPage).first()
    if event is None:
        event = EventPage(title="Pravidelná akce", slug="pravidelna-akce", summary="Bench")
        index.add_child(instance=event)
        event.save_revision().publish()
    event = event.specific
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    client = Client()
    out: dict = {}
    for size in sizes:
        EventDate.objects.filter(page=event).delete()
        EventDate.objects.bulk_create(
            EventDate(
                page=event,
                locale_id=event.locale_id,
                start=start + dt.timedelta(hours=6 * n),
                end=start + dt.timedelta(hours=6 * n + 2),
            )
            for n in range(size)
        )
        analyze()

        def forget() -> None:
            site_version_replace()
            cache.clear()

        forget()
        for _ in range(2):  # warm: process-level lookups and the fragments are filled
            client.get(index.url)
        with CaptureQueriesContext(connection) as captured:
            client.get(index.url)
        timings = []
        for _ in range(renders):
            forget()
            began = time.perf_counter()
            response = client.get(index.url)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        out[str(size)] = {"queries": len(captured), "median_ms": statistics.median(timings)}
    return out


def attendance_scaling(sizes: tuple[int, ...] = (10, 1000)) -> dict:
    """One held session of a funded project's activity with N registered people, each marked
    (present, excused or absent), for each N: the queries of a warm request of the project's
    page (its result figures counted again first) and of the session's attendance sheet as a
    Registration manager sees it, and of the phone screen that takes the session's attendance."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from events.models import EventDate, EventIndexPage, EventPage
    from events.registrations.models import Attendance, Participant, Registration
    from projects.models import ProjectPage
    from projects.services import project_measures_count

    projects = ProjectPage.objects.live().filter(locale__language_code="cs")
    project = projects.filter(slug="komunitni-centrum-vltavotynska").first() or projects.order_by("path").first()
    index = _live_cs().type(EventIndexPage).order_by("path").first()
    if project is None or index is None:
        return {}
    index = index.specific
    event = index.get_children().filter(slug="bench-dochazka").first()
    if event is None:
        event = EventPage(title="Bench: docházka", slug="bench-dochazka", summary="Bench", project=project)
        index.add_child(instance=event)
        event.save_revision().publish()
    event = event.specific
    day = (project.start_date or timezone.localdate() - dt.timedelta(days=60)) + dt.timedelta(days=30)
    start = dt.datetime.combine(day, dt.time(17, 0), tzinfo=timezone.get_default_timezone())
    date = EventDate.objects.filter(page=event, start=start).first()
    if date is None:
        date = EventDate.objects.create(page=event, start=start, end=start + dt.timedelta(hours=2), uid=uuid.uuid4())
    manager, _created = get_user_model().objects.get_or_create(username="bench-attendance", defaults={"is_staff": True})
    manager.groups.add(Group.objects.get(name="Registration managers"))
    staff = Client()
    staff.force_login(manager)
    visitor = Client()
    urls = {
        "project_page": lambda: (visitor, project.url),
        "attendance_sheet": lambda: (staff, reverse("registration_attendance", args=[date.pk])),
        "attendance_take": lambda: (staff, reverse("registration_attendance_take", args=[date.pk])),
    }
    statuses = ("present", "present", "present", "excused", "absent")
    out: dict = {}
    for size in sizes:
        Attendance.objects.filter(event_date=date).delete()
        Registration.objects.filter(event_date=date).delete()
        Participant.objects.filter(email__startswith="bench-att-").delete()
        people = Participant.objects.bulk_create(
            Participant(name=f"Účastník {n:04d} Bench", email=f"bench-att-{n}@example.cz") for n in range(size)
        )
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                event_date=date,
                participant=person,
                name=person.name,
                email=person.email,
                status="confirmed",
                consent_at=timezone.now(),
            )
            for person in people
        )
        Attendance.objects.bulk_create(
            Attendance(event_date=date, participant=person, registration=registration, status=statuses[n % 5])
            for n, (person, registration) in enumerate(zip(people, registrations, strict=True))
        )
        project_measures_count()
        analyze()
        figures = {}
        for name, target in urls.items():
            client, url = target()
            client.get(url)  # warm: Wagtail's site-root and settings caches, the kept values
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            figures[name] = len(captured) if response.status_code == 200 else -response.status_code
        out[str(size)] = figures
    return out


def registrations_count() -> dict:
    Registration = _model("registrations.Registration")
    return {"registrations": Registration.objects.count()}


def main(argv: list[str]) -> None:
    _setup()
    command, args = argv[0], argv[1:]
    if command == "prepare":
        prepare()
        out = {"ok": True}
    elif command == "grow":
        out = grow(int(args[0]), int(args[1]))
    elif command == "urls":
        out = urls()
    elif command == "pages":
        out = pages()
    elif command == "restrict":
        out = restrict(args[0], int(args[1]), int(args[2]) if len(args) > 2 else None)
    elif command == "unrestrict":
        out = unrestrict([int(arg) for arg in args])
    elif command == "queries":
        out = queries()
    elif command == "registration":
        out = registration(int(args[0]) if args else 100000)
    elif command == "registration_outcome":
        out = registration_outcome(args[0])
    elif command == "index_scaling":
        out = index_scaling()
    elif command == "attendance_scaling":
        out = attendance_scaling()
    elif command == "registrations":
        out = registrations_count()
    else:
        raise SystemExit(f"unknown command {command}")
    print("BENCH-JSON " + json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
