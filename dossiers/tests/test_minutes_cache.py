"""The commission's minutes PDF is kept in the file cache while nothing it prints changes (dossiers/minutes.py):
an unchanged session is served without a render; any printed datum changed — even by a bulk update()
that sends no signal — gives a new file at the next download."""
import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse

from departures.models import Scheme
from departures.tests.factories import SchemeFactory
from dossiers.enums import Decision
from dossiers.models import CommissionReview, CommissionSession, Youth
from dossiers.services import add_to_agenda, record_decision
from dossiers.tests.factories import dossier_in_state, validate_all_pieces
from dossiers.workflow import State
from ipm import filecache
from referrals.models import Structure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]


@pytest.fixture
def session(users, structure):
    session = CommissionSession.objects.create(date=datetime.date.today() - datetime.timedelta(days=2),
                                               place="Salle du conseil")
    session.members.add(users["mobility"])
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"], scheme=SchemeFactory(name="OUAT"),
                               youth__last_name="Benali", youth__first_name="Yasmine")
    validate_all_pieces(dossier, users["assistant"])
    record_decision(add_to_agenda(session, dossier, users["assistant"]), Decision.REFUSED, users["mobility"],
                    "Projet flou", "formation", "Remise à niveau")
    return session


def text_of(pdf, tmp_path):
    path = tmp_path / "pv.pdf"
    path.write_bytes(pdf)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def download(client_for, session):
    response = client_for("mobility").get(reverse("dossiers:minutes", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_unchanged_minutes_are_served_from_the_cache_without_a_render(client_for, session):
    renders, hits = filecache.renders["minutes"], filecache.hits["minutes"]
    first = download(client_for, session)
    second = download(client_for, session)
    assert filecache.renders["minutes"] == renders + 1 and filecache.hits["minutes"] == hits + 1
    assert second == first


def _review(session):
    return CommissionReview.objects.filter(session=session)


# Each change goes through a queryset's update(): no signal, no updated_at — the fingerprint is what the
# document prints, so it changes all the same.
CHANGES = {
    "decision's motivation": (lambda s: _review(s).update(comment="Motivation revue en séance"),
                              "Motivation revue en séance"),
    "young person's name": (lambda s: Youth.objects.filter(dossiers__commission_reviews__session=s)
                            .update(last_name="Zerbib"), "ZERBIB"),
    "decision": (lambda s: _review(s).update(decision=Decision.POSTPONED, orientation=""), "Ajourné"),
    "structure's name": (lambda s: Structure.objects.filter(dossiers__commission_reviews__session=s)
                         .update(name="Mission Locale du Forez"), "Mission Locale du Forez"),
    "scheme's name": (lambda s: Scheme.objects.filter(dossiers__commission_reviews__session=s)
                      .update(name="Volontariat européen"), "Volontariat européen"),
    "session's place": (lambda s: CommissionSession.objects.filter(pk=s.pk).update(place="Salle Jean Moulin"),
                        "Salle Jean Moulin"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_of_any_printed_datum_gives_a_new_file(client_for, session, tmp_path, change):
    edit, expected = CHANGES[change]
    before = download(client_for, session)
    assert expected not in text_of(before, tmp_path)
    renders = filecache.renders["minutes"]
    edit(session)
    session.refresh_from_db()
    after = download(client_for, session)
    assert filecache.renders["minutes"] == renders + 1
    assert expected in text_of(after, tmp_path)


def test_a_member_added_gives_a_new_file(client_for, users, session, tmp_path):
    users["assistant"].first_name, users["assistant"].last_name = "Amandine", "Fayolle"
    users["assistant"].save()
    download(client_for, session)
    session.members.add(users["assistant"])
    assert "Amandine Fayolle" in text_of(download(client_for, session), tmp_path)


def test_minutes_expire_from_the_cache(client_for, session, settings):
    settings.IPM_MINUTES_CACHE_SECONDS = 1
    download(client_for, session)
    assert filecache.stored("minutes", session.pk) is not None
    import time

    time.sleep(1.5)
    assert filecache.stored("minutes", session.pk) is None


def test_files_above_the_size_limit_are_not_kept(client_for, session, settings):
    settings.IPM_FILE_CACHE_MAX_BYTES = 1000
    renders = filecache.renders["minutes"]
    download(client_for, session)
    download(client_for, session)
    assert filecache.renders["minutes"] == renders + 2 and filecache.stored("minutes", session.pk) is None


def test_an_unreachable_cache_still_gives_the_minutes(client_for, session, settings):
    settings.CACHES = {**settings.CACHES, "files": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    assert download(client_for, session).startswith(b"%PDF-")
