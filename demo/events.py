"""Demo events in Czech and English, drawn from the centre's real activities. Safe to run again.

Dates are relative to today, so the site always has past and upcoming dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from demo.helpers import locale, upsert_child, upsert_translation
from events.models import Audience, EventCategory, EventDate, EventIndexPage, EventPage, Venue
from events.recurrence import RepeatRule
from events.scheduling import event_dates_regenerate
from portal.models import CentreSettings

CATEGORIES = {
    # key: (cs name, cs slug, en name, en slug)
    "clubs": ("Kluby a kroužky", "kluby", "Clubs", "clubs"),
    "counselling": ("Poradenství", "poradenstvi", "Counselling", "counselling"),
    "community": ("Komunitní setkání", "komunitni-setkani", "Community meetings", "community-meetings"),
    "festivals": ("Slavnosti a akce", "slavnosti", "Festivals and events", "festivals"),
    "courses": ("Kurzy a dílny", "kurzy", "Courses and workshops", "courses"),
}
AUDIENCES = {
    "children": ("Děti a mládež", "deti", "Children and young people", "children"),
    "families": ("Rodiny", "rodiny", "Families", "families"),
    "seniors": ("Senioři", "seniori", "Seniors", "seniors"),
    "adults": ("Dospělí", "dospeli", "Adults", "adults"),
    "homeless": ("Lidé bez domova", "lide-bez-domova", "People without a home", "people-without-a-home"),
    "migrants": ("Cizinci a migranti", "cizinci", "Migrants", "migrants"),
}
VENUES = {
    "centre": {
        "cs": ("Komunitní centrum", "Bezbariérový vstup z ulice, výtah do 1. patra, bezbariérové WC v přízemí."),
        "en": ("Community centre", "Step-free entrance from the street, lift to the first floor, accessible toilet."),
        "street": "Nádražní 1024",
        "postal_code": "375 01",
        "city": "Týn nad Vltavou",
        "latitude": Decimal("49.223600"),
        "longitude": Decimal("14.420300"),
    },
    "square": {
        "cs": ("Náměstí Míru", "Venkovní akce na rovném dláždění; nejbližší bezbariérové WC je v komunitním centru."),
        "en": (
            "Náměstí Míru (town square)",
            "Outdoor event on level paving; the nearest accessible toilet is at the centre.",
        ),
        "street": "náměstí Míru",
        "postal_code": "375 01",
        "city": "Týn nad Vltavou",
        "latitude": None,
        "longitude": None,
    },
}
PROJECT_SLUG = "komunitni-centrum-vltavotynska"


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _snippet(model, key: str, names: tuple, cs_loc, en_loc, **extra):
    cs_name, cs_slug, en_name, en_slug = names
    cs = model.objects.filter(locale=cs_loc, slug=cs_slug).first() or model(locale=cs_loc, slug=cs_slug)
    cs.name = cs_name
    for field, value in extra.items():
        setattr(cs, field, value)
    cs.save()
    en = model.objects.filter(locale=en_loc, translation_key=cs.translation_key).first()
    if en is None:
        en = cs.copy_for_translation(en_loc)
    en.slug, en.name = en_slug, en_name
    for field, value in extra.items():
        setattr(en, field, value)
    en.save()
    return cs, en


def _venue(key: str, cs_loc, en_loc) -> tuple[Venue, Venue]:
    data = VENUES[key]
    fields = {f: data[f] for f in ("street", "postal_code", "city", "latitude", "longitude")}
    cs = Venue.objects.filter(locale=cs_loc, name=data["cs"][0]).first() or Venue(locale=cs_loc)
    cs.name, cs.accessibility_notes = data["cs"]
    for field, value in fields.items():
        setattr(cs, field, value)
    cs.save()
    en = Venue.objects.filter(locale=en_loc, translation_key=cs.translation_key).first() or cs.copy_for_translation(
        en_loc
    )
    en.name, en.accessibility_notes = data["en"]
    for field, value in fields.items():
        setattr(en, field, value)
    en.save()
    return cs, en


def _events(today: dt.date) -> list[dict]:
    """The demo programme. `schedule` is (frequency, weekday, nth, start, end) or a list of one-off dates."""
    t = dt.time
    return [
        {
            "slug": ("doucovaci-klub", "homework-club"),
            "title": ("Doučovací klub pro děti", "Homework club for children"),
            "summary": (
                "Každou středu pomáháme dětem s úkoly a přípravou do školy. Dobrovolníci a pedagogové, svačina zdarma.",
                "Every Wednesday we help children with homework and preparing for school. Volunteers and teachers, free snack.",
            ),
            "category": "clubs",
            "audiences": ["children"],
            "schedule": ("weekly", 2, None, t(14, 30), t(16, 0)),
            "project": True,
            "language": ("čeština", "Czech"),
        },
        {
            "slug": ("socialni-poradna", "social-counselling"),
            "title": ("Sociální poradna", "Social counselling hours"),
            "summary": (
                "Bezplatná a anonymní pomoc s dávkami, bydlením, dluhy a jednáním s úřady. Každé úterý 15–17 hodin.",
                "Free and anonymous help with benefits, housing, debts and dealing with authorities. Every Tuesday 3–5 pm.",
            ),
            "category": "counselling",
            "audiences": ["adults", "seniors", "homeless"],
            "schedule": ("weekly", 1, None, t(15, 0), t(17, 0)),
            "cancel_next": (
                "Poradkyně je tento týden na školení, přijďte prosím příští úterý.",
                "The counsellor is at a training course this week; please come next Tuesday.",
            ),
        },
        {
            "slug": ("kavarna-pro-rodice", "parents-cafe"),
            "title": ("Kavárna pro rodiče", "Parents' café"),
            "summary": (
                "Posezení pro maminky a tatínky s malými dětmi: káva, hračky a prostor sdílet starosti i radosti.",
                "A get-together for parents with small children: coffee, toys and room to share worries and joys.",
            ),
            "category": "community",
            "audiences": ["families"],
            "schedule": ("weekly", 3, None, t(9, 30), t(11, 30)),
        },
        {
            "slug": ("skupina-lidru", "leaders-group"),
            "title": ("Setkání skupiny lídrů", "Leaders' group meeting"),
            "summary": (
                "Obyvatelé domu a sousedé, kteří chtějí něco změnit, se scházejí každé dva týdny a plánují společné kroky.",
                "Residents and neighbours who want to change things meet every two weeks and plan the next steps together.",
            ),
            "category": "community",
            "audiences": ["adults"],
            "schedule": ("biweekly", 0, None, t(17, 0), t(19, 0)),
            "project": True,
        },
        {
            "slug": ("komunitni-setkani", "community-meeting"),
            "title": ("Komunitní setkání k místním problémům", "Community meeting on local problems"),
            "summary": (
                "Jednou měsíčně společně hledáme řešení problémů v okolí – s obyvateli, městem a místními organizacemi.",
                "Once a month we look for solutions to local problems together – with residents, the town and local organisations.",
            ),
            "category": "community",
            "audiences": ["adults", "seniors"],
            "schedule": ("monthly", 3, 1, t(18, 0), t(20, 0)),
            "project": True,
        },
        {
            "slug": ("pravni-poradna", "legal-counselling"),
            "title": ("Právní poradna", "Legal counselling"),
            "summary": (
                "Advokátka odpovídá na dotazy k nájmu, exekucím, rodinnému právu a pracovním smlouvám. Nutná registrace.",
                "A lawyer answers questions about tenancy, debt enforcement, family law and employment contracts. Registration needed.",
            ),
            "category": "counselling",
            "audiences": ["adults"],
            "schedule": ("monthly", 2, 2, t(14, 0), t(16, 0)),
        },
        {
            "slug": ("cesko-vietnamsky-rodinny-den", "czech-vietnamese-family-day"),
            "title": ("Česko-vietnamský rodinný den", "Czech–Vietnamese family day"),
            "summary": (
                "Ochutnávka kuchyně, hry pro děti, tanec lvů a kaligrafie. Setkání rodin bez ohledu na původ.",
                "Food tasting, games for children, a lion dance and calligraphy. Families meet whatever their origin.",
            ),
            "category": "festivals",
            "audiences": ["families", "migrants", "children"],
            "venue": "square",
            "once": [(_weekday_on_or_after(today + dt.timedelta(days=20), 5), t(10, 0), 0, t(17, 0))],
            "language": ("čeština a vietnamština", "Czech and Vietnamese"),
        },
        {
            "slug": ("uklid-okoli", "neighbourhood-clean-up"),
            "title": ("Sousedský úklid okolí", "Neighbourhood clean-up"),
            "summary": (
                "Uklidíme společně náměstí a nábřeží. Rukavice a pytle zajistíme, po práci je občerstvení.",
                "Together we clean up the square and the riverside. Gloves and bags provided, refreshments afterwards.",
            ),
            "category": "community",
            "audiences": ["families", "adults"],
            "venue": "square",
            "once": [(_weekday_on_or_after(today + dt.timedelta(days=9), 5), t(9, 0), 0, t(12, 0))],
        },
        {
            "slug": ("primestsky-tabor", "day-camp"),
            "title": ("Příměstský tábor", "Holiday day camp"),
            "summary": (
                "Pět dní her, výletů a tvoření pro děti od 6 do 12 let během prázdnin.",
                "Five days of games, trips and crafts for children aged 6 to 12 during the school holidays.",
            ),
            "category": "clubs",
            "audiences": ["children"],
            "once": [(_weekday_on_or_after(today + dt.timedelta(days=35), 0), t(8, 0), 4, t(16, 0))],
            "price": (Decimal("500"), "500 Kč za týden, sourozenci 300 Kč", "500 CZK per week, siblings 300 CZK"),
        },
        {
            "slug": ("cestina-pro-cizince", "czech-for-foreigners"),
            "title": ("Čeština pro cizince", "Czech for foreigners"),
            "summary": (
                "Konverzační kurz češtiny pro dospělé cizince, začátečníci i mírně pokročilí.",
                "A Czech conversation course for adult foreigners, beginners and lower intermediate.",
            ),
            "category": "courses",
            "audiences": ["migrants", "adults"],
            "schedule": ("weekly", 3, None, t(17, 0), t(18, 30)),
            "language": ("čeština, vysvětlení anglicky a vietnamsky", "Czech, explanations in English and Vietnamese"),
        },
        {
            "slug": ("klub-senioru", "seniors-club"),
            "title": ("Klub seniorů", "Seniors' club"),
            "summary": (
                "Povídání, trénink paměti, deskové hry a jednou za měsíc beseda s hostem.",
                "Chatting, memory training, board games and once a month a talk with a guest.",
            ),
            "category": "clubs",
            "audiences": ["seniors"],
            "schedule": ("weekly", 4, None, t(10, 0), t(12, 0)),
        },
        {
            "slug": ("financni-gramotnost", "money-workshop"),
            "title": ("Dílna finanční gramotnosti", "Money management workshop"),
            "summary": (
                "Jak sestavit rodinný rozpočet, vyhnout se lichvě a co dělat, když přijde exekuce.",
                "How to plan a household budget, avoid loan sharks and what to do when debt enforcement starts.",
            ),
            "category": "courses",
            "audiences": ["adults", "families"],
            "once": [
                (today - dt.timedelta(days=12), t(17, 0), 0, t(19, 0)),
                (today + dt.timedelta(days=16), t(17, 0), 0, t(19, 0)),
            ],
        },
        {
            "slug": ("sousedska-vymena-obleceni", "clothes-swap"),
            "title": ("Sousedská výměna oblečení", "Neighbourhood clothes swap"),
            "summary": (
                "Přineste, co už nenosíte, a odneste si, co se vám hodí. Zbylé oblečení darujeme charitě.",
                "Bring what you no longer wear and take what you need. What is left goes to charity.",
            ),
            "category": "festivals",
            "audiences": ["families", "adults", "homeless"],
            "once": [(today - dt.timedelta(days=20), t(15, 0), 0, t(18, 0))],
        },
    ]


def _occurrences(spec: dict, today: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_default_timezone()
    if "schedule" in spec:
        frequency, weekday, nth, start, end = spec["schedule"]
        rule = RepeatRule(
            frequency=frequency,
            start_date=today - dt.timedelta(days=42),
            until_date=today + dt.timedelta(days=120),
            start_time=start,
            end_time=end,
            weekday=weekday,
            nth=nth,
        )
        return rule, None
    pairs = []
    for day, start, days, end in spec["once"]:
        pairs.append(
            (
                dt.datetime.combine(day, start, tzinfo=tz),
                dt.datetime.combine(day + dt.timedelta(days=days), end, tzinfo=tz),
            )
        )
    return None, pairs


def _set_dates(page: EventPage, spec: dict, today: dt.date) -> None:
    rule, pairs = _occurrences(spec, today)
    if rule is not None:
        page.repeat = rule.frequency
        page.repeat_weekday = rule.weekday
        page.repeat_nth = rule.nth
        page.repeat_from, page.repeat_until = rule.start_date, rule.until_date
        page.repeat_start_time, page.repeat_end_time = rule.start_time, rule.end_time
        # Treat every date as regenerable, so past demo dates are materialised too.
        event_dates_regenerate(page=page, rule=rule, now=timezone.make_aware(dt.datetime(2000, 1, 1)))
    else:
        current = {d.start: d for d in page.dates.all()}
        rows = []
        for start, end in pairs:
            row = current.pop(start, None) or EventDate(start=start)
            row.end = end
            rows.append(row)
        page.dates = rows
    reasons = spec.get("cancel_next")
    now = timezone.now()
    upcoming = sorted((d for d in page.dates.all() if d.start > now + dt.timedelta(days=1)), key=lambda d: d.start)
    for date in page.dates.all():
        date.cancelled, date.cancellation_reason = False, ""
    if reasons and upcoming:
        upcoming[0].cancelled = True
        upcoming[0].cancellation_reason = reasons[0]


def translate_reasons(translation: EventPage, reason: str | None) -> None:
    """Give the translation's cancelled dates the reason in its language (they hold the Czech one until then)."""
    if not reason:
        return
    translation = EventPage.objects.get(pk=translation.pk)
    dates = list(translation.dates.all())
    for date in dates:
        if date.cancelled:
            date.cancellation_reason = reason
    translation.dates = dates
    translation.save_revision().publish()


