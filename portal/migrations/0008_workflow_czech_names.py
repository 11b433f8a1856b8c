"""The default publishing workflow and its task get Czech names: staff read them on the
editor's button ("Odeslat ke schválení (Schválení moderátorem)") and in the workflow lists.
Only the names the portal gave them are changed; a name the centre chose itself stays."""

from django.db import migrations

OLD = "Moderators approval"
NEW = "Schválení moderátorem"


def rename(apps, old, new):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_centre_map_and_accessibility")]

    operations = [migrations.RunPython(forwards, backwards)]
