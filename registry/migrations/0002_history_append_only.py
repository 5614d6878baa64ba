from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION registry_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'metryka sprawy (registry_historyentry) is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registry_history_no_update_delete
    BEFORE UPDATE OR DELETE ON registry_historyentry
    FOR EACH ROW EXECUTE FUNCTION registry_history_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS registry_history_no_update_delete ON registry_historyentry;
DROP FUNCTION IF EXISTS registry_history_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
