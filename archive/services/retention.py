"""Writing the retention of a case: the `CaseRetention` row and its metryka entry, in the caller's transaction."""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import retention as rules
from archive.models import ArchivePolicy, CaseRetention, CategoryDecision
from registry.models import Action, Case, HistoryEntry
from registry.services.history import record


def recompute(case, *, actor, policy=None) -> CaseRetention | None:
    """Compute the retention of `case` again and record a change in the metryka; None while the case is open."""
    policy = policy or ArchivePolicy.current()
    with transaction.atomic():
        case = Case.objects.select_related("jrwa_class__version").get(pk=case.pk)
        existing = CaseRetention.objects.filter(case=case).first()
        result = rules.retention_for_case(case, policy)
        if result is None:
            if existing is not None:
                existing.delete()
                record(
                    actor, Action.RETENTION_WITHDRAWN,
                    _("Retention %(category)s withdrawn: the case is no longer closed.") % {
                        "category": existing.category},
                    case=case,
                )
            return None
        retention, jrwa_class = result
        values = asdict(retention) | {"jrwa_class": jrwa_class}
        if existing is not None and _same(existing, values):
            return existing
        row, _created = CaseRetention.objects.update_or_create(
            case=case, defaults=values | {"computed_at": timezone.now()}
        )
        record(
            actor, Action.RETENTION_SET,
            " ".join([rules.summary(retention) + ".", *rules.explain(retention, jrwa_class)]),
            case=case,
            data=_data(retention, jrwa_class),
        )
        return row


FIELDS = ["category", "kind", "years", "jrwa_class", "closed_on", "counted_from", "office_archive_from",
          "eligible_from", "review_from", "state_archive_from"]


def bulk_recompute(*, actor, only_missing=False, batch_size=5000, progress=None) -> dict:
    """Backfill (closed cases from before the archive existed) or recompute after a policy change, in batches that
    each commit on their own: a row and its metryka entry are written only where the retention changed, so running
    it again after an interruption resumes without duplicating anything."""
    policy = ArchivePolicy.current()
    stats = {"seen": 0, "written": 0}
    qs = Case.objects.filter(status="closed").order_by("pk")
    if only_missing:
        qs = qs.filter(retention__isnull=True)
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk).select_related("jrwa_class__version")[:batch_size])
        if not batch:
            return stats
        last_pk = batch[-1].pk
        with transaction.atomic():
            existing = {r.case_id: r for r in CaseRetention.objects.filter(case__in=batch)}
            decisions = dict(CategoryDecision.objects.filter(case__in=batch).values_list("case_id", "category"))
            rows, entries, now = [], [], timezone.now()
            name = actor.get_full_name() or actor.username
            for case in batch:
                result = rules.retention_for_case(case, policy, decisions)
                if result is None:
                    continue
                retention, jrwa_class = result
                values = asdict(retention) | {"jrwa_class": jrwa_class}
                old = existing.get(case.pk)
                if old is not None and _same(old, values):
                    continue
                rows.append(CaseRetention(case=case, computed_at=now, **values))
                entries.append(HistoryEntry(
                    actor=actor, actor_name=name, actor_position=getattr(actor, "position_title", ""),
                    action=Action.RETENTION_SET, case=case, at=now,
                    description=" ".join([rules.summary(retention) + ".", *rules.explain(retention, jrwa_class)]),
                    data=_data(retention, jrwa_class),
                ))
            CaseRetention.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["case"], update_fields=[*FIELDS, "computed_at"]
            )
            HistoryEntry.objects.bulk_create(entries)
        stats["seen"] += len(batch)
        stats["written"] += len(rows)
        if progress:
            progress(stats)


def _same(row, values) -> bool:
    # Compare the class by id: reading row.jrwa_class would cost a query per case.
    return row.jrwa_class_id == values["jrwa_class"].pk and all(
        getattr(row, k) == values[k] for k in FIELDS if k != "jrwa_class"
    )


def _data(retention, jrwa_class) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(retention).items()} | {
        "jrwa_class": jrwa_class.pk}
