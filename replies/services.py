"""Writes of case proposals: store what matching found; accept (attach through the dekretacja service, with the
proposal in the metryka, in one transaction) or decline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Action
from registry.services.history import record
from replies.matching import find_cases
from replies.models import CaseProposal


def propose(delivery) -> list[CaseProposal]:
    """Idempotent: running it again for the same delivery adds only cases not proposed before."""
    created = []
    if delivery.case_id:
        return created
    for match in find_cases(delivery):
        proposal, new = CaseProposal.objects.get_or_create(
            delivery=delivery, case=match.case, defaults={"basis": match.basis, "detail": match.detail[:200]},
        )
        if new:
            created.append(proposal)
    return created


def explain(proposal) -> str:
    return _("%(basis)s (%(detail)s)") % {"basis": proposal.get_basis_display(), "detail": proposal.detail}


def _locked(proposal_id, delivery_id) -> CaseProposal:
    proposal = (CaseProposal.objects.select_for_update().select_related("case", "delivery")
                .filter(pk=proposal_id, delivery_id=delivery_id).first())
    if proposal is None:
        raise ValidationError(_("This proposal does not exist."))
    return proposal


def accept(proposal_id, *, task_id, user):
    """Attach the delivery to the proposed case by completing the dekretacja task `task_id` (its "handle" step).
    A second submission finds the proposal accepted and does nothing."""
    from workflow import services as workflow_services
    from workflow.models import WorkTask

    task = WorkTask.objects.filter(pk=task_id).first()
    delivery_id = getattr(task.coerced_process, "delivery_id", None) if task is not None else None
    if delivery_id is None:
        raise ValidationError(_("This task does not exist."))
    with transaction.atomic():
        proposal = _locked(proposal_id, delivery_id)
        if proposal.state == CaseProposal.State.ACCEPTED:
            return proposal
        if proposal.state == CaseProposal.State.DECLINED:
            raise ValidationError(_("This proposal was declined."))
        case = workflow_services.handle_delivery(task_id, user=user, case=proposal.case)
        proposal.state, proposal.decided_by, proposal.decided_at = (
            CaseProposal.State.ACCEPTED, user, timezone.now())
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
        CaseProposal.objects.filter(delivery_id=delivery_id, state=CaseProposal.State.PROPOSED).update(
            state=CaseProposal.State.DECLINED, decided_by=user, decided_at=proposal.decided_at)
        record(
            user, Action.OTHER,
            _("Delivery %(rpw)s attached to case %(sign)s as the system proposed: %(why)s.")
            % {"rpw": proposal.delivery.rpw, "sign": case.sign, "why": explain(proposal)},
            case=case, delivery=proposal.delivery,
            data={"proposal": proposal.pk, "basis": proposal.basis, "detail": proposal.detail},
        )
    return proposal


def decline(proposal_id, *, delivery_id, user) -> CaseProposal:
    with transaction.atomic():
        proposal = _locked(proposal_id, delivery_id)
        if proposal.state != CaseProposal.State.PROPOSED:
            return proposal
        proposal.state, proposal.decided_by, proposal.decided_at = (
            CaseProposal.State.DECLINED, user, timezone.now())
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
        # On the delivery only: the case it was not attached to is none of its business.
        record(
            user, Action.OTHER,
            _("Proposed case declined for delivery %(rpw)s: %(why)s.")
            % {"rpw": proposal.delivery.rpw, "why": explain(proposal)},
            delivery=proposal.delivery, data={"proposal": proposal.pk, "basis": proposal.basis},
        )
    return proposal
