"""Read queries of the website pages. This module imports no model (`website.models` uses it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch
from wagtail.models import PageQuerySet

from portal.privacy import public_pages

if TYPE_CHECKING:
    from wagtail.models import Locale, Page


class NewsPageQuerySet(PageQuerySet):
    def published(self) -> NewsPageQuerySet:
        """Live news items an anonymous visitor may see, the newest first."""
        return public_pages(self.live()).order_by("-date", "-first_published_at", "-pk")

    def listed(self) -> NewsPageQuerySet:
        """With what a list shows (the image with its renditions, the tags) in a fixed number of queries."""
        from wagtail.images import get_image_model

        renditions = get_image_model().get_rendition_model().objects.all()
        return (
            self.select_related("image")
            .defer_streamfields()
            .prefetch_related(
                Prefetch("image__renditions", queryset=renditions),
                "tags",
            )
        )

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
