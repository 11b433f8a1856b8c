"""The centre's website pages: news (the index and the news items) and the contact page with its form."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.blocks import BaseStreamBlock
from portal.locales import locale_of
from portal.middleware import allow_sources
from portal.privacy import PrivateInEveryLanguageMixin, public_pages
from portal.routing import OneChildTypeRouteMixin
from portal.search_text import SEARCH_TERMS, NormalisedSearchMixin
from website.blocks import DARUJME_ORIGIN, DonationStreamBlock
from website.forms import ContactFormBuilder
from website.payments import qr_png
from website.querysets import ContactSubmissionQuerySet, NewsPageQuerySet


class NewsIndexPage(
    NormalisedSearchMixin, PrivateInEveryLanguageMixin, RoutablePageMixin, OneChildTypeRouteMixin, Page
):
    """The news ("Aktuality"): the latest items first, filterable by tag and year, with RSS and Atom feeds."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEARCH_TERMS]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["website.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    @path("", name="list")
    def list_route(self, request, *args, **kwargs):
        from website import views

        return views.news_index_response(page=self, request=request)

    @path("rss/", name="rss")
    def rss_route(self, request):
        from website.feeds import NewsRssFeed

        return NewsRssFeed(index=self)(request)

    @path("atom/", name="atom")
    def atom_route(self, request):
        from website.feeds import NewsAtomFeed

        return NewsAtomFeed(index=self)(request)

    def published_news(self):
        """The index's live public news items, the newest first."""
        return NewsPage.objects.in_index(self)

    def feed_links(self, request) -> dict[str, str]:
        """The feeds' addresses and language, for the autodiscovery links."""
        url = self.get_url(request) or ""
        return {
            "rss": url + self.reverse_subpage("rss"),
            "atom": url + self.reverse_subpage("atom"),
            "language": locale_of(self).language_code,
        }


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("website.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """One news item: a date, a summary, an optional image, the body and tags; it may belong to a project or event."""

    date = models.DateField(_("date"), default=datetime.date.today)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences, shown in the list and in the feeds.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alternative text of the image"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True, use_json_field=True)
    tags = ClusterTaggableManager(through=NewsPageTag, verbose_name=_("tags"), blank=True)
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        help_text=_("When set, the project's funding disclosure is shown with the news item."),
    )
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )

    objects = PageManager.from_queryset(NewsPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldRowPanel([FieldPanel("project"), FieldPanel("event")], heading=_("Belongs to")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        SEARCH_TERMS,
    ]

    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image for people who cannot see it.")})

    @property
    def published_at(self) -> datetime.datetime:
        """The news item's date as a moment (noon in the portal's time zone), for the feeds."""
        return timezone.make_aware(datetime.datetime.combine(self.date, datetime.time(12, 0)))

    def get_context(self, request, *args, **kwargs):
        from website import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.news_page_context(page=self, request=request))
        return context


# --------------------------------------------------------------------------------------
# Contact
# --------------------------------------------------------------------------------------


class ContactFormField(AbstractFormField):
    """One field of the contact form, built by staff."""

    page = ParentalKey("website.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactSubmission(AbstractFormSubmission):
    """A message sent with the contact form, with the state of its e-mail to the centre (the outbox).

    Personal data: only staff with the "view contact submission" permission see
    it, and it is deleted after CONTACT_SUBMISSION_RETENTION_DAYS.
    """

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    email_state = models.CharField(
        _("e-mail to the centre"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)

    objects = ContactSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact form submission")
        verbose_name_plural = _("contact form submissions")
        indexes = [models.Index(fields=["email_state", "email_next_attempt_at"], name="website_contact_outbox")]


class ContactPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, AbstractForm):
    """The contact page: the centre's address, map link, opening hours and accessibility, and a form staff build.

    A message is stored and e-mailed to the centre by the worker, never inside
    the request. Spam is stopped by a honeypot, a per-address rate limit and a
    minimum time to fill the form in.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"], help_text=_("Shown after sending.")
    )

    content_panels = AbstractForm.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEARCH_TERMS]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    form_builder = ContactFormBuilder

    class Meta:
        verbose_name = _("contact page")

    def get_submission_class(self):
        return ContactSubmission

    def process_form_submission(self, form):
        from website.services.contact import contact_submission_create

        return contact_submission_create(page=self, data=form.cleaned_data)

    def serve(self, request, *args, **kwargs):
        from website import views

        return views.contact_page_response(page=self, request=request)

    def get_context(self, request, *args, **kwargs):
        from website import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.contact_page_context(page=self, request=request))
        return context


# --------------------------------------------------------------------------------------
# The team
# --------------------------------------------------------------------------------------


