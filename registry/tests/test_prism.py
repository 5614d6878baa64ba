"""The e-Doręczenia client (intake and sending) against Stoplight Prism serving uaapi-3.0.8.yaml (see prism.py)."""

import types

import pytest

from dispatch import edoreczenia
from registry.channels.edoreczenia.client import Client, ClientError, Config
from registry.tests import prism as p

ADE = "AE:PL-28080-40239-TUSBF-26"


@pytest.fixture(scope="module")
def server():
    try:
        p.prism_bin()
    except p.Unavailable as exc:
        pytest.skip(str(exc))
    srv = p.Prism()
    yield srv
    srv.stop()


@pytest.fixture
def api(server):
    transport = p.CheckingTransport()
    # Base path: the yaml's server is the relative '/api/v1', which Prism does not apply; the paths sit at its root.
    client = Client(Config(url=server.url, ade=ADE, token_url=p.TOKEN_URL, client_id=ADE, timeout=10),
                    transport=transport, sleep=lambda s: None, retries=0)
    yield client, transport
    client.close()


def _call(fn, *args, **kwargs):
    """Prism's generated answers are not always what a real service says (e.g. another messageId); the point here
    is the request, so a refusal of the answer by our client is fine."""
    try:
        return fn(*args, **kwargs)
    except (ClientError, ValueError, KeyError):
        return None


def test_intake_requests_are_valid_against_the_yaml(api):
    client, transport = api
    _call(client.list_inbox_ids, 5)
    _call(client.get_message, "M-1")
    _call(client.get_evidences, "M-1")
    _call(client.get_evidence_file, "EV-1", "purde")
    _call(client.get_attachment_json, "M-1", "A-1")
    _call(client.download_attachment, "M-1", "A-1", max_size=10_000_000)
    _call(client.delete_message, "M-1")
    assert len(transport.calls) >= 7
    assert transport.request_violations == []


def test_sending_requests_are_valid_against_the_yaml(api, tmp_path):
    client, transport = api
    item = types.SimpleNamespace(channel="edoreczenia", subject="Decyzja o warunkach zabudowy", case_id=1,
                                 case=types.SimpleNamespace(sign="RB.6730.1.2026"), register_number="RPWych/1/2026")
    shipment = types.SimpleNamespace(item=item, send_key="0b7c3f1e-1d2a-4c5b-8e9f-123456789abc",
                                     ade="AE:PL-43563-82585-JHWCF-30", ref_to_message_id="M-1", thread_id="T-1",
                                     postal_address={})
    message = edoreczenia.message_for(shipment, ADE)
    draft_id = _call(client.create_draft, message) or "D-1"
    version = types.SimpleNamespace(sha256="a" * 64, original_name="decyzja.pdf", mime_type="application/pdf",
                                    file=types.SimpleNamespace(open=(tmp_path / "d.pdf").open))
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4 decyzja")
    _call(client.add_draft_attachment, draft_id, edoreczenia._file_data(version, 1))
    _call(client.get_draft, draft_id)
    _call(client.list_drafts, subject=item.subject)
    _call(client.send_draft, draft_id)
    _call(client.get_send_task, "TASK-1")
    _call(client.find_sent, subject=item.subject, recipient=shipment.ade)
    _call(client.get_messages, ["S-1"], fmt="metadata")
    _call(client.subscribe, evidence_url="https://obieg.example.pl/wysylka/edoreczenia/x/",
          message_created_url="https://obieg.example.pl/wysylka/edoreczenia/x/")
    # The hybrid variant: postal address and hybridShipment.
    item.channel = "hybrid"
    shipment.postal_address = {"name": "Jan Kowalski", "street": "Źródlana", "building": "5", "postal_code": "12-345",
                               "city": "Zielona Dolina", "country": "PL"}
    _call(client.create_draft, edoreczenia.message_for(shipment, ADE))
    assert len(transport.calls) >= 9
    assert transport.request_violations == []


def test_the_check_itself_catches_a_request_outside_the_yaml(api):
    client, transport = api
    _call(client.create_draft, {"messageMetadata": {"shippingService": "pigeon"}})
    _call(client._send, "GET", client._path("no-such-path"))
    assert any("shippingService" in v for v in transport.request_violations)
    assert any("no such path" in v for v in transport.request_violations)
