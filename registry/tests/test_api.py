import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registry.models import Delivery, DocumentVersion
from registry.tests.factories import make_case, make_delivery, pdf_upload


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def delivery_payload(**extra):
    payload = {
        "channel": "post", "form": "paper", "received_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "subject": "Wniosek o wydanie warunków zabudowy", "addressed_unit": "RB",
        "new_sender": '{"kind": "person", "first_name": "Żaneta", "last_name": "Ślęzak", "pesel": "44051401359"}',
    }
    payload.update(extra)
    return payload


def test_register_with_attachments_over_multipart(office):
    response = client_for(office["clerk"]).post(
        "/api/v1/deliveries/", delivery_payload(files=[pdf_upload("wniosek.pdf"), pdf_upload("mapa.pdf")]),
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rpw"].startswith("RPW/1/")
    assert body["sender"]["last_name"] == "Ślęzak"
    assert [d["versions"][0]["original_name"] for d in body["documents"]] == ["wniosek.pdf", "mapa.pdf"]
    assert body["documents"][0]["versions"][0]["mime_type"] == "application/pdf"


def test_idempotency_key_and_channel_message_return_the_first_delivery(office):
    client = client_for(office["clerk"])
    first = client.post("/api/v1/deliveries/", delivery_payload(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/deliveries/", delivery_payload(), format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    msg = delivery_payload(channel="edoreczenia", form="electronic", external_id="0c1f-77")
    a = client.post("/api/v1/deliveries/", msg, format="multipart")
    b = client.post("/api/v1/deliveries/", msg, format="multipart")
    assert (a.status_code, b.status_code) == (201, 200)
    assert Delivery.objects.count() == 2


def test_only_clerks_register(office):
    response = client_for(office["worker_rb"]).post("/api/v1/deliveries/", delivery_payload(), format="multipart")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"received_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, "received_at"),
        ({"new_sender": '{"kind": "person", "last_name": "X", "pesel": "44051401358"}'}, "new_sender"),
        ({"new_sender": '{"kind": "institution", "name": "Firma", "nip": "1234563219"}'}, "new_sender"),
        ({"new_sender": '{"kind": "institution", "name": "Firma", "ade": "AE:PL-1-2-3-4"}'}, "new_sender"),
        ({"addressed_unit": "XYZ"}, "addressed_unit"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(office, extra, field):
    response = client_for(office["clerk"]).post("/api/v1/deliveries/", delivery_payload(**extra), format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert Delivery.objects.count() == 0


def test_error_is_in_polish_for_polish_clients(office):
    response = client_for(office["clerk"]).post(
        "/api/v1/deliveries/",
        delivery_payload(received_at=(timezone.now() + dt.timedelta(days=2)).isoformat()),
        format="multipart", HTTP_ACCEPT_LANGUAGE="pl",
    )
    assert "przyszłości" in response.json()["received_at"][0]


def _raw_multipart(filename: str, content: bytes = b"%PDF-1.4 x") -> tuple[bytes, str]:
    boundary = "----obiegtest"
    parts = []
    for key, value in delivery_payload().items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\\\boot.ini", "zly\x07plik.pdf"])
def test_path_traversal_and_control_characters_in_file_names_are_refused(office, name):
    body, content_type = _raw_multipart(name)
    response = client_for(office["clerk"]).generic("POST", "/api/v1/deliveries/", body, content_type=content_type)
    assert response.status_code == 400
    assert "Odrzucono nazwę pliku" in response.json()["detail"]
    assert Delivery.objects.count() == 0


def test_empty_file_is_refused(office):
    body, content_type = _raw_multipart("pusty.pdf", b"")
    response = client_for(office["clerk"]).generic("POST", "/api/v1/deliveries/", body, content_type=content_type)
    assert response.status_code == 400
    assert "jest pusty" in str(response.json())


def test_lists_follow_the_access_rule(office):
    d = make_delivery(office["clerk"], addressed_unit=office["RB"], files=[pdf_upload()])
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=d)
    secret = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], confidential=True)
    signs = lambda user: {c["sign"] for c in client_for(user).get("/api/v1/cases/").json()["results"]}  # noqa: E731
    assert signs(office["worker_rb"]) == {case.sign, secret.sign}
    assert signs(office["secretary"]) == {case.sign}
    assert signs(office["worker_or"]) == set()
    assert client_for(office["secretary"]).get(f"/api/v1/cases/{secret.pk}/").status_code == 404
    history = client_for(office["worker_rb"]).get(f"/api/v1/cases/{case.pk}/history/").json()
    assert history[0]["action"] == "delivery_registered"
    assert {"case_opened", "delivery_attached"} <= {h["action"] for h in history}
    version = DocumentVersion.objects.get(document__delivery=d)
    url = f"/api/v1/document-versions/{version.pk}/download/"
    assert client_for(office["worker_or"]).get(url).status_code == 404  # not even its existence
    ok = client_for(office["worker_rb"]).get(url)
    assert ok.status_code == 200 and ok["X-Content-Type-Options"] == "nosniff"


def test_openapi_schema_is_served(office):
    response = client_for(office["clerk"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/deliveries/" in response.content


def test_api_history_is_the_same_metryka_as_the_page(office):
    from registry.views.common import case_history

    d = make_delivery(office["clerk"], addressed_unit=office["RB"], files=[pdf_upload()])
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=d)
    history = client_for(office["worker_rb"]).get(f"/api/v1/cases/{case.pk}/history/").json()
    assert [h["action"] for h in history] == [e.action for e in case_history(case)]
    assert history[0]["action"] == "delivery_registered"


@pytest.mark.parametrize(("who", "allowed"), [("archivist", False), ("clerk", True), ("worker_rb", True)])
def test_api_creates_correspondents_only_for_those_the_page_lets(office, who, allowed):
    response = client_for(office[who]).post(
        "/api/v1/correspondents/", {"kind": "person", "first_name": "Jan", "last_name": "Nowak"}, format="json"
    )
    assert (response.status_code == 201) is allowed, response.status_code
    if not allowed:
        assert response.status_code == 403
