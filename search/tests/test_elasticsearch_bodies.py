"""Elasticsearch request bodies, checked without a server (the integration suite runs where ELASTICSEARCH_URL is
set: the `backend` fixture's elasticsearch parameter)."""

import datetime as dt

from registry.access import AccessScope
from search.index.backends import SearchRequest
from search.index.backends.elasticsearch import (
    INDEX_SETTINGS,
    MAPPINGS,
    ElasticsearchBackend,
    access_filter,
    search_body,
    to_es_doc,
)
from search.index.terms import es_terms


def scope(**kw):
    base = {"user_ids": frozenset(), "unit_ids": frozenset(), "all_units": False, "registers": False}
    base.update(kw)
    return AccessScope(**base)


def test_access_filter_states_the_one_rule():
    assert access_filter(scope()) == {"match_none": {}}
    f = access_filter(scope(user_ids=frozenset({7}), unit_ids=frozenset({3, 2}), registers=True))
    assert f == {"bool": {"minimum_should_match": 1, "should": [
        {"term": {"register_entry": True}},
        {"terms": {"user_ids": [7]}},
        {"bool": {"filter": [{"term": {"confidential": False}}, {"terms": {"unit_id": [2, 3]}}]}},
    ]}}
    f = access_filter(scope(user_ids=frozenset({1}), all_units=True))
    assert {"term": {"confidential": False}} in f["bool"]["should"]


def _flat(node):
    """Every dict in a body, for simple 'contains' checks."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _flat(v)
    elif isinstance(node, list):
        for v in node:
            yield from _flat(v)


def test_search_body_filters_query_facets_and_cursor():
    req = SearchRequest(q='"warunki zabudowy" zabud* -skarga', units=[4], jrwa="67", years=[2025],
                        date_from=dt.date(2025, 1, 1), sort="date", size=10, cursor="")
    body, _parsed = search_body(req, scope(all_units=True))
    nodes = list(_flat(body))
    assert {"match_phrase": {"terms": {"query": "warunki zabudowy", "analyzer": "whitespace"}}} in nodes
    assert {"prefix": {"terms": {"value": "zabud"}}} in nodes
    assert any("must_not" in n for n in nodes)
    assert {"prefix": {"jrwa_symbol": "67"}} in nodes and {"terms": {"unit_id": [4]}} in nodes
    assert {"range": {"date": {"gte": "2025-01-01"}}} in nodes
    assert body["sort"] == [{"date": "desc"}, {"key": "desc"}] and body["size"] == 11
    assert set(body["aggs"]) >= {"kind", "unit", "jrwa", "year", "channel", "status", "category"}
    assert body["query"]["bool"]["filter"][0] == access_filter(scope(all_units=True))


def test_identifier_query_boosts_the_record_itself():
    body, parsed = search_body(SearchRequest(q="RPW/12/2025"), scope(registers=True))
    assert parsed.identifiers == ["rpw/12/2025"]
    assert body["query"]["bool"]["should"][0]["constant_score"]["filter"] == {"terms": {"primary_id": ["rpw/12/2025"]}}
    assert body["sort"][0] == {"_score": "desc"}


def test_search_after_cursor_round_trip():
    class FakeES:
        def __init__(self):
            self.calls = []

        def search(self, **kw):
            self.calls.append(kw)
            hit = {"_score": 1.0, "sort": ["2025-01-02", "case:1"], "_source": {
                "kind": "case", "object_id": 1, "display_id": "X", "title": "T", "subtitle": "", "body": "",
                "date": "2025-01-02", "doc_kind": "", "status": "open"}}
            return {"hits": {"total": {"value": 5, "relation": "eq"}, "hits": [hit, hit]},
                    "aggregations": {"kind": {"buckets": [{"key": "case", "doc_count": 5}]}}}

    fake = FakeES()
    be = ElasticsearchBackend(fake, "obieg")
    result = be.search(SearchRequest(sort="date", size=1), scope(all_units=True))
    assert result.total == 5 and result.facets["kind"] == [("case", 5)] and result.next_cursor
    be.search(SearchRequest(sort="date", size=1, cursor=result.next_cursor), scope(all_units=True))
    assert fake.calls[1]["search_after"] == ["2025-01-02", "case:1"]
    assert fake.calls[0]["index"] == "obieg"


def test_alternatives_analyser_and_documents():
    assert INDEX_SETTINGS["analysis"]["filter"]["alternatives"]["type"] == "pattern_capture"
    assert MAPPINGS["properties"]["terms"]["analyzer"] == "alternatives"
    assert es_terms("Urzędzie Gminy").startswith("urzedzie|urzad gminy|")
    doc = {"kind": "case", "object_id": 3, "identifiers": ["or.0012.1.2024"], "title": "T", "body": "B",
           "date": dt.date(2025, 1, 2), "terms": ["a"], "doc_hash": "h"}
    es = to_es_doc(doc)
    assert es["key"] == "case:3" and es["primary_id"] == "or.0012.1.2024" and es["date"] == "2025-01-02"
    assert set(es) <= set(MAPPINGS["properties"])


def test_rebuild_swaps_the_alias_atomically():
    class Indices:
        def __init__(self):
            self.log = []

        def create(self, **kw):
            self.log.append(("create", kw["index"]))

        def put_alias(self, **kw):
            self.log.append(("put_alias", kw["index"], kw["name"]))

        def put_settings(self, **kw):
            self.log.append(("settings", kw["index"]))

        def refresh(self, **kw):
            pass

        def exists_alias(self, name):
            return name == "obieg"

        def get_alias(self, name):
            return {"obieg-v1-old": {}}

        def update_aliases(self, actions):
            self.log.append(("update_aliases", actions))

        def delete(self, **kw):
            self.log.append(("delete", kw["index"]))

    class ES:
        indices = Indices()

    be = ElasticsearchBackend(ES(), "obieg")
    token = be.rebuild_start()
    assert token.startswith("obieg-v1-")
    be.rebuild_finish(token)
    log = ES.indices.log
    swap = next(entry for entry in log if entry[0] == "update_aliases")[1]
    assert {"remove": {"index": "obieg-v1-old", "alias": "obieg"}} in swap
    assert {"add": {"index": token, "alias": "obieg"}} in swap
    assert log[-1] == ("delete", "obieg-v1-old")
