"""The portal's schedule: what the worker does every minute and every night.

A running `manage.py db_worker` is the whole scheduler (see portal.jobs): a
chain of `tick` tasks runs once a minute. Each tick publishes and unpublishes
the pages scheduled in the admin (Wagtail's `publish_scheduled`) and queues
the jobs of `schedule()` that are due, each as its own task:

- registration e-mails whose retry is due, every minute;
- reminders for tomorrow's dates, daily at 8:00;
- contact form e-mails whose retry is due, every minute;
- keeping the participants of funded projects' activities until the projects' archiving dates, daily at 3:25;
- anonymising registrations past their retention (then participant records nothing keeps), daily at 3:30;
- deleting contact form messages past their retention, daily at 3:40;
- pruning old task results, daily at 3:15;
- deleting admin sign-in failures older than 30 days, daily at 3:45;
- deleting publicity checks, snapshots and evidence past their programme's archiving period, daily at 3:50;
- the project results counted from attendance, daily at 3:55;
- the publicity check of every funded page, daily at 4:00 (Prague time);
- the publicity obligation registers and their reminder e-mails, daily at 7:30.

The worker starts the chain when it starts; `migrate` and
`schedule_daily_jobs` (run on every deploy) make sure of it too.
"""

import datetime as dt
import io
import logging

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskContext, task

from portal import jobs

logger = logging.getLogger(__name__)

TICK = "tick"
TICK_EVERY = dt.timedelta(minutes=1)


def _registration_emails_due(now: dt.datetime) -> bool:
    from events.registrations.models import RegistrationEmail

    return RegistrationEmail.objects.due(now).exists()


@task()
def cleanup_admin_login_failures() -> int:
    """Delete admin sign-in failures (user name, IP address) older than 30 days."""
    from axes.models import AccessAttempt

    cutoff = timezone.now() - dt.timedelta(days=30)
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]


def _contact_emails_due(now: dt.datetime) -> bool:
    from website.models import ContactSubmission

    return ContactSubmission.objects.email_due(now).exists()


@task()
def keep_participants_for_projects() -> int:
    """Before the night's anonymisation: participants of funded projects' activities are kept until the
    projects' archiving dates (registrations cannot read projects; this job joins the two)."""
    from events.registrations.services.retention import participants_keep_for_projects
    from projects.publicity.rules import archiving_dates

    return participants_keep_for_projects(archiving_dates=archiving_dates())


def schedule() -> list[jobs.Job]:
    from events.registrations.tasks import purge_registrations, retry_registration_emails, send_reminders
    from projects.tasks import (
        check_all_publicity,
        count_project_results,
        obligations_daily,
        purge_publicity_past_retention,
    )
    from website.tasks import purge_contact_submissions, retry_contact_emails

    return [
        jobs.Job(
            "retry_registration_emails",
            retry_registration_emails,
            every=dt.timedelta(minutes=1),
            only_if=_registration_emails_due,
        ),
        jobs.Job(
            "retry_contact_emails", retry_contact_emails, every=dt.timedelta(minutes=1), only_if=_contact_emails_due
        ),
        jobs.Job("prune_task_results", jobs.prune_task_results, at=dt.time(3, 15)),
        jobs.Job("keep_participants_for_projects", keep_participants_for_projects, at=dt.time(3, 25)),
        jobs.Job("purge_registrations", purge_registrations, at=dt.time(3, 30)),
        jobs.Job("purge_contact_submissions", purge_contact_submissions, at=dt.time(3, 40)),
        jobs.Job("admin_login_failures_cleanup", cleanup_admin_login_failures, at=dt.time(3, 45)),
        jobs.Job("purge_publicity_records", purge_publicity_past_retention, at=dt.time(3, 50)),
        jobs.Job("count_project_results", count_project_results, at=dt.time(3, 55)),
        jobs.Job("check_publicity", check_all_publicity, at=dt.time(4, 0)),
        jobs.Job("send_reminders", send_reminders, at=dt.time(8, 0)),
        jobs.Job("publicity_obligations", obligations_daily, at=dt.time(7, 30)),
    ]


def publish_scheduled() -> str:
    """Wagtail's scheduled publishing: pages and snippets whose go-live or expiry time has passed."""
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue().strip()


def run_tick(*, now: dt.datetime | None = None) -> dict[str, str]:
    """One minute's work; a failing part is logged and does not stop the others."""
    now = now or timezone.now()
    outcome: dict[str, str] = {}
    try:
        publish_scheduled()
        outcome["publish_scheduled"] = "ok"
    except Exception:  # noqa: BLE001 - the rest of the schedule must still run
        logger.exception("Scheduled publishing failed")
        outcome["publish_scheduled"] = "failed"
    outcome.update(jobs.enqueue_due(schedule(), now=now))
    return outcome


@task(takes_context=True, priority=jobs.PRIORITY_SCHEDULE)
def tick(context: TaskContext) -> dict[str, str]:
    """The schedule's heartbeat: queue the next tick first (so a crash here cannot end the chain), then work."""
    now = timezone.now()
    if not jobs.chain_continue(name=TICK, task_=tick, current_id=context.task_result.id, run_after=now + TICK_EVERY):
        return {"tick": "replaced by a newer chain"}
    return run_tick(now=now)


def schedule_ensure() -> bool:
    """Make sure the schedule runs (idempotent). True when the chain was (re)started."""
    return jobs.chain_ensure(name=TICK, task_=tick)


def run_daily_jobs() -> dict[str, str]:
    """Run every daily job now, in this process; one failing job is logged and does not stop the others."""
    outcome: dict[str, str] = {}
    for job in schedule():
        if job.at is None:
            continue
        try:
            outcome[job.name] = f"ok ({job.task.call()})"
        except Exception:  # noqa: BLE001 - a broken job must not stop the rest
            logger.exception("daily job %s failed", job.name)
            outcome[job.name] = "failed"
    return outcome


@task()
def daily_jobs() -> bool:
    """A nightly run queued by an earlier release: the schedule now does this work; make sure it runs."""
    return schedule_ensure()
