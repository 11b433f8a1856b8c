"""Re-check publicity and update a project's obligation register after a relevant page is published."""

from django.db import transaction
from wagtail.signals import page_published


def _on_published(sender, instance, **kwargs):
    from projects.publicity import pages_affected_by
    from projects.tasks import recheck_publicity

    page_ids = [page.pk for page in pages_affected_by(instance)]
    if page_ids:
        transaction.on_commit(lambda: recheck_publicity.enqueue(page_ids=page_ids))


def _update_obligations(sender, instance, **kwargs):
    from projects.models import ProjectPage
    from projects.obligations import project_obligations_update

    if isinstance(instance, ProjectPage):
        project_obligations_update(project=instance)


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="projects.publicity.published")
    page_published.connect(_update_obligations, dispatch_uid="projects.obligations.published")
