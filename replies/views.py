from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from replies import services
from replies.models import CaseProposal
from replies.selectors import visible_proposals
from workflow import rules
from workflow.models import WorkTask
from workflow.services import WorkflowError


def _task_and_proposal(request, task_pk, pk):
    task = get_object_or_404(WorkTask.objects.select_related("delivery"), pk=task_pk)
    if task.delivery is None or not (rules.can_execute(request.user, task) or rules.can_claim(request.user, task)):
        raise Http404
    proposal = next((p for p in visible_proposals(task.delivery, request.user) if p.pk == int(pk)), None)
    if proposal is None:
        # Decided already (a second submission) or a case this user may not see: both look alike.
        done = CaseProposal.objects.filter(pk=pk, delivery=task.delivery).exclude(
            state=CaseProposal.State.PROPOSED).exists()
        if not done:
            raise Http404
    return task, proposal


@login_required
@require_POST
def accept(request, task_pk, pk):
    task, proposal = _task_and_proposal(request, task_pk, pk)
    if proposal is None:
        messages.info(request, _("This proposal has already been decided."))
        return redirect("workflow:task", pk=task.pk)
    try:
        services.accept(proposal.pk, task_id=task.pk, user=request.user)
    except (WorkflowError, ValidationError) as e:
        messages.error(request, " ".join(e.messages) if isinstance(e, ValidationError) else str(e))
        return redirect("workflow:task", pk=task.pk)
    messages.success(request, _("The delivery was attached to case %(sign)s.") % {"sign": proposal.case.sign})
    return redirect("workflow:tasks")


@login_required
@require_POST
def decline(request, task_pk, pk):
    task, proposal = _task_and_proposal(request, task_pk, pk)
    if proposal is not None:
        services.decline(proposal.pk, delivery_id=task.delivery_id, user=request.user)
        messages.success(request, _("The proposal was declined."))
    return redirect("workflow:task", pk=task.pk)
