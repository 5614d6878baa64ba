"""Registering deliveries: idempotency, files, and bad input that must leave nothing behind."""

import datetime as dt
import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.utils import timezone

from registry.models import Action, Channel, Delivery, Document, DocumentVersion, Form, HistoryEntry
from registry.services.deliveries import register_delivery
from registry.tests.factories import CorrespondentFactory, make_delivery, pdf_upload


def _files_on_disk(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, f) for f in files]
    return found


def test_registration_numbers_records_and_stores_files(office, settings):
    clerk = office["clerk"]
    sender = CorrespondentFactory(last_name="Ślęzak")
    delivery = make_delivery(
        clerk, sender=sender, addressed_unit=office["RB"], files=[pdf_upload("wniosek.pdf"), pdf_upload("mapa.pdf")]
    )
    assert delivery.number == 1
    assert delivery.rpw == f"RPW/1/{delivery.year}"
    versions = DocumentVersion.objects.filter(document__delivery=delivery).order_by("document__pk")
    assert [v.original_name for v in versions] == ["wniosek.pdf", "mapa.pdf"]
    for v in versions:
        assert v.mime_type == "application/pdf"
        assert len(v.sha256) == 64
        assert "wniosek" not in v.file.name and ".." not in v.file.name
        assert v.file.name.startswith("documents/")
    history = HistoryEntry.objects.filter(delivery=delivery)
    assert history.filter(action=Action.DELIVERY_REGISTERED).count() == 1
    assert history.filter(action=Action.DOCUMENT_ADDED).count() == 2
    assert len(_files_on_disk(settings)) == 2


def test_same_channel_message_twice_gives_the_same_delivery(office):
    kwargs = {
        "registered_by": office["clerk"], "channel": Channel.EDORECZENIA, "form": Form.ELECTRONIC,
        "received_at": timezone.now(), "subject": "Wniosek", "external_id": "msg-0001",
    }
    first, created1 = register_delivery(**kwargs)
    second, created2 = register_delivery(**kwargs)
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk
    assert Delivery.objects.count() == 1


def test_same_message_from_another_channel_is_another_delivery(office):
    base = {"registered_by": office["clerk"], "form": Form.ELECTRONIC, "received_at": timezone.now(),
            "subject": "Wniosek", "external_id": "42"}
    register_delivery(channel=Channel.EPUAP, **base)
    register_delivery(channel=Channel.EDORECZENIA, **base)
    assert Delivery.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_racing_duplicates_register_once(office):
    results, barrier = [], threading.Barrier(6)

    def go():
        try:
            barrier.wait()
            results.append(register_delivery(
                registered_by=office["clerk"], channel=Channel.EDORECZENIA, form=Form.ELECTRONIC,
                received_at=timezone.now(), subject="Wniosek", external_id="race-1", files=[pdf_upload()],
            ))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6
    assert len({d.pk for d, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Delivery.objects.count() == 1
    # The losers' numbers were rolled back: the next registration gets number 2.
    assert make_delivery(office["clerk"]).number == 2


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("pusty.pdf", b""), "empty"),
        # ContentFile keeps the name as given (Django's own upload parser would strip the path first).
        (ContentFile(b"x", name="../../etc/passwd"), "file_name"),
        (ContentFile(b"x", name="a\x07b.pdf"), "file_name"),
    ],
)
def test_bad_files_leave_nothing_behind(office, settings, upload, code):
    with pytest.raises(ValidationError) as err:
        make_delivery(office["clerk"], files=[pdf_upload(), upload])
    assert code in str(err.value.error_list[0].code)
    assert Delivery.objects.count() == 0
    assert Document.objects.count() == 0
    assert _files_on_disk(settings) == []


def test_too_large_file_is_refused(office, settings):
    settings.MAX_ATTACHMENT_SIZE = 1024
    with pytest.raises(ValidationError, match="przekracza limit"):
        make_delivery(office["clerk"], files=[SimpleUploadedFile("duzy.pdf", b"%PDF-1.4" + b"0" * 2048)])
    assert Delivery.objects.count() == 0


def test_failure_after_files_were_stored_removes_them(office, settings, monkeypatch):
    from registry.services import deliveries

    def boom(*args, **kwargs):
        raise RuntimeError("signal receiver failed")

    monkeypatch.setattr(deliveries.signals.delivery_registered, "send", boom)
    with pytest.raises(RuntimeError):
        make_delivery(office["clerk"], files=[pdf_upload()])
    assert Delivery.objects.count() == 0
    assert _files_on_disk(settings) == []
    # and the number was not used up
    monkeypatch.undo()
    assert make_delivery(office["clerk"]).number == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"received_at": timezone.now() + dt.timedelta(days=1)}, "received_at"),
        ({"letter_date": timezone.localdate() + dt.timedelta(days=3)}, "letter_date"),
        ({"posted_on": timezone.localdate() + dt.timedelta(days=3)}, "posted_on"),
        ({"subject": "   "}, "subject"),
    ],
)
def test_bad_dates_and_missing_subject(office, kwargs, field):
    with pytest.raises(ValidationError) as err:
        make_delivery(office["clerk"], **kwargs)
    assert field in err.value.message_dict
    assert Delivery.objects.count() == 0


def test_error_messages_are_translated(office):
    from django.utils import translation

    with translation.override("pl"), pytest.raises(ValidationError) as err:
        make_delivery(office["clerk"], received_at=timezone.now() + dt.timedelta(days=1))
    assert "przyszłości" in str(err.value)


def test_naive_date_of_receipt_is_a_clear_error_not_a_crash(office):
    from django.utils import translation

    naive = dt.datetime.now() - dt.timedelta(hours=1)  # the point: no time zone
    with translation.override("pl"), pytest.raises(ValidationError) as err:
        make_delivery(office["clerk"], received_at=naive)
    assert "strefą czasową" in " ".join(err.value.message_dict["received_at"])
    assert Delivery.objects.count() == 0
