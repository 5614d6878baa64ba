"""Demo content for `manage.py load_demo`: routing rules and approval routes of Urząd Gminy Zielona Dolina."""

from organisation.models import Position
from registry.models import Channel, DocumentKind
from workflow.models import Route, RouteVersion, RoutingRule, Stage, Step


def _route(name, stages, **kwargs):
    route = Route.objects.create(name=name, **kwargs)
    version = RouteVersion.objects.create(route=route, number=1, status=RouteVersion.Status.PUBLISHED)
    for order, (stage_name, kind, mode, return_to, steps, conditions) in enumerate(stages, 1):
        stage = Stage.objects.create(version=version, order=order, name=stage_name, kind=kind, mode=mode,
                                     return_to=return_to, **conditions)
        for n, (assignee, position, days) in enumerate(steps, 1):
            Step.objects.create(stage=stage, order=n, assignee=assignee, due_days=days,
                                position=Position.objects.filter(code=position).first() if position else None)
    return route


def load(context):
    units = context["units"]
    RoutingRule.objects.create(name="Budownictwo i planowanie", priority=10, target_unit=units["RB"],
                               keywords="zabudowy, budowlan, plan miejscowy, rozbiórk")
    RoutingRule.objects.create(name="Informacja publiczna", priority=20, target_unit=units["OR"],
                               keywords="informacji publicznej, udostępnienie informacji")
    RoutingRule.objects.create(name="Nieruchomości", priority=30, target_unit=units["GN"],
                               keywords="nieruchomoś, dzierżaw, najem, podział działki")
    RoutingRule.objects.create(name="ePUAP do Rady Gminy", priority=40, channel=Channel.EPUAP,
                               addressed_unit=units["RG"], target_unit=units["RG"], auto=True)
    head, position = Step.Assignee.UNIT_HEAD, Step.Assignee.POSITION
    _route("Pismo wychodzące (domyślna)", [
        ("Akceptacja kierownika", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, [(head, None, 2)], {}),
        ("Opinia radcy prawnego", Stage.Kind.OPINION, Stage.Mode.ALL, None, [(position, "radca_prawny", 3)],
         {"if_flag": "external"}),
        ("Podpis sekretarza", Stage.Kind.SIGNATURE, Stage.Mode.ALL, None, [(position, "sekretarz", 2)], {}),
    ], is_default=True)
    _route("Decyzja administracyjna", [
        ("Opinie", Stage.Kind.OPINION, Stage.Mode.ALL, None, [(head, None, 2), (position, "radca_prawny", 3)], {}),
        ("Akceptacja sekretarza", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, [(position, "sekretarz", 2)], {}),
        ("Podpis wójta", Stage.Kind.SIGNATURE, Stage.Mode.ALL, 1, [(position, "wojt", 2)], {}),
    ], document_kind=DocumentKind.DECISION)
