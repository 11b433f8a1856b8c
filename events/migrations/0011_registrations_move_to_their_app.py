"""Registrations and their e-mail outbox move to the `registrations` app.

Only Django's record of the models moves: the tables keep their names
(`events_registration`, `events_registrationemail`) and every row stays where it
is. `registrations.0001_initial` takes the models over, and moves their content
types, so the permissions that groups hold on them stay with the groups.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_remove_eventdate_cancellation_reason_en"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="registrationemail", name="registration"),
                migrations.RemoveField(model_name="registrationemail", name="event_date"),
                migrations.DeleteModel(name="Registration"),
                migrations.DeleteModel(name="RegistrationEmail"),
            ],
            database_operations=[],
        ),
    ]
