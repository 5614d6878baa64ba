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
    call_command("search_rebuild", "--no-progress", "--workers", "1")  # one process: the data is uncommitted
    call_command("search_check", "--no-progress")
    assert "The index matches the database." in capsys.readouterr().out
    assert run_count(backend) == 9


def run_count(backend):
    return len(backend.hashes("delivery")) + len(backend.hashes("case")) + len(backend.hashes("document"))


def index_names():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'")
        return {r[0] for r in cur.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_bulk_rebuild_in_two_processes_suspends_and_restores_the_indexes(office, capsys):
    """Into an empty table the indexes are dropped and built at the end; two spawned processes share the batches
    (they read committed data through their own connections to the same database)."""
    from search.index import rebuild
    from search.index.backends import get_backend
    from search.index.backends.postgres import suspended_indexes

    backend = get_backend("postgres")
    build_corpus(office, backend)
    before = index_names()
    assert "search_entry_tsv" in before
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_entry")
    sizes = []
    assert rebuild.rebuild("postgres", batch=2, workers=2, progress=sizes.append) == 9
    assert sum(sizes) == 9 and max(sizes) == 2
    assert index_names() == before and suspended_indexes() == []
    call_command("search_check", "--no-progress")
    assert "The index matches the database." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_interrupted_bulk_rebuild_leaves_indexes_that_check_repairs(office, capsys, monkeypatch):
    from search.index import documents, rebuild
    from search.index.backends import get_backend
    from search.index.backends.postgres import PostgresBackend, suspended_indexes

    backend = get_backend("postgres")
    build_corpus(office, backend)
    before = index_names()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_entry")

    def boom(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(documents, "build", boom)
    with pytest.raises(RuntimeError):
        rebuild.rebuild("postgres", workers=1)
    assert index_names() == before  # the failed rebuild put them back itself

    # a process killed outright cannot clean up: the suspended indexes stay listed until a check repairs them
    monkeypatch.setattr(PostgresBackend, "rebuild_abort", lambda self, token: None)
    with pytest.raises(RuntimeError):
        rebuild.rebuild("postgres", workers=1)
    assert "search_entry_tsv" in suspended_indexes() and "search_entry_tsv" not in index_names()
    with pytest.raises(SystemExit):
        call_command("search_check", "--no-progress")
    assert "search_entry_tsv" in capsys.readouterr().out
    monkeypatch.undo()
    call_command("search_check", "--repair", "--no-progress")
    assert index_names() == before and suspended_indexes() == []


@pytest.mark.django_db(transaction=True)
def test_rebuild_in_place_keeps_the_indexes_and_drops_entries_of_records_that_are_gone(office):
    from search.index import rebuild
    from search.index.backends import get_backend

    backend = get_backend("postgres")
    build_corpus(office, backend)
    before = index_names()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO search_entry (kind, object_id, identifiers, display_id, title, subtitle, body, tsv, date,"
            " year, confidential, user_ids, register_entry, jrwa_symbol, channel, sender_name, status,"
            " archival_category, doc_kind, doc_hash, indexed_at) SELECT kind, 999999, identifiers, display_id,"
            " title, subtitle, body, tsv, date, year, confidential, user_ids, register_entry, jrwa_symbol, channel,"
            " sender_name, status, archival_category, doc_kind, doc_hash, now() - interval '1 minute'"
            " FROM search_entry WHERE kind = 'delivery' LIMIT 1"
        )
    assert rebuild.rebuild("postgres", workers=1) == 9
    assert 999999 not in backend.hashes("delivery")
    assert run_count(backend) == 9 and index_names() == before


def test_rebuild_batches_interleave_the_kinds(office, backend):
    from search.index import rebuild

    build_corpus(office, backend)  # 3 deliveries, 2 cases, 4 documents
    order = [kind for kind, _ids in rebuild.batches(batch=1)]
    assert sorted(order) == sorted(["delivery"] * 3 + ["case"] * 2 + ["document"] * 4)
    assert order[:3] == ["delivery", "case", "document"]  # not all deliveries first
    assert order.index("document") < order.index("delivery", 1)
