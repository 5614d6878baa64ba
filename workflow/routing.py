"""Routes as data: choosing the route for a document, the snapshot a run keeps, stage conditions and who does a step.
Also the routing rules that propose a unit for a delivery (dekretacja)."""

from django.utils.translation import gettext as _

from organisation.models import OrgUnit, Position, Role, User
from workflow.models import CaseFlag, Route, RouteVersion, RoutingRule, Stage, Step


class RouteError(Exception):
    """A route cannot be used (no route, no published version, a step with nobody to do it)."""


# --- dekretacja ---------------------------------------------------------------------------------------------------
def propose_unit(delivery) -> tuple[OrgUnit | None, RoutingRule | None]:
    for rule in RoutingRule.objects.filter(active=True).select_related("target_unit"):
        if rule.matches(delivery) and rule.target_unit.active:
            return rule.target_unit, rule
    return None, None


def registration_unit(delivery) -> OrgUnit | None:
    """The unit the delivery was addressed to when it was registered, if it is still active."""
    unit = delivery.addressed_unit
    return unit if unit is not None and unit.active else None


def proposal(process) -> tuple[OrgUnit | None, str]:
    """What the "choose the unit" task proposes: the unit chosen at registration (a person's choice) before a
    routing rule's guess; and a note saying where the proposal comes from."""
    unit = registration_unit(process.delivery)
    if unit is not None:
        return unit, _("Unit chosen at registration.")
    rule = process.proposed_by_rule
    if rule is not None and rule.target_unit.active:
        return rule.target_unit, _("Proposed by routing rule “%(rule)s”.") % {"rule": rule}
    return None, ""


def unit_head(unit: OrgUnit | None) -> User | None:
    """The head of the unit, or of the nearest unit above it that has one."""
    while unit is not None:
        head = unit.head
        if head is not None:
            return head
        unit = unit.parent
    return None


# --- approval routes -----------------------------------------------------------------------------------------------
def _matches(route: Route, case, document) -> bool:
    if route.jrwa_symbol and not case.jrwa_class.symbol.startswith(route.jrwa_symbol):
        return False
    if route.document_kind and route.document_kind != document.kind:
        return False
    return not (route.unit_id and route.unit_id != case.unit_id)


def choose_route(case, document) -> Route | None:
    """The most specific active route for the case's JRWA class, the document kind and the unit; else the default."""
    candidates = [
        r for r in Route.objects.filter(active=True, versions__status=RouteVersion.Status.PUBLISHED).distinct()
        if _matches(r, case, document)
    ]
    specific = [r for r in candidates if not r.is_default or r.jrwa_symbol or r.document_kind or r.unit_id]
    pool = specific or candidates
    if not pool:
        return None
    return max(pool, key=lambda r: (bool(r.unit_id), len(r.jrwa_symbol), bool(r.document_kind), -r.pk))


def snapshot(version: RouteVersion) -> dict:
    """Everything a run needs, copied at start: later edits and new versions never change a running approval."""
    stages = []
    for stage in version.stages.prefetch_related("steps__position", "steps__user").order_by("order"):
        stages.append({
            "order": stage.order, "name": stage.name, "kind": stage.kind, "mode": stage.mode,
            "return_to": stage.return_to,
            "verified_signature": stage.kind == Stage.Kind.SIGNATURE and stage.requires_valid_signature,
            "if": {
                "jrwa": stage.if_jrwa_symbol, "kind": stage.if_document_kind, "unit": stage.if_unit_id,
                "flag": stage.if_flag,
            },
            "steps": [
                {
                    "label": str(step), "assignee": step.assignee, "position": step.position_id,
                    "user": step.user_id, "due_days": step.due_days,
                }
                for step in stage.steps.all()
            ],
        })
    return {
        "route": version.route_id, "name": version.route.name, "version_id": version.pk, "version": version.number,
        "dispatch": version.dispatch, "stages": stages,
    }


