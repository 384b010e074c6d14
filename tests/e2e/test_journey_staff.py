"""Journey 2, the whole wheel in one go, by platform staff (a mobility counsellor, who may do every step):
the fiche found in the inbox, the information meeting (invitation, attendance), the diagnostic, the mobility
project, the file's pieces uploaded and validated, the commission (agenda, acceptance), the contract PDF
downloaded and read back, departure, return and review, and a follow-up call. Only real screens (links,
buttons, forms); axe-core on every page on the way; no JavaScript error nor CSP violation."""
import datetime
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from departures.tests.factories import HostOrganisationFactory, SchemeFactory
from departures.models import Contract, Stay
from dossiers.models import CommissionSession, DossierEvent, Document, DocumentType
from dossiers.workflow import State
from followup import calls as followup_calls
from followup.models import FollowUpCall
from ipm.uploads import MINIMAL_PDF
from referrals.tests.factories import ReferralFactory
from referrals.models import Meeting
from referrals.services import submit_referral

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def panel(page, title):
    """A section of the dossier page, found by its heading."""
    return page.locator("section", has=page.get_by_role("heading", name=title, exact=True))


def reload_dossier(dossier):
    dossier.refresh_from_db()
    return dossier.state


def test_platform_staff_take_a_fiche_all_the_way_to_follow_up(page, users, structure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    # What exists before the journey: the fiche sent by the mission locale (journey 1 does it on screen),
    # an information meeting, a scheme, a host organisation and a commission date.
    referral = ReferralFactory(counsellor=users["counsellor"], last_name="Benali", first_name="Yasmine",
                               email="yasmine@exemple.fr")
    dossier, _ = submit_referral(referral, users["counsellor"])
    # The meeting and the commission are today: « présent » and the decision are recorded on their day or
    # after it (docs/integrity.md).
    meeting = Meeting.objects.create(date=today, start_time=datetime.time(9, 30),
                                     place="Plateforme, salle Loire", capacity=12, title="Information collective")
    scheme = SchemeFactory(name="Jeunes en Europe")
    host = HostOrganisationFactory(name="Hostal del Sol", country="ES", town="Valencia")
    session = CommissionSession.objects.create(date=today)
    pdf = tmp_path / "piece.pdf"
    pdf.write_bytes(MINIMAL_PDF)

    login(page, "mobilite")

    # 1. The inbox: the new fiche, found by its name, invited to the information meeting.
    page.goto("/dossiers/")
    page.get_by_role("link", name=re.compile("Nouvelles fiches à traiter")).click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="BENALI Yasmine")
    assert row.get_by_text("Fiche reçue").is_visible()
    row.get_by_label("Sélectionner BENALI Yasmine").check()
    page.get_by_label("Inviter les jeunes cochés à").select_option(str(meeting.pk))
    page.get_by_role("button", name="Inviter et envoyer les invitations").click()
    assert page.get_by_text("1 jeune invité").is_visible()
    assert reload_dossier(dossier) == State.INVITED

    # 2. The meeting: attendance.
    page.get_by_role("link", name="Réunions").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=f"{meeting.date:%d/%m/%Y} à 09:30").click()
    assert_accessible(page)
    page.get_by_label("Présent").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    assert reload_dossier(dossier) == State.INFO_DONE

    # 3. The dossier page: the diagnostic, then the mobility project (the scheme decides the checklist).
    page.goto(f"/dossiers/{dossier.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Remplir le diagnostic →").click()
    assert_accessible(page)
    page.get_by_label("Conclusion").select_option("pret")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    assert page.get_by_text("Diagnostic enregistré").is_visible()
    assert reload_dossier(dossier) == State.DIAGNOSED

    page.goto(f"/dossiers/{dossier.pk}/")
    panel(page, "Projet de mobilité").get_by_role("link", name="Définir le projet").click()
    assert_accessible(page)
    page.get_by_label("Dispositif").select_option(label="Jeunes en Europe")
    page.get_by_label("Pays de destination").select_option("ES")
    page.get_by_label("Ville").fill("Valencia")
    page.get_by_role("button", name="Enregistrer le projet").click()
    dossier.refresh_from_db()
    assert dossier.scheme == scheme

    # 4. The application file: start it, upload every piece of the checklist, validate them.
    page.goto(f"/dossiers/{dossier.pk}/")
    action = page.locator("form", has=page.locator("summary", has_text="Commencer le montage du dossier"))
    action.locator("summary").click()
    action.get_by_role("button", name="Confirmer").click()
    assert reload_dossier(dossier) == State.FILE_BUILDING
    panel(page, "Pièces du dossier").get_by_role("link", name="Déposer, vérifier").click()
    assert_accessible(page)
    required = list(DocumentType.objects.filter(scheme__isnull=True, required=True, active=True).values_list("name", flat=True))
    assert len(required) >= 5  # the default checklist (data migration) is there
    for name in required:
        piece = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(name))))
        piece.locator("input[type=file]").set_input_files(str(pdf))
        piece.get_by_role("button", name="Déposer").click()
        assert page.get_by_text(f"Pièce « {name} » déposée").is_visible()
    assert_accessible(page)
    for name in required:
        piece = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(name))))
        piece.get_by_label("Décision").select_option("valide")
        piece.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state()
    assert page.get_by_text("Dossier complet").is_visible()
    assert Document.objects.filter(dossier=dossier, status="valide").count() == len(required)

    # 5. The commission: the dossier on the agenda, then accepted.
    page.get_by_role("link", name="Commissions").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=f"{session.date:%d/%m/%Y}", exact=True).click()
    assert_accessible(page)
    assert not page.get_by_label("BENALI Yasmine").is_checked()  # nothing is pre-selected: staff choose
    page.get_by_label("BENALI Yasmine").check()
    page.get_by_role("button", name="Inscrire les dossiers cochés").click()
    assert reload_dossier(dossier) == State.IN_COMMISSION
    page.get_by_role("link", name="Évaluer et décider").click()
    assert_accessible(page)
    page.get_by_label("Accepté").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Décision enregistrée").is_visible()
    assert reload_dossier(dossier) == State.ACCEPTED
    # The journey compresses months: the acceptance was five months ago, so that the signature and the
    # departure can be dated after it (dates follow the wheel).
    DossierEvent.objects.filter(dossier=dossier, to_state=State.ACCEPTED).update(
        created_at=timezone.now() - datetime.timedelta(days=150))
    signed_on = today - datetime.timedelta(days=130)

    # 6. The stay and the contract: the PDF downloads and says who, what, where.
    page.goto(f"/dossiers/{dossier.pk}/")
    departure = panel(page, "Départ et séjour")
    departure.get_by_role("link", name="Renseigner le séjour").click()
    assert_accessible(page)
    page.get_by_label("Structure d'accueil", exact=True).select_option(str(host.pk))
    page.get_by_label("Départ prévu").fill((today - datetime.timedelta(days=120)).isoformat())
    page.get_by_label("Retour prévu").fill((today - datetime.timedelta(days=40)).isoformat())
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    assert Stay.objects.filter(dossier=dossier, host=host).exists()
    panel(page, "Départ et séjour").get_by_role("button", name="Générer le contrat").click()
    assert page.get_by_text("Contrat généré (version 1)").is_visible()
    with page.expect_download() as download_info:
        panel(page, "Départ et séjour").get_by_role("link", name="Contrat v1 (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "contrat-Benali-v1.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Contrat d'engagement" in text or "Contrat d’engagement" in text
    assert "Yasmine BENALI" in text and "Jeunes en Europe" in text and "Hostal del Sol" in text
    assert f"dossier n° {dossier.pk}" in text

    # 7. Signature, departure (four months ago), return (forty days ago) and the return review.
    panel(page, "Départ et séjour").get_by_role("link", name="Enregistrer la signature").click()
    assert_accessible(page)
    page.get_by_label("Date de signature").fill(signed_on.isoformat())
    page.get_by_role("button", name="Enregistrer la signature").click()
    assert reload_dossier(dossier) == State.CONTRACT_SIGNED
    page.get_by_role("link", name="Enregistrer le départ").click()
    assert_accessible(page)
    page.get_by_label("Date de départ").fill((today - datetime.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Enregistrer le départ").click()
    assert reload_dossier(dossier) == State.ABROAD
    page.get_by_role("link", name="Enregistrer le retour").click()
    assert_accessible(page)
    page.get_by_label("Date de retour").fill((today - datetime.timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Enregistrer le retour").click()
    assert reload_dossier(dossier) == State.RETURNED
    page.get_by_role("link", name="Faire le bilan de retour").click()
    assert_accessible(page)
    page.get_by_label("Bilan du séjour").fill("Saison complète en réception, projet de BTS tourisme.")
    page.get_by_label("Europass du jeune").select_option("complet")
    page.get_by_role("button", name="Enregistrer le bilan").click()
    assert reload_dossier(dossier) == State.FOLLOW_UP
    stay = Stay.objects.get(dossier=dossier)
    assert (stay.departure_date, stay.return_date) == (today - datetime.timedelta(days=120), today - datetime.timedelta(days=40))

    # 8. The follow-up: the morning task creates the month-1 call (due ten days ago); it is recorded.
    assert followup_calls.create_due_calls() == 1
    page.get_by_role("link", name="Suivi à six mois").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Tous les appels à faire").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="BENALI Yasmine")
    row.get_by_role("link", name=re.compile("Enregistrer")).click()
    assert_accessible(page)
    page.get_by_label("Oui, jeune joint").check()
    page.get_by_label("Situation du jeune").select_option("formation_qualifiante")
    page.get_by_label("Employeur ou organisme de formation").fill("Lycée hôtelier de Saint-Étienne")
    page.get_by_role("button", name="Enregistrer").click()
    call = FollowUpCall.objects.get(dossier=dossier, month=1)
    assert call.done_at is not None and call.reached and call.situation == "formation_qualifiante"
    assert call.employer == "Lycée hôtelier de Saint-Étienne"
    page.goto(f"/dossiers/{dossier.pk}/")
    followup = panel(page, "Suivi à six mois")
    assert followup.get_by_text("Lycée hôtelier de Saint-Étienne").is_visible()
    assert_accessible(page)
    assert Contract.objects.filter(dossier=dossier, version=1, signed_on=signed_on).exists()
    assert not page.js_errors, page.js_errors
