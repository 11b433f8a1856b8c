"""Images render as responsive, lazy <picture> elements with modern formats and their alt text."""

import re

import pytest
import wagtail_factories
from wagtail.rich_text import RichText

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return wagtail_factories.ImageFactory(title="Sousedská slavnost", file__width=1600, file__height=900)


def assert_responsive_picture(html: str, alt: str) -> None:
    picture = re.search(r"<picture>.*?</picture>", html, re.S)
    assert picture, "no <picture> element"
    markup = picture.group(0)
    assert 'type="image/avif"' in markup and 'type="image/webp"' in markup
    assert re.search(r'<img [^>]*alt="' + re.escape(alt) + '"', markup)
    assert 'loading="lazy"' in markup and 'width="' in markup and 'height="' in markup


def test_image_block_on_a_standard_page(client, home_cs, photo):
    page = StandardPage(
        title="Fotogalerie",
        slug="fotogalerie",
        body=[
            ("paragraph", RichText("<p>Jak to vypadalo.</p>")),
            ("image", {"image": photo, "alt_text": "Sousedé u společného stolu", "caption": "Slavnost 2026"}),
        ],
    )
    home_cs.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert_responsive_picture(html, "Sousedé u společného stolu")
    assert "<figcaption>Slavnost 2026</figcaption>" in html


def test_event_image(client, photo, home_cs):
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=home_cs)
    photo.description = "Děti při doučování"
    photo.save()
    event = EventPageFactory(parent=index, image=photo)
    html = client.get(event.url).content.decode()
    assert_responsive_picture(html, "Děti při doučování")
