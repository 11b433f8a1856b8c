"""What a resident meets on a phone, checked on the served HTML: the way to the form, listings whose
results come first, the waiting-list position, the month view near a month's end.

The layout itself (positions in the first screen at 375×667) is measured in
tests/e2e/test_residents_phone.py.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.querysets import DateFilters, period_bounds
from events.views_pages import month_ends_soon

from .conftest import local
from .factories import AudienceFactory
from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(monkeypatch):
    """Set the clock the views read (timezone.now) to a given local time."""

    def set_now(moment: dt.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))

    return set_now


# 9. Get to the form ---------------------------------------------------------------------------


def test_event_page_links_to_the_form_and_the_next_date_with_free_places(reg_event, client):
    page = reg_event(capacity=2, dates=[1, 2, 3, 4, 5, 6])
    full = first_date(page)
    register(full, email="a@example.cz", seats=2)
    html = client.get(page.url).content.decode()

    shortcut = re.search(r'<p class="register-shortcut">(.*?)</p>', html, re.DOTALL)
    assert shortcut, "no Register link near the top"
    assert '<a class="button" href="#registration">Registrovat</a>' in shortcut.group(1)
    # The first date is full: the link points at the second, the next one with free places.
    assert 'href="#reg-date-2"' in shortcut.group(1)
    assert "Nejbližší termín s volnými místy" in shortcut.group(1)
    assert 'id="reg-date-2"' in html and 'id="registration"' in html
    # It comes before the dates and the form.
    assert html.index('class="register-shortcut"') < html.index('id="event-dates-heading"')
    # Every date is still there, in a list folded by <details> (closed: no "open" attribute).
    details = re.search(r"<details class=\"more-dates all-dates\">(.*?)</details>", html, re.DOTALL)
    assert details and "Všech 6 nadcházejících termínů" in details.group(1)
    assert details.group(1).count('class="event-item') == 6


def test_event_page_offers_the_waiting_list_when_every_date_is_full(reg_event, client):
    page = reg_event(capacity=1, dates=[1])
    register(first_date(page), email="a@example.cz")
    html = client.get(page.url).content.decode()
    assert "Nejbližší termín (plno, čekací listina)" in html
    assert 'href="#reg-date-1"' in html


def test_event_without_registration_has_no_register_link(make_event, client):
    page = make_event(title="Komunitní setkání", dates=[1, 2])
    html = client.get(page.url).content.decode()
    assert "register-shortcut" not in html
    assert "all-dates" not in html  # two dates are simply listed


# 10. Filters show their result -----------------------------------------------------------------


def test_applied_filters_fold_under_the_result_count(client, index_cs, make_event):
    children = AudienceFactory(name="Děti", slug="deti")
    club = make_event(title="Keramický kroužek", dates=[1, 3])
    club.audiences.set([children])
    club.save()

    unfiltered = client.get(index_cs.url).content.decode()
    assert unfiltered.index('class="event-filters"') < unfiltered.index('id="event-results-heading"')
    assert "filters-applied" not in unfiltered

    html = client.get(index_cs.url, {"audience": "deti", "period": "week"}).content.decode()
    heading = html.index('id="event-results-heading"')
    folded = re.search(r'<details class="filters-applied">\s*<summary>(.*?)</summary>', html, re.DOTALL)
    assert folded, "the applied filters are not folded"
    assert "Upravit filtry" in folded.group(1) and "Děti" in folded.group(1) and "Tento týden" in folded.group(1)
    assert heading < html.index('class="filters-applied"') < html.index('class="event-list"')
    assert html.count('class="event-filters"') == 1  # one form, inside the folded part


def test_this_month_on_its_last_day_offers_the_next_30_days(client, index_cs, make_event, at):
    at(local(2026, 11, 30, 10))
    make_event(title="Adventní dílna", dates=[(local(2026, 12, 3, 16), local(2026, 12, 3, 18))])
    make_event(title="Masopust", dates=[(local(2027, 2, 10, 16), local(2027, 2, 10, 18))])

    this_month = client.get(index_cs.url, {"period": "month"})
    html = this_month.content.decode()
    assert [d.page.title for d in this_month.context["page_obj"].object_list] == []
    assert "Z tohoto měsíce zbývá jen 1 den." in html
    link = re.search(
        r'<p class="notice month-end-hint">.*?<a href="([^"]+)">Ukázat příštích 30 dní</a>', html, re.DOTALL
    )
    assert link and "period=next30" in link.group(1)

    next_days = client.get(index_cs.url + link.group(1).replace("&amp;", "&"))
    assert [d.page.title for d in next_days.context["page_obj"].object_list] == ["Adventní dílna"]
    assert '<option value="next30" selected>Příštích 30 dní</option>' in next_days.content.decode()


def test_mid_month_has_no_hint_and_next_30_days_spans_the_month_end():
    assert month_ends_soon(today=dt.date(2026, 11, 10)) is None
    assert month_ends_soon(today=dt.date(2026, 11, 30)) == 1
    assert month_ends_soon(today=dt.date(2026, 2, 22)) == 7
    start, end = period_bounds(DateFilters(period="next30"), now=local(2026, 11, 30, 10))
    assert (timezone.localtime(start).date(), timezone.localtime(end).date()) == (
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 30),
    )


# 12. The waiting list says where you stand --------------------------------------------------------


def test_waiting_list_position_on_the_status_page_and_in_the_email(
    reg_event, client, django_capture_on_commit_callbacks
):
    page = reg_event(capacity=1, dates=[3])
    date = first_date(page)
    register(date, email="first@example.cz")
    register(date, email="second@example.cz")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        third = register(date, email="third@example.cz")
    assert third.status == "waitlisted"

    waitlisted_mail = next(message for message in mail.outbox if message.to == ["third@example.cz"])
    assert "Na čekací listině jste 2. v pořadí." in waitlisted_mail.body
    assert "Na čekací listině jste 2. v pořadí." in waitlisted_mail.alternatives[0][0]

    from events.registrations import tokens

    token = tokens.registration_token(registration=third, salt=tokens.STATUS_TOKEN_SALT)
    html = client.get(f"/cs/registrations/status/{token}/").content.decode()
    assert "Na čekací listině jste 2. v pořadí." in html
    assert "Před vámi je 1 člověk." in html


def test_a_full_date_meter_is_not_drawn_as_success(reg_event, client):
    page = reg_event(capacity=2, dates=[1, 2])
    register(first_date(page), email="a@example.cz", seats=2)
    html = client.get(page.url).content.decode()
    meters = re.findall(r"<meter [^>]+>", html)
    full = [meter for meter in meters if 'value="2"' in meter]
    free = [meter for meter in meters if 'value="0"' in meter]
    assert full and free
    # optimum in the low region and the value in the high region: the browser draws it as "bad", not green.
    assert 'class="registration-meter is-full"' in full[0]
    assert 'optimum="0"' in full[0] and 'high="2"' in full[0] and 'low="1"' in full[0]
    assert 'class="registration-meter has-places"' in free[0]


# 13. The month view ----------------------------------------------------------------------------


def test_month_view_marks_past_days_and_offers_next_month_at_the_end(client, index_cs, make_event, at):
    at(local(2026, 11, 27, 12))
    make_event(title="Bazar", dates=[(local(2026, 11, 5, 9), local(2026, 11, 5, 12))])
    make_event(title="Dnešní klub", dates=[(local(2026, 11, 27, 15), local(2026, 11, 27, 17))])
    make_event(title="Adventní dílna", dates=[(local(2026, 12, 3, 16), local(2026, 12, 3, 18))])

    response = client.get(index_cs.url + "month/")
    html = response.content.decode()
    assert response.context["month"] == dt.date(2026, 11, 1)  # opens on the current month
    assert re.search(r'<h3 class="event-day is-past"><time datetime="2026-11-05">', html)
    assert "proběhlo" in html
    assert re.search(r'<h3 class="event-day is-today"><time datetime="2026-11-27">', html)
    assert "Z tohoto měsíce zbývají jen 4 dny" in html
    assert re.search(r'<a href="\?month=2026-12" rel="next" class="button">prosinec 2026 →</a>', html)

    at(local(2026, 11, 10, 12))
    html = client.get(index_cs.url + "month/").content.decode()
    assert "month-end-hint" not in html
    assert re.search(r'<a href="\?month=2026-12" rel="next">prosinec 2026 →</a>', html)
