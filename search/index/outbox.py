"""Draining the search outbox: the one path by which changes reach the index.

Triggers (migration 0002) insert (kind, object_id) rows in the same transaction as every change. `drain()` takes
a batch with FOR UPDATE SKIP LOCKED, re-reads the records from the database, writes them to the active backend
and deletes the rows, all in one transaction: if the backend (Elasticsearch) or the worker fails, the rows stay
and the next run catches up. An advisory lock keeps one drainer at a time, so an older read can never overwrite
a newer one.
"""

import logging

from django.db import connection, transaction

from registry.models import Delivery, Document
from search.index import documents
from search.index.backends import get_backend

log = logging.getLogger(__name__)
BATCH = 500
LOCK_KEY = 0x0B1E6_5EA  # pg_advisory_xact_lock key of the drainer


def expand(rows: list[tuple[str, int]]) -> dict[str, set[int]]:
    """Outbox rows -> the index entries to rebuild (trees bring their dependants)."""
    out: dict[str, set[int]] = {k: set() for k in documents.KINDS}
    case_trees, delivery_trees = set(), set()
    for kind, oid in rows:
        if kind == "case_tree":
            case_trees.add(oid)
            out["case"].add(oid)
        elif kind == "delivery_tree":
            delivery_trees.add(oid)
            out["delivery"].add(oid)
        else:
            out[kind].add(oid)
    if case_trees:
        out["delivery"].update(Delivery.objects.filter(case_id__in=case_trees).values_list("pk", flat=True))
        out["document"].update(Document.objects.filter(case_id__in=case_trees).values_list("pk", flat=True))
    if delivery_trees:
        out["document"].update(Document.objects.filter(delivery_id__in=delivery_trees).values_list("pk", flat=True))
    return out


def reindex(targets: dict[str, set[int]], backend=None) -> int:
    backend = backend or get_backend()
    written = 0
    for kind, ids in targets.items():
        ids = sorted(ids)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            docs = documents.build(kind, chunk, backend.representations)
            backend.upsert(list(docs.values()))
            gone = [(kind, oid) for oid in chunk if oid not in docs]
            if gone:
                backend.delete(gone)
            written += len(chunk)
    return written


def drain(batch: int = BATCH, backend=None) -> tuple[int, int]:
    """Process one batch. Returns (rows processed, rows left). Zero processed when another drainer is busy."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        if not cur.fetchone()[0]:
            return 0, pending()
        cur.execute(
            "SELECT id, kind, object_id FROM search_outbox ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", [batch]
        )
        rows = cur.fetchall()
        if rows:
            reindex(expand([(k, o) for _i, k, o in rows]), backend)
            cur.execute("DELETE FROM search_outbox WHERE id = ANY(%s)", [[r[0] for r in rows]])
    return len(rows), pending()


def drain_all(backend=None, batch: int = BATCH) -> int:
    total = 0
    while True:
        done, left = drain(batch, backend)
        total += done
        if not done or not left:
            return total


def pending() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM (SELECT 1 FROM search_outbox LIMIT 100000) q")
        return cur.fetchone()[0]
