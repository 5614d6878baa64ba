"""Every registry page renders for the roles that may see it, and refuses the others (404/403)."""

import pytest
from django.urls import reverse

from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload


@pytest.fixture
def records(office):
    sender = CorrespondentFactory(last_name="Ślęzak", first_name="Jan")
    delivery = make_delivery(office["clerk"], sender=sender, addressed_unit=office["RB"],
                             files=[pdf_upload("wniosek.pdf")])
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery,
                     title="Warunki zabudowy dz. 12/3")
    secret = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], confidential=True,
                       title="Sprawa poufna")
    loose = make_delivery(office["clerk"], addressed_unit=office["RB"], subject="Pismo luźne")
    return {"sender": sender, "delivery": delivery, "case": case, "secret": secret, "loose": loose}


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", ["clerk", "head_rb", "worker_rb", "worker_or", "secretary", "archivist"])
@pytest.mark.parametrize("name", ["home", "delivery-list", "outgoing-list", "case-list", "case-register",
                                  "correspondent-list", "jrwa"])
def test_lists_render_for_every_role(client, office, records, who, name):
    response = get(client, office[who], reverse(f"registry:{name}"))
    assert response.status_code == 200
    assert b'lang="pl"' in response.content


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("registry:delivery-list"))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_case_detail_for_worker_and_secretary_but_not_other_unit(client, office, records):
    url = reverse("registry:case-detail", args=[records["case"].pk])
    assert get(client, office["worker_rb"], url).status_code == 200
    assert get(client, office["secretary"], url).status_code == 200
    assert get(client, office["head_rb"], url).status_code == 200
    assert get(client, office["worker_or"], url).status_code == 404


def test_confidential_case_never_shows_to_the_secretary(client, office, records):
    url = reverse("registry:case-detail", args=[records["secret"].pk])
    assert get(client, office["worker_rb"], url).status_code == 200
    for who in ("secretary", "archivist", "head_rb", "clerk", "worker_or"):
        assert get(client, office[who], url).status_code == 404, who
    listing = get(client, office["secretary"], reverse("registry:case-list"))
    assert "Sprawa poufna" not in listing.content.decode()
    assert records["case"].sign in listing.content.decode()
    export = get(client, office["secretary"], reverse("registry:case-metryka-csv", args=[records["secret"].pk]))
    assert export.status_code == 404


def test_delivery_detail_access(client, office, records):
    url = reverse("registry:delivery-detail", args=[records["loose"].pk])
    assert get(client, office["clerk"], url).status_code == 200
    assert get(client, office["worker_rb"], url).status_code == 200
    assert get(client, office["worker_or"], url).status_code == 404


def test_register_form_only_for_clerks(client, office, db):
    url = reverse("registry:delivery-create")
    assert get(client, office["clerk"], url).status_code == 200
    assert get(client, office["worker_rb"], url).status_code == 403
    assert get(client, office["secretary"], reverse("registry:outgoing-create")).status_code == 403


def test_case_form_only_for_unit_staff(client, office, records):
    url = reverse("registry:case-create")
    assert get(client, office["worker_rb"], url).status_code == 200
    assert get(client, office["clerk"], url).status_code == 403
    assert get(client, office["secretary"], url).status_code == 403
    from_delivery = reverse("registry:case-create") + f"?przesylka={records['loose'].pk}"
    response = get(client, office["worker_rb"], from_delivery)
    assert response.status_code == 200
    assert "Pismo luźne" in response.content.decode()
    assert get(client, office["worker_or"], from_delivery).status_code == 404


