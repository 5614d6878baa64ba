"""A record the user may not see answers exactly like one that does not exist: the same status (404) and the same
body, on every page and API endpoint that takes an id. (A 403, or a message naming the owner, would confirm that the
record exists.)"""

import datetime as dt
import re

import pytest
from django.test import Client

from deadlines import services as deadline_services
from registry.models import OutgoingChannel
from registry.services.deliveries import record_outgoing
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload
from workflow import services
from workflow.tests.conftest import _mail, _media_root, office, people, two_stage_route  # noqa: F401
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db

MISSING = 10**8


@pytest.fixture
def hidden(people, two_stage_route):  # noqa: F811
    """Records the case worker of RB (`referent_rb`) may not see: a confidential case of OR with its delivery,
    document, outgoing item and deadline extension, and a task of someone else."""
    p = people
    delivery = make_delivery(p["clerk"], files=[pdf_upload("poufne.pdf")])
    case = make_case(p["worker_or"], unit=p["OR"], jrwa_class=p["udip"], confidential=True, title="Sprawa poufna",
                     delivery=delivery)
    _rb_case, draft = case_with_draft(p)
    process = services.start_route(draft, actor=p["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == p["radca"])
    outgoing = record_outgoing(actor=p["clerk"], recipient=CorrespondentFactory(), channel=OutgoingChannel.values[0],
                               subject="Odpowiedź", case=case)
    extension = deadline_services.extend(case, actor=p["worker_or"], reason="Konieczność anonimizacji.",
                                         new_date=case.deadline.due_date + dt.timedelta(days=7))
    return {
        "case": case.pk, "delivery": delivery.pk, "document": delivery.documents.get().pk,
        "version": delivery.documents.get().versions.get().pk, "task": task.pk,
        "draft_version": draft.versions.get().pk,
        "outgoing": outgoing.pk, "extension": extension.pk,
    }


# (method, url template, the hidden record whose id goes in, POST data)
VIEWS = [
    ("get", "/przesylki/{delivery}/", {}), ("post", "/przesylki/{delivery}/dolacz/", {}),
    ("get", "/dokumenty/wersje/{version}/pobierz/", {}), ("post", "/dokumenty/{document}/wersja/", {}),
    ("get", "/wychodzace/{outgoing}/", {}), ("post", "/wychodzace/{outgoing}/", {"action": "sent"}),
    ("get", "/sprawy/{case}/", {}), ("post", "/sprawy/{case}/status/", {}), ("post", "/sprawy/{case}/prowadzacy/", {}),
    ("post", "/sprawy/{case}/strony/", {}), ("post", "/sprawy/{case}/dokumenty/", {}),
    ("get", "/sprawy/{case}/metryka.csv", {}), ("get", "/sprawy/{case}/metryka.xlsx", {}),
    ("get", "/terminy/sprawa/{case}/", {}), ("post", "/terminy/sprawa/{case}/", {"action": "kind"}),
    ("get", "/terminy/przedluzenie/{extension}/zawiadomienie.docx", {}),
    ("get", "/terminy/przedluzenie/{extension}/zawiadomienie.txt", {}),
    ("post", "/terminy/przedluzenie/{extension}/zapisz/", {}),
    ("get", "/obieg/zadanie/{task}/", {}), ("post", "/obieg/zadanie/{task}/", {"decision": "approve"}),
    ("post", "/obieg/zadanie/{task}/przejmij/", {}), ("get", "/obieg/zadanie/{task}/schemat.svg", {}),
    ("get", "/obieg/zadanie/{task}/plik/{draft_version}/", {}),
    ("get", "/obieg/sprawa/{case}/akceptacja/", {}), ("post", "/obieg/sprawa/{case}/akceptacja/", {}),
    ("get", "/api/v1/cases/{case}/", {}), ("get", "/api/v1/cases/{case}/history/", {}),
    ("get", "/api/v1/deliveries/{delivery}/", {}), ("get", "/api/v1/document-versions/{version}/download/", {}),
    ("get", "/api/v1/tasks/{task}/", {}), ("post", "/api/v1/tasks/{task}/decide/", {"decision": "approve"}),
]


def _missing(template, ids):
    """The same URL with the first id replaced by one that does not exist."""
    first = template[template.index("{") + 1:template.index("}")]
    return template.format(**{**ids, first: MISSING})


def _body(response):
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()
    body = response.content.decode(errors="replace").replace(response.wsgi_request.path, "")
    # The CSRF token of the page's forms (log out, language) is masked afresh in every response: noise, not a clue.
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", body)


@pytest.mark.parametrize(("method", "template", "data"), VIEWS, ids=[f"{m} {t}" for m, t, _d in VIEWS])
def test_a_hidden_record_answers_like_a_missing_one(people, hidden, method, template, data):  # noqa: F811
    client = Client()
    client.force_login(people["worker_rb"])
    seen = getattr(client, method)(template.format(**hidden), data)
    missing = getattr(client, method)(_missing(template, hidden), data)
    assert seen.status_code == missing.status_code == 404, (seen.status_code, missing.status_code)
    assert _body(seen) == _body(missing)


def test_the_owner_still_sees_them(people, hidden):  # noqa: F811
    """The same URLs are not 404 for whoever may see the record (the test above is not vacuous)."""
    client = Client()
    client.force_login(people["worker_or"])
    for url in ("/sprawy/{case}/", "/przesylki/{delivery}/", "/terminy/sprawa/{case}/",
                "/dokumenty/wersje/{version}/pobierz/", "/obieg/sprawa/{case}/akceptacja/", "/api/v1/cases/{case}/"):
        assert client.get(url.format(**hidden)).status_code == 200, url
    client.force_login(people["radca"])
    for url in ("/obieg/zadanie/{task}/", "/obieg/zadanie/{task}/schemat.svg",
                "/obieg/zadanie/{task}/plik/{draft_version}/", "/api/v1/tasks/{task}/"):
        assert client.get(url.format(**hidden)).status_code == 200, url
