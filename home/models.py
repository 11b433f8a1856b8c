"""The home page and the plain content pages (about, contact, legal pages)."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.locales import the_default_locale
from portal.privacy import PrivateInEveryLanguageMixin
from portal.search_text import SEARCH_TERMS, NormalisedSearchMixin


class HomePage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """The centre's front page, one per language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"), SEARCH_TERMS]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "events.EventIndexPage",
        "projects.ProjectIndexPage",
        "website.NewsIndexPage",
        "website.ContactPage",
        "website.TeamPage",
        "website.DocumentLibraryPage",
        "website.DonationPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from home import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_sections(page=self, request=request))
        return context

    def route(self, request, path_components):
        """A path that this language's tree lacks is looked up in the default language's tree: a page
        not translated yet is shown (with a note, templates/base.html) instead of a 404. Wagtail's
        serve view then applies the page's view restrictions as usual."""
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.default_language_home() if path_components else None
            if source is None:
                raise
            return source.route(request, path_components)

    def default_language_home(self) -> "HomePage | None":
        """The live home page in the default language, when this one is a translation of it."""
        default = the_default_locale()
        if self.locale_id == default.pk:
            return None
        source = self.get_translation_or_none(default)
        return source.specific if source is not None and source.live else None


class StandardPage(NormalisedSearchMixin, PrivateInEveryLanguageMixin, Page):
    """A content page built from the shared blocks: about us, contact, legal notices."""

    summary = models.TextField(
        _("summary"), blank=True, max_length=400, help_text=_("One or two sentences shown under the title.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body"), SEARCH_TERMS]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "website.TeamPage", "website.DocumentLibraryPage", "website.DonationPage"]

    class Meta:
        verbose_name = _("standard page")
