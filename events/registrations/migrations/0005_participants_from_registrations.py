"""Every registration made before participants existed gets its participant (one per e-mail address),
and the attendance recorded on a per-date registration becomes an attendance of its date."""

from django.db import migrations


def forwards(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    Participant = apps.get_model("registrations", "Participant")
    Attendance = apps.get_model("registrations", "Attendance")
    by_email = {}
    registrations = Registration.objects.filter(anonymised_at__isnull=True, participant__isnull=True).order_by("id")
    for registration in registrations.iterator():
        email = (registration.email or "").strip().lower()
        participant = by_email.get(email) if email else None
        if participant is None:
            participant = Participant.objects.create(
                name=registration.name, email=email, phone=registration.phone, created_at=registration.created_at
            )
            if email:
                by_email[email] = participant
        registration.participant = participant
        registration.save(update_fields=["participant"])
        if registration.event_date_id and registration.status in ("attended", "no_show"):
            Attendance.objects.get_or_create(
                event_date_id=registration.event_date_id,
                participant=participant,
                defaults={
                    "registration": registration,
                    "status": "present" if registration.status == "attended" else "absent",
                    "recorded_at": registration.updated_at,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0004_term_participants_attendance")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
