"""Strings defined at module level are translated per request, in the request's language. Both languages are asked
for: whichever language was active when the module was imported, a string frozen then fails one of them."""

import pytest
from rest_framework.test import APIClient

from workflow.tests.conftest import _mail, _media_root, office, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "title", "kind"), [
    ("pl", "Dla mnie i mojej komórki", "Załóż sprawę lub dołącz do sprawy"),
    ("en", "For me and my unit", "Open or join a case"),
])
def test_task_list_titles_and_kinds_follow_the_request(client, people, language, title, kind):  # noqa: F811
    client.force_login(people["worker_rb"])
    html = client.get("/obieg/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{title}</h1>" in html
    assert kind in html


@pytest.mark.parametrize(("language", "message"), [
    ("pl", "Przesyłki rejestrują tylko pracownicy kancelarii."),
    ("en", "Only the registry clerks register deliveries."),
])
def test_api_permission_message_follows_the_request(people, language, message):  # noqa: F811
    client = APIClient()
    client.force_authenticate(people["worker_rb"])
    response = client.post("/api/v1/deliveries/", {"channel": "post"}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert response.json()["detail"] == message