@transaction.atomic
def load(*, homes: dict[str, Page]) -> str:
    cs_loc, en_loc = locale("cs"), locale("en")
    today = timezone.localdate()
    categories = {k: _snippet(EventCategory, k, v, cs_loc, en_loc) for k, v in CATEGORIES.items()}
    audiences = {k: _snippet(Audience, k, v, cs_loc, en_loc) for k, v in AUDIENCES.items()}
    venues = {k: _venue(k, cs_loc, en_loc) for k in VENUES}

    index_cs = upsert_child(
        homes["cs"],
        EventIndexPage,
        slug="akce",
        title="Akce",
        show_in_menus=True,
        intro="<p>Kluby, poradny, kurzy a sousedské akce komunitního centra. Vyberte si podle toho, pro koho jsou a kdy se konají.</p>",
    )
    index_en = upsert_translation(
        index_cs,
        language_code="en",
        slug="events",
        title="Events",
        show_in_menus=True,
        intro="<p>Clubs, counselling, courses and neighbourhood events at the community centre. Choose by who they are for and when they happen.</p>",
    )

    project = None
    try:
        from projects.models import ProjectPage

        project = ProjectPage.objects.filter(slug=PROJECT_SLUG, locale=cs_loc).first()
    except ImportError:  # pragma: no cover - the projects app is always installed
        project = None

    # The organiser of the demo events is the centre itself, with its real contact details.
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    specs = _events(today)
    for spec in specs:
        venue_cs, venue_en = venues[spec.get("venue", "centre")]
        category_cs, category_en = categories[spec["category"]]
        price = spec.get("price")
        common = {
            "is_free": price is None,
            "price": price[0] if price else None,
            "organiser_email": centre.email,
            "organiser_phone": centre.phone,
        }
        language = spec.get("language", ("čeština", "Czech"))
        page_cs = upsert_child(
            index_cs,
            EventPage,
            slug=spec["slug"][0],
            title=spec["title"][0],
            summary=spec["summary"][0],
            category=category_cs,
            venue=venue_cs,
            price_note=price[1] if price else "",
            activity_language=language[0],
            organiser_name=centre.text_for("cs").name,
            project=project if spec.get("project") and project is not None and project.live else None,
            **common,
        )
        page_cs.audiences = [audiences[a][0] for a in spec["audiences"]]
        _set_dates(page_cs, spec, today)
        page_cs.save_revision().publish()

        page_en = upsert_translation(
            page_cs,
            language_code="en",
            slug=spec["slug"][1],
            title=spec["title"][1],
            summary=spec["summary"][1],
            category=category_en,
            venue=venue_en,
            price_note=price[2] if price else "",
            activity_language=language[1],
            project=(project.get_translation_or_none(en_loc) or project) if page_cs.project_id else None,
            audiences=[audiences[a][1] for a in spec["audiences"]],
            organiser_name=centre.text_for("en").name,
            **common,
        )
        translate_reasons(page_en, (spec.get("cancel_next") or (None, None))[1])

    dates = EventDate.objects.filter(page__locale=cs_loc, page__live=True).count()
    return (
        f"{len(specs)} events in cs and en, {dates} dates per language, index {index_cs.url_path} / {index_en.url_path}"
    )
