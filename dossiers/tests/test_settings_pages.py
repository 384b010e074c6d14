"""Managers keep the pieces asked (checklist) and the commission's evaluation grid from the application:
create, edit, duplicates refused next to the field, deactivation, deletion only of what nothing uses and
after a confirmation page; staff read the checklist only; everyone else is refused."""
import datetime
import html
import re

import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.tests.factories import CommissionCriterionFactory, DocumentTypeFactory, dossier_in_state, validate_all_pieces
from dossiers.models import CommissionCriterion, CommissionScore, CommissionSession, DocumentType
from dossiers.services import add_to_agenda, checklist_types, completeness, save_scores
from dossiers.workflow import State
from ipm.models import FormSubmission

pytestmark = pytest.mark.django_db

ADMIN_SENTENCE = "se modifie dans l'administration"


def text(response):
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def flash(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', response.content.decode())
    assert match, "the creation form carries a one-time token"
    return match.group(1)


def piece_data(**overrides):
    data = {"scheme": "", "name": "Attestation d'hébergement", "description": "De moins de trois mois",
            "required": "on", "order": "15", "active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def criterion_data(**overrides):
    data = {"name": "Ouverture interculturelle", "description": "Curiosité pour d'autres cultures", "max_score": "10",
            "order": "60", "active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_error(response, name):
    """The error text crispy renders under the field ``name`` (id ``id_<name>_error``), and checks that
    the input points to it (aria-describedby) and is marked invalid."""
    page = response.content.decode()
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in tag, tag
    assert f"id_{name}_error" in tag, tag
    block = re.search(rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', page, re.S)
    assert block, f"no error block for {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip()


def input_value(response, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode()).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return html.unescape(value.group(1)) if value else ""


# --- The checklist page --------------------------------------------------------------------------------


def test_manager_sees_the_editing_controls_and_no_admin_sentence(client_for):
    piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    response = client_for("manager").get(reverse("dossiers:checklist"))
    page = text(response)
    assert response.status_code == 200
    assert "Ajouter une pièce" in page
    assert reverse("dossiers:document_type_create") in page
    assert reverse("dossiers:document_type_edit", args=[piece.pk]) in page
    assert reverse("dossiers:document_type_activation", args=[piece.pk]) in page
    assert ADMIN_SENTENCE not in page and "administration" not in page


@pytest.mark.parametrize("role", ["reception", "mobility", "assistant"])
def test_staff_keep_the_read_only_checklist(client_for, role):
    piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    response = client_for(role).get(reverse("dossiers:checklist"))
    page = text(response)
    assert response.status_code == 200
    assert piece.name in page
    assert "Ajouter une pièce" not in page
    assert reverse("dossiers:document_type_edit", args=[piece.pk]) not in page
    assert reverse("dossiers:document_type_activation", args=[piece.pk]) not in page
    assert "tenue à jour par les responsables" in page and ADMIN_SENTENCE not in page


def test_the_default_list_comes_first(client_for):
    scheme = SchemeFactory(name="Aaa premier par ordre alphabétique")
    DocumentTypeFactory(scheme=scheme, name="Pièce propre au dispositif")
    page = text(client_for("manager").get(reverse("dossiers:checklist")))
    default_piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order", "name").first()
    assert page.index(default_piece.name) < page.index("Pièce propre au dispositif")


# --- Creating and editing a piece ----------------------------------------------------------------------


def test_manager_adds_a_required_piece_that_every_dossier_then_asks(client_for, users, structure):
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(dossier, users["assistant"])
    assert completeness(dossier).complete

    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    response = client.post(url, piece_data(submission_token=token(client.get(url))), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:checklist")
    assert "Pièce « Attestation d'hébergement » ajoutée dans la liste par défaut (tous les dispositifs)." in flash(response)
    piece = DocumentType.objects.get(name="Attestation d'hébergement")
    assert (piece.scheme, piece.description, piece.required, piece.order, piece.active) == (
        None, "De moins de trois mois", True, 15, True,
    )
    assert "Attestation d'hébergement" in text(response)

    # Every dossier asks for it now: the file is no longer complete until it is validated.
    state = completeness(dossier)
    assert "Attestation d'hébergement" in [line.document_type.name for line in state.missing]
    assert not state.complete
    page = text(client_for("mobility").get(reverse("dossiers:documents", args=[dossier.pk])))
    assert "Attestation d'hébergement" in page and "De moins de trois mois" in page


def test_a_new_piece_or_criterion_goes_after_the_others(client_for):
    client = client_for("manager")
    last_piece = DocumentType.objects.order_by("-order").first().order
    last_criterion = CommissionCriterion.objects.order_by("-order").first().order
    assert input_value(client.get(reverse("dossiers:document_type_create")), "order") == str(last_piece + 10)
    assert input_value(client.get(reverse("dossiers:criterion_create")), "order") == str(last_criterion + 10)


def test_a_piece_for_one_scheme_only(client_for):
    scheme, other = SchemeFactory(name="Service civique européen"), SchemeFactory(name="Stage Irlande")
    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    # From the scheme's page the scheme is already chosen.
    form_page = client.get(url + f"?dispositif={scheme.pk}")
    assert re.search(rf'<option value="{scheme.pk}" selected>', form_page.content.decode())
    response = client.post(url, piece_data(scheme=scheme.pk, name="Lettre de l'organisme d'accueil",
                                           submission_token=token(form_page)), follow=True)
    assert "Pièce « Lettre de l'organisme d'accueil » ajoutée pour le dispositif « Service civique européen »." in flash(response)
    assert "Lettre de l'organisme d'accueil" in checklist_types(scheme).values_list("name", flat=True)
    assert "Lettre de l'organisme d'accueil" not in checklist_types(other).values_list("name", flat=True)
    assert "Lettre de l'organisme d'accueil" not in checklist_types(None).values_list("name", flat=True)


def test_scheme_page_links_to_adding_a_piece_for_it(client_for):
    scheme = SchemeFactory()
    page = text(client_for("manager").get(reverse("departures:scheme_edit", args=[scheme.pk])))
    assert reverse("dossiers:document_type_create") + f"?dispositif={scheme.pk}" in page
    page = text(client_for("manager").get(reverse("departures:schemes")))
    assert reverse("dossiers:checklist") in page and reverse("dossiers:criteria") in page


def test_manager_edits_a_piece(client_for):
    piece = DocumentTypeFactory(name="Attestation CAF", required=True, order=3)
    client = client_for("manager")
    url = reverse("dossiers:document_type_edit", args=[piece.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200 and input_value(form_page, "name") == "Attestation CAF"
    assert "submission_token" not in form_page.content.decode()  # only a creation is guarded by a token
    response = client.post(url, piece_data(name="Attestation de quotient familial", required=None, order="1",
                                           description=""), follow=True)
    assert "Pièce « Attestation de quotient familial » enregistrée." in flash(response)
    piece.refresh_from_db()
    assert (piece.name, piece.required, piece.order, piece.description) == ("Attestation de quotient familial", False, 1, "")
    # Saved again with its own name: not a duplicate of itself.
    response = client.post(url, piece_data(name="Attestation de quotient familial"))
    assert response.status_code == 302


def test_a_duplicate_piece_is_refused_next_to_the_field_and_what_was_typed_is_kept(client_for):
    existing = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    typed = existing.name.upper()  # the same piece whatever the case of the letters
    response = client.post(url, piece_data(name=typed, description="Texte tapé", order="42",
                                           submission_token=token(client.get(url))))
    assert response.status_code == 200
    message = "Cette pièce est déjà demandée dans la liste par défaut (tous les dispositifs)."
    assert message in field_error(response, "name")
    assert message in text(response)  # in the summary at the top too
    assert input_value(response, "name") == typed
    assert input_value(response, "description") == "Texte tapé"
    assert input_value(response, "order") == "42"
    assert DocumentType.objects.filter(name__iexact=existing.name).count() == 1

    # The same name for a scheme is another piece; twice for that scheme, refused.
    scheme = SchemeFactory(name="Volontariat")
    data = piece_data(name=existing.name, scheme=scheme.pk)
    assert client.post(url, data | {"submission_token": token(client.get(url))}).status_code == 302
    response = client.post(url, data | {"submission_token": token(client.get(url))})
    assert "Cette pièce est déjà demandée pour le dispositif « Volontariat »." in field_error(response, "name")
    assert DocumentType.objects.filter(name=existing.name).count() == 2


def test_the_database_refuses_the_same_piece_twice_in_a_checklist_whatever_the_case():
    """The form's check has a twin in the database, for two managers adding the same piece at once."""
    from django.db import IntegrityError, transaction

    scheme = SchemeFactory(name="Volontariat")
    DocumentTypeFactory(name="Attestation de stage", scheme=None)
    DocumentTypeFactory(name="Attestation de stage", scheme=scheme)  # another checklist: allowed
    for other_scheme in (None, scheme):
        with pytest.raises(IntegrityError), transaction.atomic():
            DocumentType.objects.create(name="ATTESTATION DE STAGE", scheme=other_scheme)
    assert DocumentType.objects.filter(name__iexact="attestation de stage").count() == 2


def test_renaming_a_piece_onto_another_is_refused(client_for):
    first, second = DocumentTypeFactory(name="Pièce A"), DocumentTypeFactory(name="Pièce B")
    response = client_for("manager").post(reverse("dossiers:document_type_edit", args=[second.pk]),
                                          piece_data(name="Pièce A"))
    assert "déjà demandée" in field_error(response, "name")
    second.refresh_from_db()
    assert second.name == "Pièce B" and first.name == "Pièce A"


def test_a_negative_order_is_refused_in_french(client_for):
    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    response = client.post(url, piece_data(order="-1", submission_token=token(client.get(url))))
    assert field_error(response, "order") == "L'ordre ne peut pas être négatif."
    response = client.post(url, piece_data(name="", submission_token=token(client.get(url))))
    assert field_error(response, "name") == "Indiquez le nom de la pièce."


def test_a_piece_sent_twice_is_added_once(client_for):
    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    data = piece_data(submission_token=token(client.get(url)))
    before = FormSubmission.objects.count()
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert "déjà été envoyé" in text(second)
    assert DocumentType.objects.filter(name="Attestation d'hébergement").count() == 1
    assert FormSubmission.objects.count() == before + 1


# --- Deactivating and deleting a piece -----------------------------------------------------------------


def test_deactivating_and_reactivating_a_piece(client_for, users, structure):
    piece = DocumentTypeFactory(name="Justificatif de domicile")
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    assert "Justificatif de domicile" in [line.document_type.name for line in completeness(dossier).lines]
    client = client_for("manager")
    url = reverse("dossiers:document_type_activation", args=[piece.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:checklist")
    assert any("désactivée" in m and "n'est plus demandée" in m for m in flash(response))
    piece.refresh_from_db()
    assert not piece.active
    assert "Justificatif de domicile" not in [line.document_type.name for line in completeness(dossier).lines]
    assert "Réactiver" in text(response)

    response = client.post(url, {"active": "1"}, follow=True)
    piece.refresh_from_db()
    assert piece.active
    assert any("réactivée" in m for m in flash(response))

    response = client.post(url, {}, follow=True)  # neither: nothing changes
    piece.refresh_from_db()
    assert piece.active and "Action inconnue : rien n'a été changé." in flash(response)
    assert client.get(url).status_code == 405


def test_a_piece_with_uploaded_documents_is_not_deleted_but_may_be_deactivated(client_for, users, structure):
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(dossier, users["assistant"])
    piece = checklist_types(None).filter(required=True).first()
    client = client_for("manager")

    assert reverse("dossiers:document_type_delete", args=[piece.pk]) not in text(client.get(reverse("dossiers:checklist")))
    edit = text(client.get(reverse("dossiers:document_type_edit", args=[piece.pk])))
    assert reverse("dossiers:document_type_delete", args=[piece.pk]) not in edit
    assert "ne peut pas être supprimée, seulement désactivée" in edit

    url = reverse("dossiers:document_type_delete", args=[piece.pk])
    page = client.get(url)
    assert page.status_code == 200
    message = (f"La pièce « {piece.name} » ne peut pas être supprimée : 1 pièce déposée dans des dossiers y est "
               "rattachée. Désactivez-la plutôt")
    assert message in text(page)
    assert "Supprimer définitivement" not in text(page) and "Désactiver la pièce" in text(page)

    response = client.post(url, follow=True)
    assert any(m.startswith(message) for m in flash(response))
    assert DocumentType.objects.filter(pk=piece.pk).exists()
    assert dossier.documents.filter(document_type=piece).exists()


def test_an_unused_piece_is_deleted_after_confirmation(client_for):
    piece = DocumentTypeFactory(name="Pièce créée par erreur")
    client = client_for("manager")
    edit = text(client.get(reverse("dossiers:document_type_edit", args=[piece.pk])))
    url = reverse("dossiers:document_type_delete", args=[piece.pk])
    assert url in edit and url in text(client.get(reverse("dossiers:checklist")))

    page = client.get(url)  # asks first
    assert page.status_code == 200
    assert "Supprimer la pièce « Pièce créée par erreur » ?" in text(page)
    assert "Supprimer définitivement" in text(page)
    assert DocumentType.objects.filter(pk=piece.pk).exists()

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:checklist")
    assert "Pièce « Pièce créée par erreur » supprimée de la liste des pièces demandées." in flash(response)
    assert not DocumentType.objects.filter(pk=piece.pk).exists()


# --- The commission's evaluation grid ------------------------------------------------------------------


@pytest.fixture
def review(users, structure):
    session = CommissionSession.objects.create(date=datetime.date.today() + datetime.timedelta(days=5))
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    return add_to_agenda(session, dossier, users["admin"], "Pièces promises")


def review_url(review):
    return reverse("dossiers:review", args=[review.session_id, review.pk])


def test_the_grid_page_lists_the_criteria_and_is_linked_from_the_commissions(client_for):
    client = client_for("manager")
    response = client.get(reverse("dossiers:criteria"))
    page = text(response)
    assert response.status_code == 200
    for criterion in CommissionCriterion.objects.all():
        assert criterion.name in page
        assert reverse("dossiers:criterion_edit", args=[criterion.pk]) in page
    assert "Ajouter un critère" in page
    assert reverse("dossiers:criteria") in text(client.get(reverse("dossiers:commission_list")))
    # Staff open the commissions but not the grid's settings: no link for them.
    assert reverse("dossiers:criteria") not in text(client_for("mobility").get(reverse("dossiers:commission_list")))


def test_the_review_page_leads_managers_to_the_grid(client_for, review):
    assert reverse("dossiers:criteria") in text(client_for("manager").get(review_url(review)))
    assert reverse("dossiers:criteria") not in text(client_for("mobility").get(review_url(review)))


def test_manager_adds_a_criterion_that_appears_on_the_review_grid(client_for, review):
    assert "Ouverture interculturelle" not in text(client_for("mobility").get(review_url(review)))
    client = client_for("manager")
    url = reverse("dossiers:criterion_create")
    response = client.post(url, criterion_data(submission_token=token(client.get(url))), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:criteria")
    assert "Critère « Ouverture interculturelle » ajouté à la grille d'évaluation." in flash(response)
    criterion = CommissionCriterion.objects.get(name="Ouverture interculturelle")
    assert (criterion.description, criterion.max_score, criterion.order, criterion.active) == (
        "Curiosité pour d'autres cultures", 10, 60, True,
    )
    page = text(client_for("mobility").get(review_url(review)))
    assert "Ouverture interculturelle" in page and "Curiosité pour d'autres cultures (sur 10)" in page
    assert f'name="score_{criterion.pk}"' in page

    # The commission scores it.
    response = client_for("mobility").post(review_url(review), {f"score_{criterion.pk}": "8", "decision": ""})
    assert response.status_code == 302
    assert CommissionScore.objects.get(review=review, criterion=criterion).score == 8


def test_manager_edits_a_criterion(client_for):
    criterion = CommissionCriterionFactory(name="Motivation pour le projet", max_score=5)
    client = client_for("manager")
    url = reverse("dossiers:criterion_edit", args=[criterion.pk])
    assert input_value(client.get(url), "name") == "Motivation pour le projet"
    response = client.post(url, criterion_data(name="Engagement citoyen", max_score="20", order="1", active=None), follow=True)
    assert "Critère « Engagement citoyen » enregistré." in flash(response)
    criterion.refresh_from_db()
    assert (criterion.name, criterion.max_score, criterion.order, criterion.active) == ("Engagement citoyen", 20, 1, False)


def test_a_duplicate_criterion_is_refused_next_to_the_field_and_what_was_typed_is_kept(client_for):
    existing = CommissionCriterion.objects.order_by("order").first()
    client = client_for("manager")
    url = reverse("dossiers:criterion_create")
    typed = existing.name.lower()
    response = client.post(url, criterion_data(name=typed, description="Ma description", max_score="7",
                                               submission_token=token(client.get(url))))
    assert response.status_code == 200
    message = "Ce critère existe déjà dans la grille."
    assert message in field_error(response, "name")
    assert input_value(response, "name") == existing.name.lower()
    assert input_value(response, "description") == "Ma description"
    assert input_value(response, "max_score") == "7"
    assert CommissionCriterion.objects.filter(name__iexact=existing.name).count() == 1
    # The exact name too (the model's unique check says it in French as well).
    response = client.post(url, criterion_data(name=existing.name, submission_token=token(client.get(url))))
    assert message in field_error(response, "name")


@pytest.mark.parametrize("value, message", [
    ("0", "La note maximale doit être d'au moins 1."),
    ("-3", "La note maximale doit être d'au moins 1."),
    ("", "Indiquez la note maximale (1 ou plus)."),
    ("cinq", "Saisissez un nombre entier."),
    ("1000", "La note maximale ne peut pas dépasser 100."),
])
def test_the_maximum_score_is_at_least_one(client_for, value, message):
    client = client_for("manager")
    url = reverse("dossiers:criterion_create")
    response = client.post(url, criterion_data(max_score=value, submission_token=token(client.get(url))))
    assert field_error(response, "max_score") == message
    assert not CommissionCriterion.objects.filter(name="Ouverture interculturelle").exists()


def test_the_maximum_cannot_go_under_a_score_already_given(client_for, review):
    criterion = CommissionCriterionFactory(name="Projet professionnel", max_score=10)
    save_scores(review, {criterion.pk: (8, "")})
    url = reverse("dossiers:criterion_edit", args=[criterion.pk])
    response = client_for("manager").post(url, criterion_data(name="Projet professionnel", max_score="5"))
    assert "Une note de 8 a déjà été donnée sur ce critère" in field_error(response, "max_score")
    criterion.refresh_from_db()
    assert criterion.max_score == 10
    assert client_for("manager").post(url, criterion_data(name="Projet professionnel", max_score="8")).status_code == 302


def test_deactivating_a_criterion_takes_it_off_the_grid_and_keeps_its_scores(client_for, review):
    criterion = CommissionCriterionFactory(name="Savoir-être")
    save_scores(review, {criterion.pk: (4, "Bien")})
    assert "Savoir-être" in text(client_for("mobility").get(review_url(review)))
    client = client_for("manager")
    url = reverse("dossiers:criterion_activation", args=[criterion.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dossiers:criteria")
    assert any("désactivé" in m and "notes déjà données sont conservées" in m for m in flash(response))
    criterion.refresh_from_db()
    assert not criterion.active
    assert "Savoir-être" not in text(client_for("mobility").get(review_url(review)))
    assert CommissionScore.objects.get(review=review, criterion=criterion).score == 4

    client = client_for("manager")
    client.post(url, {"active": "1"})
    criterion.refresh_from_db()
    assert criterion.active


def test_a_criterion_with_scores_is_not_deleted(client_for, review):
    criterion = CommissionCriterionFactory(name="Savoir-faire")
    save_scores(review, {criterion.pk: (None, "")})  # on a grid, even without a note yet
    client = client_for("manager")
    assert reverse("dossiers:criterion_delete", args=[criterion.pk]) not in text(client.get(reverse("dossiers:criteria")))
    url = reverse("dossiers:criterion_delete", args=[criterion.pk])
    page = text(client.get(url))
    message = ("Le critère « Savoir-faire » ne peut pas être supprimé : il a déjà servi dans 1 grille "
               "d'évaluation de dossiers en commission. Désactivez-le plutôt")
    assert message in page and "Désactiver le critère" in page and "Supprimer définitivement" not in page
    response = client.post(url, follow=True)
    assert any(m.startswith(message) for m in flash(response))
    assert CommissionCriterion.objects.filter(pk=criterion.pk).exists()


def test_an_unused_criterion_is_deleted_after_confirmation(client_for):
    criterion = CommissionCriterionFactory(name="Critère en trop")
    client = client_for("manager")
    url = reverse("dossiers:criterion_delete", args=[criterion.pk])
    assert url in text(client.get(reverse("dossiers:criteria")))
    page = client.get(url)
    assert "Supprimer le critère « Critère en trop » ?" in text(page) and "Supprimer définitivement" in text(page)
    assert CommissionCriterion.objects.filter(pk=criterion.pk).exists()
    response = client.post(url, follow=True)
    assert "Critère « Critère en trop » supprimé de la grille d'évaluation." in flash(response)
    assert not CommissionCriterion.objects.filter(pk=criterion.pk).exists()


def test_a_criterion_sent_twice_is_added_once(client_for):
    client = client_for("manager")
    url = reverse("dossiers:criterion_create")
    data = criterion_data(submission_token=token(client.get(url)))
    assert client.post(url, data).status_code == 302
    assert "déjà été envoyé" in text(client.post(url, data, follow=True))
    assert CommissionCriterion.objects.filter(name="Ouverture interculturelle").count() == 1


# --- Who may open these pages ----------------------------------------------------------------------------


def edit_pages():
    piece = DocumentTypeFactory(name="Pièce de contrôle d'accès")
    criterion = CommissionCriterionFactory(name="Critère de contrôle d'accès")
    gets = [
        reverse("dossiers:document_type_create"), reverse("dossiers:document_type_edit", args=[piece.pk]),
        reverse("dossiers:document_type_delete", args=[piece.pk]), reverse("dossiers:criteria"),
        reverse("dossiers:criterion_create"), reverse("dossiers:criterion_edit", args=[criterion.pk]),
        reverse("dossiers:criterion_delete", args=[criterion.pk]),
    ]
    posts = [
        (reverse("dossiers:document_type_create"), piece_data(name="Pièce ajoutée sans droit")),
        (reverse("dossiers:document_type_edit", args=[piece.pk]), piece_data(name="Renommée sans droit")),
        (reverse("dossiers:document_type_activation", args=[piece.pk]), {"active": "0"}),
        (reverse("dossiers:document_type_delete", args=[piece.pk]), {}),
        (reverse("dossiers:criterion_create"), criterion_data(name="Critère ajouté sans droit")),
        (reverse("dossiers:criterion_edit", args=[criterion.pk]), criterion_data(name="Renommé sans droit")),
        (reverse("dossiers:criterion_activation", args=[criterion.pk]), {"active": "0"}),
        (reverse("dossiers:criterion_delete", args=[criterion.pk]), {}),
    ]
    return piece, criterion, gets, posts


@pytest.mark.parametrize("role", ["reception", "mobility", "assistant", "counsellor", "other_counsellor"])
def test_staff_without_manage_schemes_and_counsellors_get_403(client_for, role):
    piece, criterion, gets, posts = edit_pages()
    client = client_for(role)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    piece.refresh_from_db()
    criterion.refresh_from_db()
    assert piece.name == "Pièce de contrôle d'accès" and piece.active
    assert criterion.name == "Critère de contrôle d'accès" and criterion.active
    assert not DocumentType.objects.filter(name="Pièce ajoutée sans droit").exists()
    assert not CommissionCriterion.objects.filter(name="Critère ajouté sans droit").exists()


def test_counsellors_cannot_read_the_checklist_either(client_for):
    assert client_for("counsellor").get(reverse("dossiers:checklist")).status_code == 403


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_administrators_open_every_page(client_for, role):
    _, _, gets, _ = edit_pages()
    client = client_for(role)
    for url in gets + [reverse("dossiers:checklist")]:
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_go_to_the_login_page(client):
    _, _, gets, _ = edit_pages()
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_piece_added_by_someone_else_at_the_same_moment_is_refused_next_to_the_field(client_for):
    """The form's own check passed, the database refused the insert (another manager's piece of the same
    name committed meanwhile): the form comes back with the message at the name, the token is not spent."""
    from unittest import mock

    from django.db import IntegrityError

    from dossiers.reference_forms import DocumentTypeForm

    client = client_for("manager")
    url = reverse("dossiers:document_type_create")
    sent = token(client.get(url))
    before = DocumentType.objects.count()
    with mock.patch.object(DocumentTypeForm, "save", side_effect=IntegrityError("unique")):
        response = client.post(url, piece_data(name="Attestation de la CAF", submission_token=sent))
    assert response.status_code == 200
    assert "Cette pièce est déjà demandée dans la liste par défaut" in field_error(response, "name")
    assert DocumentType.objects.count() == before
    assert not FormSubmission.objects.filter(token=sent).exists()  # sent again once corrected, it is saved
    response = client.post(url, piece_data(name="Attestation de la CAF", submission_token=sent))
    assert response.status_code == 302 and DocumentType.objects.filter(name="Attestation de la CAF").exists()
