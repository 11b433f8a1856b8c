"""The daily jobs: one self-scheduling task that runs the day's work and queues the next night."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from home import tasks

pytestmark = pytest.mark.django_db

PRAGUE = timezone.get_default_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=PRAGUE)


def test_next_run_is_tonight_or_tomorrow_night_in_prague_time():
    assert tasks.next_run(at(2026, 11, 21, 1, 0)) == at(2026, 11, 21, 3, 30)
    assert tasks.next_run(at(2026, 11, 21, 3, 30)) == at(2026, 11, 22, 3, 30)
    assert tasks.next_run(at(2026, 11, 21, 23, 59)) == at(2026, 11, 22, 3, 30)
    # Across the change to summer time the job still runs at 3:30 local time.
    assert timezone.localtime(tasks.next_run(at(2027, 3, 27, 12, 0)), PRAGUE).hour == 3


def test_every_job_runs_and_a_failing_job_does_not_stop_the_rest(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(
        tasks,
        "_jobs",
        lambda: [
            ("first", lambda: ran.append("first") or 1),
            ("broken", broken),
            ("last", lambda: ran.append("last") or 2),
        ],
    )
    outcome = tasks.run_daily_jobs()
    assert ran == ["first", "last"]
    assert outcome == {"first": "ok (1)", "broken": "failed", "last": "ok (2)"}
    assert "daily job broken failed" in caplog.text


def test_the_real_jobs_run_on_the_site(site_homes):
    outcome = tasks.run_daily_jobs()
    assert set(outcome) == {
        "retry_registration_emails",
        "purge_registrations",
        "send_reminders",
        "check_publicity",
        "admin_login_failures_cleanup",
    }
    assert all(result.startswith("ok") for result in outcome.values()), outcome


def test_scheduling_is_idempotent_with_the_database_queue(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    call_command("schedule_daily_jobs")
    call_command("schedule_daily_jobs")
    queued = DBTaskResult.objects.filter(task_path="home.tasks.daily_jobs", status="READY")
    assert queued.count() == 1
    assert queued.get().run_after == tasks.next_run()
