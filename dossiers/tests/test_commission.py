"""Commission: agenda from complete files (override recorded), grid, decisions, email, minutes PDF."""
import datetime
import shutil
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from departures.services import accept_dossier
from departures.tests.factories import SchemeFactory
from dossiers.enums import Decision
from dossiers.tests.factories import dossier_in_state, validate_all_pieces
from dossiers.models import CommissionCriterion, CommissionReview, CommissionScore, CommissionSession
from dossiers.minutes import minutes_pdf
from dossiers.services import ServiceError, add_to_agenda, record_decision
from dossiers.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(users):
    # Held two days ago: its decisions are recorded on or after its date (docs/integrity.md).
    session = CommissionSession.objects.create(date=datetime.date.today() - datetime.timedelta(days=2),
                                               place="Salle du conseil")
    session.members.add(users["mobility"], users["assistant"])
    return session


@pytest.fixture
def later_session():
    return CommissionSession.objects.create(date=datetime.date(2027, 1, 14))


def building(users, structure, complete=True, **kwargs):
    dossier = dossier_in_state(
        State.FILE_BUILDING, users["admin"], structure=structure, referring_counsellor=users["counsellor"],
        scheme=SchemeFactory(name="OUAT"), **kwargs,
    )
    if complete:
        validate_all_pieces(dossier, users["assistant"])
    return dossier


def test_complete_file_goes_on_the_agenda(users, structure, session):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION and not review.incomplete_override


def test_incomplete_file_needs_a_recorded_override(users, structure, session):
    dossier = building(users, structure, complete=False)
    with pytest.raises(ServiceError, match="incomplet"):
        add_to_agenda(session, dossier, users["assistant"])
    dossier.refresh_from_db()
    assert dossier.state == State.FILE_BUILDING
    review = add_to_agenda(session, dossier, users["assistant"], "Pièces promises pour lundi")
    assert review.incomplete_override and review.override_reason == "Pièces promises pour lundi"
    assert "Pièces promises pour lundi" in dossier.events.last().comment


def test_only_files_in_montage_or_postponed_go_on_the_agenda(users, structure, session):
    diagnosed = dossier_in_state(State.DIAGNOSED, users["admin"], structure=structure)
    with pytest.raises(ServiceError, match="montage"):
        add_to_agenda(session, diagnosed, users["assistant"], "motif")


