"""The portal's daily jobs, as one self-scheduling django-tasks task.

`manage.py schedule_daily_jobs` enqueues `daily_jobs` once (it is idempotent);
each run does the day's work and enqueues the next run for the following
night, so a running `db_worker` is all the scheduler the portal needs. The
same jobs also exist as management commands for cron.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

DAILY_AT = dt.time(3, 30)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next DAILY_AT in the portal's time zone, strictly after `now`."""
    local_now = timezone.localtime(now or timezone.now())
    candidate = timezone.make_aware(dt.datetime.combine(local_now.date(), DAILY_AT))
    if candidate <= local_now:
        candidate = timezone.make_aware(dt.datetime.combine(local_now.date() + dt.timedelta(days=1), DAILY_AT))
    return candidate


def _jobs() -> list[tuple[str, Callable[[], object]]]:
    from events.services import emails_retry, registrations_purge, reminders_send
    from projects.publicity import run_publicity_check

    def axes_cleanup() -> int:
        from axes.models import AccessAttempt

        cutoff = timezone.now() - dt.timedelta(days=30)
        return AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]

    return [
        ("retry_registration_emails", emails_retry),
        ("purge_registrations", registrations_purge),
        ("send_reminders", reminders_send),
        ("check_publicity", lambda: len(run_publicity_check())),
        ("admin_login_failures_cleanup", axes_cleanup),
    ]


def run_daily_jobs() -> dict[str, str]:
    """Run every daily job; one failing job is logged and does not stop the others."""
    outcome: dict[str, str] = {}
    for name, job in _jobs():
        try:
            outcome[name] = f"ok ({job()})"
        except Exception:  # noqa: BLE001 - a broken job must not stop the rest
            logger.exception("daily job %s failed", name)
            outcome[name] = "failed"
    return outcome


def is_daily_job_pending() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=f"{__name__}.daily_jobs", status="READY").exists()


def schedule_daily_jobs(*, now: dt.datetime | None = None) -> bool:
    """Enqueue the next daily run unless one is already waiting. True when one was enqueued."""
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend.startswith("django_tasks_db") and is_daily_job_pending():
        return False
    daily_jobs.using(run_after=next_run(now)).enqueue()
    return True


@task()
def daily_jobs() -> dict[str, str]:
    outcome = run_daily_jobs()
    schedule_daily_jobs()
    return outcome
