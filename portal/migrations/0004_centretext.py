"""The centre's name and opening hours become one row per language (step 1 of 3)."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_scheduled_job"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CentreText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("name", models.CharField(blank=True, max_length=200, verbose_name="name")),
                (
                    "opening_hours",
                    models.TextField(blank=True, help_text="One line per day or period.", verbose_name="opening hours"),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="language",
                    ),
                ),
                (
                    "settings",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="texts",
                        to="portal.centresettings",
                    ),
                ),
            ],
            options={
                "verbose_name": "centre text",
                "verbose_name_plural": "centre texts",
                "ordering": ["sort_order"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(fields=("settings", "locale"), name="portal_centretext_one_per_locale")
                ],
            },
        ),
    ]
