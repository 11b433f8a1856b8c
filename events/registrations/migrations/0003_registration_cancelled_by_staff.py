from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def split_cancellations(apps, schema_editor):
    """Registrations the centre cancelled (with its date or event) become "cancelled by staff".

    The centre's cancellation is recognised by the "date cancelled" e-mail sent for
    the registration's own date (or, for a whole-series registration, for the whole
    event). Other cancellations cannot be told apart and stay "by the registrant".
    """
    Registration = apps.get_model("registrations", "Registration")
    RegistrationEmail = apps.get_model("registrations", "RegistrationEmail")
    told = RegistrationEmail.objects.filter(registration=OuterRef("pk"), kind="date_cancelled").filter(
        Q(event_date=OuterRef("event_date")) | Q(event_date__isnull=True, registration__event_date__isnull=True)
    )
    Registration.objects.filter(status="cancelled").filter(Exists(told)).update(status="cancelled_by_staff")


def join_cancellations(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    Registration.objects.filter(status="cancelled_by_staff").update(status="cancelled")


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_log_entries_name_no_registrant"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="status",
            field=models.CharField(
                choices=[
                    ("confirmed", "Confirmed"),
                    ("waitlisted", "On the waiting list"),
                    ("cancelled", "Cancelled by the registrant"),
                    ("cancelled_by_staff", "Cancelled by staff"),
                    ("attended", "Attended"),
                    ("no_show", "Did not come"),
                ],
                default="confirmed",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(split_cancellations, join_cancellations),
    ]
