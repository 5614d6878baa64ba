"""Workflow writes. Every step runs under the flow lock (SELECT … FOR UPDATE on the process row) in one transaction
with the registry writes it causes (the metryka is written by `registry.services`)."""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from organisation.models import OrgUnit, Role, User
from registry.models import Action, Case, Delivery, Document
from registry.services import cases as case_services
from registry.services import deliveries as delivery_services
from registry.services import documents as document_services
from registry.services.history import record
from workflow import routing, rules
from workflow.flows import ApprovalFlow, DeliveryFlow
from workflow.models import ApprovalProcess, Decision, DeliveryProcess, RouteVersion, Stage, WorkTask


class WorkflowError(Exception):
    """A clear, user-facing refusal (someone else's task, a finished task, a route version that no longer exists)."""


DECISION_ACTIONS = {
    (Stage.Kind.OPINION, Decision.APPROVE): Action.OPINION,
    (Stage.Kind.APPROVAL, Decision.APPROVE): Action.APPROVED,
    (Stage.Kind.SIGNATURE, Decision.APPROVE): Action.SIGNED,
}


# --------------------------------------------------------------------------------------------------------------------
# Acting on a task: lock, re-read, check, do, advance
# --------------------------------------------------------------------------------------------------------------------
@contextmanager
def acting(task_id, user, *nodes):
    """`with acting(task_id, user, "decide") as (activation, principal):` — under the flow lock, in one transaction:
    the task is re-read and must be open and of that node; the user must own it, stand in for its owner (then
    `principal` is the owner) or be allowed to take it from the queue. The body does the domain work; leaving the
    block completes the task and advances the flow exactly once."""
    try:
        task = WorkTask.objects.get(pk=task_id)
    except (WorkTask.DoesNotExist, ValueError, TypeError):
        raise WorkflowError(_("This task does not exist.")) from None
    if task.flow_task is None:
        raise WorkflowError(_("This task belongs to a route step that no longer exists."))
    try:
        with task.activation() as activation:
            principal = _check(activation, user, nodes)
            yield activation, principal
            activation.task.done_by = user
            activation.task.on_behalf_of = principal
            activation.execute()
    except FlowLockFailed:
        raise WorkflowError(_("Someone else is working on this task right now. Try again in a moment.")) from None


FINISHED = (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)


def finished_message(task) -> str:
    who = task.done_by or task.owner
    if who:
        return _("This task is already finished (%(who)s).") % {"who": who}
    return _("This task is already finished.")


def _check(activation, user, nodes):
    task = activation.task
    if task.flow_task.name not in nodes:
        raise WorkflowError(_("This is not that kind of task."))
    if task.status in FINISHED:
        raise WorkflowError(finished_message(task))
    if task.status == STATUS.NEW:
        if not rules.can_claim(user, task):
            raise WorkflowError(_("This task is not for you."))
        activation.assign(user)
    try:
        principal_id = rules.acting_for(user, task)
    except PermissionError:
        raise WorkflowError(
            _("This task belongs to %(owner)s; you cannot act on it.") % {"owner": task.owner}
        ) from None
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    return User.objects.get(pk=principal_id) if principal_id else None


def claim(task_id, user) -> WorkTask:
    """Take an unassigned task from the queue."""
    with transaction.atomic():
        task = WorkTask.objects.filter(pk=task_id).first()
        if task is None:
            raise WorkflowError(_("This task does not exist."))
        with task.activation() as activation:
            task = activation.task
            if task.status != STATUS.NEW:
                raise WorkflowError(_("Someone has already taken this task."))
            if not rules.can_claim(user, task):
                raise WorkflowError(_("This task is not for you."))
            activation.assign(user)
            return task


# --------------------------------------------------------------------------------------------------------------------
# Dekretacja
# --------------------------------------------------------------------------------------------------------------------
def start_dekretacja(delivery, *, actor, unit=None, on_behalf_of=None) -> DeliveryProcess:
    """Send a registered delivery on its way. With `unit` the clerk has chosen; otherwise a routing rule may propose
    one (sent straight on when the rule says so), else the unit chosen at registration is applied when the office
    says so (WORKFLOW_APPLY_ADDRESSED_UNIT), and otherwise the choice waits in the registry clerks' queue."""
    with transaction.atomic():
        rule, note = None, ""
        if unit is None:
            proposed, rule = routing.propose_unit(delivery)
            if rule is not None and rule.auto:
                unit = proposed
                note = _("Proposed by routing rule “%(rule)s”.") % {"rule": rule}
            elif settings.WORKFLOW_APPLY_ADDRESSED_UNIT and routing.registration_unit(delivery) is not None:
                unit = routing.registration_unit(delivery)
                note = _("Unit chosen at registration.")
        if unit is not None:
            delivery_services.assign_delivery(delivery, actor=actor, unit=unit, note=note, on_behalf_of=on_behalf_of)
        return DeliveryFlow.start.run(delivery=delivery, unit=unit, rule=rule)


