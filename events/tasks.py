"""Background work for registrations (django-tasks; `manage.py db_worker` runs them).

`send_reminders`, `purge_registrations` and `retry_registration_emails` are
also management commands, so cron (or any scheduler) can run them daily.
"""

from django_tasks import task


@task()
def send_registration_email(email_id: int) -> str:
    """Send one outbox e-mail. A failure is recorded on the row and retried later, never lost."""
    from events.emails import deliver

    return deliver(email_id=email_id)


@task()
def send_reminders() -> int:
    from events.services import reminders_send

    return reminders_send()


@task()
def purge_registrations() -> int:
    from events.services import registrations_purge

    return registrations_purge()


@task()
def retry_registration_emails() -> int:
    from events.services import emails_retry

    return emails_retry()
