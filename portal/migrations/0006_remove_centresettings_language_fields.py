"""Step 3 of 3: no field of the centre's settings is named after a language."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_centre_texts_from_fields"),
    ]

    operations = [
        migrations.RemoveField(model_name="centresettings", name="name"),
        migrations.RemoveField(model_name="centresettings", name="name_en"),
        migrations.RemoveField(model_name="centresettings", name="opening_hours"),
        migrations.RemoveField(model_name="centresettings", name="opening_hours_en"),
    ]
