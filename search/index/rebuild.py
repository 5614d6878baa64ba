"""Rebuild the whole index from the database: batches of ids, built and written by one or more processes.

Building a document is Python work (the Polish analysis of its text), so on a machine with several cores the
batches are shared by `workers` processes, each with its own database connection and its own transaction per batch.
The backend decides how the writes land (`rebuild_start`/`rebuild_write`/`rebuild_finish`): PostgreSQL upserts in
place, or bulk-loads an empty table with its indexes suspended; Elasticsearch fills a new index behind the alias."""

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from django.db import connections, transaction

from search.index.backends import get_backend, reset_backends

# No model import at module level: a spawned child imports this module (to find its functions) before django.setup().

BATCH = 500


def _write_batch(backend_name: str | None, token, kind: str, ids: list[int]) -> int:
    """Entries written (ids of records deleted meanwhile are simply absent)."""
    from search.index import documents

    backend = get_backend(backend_name)
    with transaction.atomic():
        docs = documents.build(kind, ids, backend.representations)
        backend.rebuild_write(token, list(docs.values()))
    return len(docs)


def _child_start(database: dict, search_settings: dict):
    """A fresh interpreter (spawned, not forked: a forked child would share, and on exit close, the parent's
    database socket) set up like the parent, on the parent's database (under tests, the test database)."""
    import django

    django.setup()
    from django.conf import settings

    for name, value in search_settings.items():
        setattr(settings, name, value)
    connections.close_all()
    connections["default"].settings_dict.update(database)
    reset_backends()


def counts() -> dict[str, int]:
    """Records of each kind (the progress bar's total, and the proportions `batches` interleaves by)."""
    from registry.models import Case, Delivery, Document

    return {"delivery": Delivery.objects.count(), "case": Case.objects.count(), "document": Document.objects.count()}


def batches(batch: int = BATCH):
    """(kind, ids) batches of every kind, interleaved in proportion to their counts (a delivery batch, two
    document batches, …): the entries of each kind are spread over the whole table, as everyday registration
    leaves them, rather than in long runs of one kind. A bounded scan ("the first 5,000 matches" for facets) then
    meets a fair mix of kinds, and the planner's estimates (which assume no such runs) hold."""
    from search.index import documents

    sizes = counts()
    streams = {kind: documents.all_ids(kind, chunk=batch) for kind in documents.KINDS}
    done = dict.fromkeys(streams, 0)
    while streams:
        kind = min(streams, key=lambda k: (done[k] / max(sizes[k], 1), documents.KINDS.index(k)))
        ids = next(streams[kind], None)
        if ids is None:
            del streams[kind]
            continue
        done[kind] += len(ids)
        yield kind, ids


def rebuild(
    backend_name: str | None = None,
    *,
    batch: int = BATCH,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Returns the number of entries written. `progress(n)` is called after every batch with its size."""
    backend = get_backend(backend_name)
    token = backend.rebuild_start()
    try:
        if workers <= 1:
            written = 0
            for kind, ids in batches(batch):
                written += _write_batch(backend_name, token, kind, ids)
                if progress:
                    progress(len(ids))
        else:
            written = _parallel(backend_name, token, batch, workers, progress)
    except BaseException:
        backend.rebuild_abort(token)
        raise
    backend.rebuild_finish(token)
    return written


def _parallel(backend_name, token, batch, workers, progress) -> int:
    from django.conf import settings

    search_settings = {
        name: getattr(settings, name)
        for name in ("SEARCH_BACKEND", "ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX_PREFIX")
        if hasattr(settings, name)
    }
    ctx = multiprocessing.get_context("spawn")
    initargs = (dict(connections["default"].settings_dict), search_settings)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_child_start, initargs=initargs) as pool:
        pending = {}  # future -> batch size
        written = 0
        for kind, ids in batches(batch):
            pending[pool.submit(_write_batch, backend_name, token, kind, ids)] = len(ids)
            if len(pending) >= workers * 2:  # bounded: ids are read as fast as batches are written
                written += _collect(pending, progress)
        while pending:
            written += _collect(pending, progress)
    return written


def _collect(pending: dict, progress) -> int:
    """Wait for at least one batch; remove the finished ones from `pending`; entries they wrote."""
    done, _running = wait(pending, return_when=FIRST_COMPLETED)
    written = 0
    for future in done:
        written += future.result()  # a failed batch fails the rebuild (the caller aborts it)
        size = pending.pop(future)
        if progress:
            progress(size)
    return written
