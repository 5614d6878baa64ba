"""Re-run text extraction: after installing a better OCR, for versions that failed, or for one version.

    python manage.py extract_texts --status failed            # queue every failed version again
    python manage.py extract_texts --status pending --sync    # extract pending versions here, now
    python manage.py extract_texts --id 123 --sync
"""

from django.core.management.base import BaseCommand, CommandError

from registry.models import DocumentVersion, TextStatus


class Command(BaseCommand):
    help = "Queue (or run with --sync) text extraction of document versions."

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=[c for c, _label in TextStatus.choices], action="append")
        parser.add_argument("--id", type=int, action="append", dest="versions", help="a DocumentVersion id")
        parser.add_argument("--sync", action="store_true", help="extract in this process instead of queueing")
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, status=None, versions=None, sync=False, limit=None, **options):
        from search.tasks import extract_version_text

        if not status and not versions:
            raise CommandError("Give --status and/or --id.")
        selection = DocumentVersion.objects.all()
        if status:
            selection = selection.filter(text_status__in=status)
        if versions:
            selection = selection.filter(pk__in=versions)
        ids = list(selection.order_by("pk").values_list("pk", flat=True)[:limit])
        # Back to pending with a fresh attempt count, so the task (and beat) treat them as new.
        DocumentVersion.objects.filter(pk__in=ids).update(text_status=TextStatus.PENDING, text_attempts=0)
        outcomes: dict[str, int] = {}
        for version_id in ids:
            if sync:
                outcome = extract_version_text(version_id)
            else:
                extract_version_text.delay(version_id)
                outcome = "queued"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing selected"
        self.stdout.write(f"{len(ids)} versions – {summary}")
