"""The shared query suite: the same queries and expected hits against every backend (PostgreSQL always,
Elasticsearch when ELASTICSEARCH_URL is set)."""

import datetime as dt

import pytest

from search.index.backends import SearchRequest
from search.index.service import search
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


@pytest.fixture
def corpus(office, backend):
    return build_corpus(office, backend)


def keys(result):
    return [(h.kind, h.object_id) for h in result.hits]


def run(office, user, backend, **kw):
    return search(office[user], SearchRequest(**kw), backend)


# (query, user, names expected exactly, names that must be absent)
SUITE = [
    # inflected forms find each other
    ("zabudowa", "secretary", {"d1", "c1", "doc1", "doc2"}, set()),
    ("warunek zabudowy", "secretary", {"d1", "c1", "doc1", "doc2"}, set()),
    ("budynki mieszkalne", "secretary", {"c1", "doc2", "d1", "doc1"}, set()),  # case title in their metadata
    ("drogi gminne", "secretary", {"d2", "doc3"}, set()),
    # without diacritics
    ("doreczenia", "secretary", {"doc1"}, {"doc4"}),
    ("zrodlana", "secretary", {"doc1"}, set()),
    ("doreczeniami", "secretary", {"doc1"}, set()),  # a form not in the text, typed without diacritics
    ("doręczeń", "worker_rb_a", {"doc4"}, set()),
    ("DORĘCZENIA", "secretary", {"doc1"}, set()),
    ("chodnika", "secretary", {"doc3"}, set()),
    # phrases: the words as typed, next to each other
    ('"warunki zabudowy"', "secretary", {"c1", "doc2", "d1", "doc1"}, set()),  # also the JRWA title
    ('"warunkach zabudowy"', "secretary", {"d1", "doc1"}, {"c1"}),
    ('"zabudowy warunki"', "secretary", set(), set()),
    # prefixes
    ("zabud*", "secretary", {"d1", "c1", "doc1", "doc2"}, set()),
    ("chodn*", "secretary", {"doc3"}, set()),
    # boolean
    ("zabudowy OR chodnika", "secretary", {"d1", "c1", "doc1", "doc2", "doc3"}, set()),
    ("zabudowy NOT decyzji", "secretary", {"c1"}, set()),
    ("zabudowy -decyzji", "secretary", {"c1"}, set()),
    ("(chodnika OR hałas) AND skarga", "secretary", {"d3"}, set()),
    ("wniosek LUB skarga", "secretary", {"d1", "doc1", "d2", "doc3", "d3"}, {"c2", "doc4"}),
    # metadata: sender, sender's reference, JRWA title, unit name
    ("Kowalski", "secretary", {"d1", "c1"}, set()),
    ("ZN/15/2025", "secretary", {"d1"}, set()),
    ("informacji publicznej", "secretary", {"d2", "doc3"}, set()),
    ("Referat Architektury", "secretary", {"d3"}, set()),
    # confidential case: only its case worker
    ("skarga", "secretary", {"d3"}, {"c2", "doc4"}),
    ("skarga", "worker_rb_a", {"c2", "doc4", "d3"}, set()),
    ("przewlekłość", "head_rb", set(), set()),
    ("przewlekłość", "worker_rb_a", {"c2", "doc4"}, set()),
    # staff see their units; clerks the registers
    ("wniosek", "worker_rb", {"d1", "doc1"}, {"d2", "doc3"}),
    ("wniosek", "worker_or", {"d2", "doc3"}, {"d1", "doc1"}),
    ("wniosek", "clerk", {"d1", "d2", "doc3"}, {"doc1"}),
    ("nic takiego", "secretary", set(), set()),
]


@pytest.mark.parametrize("query,user,expected,absent", SUITE, ids=[f"{q}|{u}" for q, u, *_ in SUITE])
def test_query(corpus, office, backend, query, user, expected, absent):
    result = run(office, user, backend, q=query, size=50)
    found = set(keys(result))
    assert found == {corpus[n] for n in expected}, [corpus_name(corpus, k) for k in found]
    assert not found & {corpus[n] for n in absent}
    assert result.total == len(expected)


def corpus_name(corpus, key):
    return next((n for n, v in corpus.items() if v == key), key)


def test_rpw_number_finds_its_delivery_first(corpus, office, backend):
    rpw = corpus["objects"]["d1"].rpw
    result = run(office, "secretary", backend, q=rpw)
    assert keys(result)[0] == corpus["d1"]
    assert result.hits[0].identifier_hit
    assert run(office, "secretary", backend, q=rpw.lower()).hits[0].object_id == corpus["d1"][1]


def test_case_sign_finds_its_case_first(corpus, office, backend):
    sign = corpus["objects"]["c1"].sign
    result = run(office, "secretary", backend, q=sign)
    assert keys(result)[0] == corpus["c1"]
    assert corpus["d1"] in keys(result)  # the delivery in the case carries the sign too


def test_confidential_sign_typed_by_outsider_finds_nothing(corpus, office, backend):
    result = run(office, "secretary", backend, q=corpus["objects"]["c2"].sign)
    assert corpus["c2"] not in keys(result)


