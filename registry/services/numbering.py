"""Gap-free numbering. The counter row is bumped with one INSERT … ON CONFLICT … RETURNING inside the caller's
transaction: the row stays locked until commit, so concurrent registrations queue on it, and a rollback
returns the number. Numbers are therefore exactly 1..N per key, with no gaps and no duplicates."""

from django.db import connection, transaction

from registry.models import CaseCounter, RegisterCounter

INCOMING = "in"
OUTGOING = "out"


def _bump(table: str, key_columns: list[str], key_values: list) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering must run inside the registering transaction")
    cols = ", ".join(key_columns)
    placeholders = ", ".join(["%s"] * len(key_values))
    sql = (
        f"INSERT INTO {table} ({cols}, last_number) VALUES ({placeholders}, 1) "
        f"ON CONFLICT ({cols}) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, key_values)
        return cursor.fetchone()[0]


def next_register_number(register: str, year: int) -> int:
    return _bump(RegisterCounter._meta.db_table, ["register", "year"], [register, year])


def next_case_number(unit_id: int, jrwa_class_id: int, year: int) -> int:
    return _bump(CaseCounter._meta.db_table, ["unit_id", "jrwa_class_id", "year"], [unit_id, jrwa_class_id, year])
