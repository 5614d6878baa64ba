"""e-Doręczenia intake against a fake mailbox held to the published UA API 3.0.8 yaml (see uaapi_fake.py)."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from registry.channels.edoreczenia import mapping
from registry.channels.edoreczenia.client import ClientError
from registry.channels.edoreczenia.importer import import_mailbox
from registry.models import Channel, ChannelImport, Correspondent, Delivery, DocumentVersion, Form
from registry.services.deliveries import register_delivery
from registry.tests.factories import pdf_upload
from registry.tests.uaapi_fake import (
    FakeMailbox,
    attachment,
    component,
    evidence,
    message,
    schema_errors,
    spec,
)

GET_MESSAGE = "/{eDeliveryAddress}/messages/{messageId}"
LIST = "/{eDeliveryAddress}/messages"


def _pdf(text="Wniosek") -> bytes:
    return pdf_upload(text=text).read()


@pytest.fixture
def mailbox():
    fake = FakeMailbox()
    yield fake
    assert fake.violations == [], "requests or responses outside the UA API contract"


def _files_on_disk(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, f) for f in files]
    return found


def test_the_fake_answers_are_checked_against_the_yaml():
    """The contract check itself: a Message with a field the yaml does not know, or a wrong enum, is caught."""
    good = message("M-0", attachments=[attachment(1, "a.pdf", b"%PDF-1.4 x")])
    assert schema_errors(good, component("Message")) == []
    bad = message("M-0")
    bad["messageMetadata"]["shippingService"] = "pigeon"
    bad["messageMetadata"]["sender"] = "x"
    errors = schema_errors(bad, component("Message"))
    assert any("pigeon" in e for e in errors) and any("sender" in e for e in errors)
    assert spec()["info"]["version"] == "3.0.8"


def test_message_with_two_attachments_and_evidences_becomes_one_delivery(office, mailbox, settings):
    wniosek, mapa = _pdf("Wniosek WZ"), _pdf("Mapa")
    mailbox.add(message(
        "MSG-1", case_id="ZN/2026/11/7", received="2026-11-20T08:15:30Z",
        attachments=[attachment(1, "wniosek.pdf", wniosek), attachment(2, "mapa-zasadnicza.pdf", mapa)],
    ))
    outcome = import_mailbox(limit=10, client=mailbox.client())

    assert outcome == {"imported": 1}
    delivery = Delivery.objects.get()
    assert delivery.channel == Channel.EDORECZENIA and delivery.form == Form.ELECTRONIC
    assert delivery.external_id == "MSG-1"
    assert delivery.received_at == dt.datetime(2026, 11, 20, 8, 15, 30, tzinfo=dt.UTC)  # the E.1 eventDate
    evidence = delivery.receipt_evidence
    assert evidence["received_at_source"] == "E.1"
    assert (evidence["code"], evidence["eventDate"], evidence["evidenceId"]) == (
        "E.1", "2026-11-20T08:15:30Z", "EV-E.1-MSG-1-1"
    )
    assert evidence["message"]["eventDate"] == "2026-11-20T08:10:01Z"  # the sender's A.1, kept apart
    assert {e["type"] for e in evidence["evidences"]} == {"A.1", "E.1"}
    assert delivery.subject == "Wniosek o wydanie decyzji o warunkach zabudowy"
    assert delivery.sender_reference == "ZN/2026/11/7"
    assert delivery.sender.ade == "AE:PL-43563-82585-JHWCF-30"
    assert delivery.sender.kind == Correspondent.Kind.INSTITUTION
    assert delivery.sender.name == "Budimex Zielona Dolina sp. z o.o."
    versions = DocumentVersion.objects.filter(document__delivery=delivery).order_by("document__pk")
    assert [(v.original_name, v.document.kind) for v in versions] == [
        ("tresc-wiadomosci.txt", "incoming"), ("wniosek.pdf", "attachment"), ("mapa-zasadnicza.pdf", "attachment"),
        ("dowod-E1.xml", "evidence"),
    ]
    assert [v.document.title for v in versions] == [
        "Wniosek o wydanie decyzji o warunkach zabudowy (e-Doręczenia)",
        "Wniosek o wydanie decyzji o warunkach zabudowy – załącznik 1 (e-Doręczenia)",
        "Wniosek o wydanie decyzji o warunkach zabudowy – załącznik 2 (e-Doręczenia)",
        "Dowód otrzymania E.1",
    ]
    assert versions[1].mime_type == "application/pdf"
    assert versions[0].file.read().decode() == "W załączeniu wniosek i mapa."
    assert mailbox.evidence_downloads == [("purde", "EV-E.1-MSG-1-1")]
    row = ChannelImport.objects.get()
    assert (row.status, row.delivery, row.attempts, row.error) == ("imported", delivery, 1, "")
    assert row.deleted_from_mailbox_at is not None
    assert mailbox.deleted == ["MSG-1"] and mailbox.messages == {}
    assert mailbox.count("GET", LIST) == 1
    assert mailbox.calls[0][3]["format"] == "minimal" and mailbox.calls[0][3]["label"] == "INBOX"
    get = next(c for c in mailbox.calls if c[1] == GET_MESSAGE and c[0] == "GET")
    assert get[3] == {"format": "fullExtended"}
    assert len(_files_on_disk(settings)) == 4


def test_same_message_twice_gives_one_delivery_and_is_deleted(office, mailbox):
    mailbox.keep_after_delete = True  # the mailbox still lists it after the delete
    mailbox.add(message("MSG-2", attachments=[attachment(1, "pismo.pdf", _pdf())]))
    client = mailbox.client()
    assert import_mailbox(client=client) == {"imported": 1}
    assert import_mailbox(client=client) == {"imported": 1}  # recognised, not registered again
    assert Delivery.objects.count() == 1
    assert mailbox.count("GET", GET_MESSAGE) == 1  # not even read again
    assert mailbox.deleted == ["MSG-2", "MSG-2"]
    row = ChannelImport.objects.get()
    assert row.status == "imported" and row.attempts == 1


def test_message_registered_earlier_by_hand_is_a_duplicate_and_deleted(office, mailbox):
    earlier, _ = register_delivery(
        registered_by=office["clerk"], channel=Channel.EDORECZENIA, form=Form.ELECTRONIC,
        received_at=timezone.now(), subject="Wniosek", external_id="MSG-3",
    )
    mailbox.add(message("MSG-3", attachments=[attachment(1, "pismo.pdf", _pdf())]))
    assert import_mailbox(client=mailbox.client()) == {"duplicate": 1}
    assert Delivery.objects.get() == earlier
    row = ChannelImport.objects.get()
    assert (row.status, row.delivery) == ("duplicate", earlier)
    assert mailbox.deleted == ["MSG-3"] and mailbox.count("GET", GET_MESSAGE) == 0


def test_still_transferring_then_ready_is_imported_after_back_off(office, mailbox):
    mailbox.add(message("MSG-4", attachments=[attachment(1, "pismo.pdf", _pdf())]))
    mailbox.pending["MSG-4"] = 1  # one HTTP 202, then 200
    sleeps = []
    assert import_mailbox(client=mailbox.client(sleeps=sleeps)) == {"imported": 1}
    assert sleeps == [2.0]  # waited once, no tight loop
    assert mailbox.count("GET", GET_MESSAGE) == 2
    assert Delivery.objects.get().external_id == "MSG-4"


def test_long_transfer_is_left_pending_and_retried_later(office, mailbox):
    mailbox.add(message("MSG-5", attachments=[attachment(1, "pismo.pdf", _pdf())]))
    mailbox.pending["MSG-5"] = 100
    sleeps = []
    client = mailbox.client(sleeps=sleeps)
    assert import_mailbox(client=client) == {"pending": 1}
    assert sleeps == [2.0, 4.0, 8.0]  # bounded, exponential
    row = ChannelImport.objects.get()
    assert row.status == "pending" and row.next_attempt_at > timezone.now()
    assert mailbox.deleted == [] and Delivery.objects.count() == 0

    # The next poll, before the back-off has passed, does not touch the message at all.
    reads = mailbox.count("GET", GET_MESSAGE)
    assert import_mailbox(client=client) == {"waiting": 1}
    assert mailbox.count("GET", GET_MESSAGE) == reads

    # Once it is due and the transfer has finished, it is imported.
    mailbox.pending["MSG-5"] = 0
    ChannelImport.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert import_mailbox(client=client) == {"imported": 1}
    assert ChannelImport.objects.get().attempts == 2


def test_hash_mismatch_registers_nothing(office, mailbox, settings):
    data = _pdf()
    mailbox.add(message("MSG-6", attachments=[
        attachment(1, "pismo.pdf", data), attachment(2, "zmieniony.pdf", data, digest="ab" * 32),
    ]))
    assert import_mailbox(client=mailbox.client()) == {"failed": 1}
    assert Delivery.objects.count() == 0 and Correspondent.objects.count() == 0
    assert _files_on_disk(settings) == []
    row = ChannelImport.objects.get()
    assert row.status == "failed" and "zmieniony.pdf" in row.error and row.next_attempt_at is not None
    assert mailbox.deleted == []  # stays in the mailbox


def test_one_broken_message_does_not_stop_the_others(office, mailbox):
    mailbox.add(message("MSG-7", attachments=[attachment(1, "a.pdf", _pdf("a"))]))
    mailbox.add(message("MSG-8", attachments=[attachment(1, "b.pdf", _pdf("b"), digest="00" * 32)]))
    mailbox.add(message("MSG-9", attachments=[attachment(1, "c.pdf", _pdf("c"))]))
    mailbox.add(message("MSG-10"))
    mailbox.fail_get.add("MSG-10")  # the mailbox answers 400 for this one
    outcome = import_mailbox(client=mailbox.client())
    assert outcome == {"imported": 2, "failed": 2}
    assert sorted(Delivery.objects.values_list("external_id", flat=True)) == ["MSG-7", "MSG-9"]
    assert dict(ChannelImport.objects.values_list("message_id", "status")) == {
        "MSG-7": "imported", "MSG-8": "failed", "MSG-9": "imported", "MSG-10": "failed",
    }
    assert "HTTP 400" in ChannelImport.objects.get(message_id="MSG-10").error
    assert sorted(mailbox.deleted) == ["MSG-7", "MSG-9"]


def test_attachments_by_id_and_the_large_file_download(office, mailbox, monkeypatch):
    monkeypatch.setattr(mapping, "LARGE_FILE", 1000)
    small, large = _pdf("maly"), _pdf("duzy " * 400)
    assert len(small) < 1000 < len(large)
    mailbox.add(message("MSG-11", text="", attachments=[
        mailbox.hold_back(attachment(1, "maly.pdf", small)),
        mailbox.hold_back(attachment(2, "duzy.pdf", large)),
    ]))
    assert import_mailbox(client=mailbox.client()) == {"imported": 1}
    assert mailbox.count("GET", "/{eDeliveryAddress}/messages/{messageId}/attachments/{attachmentId}") == 1
    assert mailbox.count("POST", "/{eDeliveryAddress}/attachments/download") == 1
    versions = DocumentVersion.objects.filter(document__kind="attachment").order_by("document__pk")
    assert [(v.original_name, v.size) for v in versions] == [("duzy.pdf", len(large))]
    first = DocumentVersion.objects.get(document__kind="incoming")
    assert (first.original_name, first.size) == ("maly.pdf", len(small))


def test_refused_file_name_gets_a_safe_name_and_the_original_is_kept(office, mailbox):
    mailbox.add(message("MSG-12", attachments=[attachment(1, "../../etc/passwd.pdf", _pdf())]))
    assert import_mailbox(client=mailbox.client()) == {"imported": 1}
    delivery = Delivery.objects.get()
    version = DocumentVersion.objects.get(document__delivery=delivery, original_name="zalacznik-1.pdf")
    assert version.size > 0
    assert "../../etc/passwd.pdf" in delivery.remarks


def test_without_e1_the_receipt_date_is_used_and_said(office, mailbox):
    msg = message("MSG-13", evidences=[evidence("MSG-13", "A.1", "2026-11-20T08:10:01Z")])
    msg["messageMetadata"]["receiptDate"] = "2026-11-20T09:00:00Z"
    mailbox.add(msg)
    assert import_mailbox(client=mailbox.client()) == {"imported": 1}
    delivery = Delivery.objects.get()
    assert delivery.received_at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    assert delivery.receipt_evidence["received_at_source"] == "receiptDate"
    assert delivery.receipt_evidence["receiptDate"] == "2026-11-20T09:00:00Z"
    assert "eventDate" not in delivery.receipt_evidence and "code" not in delivery.receipt_evidence
    assert "receiptDate" in delivery.remarks
    assert mailbox.count("GET", "/{eDeliveryAddress}/messages/{messageId}/evidences") == 1  # looked for E.1 first


def test_evidence_messages_are_skipped_and_left_in_the_mailbox(office, mailbox):
    mailbox.add(message("MSG-14", message_type="Evidence"))
    assert import_mailbox(client=mailbox.client()) == {"skipped": 1}
    assert Delivery.objects.count() == 0 and mailbox.deleted == []
    assert import_mailbox(client=mailbox.client()) == {"waiting": 1}
    assert mailbox.count("GET", GET_MESSAGE) == 1


def test_paging_collects_up_to_the_limit(office, mailbox, monkeypatch):
    from registry.channels.edoreczenia import client as client_module

    monkeypatch.setattr(client_module, "PAGE_SIZE", 2)
    for n in range(5):
        mailbox.add(message(f"P-{n}"))
    ids = mailbox.client().list_inbox_ids(limit=4)
    assert ids == ["P-0", "P-1", "P-2", "P-3"]
    offsets = [c[3]["offset"] for c in mailbox.calls if c[1] == LIST]
    assert offsets == ["0", "2"]


def test_hash_rule_accepts_sha3_hex_and_base64():
    import base64
    import hashlib

    data = b"tresc"
    assert mapping.hash_matches([data], hashlib.sha3_256(data).hexdigest())
    assert mapping.hash_matches([data], base64.b64encode(hashlib.sha3_256(data).digest()).decode())
    assert mapping.hash_matches([data], hashlib.sha3_512(data).hexdigest())
    assert not mapping.hash_matches([data], hashlib.sha256(data).hexdigest())  # SHA-2 is not SHA-3
    assert not mapping.hash_matches([data], "not a hash")


@pytest.mark.django_db
def test_poll_task_runs_once_per_mailbox_at_a_time(settings, monkeypatch):
    from registry.channels import tasks

    settings.EDORECZENIA_URL = "https://uaapi.test/api/v1"
    settings.EDORECZENIA_ADE = "AE:PL-28080-40239-TUSBF-26"
    calls = []
    monkeypatch.setattr(
        "registry.channels.edoreczenia.importer.import_mailbox",
        lambda limit, heartbeat: (heartbeat(), calls.append(limit), {"imported": 0})[-1],
    )
    held = tasks.mailbox_lock(settings.EDORECZENIA_ADE)
    assert held.acquire(blocking=False)
    try:
        assert tasks.poll_edoreczenia.apply().get() == {"skipped": "locked"}
    finally:
        held.release()
    assert calls == []
    assert tasks.poll_edoreczenia.apply(kwargs={"limit": 7}).get() == {"imported": 0}
    assert calls == [7]
    settings.EDORECZENIA_URL = ""
    assert tasks.poll_edoreczenia.apply().get() == {"skipped": "EDORECZENIA_URL is not set"}


def test_beat_schedule_only_with_a_mailbox(settings):
    import importlib

    import registry.schedule

    settings.EDORECZENIA_URL = ""
    assert importlib.reload(registry.schedule).BEAT_SCHEDULE == {}
    settings.EDORECZENIA_URL = "https://uaapi.test/api/v1"
    assert "registry.poll_edoreczenia" in importlib.reload(registry.schedule).BEAT_SCHEDULE
    settings.EDORECZENIA_URL = ""
    importlib.reload(registry.schedule)


# ------------------------------------------------------------------------------------------------------------------
# The client's own behaviour: retries, timeouts, tokens, mutual TLS
# ------------------------------------------------------------------------------------------------------------------
def test_server_errors_are_retried_a_bounded_number_of_times(mailbox):
    import httpx

    from registry.channels.edoreczenia.client import ClientError

    answers = iter([503, 503, 200])
    original = mailbox.handle

    def flaky(request):
        if "/messages" in request.url.path and request.method == "GET":
            status = next(answers, 503)
            if status != 200:
                return httpx.Response(status)
        return original(request)

    mailbox.handle = flaky
    sleeps = []
    mailbox.add(message("R-1"))
    assert mailbox.client(sleeps=sleeps).list_inbox_ids(10) == ["R-1"]
    assert sleeps == [2.0, 4.0]

    sleeps.clear()
    with pytest.raises(ClientError) as info:
        mailbox.client(sleeps=sleeps).list_inbox_ids(10)  # 503 for ever
    assert info.value.status == 503 and sleeps == [2.0, 4.0, 8.0]


def test_timeouts_are_retried_then_reported(mailbox):
    import httpx

    from registry.channels.edoreczenia.client import ClientError

    def slow(request):
        if request.url.host == "auth.test":
            return mailbox.handle(request)
        raise httpx.ReadTimeout("timed out", request=request)

    client = mailbox.client()
    client.transport = httpx.MockTransport(slow)
    with pytest.raises(ClientError, match="ReadTimeout"):
        client.list_inbox_ids(5)
    assert client.http.timeout.read == 5


def test_token_is_reused_and_renewed_after_401(mailbox):
    import httpx

    mailbox.add(message("T-1"))
    client = mailbox.client()
    client.list_inbox_ids(5)
    client.list_inbox_ids(5)
    assert mailbox.tokens_issued == 1
    original = mailbox.handle
    refused = []

    def expired(request):
        if request.url.host != "auth.test" and not refused:
            refused.append(request.headers["Authorization"])
            return httpx.Response(401)
        return original(request)

    client.close()
    client.transport = httpx.MockTransport(expired)
    assert client.list_inbox_ids(5) == ["T-1"]
    assert refused == ["Bearer token-1"] and mailbox.tokens_issued == 2


def test_client_certificate_is_loaded_for_mutual_tls(tmp_path):
    import shutil
    import subprocess

    from registry.channels.edoreczenia.client import Config, tls_context

    if not shutil.which("openssl"):
        pytest.skip("no openssl to make a test certificate")
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=obieg-test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = tls_context(Config(url="https://x", ade="a", token_url="https://t", cert=str(cert), key=str(key)))
    assert context.verify_mode.name == "CERT_REQUIRED"
    with pytest.raises(FileNotFoundError):
        tls_context(Config(url="https://x", ade="a", token_url="https://t", cert=str(tmp_path / "missing.pem")))


def test_admin_sends_failed_messages_back_for_another_attempt(client, office):
    from registry.tests.factories import UserFactory

    failed = ChannelImport.objects.create(
        channel=Channel.EDORECZENIA, mailbox="AE:PL-28080-40239-TUSBF-26", message_id="F-1", status="failed",
        attempts=10, error="hash",
    )
    imported = ChannelImport.objects.create(
        channel=Channel.EDORECZENIA, mailbox="AE:PL-28080-40239-TUSBF-26", message_id="F-2", status="imported",
        attempts=1,
    )
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get("/admin/registry/channelimport/").status_code == 200
    response = client.post(
        "/admin/registry/channelimport/",
        {"action": "retry_now", "_selected_action": [failed.pk, imported.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    imported.refresh_from_db()
    assert (failed.attempts, failed.next_attempt_at) == (0, None)
    assert imported.attempts == 1


def test_a_message_given_up_on_is_still_deleted_once_registered_by_hand(office, mailbox):
    mailbox.add(message("G-1", attachments=[attachment(1, "a.pdf", _pdf(), digest="00" * 32)]))
    client = mailbox.client()
    assert import_mailbox(client=client) == {"failed": 1}
    ChannelImport.objects.update(attempts=10, next_attempt_at=None)
    assert import_mailbox(client=client) == {"waiting": 1}  # given up: a person looks at it
    register_delivery(
        registered_by=office["clerk"], channel=Channel.EDORECZENIA, form=Form.ELECTRONIC,
        received_at=timezone.now(), subject="Wniosek (zarejestrowany ręcznie)", external_id="G-1",
    )
    assert import_mailbox(client=client) == {"duplicate": 1}
    assert mailbox.deleted == ["G-1"]


def test_unexpected_errors_count_as_attempts(office, mailbox, monkeypatch):
    from registry.channels.edoreczenia import importer

    def boom(*args, **kwargs):
        raise RuntimeError("surprise")

    monkeypatch.setattr(importer, "map_message", boom)
    mailbox.add(message("U-1"))
    assert import_mailbox(client=mailbox.client()) == {"failed": 1}
    row = ChannelImport.objects.get()
    assert (row.status, row.attempts, row.error) == ("failed", 1, "surprise")
    assert row.next_attempt_at is not None


def test_messages_waiting_for_a_retry_do_not_starve_new_ones(office, mailbox):
    for n in range(3):
        mailbox.add(message(f"W-{n}", attachments=[attachment(1, "a.pdf", _pdf(), digest="00" * 32)]))
    client = mailbox.client()
    assert import_mailbox(limit=3, client=client) == {"failed": 3}
    mailbox.add(message("NEW-1", attachments=[attachment(1, "b.pdf", _pdf())]))
    assert import_mailbox(limit=1, client=client) == {"waiting": 3, "imported": 1}
    assert Delivery.objects.get().external_id == "NEW-1"


def test_deadlines_start_from_the_e1_time_of_an_imported_delivery(office, mailbox):
    """The shape of receipt_evidence is what deadlines.services reads (E.1 eventDate, not the sender's A.1)."""
    from deadlines.services import _evidence_time

    # Received late on 3 Nov in Warsaw (23:30 UTC = 00:30 on 4 Nov local time); the sender submitted on 2 Nov.
    msg = message("D-1", received="2025-11-03T23:30:00Z")
    msg["messageMetadata"]["eventDate"] = "2025-11-02T10:00:00Z"
    mailbox.add(msg)
    assert import_mailbox(client=mailbox.client()) == {"imported": 1}
    delivery = Delivery.objects.get()
    assert _evidence_time(delivery) == dt.datetime(2025, 11, 3, 23, 30, tzinfo=dt.UTC) == delivery.received_at


def test_an_answer_with_another_message_is_refused_and_the_requested_one_stays(office, mailbox):
    """A read of M-1 answered with a one-item list holding M-2 must not register M-2 in M-1's place (and must not
    delete M-1 from the mailbox): the import of M-1 fails and is retried later."""
    mailbox.add(message("M-1", subject="Wniosek pierwszy"))
    mailbox.add(message("M-2", subject="Wniosek drugi"))
    mailbox.answer_instead["M-1"] = "M-2"
    counts = import_mailbox(limit=1, client=mailbox.client())
    assert counts[ChannelImport.Status.FAILED] == 1
    row = ChannelImport.objects.get(message_id="M-1")
    assert row.status == ChannelImport.Status.FAILED and "another message" in row.error
    assert "M-1" in mailbox.messages and mailbox.deleted == []
    assert not Delivery.objects.exists()
    # A one-item answer without any id is the requested message.
    client = mailbox.client()
    mailbox.answer_instead.clear()
    del mailbox.messages["M-2"]["messageMetadata"]["messageId"]
    mailbox.answer_instead["M-1"] = "M-2"
    assert client.get_message("M-1")["messageMetadata"]["subject"] == "Wniosek drugi"


def test_evidence_files_over_the_limit_are_refused_while_streaming(office, mailbox, settings):
    settings.MAX_ATTACHMENT_SIZE = 10_000
    mailbox.evidence_size = 50_000
    client = mailbox.client()
    with pytest.raises(ClientError, match="larger than the limit"):
        client.get_evidence_file("EV-1")
    mailbox.evidence_size = 0
    assert client.get_evidence_file("EV-1").startswith(b"<?xml")
