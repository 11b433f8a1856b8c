"""The database connection as production configures it (portal/settings/base.py).

On PostgreSQL the server binds query parameters, so a query run again with other
values is one statement, which psycopg prepares once it has run five times on a
connection: PostgreSQL then parses and plans it once per connection. CI runs the
suite on PostgreSQL, with this on; elsewhere this test is skipped with the reason shown.
"""

import pytest
from django.db import connection
from wagtail.models import Page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared_page_lookups() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    return [text for text in statements if 'FROM "wagtailcore_page" WHERE "wagtailcore_page"."slug" = $' in text]


def test_a_query_run_again_with_other_values_is_prepared_once_on_the_connection(site_homes):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; run with DATABASE_URL=postgres://…")
    slugs = list(Page.objects.exclude(slug="").values_list("slug", flat=True)[:7])
    assert len(slugs) == 7
    assert _prepared_page_lookups() == []

    for slug in slugs:
        assert Page.objects.filter(slug=slug).exists()

    # Seven runs with seven values: one statement, prepared once.
    assert len(_prepared_page_lookups()) == 1
