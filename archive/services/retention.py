"""Writing the retention of a case: the `CaseRetention` row and its metryka entry, in the caller's transaction."""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive import retention as rules
from archive.models import ArchivePolicy, CaseRetention
from registry.models import Action, Case
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
        if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
            return existing
        row, _created = CaseRetention.objects.update_or_create(
            case=case, defaults=values | {"computed_at": timezone.now()}
        )
        record(
            actor, Action.RETENTION_SET,
            " ".join([rules.summary(retention) + ".", *rules.explain(retention, jrwa_class)]),
            case=case,
            data={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(retention).items()}
            | {"jrwa_class": jrwa_class.pk},
        )
        return row


def recompute_all(*, actor, batch_size=2000) -> int:
    """After a policy change: recompute every closed case (in batches, each its own transaction)."""
    policy = ArchivePolicy.current()
    changed = 0
    ids = list(Case.objects.filter(status="closed").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        for case in Case.objects.filter(pk__in=ids[start:start + batch_size]).select_related("jrwa_class__version"):
            before = CaseRetention.objects.filter(case=case).values_list("computed_at", flat=True).first()
            row = recompute(case, actor=actor, policy=policy)
            changed += row is not None and row.computed_at != before
    return changed
