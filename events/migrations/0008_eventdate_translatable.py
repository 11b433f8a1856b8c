"""Event dates become translatable rows: each language's page keeps its own reason for cancelling.

Step 1 of 3: the translation fields, empty for now (see the next migration).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_registration_email_retry_backoff"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventdate",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="eventdate",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
    ]
