"""The default backend: a flat table (`search_entry`) with a GIN-indexed tsvector built in Python.

Speed (see search-baseline.md: ranking every match is the trap):
- relevance ranks only a bounded candidate set: the first CANDIDATES matches (no ordering, so no sort of all
  matches) plus exact identifier hits; when there are fewer matches than that, ranking is exact;
- date order uses keyset pagination on (date, id), so page 500 costs what page 1 costs;
- the total and facets come from one GROUPING SETS query over at most FACET_LIMIT matches (exact below it).
Access (`registry.access`): the AccessScope becomes a WHERE clause over the flat access columns.

Plans (measured with bench/search.py at 100,000 documents, see search/data/postgres_speed.md):
- every bounded scan ("the first N matches") is written as `WITH m AS MATERIALIZED (… WHERE …) … LIMIT n`. A CTE
  is planned for all its rows, so PostgreSQL combines the GIN/btree indexes in a bitmap, and the outer LIMIT still
  stops it early. With the LIMIT inside, the planner assumed matches are spread evenly and chose a sequential (or
  date index) scan that de-toasts and tests the tsvector of every row until it finds n; for a narrow access scope
  (a case worker) with few matches that meant walking the whole table (seconds);
- date order counts first (bounded, cheap): when there are fewer than FACET_LIMIT matches, the page is a top-N
  sort of their (id, date) pairs; only broad queries walk the (date, id) index, where matches are dense;
- the search runs with JIT off and a larger work_mem (exact, not lossy, bitmaps), set locally.
"""

import base64
import datetime as dt
import json

from django.db import connection, transaction

from search.index.backends import FACET_SIZE, FACETS, Hit, SearchBackend, SearchRequest, SearchResult
from search.index.query import parse, to_tsquery

CANDIDATES = 1000
FACET_LIMIT = 5_000  # counts and facets are exact up to here; beyond it "more than 5 000"
SEARCH_SETTINGS = {"jit": "off", "work_mem": "32MB"}  # set for the search's statements only
DENSE_FACTOR = (FACET_LIMIT + 1) * 5 / 0.15  # see PostgresBackend._dense
FACET_COLUMNS = {
    "kind": "kind", "unit": "unit_id", "jrwa": "jrwa_symbol", "year": "year", "channel": "channel",
    "status": "status", "category": "archival_category", "sender": "sender_id", "case_worker": "case_worker_id",
}
COLUMNS = [
    "kind", "object_id", "identifiers", "display_id", "title", "subtitle", "body", "tsv", "date", "year", "unit_id",
    "confidential", "user_ids", "register_entry", "jrwa_symbol", "channel", "sender_id", "sender_name",
    "case_worker_id", "status", "archival_category", "doc_kind", "case_id", "doc_hash",
]
HIT_COLUMNS = "e.id, e.kind, e.object_id, e.display_id, e.title, e.subtitle, e.body, e.date, e.doc_kind, e.status"


def access_sql(scope) -> tuple[str, list]:
    """`AccessScope.allows_record` over the flat columns, as SQL."""
    parts, params = [], []
    if scope.registers:
        parts.append("e.register_entry")
    if scope.user_ids:
        parts.append("e.user_ids && %s::bigint[]")
        params.append(sorted(scope.user_ids))
    if scope.all_units:
        parts.append("NOT e.confidential")
    elif scope.unit_ids:
        parts.append("(NOT e.confidential AND e.unit_id = ANY(%s::bigint[]))")
        params.append(sorted(scope.unit_ids))
    if not parts:
        return "FALSE", []
    return "(" + " OR ".join(parts) + ")", params


def filter_sql(r: SearchRequest) -> tuple[list[str], list]:
    where, params = [], []
    if r.kinds:
        where.append("e.kind = ANY(%s)")
        params.append(list(r.kinds))
    if r.units:
        where.append("e.unit_id = ANY(%s::bigint[])")
        params.append(list(r.units))
    if r.jrwa:
        where.append("e.jrwa_symbol LIKE %s")
        params.append(r.jrwa.replace("%", "").replace("_", "") + "%")
    if r.date_from:
        where.append("e.date >= %s")
        params.append(r.date_from)
    if r.date_to:
        where.append("e.date <= %s")
        params.append(r.date_to)
    if r.channels:
        where.append("e.channel = ANY(%s)")
        params.append(list(r.channels))
    if r.sender:
        where.append("e.sender_id = %s")
        params.append(r.sender)
    if r.case_worker:
        where.append("e.case_worker_id = %s")
        params.append(r.case_worker)
    if r.statuses:
        where.append("e.status = ANY(%s)")
        params.append(list(r.statuses))
    if r.categories:
        where.append("e.archival_category = ANY(%s)")
        params.append(list(r.categories))
    if r.years:
        where.append("e.year = ANY(%s::smallint[])")
        params.append([int(y) for y in r.years])
    return where, params


