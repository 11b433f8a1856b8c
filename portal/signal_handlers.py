"""Keep the cache version in step with the content (portal/cache.py), and notice
when the shared cache is back after an outage (portal/outages.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.forms.models import AbstractFormSubmission
from wagtail.images.models import AbstractRendition
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.cache import purge_frontend_cache, site_version_replace_on_commit
from portal.outages import check_recovery

# Rows in these apps feed public pages: saving or deleting one starts a new site version.
# Registrations (their own app) only change free places, which have their own
# dependency keys (events.registrations.signal_handlers); what visitors send with a
# form (a contact message) is shown on no public page.
CONTENT_APPS = frozenset(
    {
        "home",
        "events",
        "projects",
        "portal",
        "website",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "wagtailredirects",
        "wagtail_localize",
        "taggit",
    }
)


def content_changed(sender, **kwargs) -> None:
    # A rendition is made the first time an image is shown at a size: it adds
    # a file, not content (on a fresh server the first views would otherwise
    # keep starting new versions).
    if sender._meta.app_label not in CONTENT_APPS or issubclass(sender, (AbstractRendition, AbstractFormSubmission)):
        return
    site_version_replace_on_commit(using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def page_published_or_unpublished(sender, instance, **kwargs) -> None:
    site_version_replace_on_commit()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: purge_frontend_cache(page=instance), robust=True)


def page_moved(sender, **kwargs) -> None:
    site_version_replace_on_commit()


def connect() -> None:
    post_save.connect(content_changed, dispatch_uid="portal-cache-save")
    post_delete.connect(content_changed, dispatch_uid="portal-cache-delete")
    page_published.connect(page_published_or_unpublished, dispatch_uid="portal-cache-publish")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid="portal-cache-unpublish")
    post_page_move.connect(page_moved, dispatch_uid="portal-cache-move")
    # During a cache outage, notice (cheaply, now and then) when the cache is back.
    request_finished.connect(check_recovery, dispatch_uid="portal-cache-outage-recovery")
