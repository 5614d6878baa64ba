"""Search backends. `get_backend()` returns the configured one (settings.SEARCH_BACKEND: postgres | elasticsearch)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

FACETS = ("kind", "unit", "jrwa", "year", "channel", "status", "category", "sender", "case_worker")
FACET_SIZE = 15


@dataclass
class SearchRequest:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # already expanded to sub-units
    jrwa: str = ""  # a symbol at any level: its prefix
    date_from: date | None = None
    date_to: date | None = None
    channels: list[str] = field(default_factory=list)
    sender: int | None = None
    case_worker: int | None = None
    statuses: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    sort: str = "relevance"  # relevance | date | date_asc
    size: int = 20
    cursor: str = ""
    facets: bool = True


@dataclass
class Hit:
    kind: str
    object_id: int
    display_id: str
    title: str
    subtitle: str
    body: str
    date: date
    score: float = 0.0
    identifier_hit: bool = False
    fields: dict = field(default_factory=dict)


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    total_exact: bool
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str = ""
    parsed: object = None
    limited: bool = False  # relevance paging reached the end of the ranked candidates


class SearchBackend:
    name = ""
    representations: tuple[str, ...] = ()  # which analysed forms of a document it stores (see documents.finish)

    def upsert(self, docs: list[dict]) -> None:
        raise NotImplementedError

    def delete(self, keys: list[tuple[str, int]]) -> None:
        raise NotImplementedError

    def search(self, request: SearchRequest, scope) -> SearchResult:
        raise NotImplementedError

    def hashes(self, kind: str) -> dict[int, str]:
        """object_id -> doc_hash of every entry of a kind (for search_check)."""
        raise NotImplementedError

    # rebuild without downtime: writes go to a new generation, then it replaces the live one
    def rebuild_start(self) -> object:
        return None

    def rebuild_write(self, token, docs: list[dict]) -> None:
        self.upsert(docs)

    def rebuild_finish(self, token) -> None:
        raise NotImplementedError

    def rebuild_abort(self, token) -> None:
        """A rebuild failed or was interrupted: leave the live index as it was."""


_cache: dict[str, SearchBackend] = {}


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    if name not in _cache:
        if name == "postgres":
            from search.index.backends.postgres import PostgresBackend

            _cache[name] = PostgresBackend()
        elif name == "elasticsearch":
            from search.index.backends.elasticsearch import ElasticsearchBackend

            _cache[name] = ElasticsearchBackend.from_settings()
        else:
            raise ValueError(f"unknown SEARCH_BACKEND {name!r}")
    return _cache[name]


def reset_backends() -> None:
    _cache.clear()
