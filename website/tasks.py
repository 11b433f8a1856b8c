"""Scheduled work of the website pages (django-tasks; `manage.py db_worker` runs them).

Each contact message's e-mail is sent by its own task after the commit
(`website.services.contact.send_contact_email`). The
worker's schedule (home/tasks.py) queues `retry_contact_emails` every minute
while e-mails are due, and `purge_contact_submissions` daily.
"""

from django_tasks import task


@task()
def retry_contact_emails() -> int:
    from website.services.contact import contact_emails_retry

    return contact_emails_retry()


@task()
def purge_contact_submissions() -> int:
    from website.services.contact import contact_submissions_purge

    return contact_submissions_purge()
