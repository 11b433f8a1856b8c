"""The worker's schedule: periodic jobs with nothing but `manage.py db_worker` running.

django-tasks has no periodic tasks, so the schedule is a *chain*: a tick task
that queues its successor (`run_after` a minute later) before it does the
minute's work. A `ScheduledJob` row named after the chain records the queued
tick, and it is only read and changed under a row lock, so exactly one chain
exists however many workers run:

- `chain_ensure()` starts the chain unless its recorded tick is waiting or
  running. The worker calls it when it starts, and so do `migrate` and
  `schedule_daily_jobs`; calling it again changes nothing.
- `chain_continue()` queues the next tick only for the tick the row records;
  a tick replaced by `chain_ensure()` (its worker died) ends its chain there.
- A tick that failed, was pruned, or is still "running" STALE_AFTER after it
  started (its worker was killed) no longer counts: the next `chain_ensure()`
  starts a new chain. When it finds a tick running, it queues a one-off check
  for STALE_AFTER later, so a restarted worker also recovers from a tick its
  predecessor died in.

Each tick then queues the `Job`s that are due (every N minutes, or daily at a
local time), each as its own task, recording the next run on the job's row.
A job whose previous run is still waiting in the queue is not queued twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from portal.models import ScheduledJob

# One worker runs the tasks one at a time, highest priority first: a person's e-mail
# (a registration confirmation, a contact message) never waits behind the publicity
# checker's browser work, and the schedule's tick keeps its minute.
PRIORITY_MESSAGE = 50
PRIORITY_SCHEDULE = 20
PRIORITY_BACKGROUND = -50

logger = logging.getLogger(__name__)

# A tick only queues work, so one still "running" after this long lost its worker.
STALE_AFTER = dt.timedelta(minutes=5)
DEFAULT_TASK_RESULTS_RETENTION_DAYS = 14

READY = "READY"
RUNNING = "RUNNING"


@dataclass(frozen=True)
class Job:
    """A task the schedule queues `every` so often, or daily `at` a local time; `only_if` skips an idle run."""

    name: str
    task: Task
    every: dt.timedelta | None = None
    at: dt.time | None = None
    only_if: Callable[[dt.datetime], bool] | None = None

    def __post_init__(self):
        if (self.every is None) == (self.at is None):
            raise ValueError(f"Job {self.name} needs exactly one of `every` and `at`.")

    def next_run(self, after: dt.datetime) -> dt.datetime:
        """The run after `after`: `every` later, or the next `at` in the portal's time zone."""
        if self.every is not None:
            return after + self.every
        local = timezone.localtime(after)
        candidate = timezone.make_aware(dt.datetime.combine(local.date(), self.at))
        if candidate <= local:
            candidate = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), self.at))
        return candidate

    def first_run(self, now: dt.datetime) -> dt.datetime:
        return now if self.every is not None else self.next_run(now)


def uses_database_queue(task_: Task) -> bool:
    """Only the database queue can hold a task until later; other backends have no schedule."""
    return isinstance(task_.get_backend(), DatabaseBackend)


def _locked(name: str) -> ScheduledJob:
    ScheduledJob.objects.get_or_create(name=name)
    return ScheduledJob.objects.select_for_update().get(name=name)


def _queued_status(result_id: str) -> tuple[str, dt.datetime | None] | None:
    if not result_id:
        return None
    row = DBTaskResult.objects.filter(pk=result_id).values_list("status", "started_at").first()
    return tuple(row) if row is not None else None


def _chain_state(result_id: str, now: dt.datetime) -> str:
    """The state of the tick a chain's row records: "waiting", "running" or "dead"."""
    status = _queued_status(result_id)
    if status is None:
        return "dead"
    state, started_at = status
    if state == READY:
        return "waiting"
    if state == RUNNING and started_at is not None and started_at > now - STALE_AFTER:
        return "running"
    return "dead"


def chain_ensure(*, name: str, task_: Task, now: dt.datetime | None = None) -> bool:
    """Start the chain `name` of `task_` unless it is alive. True when a new chain was started."""
    if not uses_database_queue(task_):
        return False
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(name)
        state = _chain_state(entry.task_result_id, now)
        if state == "running":
            check_chain.using(run_after=now + STALE_AFTER + dt.timedelta(seconds=30)).enqueue(name, task_.module_path)
        if state != "dead":
            return False
        result = task_.using(run_after=now).enqueue()
        entry.task_result_id = str(result.id)
        entry.next_run_at = now
        entry.save(update_fields=["task_result_id", "next_run_at"])
    logger.info("Started the %s chain (task %s).", name, result.id)
    return True


def chain_continue(*, name: str, task_: Task, current_id: str, run_after: dt.datetime) -> bool:
    """Queue the tick after `current_id`, if that is the chain's tick. False when another chain replaced it."""
    with transaction.atomic():
        entry = _locked(name)
        if entry.task_result_id != str(current_id):
            logger.warning("Tick %s of %s was replaced by %s; its chain ends.", current_id, name, entry.task_result_id)
            return False
        result = task_.using(run_after=run_after).enqueue()
        entry.task_result_id = str(result.id)
        entry.last_run_at = timezone.now()
        entry.next_run_at = run_after
        entry.save(update_fields=["task_result_id", "last_run_at", "next_run_at"])
    return True


@task()
def check_chain(name: str, task_path: str) -> bool:
    """Restart a chain whose tick was running when a worker started, if that tick has died meanwhile."""
    from django.utils.module_loading import import_string

    return chain_ensure(name=name, task_=import_string(task_path))


def _enqueue_if_due(job: Job, now: dt.datetime) -> str:
    with transaction.atomic():
        entry = _locked(job.name)
        if entry.next_run_at is None:
            entry.next_run_at = job.first_run(now)
        if entry.next_run_at > now:
            entry.save(update_fields=["next_run_at"])
            return "not due"
        entry.next_run_at = job.next_run(now)
        status = _queued_status(entry.task_result_id)
        if status is not None and status[0] == READY:
            entry.save(update_fields=["next_run_at"])
            return "previous run still queued"
        if job.only_if is not None and not job.only_if(now):
            entry.save(update_fields=["next_run_at"])
            return "nothing to do"
        result = job.task.enqueue()
        entry.task_result_id = str(result.id)
        entry.last_run_at = now
        entry.save(update_fields=["next_run_at", "task_result_id", "last_run_at"])
    return "queued"


def enqueue_due(jobs: Iterable[Job], *, now: dt.datetime | None = None) -> dict[str, str]:
    """Queue every job that is due at `now`; one failing job is logged and does not stop the others."""
    now = now or timezone.now()
    outcome: dict[str, str] = {}
    for job in jobs:
        try:
            outcome[job.name] = _enqueue_if_due(job, now)
        except Exception:  # noqa: BLE001 - a broken job must not stop the rest
            logger.exception("Could not queue scheduled job %s", job.name)
            outcome[job.name] = "failed"
    return outcome


def task_results_retention_days() -> int:
    return int(getattr(settings, "TASK_RESULTS_RETENTION_DAYS", DEFAULT_TASK_RESULTS_RETENTION_DAYS))


def task_results_prune(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete finished task results (successful or failed) that finished more than `days` ago."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=task_results_retention_days() if days is None else days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@task()
def prune_task_results() -> int:
    return task_results_prune()