def flag_set(case, flags) -> set[str]:
    found = set(flags or [])
    if case.confidential:
        found.add(CaseFlag.CONFIDENTIAL)
    return found


def stage_applies(stage: dict, case, document, flags) -> bool:
    cond = stage.get("if") or {}
    if cond.get("jrwa") and not case.jrwa_class.symbol.startswith(cond["jrwa"]):
        return False
    if cond.get("kind") and cond["kind"] != document.kind:
        return False
    if cond.get("unit") and cond["unit"] != case.unit_id:
        return False
    return not (cond.get("flag") and cond["flag"] not in flag_set(case, flags))


def resolve_assignee(step: dict, case) -> User:
    """The person who does a step, resolved when the stage starts."""
    user = None
    if step["assignee"] == Step.Assignee.UNIT_HEAD:
        user = unit_head(case.unit)
    elif step["assignee"] == Step.Assignee.POSITION:
        position = Position.objects.filter(pk=step.get("position")).select_related("holder").first()
        user = position.holder if position else None
    elif step["assignee"] == Step.Assignee.USER:
        user = User.objects.filter(pk=step.get("user"), is_active=True).first()
    if user is None:
        raise RouteError(_("Nobody holds “%(step)s” for case %(sign)s.") % {"step": step["label"], "sign": case.sign})
    return user


def preview(case, document, flags=(), version: RouteVersion | None = None) -> dict:
    """What sending `document` on its route would do, for the author to check before sending: the route (the one
    chosen for the case unless `version`), only the stages whose conditions hold for this case, document and flags
    (as `ApprovalFlow.advance_stage` evaluates them), and who does each step. `error` says why it cannot start."""
    if version is None:
        route = choose_route(case, document)
        version = route.published_version if route is not None else None
    if version is None:
        return {"error": _("No approval route applies to this document and there is no default route.")}
    data = snapshot(version)
    stages, skipped = [], 0
    for stage in data["stages"]:
        if not stage_applies(stage, case, document, flags):
            skipped += 1
            continue
        steps = []
        for step in stage["steps"]:
            row = {"label": step["label"], "due_days": step["due_days"]}
            try:
                row["who"] = resolve_assignee(step, case)
            except RouteError as e:
                row["problem"] = str(e)
            steps.append(row)
        stages.append({"name": stage["name"], "kind": stage["kind"], "mode": stage["mode"], "steps": steps})
    return {"name": data["name"], "version": data["version"], "version_id": version.pk, "stages": stages,
            "skipped": skipped, "dispatch": data["dispatch"], "error": ""}


def run_stages(process) -> list[dict]:
    """The stages of a running approval as the task page lists them: each with whether it applies to this case
    (the same test the flow uses, so a stage marked as not applying is one the run skips) and whether it is the
    current one."""
    return [
        {**stage, "applies": stage_applies(stage, process.case, process.document, process.flags),
         "current": index == process.stage_index}
        for index, stage in enumerate(process.route.get("stages", []))
    ]


def validate_route(version: RouteVersion, case=None) -> list[str]:
    """Problems that would stop a run (empty stages, steps nobody can do)."""
    problems = []
    data = snapshot(version)
    if not data["stages"]:
        problems.append(_("The route has no stages."))
    orders = {s["order"] for s in data["stages"]}
    for stage in data["stages"]:
        if not stage["steps"]:
            problems.append(_("Stage “%(name)s” has no steps.") % {"name": stage["name"]})
        if stage["return_to"] and stage["return_to"] not in orders:
            problems.append(_("Stage “%(name)s” returns to a stage that does not exist.") % {"name": stage["name"]})
        if case is not None:
            for step in stage["steps"]:
                try:
                    resolve_assignee(step, case)
                except RouteError as e:
                    problems.append(str(e))
    return problems


__all__ = ["Role", "RouteError", "choose_route", "propose_unit", "resolve_assignee", "snapshot", "stage_applies"]
