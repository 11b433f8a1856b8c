"""The centre's website pages: news (the index and the news items)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.privacy import PrivateInEveryLanguageMixin
from website.querysets import NewsPageQuerySet


class NewsIndexPage(PrivateInEveryLanguageMixin, RoutablePageMixin, Page):
    """The news ("Aktuality"): the latest items first, filterable by tag and year, with RSS and Atom feeds."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]

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
        """The feeds' addresses, for the autodiscovery links."""
        url = self.get_url(request) or ""
        return {"rss": url + self.reverse_subpage("rss"), "atom": url + self.reverse_subpage("atom")}


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("website.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(PrivateInEveryLanguageMixin, Page):
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
