"""The Elasticsearch backend (official `elasticsearch` client 8.15+/9.x).

One behaviour with PostgreSQL: documents carry the same Python-analysed terms (`search.index.terms.es_terms`:
"alt1|alt2" per word) in a field whose analyser (whitespace + pattern_capture) puts a word's alternatives at one
position, so words, phrases and prefixes match exactly as the tsvector does. Identifiers, filters and access
fields are keywords; facets are `terms` aggregations; deep pages use `search_after`; highlights are made in
Python from the stored text (search.index.highlight), like for PostgreSQL. A `polish` (analysis-stempel)
sub-field of the text is kept for ad-hoc use; it is not used for matching, so both backends find the same.

Indices are versioned (`{prefix}-v{SCHEMA_VERSION}-{timestamp}`) behind the alias `{prefix}`; `search_rebuild`
fills a new index (also receiving live outbox writes through the alias `{prefix}-next`) and swaps the alias
atomically.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from search.index.backends import FACET_SIZE, FACETS, Hit, SearchBackend, SearchRequest, SearchResult
from search.index.backends.postgres import FACET_LIMIT, decode_cursor, encode_cursor
from search.index.query import parse, to_es

SCHEMA_VERSION = 1
FACET_FIELDS = {
    "kind": "kind", "unit": "unit_id", "jrwa": "jrwa_symbol", "year": "year", "channel": "channel",
    "status": "status", "category": "archival_category", "sender": "sender_id", "case_worker": "case_worker_id",
}
SOURCE = ["kind", "object_id", "display_id", "title", "subtitle", "body", "date", "doc_kind", "status"]

INDEX_SETTINGS = {
    "number_of_shards": 1,
    "analysis": {
        "filter": {"alternatives": {"type": "pattern_capture", "preserve_original": False, "patterns": ["([^|]+)"]}},
        "analyzer": {
            "alternatives": {"type": "custom", "tokenizer": "whitespace", "filter": ["alternatives"]},
            "polish_folded": {"type": "custom", "tokenizer": "standard",
                              "filter": ["lowercase", "polish_stem", "asciifolding"]},
        },
    },
}
_kw = {"type": "keyword"}
_long = {"type": "long"}
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "key": _kw, "kind": _kw, "object_id": _long, "identifiers": _kw, "primary_id": _kw, "display_id": _kw,
        "title": {"type": "keyword", "index": False}, "subtitle": {"type": "keyword", "index": False},
        "body": {"type": "text", "index": False},
        "terms": {"type": "text", "analyzer": "alternatives", "search_analyzer": "whitespace",
                  "position_increment_gap": 2},
        "title_terms": {"type": "text", "analyzer": "alternatives", "search_analyzer": "whitespace"},
        "text": {"type": "text", "analyzer": "polish_folded"},
        "date": {"type": "date"}, "year": {"type": "short"}, "unit_id": _long, "confidential": {"type": "boolean"},
        "user_ids": _long, "register_entry": {"type": "boolean"}, "jrwa_symbol": _kw, "channel": _kw,
        "sender_id": _long, "sender_name": _kw, "case_worker_id": _long, "status": _kw, "archival_category": _kw,
        "doc_kind": _kw, "case_id": _long, "doc_hash": _kw,
    },
}


def access_filter(scope) -> dict:
    """`AccessScope.allows_record` as an Elasticsearch filter."""
    should = []
    if scope.registers:
        should.append({"term": {"register_entry": True}})
    if scope.user_ids:
        should.append({"terms": {"user_ids": sorted(scope.user_ids)}})
    if scope.all_units:
        should.append({"term": {"confidential": False}})
    elif scope.unit_ids:
        should.append({"bool": {"filter": [{"term": {"confidential": False}},
                                           {"terms": {"unit_id": sorted(scope.unit_ids)}}]}})
    if not should:
        return {"match_none": {}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


def filters(r: SearchRequest) -> list[dict]:
    out = []
    for field, values in (("kind", r.kinds), ("unit_id", r.units), ("channel", r.channels), ("status", r.statuses),
                          ("archival_category", r.categories), ("year", r.years)):
        if values:
            out.append({"terms": {field: list(values)}})
    if r.jrwa:
        out.append({"prefix": {"jrwa_symbol": r.jrwa}})
    if r.date_from or r.date_to:
        rng = {}
        if r.date_from:
            rng["gte"] = r.date_from.isoformat()
        if r.date_to:
            rng["lte"] = r.date_to.isoformat()
        out.append({"range": {"date": rng}})
    if r.sender:
        out.append({"term": {"sender_id": r.sender}})
    if r.case_worker:
        out.append({"term": {"case_worker_id": r.case_worker}})
    return out


def search_body(request: SearchRequest, scope) -> tuple[dict, object]:
    parsed = parse(request.q)
    size = max(1, min(request.size, 200))
    bool_q: dict = {"filter": [access_filter(scope), *filters(request)]}
    if parsed.empty:
        bool_q["must"] = [{"match_all": {}}]
    else:
        bool_q["must"] = [to_es(parsed.root)]
        if parsed.identifiers:
            bool_q["should"] = [{"constant_score": {"filter": {"terms": {"primary_id": parsed.identifiers}},
                                                    "boost": 10000.0}}]
    relevance = request.sort == "relevance" and not parsed.empty
    if relevance:
        sort = [{"_score": "desc"}, {"date": "desc"}, {"key": "desc"}]
    elif request.sort == "date_asc":
        sort = [{"date": "asc"}, {"key": "asc"}]
    else:
        sort = [{"date": "desc"}, {"key": "desc"}]
    body = {
        "query": {"bool": bool_q},
        "sort": sort,
        "size": size + 1,
        "_source": SOURCE,
        "track_total_hits": FACET_LIMIT,
    }
    cursor = decode_cursor(request.cursor)
    if isinstance(cursor, dict) and "sa" in cursor:
        body["search_after"] = cursor["sa"]
    if request.facets:
        body["aggs"] = {name: {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}} for name in FACETS}
    return body, parsed


def to_es_doc(doc: dict) -> dict:
    out = {k: doc[k] for k in MAPPINGS["properties"] if k in doc}
    out["key"] = f"{doc['kind']}:{doc['object_id']}"
    out["primary_id"] = doc["identifiers"][0] if doc["identifiers"] else None
    out["date"] = doc["date"].isoformat()
    out["text"] = doc["title"] + "\n" + doc["body"]
    return out


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    representations = ("terms",)
    refresh_on_write = False  # tests: make every write visible at once

    def __init__(self, client, prefix: str):
        self.es, self.alias, self.next_alias = client, prefix, f"{prefix}-next"

    @classmethod
    def from_settings(cls):
        from elasticsearch import Elasticsearch

        return cls(Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=30), settings.ELASTICSEARCH_INDEX_PREFIX)

    # --- indices -------------------------------------------------------------------------------------------------
    def new_index_name(self) -> str:
        return f"{self.alias}-v{SCHEMA_VERSION}-{timezone.now():%Y%m%d%H%M%S%f}"

    def create_index(self, name: str, *, bulk: bool = False):
        idx_settings = {**INDEX_SETTINGS, "refresh_interval": "-1" if bulk else "1s"}
        self.es.indices.create(index=name, settings=idx_settings, mappings=MAPPINGS)

    def ensure_index(self):
        if not self.es.indices.exists_alias(name=self.alias):
            name = self.new_index_name()
            self.create_index(name)
            self.es.indices.put_alias(index=name, name=self.alias)

    def drop_all(self):
        self.es.indices.delete(index=f"{self.alias}-v*", ignore_unavailable=True)

    def refresh(self):
        self.es.indices.refresh(index=self.alias)

    def _targets(self) -> list[str]:
        targets = [self.alias]
        if self.es.indices.exists_alias(name=self.next_alias):
            targets.append(self.next_alias)
        return targets

    # --- writing -------------------------------------------------------------------------------------------------
    def upsert(self, docs: list[dict], targets=None) -> None:
        from elasticsearch import helpers

        if not docs:
            return
        for target in targets or self._targets():
            actions = [{"_op_type": "index", "_index": target, "_id": f"{d['kind']}:{d['object_id']}",
                        "_source": to_es_doc(d)} for d in docs]
            helpers.bulk(self.es, actions, refresh="wait_for" if self.refresh_on_write else False)

    def delete(self, keys: list[tuple[str, int]]) -> None:
        from elasticsearch import helpers

        for target in self._targets():
            actions = [{"_op_type": "delete", "_index": target, "_id": f"{k}:{i}"} for k, i in keys]
            helpers.bulk(  # already gone is fine
                self.es, actions, refresh="wait_for" if self.refresh_on_write else False, raise_on_error=False
            )

    def hashes(self, kind: str) -> dict[int, str]:
        from elasticsearch import helpers

        out = {}
        for hit in helpers.scan(self.es, index=self.alias, query={"query": {"term": {"kind": kind}}},
                                _source=["object_id", "doc_hash"]):
            out[hit["_source"]["object_id"]] = hit["_source"]["doc_hash"]
        return out

    def rebuild_start(self):
        name = self.new_index_name()
        self.create_index(name, bulk=True)
        self.es.indices.put_alias(index=name, name=self.next_alias)  # live outbox writes reach it too
        return name

    def rebuild_write(self, token, docs):
        self.upsert(docs, targets=[token])

    def rebuild_finish(self, token):
        self.es.indices.put_settings(index=token, settings={"refresh_interval": "1s"})
        self.es.indices.refresh(index=token)
        old = list(self.es.indices.get_alias(name=self.alias).keys()) if self.es.indices.exists_alias(
            name=self.alias) else []
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in old]
        actions += [
            {"remove": {"index": token, "alias": self.next_alias}},
            {"add": {"index": token, "alias": self.alias}},
        ]
        self.es.indices.update_aliases(actions=actions)  # atomic
        for i in old:
            self.es.indices.delete(index=i, ignore_unavailable=True)

    def rebuild_abort(self, token):
        self.es.indices.delete(index=token, ignore_unavailable=True)  # its "-next" alias goes with it

    # --- searching -----------------------------------------------------------------------------------------------
    def search(self, request: SearchRequest, scope) -> SearchResult:
        body, parsed = search_body(request, scope)
        size = body["size"] - 1
        response = self.es.search(index=self.alias, **body)
        raw = response["hits"]["hits"]
        hits = []
        for h in raw[:size]:
            s = h["_source"]
            hits.append(Hit(
                kind=s["kind"], object_id=s["object_id"], display_id=s.get("display_id") or "", title=s["title"],
                subtitle=s.get("subtitle") or "", body=s.get("body") or "", date=dt.date.fromisoformat(s["date"][:10]),
                score=float(h.get("_score") or 0), identifier_hit=bool(h.get("_score") and h["_score"] >= 1000),
                fields={"doc_kind": s.get("doc_kind", ""), "status": s.get("status", "")},
            ))
        next_cursor = encode_cursor({"sa": raw[size - 1]["sort"]}) if len(raw) > size else ""
        total_info = response["hits"]["total"]
        total = total_info["value"]
        exact = total_info.get("relation", "eq") == "eq"
        facets = {}
        for name in FACETS if request.facets else ():
            buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
            facets[name] = [(str(b["key"]), b["doc_count"]) for b in buckets if b["key"] not in ("", None)]
        return SearchResult(hits, total, exact, facets, next_cursor, parsed, False)


__all__ = ["ElasticsearchBackend", "access_filter", "search_body"]
