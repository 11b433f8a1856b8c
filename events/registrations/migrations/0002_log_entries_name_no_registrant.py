"""Log entries about registrations no longer name the registrant.

The admin's log keeps the label an object had when the entry was written, and a
registration used to be labelled with the person's name. Those entries are
relabelled with the registration's number, as new entries are labelled.
(A registration e-mail's label never held personal data.)
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext


def relabel(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = ContentType.objects.filter(app_label="registrations", model="registration").first()
    if content_type is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for entry in ModelLogEntry.objects.filter(content_type=content_type).only("pk", "object_id").iterator():
            label = gettext("Registration #%(number)s") % {"number": entry.object_id}
            ModelLogEntry.objects.filter(pk=entry.pk).update(label=label)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
