"""The whole REST API against its own OpenAPI schema: every endpoint, with real ids, ids of records the user may not
see, missing ids, garbage ids, the `.json` format suffix, NUL bytes and unknown filter values. Every answer must be
documented (status code and body) and none may be a 500."""

import re

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from rest_framework.test import APIClient

from registry.models import Delivery
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload
from workflow import services
from workflow.tests.conftest import _mail, _media_root, office, people, two_stage_route  # noqa: F401
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, two_stage_route):  # noqa: F811
    p = people
    delivery = make_delivery(p["clerk"], sender=CorrespondentFactory(), addressed_unit=p["RB"], files=[pdf_upload()])
    bare = make_delivery(p["clerk"], subject="Bez nadawcy")  # no sender, no unit, no case: the nullable fields
    case, draft = case_with_draft(p)
    process = services.start_route(draft, actor=p["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == p["radca"])
    hidden_case = make_case(p["worker_or"], unit=p["OR"], jrwa_class=p["udip"], confidential=True,
                            title="Sprawa poufna", delivery=make_delivery(p["clerk"], files=[pdf_upload("p.pdf")]))
    return {
        **p, "delivery": delivery, "bare": bare, "case": case, "task": task, "hidden_case": hidden_case,
        "version": draft.versions.get(), "hidden_version": hidden_case.deliveries.get().documents.get().versions.get(),
    }


class Contract:
    """Checks a response against the operation of the generated schema it answers."""

    def __init__(self, schema):
        self.schema = schema
        self.paths = [
            (re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"), template)
            for template in schema["paths"]
        ]

    def operation(self, path, method):
        matches = [t for rx, t in self.paths if rx.match(path)]
        assert matches, f"{path} is not in the schema"
        # The most specific template: fewest parameters.
        template = min(matches, key=lambda t: t.count("{"))
        return template, self.schema["paths"][template][method.lower()]

    def check(self, method, path, response):
        assert response.status_code != 500, (method, path)
        template, operation = self.operation(path, method)
        documented = operation["responses"]
        code = str(response.status_code)
        assert code in documented, f"{method} {template} answers {code}, not documented ({sorted(documented)})"
        content = documented[code].get("content", {})
        if response.status_code == 204 or not content:
            return
        media = response["Content-Type"].split(";")[0]
        if media == "application/json":
            assert "application/json" in content, (method, template, code, sorted(content))
            # The body's schema with the components beside it, so that its "#/components/…" references resolve.
            body_schema = {**content["application/json"]["schema"], "components": self.schema["components"]}
            OAS31Validator(body_schema, format_checker=oas31_format_checker).validate(response.json())
        else:
            assert media in content or "application/octet-stream" in content, (template, media)


@pytest.fixture
def contract(client, office):  # noqa: F811
    client.force_login(office["clerk"])
    return Contract(client.get("/api/schema/", {"format": "json"}).json())


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _nullable(prop) -> bool:
    types = prop.get("type", [])
    return "null" in types or any(_nullable(s) for s in prop.get("oneOf", []) + prop.get("anyOf", []))


def test_schema_declares_nullable_relations(contract):
    components = contract.schema["components"]["schemas"]
    expected = {
        "Delivery": ("sender", "addressed_unit", "assigned_unit", "case", "posted_on", "letter_date"),
        "Task": ("owner", "unit", "case_sign", "delivery_rpw", "due_at", "finished"),
        "CaseDetail": ("closed_on",),
        "HistoryEntry": ("on_behalf_of", "document"),
    }
    for component, fields in expected.items():
        for field in fields:
            prop = components[component]["properties"][field]
            assert _nullable(prop), (component, field, prop)
    assert not _nullable(components["Delivery"]["properties"]["subject"])


ROUTED = tuple(f"/api/v1/{r}/" for r in ("deliveries", "cases", "correspondents", "document-versions", "tasks",
                                        "documents", "shipments"))


def _get_urls(w):
    """Every GET endpoint with a visible record (200) and the same with ids that must answer 404."""
    d, case, task, v = w["delivery"], w["case"], w["task"], w["version"]
    visible = [
        ("worker_rb", "/api/v1/deliveries/"), ("clerk", f"/api/v1/deliveries/{d.pk}/"),
        ("clerk", f"/api/v1/deliveries/{w['bare'].pk}/"),
        ("worker_rb", "/api/v1/cases/"), ("worker_rb", f"/api/v1/cases/{case.pk}/"),
        ("worker_rb", f"/api/v1/cases/{case.pk}/history/"),
        ("clerk", "/api/v1/correspondents/"), ("clerk", f"/api/v1/correspondents/{d.sender_id}/"),
        ("worker_rb", f"/api/v1/document-versions/{v.pk}/download/"),
        ("radca", "/api/v1/tasks/"), ("radca", f"/api/v1/tasks/{task.pk}/"),
        ("worker_rb", "/api/v1/terminy/"), ("worker_rb", "/api/v1/terminy/podsumowanie/"),
        ("worker_rb", "/api/v1/search/?q=wniosek"),
        ("worker_rb", f"/api/v1/documents/{v.document_id}/"), ("worker_rb", f"/api/v1/document-versions/{v.pk}/text/"),
        ("clerk", "/api/v1/shipments/"), ("clerk", "/api/v1/shipments/tasks/"),
        ("worker_rb", f"/api/v1/archive/documents/{v.document_id}/metadata/"),
        ("worker_rb", "/api/v1/archive/retention-calendar/"),
    ]
    hidden = [
        ("worker_rb", f"/api/v1/cases/{w['hidden_case'].pk}/"),
        ("worker_rb", f"/api/v1/cases/{w['hidden_case'].pk}/history/"),
        ("worker_rb", f"/api/v1/deliveries/{w['hidden_case'].deliveries.get().pk}/"),
        ("worker_rb", f"/api/v1/document-versions/{w['hidden_version'].pk}/download/"),
        ("worker_or", f"/api/v1/tasks/{task.pk}/"),
        ("worker_rb", f"/api/v1/documents/{w['hidden_version'].document_id}/"),
        ("worker_rb", f"/api/v1/document-versions/{w['hidden_version'].pk}/text/"),
        ("worker_rb", f"/api/v1/archive/documents/{w['hidden_version'].document_id}/metadata/"),
        ("worker_rb", f"/api/v1/archive/cases/{w['hidden_case'].pk}/retention/"),
    ]
    return visible, hidden


def test_every_get_endpoint_answers_as_documented(world, contract):
    visible, hidden = _get_urls(world)
    for who, url in visible:
        response = api(world[who]).get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        contract.check("GET", url.split("?")[0], response)
        if not url.startswith(ROUTED):
            continue
        # The router's format suffix (only the routers add it): the same answer as JSON.
        suffixed = url.rstrip("/") + ".json"
        response = api(world[who]).get(suffixed)
        assert response.status_code == 200, (who, suffixed, response.status_code)
    for who, url in hidden:
        response = api(world[who]).get(url)
        assert response.status_code == 404, (who, url, response.status_code)
        contract.check("GET", url, response)
        missing = re.sub(r"/\d+/", "/987654/", url, count=1)
        assert api(world[who]).get(missing).json() == response.json(), url  # hidden answers exactly like missing


@pytest.mark.parametrize("suffix_url", [
    "/api/v1/cases/{case}/history.json", "/api/v1/document-versions/{version}/download.json",
    "/api/v1/cases/{case}.json", "/api/v1/deliveries/{delivery}.json", "/api/v1/tasks/{task}.json",
])
def test_format_suffix_reaches_every_action(world, suffix_url):
    url = suffix_url.format(case=world["case"].pk, version=world["version"].pk, delivery=world["delivery"].pk,
                            task=world["task"].pk)
    who = "radca" if "tasks" in url else "worker_rb"
    response = api(world[who]).get(url)
    assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("garbage", ["null,null", "abc", "0x1", "1.5", "-1", "99999999999999999999", "%00"])
@pytest.mark.parametrize("template", [
    "/api/v1/deliveries/{}/", "/api/v1/cases/{}/", "/api/v1/cases/{}/history/", "/api/v1/correspondents/{}/",
    "/api/v1/document-versions/{}/download/", "/api/v1/tasks/{}/",
])
def test_garbage_ids_answer_404(world, contract, template, garbage):
    url = template.format(garbage)
    response = api(world["clerk"]).get(url)
    assert response.status_code == 404, (url, response.status_code)
    if response["Content-Type"].startswith("application/json"):
        contract.check("GET", url, response)


@pytest.mark.parametrize("garbage", ["null,null", "abc", "99999999999999999999"])
def test_decide_on_a_garbage_task_id_answers_404(world, contract, garbage):
    url = f"/api/v1/tasks/{garbage}/decide/"
    response = api(world["radca"]).post(url, {"decision": "approve"}, format="json")
    assert response.status_code == 404, response.status_code
    contract.check("POST", url, response)


@pytest.mark.parametrize(("url", "param"), [
    ("/api/v1/tasks/", "q"), ("/api/v1/tasks/", "kind"), ("/api/v1/tasks/", "list"),
    ("/api/v1/deliveries/", "channel"), ("/api/v1/deliveries/", "status"), ("/api/v1/deliveries/", "year"),
    ("/api/v1/cases/", "unit"), ("/api/v1/cases/", "jrwa"), ("/api/v1/cases/", "case_worker"),
    ("/api/v1/cases/", "status"), ("/api/v1/correspondents/", "q"), ("/api/v1/terminy/", "q"),
    ("/api/v1/terminy/podsumowanie/", "q"), ("/api/v1/search/", "q"), ("/api/v1/search/", "jrwa"),
    ("/api/v1/shipments/", "state"),
])
def test_nul_bytes_get_a_clear_400(world, contract, url, param):
    response = api(world["worker_rb"]).get(url, {param: "a\x00b"})
    assert response.status_code == 400, (url, param, response.status_code)
    assert param in response.json()
    contract.check("GET", url, response)


@pytest.mark.parametrize(("url", "params"), [
    ("/api/v1/tasks/", {"kind": "bogus"}), ("/api/v1/tasks/", {"list": "bogus"}),
    ("/api/v1/tasks/", {"overdue": "yes"}),
    ("/api/v1/deliveries/", {"channel": "fax"}), ("/api/v1/deliveries/", {"year": "x"}),
    ("/api/v1/cases/", {"status": "bogus"}), ("/api/v1/cases/", {"confidential": "maybe"}),
    ("/api/v1/terminy/", {"bucket": "bogus"}), ("/api/v1/terminy/", {"unit": "abc"}),
    ("/api/v1/terminy/podsumowanie/", {"kind": "abc"}),
    ("/api/v1/search/", {"kind": "bogus"}), ("/api/v1/search/", {"sort": "bogus"}),
    ("/api/v1/shipments/", {"state": "lost"}),
])
def test_unknown_filter_values_answer_400(world, contract, url, params):
    response = api(world["radca"]).get(url, params)
    assert response.status_code == 400, (url, params, response.status_code)
    assert set(params) <= set(response.json()), response.json()
    contract.check("GET", url, response)


def test_task_kind_filter_still_filters(world):
    data = api(world["radca"]).get("/api/v1/tasks/", {"kind": "dekretacja"}).json()
    assert data["count"] == 0
    assert api(world["radca"]).get("/api/v1/tasks/", {"kind": "decide"}).json()["count"] == 1


def test_write_answers_are_documented(world, contract):
    clerk = api(world["clerk"])
    bad = clerk.post("/api/v1/deliveries/", {"channel": "fax"}, format="multipart")
    contract.check("POST", "/api/v1/deliveries/", bad)
    assert bad.status_code == 400
    unsupported = clerk.post("/api/v1/deliveries/", b"<x/>", content_type="application/xml")
    assert unsupported.status_code == 415
    contract.check("POST", "/api/v1/deliveries/", unsupported)
    refused = api(world["worker_rb"]).post("/api/v1/deliveries/", {"channel": "post"}, format="json")
    assert refused.status_code == 403
    contract.check("POST", "/api/v1/deliveries/", refused)
    created = clerk.post("/api/v1/correspondents/", {"kind": "person", "first_name": "Jan", "last_name": "Nowak"},
                         format="json")
    assert created.status_code == 201
    contract.check("POST", "/api/v1/correspondents/", created)
    url = f"/api/v1/tasks/{world['task'].pk}/decide/"
    radca = api(world["radca"])
    contract.check("POST", url, radca.post(url, {"decision": "bogus"}, format="json"))
    done = radca.post(url, {"decision": "approve"}, format="json")
    assert done.status_code == 200
    contract.check("POST", url, done)
    again = radca.post(url, {"decision": "approve"}, format="json")
    assert again.status_code == 409
    contract.check("POST", url, again)
    assert Delivery.objects.count() == 3


def test_unauthenticated_answers_are_documented(world, contract):
    for url in ("/api/v1/cases/", "/api/v1/tasks/", "/api/v1/search/"):
        response = APIClient().get(url)
        assert response.status_code in (401, 403)
        contract.check("GET", url, response)


@pytest.mark.parametrize("query", ["upp_id=a%00b&submitted_at=2026-11-20T10:05:00%2B01:00",
                                   "submitted_at=2026-13-40T10:05:00", "submitted_at=wczoraj"])
def test_epuap_intake_refuses_nul_bytes_and_bad_dates_as_documented(world, contract, query):
    from registry.tests.test_channels_epuap import document

    url = "/api/v1/intake/epuap/"
    response = api(world["clerk"]).post(f"{url}?{query}", data=document(), content_type="application/xml")
    assert response.status_code == 400, response.status_code
    contract.check("POST", url, response)


def test_epuap_intake_answers_are_documented(world, contract):
    from registry.tests.test_channels_epuap import document

    url = "/api/v1/intake/epuap/"
    clerk = api(world["clerk"])
    contract.check("POST", url, clerk.post(url, data=b"<not-xml", content_type="application/xml"))
    contract.check("POST", url, clerk.post(url, data=b"{}", content_type="application/json"))
    created = clerk.post(url, data=document(), content_type="application/xml")
    assert created.status_code == 201
    contract.check("POST", url, created)


def test_schema_is_valid_openapi_without_generator_warnings(tmp_path):
    from django.core.management import call_command

    # --validate checks the document against the OpenAPI 3.1 meta-schema; a warning (an untyped path parameter,
    # a response it could not derive) fails the command.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.1.0")
