"""Contact form messages: stored in the request, e-mailed to the centre by the worker after the commit
(retried with backoff), and deleted after the retention period."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from portal.jobs import PRIORITY_MESSAGE
from website.models import ContactPage, ContactSubmission

logger = logging.getLogger(__name__)

#: A message its task has not sent within this time is sent by `contact_emails_retry()`.
EMAIL_RETRY_AFTER = dt.timedelta(minutes=5)
#: The waits after each failed attempt; after the last one the e-mail is marked failed.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
DEFAULT_RETENTION_DAYS = 180


class ContactError(Exception):
    """A contact message could not be handled."""


def _json_ready(data: dict) -> dict:
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def contact_submission_create(*, page: ContactPage, data: dict) -> ContactSubmission:
    """Store a message (only the fields staff built) and queue its e-mail to the centre after the commit."""
    from website.forms import SPAM_FIELDS

    submission = ContactSubmission.objects.create(
        page=page,
        form_data=_json_ready({name: value for name, value in data.items() if name not in SPAM_FIELDS}),
        email_next_attempt_at=timezone.now() + EMAIL_RETRY_AFTER,
    )
    transaction.on_commit(lambda: _enqueue(submission.pk))
    return submission


def _enqueue(submission_id: int) -> None:
    try:
        send_contact_email.enqueue(submission_id)
    except Exception:
        # The message stays pending; `contact_emails_retry` sends it later.
        logger.exception("Could not enqueue the e-mail of contact message %s", submission_id)


def _centre_address(page: ContactPage) -> str:
    from portal.models import CentreSettings

    site = page.get_site()
    return CentreSettings.for_site(site).email if site is not None else ""


def _reply_to(page: ContactPage, data: dict) -> list[str]:
    emails = [data.get(field.clean_name) for field in page.get_form_fields() if field.field_type == "email"]
    return [email for email in emails if email][:1]


def _message(submission: ContactSubmission, recipient: str) -> EmailMultiAlternatives:
    page = submission.page.specific
    data = submission.get_data()
    labels = {field.clean_name: field.label for field in page.get_form_fields()}
    rows = [(labels.get(name, name), value) for name, value in data.items() if name != "submit_time"]
    context = {"page": page, "rows": rows, "submission": submission}
    # Staff read these e-mails in the centre's own language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Message from the contact form: %(page)s") % {"page": page.title}
        text = render_to_string("emails/contact_submission.txt", context)
        html = render_to_string("emails/contact_submission.html", context)
    mail = EmailMultiAlternatives(subject, text, to=[recipient], reply_to=_reply_to(page, submission.form_data))
    mail.attach_alternative(html, "text/html")
    return mail


def contact_email_deliver(*, submission_id: int, now: dt.datetime | None = None) -> str:
    """Send one message's e-mail to the centre, unless it was sent already; returns the e-mail's state."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = (
            ContactSubmission.objects.select_for_update(skip_locked=True)
            .filter(pk=submission_id, email_state=ContactSubmission.EmailState.PENDING)
            .first()
        )
        if submission is None:
            state = ContactSubmission.objects.filter(pk=submission_id).values_list("email_state", flat=True).first()
            return state or "deleted"
        # Claimed for this attempt: no other worker picks it up meanwhile.
        submission.email_attempts += 1
        submission.email_next_attempt_at = now + EMAIL_RETRY_AFTER
        submission.save(update_fields=["email_attempts", "email_next_attempt_at"])
    recipient = _centre_address(submission.page.specific)
    try:
        if not recipient:
            raise ContactError("The centre settings have no e-mail address.")
        _message(submission, recipient).send()
    except Exception:
        logger.exception("Contact message %s: e-mail attempt %s failed", submission.pk, submission.email_attempts)
        if submission.email_attempts > len(RETRY_DELAYS):
            submission.email_state = ContactSubmission.EmailState.FAILED
            submission.email_next_attempt_at = None
        else:
            submission.email_next_attempt_at = now + RETRY_DELAYS[submission.email_attempts - 1]
        submission.save(update_fields=["email_state", "email_next_attempt_at"])
        return submission.email_state
    submission.email_state = ContactSubmission.EmailState.SENT
    submission.email_sent_at = timezone.now()
    submission.email_next_attempt_at = None
    submission.save(update_fields=["email_state", "email_sent_at", "email_next_attempt_at"])
    return submission.email_state


@task(priority=PRIORITY_MESSAGE)
def send_contact_email(submission_id: int) -> str:
    """The worker's task that sends one message's e-mail to the centre (queued after the commit)."""
    return contact_email_deliver(submission_id=submission_id)


def contact_emails_retry(*, now: dt.datetime | None = None) -> int:
    """Send the messages' e-mails that are due (retries, and first sends no task made). Returns how many were sent."""
    now = now or timezone.now()
    due = list(
        ContactSubmission.objects.email_due(now).order_by("email_next_attempt_at", "pk").values_list("pk", flat=True)
    )
    return sum(1 for pk in due if contact_email_deliver(submission_id=pk, now=now) == ContactSubmission.EmailState.SENT)


def retention_days() -> int:
    return int(getattr(settings, "CONTACT_SUBMISSION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def contact_submissions_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the messages older than the retention period. Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _rows = ContactSubmission.objects.past_retention(now, days=retention_days()).delete()
    return deleted
