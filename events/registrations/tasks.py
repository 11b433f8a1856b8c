"""Scheduled work for registrations (django-tasks; `manage.py db_worker` runs them).

Each outbox e-mail is sent by its own task, `events.registrations.emails.send_registration_email`.

The worker's schedule (home/tasks.py) queues `retry_registration_emails` every
minute while e-mails are due, and `send_reminders` and `purge_registrations`
daily. They are also management commands, for running by hand.
"""

from django_tasks import task


@task()
def send_reminders() -> int:
    from events.registrations.services.outbox import reminders_send

    return reminders_send()


@task()
def purge_registrations() -> int:
    """Anonymise registrations past their retention, then the participant records nothing keeps any more."""
    from events.registrations.services.retention import participants_purge, registrations_purge

    count = registrations_purge()
    participants_purge()
    return count


@task()
def retry_registration_emails() -> int:
    from events.registrations.services.outbox import emails_retry

    return emails_retry()
