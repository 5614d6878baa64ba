"""Rebuild the search index from the database (extracted text is read from the database: no OCR is repeated).

PostgreSQL: entries are upserted in place and stale ones removed at the end, so search keeps working throughout.
Elasticsearch: a new versioned index is filled and the alias is swapped atomically at the end (no downtime).
The outbox is left alone: changes made during the rebuild are applied by the drainer afterwards."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from registry.models import Case, Delivery, Document
from search.index import documents
from search.index.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the search index in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--backend", choices=["postgres", "elasticsearch"], default=None)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, batch, backend, no_progress, **options):
        be = get_backend(backend)
        token = be.rebuild_start()
        total = Delivery.objects.count() + Case.objects.count() + Document.objects.count()
        seen: dict[str, set[int]] = {k: set() for k in documents.KINDS}
        with tqdm(total=total, unit="rec", disable=no_progress, desc="search index") as bar:
            for kind in documents.KINDS:
                for ids in documents.all_ids(kind, chunk=batch):
                    with transaction.atomic():
                        docs = documents.build(kind, ids)
                        be.rebuild_write(token, list(docs.values()))
                    seen[kind].update(docs)
                    bar.update(len(ids))
        be.rebuild_finish(token, seen)
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(len(s) for s in seen.values())} records ({be.name})."))
