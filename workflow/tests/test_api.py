import pytest

from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def test_task_list_and_decision_over_the_api(client, people, two_stage_route):
    from workflow import services

    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"])
    client.force_login(people["radca"])
    data = client.get("/api/v1/tasks/", {"list": "mine", "kind": "decide"}).json()
    assert data["count"] == 1 and data["results"][0]["id"] == task.pk and data["counts"]["mine"] == 1
    assert client.get("/api/v1/tasks/", {"list": "bogus"}).status_code == 400
    response = client.post(f"/api/v1/tasks/{task.pk}/decide/", {"decision": "return"},
                           content_type="application/json")
    assert response.status_code == 400 and "comment" in response.json()
    response = client.post(f"/api/v1/tasks/{task.pk}/decide/", {"decision": "approve"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "DONE"
    response = client.post(f"/api/v1/tasks/{task.pk}/decide/", {"decision": "approve"},
                           content_type="application/json")
    assert response.status_code == 409
    client.force_login(people["worker_or"])
    response = client.post(f"/api/v1/tasks/{task.pk}/decide/", {"decision": "approve"},
                           content_type="application/json")
    assert response.status_code in (404, 409)
    assert client.get("/api/schema/").status_code == 200