def choose_unit(task_id, *, user, unit: OrgUnit, note="") -> WorkTask:
    if unit is None or not unit.active:
        raise ValidationError({"unit": _("Choose an active unit.")})
    with acting(task_id, user, "choose_unit") as (activation, principal):
        process = activation.process
        delivery_services.assign_delivery(process.delivery, actor=user, unit=unit, note=note, on_behalf_of=principal)
        process.unit = unit
        process.save(update_fields=["unit"])
    return activation.task


def decree(task_id, *, user, worker: User | None = None, instruction="", due_on=None,
           forward_to: OrgUnit | None = None, reason="") -> WorkTask:
    """The head assigns the delivery to a case worker (instruction, due date) or forwards it to another unit."""
    with acting(task_id, user, "decree") as (activation, principal):
        process = activation.process
        if forward_to is not None:
            if not reason.strip():
                raise ValidationError({"reason": _("Give the reason for passing it to another unit.")})
            if forward_to.pk == process.unit_id or not forward_to.active:
                raise ValidationError({"forward_to": _("Choose another active unit.")})
            delivery_services.assign_delivery(
                process.delivery, actor=user, unit=forward_to, note=reason, on_behalf_of=principal, forwarded=True
            )
            process.unit = forward_to
            process.data = {**process.data, "last": "forward"}
        else:
            if worker is None:
                raise ValidationError({"worker": _("Choose the case worker.")})
            if not worker.memberships.filter(unit=process.unit, role__in=[Role.CASE_WORKER, Role.HEAD]).exists():
                raise ValidationError({"worker": _("%(who)s does not work in %(unit)s.")
                                       % {"who": worker, "unit": process.unit.symbol}})
            note = instruction.strip()
            if due_on:
                note = f"{note} " + _("Due by %(day)s.") % {"day": due_on.isoformat()}
            delivery_services.assign_delivery(
                process.delivery, actor=user, unit=process.unit, assignee=worker, note=note.strip(),
                on_behalf_of=principal,
            )
            process.data = {
                **process.data, "last": "assign", "worker": worker.pk, "instruction": instruction.strip(),
                "due_on": due_on.isoformat() if due_on else None,
            }
        process.save(update_fields=["unit", "data"])
        activation.task.comment = reason or instruction
    return activation.task


def handle_delivery(task_id, *, user, case: Case | None = None, jrwa_class=None, title="") -> Case:
    """The case worker opens a new case under a JRWA class, or attaches the delivery to an existing case."""
    with acting(task_id, user, "handle") as (activation, principal):
        process = activation.process
        delivery = Delivery.objects.get(pk=process.delivery_id)
        if case is not None:
            from registry.access import scope_for

            if not scope_for(user).can_see_case(case):
                raise ValidationError({"case": _("You cannot see this case.")})
            case_services.attach_delivery(case, delivery, actor=user, on_behalf_of=principal)
        else:
            case = case_services.open_case(
                actor=user, unit=process.unit, jrwa_class=jrwa_class, title=title or delivery.subject,
                case_worker=principal or user, delivery=delivery, on_behalf_of=principal,
            )
        activation.task.case = case
    return case


