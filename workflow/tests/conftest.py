import pytest

from organisation.models import Position, Role
from registry.tests.conftest import _media_root, office  # noqa: F401  (shared fixtures)
from registry.tests.factories import member
from workflow.models import Route, RouteVersion, Stage, Step


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def people(office):  # noqa: F811
    """The office plus a legal adviser, a treasurer, the mayor (named positions) and a second case worker."""
    radca = member(office["OR"], Role.CASE_WORKER, username="radca", position_title="radca prawny")
    skarbnik = member(office["OR"], Role.CASE_WORKER, username="skarbnik", position_title="skarbnik")
    wojt = member(office["OR"], Role.HEAD, username="wojt", position_title="wójt")
    Position.objects.create(code="radca_prawny", name="Radca prawny", holder=radca)
    Position.objects.create(code="skarbnik", name="Skarbnik", holder=skarbnik)
    Position.objects.create(code="wojt", name="Wójt", holder=wojt)
    return {**office, "radca": radca, "skarbnik": skarbnik, "wojt": wojt,
            "worker_rb2": member(office["RB"], Role.CASE_WORKER, username="referent_rb2")}


def make_route(name="Pisma wychodzące", *, default=True, stages=None, dispatch=True, **route_kwargs):
    """stages: [(name, kind, mode, return_to, [(assignee, position_code|user|None, due_days)], conditions)]"""
    route = Route.objects.create(name=name, is_default=default, **route_kwargs)
    version = RouteVersion.objects.create(route=route, number=1, status=RouteVersion.Status.PUBLISHED,
                                          dispatch=dispatch)
    fill_version(version, stages)
    return route, version


def fill_version(version, stages):
    for order, (sname, kind, mode, return_to, steps, *cond) in enumerate(stages, 1):
        stage = Stage.objects.create(version=version, order=order, name=sname, kind=kind, mode=mode,
                                     return_to=return_to, **(cond[0] if cond else {}))
        for n, (assignee, target, due) in enumerate(steps, 1):
            kwargs = {}
            if assignee == Step.Assignee.POSITION:
                from organisation.models import Position

                kwargs["position"] = Position.objects.get(code=target)
            elif assignee == Step.Assignee.USER:
                kwargs["user"] = target
            Step.objects.create(stage=stage, order=n, assignee=assignee, due_days=due, **kwargs)


TWO_STAGES = [
    ("Opinie", Stage.Kind.OPINION, Stage.Mode.ALL, None,
     [(Step.Assignee.UNIT_HEAD, None, 2), (Step.Assignee.POSITION, "radca_prawny", 3)]),
    ("Podpis", Stage.Kind.SIGNATURE, Stage.Mode.ALL, 1, [(Step.Assignee.POSITION, "wojt", 2)]),
]


@pytest.fixture
def two_stage_route(people):
    return make_route(stages=TWO_STAGES)
