"""Contact form messages hold personal data: the "Registration managers" group (the staff who
handle personal data) may read and delete them; Editors and Moderators get no such permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Registration managers"
CODENAMES = ["view_contactsubmission", "delete_contactsubmission"]


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("website")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="website", codename__in=CODENAMES)
    )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="website", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_contact_page"),
        ("events", "0005_registration_managers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
