"""Backup and restore, for real, as docs/rgpd.md describes it: pg_dump the database (custom format),
pg_restore it into a new database, copy the uploads (MEDIA_ROOT); the restored platform gives the same
reports and finds every uploaded file. Runs against the PostgreSQL server of the test command."""
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from dossiers.tests.factories import dossier_in_state
from dossiers.models import Document, DocumentType
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF

from .test_rgpd import report_snapshot, rich_youth

pytestmark = pytest.mark.django_db(transaction=True)


def pg_tool(name):
    """The newest ``name`` (pg_dump, pg_restore): Debian's versioned directories first, then PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if candidates:
        return str(candidates[-1])
    return shutil.which(name)


def major(version_text):
    match = re.search(r"(\d+)", version_text)
    return int(match.group(1)) if match else 0


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("la sauvegarde se teste sur PostgreSQL (lancer « make test ») ; base actuelle : "
                    f"{connection.vendor}")
    dump, restore = pg_tool("pg_dump"), pg_tool("pg_restore")
    if not dump or not restore:
        pytest.skip("pg_dump / pg_restore introuvables (paquet postgresql-client)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = major(cursor.fetchone()[0])
    client = major(subprocess.run([dump, "--version"], capture_output=True, text=True).stdout)
    if client < server:
        pytest.skip(f"pg_dump {client} est plus ancien que le serveur PostgreSQL {server}")
    return dump, restore


def pg_env(settings_dict):
    env = dict(os.environ)
    env.update({
        "PGHOST": settings_dict.get("HOST") or "127.0.0.1",
        "PGPORT": str(settings_dict.get("PORT") or 5432),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
    })
    return env


def test_dump_restore_gives_identical_reports_and_files(postgres, settings, tmp_path, users, structure):
    pg_dump, pg_restore = postgres
    settings.MEDIA_ROOT = tmp_path / "media"
    # Data: a few years of activity, one rich young person, and an uploaded piece.
    call_command("generate_data", youths=80, years=5, seed=3, force=True, stdout=io.StringIO())
    rich_youth(users, structure)
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    kind = DocumentType.objects.create(name="CV (sauvegarde)")
    Document.objects.create(dossier=dossier, document_type=kind, file=ContentFile(MINIMAL_PDF, name="cv.pdf"),
                            original_name="cv.pdf", size=len(MINIMAL_PDF))
    before = report_snapshot()
    documents_before = sorted(Document.objects.values_list("pk", "file"))
    assert len(documents_before) == 2

    # 1. Backup: the database (pg_dump, custom format) and the uploads (a copy of MEDIA_ROOT).
    source = dict(connection.settings_dict)
    env = pg_env(source)
    dump_file = tmp_path / "ipm.dump"
    subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump_file),
                    source["NAME"]], env=env, check=True, capture_output=True)
    assert dump_file.stat().st_size > 10_000
    backup_media = tmp_path / "sauvegarde-media"
    shutil.copytree(settings.MEDIA_ROOT, backup_media)

    # 2. Restore into a NEW database, and the uploads into a new directory.
    restored = f"{source['NAME']}_restored"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        result = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", restored,
                                 str(dump_file)], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        restored_media = tmp_path / "media-restauree"
        shutil.copytree(backup_media, restored_media)

        # 3. The platform on the restored database: the same reports, every file found.
        connection.close()
        connection.settings_dict["NAME"] = restored
        try:
            settings.MEDIA_ROOT = restored_media
            assert connection.cursor() and connection.settings_dict["NAME"] == restored
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone()[0] == restored
            after = report_snapshot()
            documents_after = sorted(Document.objects.values_list("pk", "file"))
            for document in Document.objects.all():
                with document.file.open("rb") as handle:
                    assert handle.read() == MINIMAL_PDF
        finally:
            connection.close()
            connection.settings_dict["NAME"] = source["NAME"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
    assert after == before
    assert documents_after == documents_before
