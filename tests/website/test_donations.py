"""The donation page ("Podpořte nás"): the bank transfer with its IBAN and a QR payment code that a real
decoder reads back as SPAYD, a Czech message for a wrong account number, and the Darujme.cz widget whose
origin only this page's Content-Security-Policy allows."""

import html
import io
import json
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.core.cache import cache
from django.core.exceptions import ValidationError
from PIL import Image
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Locale, Page

from demo.helpers import upsert_child
from demo.library import load_donations
from website import payments
from website.blocks import BankTransferBlock
from website.models import DonationPage

pytestmark = pytest.mark.django_db

DARUJME = "https://www.darujme.cz"


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 read independently: the country and check digits moved to the end, letters as numbers."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def csp_directive(response, name: str) -> list[str]:
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


@pytest.mark.parametrize(
    ("account", "iban"),
    [
        # The Czech example of the IBAN registry.
        ("19-2000145399/0800", "CZ6508000000192000145399"),
        ("19 - 2000145399 / 0800", "CZ6508000000192000145399"),
        ("000019-2000145399/0800", "CZ6508000000192000145399"),
        ("2000145399/0800", "CZ7908000000002000145399"),
        ("35-1234567899/0100", "CZ5901000000351234567899"),
    ],
)
def test_a_czech_account_number_becomes_its_iban(account, iban):
    converted = payments.parse_czech_account(account).iban
    assert converted == iban
    assert iban_is_valid(converted)


def test_the_spayd_string_carries_account_amount_variable_symbol_and_message():
    payment = payments.payment_request(
        account="19-2000145399/0800", amount=Decimal("500"), variable_symbol="2025", message="Dar pro KC Soused – díky*"
    )
    assert payment.spayd() == (
        "SPD*1.0*ACC:CZ6508000000192000145399*AM:500.00*CC:CZK*X-VS:2025*MSG:Dar pro KC Soused - diky"
    )
    # Only what is given; a long message is cut to SPAYD's 60 characters.
    assert payments.payment_request(account="2000145399/0800").spayd() == "SPD*1.0*ACC:CZ7908000000002000145399*CC:CZK"
    long = payments.payment_request(account="2000145399/0800", amount="1234.5", message="x" * 80).spayd()
    assert long.endswith("*AM:1234.50*CC:CZK*MSG:" + "x" * 60)


@pytest.mark.parametrize(
    ("account", "message"),
    [
        ("19-2000145398/0800", "Toto číslo účtu není platné"),
        ("18-2000145399/0800", "Předčíslí účtu není platné"),
        ("2000145399", "Zadejte číslo účtu ve tvaru předčíslí-číslo/kód banky"),
        ("2000145399/08000", "Zadejte číslo účtu ve tvaru předčíslí-číslo/kód banky"),
        ("CZ6508000000192000145399", "Zadejte číslo účtu ve tvaru předčíslí-číslo/kód banky"),
    ],
)
def test_a_wrong_account_number_is_refused_with_a_czech_message(account, message):
    block = BankTransferBlock()
    value = block.to_python({"account_number": account, "variable_symbol": "", "amount": None, "message": ""})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert message in str(error.value.as_json_data()["blockErrors"]["account_number"])


def test_a_variable_symbol_is_digits_only():
    with pytest.raises(ValidationError, match="Variabilní symbol má nejvýše 10 číslic"):
        payments.validate_variable_symbol("VS-2025")


@pytest.fixture
def donation(site_homes):
    return load_donations(homes=site_homes)


def read_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1 and results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def test_the_qr_payment_code_decodes_to_the_account_amount_and_symbol(client, donation):
    html = client.get(donation.url).content.decode()
    link = re.search(r'<a href="([^"]+)" download="qr-platba.png">Uložit kód jako obrázek</a>', html)
    assert link is not None
    response = client.get(link[1])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    text = read_qr(response.content)
    assert text == "SPD*1.0*ACC:CZ6508000000192000145399*AM:500.00*CC:CZK*X-VS:2025*MSG:Dar pro KC Soused"
    # The code on the page is the same one (drawn as SVG from the same payment).
    fields = dict(part.split(":", 1) for part in text.split("*")[2:])
    assert fields["ACC"] == "CZ6508000000192000145399" and fields["AM"] == "500.00" and fields["X-VS"] == "2025"
    unknown = link[1].replace(link[1].rstrip("/").rsplit("/", 1)[1], "00000000-0000-0000-0000-000000000000")
    assert client.get(unknown).status_code == 404


def test_without_javascript_the_page_shows_the_transfer_details_and_the_code(client, donation):
    html = client.get(donation.url).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "19-2000145399/0800" in main and "CZ65 0800 0000 1920 0014 5399" in main
    assert "<dt>Variabilní symbol</dt><dd>2025</dd>" in main and "<dd>500 Kč</dd>" in main
    assert '<svg class="qr-code" role="img" aria-label="QR kód pro platbu na účet 19-2000145399/0800"' in main
    # The Darujme.cz link is there to follow whatever the widget does.
    assert 'href="https://www.darujme.cz/projekt/1200000"' in main
    # The demo says its account is an example.
    assert "vzorové číslo z registru IBAN, ne účet centra" in main
    english = client.get(donation.get_translation(Locale.objects.get(language_code="en")).url)
    assert "Account number" in english.content.decode() and "By bank transfer" in english.content.decode()


