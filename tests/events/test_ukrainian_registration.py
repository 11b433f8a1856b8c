"""Registration, cancellation and the waiting list in Ukrainian, end to end, as a visitor goes through them.

The site is set up as the demo builds it: the Czech event "Kavárna pro rodiče" translated into English and
Ukrainian (/uk/zakhody/kaviarnia-dlia-batkiv/), the centre's name in Ukrainian, and a Czech-only event that a
Ukrainian visitor reaches at /uk/akce/<slug>/. Every Ukrainian text expected here is read from
locale/uk/LC_MESSAGES/django.po (`uk()`), so a string missing from the catalogue, left fuzzy or falling back
to English fails the test; and the pages and e-mails may hold no Latin-script words besides the content that
is not translated (`foreign_words`).
"""

import datetime as dt
import re
from email.utils import parseaddr
from gettext import c2py as plural_function
from pathlib import Path

import html5lib
import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.models import Locale, Site

from demo import ukrainian
from demo.helpers import upsert_translation
from events.models import EventPage
from events.registrations.models import Registration
from portal.models import CentreSettings, CentreText

from .conftest import local
from .registration_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "uk" / "LC_MESSAGES" / "django.po"
_PO = polib.pofile(str(CATALOGUE))
_ENTRIES = {(entry.msgctxt, entry.msgid): entry for entry in _PO if not entry.obsolete}
_PLURAL = plural_function(re.search(r"plural=([^;]+)", _PO.metadata["Plural-Forms"]).group(1))


def uk(msgid: str, *, context: str | None = None, n: int | None = None, **values) -> str:
    """The Ukrainian text of `msgid` (its plural form for `n`) from locale/uk/LC_MESSAGES/django.po,
    with `values` filled in."""
    entry = _ENTRIES.get((context, msgid))
    assert entry is not None, f"{msgid!r} is not in {CATALOGUE.name}"
    assert not entry.fuzzy, f"{msgid!r} is fuzzy in the Ukrainian catalogue"
    assert (n is not None) == bool(entry.msgid_plural), f"{msgid!r}: give `n` exactly for a plural"
    text = entry.msgstr_plural[_PLURAL(n)] if n is not None else entry.msgstr
    assert text and text != msgid, f"{msgid!r} has no Ukrainian translation"
    return text % values if values else text


#: How Ukrainian writes a date: the weekday, the day and the month in the genitive ("четвер, 3 грудня 2026").
UK_WEEKDAYS = ["понеділок", "вівторок", "середа", "четвер", "п’ятниця", "субота", "неділя"]
UK_MONTHS = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]


def uk_date(start: dt.datetime, end: dt.datetime) -> str:
    """A date as a Ukrainian reader sees it; one that ends the next day (late in the evening) names both days."""
    start, end = timezone.localtime(start), timezone.localtime(end)

    def day(moment: dt.datetime) -> str:
        return f"{UK_WEEKDAYS[moment.weekday()]}, {moment.day} {UK_MONTHS[moment.month - 1]} {moment.year}"

    if start.date() == end.date():
        return f"{day(start)}, {start:%H:%M}–{end:%H:%M}"
    return f"{day(start)}, {start:%H:%M} – {day(end)}, {end:%H:%M}"


LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏ]{2,}")
#: The centre's Ukrainian name keeps its Czech proper name ("Громадський центр Soused", demo.ukrainian).
CENTRE_NAME_LATIN = "Soused"


def foreign_words(text: str, *allowed: str) -> list[str]:
    """Words in Latin script: English or Czech left in a Ukrainian text (addresses and `allowed` content aside)."""
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    for content in (CENTRE_NAME_LATIN, *allowed):
        text = text.replace(content, " ")
    return LATIN_WORD.findall(text)


