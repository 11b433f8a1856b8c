"""Re-check publicity and update a project's obligation register after a relevant page is published;
count a project's bound result figures when its page is published (a figure just bound shows its
achieved value without waiting for the night)."""

from django.db import transaction
from wagtail.signals import page_published


def _on_published(sender, instance, **kwargs):
    from projects.publicity import pages_affected_by
    from projects.tasks import recheck_publicity

    page_ids = [page.pk for page in pages_affected_by(instance)]
    if page_ids:
        transaction.on_commit(lambda: recheck_publicity.enqueue(page_ids=page_ids))
    _count_results_of(instance)


def _count_results_of(page) -> None:
    from projects.models import ProjectPage
    from projects.services import bound_measures
    from projects.tasks import count_project_results

    if isinstance(page, ProjectPage) and bound_measures(page):
        key = str(page.translation_key)
        transaction.on_commit(lambda: count_project_results.enqueue(project_key=key))


def _update_obligations(sender, instance, **kwargs):
    from projects.models import ProjectPage
    from projects.obligations import project_obligations_update

    if isinstance(instance, ProjectPage):
        project_obligations_update(project=instance)


def connect() -> None:
    page_published.connect(_on_published, dispatch_uid="projects.publicity.published")
    page_published.connect(_update_obligations, dispatch_uid="projects.obligations.published")
