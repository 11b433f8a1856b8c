"""Background work for registrations (django-tasks; `manage.py db_worker` runs them).

The worker's schedule (home/tasks.py) queues `retry_registration_emails` every
minute while e-mails are due, and `send_reminders` and `purge_registrations`
daily. They are also management commands, for running by hand.
"""

from django_tasks import task


@task()
def send_registration_email(email_id: int) -> str:
    """Send one outbox e-mail. A failure is recorded on the row and retried with backoff, never lost."""
    from events.registrations.emails import deliver

    return deliver(email_id=email_id)


@task()
def send_reminders() -> int:
    from events.registrations.services.outbox import reminders_send

    return reminders_send()


@task()
def purge_registrations() -> int:
    from events.registrations.services.retention import registrations_purge

    return registrations_purge()


@task()
def retry_registration_emails() -> int:
    from events.registrations.services.outbox import emails_retry

    return emails_retry()
