"""The contrat d'engagement: a PDF with the young person, the scheme and the commitments; versions kept;
the signature moves the dossier to "contrat signé"."""
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from departures import services
from departures.models import Contract
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db


def pdf_text(data):
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def read(fieldfile):
    with fieldfile.open("rb") as handle:
        return handle.read()


@pytest.fixture
def accepted(make_dossier, planned_stay, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = make_dossier(State.ACCEPTED)
    dossier.youth.first_name, dossier.youth.last_name = "Inès", "Benhamou"
    dossier.youth.save()
    planned_stay(dossier)
    return dossier


def test_contract_pdf_contains_youth_scheme_destination_and_commitments(accepted, users):
    services.set_copayment(accepted, 250)
    contract = services.generate_contract(accepted, users["mobility"])
    text = " ".join(pdf_text(read(contract.pdf)).split())
    assert "Inès BENHAMOU" in text
    assert "OUAT" in text
    assert "Harbour Hotel" in text and "Dublin" in text
    assert "ponctuel" in text
    assert "Europass" in text
    assert "rapport d'activité" in text
    assert "six mois" in text
    assert "250,00 €" in text or "250.00 €" in text
    # The clause of the scheme's contract variant (company placement)
    assert "stage en entreprise" in text


def test_waived_copayment_is_stated_in_the_contract(accepted, users):
    services.waive_copayment(accepted, users["assistant"], "Aucune ressource")
    text = " ".join(pdf_text(read(services.generate_contract(accepted, users["mobility"]).pdf)).split())
    assert "dispensé de participation" in text


def test_regenerating_keeps_earlier_versions(accepted, users):
    first = services.generate_contract(accepted, users["mobility"])
    second = services.generate_contract(accepted, users["mobility"])
    assert [c.version for c in Contract.objects.filter(dossier=accepted).order_by("version")] == [1, 2]
    assert first.pdf.name != second.pdf.name
    assert read(first.pdf).startswith(b"%PDF")


def test_contract_needs_an_accepted_dossier(make_dossier, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = make_dossier(State.IN_COMMISSION)
    with pytest.raises(services.DepartureError):
        services.generate_contract(dossier, users["mobility"])


def test_signing_needs_a_contract_then_moves_the_dossier(accepted, users):
    with pytest.raises(services.DepartureError, match="Générez d'abord"):
        services.sign_contract(accepted, users["mobility"], timezone.localdate())
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    services.generate_contract(accepted, users["mobility"])
    scan = uploaded_file_for_tests("contrat signé.pdf", MINIMAL_PDF)
    contract = services.sign_contract(accepted, users["mobility"], timezone.localdate(), scan)
    accepted.refresh_from_db()
    assert accepted.state == State.CONTRACT_SIGNED
    assert contract.signed_on == timezone.localdate() and contract.signature_recorded_by == users["mobility"]
    assert read(contract.signed_scan) == MINIMAL_PDF
    assert accepted.events.last().to_state == State.CONTRACT_SIGNED


def test_contract_pages_generate_download_and_sign(accepted, client_for, users):
    client = client_for("assistant")
    response = client.post(f"/departs/dossier/{accepted.pk}/contrat/generer/")
    assert response.status_code == 302
    response = client.get(f"/departs/dossier/{accepted.pk}/contrat/v1.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # A web page disguised as a PDF is refused as the signed copy, and nothing moves.
    fake = uploaded_file_for_tests("scan.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(f"/departs/dossier/{accepted.pk}/contrat/signer/",
                           {"signed_on": timezone.localdate().isoformat(), "scan": fake})
    assert response.status_code == 200
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    response = client.post(f"/departs/dossier/{accepted.pk}/contrat/signer/",
                           {"signed_on": timezone.localdate().strftime("%d/%m/%Y")})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.state == State.CONTRACT_SIGNED


def test_counsellor_of_the_structure_downloads_the_contract_other_structure_gets_404(accepted, client_for, users):
    services.generate_contract(accepted, users["mobility"])
    assert client_for("counsellor").get(f"/departs/dossier/{accepted.pk}/contrat/v1.pdf").status_code == 200
    assert client_for("other_counsellor").get(f"/departs/dossier/{accepted.pk}/contrat/v1.pdf").status_code == 404
    # Counsellors cannot generate or sign
    assert client_for("counsellor").post(f"/departs/dossier/{accepted.pk}/contrat/generer/").status_code == 403


def test_a_regenerated_version_after_signature_is_signed_without_moving_the_dossier(accepted, users):
    services.generate_contract(accepted, users["mobility"])
    services.sign_contract(accepted, users["mobility"], timezone.localdate())
    with pytest.raises(services.DepartureError, match="déjà signée"):
        services.sign_contract(accepted, users["mobility"], timezone.localdate())
    services.generate_contract(accepted, users["mobility"])  # amended dates, say
    events = accepted.events.count()
    amended = services.sign_contract(accepted, users["mobility"], timezone.localdate())
    accepted.refresh_from_db()
    assert amended.version == 2 and amended.is_signed
    assert accepted.state == State.CONTRACT_SIGNED and accepted.events.count() == events
    assert Contract.objects.get(dossier=accepted, version=1).is_signed
