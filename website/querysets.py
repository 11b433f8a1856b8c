"""Read queries of the website pages. This module imports no model (`website.models` uses it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from wagtail.models import PageQuerySet

from portal.privacy import public_pages

if TYPE_CHECKING:
    from wagtail.models import Locale, Page


class NewsPageQuerySet(PageQuerySet):
    def published(self) -> NewsPageQuerySet:
        """Live news items an anonymous visitor may see, the newest first."""
        return public_pages(self.live()).order_by("-date", "-first_published_at", "-pk")

    def listed(self) -> NewsPageQuerySet:
        """With what a list shows (the image, the tags) in a fixed number of queries. The thumbnails
        are kept as fragments (templates/website/includes/news_list.html): their renditions are
        looked up only when one is rendered again."""
        return self.select_related("image").defer_streamfields().prefetch_related("tags")

    def in_index(self, index: Page) -> NewsPageQuerySet:
        return self.published().child_of(index)

    def latest_in(self, locale: Locale, *, limit: int) -> list:
        return list(self.published().filter(locale=locale).listed()[:limit])


class ContactSubmissionQuerySet(models.QuerySet):
    def email_due(self, now) -> ContactSubmissionQuerySet:
        """Messages whose e-mail to the centre is waiting and due now (a first send no task made, or a retry)."""
        return self.filter(email_state="pending", email_next_attempt_at__lte=now)

    def past_retention(self, now, *, days: int) -> ContactSubmissionQuerySet:
        return self.filter(submit_time__lt=now - dt.timedelta(days=days))
