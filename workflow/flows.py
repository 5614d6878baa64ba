"""The two fixed flows. Business meaning lives in data (routing rules, route versions), never in node names:
nodes are never renamed or removed after go-live (tasks reference them by name)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow import this
from viewflow.workflow import flow, lock

from organisation.models import Role, User
from workflow import routing
from workflow.models import ApprovalProcess, DeliveryProcess, WorkTask
from workflow.nodes import DataSplit, WorkView
from workflow.workdays import due_at


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class DeliveryFlow(flow.Flow):
    """Dekretacja: the clerk (or a routing rule) chooses the unit, the head assigns a case worker with an instruction
    and a due date or forwards to another unit, the case worker opens a case or attaches the delivery to one."""

    process_class = DeliveryProcess
    task_class = WorkTask
    lock_impl = lock.select_for_update_lock
    process_title = _("Dekretacja")
    process_description = _("Routing an incoming delivery to a unit and a case worker.")

    start = flow.StartHandle(this.start_process).Next(this.has_unit)
    has_unit = flow.If(this.unit_known).Then(this.decree).Else(this.choose_unit)
    choose_unit = WorkView(setup=this.setup_choose_unit).Annotation(title=_("Choose the unit")).Next(this.decree)
    decree = (
        WorkView(setup=this.setup_decree).Assign(this.head_of_unit).Annotation(title=_("Assign a case worker"))
        .Next(this.forwarded)
    )
    forwarded = flow.If(this.was_forwarded).Then(this.decree).Else(this.handle)
    handle = (
        WorkView(setup=this.setup_handle).Assign(this.chosen_worker).Annotation(title=_("Open or join a case"))
        .Next(this.end)
    )
    end = flow.End()

    def start_process(self, activation, delivery, unit=None, rule=None):
        activation.process.delivery = delivery
        activation.process.unit = unit
        activation.process.proposed_by_rule = rule
        return activation.process

    def unit_known(self, activation):
        return activation.process.unit_id is not None

    def _common(self, activation, label):
        task, process = activation.task, activation.process
        task.delivery = process.delivery
        task.label = f"{label}: {process.delivery.rpw} {process.delivery.subject}"[:300]

    def setup_choose_unit(self, activation):
        self._common(activation, _("Choose the unit"))
        activation.task.queue_role = Role.REGISTRY_CLERK
        activation.task.due_at = due_at(settings.WORKFLOW_CHOOSE_UNIT_WORKING_DAYS)

    def setup_decree(self, activation):
        self._common(activation, _("Assign a case worker"))
        activation.task.unit = activation.process.unit
        activation.task.queue_role = Role.HEAD
        activation.task.due_at = due_at(1)

    def head_of_unit(self, activation):
        return routing.unit_head(activation.process.unit)

    def was_forwarded(self, activation):
        return activation.process.data.get("last") == "forward"

    def setup_handle(self, activation):
        process = activation.process
        self._common(activation, _("Open or join a case"))
        activation.task.unit = process.unit
        activation.task.queue_role = Role.CASE_WORKER
        due = process.data.get("due_on")
        activation.task.due_at = _end_of(dt.date.fromisoformat(due)) if due else None
        activation.task.comment = process.data.get("instruction", "")

    def chosen_worker(self, activation):
        return User.objects.get(pk=activation.process.data["worker"])


class ApprovalFlow(flow.Flow):
    """The route interpreter: stages come from the route snapshot on the process; each stage fans out into one task
    per step (parallel), a Join waits for all (or any) approvals, a return goes back to the author and the route
    starts again from the stage the route names; after the last stage the registry clerks dispatch the document."""

    process_class = ApprovalProcess
    task_class = WorkTask
    lock_impl = lock.select_for_update_lock
    process_title = _("Approval")
    process_description = _("A document on its approval route.")

    start = flow.StartHandle(this.start_process).Next(this.next_stage)
    next_stage = flow.Function(this.advance_stage).Next(this.has_stage)
    has_stage = flow.If(this.stage_pending).Then(this.split).Else(this.needs_dispatch)
    split = DataSplit(this.stage_steps).Next(this.decide)
    decide = (
        WorkView(setup=this.setup_decide).Assign(this.step_owner).Annotation(title=_("Decide")).Next(this.join)
    )
    join = flow.Join(continue_on_condition=this.stage_settled).Next(this.outcome)
    outcome = (
        flow.Switch()
        .Case(this.next_stage, this.stage_approved)
        .Case(this.revise, this.stage_returned)
        .Default(this.rejected)
    )
    revise = (
        WorkView(setup=this.setup_revise).Assign(this.author_of).Annotation(title=_("Correct the document"))
        .Next(this.restart)
    )
    restart = flow.Function(this.restart_route).Next(this.next_stage)
    needs_dispatch = flow.If(this.dispatch_required).Then(this.dispatch).Else(this.approved)
    dispatch = WorkView(setup=this.setup_dispatch).Annotation(title=_("Dispatch")).Next(this.approved)
    approved = flow.Function(this.mark_approved).Next(this.end)
    rejected = flow.Function(this.mark_rejected).Next(this.end)
    end = flow.End()

    # --- start and stages ------------------------------------------------------------------------------------------
    def start_process(self, activation, case, document, author, version, route, flags=(), attachments=()):
        process = activation.process
        process.case, process.document, process.author = case, document, author
        process.route_version, process.route = version, route
        process.flags, process.attachments = list(flags), list(attachments)
        return process

    def advance_stage(self, activation):
        process = activation.process
        stages = process.route["stages"]
        index = process.stage_index + 1
        while index < len(stages) and not routing.stage_applies(
            stages[index], process.case, process.document, process.flags
        ):
            index += 1
        process.stage_index = index
        if index < len(stages):
            process.stage_seq += 1
        process.save(update_fields=["stage_index", "stage_seq"])

    def stage_pending(self, activation):
        return activation.process.current_stage is not None

    def stage_steps(self, activation):
        process = activation.process
        stage = process.current_stage
        items = []
        for number, step in enumerate(stage["steps"]):
            owner = routing.resolve_assignee(step, process.case)
            items.append({
                "stage": process.stage_index, "seq": process.stage_seq, "step": number, "owner": owner.pk,
                "kind": stage["kind"], "label": step["label"], "due_days": step["due_days"],
            })
        return items

    def setup_decide(self, activation):
        task, process = activation.task, activation.process
        stage = process.current_stage
        task.case, task.document, task.unit = process.case, process.document, process.case.unit
        task.label = f"{stage['name']} – {task.data['label']}: {process.document.title}"[:300]
        task.due_at = due_at(task.data["due_days"])

    def step_owner(self, activation):
        return User.objects.get(pk=activation.task.data["owner"])

    def _decisions(self, process):
        return list(
            WorkTask.objects.filter(process_id=process.pk, data__seq=process.stage_seq)
            .exclude(decision="").values_list("decision", flat=True)
        )

    def stage_settled(self, activation, active_tasks):
        """Stop waiting for the other parallel steps once the stage's result is known."""
        decisions = self._decisions(activation.process)
        if "reject" in decisions or "return" in decisions:
            return True
        mode = (activation.process.current_stage or {}).get("mode")
        return mode == "any" and "approve" in decisions

    def _stage_result(self, activation):
        decisions = self._decisions(activation.process)
        if "reject" in decisions:
            return "reject"
        if "return" in decisions:
            return "return"
        return "approve"

    def stage_approved(self, activation):
        return self._stage_result(activation) == "approve"

    def stage_returned(self, activation):
        return self._stage_result(activation) == "return"

    # --- corrections ---------------------------------------------------------------------------------------------
    def setup_revise(self, activation):
        task, process = activation.task, activation.process
        task.case, task.document, task.unit = process.case, process.document, process.case.unit
        task.label = f"{_('Correct the document')}: {process.document.title}"[:300]
        task.due_at = due_at(3)
        returned = (
            WorkTask.objects.filter(process_id=process.pk, data__seq=process.stage_seq, decision="return")
            .order_by("finished").last()
        )
        task.comment = returned.comment if returned else ""

    def author_of(self, activation):
        return activation.process.author

    def restart_route(self, activation):
        """Start again from the stage the returning stage names (its own order when empty)."""
        process = activation.process
        stages = process.route["stages"]
        target = (process.current_stage or {}).get("return_to") or (process.current_stage or {}).get("order")
        index = next((i for i, s in enumerate(stages) if s["order"] == target), process.stage_index)
        process.stage_index = index - 1
        process.save(update_fields=["stage_index"])

    # --- the end ----------------------------------------------------------------------------------------------------
    def dispatch_required(self, activation):
        return bool(activation.process.route.get("dispatch"))

    def setup_dispatch(self, activation):
        task, process = activation.task, activation.process
        task.case, task.document = process.case, process.document
        task.queue_role = Role.REGISTRY_CLERK
        task.label = f"{_('Dispatch')}: {process.case.sign} {process.document.title}"[:300]
        task.due_at = due_at(1)

    def mark_approved(self, activation):
        activation.process.outcome = "approved"
        activation.process.save(update_fields=["outcome"])

    def mark_rejected(self, activation):
        activation.process.outcome = "rejected"
        activation.process.save(update_fields=["outcome"])


