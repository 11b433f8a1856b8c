"""The staff who publish the project pages keep the publicity obligations: the "Editors" and
"Moderators" groups may read and update the register and upload evidence; the "Moderators", who
approve what is published, also make and revoke the controllers' links. Settings → Groups can
change either."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["view_obligation", "change_obligation"],
    "Moderators": [
        "view_obligation",
        "change_obligation",
        "view_controllerlink",
        "add_controllerlink",
        "change_controllerlink",
    ],
}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="projects", codename__in=codenames))


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure these exist now.
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*_permissions(apps, codenames))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_controller_links_and_archiving_period"),
        ("portal", "0002_locales_groups_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