# --------------------------------------------------------------------------------------------------------------------
# Approval routes
# --------------------------------------------------------------------------------------------------------------------
def start_route(document: Document, *, actor, version_id=None, flags=(), attachments=(), on_behalf_of=None):
    """Send a draft on its route: the route chosen for the case (or `version_id`, e.g. from a form), snapshotted."""
    case = document.case
    if case is None:
        raise WorkflowError(_("Only a document in a case can go on an approval route."))
    if ApprovalProcess.objects.filter(document=document, finished__isnull=True).exists():
        raise WorkflowError(_("This document is already on a route."))
    if version_id is not None:
        version = RouteVersion.objects.filter(pk=version_id).select_related("route").first()
        if version is None:
            raise WorkflowError(_("This route version no longer exists; choose the route again."))
        if version.status != RouteVersion.Status.PUBLISHED:
            raise WorkflowError(_("This route version is not in use any more; choose the route again."))
    else:
        route = routing.choose_route(case, document)
        if route is None:
            raise WorkflowError(_("No approval route applies to this document and there is no default route."))
        version = route.published_version
    snap = routing.snapshot(version)
    problems = routing.validate_route(version, case)
    if problems:
        raise WorkflowError(" ".join(problems))
    attachments = [d.pk for d in Document.objects.filter(pk__in=[getattr(a, "pk", a) for a in attachments], case=case)]
    version_obj = document.current_version
    with transaction.atomic():
        process = ApprovalFlow.start.run(
            case=case, document=document, author=actor, version=version, route=snap, flags=flags,
            attachments=attachments,
        )
        record(
            actor, Action.ROUTE_STARTED,
            _("“%(title)s” (version %(number)s) sent on route “%(route)s” v%(v)s.")
            % {"title": document.title, "number": version_obj.number if version_obj else "—",
               "route": snap["name"], "v": snap["version"]},
            case=case, document=document, document_version=version_obj, on_behalf_of=on_behalf_of,
            data={"process": process.pk, "route_version": version.pk},
        )
    return process


def decide(task_id, *, user, decision: str, comment="", upload=None) -> WorkTask:
    """Approve, return for corrections (with a comment) or reject; recorded with the document version seen.
    At a signature stage `upload` is the file signed outside the system: it becomes a new version, and a stage that
    requires a valid signature refuses to complete (nothing is stored) until the current version has one."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if decision in (Decision.RETURN, Decision.REJECT) and not comment.strip():
        raise ValidationError({"comment": _("Say what is wrong: the comment is required.")})
    with acting(task_id, user, "decide") as (activation, principal):
        task, process = activation.task, activation.process
        version = process.document.current_version
        kind = task.data.get("kind", Stage.Kind.APPROVAL)
        if principal is not None and kind == Stage.Kind.SIGNATURE and decision == Decision.APPROVE:
            from organisation.models import Substitution

            may_sign = Substitution.objects.active_on().filter(principal=principal, substitute=user, can_sign=True)
            if not may_sign.exists():
                raise WorkflowError(
                    _("You stand in for %(who)s but may not sign for them.") % {"who": principal}
                )
        if kind == Stage.Kind.SIGNATURE and decision == Decision.APPROVE:
            version = _signed_version(process, upload, user=user, principal=principal)
        task.decision, task.comment, task.document_version = decision, comment.strip(), version
        action = {
            Decision.RETURN: Action.RETURNED, Decision.REJECT: Action.REJECTED,
        }.get(decision) or DECISION_ACTIONS[(kind, Decision.APPROVE)]
        stage = process.current_stage or {}
        record(
            user, action,
            _("%(stage)s – %(step)s: %(decision)s on “%(title)s” version %(number)s.%(comment)s")
            % {"stage": stage.get("name", ""), "step": task.data.get("label", ""),
               "decision": Decision(decision).label, "title": process.document.title,
               "number": version.number if version else "—",
               "comment": f" {comment.strip()}" if comment.strip() else ""},
            case=process.case, document=process.document, document_version=version, on_behalf_of=principal,
            data={"process": process.pk, "task": task.pk, "stage": stage.get("order"), "decision": decision},
        )
    return task


def _signed_version(process, upload, *, user, principal):
    """The signature stage: store the signed upload as a new version; check it when the stage requires it."""
    if upload is not None:
        document_services.store_version(
            process.document, upload, actor=user, comment=_("signed document"), on_behalf_of=principal
        )
    version = process.document.current_version
    if (process.current_stage or {}).get("verified_signature"):
        from signatures.checks import verified_signature_problem

        problem = verified_signature_problem(version, title=process.document.title)
        if problem:
            raise WorkflowError(
                _("The stage cannot be completed: %(problem)s Upload the signed file.") % {"problem": problem}
            )
    return version


def revise(task_id, *, user, upload=None, comment="") -> WorkTask:
    """The author corrects the document (a new version) and sends it back on the route."""
    with acting(task_id, user, "revise") as (activation, principal):
        process = activation.process
        if upload is not None:
            document_services.store_version(
                process.document, upload, actor=user, comment=comment, on_behalf_of=principal
            )
        version = process.document.current_version
        activation.task.document_version = version
        activation.task.comment = comment
        record(
            user, Action.ROUTE_STARTED,
            _("Corrected “%(title)s” (version %(number)s) sent on the route again.")
            % {"title": process.document.title, "number": version.number if version else "—"},
            case=process.case, document=process.document, document_version=version, on_behalf_of=principal,
            data={"process": process.pk},
        )
    return activation.task
