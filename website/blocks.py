"""Blocks of the donation page ("Podpořte nás"): the Darujme.cz widget and a bank transfer with its QR code."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import BaseStreamBlock
from website import payments

#: The one origin the Darujme.cz widget loads its script and frame from.
DARUJME_ORIGIN = "https://www.darujme.cz"
DARUJME_TOKEN = re.compile(r"^[a-z0-9]{6,40}$")


class DarujmeBlock(blocks.StructBlock):
    """Donations through Darujme.cz: the centre's project link, and its widget when a widget token is given.

    Without JavaScript (or before the widget loads) the link is there to follow.
    """

    project_url = blocks.URLBlock(
        label=_("Project on Darujme.cz"),
        help_text=_("The address of the centre's project, e.g. https://www.darujme.cz/projekt/1200000."),
    )
    widget_token = blocks.CharBlock(
        label=_("Widget token"),
        required=False,
        max_length=40,
        help_text=_(
            "From Darujme.cz's widget code (data-darujme-widget-token). Leave empty to show only the link: "
            "then the page loads nothing from Darujme.cz."
        ),
    )
    link_text = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)

    class Meta:
        icon = "link-external"
        label = _("Darujme.cz")
        template = "website/blocks/darujme_block.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not (value.get("project_url") or "").startswith(DARUJME_ORIGIN + "/"):
            errors["project_url"] = ValidationError(_("Enter an address on https://www.darujme.cz/."))
        token = (value.get("widget_token") or "").strip()
        if token and not DARUJME_TOKEN.match(token):
            errors["widget_token"] = ValidationError(
                _("The widget token is the code of small letters and digits from Darujme.cz's widget code.")
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class CzechAccountBlock(blocks.CharBlock):
    """A Czech bank account number, "prefix-number/bank code", checked as the banks check it."""

    def __init__(self, **kwargs):
        super().__init__(max_length=30, validators=[payments.validate_czech_account], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return str(payments.parse_czech_account(value))


class BankTransferBlock(blocks.StructBlock):
    """A bank transfer to the centre: the account, its IBAN, an optional variable symbol and amount,
    and a QR payment code (QR Platba) made on the server."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    account_number = CzechAccountBlock(
        label=_("Account number"), help_text=_("prefix-number/bank code, e.g. 19-2000145399/0800")
    )
    variable_symbol = blocks.CharBlock(
        label=_("Variable symbol"), required=False, max_length=10, validators=[payments.validate_variable_symbol]
    )
    amount = blocks.DecimalBlock(
        label=_("Suggested amount (CZK)"),
        required=False,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(payments.AMOUNT_MAX)],
        help_text=_("Leave empty to let the donor choose."),
    )
    message = blocks.CharBlock(
        label=_("Message for the recipient"),
        required=False,
        max_length=payments.MESSAGE_MAX,
        help_text=_("Goes into the QR code, e.g. “Dar pro KC Soused”."),
    )
    note = blocks.TextBlock(label=_("Note under the details"), required=False, max_length=600)

    class Meta:
        icon = "form"
        label = _("Bank transfer")
        template = "website/blocks/bank_transfer_block.html"

    def payment(self, value) -> payments.PaymentRequest:
        return payments.payment_request(
            account=value["account_number"],
            amount=value.get("amount"),
            variable_symbol=value.get("variable_symbol") or "",
            message=value.get("message") or "",
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        try:
            payment = self.payment(value)
        except ValidationError:
            # Stored before a check it now fails: the account is shown as entered, without a QR code.
            context["payment"] = None
            return context
        context["payment"] = payment
        context["qr_svg"] = payments.qr_svg(
            payment.spayd(),
            label=gettext("QR payment code for the account %(account)s") % {"account": payment.account},
        )
        return context


class DonationStreamBlock(BaseStreamBlock):
    """The donation page's body: the shared blocks, Darujme.cz and bank transfers."""

    darujme = DarujmeBlock()
    bank_transfer = BankTransferBlock()
