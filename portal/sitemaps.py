from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from portal.privacy import public_pages


class PortalSitemap(Sitemap):
    """Every live public page of the site, in every language."""

    def items(self):
        from wagtail.models import Page

        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key).only("path")
        condition = reduce(or_, (Q(path__startswith=home.path) for home in homes), Q(pk=root.pk))
        return public_pages(Page.objects.filter(condition).live()).order_by("path").defer_streamfields().specific()
