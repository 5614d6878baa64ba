"""Compare the database with the search index: missing, stale and orphaned entries; --repair fixes them
(through the outbox, the one path by which the index changes)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from search.index import documents
from search.index.backends import get_backend
from search.index.outbox import drain_all
from search.models import SearchOutbox


class Command(BaseCommand):
    help = "Report (and with --repair fix) differences between the database and the search index."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true")
        parser.add_argument("--backend", choices=["postgres", "elasticsearch"], default=None)
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, repair, backend, batch, no_progress, **options):
        be = get_backend(backend)
        if be.name == "postgres" and self._suspended_indexes(repair):
            raise SystemExit(1)
        problems = {"missing": [], "stale": [], "orphaned": []}
        for kind in documents.KINDS:
            indexed = be.hashes(kind)
            ids_seen = set()
            chunks = list(documents.all_ids(kind, chunk=batch))
            for ids in tqdm(chunks, desc=kind, disable=no_progress, unit="batch"):
                for oid, doc in documents.build(kind, ids, be.representations).items():
                    ids_seen.add(oid)
                    if oid not in indexed:
                        problems["missing"].append((kind, oid))
                    elif indexed[oid] != doc["doc_hash"]:
                        problems["stale"].append((kind, oid))
            problems["orphaned"] += [(kind, oid) for oid in indexed.keys() - ids_seen]
        for name, keys in problems.items():
            sample = ", ".join(f"{k}:{i}" for k, i in keys[:10])
            self.stdout.write(f"{name}: {len(keys)}" + (f" ({sample}{'…' if len(keys) > 10 else ''})" if keys else ""))
        bad = sum(len(v) for v in problems.values())
        if not bad:
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
            return
        if repair:
            with transaction.atomic():
                SearchOutbox.objects.bulk_create(
                    [SearchOutbox(kind=k, object_id=i) for keys in problems.values() for k, i in keys]
                )
            drain_all(be)
            self.stdout.write(self.style.SUCCESS(f"Repaired {bad} entries."))
        else:
            self.stdout.write(self.style.WARNING(f"{bad} differences; run with --repair to fix them."))
            raise SystemExit(1)

    def _suspended_indexes(self, repair: bool) -> bool:
        """Indexes a bulk load dropped and an interrupted rebuild did not put back; True if some remain."""
        from search.index.backends.postgres import restore_indexes, suspended_indexes

        names = suspended_indexes()
        if not names:
            return False
        self.stdout.write(f"indexes suspended by an interrupted rebuild: {', '.join(names)}")
        if repair:
            restore_indexes()
            self.stdout.write(self.style.SUCCESS(f"Rebuilt {len(names)} indexes."))
            return False
        self.stdout.write(self.style.WARNING("Searching is slow without them; run with --repair to rebuild them."))
        return True
