"""The document page: metadata, versions, text layer, previews and downloads; the access rule of its case or
delivery (a hidden document answers exactly like a missing one); the metryka records views of confidential ones."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Action, DocumentVersion, HistoryEntry
from registry.services.documents import add_document, store_version
from registry.tests.factories import make_case, make_delivery
from search import previews
from search.tests.samples import pdf_with_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(office, tmp_path):
    pdf = pdf_with_text(tmp_path / "a.pdf", pages=2).read_bytes()
    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"], subject="Wniosek o wypis")
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="Warunki zabudowy 12/3")
    secret = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], confidential=True,
                       title="Sprawa poufna")
    in_case = add_document(actor=office["worker_rb"], title="Projekt decyzji", kind="draft", case=case,
                           upload=SimpleUploadedFile("projekt.pdf", pdf))
    store_version(in_case, SimpleUploadedFile("projekt-v2.pdf", pdf + b"\n"), actor=office["worker_rb"],
                  comment="poprawki")
    DocumentVersion.objects.filter(document=in_case, number=2).update(
        text="Ustalam <script>alert(1)</script> warunki zabudowy", text_status="done", text_method="pdf-text")
    DocumentVersion.objects.filter(document=in_case, number=1).update(
        text_status="failed", text_error="Plik jest uszkodzony.")
    in_delivery = add_document(actor=office["clerk"], title="Skan wniosku", kind="incoming", delivery=delivery,
                               upload=SimpleUploadedFile("skan.txt", "Treść wniosku".encode()))
    confidential = add_document(actor=office["worker_rb"], title="Notatka poufna", kind="note", case=secret,
                                upload=SimpleUploadedFile("notatka.pdf", pdf))
    return {"case": case, "secret": secret, "delivery": delivery, "in_case": in_case, "in_delivery": in_delivery,
            "confidential": confidential}


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_page_shows_metadata_versions_and_the_text_layer(client, office, docs):
    doc = docs["in_case"]
    v1, v2 = doc.versions.order_by("number")
    response = get(client, office["secretary"], reverse("registry:document-detail", args=[doc.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Projekt decyzji" in html
    assert response.context["document"].get_kind_display() in html
    assert reverse("registry:case-detail", args=[docs["case"].pk]) in html and docs["case"].sign in html
    for v in (v1, v2):
        assert v.sha256 in html and v.original_name in html
        assert reverse("registry:document-download", args=[v.pk]) in html
    assert "poprawki" in html
    # the current version's text, escaped, in a collapsible block
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert '<details class="text-layer">' in html
    assert "warstwa tekstowa PDF" in html  # how the text was obtained


def test_an_older_version_shows_its_extraction_failure(client, office, docs):
    doc = docs["in_case"]
    response = get(client, office["worker_rb"], reverse("registry:document-detail", args=[doc.pk]) + "?wersja=1")
    html = response.content.decode()
    assert "Plik jest uszkodzony." in html
    assert "Warstwa tekstowa wersji 1" in html
    assert "alert(1)" not in html  # the text of version 2 is not shown for version 1


@pytest.mark.parametrize("wanted", ["abc", "99", "²", ""])
def test_a_bad_version_parameter_shows_the_current_one(client, office, docs, wanted):
    response = get(client, office["worker_rb"],
                   reverse("registry:document-detail", args=[docs["in_case"].pk]) + f"?wersja={wanted}")
    assert response.status_code == 200
    assert response.context["selected"].number == 2


def test_delivery_document_links_to_its_delivery(client, office, docs):
    response = get(client, office["clerk"], reverse("registry:document-detail", args=[docs["in_delivery"].pk]))
    html = response.content.decode()
    assert reverse("registry:delivery-detail", args=[docs["delivery"].pk]) in html
    assert docs["delivery"].rpw in html
    assert response.context["preview"].status == "unsupported"  # a text file: no preview, said so


def test_hidden_document_answers_like_a_missing_one(client, office, docs):
    secret = docs["confidential"]
    version = secret.versions.get()
    previews.render(version)
    urls = [
        reverse("registry:document-detail", args=[secret.pk]),
        reverse("registry:document-download", args=[version.pk]),
        reverse("registry:version-thumbnail", args=[version.pk, 1]),
        reverse("registry:version-page-image", args=[version.pk, 1]),
        reverse("registry:document-page", args=[version.pk, 1]),
    ]
    missing = [
        reverse("registry:document-detail", args=[10**8]),
        reverse("registry:document-download", args=[10**8]),
        reverse("registry:version-thumbnail", args=[10**8, 1]),
        reverse("registry:version-page-image", args=[10**8, 1]),
        reverse("registry:document-page", args=[10**8, 1]),
    ]
    client.force_login(office["secretary"])  # sees every non-confidential record, but not this one
    for url, absent in zip(urls, missing, strict=True):
        hidden, gone = client.get(url), client.get(absent)
        assert hidden.status_code == gone.status_code == 404, url
        assert _page(hidden, url) == _page(gone, absent)

    client.force_login(office["worker_or"])
    assert client.get(reverse("registry:document-detail", args=[docs["in_case"].pk])).status_code == 404
    client.force_login(office["worker_rb"])  # the case worker
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_previews_pending_then_ready(client, office, docs):
    doc = docs["in_case"]
    current = doc.versions.get(number=2)
    url = reverse("registry:document-detail", args=[doc.pk])
    response = get(client, office["worker_rb"], url)
    assert response.context["preview"].status == "pending"
    assert "Podgląd jest przygotowywany" in response.content.decode()
    thumb = reverse("registry:version-thumbnail", args=[current.pk, 1])
    assert client.get(thumb).status_code == 404  # not rendered yet

    previews.render(current)

    html = client.get(url).content.decode()
    assert thumb in html and reverse("registry:version-thumbnail", args=[current.pk, 2]) in html
    assert 'alt="Strona 1 z 2"' in html
    image = client.get(thumb)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")
    page = client.get(reverse("registry:document-page", args=[current.pk, 2]))
    assert page.status_code == 200
    assert reverse("registry:version-page-image", args=[current.pk, 2]) in page.content.decode()
    assert reverse("registry:document-page", args=[current.pk, 1]) in page.content.decode()  # previous page
    assert client.get(reverse("registry:document-page", args=[current.pk, 3])).status_code == 404


def test_failed_preview_shows_its_reason(client, office, docs, monkeypatch):
    version = docs["in_case"].versions.get(number=2)
    previews.failure_manifest(version, previews.ImageTooLarge(limit=60))
    html = get(client, office["worker_rb"], reverse("registry:document-detail", args=[docs["in_case"].pk])).content
    assert "Nie udało się przygotować podglądu" in html.decode()
    assert "60" in html.decode()


def test_download_has_safe_headers(client, office, docs):
    version = docs["in_case"].versions.get(number=1)
    response = get(client, office["worker_rb"], reverse("registry:document-download", args=[version.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "projekt.pdf" in disposition


def test_viewing_a_confidential_document_is_in_the_metryka_once_per_interval(client, office, docs):
    secret = docs["confidential"]
    url = reverse("registry:document-detail", args=[secret.pk])
    client.force_login(office["worker_rb"])
    client.get(url)
    client.get(url)  # a reload is the same look
    views = HistoryEntry.objects.filter(action=Action.DOCUMENT_VIEWED, document=secret)
    assert views.count() == 1
    entry = views.get()
    assert entry.case == docs["secret"] and entry.actor == office["worker_rb"]
    client.get(reverse("registry:document-download", args=[secret.versions.get().pk]))
    assert views.count() == 2 and views.last().document_version == secret.versions.get()
    # an ordinary case's documents are not logged
    client.get(reverse("registry:document-detail", args=[docs["in_case"].pk]))
    assert not HistoryEntry.objects.filter(action=Action.DOCUMENT_VIEWED, document=docs["in_case"]).exists()


def test_case_and_delivery_pages_link_to_the_document(client, office, docs):
    html = get(client, office["worker_rb"], reverse("registry:case-detail", args=[docs["case"].pk])).content.decode()
    assert reverse("registry:document-detail", args=[docs["in_case"].pk]) in html
    html = get(client, office["clerk"], reverse("registry:delivery-detail", args=[docs["delivery"].pk])).content
    assert reverse("registry:document-detail", args=[docs["in_delivery"].pk]) in html.decode()


def test_page_queries_do_not_grow_with_versions(client, office, docs, django_assert_max_num_queries):
    doc = docs["in_case"]
    client.force_login(office["worker_rb"])
    url = reverse("registry:document-detail", args=[doc.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(5):
        store_version(doc, SimpleUploadedFile(f"v{n}.txt", f"wersja {n}".encode()), actor=office["worker_rb"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- API ---------------------------------------------------------------------------------------------------------


def api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_document_detail_with_versions_and_preview(office, docs):
    doc = docs["in_case"]
    v1, v2 = doc.versions.order_by("number")
    previews.render(v2)
    body = api(office["worker_rb"]).get(f"/api/v1/documents/{doc.pk}/").json()
    assert body["title"] == "Projekt decyzji" and body["kind"] == "draft"
    assert body["case"] == {"id": docs["case"].pk, "sign": docs["case"].sign} and body["delivery"] is None
    assert [v["sha256"] for v in body["versions"]] == [v1.sha256, v2.sha256]
    assert body["versions"][0]["text_status"] == "failed" and body["versions"][0]["text_error"]
    assert body["versions"][0]["preview"]["status"] == "pending"
    preview = body["versions"][1]["preview"]
    assert preview["status"] == "ready" and [p["number"] for p in preview["pages"]] == [1, 2]
    client = api(office["worker_rb"])
    image = client.get(preview["pages"][1]["thumbnail"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert client.get(preview["pages"][0]["image"]).status_code == 200
    text = client.get(f"/api/v1/document-versions/{v2.pk}/text/").json()
    assert text["status"] == "done" and "<script>" in text["text"]  # JSON: the client escapes


def test_api_hides_documents_like_missing_ones(office, docs):
    secret = docs["confidential"]
    version = secret.versions.get()
    previews.render(version)
    client = api(office["secretary"])
    listed = {d["id"] for d in client.get("/api/v1/documents/").json()["results"]}
    assert docs["in_case"].pk in listed and secret.pk not in listed
    for url in ("/api/v1/documents/{}/", "/api/v1/document-versions/{}/text/",
                "/api/v1/document-versions/{}/thumbnail/1/", "/api/v1/document-versions/{}/page/1/"):
        pk = secret.pk if url.startswith("/api/v1/documents/") else version.pk
        hidden, missing = client.get(url.format(pk)), client.get(url.format(10**8))
        assert hidden.status_code == missing.status_code == 404, url
        assert hidden.content == missing.content
    assert api(office["worker_rb"]).get(f"/api/v1/documents/{secret.pk}/").status_code == 200


@pytest.mark.parametrize("name,data,reason", [
    ("zepsuty.pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>\n" + b"\x00garbage" * 50, "uszkodzony"),
    ("bomba.png", None, "60 mln pikseli – limit dla podglądu"),
])
def test_hostile_files_give_a_clear_state_on_the_page(client, office, docs, name, data, reason):
    if data is None:  # 12,000 × 6,000 pixels declared in a few kB
        import io

        from PIL import Image

        buf = io.BytesIO()
        Image.new("1", (12_000, 6_000)).save(buf, format="PNG")
        data = buf.getvalue()
    doc = add_document(actor=office["worker_rb"], title="Wrogi plik", kind="attachment", case=docs["case"],
                       upload=SimpleUploadedFile(name, data))
    previews.render(doc.versions.get())
    response = get(client, office["worker_rb"], reverse("registry:document-detail", args=[doc.pk]))
    assert response.status_code == 200
    assert response.context["preview"].status == "failed"
    assert reason in response.content.decode()


def test_clerk_sees_the_delivery_of_a_confidential_case_but_not_its_documents(client, office, docs):
    from registry.services.cases import attach_delivery

    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"], subject="Skarga")
    letter = add_document(actor=office["clerk"], title="Skarga – skan", kind="incoming", delivery=delivery,
                          upload=SimpleUploadedFile("skarga.txt", b"Skarga"))
    attach_delivery(docs["secret"], delivery, actor=office["worker_rb"])
    client.force_login(office["clerk"])
    page = client.get(reverse("registry:delivery-detail", args=[delivery.pk]))
    assert page.status_code == 200 and delivery.rpw in page.content.decode()
    assert reverse("registry:document-detail", args=[letter.pk]) not in page.content.decode()
    assert client.get(reverse("registry:document-detail", args=[letter.pk])).status_code == 404
    client.force_login(office["worker_rb"])  # the case worker sees both
    page = client.get(reverse("registry:delivery-detail", args=[delivery.pk]))
    assert reverse("registry:document-detail", args=[letter.pk]) in page.content.decode()


def _page(response, url):
    """The body without what differs by the request alone: its address (the language form's `next`) and the
    CSRF token, masked afresh in every response."""
    body = response.content.decode().replace(url, "<url>")
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", body)
