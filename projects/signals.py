"""Re-check publicity after a relevant page is published, and keep cached disclosures fresh."""

from django.db import transaction
from wagtail.signals import page_published, page_unpublished

from projects import cache


def _on_published(sender, instance, **kwargs):
    from projects.publicity import pages_affected_by
    from projects.tasks import recheck_publicity

    cache.bump()
    page_ids = [page.pk for page in pages_affected_by(instance)]
    if page_ids:
        transaction.on_commit(lambda: recheck_publicity.enqueue(page_ids=page_ids))


def _on_unpublished(sender, instance, **kwargs):
    cache.bump()


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="projects.publicity.published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="projects.publicity.unpublished")