def test_filters(corpus, office, backend):
    sec = "secretary"
    assert set(keys(run(office, sec, backend, jrwa="67"))) == {corpus[n] for n in ("d1", "c1", "doc1", "doc2")}
    assert set(keys(run(office, sec, backend, jrwa="6730"))) == {corpus[n] for n in ("d1", "c1", "doc1", "doc2")}
    assert keys(run(office, sec, backend, jrwa="1431")) == []  # only the confidential case is there
    assert set(keys(run(office, sec, backend, kinds=["delivery"]))) == {corpus[n] for n in ("d1", "d2", "d3")}
    assert set(keys(run(office, sec, backend, channels=["epuap"]))) == {corpus[n] for n in ("d2", "doc3")}
    assert set(keys(run(office, sec, backend, units=[office["OR"].pk]))) == {corpus[n] for n in ("d2", "doc3")}
    rb_tree = [office["RB"].pk, office["RB-A"].pk]
    assert set(keys(run(office, sec, backend, units=rb_tree, kinds=["delivery"]))) == {corpus["d1"], corpus["d3"]}
    kowalski = corpus["objects"]["kowalski"].pk
    assert set(keys(run(office, sec, backend, sender=kowalski))) == {corpus["d1"], corpus["c1"]}
    worker = office["worker_rb"].pk
    assert corpus["c1"] in keys(run(office, sec, backend, case_worker=worker))
    assert set(keys(run(office, sec, backend, statuses=["open"]))) == {corpus[n] for n in ("c1", "doc1", "doc2")}
    assert set(keys(run(office, sec, backend, years=[2024]))) == {corpus["d2"]}
    span = {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 3, 31)}
    got = keys(run(office, sec, backend, kinds=["delivery"], **span))
    assert set(got) == {corpus["d1"], corpus["d3"]}
    assert set(keys(run(office, sec, backend, categories=["B10"], kinds=["case"]))) == {corpus["c1"]}
    assert set(keys(run(office, sec, backend, q="wniosek", years=[2025]))) == {corpus["d1"]}


def test_facets_count_only_what_the_user_may_see(corpus, office, backend):
    result = run(office, "secretary", backend, q="skarga OR zabudowy")
    facets = dict(result.facets["kind"])
    assert facets == {"delivery": 2, "case": 1, "document": 2}
    assert result.total == 5
    units = dict(result.facets["unit"])
    assert str(office["RB-A"].pk) in units and units[str(office["RB-A"].pk)] == 1  # d3 only, not the secret case
    own = run(office, "worker_rb_a", backend, q="skarga")
    assert dict(own.facets["kind"]) == {"case": 1, "document": 1, "delivery": 1}


def test_sort_by_date_and_pages_by_cursor(corpus, office, backend):
    seen, cursor = [], ""
    while True:
        result = run(office, "secretary", backend, sort="date", size=2, cursor=cursor)
        seen += [(h.date, h.kind, h.object_id) for h in result.hits]
        cursor = result.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7
    assert [s[0] for s in seen] == sorted((s[0] for s in seen), reverse=True)
    oldest = run(office, "secretary", backend, sort="date_asc", size=1)
    assert keys(oldest) == [corpus["d2"]]


def test_relevance_pages(corpus, office, backend):
    first = run(office, "secretary", backend, q="zabudowy", size=2)
    second = run(office, "secretary", backend, q="zabudowy", size=2, cursor=first.next_cursor)
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert not set(keys(first)) & set(keys(second))
    assert not second.next_cursor


def test_title_match_ranks_above_text_match(corpus, office, backend):
    result = run(office, "secretary", backend, q="mieszkalnego")
    assert keys(result)[0] == corpus["c1"]


def test_highlights(corpus, office, backend):
    result = run(office, "secretary", backend, q="doreczenia")
    hit = result.hits[0]
    assert "<mark>doręczenia</mark>" in hit.snippet_html
    result = run(office, "secretary", backend, q="zabudowa")
    assert "<mark>zabudowy</mark>" in next(h.title_html for h in result.hits if h.kind == "case")


def test_html_in_text_is_escaped(office, backend):
    from search.index.outbox import drain_all
    from search.tests.corpus import add_text_document

    d = build_corpus(office, backend)["objects"]["d2"]
    add_text_document(office["clerk"], "<script>alert(1)</script>", "<b>zabudowa</b> & co", delivery=d)
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    hits = run(office, "clerk", backend, q="zabudowa").hits
    hit = next(h for h in hits if h.kind == "document" and "script" in h.title)
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "&lt;b&gt;<mark>zabudowa</mark>&lt;/b&gt; &amp; co" in hit.snippet_html


def test_query_syntax_never_breaks(corpus, office, backend):
    for q in ['"', "(((", "AND OR NOT", "*", "-", "a*", "!!!", "'; DROP TABLE x; --", "zabud* )(", "ą" * 600]:
        run(office, "secretary", backend, q=q)


def test_text_typed_without_diacritics_is_found_by_polish_words(corpus, office, backend):
    """A whole text without Polish letters (an e-mail, an old system's export) is restored word by word at index
    time, also where the plain spelling is itself a word: `sadow` is the village Sadowo, but here it means sądów."""
    from search.index.outbox import drain_all
    from search.tests.corpus import add_text_document

    doc = add_text_document(
        office["clerk"], "Pismo z poczty elektronicznej",
        "Prosze o informacje, czy gmina wykonuje wyroki sadow administracyjnych w terminie. Odpowiedz prosze "
        "przeslac na moj adres poczty elektronicznej.", delivery=corpus["objects"]["d2"],
    )
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    for q in ("sąd", "sądów", "wyroków sądów", "wyroki"):
        assert keys(run(office, "secretary", backend, q=q)) == [("document", doc.pk)], q
    hit = run(office, "secretary", backend, q="sąd").hits[0]
    assert "<mark>sadow</mark>" in hit.snippet_html
