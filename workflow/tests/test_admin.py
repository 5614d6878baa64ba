"""Routes are defined in the application (admin), with no code; published versions are frozen."""

import pytest
from django.urls import reverse

from registry.tests.factories import UserFactory
from workflow.admin import copy_version
from workflow.models import RouteVersion
from workflow.tests.conftest import TWO_STAGES, make_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people):
    client.force_login(UserFactory(username="admin_wf", is_staff=True, is_superuser=True))
    return client


def test_new_version_copy_and_publish(admin_client, people):
    route, v1 = make_route(stages=TWO_STAGES)
    v2 = copy_version(v1)
    assert v2.status == RouteVersion.Status.DRAFT and v2.number == 2
    assert [s.steps.count() for s in v2.stages.order_by("order")] == [2, 1]
    response = admin_client.post(reverse("admin:workflow_routeversion_changelist"),
                                 {"action": "publish", "_selected_action": [v2.pk]})
    assert response.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == RouteVersion.Status.RETIRED and v2.status == RouteVersion.Status.PUBLISHED
    assert route.published_version == v2


def test_published_version_is_frozen_and_pages_render(admin_client, people):
    _route, v1 = make_route(stages=TWO_STAGES)
    stage = v1.stages.first()
    for url in (reverse("admin:workflow_route_changelist"), reverse("admin:workflow_routeversion_changelist"),
                reverse("admin:workflow_routeversion_change", args=[v1.pk]),
                reverse("admin:workflow_stage_change", args=[stage.pk]),
                reverse("admin:workflow_routingrule_add")):
        assert admin_client.get(url).status_code == 200, url
    response = admin_client.post(reverse("admin:workflow_stage_change", args=[stage.pk]), {"name": "zmiana"})
    assert response.status_code == 403
