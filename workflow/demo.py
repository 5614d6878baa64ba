"""Demo content for `manage.py load_demo`: routing rules and approval routes of Urząd Gminy Zielona Dolina."""

from organisation.models import Position
from registry.models import Channel, DocumentKind
from workflow.models import NotificationPreference, Route, RouteVersion, RoutingRule, Stage, Step


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
    users = context["users"]
    NotificationPreference.objects.create(user=users["sekretarz"], mode=NotificationPreference.Mode.DIGEST)
    NotificationPreference.objects.create(user=users["wojt"], mode=NotificationPreference.Mode.OFF)
    load_work_in_progress(context)


# --------------------------------------------------------------------------------------------------------------------
# Work in progress: deliveries waiting at each step of dekretacja, drafts waiting at each stage of approval, a
# returned draft and approved letters waiting for dispatch (dispatch.demo sends some). All through workflow.services.
# --------------------------------------------------------------------------------------------------------------------
DEKRETACJA = [
    # subject, how far it gets: "queue" (clerks choose the unit), "decree" (head), "handle" (case worker), "case"
    ("Wniosek o wydanie decyzji o warunkach zabudowy – hala magazynowa, dz. 7/12", "queue"),
    ("Wniosek o zmianę decyzji o warunkach zabudowy nr RB.6730.14.2026", "decree"),
    ("Zawiadomienie o zakończeniu budowy budynku gospodarczego", "handle"),
]
CASES = [
    "Wniosek o ustalenie warunków zabudowy – budynek mieszkalny jednorodzinny, dz. 88/3",
    "Wniosek o ustalenie warunków zabudowy – rozbudowa budynku usługowego, dz. 14/9",
]
APPROVALS = [
    # draft title, document kind, flags, decisions to make (by step owner) before leaving it
    ("Wezwanie do uzupełnienia wniosku", "draft", (), []),
    ("Odpowiedź na pismo inwestora (do opinii radcy)", "draft", ("external",), ["approve"]),
    ("Pismo do Starostwa Powiatowego", "draft", (), ["approve"]),
    ("Zawiadomienie stron o zebranym materiale", "draft", (), ["return"]),
    ("Pismo przekazujące wniosek według właściwości", "draft", (), ["approve", "approve"]),
    # Left at "Wysyłka": dispatch.demo prepares one and sends the other (e-Doręczenia and paper).
    ("Informacja o sposobie załatwienia sprawy", "draft", (), ["approve", "approve"]),
    ("Decyzja o warunkach zabudowy – budynek mieszkalny", "decision", (), ["approve"]),
    ("Decyzja o odmowie ustalenia warunków zabudowy", "decision", (), ["approve", "approve", "approve"]),
]
COMMENTS = {"return": "Proszę uzupełnić pouczenie o prawie do zapoznania się z aktami (art. 10 KPA)."}


def _open_task(process, node):
    from viewflow.workflow.status import STATUS

    from workflow.models import WorkTask

    tasks = WorkTask.objects.filter(process_id=process.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]).order_by("pk")
    return [t for t in tasks if t.flow_task.name == node]


def _through_dekretacja(context, subject, until, n):
    """Register a delivery for RB and take it through dekretacja up to `until`; returns the case (or None)."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from registry.demo.data import LETTER_TEXT
    from registry.services.deliveries import register_delivery
    from workflow import services
    from workflow.models import DeliveryProcess

    users, units = context["users"], context["units"]
    sender = context["correspondents"][n % len(context["correspondents"])]
    received = timezone.now() - dt.timedelta(days=20 - n, hours=3)
    delivery, _created = register_delivery(
        registered_by=users["kancelaria2"], channel="post", form="paper", received_at=received, subject=subject,
        sender=sender, letter_date=(received - dt.timedelta(days=3)).date(), paper_location=f"SCH/RB/{n}",
        files=[ContentFile(LETTER_TEXT.format(subject=subject, sender=sender.display_name).encode(), name="pismo.txt")],
    )
    process = DeliveryProcess.objects.filter(delivery=delivery).first()
    if process is None:  # WORKFLOW_AUTOSTART_DEKRETACJA is off
        process = services.start_dekretacja(delivery, actor=users["kancelaria2"])
    if until == "queue":
        return None
    [choose] = _open_task(process, "choose_unit")
    services.choose_unit(choose.pk, user=users["kancelaria"], unit=units["RB"])
    if until == "decree":
        return None
    [decree] = _open_task(process, "decree")
    # The head is on leave: the substitute decrees on their behalf (the metryka says so).
    services.decree(decree.pk, user=users["zastepca"], worker=users["referent_rb"],
                    instruction="Proszę przygotować odpowiedź.", due_on=timezone.localdate() + dt.timedelta(days=7))
    if until == "handle":
        return None
    [handle] = _open_task(process, "handle")
    return services.handle_delivery(handle.pk, user=users["referent_rb"], jrwa_class=context["jrwa"]["6730"],
                                    title=subject[:200])


def _decide_next(process, decision, users):
    from workflow import services

    for task in _open_task(process, "decide"):
        # The head of RB is away: the substitute acts for them (and may sign).
        user = users["zastepca"] if task.owner == users["kierownik_rb"] else task.owner
        services.decide(task.pk, user=user, decision=decision, comment=COMMENTS.get(decision, ""))


def load_work_in_progress(context):
    from django.core.files.base import ContentFile
    from django.db import transaction

    from registry.services.documents import add_document
    from workflow import services

    users = context["users"]
    with transaction.atomic():
        for n, (subject, until) in enumerate(DEKRETACJA):
            _through_dekretacja(context, subject, until, n)
        # Two cases from dekretacja; their drafts and decisions take turns between them.
        cases = [_through_dekretacja(context, subject, "case", n) for n, subject in enumerate(CASES, len(DEKRETACJA))]
        for n, (title, kind, flags, decisions) in enumerate(APPROVALS):
            case = cases[n % len(cases)]
            text = f"Urząd Gminy Zielona Dolina\n{case.sign}\n\n{title}\n\nNa podstawie art. 61 KPA …"
            draft = add_document(actor=users["referent_rb"], title=title, kind=kind, case=case,
                                 upload=ContentFile(text.encode(), name=f"projekt-{n}.txt"))
            process = services.start_route(draft, actor=users["referent_rb"], flags=flags)
            for decision in decisions:
                _decide_next(process, decision, users)
