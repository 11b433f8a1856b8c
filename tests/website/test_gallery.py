"""Galleries: a grid of figures with AVIF and WebP renditions (and a JPEG fallback) in their srcsets, a link
to a larger picture instead of any JavaScript, on news, events and projects; no picture without alt text."""

import re

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from demo.helpers import upsert_child
from portal.blocks import BaseStreamBlock, GalleryBlock
from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory
from website.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pictures():
    return [
        wagtail_factories.ImageFactory(title=f"Fotka {n}", file__width=1200, file__height=800, file__color="green")
        for n in range(2)
    ]


def gallery_value(pictures, *, alts=("Děti kreslí křídou", "Sousedé u stolu"), captions=("Křídy", "")):
    return {
        "title": "Fotografie ze setkání",
        "images": [
            {"image": picture, "alt_text": alt, "caption": caption}
            for picture, alt, caption in zip(pictures, alts, captions, strict=True)
        ],
    }


def figures(html: str) -> list[str]:
    return re.findall(r"<figure>.*?</figure>", html, re.DOTALL)


def assert_responsive_gallery(html: str) -> None:
    items = figures(html.split('<ul class="gallery">', 1)[1])[:2]
    assert len(items) == 2, html
    first, second = items
    sources = {
        re.search(r'type="([^"]+)"', tag)[1]: re.search(r'srcset="([^"]+)"', tag)[1]
        for tag in re.findall(r"<source [^>]*>", first)
    }
    # AVIF first (the browser takes the first type it supports), then WebP.
    assert list(sources) == ["image/avif", "image/webp"]
    avif, webp = sources["image/avif"], sources["image/webp"]
    # Three widths each, the right formats.
    assert [w for _u, w in re.findall(r"(\S+\.avif) (\d+)w", avif)] == ["320", "640", "960"]
    assert [w for _u, w in re.findall(r"(\S+\.webp) (\d+)w", webp)] == ["320", "640", "960"]
    # The fallback for browsers without either: a JPEG img with its own srcset and the alt text.
    img = re.search(r"<img [^>]*>", first)[0]
    assert 'alt="Děti kreslí křídou"' in img and ".jpg" in img and 'loading="lazy"' in img
    assert "<figcaption>Křídy</figcaption>" in first and "<figcaption>" not in second
    # A larger view is a plain link around the picture (no JavaScript).
    link = re.search(r'<a href="([^"]+)" class="gallery-link">', first)
    assert link is not None and "max-1920x1920" in link[1]


def test_a_news_items_gallery_has_avif_and_webp_renditions_and_works_without_javascript(client, site_homes, pictures):
    index = upsert_child(site_homes["cs"], NewsIndexPage, slug="aktuality", title="Aktuality")
    news = upsert_child(
        index,
        NewsPage,
        slug="setkani",
        title="Setkání",
        summary="Shrnutí.",
        body=[("gallery", gallery_value(pictures))],
    )
    html = client.get(news.url).content.decode()
    assert "<h2>Fotografie ze setkání</h2>" in html
    assert_responsive_gallery(html)
    assert "<script" not in html.split('<ul class="gallery">', 1)[1].split("</ul>", 1)[0]


def test_an_events_body_shows_a_gallery_too(client, site_homes, pictures):
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=site_homes["cs"])
    event = EventPageFactory(parent=index)
    event.body = [("gallery", gallery_value(pictures))]
    event.save_revision().publish()
    html = client.get(event.url).content.decode()
    assert_responsive_gallery(html)


def test_a_projects_gallery_is_shown_with_the_same_responsive_figures(client, site_homes, pictures):
    index = ProjectIndexPageFactory(parent=site_homes["cs"])
    project = ProjectPageFactory(parent=index, programmes=[FundingProgrammeFactory()])
    project.gallery = [
        ("image", {"image": pictures[0], "alt_text": "Děti kreslí křídou", "caption": "Křídy"}),
        ("image", {"image": pictures[1], "alt_text": "Sousedé u stolu", "caption": ""}),
    ]
    project.save_revision().publish()
    html = client.get(project.url).content.decode()
    assert_responsive_gallery(html)


def test_a_picture_without_alt_text_fails_validation_with_a_czech_message(pictures):
    block = GalleryBlock()
    value = block.to_python(
        {
            "title": "",
            "images": [
                {"image": pictures[0].pk, "alt_text": "Děti kreslí křídou", "caption": ""},
                {"image": pictures[1].pk, "alt_text": "   ", "caption": "Bez popisu"},
            ],
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    messages = str(error.value.as_json_data())
    assert "Popište obrázek pro lidi, kteří ho nevidí." in messages
    # The same through the page body, as the editor saves it.
    stream = BaseStreamBlock()
    with pytest.raises((StreamBlockValidationError, ValidationError)) as error:
        stream.clean(stream.to_python([{"type": "gallery", "value": block.get_prep_value(value)}]))
    assert "Popište obrázek pro lidi, kteří ho nevidí." in str(error.value.as_json_data())


def test_a_gallery_needs_at_least_one_picture():
    block = GalleryBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Prázdná", "images": []}))
