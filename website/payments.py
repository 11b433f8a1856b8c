"""Bank transfers to the centre: Czech account numbers, their IBAN, and the QR payment code (QR Platba).

A Czech account number is written ``prefix-number/bank code`` (the prefix is
optional): up to 6 and 2–10 digits, each passing the weighted modulo-11 check
of the Czech National Bank's decree 169/2011, and a 4-digit bank code.

The QR payment code carries a SPAYD string (Short Payment Descriptor, the Czech
Banking Association's format read by every Czech banking app), e.g.
``SPD*1.0*ACC:CZ6508000000192000145399*AM:500.00*CC:CZK*X-VS:2024*MSG:DAR``.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACCOUNT = re.compile(r"^(?:(?P<prefix>\d{1,6})-)?(?P<number>\d{2,10})/(?P<bank>\d{4})$")
PREFIX_WEIGHTS = (10, 5, 8, 4, 2, 1)
NUMBER_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)
VARIABLE_SYMBOL = re.compile(r"^\d{1,10}$")
#: SPAYD's limit for the message to the recipient.
MESSAGE_MAX = 60
AMOUNT_MAX = Decimal("9999999.99")
DASHES_AND_QUOTES = str.maketrans({"–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'"})


@dataclass(frozen=True)
class CzechAccount:
    prefix: str
    number: str
    bank_code: str

    def __str__(self) -> str:
        """The account as Czechs write it, e.g. "19-2000145399/0800"."""
        return f"{self.prefix}-{self.number}/{self.bank_code}" if self.prefix else f"{self.number}/{self.bank_code}"

    @property
    def iban(self) -> str:
        """The account's IBAN, e.g. "CZ6508000000192000145399" (ISO 13616: check digits by modulo 97)."""
        bban = f"{self.bank_code}{self.prefix.zfill(6)}{self.number.zfill(10)}"
        # "CZ00" moved to the end, letters as numbers (C = 12, Z = 35).
        check = 98 - int(f"{bban}123500") % 97
        return f"CZ{check:02d}{bban}"

    @property
    def iban_display(self) -> str:
        """The IBAN in groups of four, as printed on paper."""
        iban = self.iban
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _weighted_ok(digits: str, weights: tuple[int, ...]) -> bool:
    padded = digits.zfill(len(weights))
    return sum(int(d) * w for d, w in zip(padded, weights, strict=True)) % 11 == 0


def parse_czech_account(text: str) -> CzechAccount:
    """The account in `text` ("19-2000145399/0800", spaces allowed), or ValidationError in the reader's language."""
    compact = re.sub(r"\s+", "", text or "")
    match = ACCOUNT.match(compact)
    if match is None:
        raise ValidationError(
            _("Write the account number as prefix-number/bank code, e.g. 19-2000145399/0800 (the prefix is optional)."),
            code="format",
        )
    prefix = (match["prefix"] or "").lstrip("0")
    number = match["number"].lstrip("0")
    if not number or len(number) < 2:
        raise ValidationError(_("The account number is too short."), code="format")
    if prefix and not _weighted_ok(prefix, PREFIX_WEIGHTS):
        raise ValidationError(
            _("The prefix of the account number is not valid: check it against the bank's papers."), code="checksum"
        )
    if not _weighted_ok(number, NUMBER_WEIGHTS):
        raise ValidationError(
            _("This account number is not valid: check it against the bank's papers."), code="checksum"
        )
    return CzechAccount(prefix=prefix, number=number, bank_code=match["bank"])


def validate_czech_account(value: str) -> None:
    parse_czech_account(value)


def validate_variable_symbol(value: str) -> None:
    if value and not VARIABLE_SYMBOL.match(value.strip()):
        raise ValidationError(_("A variable symbol is at most 10 digits."), code="variable_symbol")


def spayd_text(value: str) -> str:
    """Text as SPAYD carries it safely to every banking app: plain ASCII, no "*" (the separator)."""
    text = (value or "").translate(DASHES_AND_QUOTES)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.replace("*", " ")
    return " ".join(plain.split())


@dataclass(frozen=True)
class PaymentRequest:
    account: CzechAccount
    amount: Decimal | None = None
    variable_symbol: str = ""
    message: str = ""

    def spayd(self) -> str:
        """The SPAYD string of the QR payment code."""
        parts = ["SPD", "1.0", f"ACC:{self.account.iban}"]
        if self.amount is not None:
            amount = self.amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            parts.append(f"AM:{amount}")
        parts.append("CC:CZK")
        if self.variable_symbol:
            parts.append(f"X-VS:{self.variable_symbol}")
        message = spayd_text(self.message)[:MESSAGE_MAX].strip()
        if message:
            parts.append(f"MSG:{message}")
        return "*".join(parts)


def payment_request(*, account: str, amount=None, variable_symbol: str = "", message: str = "") -> PaymentRequest:
    """A checked payment request from what staff entered (ValidationError when it can not be paid)."""
    parsed = parse_czech_account(account)
    validate_variable_symbol(variable_symbol or "")
    if amount is not None:
        amount = Decimal(amount)
        if amount <= 0 or amount > AMOUNT_MAX:
            raise ValidationError(_("The amount must be more than 0 and at most 9 999 999,99 CZK."), code="amount")
    return PaymentRequest(
        account=parsed, amount=amount, variable_symbol=(variable_symbol or "").strip(), message=message or ""
    )


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


# Drawing a code takes milliseconds, and it depends only on its arguments: each process keeps
# the codes it drew last (a page with a QR code is rendered again after every publish).
@functools.lru_cache(maxsize=128)
def qr_svg(data: str, *, label: str) -> SafeString:
    """The QR code as an inline SVG element (a path on a white square, no style attributes: the CSP stays strict)."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # Sized by the style sheet; named for assistive technology.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    # The page may show more than one code: no fixed ids.
    svg = svg.replace(' id="qr-path"', "")
    svg = svg.replace("<svg", f'<svg class="qr-code" role="img" aria-label="{escape(label)}"', 1)
    return mark_safe(svg)  # noqa: S308 - made here from the QR matrix; the label is escaped


@functools.lru_cache(maxsize=128)
def qr_png(data: str) -> bytes:
    """The QR code as a PNG image (for saving and opening in a banking app)."""
    image = _qr(data).make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
