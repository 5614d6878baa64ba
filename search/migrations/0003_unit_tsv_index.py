"""A GIN index on (unit_id, tsv) for narrow access scopes (a case worker's own unit AND a word), measured in
search/data/postgres_speed.md. It needs the btree_gin extension, which ships with PostgreSQL's contrib but not with the
embedded server of `./obieg.sh demo` (pgserver), and some hosted roles may not create extensions: the index is created
only where the extension can be had, and searching works (more slowly for narrow scopes) without it."""

import logging

from django.db import migrations

log = logging.getLogger(__name__)


def create_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin'")
        if cursor.fetchone() is None:
            log.warning("btree_gin is not available: search_entry_unit_tsv not created")
            return
        cursor.execute("SAVEPOINT unit_tsv_index")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_entry_unit_tsv ON search_entry USING gin (unit_id, tsv)"
            )
        except Exception as exc:  # e.g. no right to create extensions: keep going without the index
            cursor.execute("ROLLBACK TO SAVEPOINT unit_tsv_index")
            log.warning("search_entry_unit_tsv not created: %s", exc)
        else:
            cursor.execute("RELEASE SAVEPOINT unit_tsv_index")


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_unit_tsv")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_outbox_triggers")]

    operations = [migrations.RunPython(create_index, drop_index)]
