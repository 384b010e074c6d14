"""Double submissions that race: the same first save or upload sent twice at the same moment (a double
click on a slow server, two tabs) gives one result — never a unique-constraint error page. Two real
requests in two threads, on PostgreSQL (``make test``)."""
import re
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from conftest import log_in
from departures.tests.factories import SchemeFactory
from dossiers import services
from dossiers.models import Diagnostic, Document, DossierEvent, SensitiveDiagnostic
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from ipm.models import FormSubmission
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests
from reporting.enums import ImportStatus
from reporting.models import ImportJob
from space.tests.factories import signed_in_client, youth_with_dossier

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final"
ONCE = "déjà été envoyé (double clic ou page renvoyée)"


@pytest.fixture(autouse=True)
def postgresql_and_media(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are tested on PostgreSQL (make test)")
    settings.MEDIA_ROOT = tmp_path / "media"


def at_once(*sends):
    """Run each ``send`` (one request, returning its response) in its own thread, all started together;
    returns the status codes and the errors (an exception in a view reaches the test client)."""
    start = threading.Barrier(len(sends))
    statuses, errors = [], []

    def run(send):
        try:
            start.wait()
            statuses.append(send().status_code)
        except Exception as exc:  # noqa: BLE001 — shown by the assertion of the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(send,)) for send in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses), errors


def slowed(monkeypatch, model, seconds=0.5):
    """Each ``model.save`` waits a moment first: the other request has read « nothing saved yet » before
    the first one commits (the window of a double click on a busy server, made sure)."""
    original = model.save

    def save(self, *args, **kwargs):
        time.sleep(seconds)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)


def token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


# --- Legacy import upload -------------------------------------------------------------------------

def legacy_csv():
    return (HEADER + "\nR1,Dupont,Élodie,15/03/2000,F,Mission Locale Test,10/01/2019,oriente\n").encode()


def test_the_import_form_sent_twice_records_one_job(users):
    client = log_in(Client(), users["manager"])
    url = reverse("reporting:import")
    sent = token(client.get(url))
    first = client.post(url, {"file": SimpleUploadedFile("h.csv", legacy_csv()), "submission_token": sent})
    job = ImportJob.objects.get()
    assert first["Location"] == job.get_absolute_url() and job.status == ImportStatus.CHECKED
    second = client.post(url, {"file": SimpleUploadedFile("h.csv", legacy_csv()), "submission_token": sent},
                         follow=True)
    assert ONCE in second.content.decode() and second.redirect_chain[-1][0] == job.get_absolute_url()
    assert ImportJob.objects.count() == 1
    # A new display of the form is a new token: the same file can be sent again on purpose.
    again = client.post(url, {"file": SimpleUploadedFile("h.csv", legacy_csv()), "submission_token": token(client.get(url))})
    assert again.status_code == 302 and ImportJob.objects.count() == 2


def test_the_import_form_sent_twice_at_the_same_moment_records_one_job(users):
    clients = [log_in(Client(), users["manager"]) for _ in range(2)]
    url = reverse("reporting:import")
    sent = token(clients[0].get(url))
    statuses, errors = at_once(*[
        lambda c=c: c.post(url, {"file": SimpleUploadedFile("h.csv", legacy_csv()), "submission_token": sent})
        for c in clients])
    assert errors == [] and statuses == [302, 302]
    assert ImportJob.objects.count() == 1 and FormSubmission.objects.count() == 1
    assert ImportJob.objects.get().status == ImportStatus.CHECKED


# --- First diagnostic -----------------------------------------------------------------------------

def test_a_first_diagnostic_saved_twice_at_the_same_moment_gives_one_diagnostic(users, structure, monkeypatch):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    url = reverse("dossiers:diagnostic", args=[dossier.pk])
    clients = [log_in(Client(), users["mobility"]) for _ in range(2)]
    data = {"conducted_on": "2026-11-20", "motivation": "Partir un an", "outcome": "pret",
            "sensible-criminal_record": "inconnu", "sensible-allergies": "Arachide"}
    slowed(monkeypatch, Diagnostic)
    # Without the page's version (a script, an old page): both go through, the second one updates.
    statuses, errors = at_once(*[lambda c=c: c.post(url, data) for c in clients])
    assert errors == [] and statuses == [302, 302]
    diagnostic = Diagnostic.objects.get(dossier=dossier)
    assert diagnostic.motivation == "Partir un an" and diagnostic.created_at is not None
    assert SensitiveDiagnostic.objects.get(diagnostic=diagnostic).allergies == "Arachide"
    assert DossierEvent.objects.filter(dossier=dossier, to_state=State.DIAGNOSED).count() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.DIAGNOSED


