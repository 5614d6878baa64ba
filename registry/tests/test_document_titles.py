"""Documents made from deliveries and uploads are titled by what the letter is, not by the file name."""

import pytest
from django.urls import reverse

from registry.models import Channel, Document, Form, HistoryEntry
from registry.services.titles import TITLE_MAX
from registry.tests.factories import make_case, make_delivery, pdf_upload

pytestmark = pytest.mark.django_db


def _titles(delivery):
    return list(Document.objects.filter(delivery=delivery).order_by("pk").values_list("title", flat=True))


def test_paper_delivery_files_are_a_scan_and_its_attachments(office):
    delivery = make_delivery(office["clerk"], subject="Wniosek o wydanie zaświadczenia o niezaleganiu",
                             files=[pdf_upload("skan0001.pdf"), pdf_upload("skan0002.pdf")])
    assert _titles(delivery) == [
        "Wniosek o wydanie zaświadczenia o niezaleganiu (skan)",
        "Wniosek o wydanie zaświadczenia o niezaleganiu – załącznik 1 (skan)",
    ]
    # The metryka names the document by its title and keeps the file name beside it.
    entry = HistoryEntry.objects.filter(delivery=delivery, document__isnull=False).order_by("pk").first()
    assert "„Wniosek o wydanie zaświadczenia o niezaleganiu (skan)”" in entry.description or \
        "“Wniosek o wydanie zaświadczenia o niezaleganiu (skan)”" in entry.description
    assert "skan0001.pdf" in entry.description


@pytest.mark.parametrize("channel, kind", [(Channel.EMAIL, "e-mail"), (Channel.IN_PERSON, "dokument elektroniczny")])
def test_electronic_delivery_is_named_by_its_channel(office, channel, kind):
    delivery = make_delivery(office["clerk"], channel=channel, form=Form.ELECTRONIC, subject="Skarga na hałas",
                             files=[pdf_upload("x.pdf")])
    assert _titles(delivery) == [f"Skarga na hałas ({kind})"]


def test_subject_brak_danych_gives_the_rpw_number(office):
    delivery = make_delivery(office["clerk"], subject="brak danych", files=[pdf_upload("a.pdf")])
    assert _titles(delivery) == [f"Pismo {delivery.rpw} (skan)"]


def test_a_long_subject_is_shortened_but_the_kind_stays(office):
    delivery = make_delivery(office["clerk"], subject="W" * 500, files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    first, second = _titles(delivery)
    assert len(first) == len(second) == TITLE_MAX
    assert first.endswith("… (skan)") and second.endswith("… – załącznik 1 (skan)")


def test_registration_form_titles_documents_from_the_subject(client, office):
    from registry.tests.test_views_forms import delivery_data

    client.force_login(office["clerk"])
    data = delivery_data(files=[pdf_upload("IMG_2041.pdf")])
    response = client.post(reverse("registry:delivery-create"), data, follow=True)
    page = response.content.decode()
    assert "Wniosek o wydanie decyzji o warunkach zabudowy (skan)" in page
    assert _titles(response.context["delivery"]) == ["Wniosek o wydanie decyzji o warunkach zabudowy (skan)"]


def test_case_upload_without_a_title_takes_the_kind_and_the_case_title(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="Warunki zabudowy dz. 12")
    client.force_login(office["worker_rb"])
    client.post(reverse("registry:case-document", args=[case.pk]),
                {"title": "  ", "kind": "draft", "file": pdf_upload("projekt.pdf"), "comment": ""})
    client.post(reverse("registry:case-document", args=[case.pk]),
                {"title": "Notatka z oględzin", "kind": "note", "file": pdf_upload("n.pdf"), "comment": ""})
    assert list(case.documents.order_by("pk").values_list("title", flat=True)) == [
        "Projekt pisma – Warunki zabudowy dz. 12", "Notatka z oględzin",
    ]
    page = client.get(reverse("registry:case-detail", args=[case.pk])).content.decode()
    assert "Projekt pisma – Warunki zabudowy dz. 12" in page
