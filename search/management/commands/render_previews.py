"""Render page previews of stored versions (PDFs and images): the ones still missing, for instance right after
this feature is deployed, or again after a failure (e.g. a program that was missing is installed now).

    python manage.py render_previews                 # queue every missing preview
    python manage.py render_previews --failed --sync # render failed ones again, here, now
    python manage.py render_previews --id 123 --sync
"""

from django.core.management.base import BaseCommand

from registry.models import DocumentVersion
from search import previews


class Command(BaseCommand):
    help = "Queue (or run with --sync) the page previews of document versions that have none (or failed)."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="also those whose preview failed")
        parser.add_argument("--id", type=int, action="append", dest="versions", help="a DocumentVersion id")
        parser.add_argument("--sync", action="store_true", help="render in this process instead of queueing")
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, failed=False, versions=None, sync=False, limit=None, **options):
        from search.tasks import render_version_preview

        selection = DocumentVersion.objects.filter(
            mime_type__in=sorted(previews.PDF_TYPES | previews.IMAGE_TYPES)
        ).defer("text").order_by("pk")
        if versions:
            selection = selection.filter(pk__in=versions)
        outcomes: dict[str, int] = {}
        done = 0
        for version in selection.iterator(chunk_size=500):
            if limit is not None and done >= limit:
                break
            manifest = previews.read_manifest(version)
            if manifest is not None and not (failed and manifest.get("status") == "failed"):
                continue
            if manifest is not None:
                previews.forget(version)
            if sync:
                outcome = render_version_preview(version.pk)
            else:
                render_version_preview.delay(version.pk)
                outcome = "queued"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            done += 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(f"{done} versions ({summary})")
