"""Step 3 of 3: the translation fields are required, and no field is named after a language."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_eventdate_reasons_per_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="eventdate",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="eventdate",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=models.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="eventdate",
            unique_together={("translation_key", "locale")},
        ),
        migrations.RemoveField(
            model_name="eventdate",
            name="cancellation_reason_en",
        ),
        migrations.AlterField(
            model_name="eventdate",
            name="cancellation_reason",
            field=models.CharField(
                blank=True,
                help_text="Shown publicly next to the date, and translated with the page.",
                max_length=255,
                verbose_name="reason for cancellation",
            ),
        ),
    ]
