"""Rebuild the search index from the database (extracted text is read from the database: no OCR is repeated).

PostgreSQL: entries are upserted in place and stale ones removed at the end, so search keeps working throughout;
into an empty table (first build) the indexes are suspended and built once at the end.
Elasticsearch: a new versioned index is filled and the alias is swapped atomically at the end (no downtime).
The outbox is left alone: changes made during the rebuild are applied by the drainer afterwards.
`--workers N` shares the batches among N processes (the Polish analysis is the costly part)."""

import os

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.index import rebuild
from search.index.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the search index in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=rebuild.BATCH)
        parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                            help="processes building documents (default: the number of cores, at most 4)")
        parser.add_argument("--backend", choices=["postgres", "elasticsearch"], default=None)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, batch, workers, backend, no_progress, **options):
        total = sum(rebuild.counts().values())
        with tqdm(total=total, unit="rec", disable=no_progress, desc="search index") as bar:
            n = rebuild.rebuild(backend, batch=batch, workers=workers, progress=bar.update)
        name = get_backend(backend).name
        self.stdout.write(self.style.SUCCESS(f"Indexed {n} records ({name})."))
