"""Give a deadline to every case that has none (cases opened before the deadlines module was installed).
Safe to run again: cases that have a deadline are skipped."""

from django.core.management.base import BaseCommand
from django.db import transaction

from deadlines.services import create_for_case
from registry.models import Case, CaseStatus


class Command(BaseCommand):
    help = "Create the statutory deadline of every case that has none."

    def handle(self, *args, **options):
        cases = Case.objects.filter(deadline__isnull=True).select_related("jrwa_class", "initiating_delivery")
        created = 0
        for case in cases.iterator(chunk_size=500):
            with transaction.atomic():
                deadline = create_for_case(case, actor=case.created_by)
                if deadline is not None and case.status == CaseStatus.CLOSED and case.closed_on:
                    deadline.completed_on = case.closed_on
                    deadline.completed_on_time = case.closed_on <= deadline.due_date
                    deadline.save(update_fields=["completed_on", "completed_on_time"])
                elif deadline is not None and case.status == CaseStatus.SUSPENDED:
                    deadline.state = "suspended"
                    deadline.save(update_fields=["state"])
                created += deadline is not None
        self.stdout.write(f"{created} deadlines created.")
