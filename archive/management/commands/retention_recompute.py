"""Compute the retention of closed cases: `--missing` for cases closed before the archive app existed, without it
for every closed case (after the archive policy changed). Resumable: only changed rows are written."""

from django.core.management.base import BaseCommand, CommandError

from archive.services.retention import bulk_recompute
from organisation.models import User


class Command(BaseCommand):
    help = "Compute the retention of closed cases (backfill or after a change of the archive policy)."

    def add_arguments(self, parser):
        parser.add_argument("--actor", required=True, help="username recorded in the metryka (the archivist)")
        parser.add_argument("--missing", action="store_true", help="only closed cases without a retention yet")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, actor, missing, batch_size, **options):
        user = User.objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"No user {actor!r}.")
        stats = bulk_recompute(
            actor=user, only_missing=missing, batch_size=batch_size,
            progress=lambda s: self.stdout.write(f"{s['seen']:,} cases, {s['written']:,} written", ending="\r"),
        )
        self.stdout.write(f"\n{stats['seen']:,} closed cases checked, {stats['written']:,} retentions written.")
