import datetime as dt

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

# Rows that had failed fewer times than this keep being retried (the last delay in events.emails is 12 h).
MAX_ATTEMPTS = 7


def schedule_waiting_emails(apps, schema_editor):
    """Failed rows with attempts left wait for a retry now; pending rows are due five minutes after creation."""
    RegistrationEmail = apps.get_model("events", "RegistrationEmail")
    RegistrationEmail.objects.filter(state="failed", attempts__lt=MAX_ATTEMPTS).update(
        state="retrying", next_attempt_at=timezone.now()
    )
    RegistrationEmail.objects.filter(state="pending").update(next_attempt_at=F("created_at") + dt.timedelta(minutes=5))


def unschedule_waiting_emails(apps, schema_editor):
    RegistrationEmail = apps.get_model("events", "RegistrationEmail")
    RegistrationEmail.objects.filter(state="retrying").update(state="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_eventdate_cancellation_reason_en"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrationemail",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the worker tries to send it (again), unless its task sends it first.",
                null=True,
                verbose_name="next attempt",
            ),
        ),
        migrations.AlterField(
            model_name="registrationemail",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to be sent"),
                    ("retrying", "Failed, will be retried"),
                    ("sent", "Sent"),
                    ("failed", "Failed, no more attempts"),
                    ("dropped", "Not sent"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="registrationemail",
            index=models.Index(fields=["state", "next_attempt_at"], name="events_regmail_due_idx"),
        ),
        migrations.RunPython(schedule_waiting_emails, unschedule_waiting_emails),
    ]
