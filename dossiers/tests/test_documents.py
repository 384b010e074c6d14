"""The application file: per-scheme checklist as data, piece statuses, completeness."""
import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.enums import DocumentStatus
from dossiers.tests.factories import DossierFactory, validate_all_pieces
from dossiers.models import Document, DocumentType
from dossiers.services import checklist_types, completeness
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db

DEFAULT = [
    "Attestation de responsabilité civile", "Carte vitale", "Fiche sanitaire", "Lettre de motivation en français",
    "Lettre de motivation en anglais", "CV en français", "CV en anglais",
]


def test_default_checklist_is_seeded():
    assert list(checklist_types(None).values_list("name", flat=True)) == DEFAULT


def test_scheme_adds_its_own_pieces():
    scheme = SchemeFactory(name="OUAT")
    other = SchemeFactory(name="Job")
    DocumentType.objects.create(scheme=scheme, name="Deux lettres de recommandation", order=100)
    names = list(checklist_types(scheme).values_list("name", flat=True))
    assert names == DEFAULT + ["Deux lettres de recommandation"]
    assert "Deux lettres de recommandation" not in checklist_types(other).values_list("name", flat=True)


def test_completeness_counts_only_validated_required_pieces(users, structure):
    dossier = DossierFactory(structure=structure)
    state = completeness(dossier)
    assert not state.complete and len(state.missing) == 7 and state.percent == 0
    DocumentType.objects.filter(name="CV en anglais").update(required=False)
    validate_all_pieces(dossier, users["assistant"])
    assert completeness(dossier).complete
    Document.objects.filter(document_type__name="Carte vitale").update(status=DocumentStatus.REJECTED)
    state = completeness(dossier)
    assert not state.complete and [line.document_type.name for line in state.missing] == ["Carte vitale"]


def _upload(client, dossier, document_type):
    return client.post(
        reverse("dossiers:document_upload", args=[dossier.pk, document_type.pk]),
        {f"piece{document_type.pk}-file": uploaded_file_for_tests("cv.pdf", MINIMAL_PDF)},
    )


def test_review_reject_needs_a_reason_then_validate(client_for, users, structure):
    dossier = DossierFactory(structure=structure)
    cv = DocumentType.objects.get(name="CV en français", scheme__isnull=True)
    client = client_for("assistant")
    _upload(client, dossier, cv)
    document = Document.objects.get()
    url = reverse("dossiers:document_review", args=[dossier.pk, document.pk])
    response = client.post(url, {f"verif{cv.pk}-status": "refuse", f"verif{cv.pk}-reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    client.post(url, {f"verif{cv.pk}-status": "refuse", f"verif{cv.pk}-reason": "CV illisible"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED and document.rejection_reason == "CV illisible"
    page = client_for("counsellor").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "CV illisible" in page  # the counsellor sees what to fix
    # A new upload replaces the file and waits for checking again.
    client = client_for("assistant")
    _upload(client, dossier, cv)
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED and document.rejection_reason == ""
    assert Document.objects.count() == 1
    client.post(url, {f"verif{cv.pk}-status": "valide"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALIDATED and document.reviewed_by == users["assistant"]


def test_piece_of_another_scheme_cannot_be_uploaded(client_for, structure):
    dossier = DossierFactory(structure=structure)
    other = DocumentType.objects.create(scheme=SchemeFactory(name="Job"), name="Contrat de travail")
    assert _upload(client_for("assistant"), dossier, other).status_code == 404


@pytest.mark.parametrize("role", ["manager"])  # the structure's counsellor may upload: space/tests/test_counsellor_upload.py
def test_upload_and_review_refused_to_non_staff(client_for, structure, role):
    dossier = DossierFactory(structure=structure)
    cv = DocumentType.objects.get(name="CV en français", scheme__isnull=True)
    assert _upload(client_for(role), dossier, cv).status_code == 403
    assert not Document.objects.exists()


def test_dossier_page_shows_what_is_missing(client_for, users, structure):
    dossier = DossierFactory(structure=structure, referring_counsellor=users["counsellor"])
    content = client_for("counsellor").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "0 pièce validée sur 7" in content
    assert "Carte vitale" in content


def test_bulk_completeness_agrees_with_completeness(users, structure):
    scheme = SchemeFactory(name="OUAT")
    DocumentType.objects.create(scheme=scheme, name="Deux lettres de recommandation", order=100)
    plain = DossierFactory(structure=structure)
    with_scheme = DossierFactory(structure=structure, scheme=scheme)
    done = DossierFactory(structure=structure, scheme=scheme)
    validate_all_pieces(done, users["assistant"])
    from dossiers.services import bulk_completeness

    bulk = bulk_completeness([plain, with_scheme, done])
    for dossier in (plain, with_scheme, done):
        single = completeness(dossier)
        assert bulk[dossier.pk].complete == single.complete
        assert [line.document_type.pk for line in bulk[dossier.pk].missing] == [line.document_type.pk for line in single.missing]
    assert len(bulk[with_scheme.pk].lines) == 8 and bulk[done.pk].complete
