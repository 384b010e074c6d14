"""Journey 2: before departure. Reception invites a waiting young person from the inbox and records
attendance; a mobility counsellor fills the diagnostic; the assistant uploads and validates a piece;
the commission accepts the file. Accessibility (axe-core) and no CSP violation on the way."""
import datetime

import pytest

from dossiers.tests.factories import DossierFactory, YouthFactory, validate_all_pieces
from dossiers.models import CommissionSession, Document
from dossiers.workflow import State
from ipm.uploads import MINIMAL_PDF
from referrals.models import Meeting

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_invitation_to_commission_decision(page, users, structure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    youth = YouthFactory(last_name="Diallo", first_name="Aïcha", email="aicha@exemple.fr")
    dossier = DossierFactory(youth=youth, structure=structure, referring_counsellor=users["counsellor"])
    # Today's meeting: « présent » is recorded on the meeting's day, not before (docs/integrity.md).
    meeting = Meeting.objects.create(
        date=datetime.date.today(), start_time=datetime.time(14), place="Salle 1",
        capacity=10, title="Info collective test",
    )

    # Reception: bulk invitation from the inbox.
    login(page, "accueil")
    page.goto("/dossiers/")
    assert_accessible(page)
    page.get_by_label(f"Sélectionner {youth}").check()
    page.get_by_label("Inviter les jeunes cochés à").select_option(str(meeting.pk))
    page.get_by_role("button", name="Inviter et envoyer les invitations").click()
    assert page.get_by_text("1 jeune invité").is_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.INVITED

    # Attendance on the meeting page.
    page.goto(f"/fiches/reunions/{meeting.pk}/")
    assert_accessible(page)
    page.get_by_label("Présent").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    dossier.refresh_from_db()
    assert dossier.state == State.INFO_DONE

    # Mobility counsellor: the diagnostic grid, reached from the dossier page.
    login(page, "mobilite")
    page.goto(f"/dossiers/{dossier.pk}/")
    page.get_by_role("link", name="Remplir le diagnostic →").click()
    assert_accessible(page)
    page.get_by_label("Allergies").fill("Pollen")
    page.get_by_label("Conclusion").select_option("pret")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    assert page.get_by_text("Diagnostic enregistré").is_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.DIAGNOSED

    # Assistant: start the file, upload a piece, validate it.
    login(page, "assistant")
    page.goto(f"/dossiers/{dossier.pk}/")
    action = page.locator("form", has=page.locator("summary", has_text="Commencer le montage du dossier"))
    action.locator("summary").click()
    action.get_by_role("button", name="Confirmer").click()
    dossier.refresh_from_db()
    assert dossier.state == State.FILE_BUILDING
    page.goto(f"/dossiers/{dossier.pk}/pieces/")
    assert_accessible(page)
    pdf = tmp_path / "attestation.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer").first.click()
    assert page.get_by_text("déposée : elle reste à vérifier").is_visible()
    page.get_by_role("button", name="Enregistrer").first.click()
    assert Document.objects.get(dossier=dossier).status == "valide"
    validate_all_pieces(dossier, users["assistant"])  # the other pieces, quicker than by hand

    # Commission: agenda, then the decision.
    session = CommissionSession.objects.create(date=datetime.date.today())  # decided on the session's day
    page.goto(f"/dossiers/commissions/{session.pk}/")
    assert_accessible(page)
    assert not page.locator(f"#cand-{dossier.pk}").is_checked()  # a bulk action is chosen, never defaulted
    page.locator(f"#cand-{dossier.pk}").check()
    page.get_by_role("button", name="Inscrire les dossiers cochés").click()
    page.get_by_role("link", name="Évaluer et décider").click()
    assert_accessible(page)
    page.get_by_label("Accepté").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Décision enregistrée").is_visible()
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    assert page.js_errors == []
