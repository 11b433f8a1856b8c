"""Registrations and their e-mail outbox, taken over from `events` (see events.0011).

The tables already exist under their old names; only Django's record of the
models is created here. The content types move too, so every permission that
a group holds on registrations (the "Registration managers") stays with it.
"""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.db import migrations, models


MODELS = ["registration", "registrationemail"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label="events", model=model).first()
        if old is None:
            continue
        if ContentType.objects.filter(app_label="registrations", model=model).exists():
            continue
        old.app_label = "registrations"
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="registrations", model__in=MODELS).update(app_label="events")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('events', '0011_registrations_move_to_their_app'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Registration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='public identifier')),
                        ('status', models.CharField(choices=[('confirmed', 'Confirmed'), ('waitlisted', 'On the waiting list'), ('cancelled', 'Cancelled'), ('attended', 'Attended'), ('no_show', 'Did not come')], default='confirmed', max_length=12, verbose_name='status')),
                        ('seats', models.PositiveSmallIntegerField(default=1, verbose_name='seats')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('note', models.TextField(blank=True, max_length=1000, verbose_name='note')),
                        ('language', models.CharField(default='cs', max_length=8, verbose_name='language')),
                        ('consent_at', models.DateTimeField(blank=True, null=True, verbose_name='privacy notice accepted at')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='registered at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                        ('anonymised_at', models.DateTimeField(blank=True, null=True, verbose_name='anonymised at')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='events.eventpage', verbose_name='event')),
                        ('event_date', models.ForeignKey(blank=True, help_text='Empty when the registration covers the whole series.', null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='registrations', to='events.eventdate', verbose_name='date')),
                    ],
                    options={
                        'verbose_name': 'registration',
                        'verbose_name_plural': 'registrations',
                        'db_table': 'events_registration',
                        'ordering': ['created_at', 'id'],
                        'permissions': [('export_registration', 'Can export registrations and personal data')],
                    },
                ),
                migrations.CreateModel(
                    name='RegistrationEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('confirmation', 'Confirmation'), ('waitlisted', 'Waiting list'), ('promoted', 'Moved up from the waiting list'), ('cancelled', 'Cancellation'), ('date_cancelled', 'Date cancelled'), ('reminder', 'Reminder')], max_length=20, verbose_name='kind')),
                        ('state', models.CharField(choices=[('pending', 'Waiting to be sent'), ('retrying', 'Failed, will be retried'), ('sent', 'Sent'), ('failed', 'Failed, no more attempts'), ('dropped', 'Not sent')], default='pending', max_length=10, verbose_name='state')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.CharField(blank=True, max_length=255, verbose_name='last error')),
                        ('next_attempt_at', models.DateTimeField(blank=True, help_text='When the worker tries to send it (again), unless its task sends it first.', null=True, verbose_name='next attempt')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('event_date', models.ForeignKey(blank=True, help_text='The date concerned.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='events.eventdate')),
                        ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='emails', to='registrations.registration')),
                    ],
                    options={
                        'verbose_name': 'registration e-mail',
                        'verbose_name_plural': 'registration e-mails',
                        'db_table': 'events_registrationemail',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='registration',
                    index=models.Index(fields=['event_date', 'status'], name='events_reg_date_status_idx'),
                ),
                migrations.AddIndex(
                    model_name='registration',
                    index=models.Index(fields=['event', 'status'], name='events_reg_event_status_idx'),
                ),
                migrations.AddIndex(
                    model_name='registration',
                    index=models.Index(fields=['email'], name='events_reg_email_idx'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.CheckConstraint(condition=models.Q(('seats__gte', 1)), name='events_registration_seats_gte_1'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.UniqueConstraint(condition=models.Q(('anonymised_at__isnull', True), ('event_date__isnull', False), ('status__in', ['confirmed', 'waitlisted', 'attended', 'no_show'])), fields=('event_date', 'email'), name='events_registration_one_active_per_date'),
                ),
                migrations.AddConstraint(
                    model_name='registration',
                    constraint=models.UniqueConstraint(condition=models.Q(('anonymised_at__isnull', True), ('event_date__isnull', True), ('status__in', ['confirmed', 'waitlisted', 'attended', 'no_show'])), fields=('event', 'email'), name='events_registration_one_active_per_series'),
                ),
                migrations.AddIndex(
                    model_name='registrationemail',
                    index=models.Index(fields=['state', 'created_at'], name='events_regmail_state_idx'),
                ),
                migrations.AddIndex(
                    model_name='registrationemail',
                    index=models.Index(fields=['state', 'next_attempt_at'], name='events_regmail_due_idx'),
                ),
                migrations.AddConstraint(
                    model_name='registrationemail',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'reminder')), fields=('registration', 'event_date'), name='events_registration_one_reminder_per_date'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
