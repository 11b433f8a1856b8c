"""The publicity report and its evidence hold no personal data, and the staff who publish the
project pages must see what the checker found: the "Editors" and "Moderators" groups may read
them (Settings → Groups can take it back)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAMES = ["Editors", "Moderators"]
CODENAME = "view_publicitycheck"


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this one exists now.
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="projects", codename=CODENAME).first()
    if permission is None:
        return
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="projects", codename=CODENAME).first()
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES):
        if permission is not None:
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_publicity_reason_in_each_language"),
        ("portal", "0002_locales_groups_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