def test_document_download_streams_with_original_name(client, office, records):
    version = records["delivery"].documents.get().versions.get()
    url = reverse("registry:document-download", args=[version.pk])
    response = get(client, office["worker_rb"], url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="wniosek.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert get(client, office["worker_or"], url).status_code == 404


def test_correspondent_pages(client, office, records):
    pk = records["sender"].pk
    for name in ("correspondent-detail", "correspondent-edit", "correspondent-merge"):
        assert get(client, office["clerk"], reverse(f"registry:{name}", args=[pk])).status_code == 200
    assert get(client, office["worker_rb"], reverse("registry:correspondent-merge", args=[pk])).status_code == 403
    data = get(client, office["clerk"], reverse("registry:correspondent-search") + "?q=slez").json()
    assert [r["id"] for r in data["results"]] == [pk]


def test_outgoing_detail_access(client, office, records):
    from registry.models import OutgoingChannel
    from registry.services.deliveries import record_outgoing

    item = record_outgoing(actor=office["clerk"], recipient=records["sender"], channel=OutgoingChannel.EDORECZENIA,
                           subject="Odpowiedź", case=records["case"])
    url = reverse("registry:outgoing-detail", args=[item.pk])
    assert get(client, office["clerk"], url).status_code == 200
    assert get(client, office["worker_rb"], url).status_code == 200
    assert get(client, office["worker_or"], url).status_code == 404


@pytest.mark.parametrize(("who", "name", "param"), [
    ("worker_rb", "jrwa", "wersja"), ("worker_rb", "case-create", "przesylka"), ("clerk", "outgoing-create", "sprawa"),
])
def test_unicode_digits_in_a_pk_parameter_are_not_a_500(client, office, who, name, param):
    client.force_login(office[who])
    response = client.get(reverse(f"registry:{name}"), {param: "²"})  # "²".isdigit() is True, int("²") fails
    assert response.status_code in (200, 404)


def test_unicode_digits_in_the_merge_partner_are_a_404(client, office):
    correspondent = CorrespondentFactory()
    client.force_login(office["clerk"])
    response = client.get(reverse("registry:correspondent-merge", args=[correspondent.pk]), {"z": "²"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"delivery", "loose"}),
        ("?q=%C5%9Bl%C4%99zak", {"delivery"}),  # sender's surname, case-insensitive
        ("?q=lu%C5%BAne", {"loose"}),  # subject
        ("?status=in_case", {"delivery"}),
        ("?unit={RB}", {"delivery", "loose"}),  # assigned, or addressed before dekretacja
        ("?unit={OR}", set()),
        ("?year=1999", set()),
    ],
)
def test_delivery_list_filters(client, office, records, query, expected):
    url = reverse("registry:delivery-list") + query.format(RB=office["RB"].pk, OR=office["OR"].pk)
    html = get(client, office["clerk"], url).content.decode()
    shown = {name for name in ("delivery", "loose") if records[name].rpw in html}
    assert shown == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"case", "secret"}),
        ("?q=zabudowy", {"case"}),
        ("?jrwa=67", {"case", "secret"}),  # any level of the class
        ("?jrwa=14", set()),
        ("?status=closed", set()),
        ("?case_worker={worker}", {"case", "secret"}),
    ],
)
def test_case_list_filters(client, office, records, query, expected):
    url = reverse("registry:case-list") + query.format(worker=office["worker_rb"].pk)
    html = get(client, office["worker_rb"], url).content.decode()
    shown = {name for name in ("case", "secret") if records[name].sign in html}
    assert shown == expected


@pytest.mark.parametrize("who", ["clerk", "secretary", "archivist", "admin"])
def test_register_and_desk_list_a_delivery_without_any_unit(client, office, who):
    """Every ePUAP intake and API registration without a unit is listed before anyone assigns it."""
    from organisation.models import Role
    from registry.tests.factories import member

    office["admin"] = member(office["OR"], Role.ADMINISTRATOR, username="admin", is_superuser=True)
    loose = make_delivery(office["clerk"], subject="Pismo bez komórki")
    for name in ("delivery-list", "home"):
        response = get(client, office[who], reverse(f"registry:{name}"))
        assert response.status_code == 200, name
    listing = get(client, office[who], reverse("registry:delivery-list")).content.decode()
    assert loose.rpw in listing
    if who == "admin":
        assert loose.rpw in get(client, office[who], reverse("registry:home")).content.decode()
