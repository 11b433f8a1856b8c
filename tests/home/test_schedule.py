"""The worker's schedule: one self-continuing chain of ticks, with nothing but `db_worker` running."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home import tasks
from portal import jobs
from portal.models import ScheduledJob

pytestmark = pytest.mark.django_db

PRAGUE = timezone.get_default_timezone()
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TICK_PATH = "home.tasks.tick"


def at(*args):
    return dt.datetime(*args, tzinfo=PRAGUE)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def queued_ticks():
    return DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY")


def run_worker():
    """What a running `db_worker` does: every task that is due, then it would sleep.

    The worker manages its own connections and transactions: tests that run it use `transaction=True`.
    """
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_daily_jobs_run_at_their_prague_time_across_summer_time():
    job = jobs.Job("nightly", tasks.daily_jobs, at=dt.time(3, 30))
    assert job.next_run(at(2026, 11, 21, 1, 0)) == at(2026, 11, 21, 3, 30)
    assert job.next_run(at(2026, 11, 21, 3, 30)) == at(2026, 11, 22, 3, 30)
    assert job.next_run(at(2026, 11, 21, 23, 59)) == at(2026, 11, 22, 3, 30)
    assert timezone.localtime(job.next_run(at(2027, 3, 27, 12, 0)), PRAGUE).hour == 3


def test_the_schedule_holds_every_job():
    names = {job.name for job in tasks.schedule()}
    assert names == {
        "retry_registration_emails",
        "retry_contact_emails",
        "purge_contact_submissions",
        "prune_task_results",
        "keep_participants_for_projects",
        "purge_registrations",
        "admin_login_failures_cleanup",
        "purge_publicity_records",
        "count_project_results",
        "check_publicity",
        "send_reminders",
        "publicity_obligations",
    }


def test_the_daily_jobs_run_now_on_the_site(site_homes):
    outcome = tasks.run_daily_jobs()
    assert set(outcome) == {
        "prune_task_results",
        "keep_participants_for_projects",
        "purge_registrations",
        "purge_contact_submissions",
        "admin_login_failures_cleanup",
        "purge_publicity_records",
        "count_project_results",
        "check_publicity",
        "send_reminders",
        "publicity_obligations",
    }
    assert all(result.startswith("ok") for result in outcome.values()), outcome


def test_one_chain_however_often_it_is_ensured(database_queue):
    call_command("schedule_daily_jobs")
    call_command("schedule_daily_jobs")
    assert tasks.schedule_ensure() is False
    assert queued_ticks().count() == 1
    assert ScheduledJob.objects.get(name="tick").task_result_id == str(queued_ticks().get().pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tick_queues_exactly_one_successor_a_minute_later(database_queue, site_homes):
    tasks.schedule_ensure()
    first = queued_ticks().get()
    run_worker()
    first.refresh_from_db()
    assert first.status == "SUCCESSFUL"
    assert first.return_value["publish_scheduled"] == "ok"
    successor = queued_ticks().get()
    assert successor.run_after >= first.started_at + dt.timedelta(seconds=59)
    assert tasks.schedule_ensure() is False


def test_a_tick_whose_worker_died_is_replaced_and_its_chain_ends(database_queue):
    tasks.schedule_ensure()
    dead = queued_ticks().get()
    dead.status, dead.started_at = "RUNNING", timezone.now() - dt.timedelta(minutes=30)
    dead.save()
    assert tasks.schedule_ensure() is True
    replacement = queued_ticks().get()
    assert replacement.pk != dead.pk
    # Should the old tick still finish, it queues nothing: there is one chain.
    later = timezone.now() + dt.timedelta(minutes=1)
    assert jobs.chain_continue(name="tick", task_=tasks.tick, current_id=str(dead.pk), run_after=later) is False
    assert queued_ticks().count() == 1


def test_a_failed_or_pruned_tick_is_restarted_by_the_next_ensure(database_queue):
    tasks.schedule_ensure()
    queued_ticks().update(status="FAILED", finished_at=timezone.now())
    assert tasks.schedule_ensure() is True
    queued_ticks().delete()
    assert tasks.schedule_ensure() is True
    assert queued_ticks().count() == 1


def test_a_tick_running_at_worker_start_is_checked_again_later(database_queue):
    tasks.schedule_ensure()
    queued_ticks().update(status="RUNNING", started_at=timezone.now())
    assert tasks.schedule_ensure() is False
    check = DBTaskResult.objects.get(task_path="portal.jobs.check_chain", status="READY")
    assert check.run_after > timezone.now() + jobs.STALE_AFTER
    # The tick's worker died meanwhile: the check starts a new chain.
    DBTaskResult.objects.filter(task_path=TICK_PATH).update(started_at=timezone.now() - dt.timedelta(hours=1))
    assert jobs.check_chain.call("tick", TICK_PATH) is True
    assert queued_ticks().count() == 1


def test_migrate_ensures_the_schedule(database_queue):
    call_command("migrate", verbosity=0)
    assert queued_ticks().count() == 1


def test_due_jobs_are_queued_once_and_daily_jobs_at_their_time(database_queue):
    now = at(2026, 11, 21, 12, 0)
    outcome = jobs.enqueue_due(tasks.schedule(), now=now)
    assert outcome["retry_registration_emails"] == "nothing to do"
    assert outcome["check_publicity"] == "not due"
    night = at(2026, 11, 22, 4, 1)
    assert jobs.enqueue_due(tasks.schedule(), now=night)["check_publicity"] == "queued"
    assert DBTaskResult.objects.filter(task_path="projects.tasks.check_all_publicity").count() == 1
    assert ScheduledJob.objects.get(name="check_publicity").next_run_at == at(2026, 11, 23, 4, 0)
    # The worker has not got to it yet a day later: it is not queued twice.
    outcome = jobs.enqueue_due(tasks.schedule(), now=at(2026, 11, 23, 4, 1))
    assert outcome["check_publicity"] == "previous run still queued"
    assert DBTaskResult.objects.filter(task_path="projects.tasks.check_all_publicity").count() == 1


def test_a_failing_job_does_not_stop_the_others(database_queue, monkeypatch, caplog):
    def broken(now):
        raise RuntimeError("database hiccup")

    schedule = [
        jobs.Job("broken", tasks.cleanup_admin_login_failures, every=dt.timedelta(minutes=1), only_if=broken),
        jobs.Job("cleanup", tasks.cleanup_admin_login_failures, every=dt.timedelta(minutes=1)),
    ]
    assert jobs.enqueue_due(schedule) == {"broken": "failed", "cleanup": "queued"}
    assert "Could not queue scheduled job broken" in caplog.text


def test_pruning_deletes_only_old_finished_results(settings):
    settings.TASK_RESULTS_RETENTION_DAYS = 7
    now = timezone.now()
    old, recent = now - dt.timedelta(days=8), now - dt.timedelta(days=6)

    def result(status, finished_at=None):
        return DBTaskResult.objects.create(
            status=status,
            finished_at=finished_at,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="portal.jobs.prune_task_results",
            backend_name="default",
            run_after=now,
        )

    old_ok, old_failed = result("SUCCESSFUL", old), result("FAILED", old)
    kept = [result("SUCCESSFUL", recent), result("FAILED", recent), result("READY"), result("RUNNING")]
    DBTaskResult.objects.filter(pk__in=[r.pk for r in kept[2:]]).update(enqueued_at=old)

    assert jobs.task_results_prune(now=now) == 2
    assert not DBTaskResult.objects.filter(pk__in=[old_ok.pk, old_failed.pk]).exists()
    assert DBTaskResult.objects.filter(pk__in=[r.pk for r in kept]).count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_scheduled_in_the_admin_goes_live_on_time_with_only_the_worker(database_queue, site_homes):
    from tests.home.factories import StandardPageFactory

    page = StandardPageFactory(parent=site_homes["cs"], title="Zítřejší oznámení", slug="oznameni", live=False)
    go_live_at = timezone.now() + dt.timedelta(seconds=2)
    page.go_live_at = go_live_at
    page.save_revision().publish()  # what "Publish" with a go-live date does in the admin
    page.refresh_from_db()
    assert not page.live

    run_worker()  # the worker starts the schedule; the first tick comes too early
    page.refresh_from_db()
    assert not page.live

    time.sleep(max(0.0, (go_live_at - timezone.now()).total_seconds()) + 0.1)
    DBTaskResult.objects.filter(task_path=TICK_PATH, status="READY").update(run_after=timezone.now())  # a minute on
    run_worker()
    page.refresh_from_db()
    assert page.live
    assert page.first_published_at is not None


def test_a_persons_email_is_taken_before_the_publicity_checks_queued_ahead_of_it(database_queue):
    from events.registrations.emails import send_registration_email
    from projects.tasks import recheck_publicity
    from website.services.contact import send_contact_email

    for _ in range(3):
        recheck_publicity.enqueue([1])
    tasks.tick.enqueue()
    send_registration_email.enqueue(1)
    send_contact_email.enqueue(1)
    order = [result.task_path.rsplit(".", 1)[1] for result in DBTaskResult.objects.ready()]
    assert order == [
        "send_registration_email",
        "send_contact_email",
        "tick",
        "recheck_publicity",
        "recheck_publicity",
        "recheck_publicity",
    ]
