"""The month view: server-rendered, previous/next links, year ends, multi-day dates, bad months."""

import pytest

from .conftest import local, translate


@pytest.fixture
def year_end(make_event):
    return {
        "eve": make_event(title="Silvestr", dates=[(local(2026, 12, 31, 18), local(2026, 12, 31, 22))]),
        "camp": make_event(title="Zimní tábor", dates=[(local(2026, 12, 30, 9), local(2027, 1, 2, 16))]),
        "new_year": make_event(title="Novoroční setkání", dates=[(local(2027, 1, 5, 17), local(2027, 1, 5, 19))]),
    }


def month(client, index, value):
    response = client.get(index.url + "month/", {"month": value})
    assert response.status_code == 200
    return response


def test_december_lists_its_days_and_links_to_november_and_january(client, index_cs, year_end):
    response = month(client, index_cs, "2026-12")
    html = response.content.decode()
    assert [day.isoformat() for day, _ in response.context["day_groups"]] == ["2026-12-30", "2026-12-31"]
    assert "month=2026-11" in html and "month=2027-01" in html
    assert "Silvestr" in html and "Novoroční setkání" not in html
    assert "<h1>Akce: prosinec 2026</h1>" in html


def test_january_shows_the_camp_that_continues_from_december(client, index_cs, year_end):
    response = month(client, index_cs, "2027-01")
    assert [d.page.title for d in response.context["ongoing"]] == ["Zimní tábor"]
    assert [d.page.title for _, dates in response.context["day_groups"] for d in dates] == ["Novoroční setkání"]
    html = response.content.decode()
    assert "month=2026-12" in html and "month=2027-02" in html


def test_month_view_keeps_filters_in_its_links(client, index_cs, year_end):
    response = client.get(index_cs.url + "month/", {"month": "2026-12", "q": "tábor"})
    assert [d.page.title for _, dates in response.context["day_groups"] for d in dates] == ["Zimní tábor"]
    assert "q=t%C3%A1bor" in response.content.decode()


@pytest.mark.parametrize("value", ["2026-13", "abc", "99999-01", "2026-1-1", "1800-01"])
def test_malformed_month_gives_this_month_with_a_message(client, index_cs, value):
    response = month(client, index_cs, value)
    assert response.context["filter_problems"]


def test_month_view_in_english(client, index_en, year_end):
    from events.models import EventPage

    translate(year_end["eve"], slug="new-years-eve", title="New Year's Eve")
    response = month(client, index_en, "2026-12")
    html = response.content.decode()
    assert "December 2026" in html and "New Year&#x27;s Eve" in html
    assert EventPage.objects.filter(locale__language_code="en").count() == 1
