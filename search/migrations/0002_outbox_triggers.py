"""Keeping the index true: triggers on the registry tables write (kind, object_id) into search_outbox in the same
transaction as the change, whatever made it (services, admin, bulk UPDATE, raw SQL). Drained by
search.index.outbox.drain (Celery beat)."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION search_enqueue(k text, oid bigint) RETURNS void AS $$
BEGIN
    IF oid IS NOT NULL THEN
        INSERT INTO search_outbox (kind, object_id, created_at) VALUES (k, oid, now());
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_delivery() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_enqueue('delivery_tree', OLD.id); RETURN OLD; END IF;
    PERFORM search_enqueue('delivery_tree', NEW.id);
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_case() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_enqueue('case', OLD.id); RETURN OLD; END IF;
    IF TG_OP = 'INSERT' THEN PERFORM search_enqueue('case', NEW.id);
    ELSE PERFORM search_enqueue('case_tree', NEW.id); END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_document() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_enqueue('document', OLD.id); RETURN OLD; END IF;
    PERFORM search_enqueue('document', NEW.id);
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_enqueue('document', OLD.document_id); RETURN OLD; END IF;
    PERFORM search_enqueue('document', NEW.document_id);
    IF TG_OP = 'UPDATE' AND NEW.document_id IS DISTINCT FROM OLD.document_id THEN
        PERFORM search_enqueue('document', OLD.document_id);
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

-- Rows that only point at a case (outgoing items, parties): the case entry changes.
CREATE OR REPLACE FUNCTION search_outbox_case_link() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM search_enqueue('case', OLD.case_id); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM search_enqueue('case', NEW.case_id); RETURN NEW; END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;

-- Participants decide who may see a confidential case: the case and everything in it.
CREATE OR REPLACE FUNCTION search_outbox_participants() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM search_enqueue('case_tree', OLD.case_id); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM search_enqueue('case_tree', NEW.case_id); RETURN NEW; END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_correspondent() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, object_id, created_at)
        SELECT 'delivery_tree', d.id, now() FROM registry_delivery d WHERE d.sender_id = NEW.id
        UNION SELECT 'case', p.case_id, now() FROM registry_caseparty p WHERE p.correspondent_id = NEW.id
        UNION SELECT 'case', o.case_id, now() FROM registry_outgoingitem o
              WHERE o.recipient_id = NEW.id AND o.case_id IS NOT NULL;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_jrwa() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, object_id, created_at)
        SELECT 'case_tree', c.id, now() FROM registry_case c WHERE c.jrwa_class_id = NEW.id;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_unit() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, object_id, created_at)
        SELECT 'case_tree', c.id, now() FROM registry_case c WHERE c.unit_id = NEW.id
        UNION SELECT 'delivery_tree', d.id, now() FROM registry_delivery d
              WHERE d.case_id IS NULL AND (d.assigned_unit_id = NEW.id OR d.addressed_unit_id = NEW.id);
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

TRIGGERS = [
    # (table, function, events, only when a row really changed)
    ("registry_delivery", "search_outbox_delivery", "INSERT OR UPDATE OR DELETE"),
    ("registry_case", "search_outbox_case", "INSERT OR UPDATE OR DELETE"),
    ("registry_document", "search_outbox_document", "INSERT OR UPDATE OR DELETE"),
    ("registry_documentversion", "search_outbox_version", "INSERT OR UPDATE OR DELETE"),
    ("registry_outgoingitem", "search_outbox_case_link", "INSERT OR UPDATE OR DELETE"),
    ("registry_caseparty", "search_outbox_case_link", "INSERT OR UPDATE OR DELETE"),
    ("registry_case_participants", "search_outbox_participants", "INSERT OR UPDATE OR DELETE"),
]
# Updates only, and only of the columns that appear in index entries.
UPDATE_TRIGGERS = [
    ("registry_correspondent", "search_outbox_correspondent",
     "OLD.kind, OLD.first_name, OLD.last_name, OLD.name, OLD.city",
     "NEW.kind, NEW.first_name, NEW.last_name, NEW.name, NEW.city"),
    ("registry_jrwaclass", "search_outbox_jrwa",
     "OLD.symbol, OLD.title, OLD.category_own", "NEW.symbol, NEW.title, NEW.category_own"),
    ("organisation_orgunit", "search_outbox_unit", "OLD.symbol, OLD.name", "NEW.symbol, NEW.name"),
]


def forward_sql():
    sql = [FUNCTIONS]
    for table, function, _events in TRIGGERS:
        # Inserts and deletes always; updates only when some column really changed (no-op saves cost nothing).
        sql.append(
            f"CREATE TRIGGER {table}_search_ins_del AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        )
        sql.append(
            f"CREATE TRIGGER {table}_search_upd AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION {function}();"
        )
    for table, function, old, new in UPDATE_TRIGGERS:
        sql.append(
            f"CREATE TRIGGER {table}_search_upd AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN (({old}) IS DISTINCT FROM ({new})) EXECUTE FUNCTION {function}();"
        )
    return "\n".join(sql)


def reverse_sql():
    sql = []
    for table, _f, _e in TRIGGERS:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_search_ins_del ON {table};")
        sql.append(f"DROP TRIGGER IF EXISTS {table}_search_upd ON {table};")
    for table, *_rest in UPDATE_TRIGGERS:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_search_upd ON {table};")
    for name in ("delivery", "case", "document", "version", "case_link", "participants", "correspondent", "jrwa",
                 "unit"):
        sql.append(f"DROP FUNCTION IF EXISTS search_outbox_{name}();")
    sql.append("DROP FUNCTION IF EXISTS search_enqueue(text, bigint);")
    return "\n".join(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("registry", "0003_english_source_strings"),
        ("organisation", "0002_english_source_strings"),
    ]

    operations = [
        migrations.RunSQL(forward_sql(), reverse_sql()),
    ]
