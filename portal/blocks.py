"""StreamField blocks shared by every app's pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "portal/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "portal/blocks/image_block.html"

    def clean(self, value):
        # Said in words the editor understands, not as a bare "This field is required".
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Describe the image for people who cannot see it."))}
            )
        return super().clean(value)


class GalleryImageBlock(ImageBlock):
    """One picture of a gallery: the image, its required alternative text and an optional caption."""

    class Meta:
        icon = "image"
        label = _("Picture")


class GalleryBlock(blocks.StructBlock):
    """Photos of what happened: a grid of figures with responsive AVIF/WebP renditions.

    It needs no JavaScript: each picture links to a larger rendition.
    """

    title = blocks.CharBlock(
        label=_("Title"), required=False, max_length=200, help_text=_("Shown as a heading above the pictures.")
    )
    images = blocks.ListBlock(GalleryImageBlock(), label=_("Pictures"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "portal/blocks/gallery_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "portal/blocks/document_link_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "portal/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link_page = blocks.PageChooserBlock(label=_("Page"), required=False)
    link_url = blocks.URLBlock(label=_("Or an address"), required=False)
    link_text = blocks.CharBlock(label=_("Button text"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "portal/blocks/call_to_action_block.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        if not value.get("link_page") and not value.get("link_url"):
            raise StructBlockValidationError(
                block_errors={"link_page": ValidationError(_("Choose a page or enter an address."))}
            )
        return value


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ol", "ul"])


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "portal/blocks/faq_block.html"


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    table = TableBlock(label=_("Table"), table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("Table")
        template = "portal/blocks/table_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every content page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Rich text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    document = DocumentLinkBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    table = TableWithCaptionBlock()
    faq = FAQBlock()
    gallery = GalleryBlock()
