"""The document library, a news item's gallery and the donation page on a 375×667 phone in Chromium, in Czech
and English: no WCAG 2.1 A/AA violation (axe-core), nothing wider than the screen, the gallery's pictures
loaded as AVIF or WebP, and the QR code on the screen read by a decoder. Only the donation page lets the
browser ask Darujme.cz for its widget."""

import io

import pytest

from .conftest import PHONE
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e

DARUJME = "https://www.darujme.cz/"
SPAYD = "SPD*1.0*ACC:CZ6508000000192000145399*AM:500.00*CC:CZK*X-VS:2025*MSG:"


def _url(model_name: str, language: str, **filters) -> str:
    from website import models

    model = getattr(models, model_name)
    page = model.objects.live().filter(locale__language_code=language, **filters).first()
    assert page is not None, f"the demo has no live {model_name} in {language}"
    return page.url


def _gallery_news_url(language: str) -> str:
    from website.models import NewsPage

    for page in NewsPage.objects.live().filter(locale__language_code=language).order_by("path"):
        if any(block.block_type == "gallery" for block in page.body):
            return page.url
    raise AssertionError(f"the demo has no news item with a gallery in {language}")


def _open_on_phone(tab, demo_site, path: str) -> None:
    tab.set_viewport_size(PHONE)
    response = tab.goto(demo_site.page_url(path), wait_until="load")
    assert response is not None and response.status == 200, path
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px screen"
    violations = run_axe(tab)
    assert not violations, describe(f"{path} at {PHONE['width']}×{PHONE['height']}", violations)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_document_library_on_a_phone(page, demo_site, language):
    _open_on_phone(page, demo_site, _url("DocumentLibraryPage", language))
    assert page.locator("main h2").first.inner_text() in {"Výroční zprávy", "Annual reports"}
    meta = page.locator(".document-list .meta").first.inner_text()
    assert meta.startswith("(PDF, ") and ("kB" in meta.replace("KB", "kB") or "MB" in meta)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_gallery_on_a_phone_loads_avif_or_webp(page, demo_site, language):
    path = _gallery_news_url(language)
    _open_on_phone(page, demo_site, path)
    pictures = page.locator(".gallery img")
    assert pictures.count() >= 4
    for index in range(pictures.count()):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        picture.evaluate("(img) => img.decode()")
        source = picture.evaluate("(img) => img.currentSrc")
        assert source.endswith((".avif", ".webp")), source
        assert picture.get_attribute("alt").strip()
    # The larger view is a plain link to a bigger picture.
    href = page.locator(".gallery-link").first.get_attribute("href")
    assert page.request.get(demo_site.page_url(href)).status == 200


@pytest.mark.parametrize("language", ["cs", "en"])
def test_donation_page_on_a_phone_shows_a_qr_code_that_decodes(page, demo_site, language):
    import zxingcpp
    from PIL import Image

    _open_on_phone(page, demo_site, _url("DonationPage", language))
    details = page.locator(".transfer-details").inner_text()
    assert "19-2000145399/0800" in details and "CZ65 0800 0000 1920 0014 5399" in details
    code = page.locator("svg.qr-code")
    code.scroll_into_view_if_needed()
    box = code.bounding_box()
    assert box is not None and box["width"] >= 150, box
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())))
    assert [result.text[: len(SPAYD)] for result in results] == [SPAYD]


def _darujme_requests(browser, demo_site, path: str, *, try_widget: bool = False) -> tuple[list[str], list[str]]:
    """What a tab that enforces the page's Content-Security-Policy asked of Darujme.cz, and what the policy refused.

    With `try_widget`, the tab then tries to load Darujme's widget script into the page itself.
    """
    context = browser.new_context(viewport=PHONE, locale="cs-CZ")
    tab = context.new_page()
    asked: list[str] = []
    refused: list[str] = []
    tab.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    def _guard(route):
        if route.request.url.startswith(demo_site.url):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    tab.route("**/*", _guard)
    tab.goto(demo_site.page_url(path), wait_until="load")
    if try_widget:
        tab.evaluate(
            """(src) => new Promise((done) => {
                const script = document.createElement("script");
                script.src = src;
                script.onload = script.onerror = () => done();
                document.head.appendChild(script);
            })""",
            DARUJME + "assets/scripts/widget.js",
        )
    tab.wait_for_timeout(300)
    context.close()
    return asked, refused


def test_only_the_donation_page_asks_darujme_for_its_widget(browser, demo_site):
    asked, refused = _darujme_requests(browser, demo_site, _url("DonationPage", "cs"))
    assert any(url.startswith(DARUJME + "assets/scripts/widget.js") for url in asked), asked
    assert not refused, refused
    # Any other page's policy refuses Darujme's script, even when something tries to load it.
    for path in (_url("DocumentLibraryPage", "cs"), _gallery_news_url("cs"), "/cs/", "/en/"):
        asked, refused = _darujme_requests(browser, demo_site, path, try_widget=True)
        assert not asked, (path, asked)
        assert any("darujme" in message for message in refused), (path, refused)