def test_a_first_diagnostic_page_sent_twice_at_once_saves_once_and_refuses_the_other(users, structure, monkeypatch):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    url = reverse("dossiers:diagnostic", args=[dossier.pk])
    clients = [log_in(Client(), users["mobility"]) for _ in range(2)]
    version = str(dossier.version)
    data = {"conducted_on": "2026-11-20", "motivation": "Partir un an", "sensible-criminal_record": "inconnu",
            "dossier_version": version}
    slowed(monkeypatch, Diagnostic)
    statuses, errors = at_once(*[lambda c=c: c.post(url, data) for c in clients])
    assert errors == [] and statuses == [200, 302]  # the second one is told the dossier changed
    assert Diagnostic.objects.filter(dossier=dossier).count() == 1


def test_a_first_diagnostic_saved_twice_by_the_service_updates_the_first(users, structure):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    # Both requests read « no diagnostic yet » before either saved.
    first, second = (Diagnostic(motivation="Un"), Diagnostic(motivation="Deux"))
    assert services.save_diagnostic(dossier, first, SensitiveDiagnostic(), users["mobility"]) is None
    services.save_diagnostic(dossier, second, SensitiveDiagnostic(allergies="Pollen"), users["mobility"])
    saved = Diagnostic.objects.get(dossier=dossier)
    assert saved.pk == first.pk and saved.motivation == "Deux"
    assert SensitiveDiagnostic.objects.get().allergies == "Pollen"


# --- First piece of the application file ------------------------------------------------------------

def test_a_first_piece_uploaded_twice_at_the_same_moment_by_staff_is_one_piece(users, structure, monkeypatch):
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure,
                               scheme=SchemeFactory(name="OUAT"))
    piece = services.checklist_types(dossier.scheme).filter(required=True).first()
    url = reverse("dossiers:document_upload", args=[dossier.pk, piece.pk])
    clients = [log_in(Client(), users["assistant"]) for _ in range(2)]
    slowed(monkeypatch, Document)
    statuses, errors = at_once(*[
        lambda c=c: c.post(url, {f"piece{piece.pk}-file": uploaded_file_for_tests("cv.pdf", MINIMAL_PDF)})
        for c in clients])
    assert errors == [] and statuses == [302, 302]
    document = Document.objects.get(dossier=dossier, document_type=piece)
    assert document.file.storage.exists(document.file.name)


def test_a_first_piece_sent_twice_at_the_same_moment_from_the_space_is_one_piece(users, monkeypatch):
    youth, dossier = youth_with_dossier(State.FILE_BUILDING, users["admin"])
    piece = services.checklist_types(dossier.scheme).filter(required=True).first()
    url = reverse("space:piece_upload", args=[dossier.pk, piece.pk])
    clients = [signed_in_client(Client(), youth) for _ in range(2)]
    slowed(monkeypatch, Document)
    statuses, errors = at_once(*[
        lambda c=c: c.post(url, {f"piece{piece.pk}-file": uploaded_file_for_tests("piece.pdf", MINIMAL_PDF)})
        for c in clients])
    assert errors == [] and statuses == [302, 302]
    assert Document.objects.filter(dossier=dossier, document_type=piece).count() == 1


# --- Two-factor setup -----------------------------------------------------------------------------

def test_the_two_factor_setup_opened_twice_at_the_same_moment_makes_one_device(users, monkeypatch):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = users["manager"]
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(user)  # password given, no device yet: the setup page
        clients.append(client)
    slowed(monkeypatch, TOTPDevice)
    url = reverse("otp_setup")
    statuses, errors = at_once(*[lambda c=c: c.get(url) for c in clients])
    assert errors == [] and statuses == [200, 200]
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1
    assert clients[0].get(url).status_code == 200  # and the page opens again


def test_one_backup_code_given_twice_at_the_same_moment_lets_one_in(users):
    from django_otp.plugins.otp_static.models import StaticToken

    from conftest import totp_device
    from ipm import backup_codes

    user = users["manager"]
    totp_device(user)
    code = backup_codes.generate(user)[0]
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(user)  # password given, second factor not yet
        clients.append(client)
    url = reverse("otp_verify")
    statuses, errors = at_once(*[lambda c=c: c.post(url, {"token": code, "next": "/dossiers/"}) for c in clients])
    assert errors == [] and statuses == [200, 302]  # one in, the other told the code is not valid
    assert StaticToken.objects.filter(device__user=user).count() == backup_codes.COUNT - 1


# --- The young person's account, created on first use -------------------------------------------------

def test_the_sign_in_link_sent_twice_at_the_same_moment_makes_one_account(users, monkeypatch):
    from space.models import YouthAccount

    youth, dossier = youth_with_dossier(State.RECEIVED, users["admin"])
    url = reverse("space:send_link", args=[dossier.pk])
    clients = [log_in(Client(), users["reception"]) for _ in range(2)]
    slowed(monkeypatch, YouthAccount)
    statuses, errors = at_once(*[lambda c=c: c.post(url) for c in clients])
    assert errors == [] and statuses == [302, 302]
    assert YouthAccount.objects.filter(youth=youth).count() == 1
