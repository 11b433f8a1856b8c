"""Step 2 of 3: the name and opening hours move into the default language's row, the English ones into the English row.

Backwards, the rows go back into the fields (the default language's into `name` and
`opening_hours`, the English ones into `name_en` and `opening_hours_en`).
"""

from django.conf import settings
from django.db import migrations

ENGLISH = "en"


def forwards(apps, schema_editor):
    CentreSettings = apps.get_model("portal", "CentreSettings")
    CentreText = apps.get_model("portal", "CentreText")
    Locale = apps.get_model("wagtailcore", "Locale")
    for centre in CentreSettings.objects.all():
        default, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        CentreText.objects.update_or_create(
            settings=centre,
            locale=default,
            defaults={"name": centre.name, "opening_hours": centre.opening_hours, "sort_order": 0},
        )
        if centre.name_en or centre.opening_hours_en:
            english, _created = Locale.objects.get_or_create(language_code=ENGLISH)
            CentreText.objects.update_or_create(
                settings=centre,
                locale=english,
                defaults={"name": centre.name_en, "opening_hours": centre.opening_hours_en, "sort_order": 1},
            )


def backwards(apps, schema_editor):
    CentreSettings = apps.get_model("portal", "CentreSettings")
    CentreText = apps.get_model("portal", "CentreText")
    for centre in CentreSettings.objects.all():
        for text in CentreText.objects.filter(settings=centre).select_related("locale"):
            code = text.locale.language_code
            if code == settings.LANGUAGE_CODE:
                centre.name = text.name or centre.name
                centre.opening_hours = text.opening_hours
            elif code == ENGLISH or code.startswith(ENGLISH + "-"):
                centre.name_en = text.name
                centre.opening_hours_en = text.opening_hours
        centre.save()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_centretext"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