class Person(TranslatableMixin, models.Model):
    """One person of the centre's team: shown on the team page and as a project's contact person."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=160, help_text=_("E.g. social worker, coordinator."))
    group = models.CharField(
        _("service or team"),
        max_length=120,
        help_text=_("The team page groups people by this, e.g. “Social counselling”."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("E.g. “čeština, vietnamština, English”.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("group"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("languages"),
        FieldPanel("sort_order"),
    ]
    override_translatable_fields = [
        SynchronizedField("name"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("photo"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("team")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})"

    @property
    def anchor(self) -> str:
        """The person's place on the team page (the same in every language)."""
        return f"person-{self.translation_key}"

    @cached_property
    def team_url(self) -> str:
        """The person's entry on the team page of their language, or "" when there is none (looked up once)."""
        team = public_pages(TeamPage.objects.live().filter(locale_id=self.locale_id)).first()
        return f"{team.url}#{self.anchor}" if team is not None and team.url else ""


class TeamPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """Who works at the centre, grouped by service or team."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEARCH_TERMS]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("team page")

    def get_context(self, request, *args, **kwargs):
        from portal.cache import kept

        context = super().get_context(request, *args, **kwargs)
        context["people"] = kept(
            "team-people",
            self.locale_id,
            build=lambda: list(Person.objects.filter(locale_id=self.locale_id).select_related("photo")),
        )
        return context


# --------------------------------------------------------------------------------------
# Documents and annual reports
# --------------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("Annual reports")
    FINANCIAL_STATEMENT = "financial_statement", _("Financial statements")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation reports")
    STATUTES = "statutes", _("Statutes and founding documents")
    OTHER = "other", _("Other documents")


class LibraryDocument(TranslatableMixin, Orderable):
    """One document of the library: a Wagtail document with its kind and year (the same in every language)
    and a description in the page's language."""

    page = ParentalKey("website.DocumentLibraryPage", on_delete=models.CASCADE, related_name="library_documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.ANNUAL_REPORT)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("The year the document covers (for a statute: the year it was adopted)."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [
        FieldPanel("document"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("year")]),
        FieldPanel("description"),
    ]
    override_translatable_fields = [
        SynchronizedField("document", overridable=False),
        SynchronizedField("kind", overridable=False),
        SynchronizedField("year", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("document of the library")
        verbose_name_plural = _("documents of the library")
        unique_together = [("translation_key", "locale")]

    def __str__(self):
        return f"{self.document.title if self.document_id else ''} ({self.year})"


@dataclass
class DocumentYear:
    year: int
    documents: list


@dataclass
class DocumentGroup:
    kind: str
    label: str
    years: list[DocumentYear]


class DocumentLibraryPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """Annual reports, financial statements, evaluation reports and statutes, grouped by kind and year."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("library_documents", label=_("Documents"), heading=_("Documents")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("document_titles"),
        SEARCH_TERMS,
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("document library")

    def document_titles(self) -> str:
        """The documents' titles and descriptions, for the site search."""
        return " ".join(
            f"{row.document.title} {row.description}".strip() for row in self.library_documents.all() if row.document
        )

    def document_groups(self) -> list[DocumentGroup]:
        """The documents by kind (in the kinds' order), then by year (the newest first), in one query."""
        rows = sorted(
            self.library_documents.select_related("document"),
            key=lambda row: (-row.year, row.sort_order if row.sort_order is not None else 0),
        )
        groups = []
        for kind, label in DocumentKind.choices:
            years: dict[int, list] = {}
            for row in rows:
                if row.kind == kind:
                    years.setdefault(row.year, []).append(row)
            if years:
                groups.append(
                    DocumentGroup(kind, label, [DocumentYear(year, documents) for year, documents in years.items()])
                )
        return groups

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["document_groups"] = self.document_groups()
        return context


# --------------------------------------------------------------------------------------
# Donations
# --------------------------------------------------------------------------------------


class DonationPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, RoutablePageMixin, Page):
    """The "Podpořte nás" page: donating through Darujme.cz and by bank transfer with a QR payment code.

    Only a page that embeds the Darujme.cz widget lets the browser load from
    Darujme.cz (its own Content-Security-Policy); every other page keeps the
    strict policy.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(DonationStreamBlock(), verbose_name=_("body"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"), SEARCH_TERMS]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("donation page")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.embeds_darujme_widget() and response.get("Content-Type", "").startswith("text/html"):
            allow_sources(response, script_src=[DARUJME_ORIGIN], frame_src=[DARUJME_ORIGIN])
        return response

    @path("qr-platba/<uuid:block_id>/", name="qr_png")
    def qr_png_route(self, request, block_id):
        """A bank-transfer block's QR payment code as a PNG, to save and open in a banking app."""
        for block in self.body:
            if block.block_type == "bank_transfer" and str(block.id) == str(block_id):
                try:
                    payment = block.block.payment(block.value)
                except ValidationError:
                    raise Http404 from None
                response = HttpResponse(qr_png(payment.spayd()), content_type="image/png")
                response["Content-Disposition"] = 'inline; filename="qr-platba.png"'
                return response
        raise Http404

    def embeds_darujme_widget(self) -> bool:
        return any(block.block_type == "darujme" and block.value.get("widget_token") for block in self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        url = self.get_url(request) or ""
        # Each block with the address of its QR code as a PNG (bank transfers only).
        context["body_blocks"] = [
            (
                block,
                url + self.reverse_subpage("qr_png", kwargs={"block_id": block.id})
                if block.block_type == "bank_transfer"
                else "",
            )
            for block in self.body
        ]
        return context
