"""On PostgreSQL, every statement that changes a page view restriction sends a
notification, whoever runs it (the admin, a bulk insert, a queryset update,
SQL), so that every process learns of it before its next request
(portal/restrictions.py). ENABLE ALWAYS: it fires in a replica session too.
Nothing on other databases: there the restrictions are read on every request."""

from django.db import migrations

# The names portal.restrictions listens for and checks (CHANNEL, TRIGGER).
CHANNEL = "portal_page_view_restrictions"
TRIGGER = "portal_page_view_restrictions_changed"
TABLE = "wagtailcore_pageviewrestriction"

CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', '');
        RETURN NULL;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    f"""CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()""",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {TRIGGER}",
]

# Listening processes are told, so that they stop relying on the trigger at once.
DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
    f"SELECT pg_notify('{CHANNEL}', 'stopped')",
]


def run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_workflow_czech_names"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