def test_only_the_page_with_the_widget_allows_darujme(client, donation):
    from demo import library, website

    homes = {page.locale.language_code: page for page in Page.objects.filter(depth=2).specific()}
    website.load(homes=homes)
    library.load_library(homes=homes)
    response = client.get(donation.url)
    assert DARUJME in csp_directive(response, "script-src") and DARUJME in csp_directive(response, "frame-src")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "js/darujme.js" in response.content.decode()
    checked = 0
    for page in Page.objects.live().filter(depth__gt=1).specific():
        if isinstance(page, DonationPage):
            continue
        other = client.get(page.url)
        if other.status_code != 200:
            continue
        assert "darujme" not in other["Content-Security-Policy"], page.url
        assert "js/darujme.js" not in other.content.decode(), page.url
        checked += 1
    assert checked >= 20


def test_a_donation_page_with_only_the_link_keeps_the_strict_policy(client, site_homes):
    page = upsert_child(
        site_homes["cs"],
        DonationPage,
        slug="dary",
        title="Dary",
        body=[
            ("darujme", {"project_url": "https://www.darujme.cz/projekt/1200000", "widget_token": "", "link_text": ""})
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert DARUJME not in response["Content-Security-Policy"]
    assert "js/darujme.js" not in response.content.decode()
    assert 'href="https://www.darujme.cz/projekt/1200000"' in response.content.decode()


def test_the_widgets_policy_stays_with_the_page_in_the_page_cache(client, donation, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    first = client.get(donation.url)
    second = client.get(donation.url)
    assert second["X-Page-Cache"] == "hit"
    assert DARUJME in csp_directive(second, "script-src") and DARUJME in csp_directive(second, "frame-src")
    home = client.get("/cs/")
    again = client.get("/cs/")
    assert again["X-Page-Cache"] == "hit" and "darujme" not in again["Content-Security-Policy"]
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert home["Content-Security-Policy"] == again["Content-Security-Policy"]


def test_the_qr_image_from_the_page_cache_keeps_its_file_name(client, donation, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    link = re.search(r'<a href="([^"]+)" download="qr-platba.png">', client.get(donation.url).content.decode())
    fresh, kept = client.get(link[1]), client.get(link[1])
    assert (fresh["X-Page-Cache"], kept["X-Page-Cache"]) == ("miss", "hit")
    assert kept["Content-Type"] == "image/png" and kept.content == fresh.content
    assert kept["Content-Disposition"] == fresh["Content-Disposition"] == 'inline; filename="qr-platba.png"'


def test_an_account_stored_before_it_failed_the_checks_is_shown_without_a_code(client, site_homes):
    page = upsert_child(
        site_homes["cs"],
        DonationPage,
        slug="dary",
        title="Dary",
        body=[("bank_transfer", {"account_number": "124/0100", "variable_symbol": "", "amount": None, "message": ""})],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>124/0100</strong>" in html and "qr-code" not in html and "qr-platba" not in html
    block_id = page.body[0].id
    assert client.get(f"{page.url}qr-platba/{block_id}/").status_code == 404


def _donation_form(account: str) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    return nested_form_data(
        {
            "title": "Podpořte nás",
            "slug": "podporte-nas",
            "intro": rich_text(""),
            "body": streamfield(
                [
                    (
                        "bank_transfer",
                        {
                            "title": "",
                            "account_number": account,
                            "variable_symbol": "2025",
                            "amount": "500",
                            "message": "Dar",
                            "note": "",
                        },
                    )
                ]
            ),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


def test_an_editor_who_mistypes_the_account_reads_why_in_czech(client, site_homes, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.com", "pw"))
    add = f"/admin/pages/add/website/donationpage/{site_homes['cs'].pk}/"
    assert client.get(add).status_code == 200
    refused = client.post(add, _donation_form("19-2000145398/0800"))
    assert refused.status_code == 200
    # The editor's form shows the block's error next to the field (Wagtail's block widgets read it as JSON).
    error = refused.context["form"].errors["body"].as_data()[0]
    message = "Toto číslo účtu není platné: zkontrolujte ho podle dokladů z banky."
    assert message in str(error.as_json_data())
    assert json.dumps(message)[1:-1] in html.unescape(refused.content.decode())
    assert not DonationPage.objects.exists()
    accepted = client.post(add, _donation_form("19 - 2000145399 / 0800"))
    assert accepted.status_code == 302
    page = DonationPage.objects.get(slug="podporte-nas")
    # Stored as the banks write it.
    assert page.live and page.body[0].value["account_number"] == "19-2000145399/0800"
