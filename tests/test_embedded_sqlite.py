"""The embedded default (no DATABASE_URL: a SQLite file) is set up for a web process and a worker at once:
WAL journal, a 20-second busy timeout, write transactions that take the lock when they begin.

Checked in a fresh process started with the environment of a newcomer's first run (no DATABASE_URL, no
broker), on a throw-away var/ directory: the real settings module, the real SQLite connection."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent("""
    import json
    import os
    import django
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE probe (x integer)")
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO probe VALUES (1)")

    def pragma(name):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    print(json.dumps({
        "vendor": connection.vendor,
        "name": str(connection.settings_dict["NAME"]),
        "journal_mode": pragma("journal_mode"),
        "synchronous": pragma("synchronous"),
        "busy_timeout": pragma("busy_timeout"),
        "wal_file": os.path.exists(f"{connection.settings_dict['NAME']}-wal"),
        "begin": [q["sql"] for q in queries.captured_queries if q["sql"].startswith("BEGIN")],
    }))
""")


def test_the_embedded_sqlite_database_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG"}}
    env.update({"IPM_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["vendor"] == "sqlite" and found["name"] == str(tmp_path / "ipm.sqlite3")
    assert found["journal_mode"] == "wal"
    assert found["wal_file"]  # the write went to the write-ahead log
    assert found["synchronous"] == 1  # NORMAL: safe with WAL, without a disk flush at every commit
    assert found["busy_timeout"] == 20_000  # milliseconds: a writer waits for the lock instead of failing
    assert found["begin"] == ["BEGIN IMMEDIATE"]