def test_accepted(users, structure, session, eager_celery, django_capture_on_commit_callbacks):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    with django_capture_on_commit_callbacks(execute=True):
        record_decision(review, Decision.ACCEPTED, users["mobility"], "Projet solide", accept=accept_dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [users["counsellor"].email]
    assert "Accepté" in message.body and "Projet solide" in message.body


def test_refused_requires_orientation_and_orients(users, structure, session, eager_celery,
                                                  django_capture_on_commit_callbacks):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    with pytest.raises(ServiceError, match="orientation"):
        record_decision(review, Decision.REFUSED, users["mobility"])
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION
    with django_capture_on_commit_callbacks(execute=True):
        record_decision(review, Decision.REFUSED, users["mobility"], "Projet pas mûr", "stage", "Stage en France")
    dossier.refresh_from_db()
    assert dossier.state == State.ORIENTED
    states = list(dossier.events.values_list("to_state", flat=True))
    assert states[-2:] == [State.REFUSED, State.ORIENTED]
    assert "Vers un stage" in mail.outbox[0].body and "jamais définitif" in mail.outbox[0].body


def test_postponed_to_a_later_session(users, structure, session, later_session):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    record_decision(review, Decision.POSTPONED, users["mobility"], "Attendre le test de langue", postponed_to=later_session)
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION
    assert CommissionReview.objects.filter(session=later_session, dossier=dossier, decision="").exists()
    assert State.POSTPONED in dossier.events.values_list("to_state", flat=True)


def test_postponed_without_session_waits(users, structure, session):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    record_decision(review, Decision.POSTPONED, users["mobility"])
    dossier.refresh_from_db()
    assert dossier.state == State.POSTPONED
    with pytest.raises(ServiceError, match="déjà enregistrée"):
        record_decision(review, Decision.ACCEPTED, users["mobility"], accept=accept_dossier)


# --- Screens ------------------------------------------------------------------------------------------


def test_commission_screen_agenda_and_places_panel(client_for, users, structure, session):
    complete = building(users, structure)
    incomplete = building(users, structure, complete=False)
    client = client_for("assistant")
    page = client.get(reverse("dossiers:commission_detail", args=[session.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert str(complete.youth) in content and str(incomplete.youth) in content
    assert page.context["year"] == 2026 and "schemes" in page.context
    # Incomplete without reason: refused, said why; with a reason: recorded.
    client.post(reverse("dossiers:agenda_add", args=[session.pk]), {"dossiers": [complete.pk, incomplete.pk]})
    assert set(session.reviews.values_list("dossier", flat=True)) == {complete.pk}
    client.post(reverse("dossiers:agenda_add", args=[session.pk]), {"dossiers": [incomplete.pk], "override_reason": "Urgence départ"})
    assert session.reviews.get(dossier=incomplete).override_reason == "Urgence départ"


def test_grid_and_decision_through_the_screen(client_for, users, structure, session, eager_celery,
                                               django_capture_on_commit_callbacks):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    criteria = list(CommissionCriterion.objects.filter(active=True))
    assert len(criteria) == 5  # seeded grid
    data = {"decision": "refuse", "comment": "Pas prêt"}
    for criterion in criteria:
        data[f"score_{criterion.pk}"] = "3"
        data[f"comment_{criterion.pk}"] = "correct"
    url = reverse("dossiers:review", args=[session.pk, review.pk])
    client = client_for("mobility")
    response = client.post(url, data)
    assert response.status_code == 200 and "Un refus demande une orientation" in response.content.decode()
    assert not CommissionScore.objects.exists()
    data["orientation"] = "formation"
    data[f"score_{criteria[0].pk}"] = "9"
    response = client.post(url, data)
    assert response.status_code == 200 and "inférieure ou égale à 5" in response.content.decode()
    assert not CommissionScore.objects.exists()
    data[f"score_{criteria[0].pk}"] = "4"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == Decision.REFUSED and review.total_score == 4 + 3 * 4
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role,status", [("manager", 302), ("counsellor", 403)])
def test_decision_refused_to_non_staff(client_for, users, structure, session, role, status):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    response = client_for(role).post(reverse("dossiers:review", args=[session.pk, review.pk]), {"decision": "accepte"})
    assert response.status_code == status
    review.refresh_from_db()
    assert review.decision == ""
    assert client_for(role).post(reverse("dossiers:agenda_add", args=[session.pk]), {"dossiers": [dossier.pk]}).status_code == 403


def test_remove_from_agenda(client_for, users, structure, session):
    dossier = building(users, structure)
    review = add_to_agenda(session, dossier, users["assistant"])
    client_for("assistant").post(reverse("dossiers:agenda_remove", args=[session.pk, review.pk]))
    dossier.refresh_from_db()
    assert dossier.state == State.FILE_BUILDING and not CommissionReview.objects.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_minutes_pdf_contains_the_decisions(client_for, users, structure, session, later_session, tmp_path):
    accepted = building(users, structure)
    refused = building(users, structure)
    postponed = building(users, structure)
    record_decision(add_to_agenda(session, accepted, users["assistant"]), Decision.ACCEPTED, users["mobility"], "Très motivé",
                    accept=accept_dossier)
    record_decision(add_to_agenda(session, refused, users["assistant"]), Decision.REFUSED, users["mobility"],
                    "Projet flou", "formation", "Remise à niveau")
    record_decision(add_to_agenda(session, postponed, users["assistant"]), Decision.POSTPONED, users["mobility"],
                    postponed_to=later_session)
    response = client_for("mobility").get(reverse("dossiers:minutes", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / "pv.pdf"
    path.write_bytes(response.content)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(raw.split())
    assert f"Procès-verbal de la commission du {session.date:%d/%m/%Y}" in text
    for dossier in (accepted, refused, postponed):
        assert dossier.youth.last_name.upper() in text
    for word in ("Accepté", "Refusé", "Ajourné", "Très motivé", "Vers une formation", "14/01/2027"):
        assert word in text
    assert "accepté : 1 ; refusé : 1 ; ajourné : 1" in text


def test_minutes_pdf_service_returns_pdf_bytes(session):
    assert minutes_pdf(session).startswith(b"%PDF-")
