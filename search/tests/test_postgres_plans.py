"""The PostgreSQL backend's plan choices (search/data/postgres_speed.md) must not change what is found."""

import pytest
from django.db import connection

from search.index.backends import SearchRequest
from search.index.backends import postgres as pg
from search.index.service import search
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


@pytest.fixture
def pg_corpus(office, settings, db):
    from search.index.backends import get_backend, reset_backends

    settings.SEARCH_BACKEND = "postgres"
    reset_backends()
    backend = get_backend()
    corpus = build_corpus(office, backend)
    yield backend, corpus
    reset_backends()


def _pages(office, backend, user, **kw):
    keys, cursor = [], ""
    for _ in range(50):
        result = search(office[user], SearchRequest(size=2, cursor=cursor, **kw), backend)
        keys += [(h.kind, h.object_id) for h in result.hits]
        cursor = result.next_cursor
        if not cursor:
            return keys, result.total
    raise AssertionError("no last page")


@pytest.mark.parametrize("sort", ["date", "date_asc"])
@pytest.mark.parametrize("q", ["", "wniosek", "zabud*"])
@pytest.mark.parametrize("user", ["secretary", "worker_rb_a"])
def test_date_order_is_the_same_with_either_plan(pg_corpus, office, monkeypatch, sort, q, user):
    backend, _corpus = pg_corpus
    few, total = _pages(office, backend, user, q=q, sort=sort)  # few matches: sorted in a CTE
    monkeypatch.setattr(pg, "FACET_LIMIT", 0)  # every query counts as broad: the date index walk
    broad, _ = _pages(office, backend, user, q=q, sort=sort)
    assert few == broad
    assert len(few) == total


def test_search_settings_do_not_outlive_the_search(pg_corpus, office):
    backend, _corpus = pg_corpus

    def current():
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('work_mem'), current_setting('enable_seqscan')")
            return cur.fetchone()

    before = current()
    assert connection.in_atomic_block  # the test's transaction: SET LOCAL alone would leak into it
    search(office["secretary"], SearchRequest(q="wniosek"), backend)
    search(office["secretary"], SearchRequest(jrwa="6", sort="date"), backend)
    assert current() == before


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("q", ["wniosek", "zabud*", "skarga OR zabudowy", '"warunki zabudowy"'])
@pytest.mark.parametrize("user", ["secretary", "worker_rb_a", "clerk"])
def test_dense_plan_finds_the_same(pg_corpus, office, monkeypatch, sort, q, user):
    """Words in most rows are read in table order (no bitmap); the answers, totals and facets are the same."""
    backend, _corpus = pg_corpus
    sparse = search(office[user], SearchRequest(q=q, sort=sort, size=50), backend)
    monkeypatch.setattr(pg, "DENSE_FACTOR", 0)  # every text query counts as dense
    with connection.cursor() as cur:
        assert backend._dense(cur, "TRUE", [])
    dense = search(office[user], SearchRequest(q=q, sort=sort, size=50), backend)
    assert {(h.kind, h.object_id) for h in dense.hits} == {(h.kind, h.object_id) for h in sparse.hits}
    assert (dense.total, dense.total_exact, dense.facets) == (sparse.total, sparse.total_exact, sparse.facets)
    pages, total = _pages(office, backend, user, q=q, sort=sort)
    assert len(pages) == len(set(pages)) == total == sparse.total


def test_next_pages_carry_the_count(pg_corpus, office):
    from django.test.utils import CaptureQueriesContext

    backend, _corpus = pg_corpus
    first = search(office["secretary"], SearchRequest(sort="date", size=2, facets=False), backend)
    assert first.next_cursor
    with CaptureQueriesContext(connection) as ctx:
        second = search(
            office["secretary"], SearchRequest(sort="date", size=2, facets=False, cursor=first.next_cursor), backend
        )
    assert (second.total, second.total_exact) == (first.total, first.total_exact)
    assert not [q for q in ctx.captured_queries if "count(*)" in q["sql"]]  # page 2 does not count again
