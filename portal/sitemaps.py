from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from portal.privacy import public_pages


class PortalSitemap(Sitemap):
    """Every live public page of the site, in every language, each with the addresses of its
    translations (`xhtml:link` alternates, as the page's own head lists them).

    Each translation is a page of its own, so Django's `i18n`/`alternates` (one item shown in every
    language) do not fit: the alternates are the page's live public translations, and only the
    languages it really has. A page not translated into a language is served at that language's
    address in the default language (HomePage.route); that address is no page of its own (its
    canonical is the original), so it is neither listed nor an alternate.
    """

    def pages(self):
        from wagtail.models import Page

        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key).only("path")
        condition = reduce(or_, (Q(path__startswith=home.path) for home in homes), Q(pk=root.pk))
        return public_pages(Page.objects.filter(condition).live())

    def items(self):
        return self.pages().order_by("path").defer_streamfields().specific()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        listed = {item.translation_key for item in self.paginator.page(page).object_list}
        alternates = self.alternates(listed)
        for url in urls:
            url["alternates"] = alternates.get(url["location"], [])
        return urls

    def alternates(self, translation_keys) -> dict[str, list[dict]]:
        """The alternates of each page address, for the pages of these translation keys that
        are in more than one language: one per language, and x-default (the default language's)."""
        addresses: dict = defaultdict(dict)
        versions = self.pages().filter(translation_key__in=translation_keys).select_related("locale")
        for version in versions:
            url = version.get_full_url(self.request)
            if url:
                addresses[version.translation_key][version.locale.language_code] = url
        by_address = {}
        for languages in addresses.values():
            if len(languages) < 2:
                continue
            links = [{"lang_code": code, "location": url} for code, url in sorted(languages.items())]
            if settings.LANGUAGE_CODE in languages:
                links.append({"lang_code": "x-default", "location": languages[settings.LANGUAGE_CODE]})
            for url in languages.values():
                by_address[url] = links
        return by_address