# Titles of the nodes that are no human task. viewflow shows them only in the process chart, and without a title it
# shows the node's name in Title Case ("Next Stage"). Their own context: short words like "Approved" mean other
# things elsewhere. Set here, not on the nodes, so the flow definitions above stay as they are.
CHART_TITLES = {
    DeliveryFlow: {
        "start": pgettext_lazy("process chart", "Registered"),
        "has_unit": pgettext_lazy("process chart", "Unit known?"),
        "forwarded": pgettext_lazy("process chart", "Passed to another unit?"),
        "end": pgettext_lazy("process chart", "In a case"),
    },
    ApprovalFlow: {
        "start": pgettext_lazy("process chart", "Sent for approval"),
        "next_stage": pgettext_lazy("process chart", "Next stage"),
        "has_stage": pgettext_lazy("process chart", "Another stage?"),
        "split": pgettext_lazy("process chart", "The stage's steps"),
        "join": pgettext_lazy("process chart", "Decisions collected"),
        "outcome": pgettext_lazy("process chart", "Result of the stage"),
        "restart": pgettext_lazy("process chart", "Back on the route"),
        "needs_dispatch": pgettext_lazy("process chart", "To be dispatched?"),
        "approved": pgettext_lazy("process chart", "Approved"),
        "rejected": pgettext_lazy("process chart", "Rejected"),
        "end": pgettext_lazy("process chart", "End of the route"),
    },
}
for _flow_class, _titles in CHART_TITLES.items():
    for _name, _title in _titles.items():
        getattr(_flow_class, _name).Annotation(title=_title)
