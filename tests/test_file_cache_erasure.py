"""The RGPD erasure leaves no one in a cached file: the minutes of the person's commissions are dropped
from the file cache at once, and the next download prints the anonymised name (privacy/rgpd.py,
dossiers/minutes.py); the report files are counted again."""
import datetime
import shutil
import subprocess

import pytest

from dossiers.minutes import minutes_pdf
from dossiers.models import CommissionReview, CommissionSession
from dossiers.tests.factories import YouthFactory, dossier_in_state
from dossiers.workflow import State
from ipm import filecache
from privacy import rgpd
from reporting import cache as report_cache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]


def text_of(pdf, tmp_path):
    path = tmp_path / "pv.pdf"
    path.write_bytes(pdf)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def test_erasure_drops_the_cached_minutes_naming_the_person(users, structure, tmp_path):
    youth = YouthFactory(last_name="Benali", first_name="Yasmine")
    dossier = dossier_in_state(State.CLOSED, users["admin"], youth=youth, structure=structure)
    session = CommissionSession.objects.create(date=datetime.date(2025, 4, 1))
    CommissionReview.objects.create(session=session, dossier=dossier, decision="accepte",
                                    comment="Yasmine a un projet solide")
    assert "BENALI" in text_of(minutes_pdf(session), tmp_path)
    assert filecache.stored("minutes", session.pk) is not None
    generation = filecache.generation(report_cache.GENERATION)

    rgpd.anonymise_youth(youth)

    assert filecache.stored("minutes", session.pk) is None
    assert filecache.generation(report_cache.GENERATION) != generation
    renders = filecache.renders["minutes"]
    text = text_of(minutes_pdf(session), tmp_path)
    assert filecache.renders["minutes"] == renders + 1
    assert "BENALI" not in text and "Yasmine" not in text and rgpd.ANONYMOUS_NAME.upper() in text.upper()
