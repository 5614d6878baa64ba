"""Results, counts and facets follow the one access rule (registry.access), inside the search query."""

import pytest

from organisation.models import Role, Substitution
from registry.access import scope_for
from registry.models import Case, Delivery, Document
from registry.tests.factories import make_case, member
from search.index.backends import SearchRequest
from search.index.outbox import drain_all
from search.index.service import search
from search.tests.corpus import add_text_document, build_corpus

pytestmark = pytest.mark.usefixtures("search_media")

USERS = ["clerk", "head_rb", "worker_rb", "worker_rb_a", "worker_or", "secretary", "archivist"]


def orm_visible(user) -> set:
    scope = scope_for(user)
    return (
        {("delivery", pk) for pk in scope.deliveries(Delivery.objects.all()).values_list("pk", flat=True)}
        | {("case", pk) for pk in scope.cases(Case.objects.all()).values_list("pk", flat=True)}
        | {("document", pk) for pk in scope.documents(Document.objects.all()).values_list("pk", flat=True)}
    )


def index_visible(user, backend, **kw) -> set:
    result = search(user, SearchRequest(sort="date", size=200, **kw), backend)
    assert result.total == len(result.hits)
    assert sum(c for _v, c in result.facets["kind"]) == result.total
    return {(h.kind, h.object_id) for h in result.hits}


@pytest.fixture
def world(office, backend):
    corpus = build_corpus(office, backend)
    # more shapes: a confidential case with a participant and a delivery; a delivery assigned to a person
    stranger = member(office["OR"], Role.CASE_WORKER, username="uczestnik")
    office["participant"] = stranger
    secret = make_case(
        office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="Tajna sprawa zabudowy",
        confidential=True, participants=[stranger], delivery=corpus["objects"]["d3"],
    )
    add_text_document(office["worker_rb"], "Notatka", "notatka zabudowy", case=secret)
    Delivery.objects.filter(pk=corpus["objects"]["d2"].pk).update(assigned_to=office["worker_rb_a"])
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    return corpus


@pytest.mark.parametrize("username", [*USERS, "participant"])
def test_index_shows_exactly_what_the_pages_show(world, office, backend, username):
    user = office[username]
    assert index_visible(user, backend) == orm_visible(user)


def test_same_with_a_text_query(world, office, backend):
    for username in USERS:
        user = office[username]
        found = index_visible(user, backend, q="zabudowy OR skarga OR wniosek OR notatka")
        assert found <= orm_visible(user)


def test_substitute_sees_what_the_principal_sees(world, office, backend):
    import datetime as dt

    substitute = member(office["OR"], Role.CASE_WORKER, username="zastepca")
    Substitution.objects.create(
        principal=office["worker_rb_a"], substitute=substitute,
        starts_on=dt.date.today() - dt.timedelta(days=1), ends_on=dt.date.today() + dt.timedelta(days=1),
    )
    assert index_visible(substitute, backend) == orm_visible(substitute)
    assert ("case", world["c2"][1]) in index_visible(substitute, backend)


def test_anonymous_sees_nothing(world, backend):
    from django.contrib.auth.models import AnonymousUser

    assert index_visible(AnonymousUser(), backend) == set()


def test_making_a_case_confidential_hides_it_and_everything_in_it(world, office, backend):
    Case.objects.filter(pk=world["c1"][1]).update(confidential=True)  # a bulk update, no signals
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    seen = index_visible(office["secretary"], backend)
    assert not seen & {world[n] for n in ("c1", "d1", "doc1", "doc2")}
    assert index_visible(office["worker_rb"], backend) >= {world[n] for n in ("c1", "d1", "doc1", "doc2")}
    assert index_visible(office["secretary"], backend) == orm_visible(office["secretary"])
