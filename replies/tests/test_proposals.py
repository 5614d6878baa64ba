"""Replies find their case: proposals from e-Doręczenia references and quoted case signs, accepted or declined at
dekretacja, never attached silently."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dispatch.models import Shipment
from registry.channels.edoreczenia.mapping import receipt_evidence
from registry.models import Action, Channel, HistoryEntry, OutgoingItem
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery
from replies import services
from replies.matching import cited_signs
from replies.models import Basis, CaseProposal
from replies.selectors import visible_proposals
from workflow import services as wf
from workflow.models import DeliveryProcess
from workflow.tests.helpers import open_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people):
    return make_case(people["worker_rb"], unit=people["RB"], jrwa_class=people["wz"], case_worker=people["worker_rb"],
                     title="Warunki zabudowy – Kowalski")


@pytest.fixture
def register(people, django_capture_on_commit_callbacks):
    def register(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):  # proposals are computed on commit (eager here)
            return make_delivery(people["clerk"], **kwargs)
    return register


def to_handle(people, delivery):
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    wf.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])
    [decree] = open_tasks("decree", process_id=process.pk)
    wf.decree(decree.pk, user=people["head_rb"], worker=people["worker_rb"])
    [handle] = open_tasks("handle", process_id=process.pk)
    return handle


def shipment(people, case, **ids):
    item = OutgoingItem.objects.create(
        year=2026, number=OutgoingItem.objects.count() + 1, case=case, recipient=CorrespondentFactory(),
        channel="edoreczenia", subject="Wezwanie do uzupełnienia", registered_by=people["worker_rb"],
    )
    return Shipment.objects.create(item=item, **ids)


def test_sign_regex_follows_the_instrukcja_format():
    text = "W odpowiedzi na pismo znak RB-A.6730.12.2026.JK oraz OR.0012.1.2024. Nie: 12.2024, X.1.2026"
    assert cited_signs(text) == ["RB-A.6730.12.2026.JK", "RB-A.6730.12.2026", "OR.0012.1.2024"]
    assert cited_signs("or.0012.3.2025") == ["OR.0012.3.2025"]


def test_quoted_sign_of_an_existing_case_is_proposed_not_attached(people, case, register):
    delivery = register(subject=f"Odpowiedź na wezwanie, znak sprawy {case.sign}; także XX.0000.99.2020")
    [proposal] = CaseProposal.objects.filter(delivery=delivery)
    assert (proposal.case, proposal.basis, proposal.detail, proposal.state) == (
        case, Basis.CITED_SIGN, case.sign, CaseProposal.State.PROPOSED)
    delivery.refresh_from_db()
    assert delivery.case_id is None  # never silently attached


def test_sign_in_the_letter_text_is_found(people, case, register):
    body = f"Szanowni Państwo,\nw nawiązaniu do pisma {case.sign}.JK przesyłam dokumenty.".encode()
    delivery = register(subject="Uzupełnienie", files=[SimpleUploadedFile("tresc-wiadomosci.txt", body)])
    assert CaseProposal.objects.get(delivery=delivery).case == case


def test_reply_to_our_e_doreczenia_message(people, case, register):
    shipment(people, case, message_id="MSG-OUT-1", thread_id="THR-1")
    delivery = register(subject="Odpowiedź", channel=Channel.EDORECZENIA, form="electronic", external_id="in-1",
                        receipt_evidence={"message": {"refToMessageId": "MSG-OUT-1", "threadId": "THR-1"}})
    [proposal] = CaseProposal.objects.filter(delivery=delivery)
    assert (proposal.case, proposal.basis, proposal.detail) == (case, Basis.REF_TO_MESSAGE, "MSG-OUT-1")


def test_same_thread_or_our_case_id(people, case, register):
    shipment(people, case, message_id="MSG-OUT-2", thread_id="THR-2")
    by_thread = register(subject="Pismo", channel=Channel.EDORECZENIA, form="electronic", external_id="in-2",
                         receipt_evidence={"message": {"threadId": "THR-2"}})
    by_case_id = register(subject="Pismo", channel=Channel.EDORECZENIA, form="electronic", external_id="in-3",
                          receipt_evidence={"message": {"caseId": case.sign}})
    assert CaseProposal.objects.get(delivery=by_thread).basis == Basis.THREAD
    assert CaseProposal.objects.get(delivery=by_case_id).basis == Basis.CASE_ID


def test_unknown_references_propose_nothing(people, case, register):
    delivery = register(subject="Pismo OR.0012.77.2019", channel=Channel.EDORECZENIA, form="electronic",
                        external_id="in-4", receipt_evidence={"message": {"refToMessageId": "nobody"}})
    assert not CaseProposal.objects.filter(delivery=delivery).exists()


def test_the_intake_mapping_keeps_the_message_references():
    metadata = {"threadId": "T", "caseId": "RB.6730.1.2026", "refToMessageId": "M", "timestamp": "2026-12-01T10:00Z"}
    kept = receipt_evidence("M-in", "timestamp", {}, metadata, [])["message"]
    assert (kept["threadId"], kept["caseId"], kept["refToMessageId"]) == ("T", "RB.6730.1.2026", "M")


def test_accepting_attaches_and_writes_the_metryka_once(people, case, register):
    delivery = register(subject=f"Odpowiedź {case.sign}")
    proposal = CaseProposal.objects.get(delivery=delivery)
    handle = to_handle(people, delivery)
    services.accept(proposal.pk, task_id=handle.pk, user=people["worker_rb"])
    services.accept(proposal.pk, task_id=handle.pk, user=people["worker_rb"])  # a second submission: no-op
    delivery.refresh_from_db()
    proposal.refresh_from_db()
    assert delivery.case == case and proposal.state == CaseProposal.State.ACCEPTED
    [entry] = HistoryEntry.objects.filter(case=case, action=Action.OTHER, data__proposal=proposal.pk)
    assert "jak zaproponował system" in entry.description and entry.data["basis"] == Basis.CITED_SIGN
    assert HistoryEntry.objects.filter(case=case, delivery=delivery, action=Action.DELIVERY_ATTACHED).count() == 1


def test_declining_keeps_the_delivery_out_and_is_recorded_on_it(people, case, register):
    delivery = register(subject=f"Odpowiedź {case.sign}")
    proposal = CaseProposal.objects.get(delivery=delivery)
    services.decline(proposal.pk, delivery_id=delivery.pk, user=people["clerk"])
    assert visible_proposals(delivery, people["worker_rb"]) == []
    entry = HistoryEntry.objects.get(delivery=delivery, action=Action.OTHER, data__proposal=proposal.pk)
    assert entry.case_id is None


def test_proposal_shown_only_to_those_who_may_see_the_case(people, register):
    secret = make_case(people["worker_rb"], unit=people["RB"], jrwa_class=people["wz"],
                       case_worker=people["worker_rb"], confidential=True)
    delivery = register(subject=f"Dot. {secret.sign}")
    assert [p.case for p in visible_proposals(delivery, people["worker_rb"])] == [secret]
    assert visible_proposals(delivery, people["worker_or"]) == []


def test_task_page_shows_the_proposal_and_accepts_it(client, people, case, register):
    delivery = register(subject=f"Odpowiedź {case.sign}")
    handle = to_handle(people, delivery)
    proposal = CaseProposal.objects.get(delivery=delivery)
    client.force_login(people["worker_rb"])
    page = client.get(reverse("workflow:task", args=[handle.pk])).content.decode()
    assert "Proponowana sprawa" in page and case.sign in page and "Dołącz do" in page
    response = client.post(reverse("replies:accept", args=[handle.pk, proposal.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.case == case
    again = client.post(reverse("replies:accept", args=[handle.pk, proposal.pk]), follow=True)
    assert again.status_code == 200  # a second submission says it is decided, nothing else happens


def test_earlier_dekretacja_steps_show_the_proposal_without_attaching(client, people, case, register):
    delivery = register(subject=f"Odpowiedź {case.sign}")
    [choose] = open_tasks("choose_unit", process_id=DeliveryProcess.objects.get(delivery=delivery).pk)
    client.force_login(people["clerk"])
    page = client.get(reverse("workflow:task", args=[choose.pk])).content.decode()
    assert "Dołącz do" not in page
    proposal = CaseProposal.objects.get(delivery=delivery)
    client.post(reverse("replies:accept", args=[choose.pk, proposal.pk]))
    delivery.refresh_from_db()
    assert delivery.case_id is None  # the handle step attaches, not the clerk's


def test_sign_found_later_in_the_ocr_text_is_proposed(people, case, register, django_capture_on_commit_callbacks):
    from registry.tests.factories import pdf_upload

    delivery = register(subject="Pismo", files=[pdf_upload("skan.pdf", text="")])
    assert not CaseProposal.objects.filter(delivery=delivery).exists()
    version = delivery.documents.get().current_version
    version.text = f"Dotyczy sprawy {case.sign}"
    with django_capture_on_commit_callbacks(execute=True):
        version.save(update_fields=["text", "text_status"])  # as search's extraction task stores it
    assert CaseProposal.objects.get(delivery=delivery).case == case
