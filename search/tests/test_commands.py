import pytest
from django.core.management import call_command
from django.db import connection

from search.models import SearchOutbox
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


def test_rebuild_and_check_repair(office, backend, capsys):
    build_corpus(office, backend)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_entry WHERE kind = 'case'")
        cur.execute("UPDATE search_entry SET doc_hash = 'x' WHERE kind = 'document'")
        cur.execute(
            "INSERT INTO search_entry (kind, object_id, identifiers, display_id, title, subtitle, body, tsv, date,"
            " year,"
            " confidential, user_ids, register_entry, jrwa_symbol, channel, sender_name, status, archival_category,"
            " doc_kind, doc_hash, indexed_at) SELECT kind, 999999, identifiers, display_id, title, subtitle, body, tsv,"
            " date, year, confidential, user_ids, register_entry, jrwa_symbol, channel, sender_name, status,"
            " archival_category, doc_kind, doc_hash, now() FROM search_entry WHERE kind = 'delivery' LIMIT 1"
        )
    with pytest.raises(SystemExit):
        call_command("search_check", "--no-progress")
    out = capsys.readouterr().out
    assert "missing: 2" in out and "stale: 4" in out and "orphaned: 1" in out
    call_command("search_check", "--repair", "--no-progress")
    call_command("search_check", "--no-progress")
    assert "The index matches the database." in capsys.readouterr().out
    assert not SearchOutbox.objects.exists()

    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_entry")
    call_command("search_rebuild", "--no-progress")
    call_command("search_check", "--no-progress")
    assert "The index matches the database." in capsys.readouterr().out