def encode_cursor(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).decode().rstrip("=")


def decode_cursor(value: str):
    if not value:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except ValueError:
        return None


def restore_indexes(maintenance_work_mem: str = "256MB") -> list[str]:
    """Build the indexes a bulk load suspended (see `SuspendedIndex`); returns their names."""
    with connection.cursor() as cur:
        cur.execute("SELECT name, definition FROM search_suspended_index ORDER BY id")
        rows = cur.fetchall()
    for name, definition in rows:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT set_config('maintenance_work_mem', %s, true)", [maintenance_work_mem])
            cur.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            cur.execute("DELETE FROM search_suspended_index WHERE name = %s", [name])
    return [name for name, _d in rows]


def suspended_indexes() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM search_suspended_index ORDER BY id")
        return [r[0] for r in cur.fetchall()]


class PostgresBackend(SearchBackend):
    name = "postgres"
    representations = ("tsv",)

    # --- writing ----------------------------------------------------------------------------------------------
    def upsert(self, docs: list[dict]) -> None:
        """COPY into a session-local staging table, then one INSERT … ON CONFLICT: the rows travel in PostgreSQL's
        own bulk format (no per-row statement), and an entry written meanwhile by the outbox drainer is updated,
        never duplicated."""
        if not docs:
            return
        cols = ", ".join(COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c not in ("kind", "object_id"))
        # One transaction: the staging table is per session, so all four statements must reach the same one (also
        # behind a transaction-pooling proxy).
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS search_entry_load AS SELECT {cols} FROM search_entry WITH NO DATA"
            )
            cur.execute("TRUNCATE search_entry_load")
            with cur.copy(f"COPY search_entry_load ({cols}) FROM STDIN") as copy:
                for d in docs:
                    copy.write_row([d[c] for c in COLUMNS])
            cur.execute(
                f"INSERT INTO search_entry ({cols}, indexed_at) SELECT {cols}, now() FROM search_entry_load "
                f"ON CONFLICT (kind, object_id) DO UPDATE SET {updates}, indexed_at = now()"
            )

    # --- rebuilding -------------------------------------------------------------------------------------------
    def rebuild_start(self) -> dict:
        """Into an empty table (the first build, or after a restore) the secondary indexes are dropped and built
        once at the end; otherwise entries are upserted in place, so search keeps working throughout."""
        restore_indexes()  # left suspended by an interrupted bulk load
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("LOCK TABLE search_entry IN SHARE ROW EXCLUSIVE MODE")
            cur.execute("SELECT now(), EXISTS (SELECT 1 FROM search_entry)")
            started, filled = cur.fetchone()
            if filled:
                return {"bulk": False, "started": started}
            cur.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename = 'search_entry'
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"""
            )
            indexes = cur.fetchall()
            for name, definition in indexes:
                cur.execute(
                    "INSERT INTO search_suspended_index (name, definition) VALUES (%s, %s)", [name, definition]
                )
                cur.execute(f'DROP INDEX "{name}"')
        return {"bulk": True, "started": started}

    def rebuild_finish(self, token) -> None:
        # Every existing record was written after the rebuild started (by the rebuild or by the outbox drainer):
        # an entry written before it belongs to a record that no longer exists.
        if not token["bulk"]:
            with connection.cursor() as cur:
                cur.execute("DELETE FROM search_entry WHERE indexed_at < %s", [token["started"]])
        restore_indexes()
        with connection.cursor() as cur:
            cur.execute("ANALYZE search_entry")

    def rebuild_abort(self, token) -> None:
        restore_indexes()

    def delete(self, keys: list[tuple[str, int]]) -> None:
        by_kind: dict[str, list[int]] = {}
        for kind, oid in keys:
            by_kind.setdefault(kind, []).append(oid)
        with connection.cursor() as cur:
            for kind, ids in by_kind.items():
                cur.execute("DELETE FROM search_entry WHERE kind = %s AND object_id = ANY(%s)", [kind, ids])

    def hashes(self, kind: str) -> dict[int, str]:
        with connection.cursor() as cur:
            cur.execute("SELECT object_id, doc_hash FROM search_entry WHERE kind = %s", [kind])
            return dict(cur.fetchall())

    def count(self) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM search_entry")
            return cur.fetchone()[0]

    # --- searching --------------------------------------------------------------------------------------------
    def search(self, request: SearchRequest, scope) -> SearchResult:
        parsed = parse(request.q)
        acc, acc_params = access_sql(scope)
        where, params = filter_sql(request)
        where = [acc, *where]
        params = [*acc_params, *params]
        tsquery = None
        if not parsed.empty:
            tsquery = to_tsquery(parsed.root)
            where.append("e.tsv @@ to_tsquery('simple', %s)")
            params.append(tsquery)
        where_sql = " AND ".join(where)
        size = max(1, min(request.size, 200))
        cursor = decode_cursor(request.cursor)

        with transaction.atomic(), connection.cursor() as cur:
            dense = tsquery is not None and self._dense(cur, where_sql, params)
            restore = self._local_settings(cur, text=tsquery is not None, dense=dense)
            try:
                facets = {}
                if request.facets:
                    total, exact, facets = self._facets(cur, where_sql, params)
                elif isinstance(cursor, dict) and "t" in cursor:  # a next page: the count came with the cursor
                    total, exact = int(cursor["t"]), bool(cursor["x"])
                else:
                    total, exact = self._count(cur, where_sql, params)
                if request.sort == "relevance" and tsquery is not None:
                    hits, next_cursor, limited = self._relevance(
                        cur, where_sql, params, tsquery, parsed, size, cursor
                    )
                else:
                    hits, next_cursor = self._by_date(
                        cur, where_sql, params, size, cursor, request.sort == "date_asc", few=exact
                    )
                    limited = False
            finally:
                if restore:
                    cur.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in restore),
                                [x for kv in restore.items() for x in kv])
        if next_cursor:
            next_cursor = encode_cursor({**decode_cursor(next_cursor), "t": total, "x": exact})
        return SearchResult(hits, total, exact, facets, next_cursor, parsed, limited)

    @staticmethod
    def _dense(cur, where_sql, params) -> bool:
        """Whether the matches are so many that reading the table in order finds the first FACET_LIMIT of them
        sooner than a GIN bitmap collects all of them. At 1.5 million entries a word in most letters ("wniosek")
        spent ~130 ms only building its bitmap, twice per search; read in order, the first 5,001 matches are found
        in ~20 ms. Costs measured there (see search/data/postgres_speed.md): testing one row's tsvector ~5 µs,
        one bitmap entry ~0.15 µs; so in order wins when estimated² > (FACET_LIMIT + 1) × 5 / 0.15 × table rows
        (about a third of the rows at 1.5 million; never below ~170,000 rows). The estimate is the planner's own."""
        cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entry e WHERE {where_sql}", params)
        plan = cur.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimated = float(plan[0]["Plan"]["Plan Rows"])
        cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_entry'::regclass")
        rows = max(float(cur.fetchone()[0] or 0), 1.0)
        return estimated * estimated > DENSE_FACTOR * rows

    @staticmethod
    def _local_settings(cur, text: bool, dense: bool = False) -> dict[str, str]:
        """SET LOCAL the search settings; returns the previous values when they must be put back (the search ran
        inside a caller's transaction, so SET LOCAL would outlive it), else an empty dict.

        With a text condition the GIN index can always be used, and a sequential scan is never better: the planner
        does not count the cost of de-toasting and testing every row's tsvector (stored out of line), which made
        it prefer a sequential scan for words matching a few per cent of the rows (300+ ms instead of ~20 ms)."""
        nested = connection.in_atomic_block and len(connection.atomic_blocks) > 1
        wanted = dict(SEARCH_SETTINGS)
        if text:  # dense matches: read the table in order and stop early; otherwise: GIN bitmaps, never a scan
            wanted["enable_bitmapscan" if dense else "enable_seqscan"] = "off"
        names = list(wanted)
        cur.execute(
            "SELECT " + ", ".join(f"current_setting('{n}')" for n in names) + ", "
            + ", ".join("set_config(%s, %s, true)" for _ in names),
            [x for kv in wanted.items() for x in kv],
        )
        previous = cur.fetchone()[: len(names)]
        return dict(zip(names, previous, strict=True)) if nested else {}

    def _relevance(self, cur, where_sql, params, tsquery, parsed, size, cursor):
        offset = int(cursor.get("o", 0)) if isinstance(cursor, dict) else 0
        ident_sql, ident_params = "FALSE", []
        union = ""
        if parsed.identifiers:
            ident_sql, ident_params = "e.identifiers && %s::varchar[]", [parsed.identifiers]
            union = (
                f"UNION SELECT e.id FROM search_entry e WHERE {where_sql} AND e.identifiers && %s::varchar[]"
            )
        sql = f"""
            WITH m AS MATERIALIZED (SELECT e.id FROM search_entry e WHERE {where_sql}),
            cand AS (
                (SELECT m.id FROM m LIMIT {CANDIDATES})
                {union}
            )
            SELECT {HIT_COLUMNS},
                   ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', e.tsv, to_tsquery('simple', %s), 1) AS score,
                   COALESCE({ident_sql}, FALSE) AS ident_hit,
                   COALESCE(e.identifiers[1] = ANY(%s::varchar[]), FALSE) AS primary_hit
            FROM cand JOIN search_entry e ON e.id = cand.id
            ORDER BY primary_hit DESC, ident_hit DESC, score DESC, e.date DESC, e.id DESC
            OFFSET %s LIMIT %s
        """
        all_params = [*params, *(params + ident_params if union else []), tsquery, *ident_params,
                      parsed.identifiers, offset, size + 1]
        cur.execute(sql, all_params)
        rows = cur.fetchall()
        hits = [self._hit(r, score=r[10], ident=r[11] or r[12]) for r in rows[:size]]
        next_cursor = encode_cursor({"o": offset + size}) if len(rows) > size else ""
        limited = not next_cursor and offset + len(hits) >= CANDIDATES
        return hits, next_cursor, limited

    def _by_date(self, cur, where_sql, params, size, cursor, ascending, few=False):
        """`few`: the query has at most FACET_LIMIT matches (counted just before), so sort them instead of walking
        the date index past every non-matching row."""
        extra, extra_params = "", []
        if isinstance(cursor, dict) and "d" in cursor:
            op = ">" if ascending else "<"
            extra, extra_params = f" AND (e.date, e.id) {op} (%s::date, %s)", [cursor["d"], cursor["i"]]
        order = "ASC" if ascending else "DESC"
        if few:
            sql = f"""
                WITH m AS MATERIALIZED (SELECT e.id, e.date FROM search_entry e WHERE {where_sql}{extra}),
                page AS (SELECT m.id FROM m ORDER BY m.date {order}, m.id {order} LIMIT %s)
                SELECT {HIT_COLUMNS} FROM page JOIN search_entry e ON e.id = page.id
                ORDER BY e.date {order}, e.id {order}
            """
        else:
            sql = (
                f"SELECT {HIT_COLUMNS} FROM search_entry e WHERE {where_sql}{extra} "
                f"ORDER BY e.date {order}, e.id {order} LIMIT %s"
            )
        cur.execute(sql, [*params, *extra_params, size + 1])
        rows = cur.fetchall()
        hits = [self._hit(r) for r in rows[:size]]
        next_cursor = ""
        if len(rows) > size:
            last = rows[size - 1]
            next_cursor = encode_cursor({"d": last[7].isoformat(), "i": last[0]})
        return hits, next_cursor

    def _count(self, cur, where_sql, params):
        cur.execute(
            f"WITH m AS MATERIALIZED (SELECT 1 FROM search_entry e WHERE {where_sql}) "
            f"SELECT count(*) FROM (SELECT 1 FROM m LIMIT {FACET_LIMIT + 1}) b",
            params,
        )
        n = cur.fetchone()[0]
        return min(n, FACET_LIMIT), n <= FACET_LIMIT

    def _facets(self, cur, where_sql, params):
        cols = [FACET_COLUMNS[f] for f in FACETS]
        sets = ", ".join(f"({c})" for c in cols) + ", ()"
        cur.execute(
            f"""
            WITH a AS MATERIALIZED (SELECT {", ".join("e." + c for c in cols)} FROM search_entry e WHERE {where_sql}),
            m AS (SELECT * FROM a LIMIT {FACET_LIMIT + 1})
            SELECT {", ".join(cols)}, GROUPING({", ".join(cols)}) AS g, count(*) FROM m GROUP BY GROUPING SETS ({sets})
            """,
            params,
        )
        n = len(cols)
        full = (1 << n) - 1
        facets: dict[str, list] = {f: [] for f in FACETS}
        total = 0
        for row in cur.fetchall():
            g, count = row[n], row[n + 1]
            if g == full:
                total = count
                continue
            for i, f in enumerate(FACETS):
                if not (g >> (n - 1 - i)) & 1:  # this column is grouped in this row
                    value = row[i]
                    if value not in (None, ""):
                        facets[f].append((str(value), count))
        for f in facets:
            facets[f].sort(key=lambda vc: (-vc[1], vc[0]))
            facets[f] = facets[f][:FACET_SIZE]
        exact = total <= FACET_LIMIT
        return min(total, FACET_LIMIT), exact, facets

    @staticmethod
    def _hit(row, score=0.0, ident=False) -> Hit:
        return Hit(
            kind=row[1], object_id=row[2], display_id=row[3], title=row[4], subtitle=row[5], body=row[6],
            date=row[7] if isinstance(row[7], dt.date) else dt.date.fromisoformat(str(row[7])),
            score=float(score or 0), identifier_hit=bool(ident), fields={"doc_kind": row[8], "status": row[9]},
        )

