"""A small office corpus with known answers, shared by the query suite and the access tests."""

import datetime as dt

from django.utils import timezone

from registry.models import Channel, Correspondent, Delivery, DocumentKind, DocumentVersion
from registry.services.documents import add_document
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload
from search.index.outbox import drain_all


def at(day: str):
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T10:00"))


def add_text_document(actor, title, text, *, case=None, delivery=None, kind=DocumentKind.ATTACHMENT):
    doc = add_document(actor=actor, title=title, kind=kind, upload=pdf_upload(), case=case, delivery=delivery)
    DocumentVersion.objects.filter(document=doc).update(text=text, text_status="done")
    return doc


def build_corpus(office, backend) -> dict:
    clerk = office["clerk"]
    kowalski = CorrespondentFactory(first_name="Jan", last_name="Kowalski", city="Zielona Dolina")
    gmina = CorrespondentFactory(
        kind=Correspondent.Kind.INSTITUTION, name="Gmina Brzozowo", first_name="", last_name=""
    )
    nowak = CorrespondentFactory(first_name="Anna", last_name="Nowak")

    d1 = make_delivery(
        clerk, subject="Wniosek o wydanie decyzji o warunkach zabudowy", sender=kowalski, channel=Channel.POST,
        sender_reference="ZN/15/2025", addressed_unit=office["RB"], received_at=at("2025-03-03"),
    )
    c1 = make_case(
        office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], case_worker=office["worker_rb"],
        delivery=d1, title="Warunki zabudowy dla budynku mieszkalnego, działka 12/3",
    )
    doc1 = add_text_document(
        clerk, "Wniosek WZ",
        "Wnoszę o wydanie decyzji o warunkach zabudowy. Proszę o doręczenia korespondencji na adres "
        "ul. Źródlana 5. Mapa działki w załączeniu.", case=c1,
    )
    doc2 = add_text_document(
        office["worker_rb"], "Projekt decyzji", "Ustalam warunki zabudowy dla inwestycji polegającej na budowie "
        "budynku mieszkalnego jednorodzinnego.", case=c1, kind=DocumentKind.DRAFT,
    )

    d2 = make_delivery(
        clerk, subject="Wniosek o udostępnienie informacji publicznej o drogach gminnych", sender=gmina,
        channel=Channel.EPUAP, addressed_unit=office["OR"], received_at=at("2024-11-20"),
    )
    Delivery.objects.filter(pk=d2.pk).update(assigned_unit=office["OR"], status=Delivery.Status.ASSIGNED)
    doc3 = add_text_document(
        clerk, "Treść wniosku",
        "Na podstawie ustawy o dostępie do informacji publicznej wnoszę o udostępnienie wykazu dróg gminnych "
        "oraz kosztów remontu chodnika przy szkole.", delivery=d2,
    )

    c2 = make_case(
        office["worker_rb_a"], unit=office["RB-A"], jrwa_class=office["udip"], case_worker=office["worker_rb_a"],
        title="Skarga na przewlekłość postępowania", confidential=True,
    )
    doc4 = add_text_document(
        office["worker_rb_a"], "Skarga mieszkańca", "Skarżę się na przewlekłe doręczenie decyzji przez urząd.",
        case=c2,
    )
    d3 = make_delivery(
        clerk, subject="Skarga na hałas z budowy", sender=nowak, channel=Channel.EMAIL,
        addressed_unit=office["RB-A"], received_at=at("2025-01-15"),
    )
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    return {
        "d1": ("delivery", d1.pk), "d2": ("delivery", d2.pk), "d3": ("delivery", d3.pk),
        "c1": ("case", c1.pk), "c2": ("case", c2.pk),
        "doc1": ("document", doc1.pk), "doc2": ("document", doc2.pk), "doc3": ("document", doc3.pk),
        "doc4": ("document", doc4.pk),
        "objects": {"d1": d1, "d2": d2, "d3": d3, "c1": c1, "c2": c2, "kowalski": kowalski, "gmina": gmina},
    }
