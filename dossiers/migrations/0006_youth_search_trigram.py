"""Trigram index on the folded name of young people (PostgreSQL only): the searches by name
(« nom ou prénom » contains…, on the inbox, the work lists and « Mes jeunes ») become index scans
instead of a scan of every young person joined to every dossier (BENCHMARKS.md)."""
from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossiers_youth_search_trgm ON dossiers_youth USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS dossiers_youth_search_trgm"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_audit_history")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
