"""Background work for publicity checks (django-tasks).

A publish of a project page, or of an event page that belongs to a funded
project, enqueues `recheck_publicity` once the transaction commits. The
worker's schedule (home/tasks.py) queues `check_all_publicity` daily; auditors
run the same check with `manage.py check_publicity`.

The schedule also queues `count_project_results` nightly: the result figures
bound to attendance are counted and stored for the project pages. Publishing a
project page whose figures are bound counts its figures at once.
"""

from django_tasks import task

from portal.jobs import PRIORITY_BACKGROUND


@task(priority=PRIORITY_BACKGROUND)
def recheck_publicity(page_ids: list[int]) -> int:
    """Check the given pages again; returns the number of failed rules."""
    from wagtail.models import Page

    from projects.publicity import run_publicity_check

    pages = list(Page.objects.live().filter(pk__in=page_ids).specific())
    snapshots = run_publicity_check(pages=pages)
    return sum(1 for snapshot in snapshots for result in snapshot.results if not result.passed)


@task(priority=PRIORITY_BACKGROUND)
def check_all_publicity() -> int:
    """The daily check of every page the rules apply to; returns the number of failed rules."""
    from projects.publicity import run_publicity_check

    snapshots = run_publicity_check()
    return sum(1 for snapshot in snapshots for result in snapshot.results if not result.passed)


@task(priority=PRIORITY_BACKGROUND)
def obligations_daily() -> int:
    """The daily obligation job: update every project's register from its facts, then send the reminders due.

    Returns the number of reminder e-mails sent.
    """
    from projects.obligations import all_obligations_update, obligation_reminders_send

    all_obligations_update()
    return obligation_reminders_send()


@task(priority=PRIORITY_BACKGROUND)
def purge_publicity_past_retention() -> dict[str, int]:
    """The daily deletion of checks, snapshots, screenshots and evidence past the archiving period (files too)."""
    from projects.publicity.retention import publicity_records_purge

    return publicity_records_purge().as_dict()


@task(priority=PRIORITY_BACKGROUND)
def count_project_results(project_key: str | None = None) -> int:
    """Count the project result figures bound to attendance (every project's nightly, or one project's
    when its page is published); returns the figures stored."""
    from projects.services import project_measures_count

    return project_measures_count(project_key=project_key)
