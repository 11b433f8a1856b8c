"""Re-check publicity after a relevant page is published."""

from django.db import transaction
from wagtail.signals import page_published


def _on_published(sender, instance, **kwargs):
    from projects.publicity import pages_affected_by
    from projects.tasks import recheck_publicity

    page_ids = [page.pk for page in pages_affected_by(instance)]
    if page_ids:
        transaction.on_commit(lambda: recheck_publicity.enqueue(page_ids=page_ids))


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="projects.publicity.published")
