"""Dispatch figures: items sent per second through the service layer (queue → claim → preflight → draft,
attachment, send, send task → metryka) against the fake e-Doręczenia service of the tests (in process, every
request and answer checked against the yaml, so the figure includes that checking), and evidences processed per
second (A.1 + D.1 downloaded, stored as case documents, deemed date computed).

    python bench/dispatch.py [--items 300]

Runs on its own database (obieg_bench_dispatch)."""

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Timer, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    setup_django("obieg_bench_dispatch")

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from dispatch import edoreczenia
    from dispatch.models import Shipment, State
    from dispatch.services import delivery, send
    from obieg.celery import app
    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import Action, Correspondent, DocumentKind, JrwaClass, JrwaVersion
    from registry.services.cases import open_case
    from registry.services.deliveries import record_outgoing
    from registry.services.documents import add_document
    from registry.services.history import record
    from registry.tests.uaapi_fake import FakeMailbox

    settings.MEDIA_ROOT = str(Path(settings.BASE_DIR) / "var" / "bench-media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WORKFLOW_AUTOSTART_DEKRETACJA = False
    app.conf.task_always_eager = True  # the send runs in this process, on commit of the queueing
    mailbox = FakeMailbox()
    settings.EDORECZENIA_ADE = mailbox.ade
    api = mailbox.client()
    edoreczenia.client = lambda: api
    send_close = api.close
    api.close = lambda: None  # one client for the whole run, as a worker keeps it
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"x" * 20_000

    unit = OrgUnit.objects.create(symbol="RB", name="Wydział")
    clerk = User.objects.create_user("kancelaria", password="x")
    Membership.objects.create(user=clerk, unit=unit, role=Role.REGISTRY_CLERK)
    worker = User.objects.create_user("referent", password="x")
    Membership.objects.create(user=worker, unit=unit, role=Role.CASE_WORKER)
    version = JrwaVersion.objects.create(name="JRWA", valid_from=dt.date(2011, 1, 1))
    jrwa = JrwaClass.objects.create(version=version, symbol="6730", title="Warunki zabudowy", is_leaf=True)
    print(f"Preparing {args.items} outgoing items (cases, signed decisions, addressees with an ADE) …", flush=True)
    ids = []
    for i in range(args.items):
        with transaction.atomic():
            case = open_case(actor=worker, unit=unit, jrwa_class=jrwa, title=f"Sprawa {i}", case_worker=worker)
            doc = add_document(actor=worker, title=f"Decyzja {i}", kind=DocumentKind.DECISION, case=case,
                               upload=SimpleUploadedFile(f"decyzja-{i}.pdf", pdf, content_type="application/pdf"))
            record(worker, Action.SIGNED, "podpis", case=case, document=doc, document_version=doc.current_version)
            who = Correspondent.objects.create(first_name="Jan", last_name=f"Nowak{i}",
                                               ade=f"AE:PL-{10000 + i:05d}-82585-JHWCF-30")
            item = record_outgoing(actor=clerk, recipient=who, channel="edoreczenia", subject=doc.title, case=case,
                                   document=doc)
            shipment = Shipment.objects.create(item=item, ade=who.ade)
            shipment.documents.set([doc])
            ids.append(shipment.pk)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    with Timer() as t_send:
        for pk in ids:  # one at a time, as a clerk's bulk send queues them: queue + the worker's send
            result = send.queue([pk], actor=clerk)
            assert result.queued == [pk], result
    send_calls = len(mailbox.calls)
    sent = Shipment.objects.filter(state=State.SUBMITTED).count()
    assert sent == args.items and mailbox.sends == args.items, (sent, mailbox.sends)
    for message_id in list(mailbox.sent):
        mailbox.add_evidence(message_id, "D.1", "2026-12-02T10:00:00Z", status="Czeka na doręczenie")
    with Timer() as t_poll:
        for pk in ids:
            delivery.poll(pk, api=api)
    awaiting = Shipment.objects.filter(state=State.AWAITING, deemed_on=dt.date(2026, 12, 16)).count()
    assert awaiting == args.items, awaiting
    with Timer() as t_again:
        result = send.queue(ids, actor=clerk)
    assert result.already == ids and mailbox.sends == args.items
    send_close()
    print(f"items sent:                 {args.items} in {t_send.seconds:.2f} s = "
          f"{args.items / t_send.seconds:.1f} items/s ({1000 * t_send.seconds / args.items:.1f} ms each, "
          f"{send_calls / args.items:.1f} UA API calls per item, each checked against the yaml)")
    print(f"evidences polled (A.1+D.1): {args.items} items in {t_poll.seconds:.2f} s = "
          f"{args.items / t_poll.seconds:.1f} items/s")
    print(f"bulk re-send of all {args.items} (refused as already sent): {t_again.seconds:.2f} s, 0 sends")


if __name__ == "__main__":
    main()