def _tree(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def main_text(html: str) -> str:
    """The visible text of the page's <main>, one line per line of text."""
    main = _tree(html).find(".//main")
    return "\n".join(" ".join(line.split()) for line in "".join(main.itertext()).splitlines() if line.strip())


def html_text(html: str) -> str:
    return " ".join("".join(_tree(html).find(".//body").itertext()).split())


def links(html: str) -> list[str]:
    return [a.get("href") for a in _tree(html).iter("a") if a.get("href")]


def places(html: str, n: int = 1) -> str:
    """The free places shown for the n-th date of the registration section."""
    shown = re.findall(r'<span class="registration-places"[^>]*>(.*?)</span></li>', html, re.S)
    assert len(shown) >= n, "the registration section lists no such date"
    return " ".join(re.sub(r"<[^>]+>", " ", shown[n - 1]).split())


def form_action(html: str) -> str:
    match = re.search(r'<form method="post" action="([^"#]+)#registration" class="registration-form">', html)
    assert match, "the page has no registration form"
    return match.group(1)


def form_data(event_date, **extra) -> dict:
    data = {"date": str(event_date.uid), "name": "Оксана Шевченко", "email": "oksana@example.cz", "seats": "1"}
    return {**data, "consent": "on", **extra}


CAFE_CS = ("Kavárna pro rodiče", "kavarna-pro-rodice")
CAFE_EN = ("Parents' café", "parents-cafe")
CAFE_UK_SLUG, CAFE_UK_TITLE, CAFE_UK_SUMMARY, _language, _reason = ukrainian.EVENTS["kavarna-pro-rodice"]
ONLY_CZECH = ("Dílna finanční gramotnosti", "financni-gramotnost", "Jak sestavit rodinný rozpočet.")


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """One visitor (the test client) sends many forms here; the rate limit has tests of its own."""
    settings.REGISTRATION_RATE_LIMIT = (1000, 600)


@pytest.fixture
def ukrainian_site(site_homes, index_cs, index_en):
    """The Ukrainian home page, the centre's name and the events index in Ukrainian, as the demo has them."""
    upsert_translation(site_homes["cs"], language_code="uk", slug="home-uk", **ukrainian.HOME)
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    CentreText.objects.update_or_create(
        settings=centre, locale=Locale.objects.get(language_code="uk"), defaults=ukrainian.CENTRE_TEXT
    )
    return upsert_translation(index_cs, language_code="uk", **ukrainian.EVENT_INDEX)


def _fresh(page) -> EventPage:
    return EventPage.objects.get(pk=page.pk)


@pytest.fixture
def cafe(ukrainian_site, make_event):
    """The parents' café in cs, en and uk: 3 places per date, a waiting list; a date in 10 and one in 17 days."""
    today = timezone.localdate()
    dates = [
        (local(day.year, day.month, day.day, 9, 30), local(day.year, day.month, day.day, 11, 30))
        for day in (today + dt.timedelta(days=10), today + dt.timedelta(days=17))
    ]
    czech = make_event(
        dates=dates,
        title=CAFE_CS[0],
        slug=CAFE_CS[1],
        registration_enabled=True,
        registration_capacity=3,
        registration_max_seats=3,
        registration_ask_note=True,
    )
    czech.save_revision().publish()
    english = upsert_translation(czech, language_code="en", title=CAFE_EN[0], slug=CAFE_EN[1])
    ukrainian_page = upsert_translation(
        czech, language_code="uk", title=CAFE_UK_TITLE, slug=CAFE_UK_SLUG, summary=CAFE_UK_SUMMARY
    )
    return {"cs": _fresh(czech), "en": _fresh(english), "uk": _fresh(ukrainian_page)}


def first(page):
    return page.dates.order_by("start").first()


def sign_up(client, capture, page, **data):
    """Open the event page as a visitor does, send its form and follow to the status page (e-mails sent)."""
    html = client.get(page.url).content.decode()
    with capture(execute=True):
        response = client.post(form_action(html), form_data(first(page), **data), follow=True)
    assert response.status_code == 200
    return response


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def only_mail_to(address: str):
    messages = sent_to(address)
    assert len(messages) == 1, [m.subject for m in messages]
    return messages[0]


def path_of(url: str) -> str:
    return re.sub(r"^http://testserver", "", url)


def registration_links_in(message) -> list[str]:
    html = message.alternatives[0][0]
    found = re.findall(r"https?://\S+", message.body) + links(html)
    return [link for link in found if "/registrations/" in link]


# 1. Registering from the Ukrainian page ------------------------------------------------------------------


def test_registering_from_the_ukrainian_page_fills_the_same_pool_and_answers_in_ukrainian(
    cafe, client, django_capture_on_commit_callbacks
):
    page = cafe["uk"]
    date = first(page)
    assert page.url == f"/uk/zakhody/{CAFE_UK_SLUG}/"
    html = client.get(page.url).content.decode()
    assert '<html lang="uk">' in html
    assert form_action(html) == f"/uk/registrations/event/{page.pk}/"
    assert uk("Registration", context="registrations") in html and uk("Register") in html
    assert places(html) == uk("%(free)s of %(capacity)s place left", n=3, free=3, capacity=3) + " 0/3"

    response = sign_up(client, django_capture_on_commit_callbacks, page)
    status_url = response.redirect_chain[0][0]
    assert status_url.startswith("/uk/registrations/status/")
    text = main_text(response.content.decode())
    assert f"<title>{uk('Registration confirmed')} |" in response.content.decode()
    assert uk("Registration confirmed") in text
    assert uk("Your place is booked. We look forward to seeing you.") in text
    assert f"{uk('Event')}{CAFE_UK_TITLE}" in text and f"{uk('When')}{uk_date(date.start, date.end)}" in text
    assert uk("The day before, we send you a reminder.") in text
    assert foreign_words(text) == []
    page_links = links(response.content.decode())
    assert page.url in page_links  # back to the Ukrainian event page
    assert any(link.startswith("/uk/registrations/cancel/") for link in page_links)

    # Stored in Ukrainian, against the Czech event and date: the one pool of places of every language.
    registration = Registration.objects.get()
    assert registration.language == "uk"
    assert (registration.event_id, registration.event_date.uid) == (cafe["cs"].pk, date.uid)
    assert registration.event_date.page_id == cafe["cs"].pk and registration.status == "confirmed"
    left = {}
    for code, event in cafe.items():
        with translation.override(code):
            expected = (
                uk("%(free)s of %(capacity)s place left", n=2, free=2, capacity=3)
                if code == "uk"
                else ngettext("%(free)s of %(capacity)s place left", "%(free)s of %(capacity)s places left", 2)
                % {"free": 2, "capacity": 3}
            )
        left[code] = places(client.get(event.url).content.decode())
        assert left[code] == f"{expected} 1/3", code
    assert left["cs"].startswith("zbývají 2 z 3") and left["en"].startswith("2 of 3")
    # The other date keeps its places.
    assert places(client.get(page.url).content.decode(), 2).endswith("0/3")

    # The confirmation e-mail, sent by the outbox's task: Ukrainian subject and text, Ukrainian links.
    message = only_mail_to("oksana@example.cz")
    assert message.subject == uk("Registration confirmed: %(event)s", event=CAFE_UK_TITLE)
    body = message.body
    assert body.strip().splitlines()[0] == uk("Hello,")
    assert (
        uk("your registration is confirmed. Your place is booked; the event is in the attached calendar file.") in body
    )
    assert f"{uk('Event')}: {CAFE_UK_TITLE}" in body
    assert f"{uk('When')}: {uk_date(date.start, date.end)}" in body
    assert f"{uk('Places')}: 1" in body and f"{uk('Name')}: Оксана Шевченко" in body
    assert f"http://testserver{page.url}" in body
    assert uk("You can check your registration at any time:") in body
    assert uk("If you cannot come, please cancel the registration so that someone else can take your place:") in body
    assert uk("With kind regards,") in body and ukrainian.CENTRE_TEXT["name"] in body
    assert parseaddr(message.from_email)[0] == ukrainian.CENTRE_TEXT["name"]
    assert foreign_words(body) == []
    html_mail = message.alternatives[0][0]
    assert '<html lang="uk">' in html_mail and foreign_words(html_text(html_mail)) == []
    assert uk("Your registration") in html_mail and uk("Cancel the registration") in html_mail
    found = registration_links_in(message)
    assert {path_of(link).split("/")[3] for link in found} == {"status", "cancel"}
    assert all(path_of(link).startswith("/uk/registrations/") for link in found), found
    # The links work, and in Ukrainian.
    status_link = next(link for link in found if "/status/" in link)
    assert uk("Registration confirmed") in main_text(client.get(path_of(status_link)).content.decode())
    cancel_link = next(link for link in found if "/cancel/" in link)
    assert uk("Yes, cancel the registration") in client.get(path_of(cancel_link)).content.decode()
    calendar = message.attachments[0][1]
    calendar = (calendar.decode() if isinstance(calendar, bytes) else calendar).replace("\r\n ", "")
    assert f"SUMMARY:{CAFE_UK_TITLE}" in calendar and f"URL:http://testserver{page.url}" in calendar


# 2. The waiting list -------------------------------------------------------------------------------------


def fill_the_date(client, capture, cafe):
    """Three places: Oksana (uk), Jana (cs) and Ivan (uk) take them, from the Ukrainian and the Czech page."""
    sign_up(client, capture, cafe["uk"])
    sign_up(client, capture, cafe["cs"], name="Jana Nováková", email="jana@example.cz")
    sign_up(client, capture, cafe["uk"], name="Іван Петренко", email="ivan@example.cz")
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_when_the_date_is_full_the_next_ukrainian_visitor_waits_and_is_told_so_in_ukrainian(
    cafe, client, django_capture_on_commit_callbacks
):
    fill_the_date(client, django_capture_on_commit_callbacks, cafe)
    full = uk("Full – you can join the waiting list")
    assert full in places(client.get(cafe["uk"].url).content.decode())
    with translation.override("cs"):
        assert gettext("Full – you can join the waiting list") in places(client.get(cafe["cs"].url).content.decode())

    response = sign_up(client, django_capture_on_commit_callbacks, cafe["uk"], name="Петро Коваль", email="petro@x.cz")
    assert response.redirect_chain[0][0].startswith("/uk/registrations/status/")
    text = main_text(response.content.decode())
    assert uk("You are on the waiting list") in text
    assert (
        uk(
            "The date is full at the moment. As soon as a place frees up, it goes to the first person on the waiting "
            "list, and we tell you by e-mail."
        )
        in text
    )
    assert uk("You are number %(position)s on the waiting list.", position=1) in text
    assert uk("The next place that frees up is yours.") in text
    assert uk("number %(position)s in the queue", position=1) in text
    assert foreign_words(text) == []
    petro = Registration.objects.get(email="petro@x.cz")
    assert (petro.status, petro.language, petro.event_id) == ("waitlisted", "uk", cafe["cs"].pk)

    message = only_mail_to("petro@x.cz")
    assert message.subject == uk("You are on the waiting list: %(event)s", event=CAFE_UK_TITLE)
    assert (
        uk(
            "the date is full, so you are on the waiting list. As soon as a place frees up, it goes to the first "
            "person on the list and we write to you."
        )
        in message.body
    )
    assert uk("You are number %(position)s on the waiting list.", position=1) in message.body
    assert foreign_words(message.body) == [] and foreign_words(html_text(message.alternatives[0][0])) == []
    assert all(path_of(link).startswith("/uk/registrations/") for link in registration_links_in(message))

    # Behind a Czech visitor, the third on the list learns how many are ahead, with the Ukrainian plural.
    sign_up(client, django_capture_on_commit_callbacks, cafe["cs"], name="Marie Dvořáková", email="marie@x.cz")
    response = sign_up(client, django_capture_on_commit_callbacks, cafe["uk"], name="Олена Бондар", email="olena@x.cz")
    text = main_text(response.content.decode())
    assert uk("You are number %(position)s on the waiting list.", position=3) in text
    assert uk("%(ahead)s person is ahead of you.", n=2, ahead=2) in text
    assert uk("You are number %(position)s on the waiting list.", position=3) in only_mail_to("olena@x.cz").body


# 3. Cancelling through the Ukrainian link ----------------------------------------------------------------


def cancel_link_of(address: str) -> str:
    message = sent_to(address)[0]
    return path_of(next(link for link in re.findall(r"https?://\S+", message.body) if "/cancel/" in link))


def test_cancelling_through_the_ukrainian_link_moves_the_waiting_list_up_each_in_their_language(
    cafe, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    fill_the_date(client, capture, cafe)
    sign_up(client, capture, cafe["uk"], name="Петро Коваль", email="petro@x.cz")
    sign_up(client, capture, cafe["cs"], name="Marie Dvořáková", email="marie@x.cz")
    date = first(cafe["uk"])

    link, ivans_link = cancel_link_of("oksana@example.cz"), cancel_link_of("ivan@example.cz")
    assert link.startswith("/uk/registrations/cancel/")
    page = client.get(link)
    assert page.status_code == 200
    text = main_text(page.content.decode())
    assert uk("Cancel the registration") in text and uk("Yes, cancel the registration") in text
    assert (
        uk("Do you really want to cancel this registration? Your place goes to the next person on the waiting list.")
        in text
    )
    assert CAFE_UK_TITLE in text and uk_date(date.start, date.end) in text
    assert foreign_words(text) == []
    assert cafe["uk"].url in links(page.content.decode())

    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(link, follow=True)
    assert response.redirect_chain[0][0].startswith("/uk/registrations/status/")
    text = main_text(response.content.decode())
    assert uk("Registration cancelled") in text
    assert (
        uk("Your registration has been cancelled. Thank you for letting us know: your place can go to someone else.")
        in text
    )
    assert foreign_words(text) == []

    cancelled = only_mail_to("oksana@example.cz")
    assert cancelled.subject == uk("Registration cancelled: %(event)s", event=CAFE_UK_TITLE)
    assert uk("your registration has been cancelled. Thank you for letting us know.") in cancelled.body
    assert f"{uk('When')}: {uk_date(date.start, date.end)}" in cancelled.body
    assert foreign_words(cancelled.body) == [] and "/registrations/cancel/" not in cancelled.body

    # The first on the waiting list (Ukrainian) has the place, and is told in Ukrainian.
    petro = Registration.objects.get(email="petro@x.cz")
    assert petro.status == "confirmed"
    promoted = only_mail_to("petro@x.cz")
    assert promoted.subject == uk("A place is yours: %(event)s", event=CAFE_UK_TITLE)
    assert (
        uk(
            "good news: a place has freed up and it is yours. Your registration is now confirmed; the event is in the "
            "attached calendar file."
        )
        in promoted.body
    )
    assert foreign_words(promoted.body) == []
    assert all(path_of(link).startswith("/uk/registrations/") for link in registration_links_in(promoted))
    assert not sent_to("marie@x.cz")  # still waiting, now first
    assert Registration.objects.filter(status="confirmed").count() == 3

    # When Ivan cancels from his Ukrainian link, the Czech visitor moves up and is told in Czech.
    with capture(execute=True):
        assert client.post(ivans_link).status_code == 302
    marie = only_mail_to("marie@x.cz")
    with translation.override("cs"):
        assert marie.subject == gettext("A place is yours: %(event)s") % {"event": CAFE_CS[0]}
        assert gettext("Hello,") in marie.body
    assert all(path_of(link).startswith("/cs/registrations/") for link in registration_links_in(marie))
    assert f"http://testserver{cafe['cs'].url}" in marie.body
    assert Registration.objects.get(email="marie@x.cz").status == "confirmed"


# 4. A Czech-only event at the Ukrainian address ----------------------------------------------------------


def test_a_czech_only_event_takes_a_ukrainian_registration_at_its_ukrainian_address(
    ukrainian_site, reg_event, client, django_capture_on_commit_callbacks
):
    title, slug, summary = ONLY_CZECH
    event = reg_event(capacity=8, title=title, slug=slug, summary=summary, dates=(16,))
    address = f"/uk/akce/{slug}/"
    response = client.get(address)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="uk">' in html
    assert (
        uk(
            "This page is not translated into your language yet, so it is shown in the original language "
            "(%(language)s).",
            language="Čeština",
        )
        in html
    )
    assert title in main_text(html) and summary in main_text(html)
    # The registration is the Ukrainian interface inside the Czech content, and says so to screen readers.
    section = re.search(r'<section class="registration"[^>]*>', html).group(0)
    assert 'lang="uk"' in section
    assert uk("Registration", context="registrations") in html
    assert form_action(html) == f"/uk/registrations/event/{event.pk}/"
    privacy = next(link for link in links(html) if "ochrana-osobnich-udaju" in link)
    assert privacy == "/uk/ochrana-osobnich-udaju/"  # in Czech, but the visitor stays in Ukrainian
    assert client.get(privacy).status_code == 200

    date = first(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_action(html), form_data(date), follow=True)
    assert response.redirect_chain[0][0].startswith("/uk/registrations/status/")
    text = main_text(response.content.decode())
    assert uk("Registration confirmed") in text and f"{uk('Event')}{title}" in text
    assert f"{uk('When')}{uk_date(date.start, date.end)}" in text
    assert foreign_words(text, title) == []
    assert address in links(response.content.decode())  # back to the event, still in Ukrainian

    registration = Registration.objects.get()
    assert (registration.language, registration.event_id) == ("uk", event.pk)
    message = only_mail_to("oksana@example.cz")
    assert message.subject == uk("Registration confirmed: %(event)s", event=title)
    assert f"{uk('Event')}: {title}" in message.body
    assert f"{uk('When')}: {uk_date(date.start, date.end)}" in message.body
    assert f"http://testserver{address}" in message.body
    assert f"http://testserver/cs/akce/{slug}/" not in message.body
    assert foreign_words(message.body, title) == []
    assert all(path_of(link).startswith("/uk/registrations/") for link in registration_links_in(message))


# 5. Bad input ---------------------------------------------------------------------------------------------


#: What a visitor may send wrong, and the field and message (msgids) the form answers with.
BAD_INPUT = {
    "empty name": ({"name": ""}, [("Your name", "Enter your name.")]),
    "blank name": ({"name": "   "}, [("Your name", "Enter your name.")]),
    "bad e-mail": ({"email": "not-an-email"}, [("E-mail", "Enter a valid e-mail address, such as name@example.com.")]),
    "no e-mail": ({"email": ""}, [("E-mail", "Enter your e-mail address.")]),
    "NUL in the name": (
        {"name": "Оксана\x00Шевченко"},
        [("Your name", "The name contains characters that are not allowed.")],
    ),
    "NUL in the e-mail": (
        {"email": "oksana\x00@example.cz"},
        [
            ("E-mail", "Enter a valid e-mail address, such as name@example.com."),
            ("E-mail", "This field contains characters that are not allowed."),
        ],
    ),
    "NUL in the note": ({"note": "Алергія\x00"}, [("Note", "This field contains characters that are not allowed.")]),
    "NUL as the date": (
        {"date": "\x00"},
        [("Date", "This date can no longer be chosen: choose one of the dates offered.")],
    ),
    "no consent": ({"consent": ""}, [(None, "Please confirm that you have read the privacy notice.")]),
}


def test_bad_input_on_the_ukrainian_form_is_explained_in_ukrainian(cafe, client):
    page = cafe["uk"]
    for case, (data, expected) in BAD_INPUT.items():
        response = client.post(f"/uk/registrations/event/{page.pk}/", form_data(first(page), **data))
        assert response.status_code == 400, case
        html = response.content.decode()
        assert '<html lang="uk">' in html, case
        summary = re.search(r'<div class="message error" role="alert" id="registration-errors">(.*?)</div>', html, re.S)
        assert summary, f"{case}: no error summary"
        summary_text = " ".join(re.sub(r"<[^>]+>", " ", summary.group(1)).split())
        assert uk("Please correct the marked fields.") in summary_text, case
        for label, message in expected:
            wanted = f"{uk(label)}: {uk(message)}" if label else uk(message)
            assert wanted in summary_text, f"{case}: {summary_text}"
        assert foreign_words(summary_text) == [], f"{case}: {summary_text}"
        # Each message links to its field (the dates to their group).
        assert 'href="#"' not in summary.group(1), case
        if "date" in data:
            assert 'href="#reg-date-error"' in summary.group(1) and 'id="reg-date-error"' in html
    assert not Registration.objects.exists()


def test_the_opening_of_registration_is_dated_the_ukrainian_way(cafe, client):
    opens = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    for page in cafe.values():
        page.registration_opens_at = opens
        page.save_revision().publish()
    shown = places(client.get(cafe["uk"].url).content.decode())
    assert shown == uk("Registration opens on %(when)s", when=f"{timezone.localtime(opens):%d.%m.%Y %H:%M}")
