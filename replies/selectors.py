from registry.access import scope_for
from replies.models import CaseProposal


def visible_proposals(delivery, user) -> list[CaseProposal]:
    """Open proposals for the delivery, only those whose case the user may see (the others are not mentioned)."""
    if delivery.case_id:  # attached meanwhile (e.g. from the register): nothing left to propose
        return []
    proposals = list(
        CaseProposal.objects.filter(delivery=delivery, state=CaseProposal.State.PROPOSED)
        .select_related("case", "case__unit", "case__case_worker")
    )
    if not proposals:
        return []
    from registry.models import Case

    visible = set(scope_for(user).cases(Case.objects.filter(pk__in=[p.case_id for p in proposals]))
                  .values_list("pk", flat=True))
    return [p for p in proposals if p.case_id in visible]
