"""One open dossier per young person: a second fiche is attached to the open dossier; a young person
coming back after a closed dossier gets a new one with the pieces still valid; two young people found to
be the same person are merged by staff. Through the HTTP views, on PostgreSQL."""
import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dossiers import transitions
from dossiers.enums import DocumentStatus
from dossiers.models import Document, DocumentType, Dossier, DossierEvent, SensitiveAccess, Youth
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from followup.models import SentMessage
from followup.tests.factories import FollowUpCallFactory
from ipm.uploads import MINIMAL_PDF
from privacy.rgpd import anonymise_youth
from referrals.models import Referral
from referrals.tests.test_fiche import fiche_data
from reporting.consistency import several_open_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reception_address(settings):
    settings.IPM_RECEPTION_EMAIL = "accueil@plateforme.example"


def piece(dossier, name, uploaded_days_ago, status=DocumentStatus.VALIDATED):
    document_type = DocumentType.objects.get(scheme__isnull=True, name=name)
    return Document.objects.create(
        dossier=dossier, document_type=document_type, status=status, file=ContentFile(MINIMAL_PDF, name="p.pdf"),
        original_name=f"{name}.pdf", size=len(MINIMAL_PDF),
        uploaded_at=timezone.now() - datetime.timedelta(days=uploaded_days_ago),
    )


def test_second_fiche_is_attached_to_the_open_dossier(client_for, users, django_capture_on_commit_callbacks):
    counsellor = client_for("counsellor")
    counsellor.post(reverse("referrals:create"), fiche_data())
    dossier = Dossier.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        response = counsellor.post(reverse("referrals:create"),
                                   fiche_data(first_name="NATHAN", motivation="Partir en Irlande."), follow=True)
    page = response.content.decode()
    assert Dossier.objects.count() == 1
    assert "Ce jeune a déjà un" in page and "(étape : Fiche reçue)" in page
    assert reverse("dossiers:detail", args=[dossier.pk]) in page  # their structure: a link
    assert list(Referral.objects.values_list("dossier_id", flat=True)) == [dossier.pk, dossier.pk]
    note = DossierEvent.objects.filter(dossier=dossier).order_by("pk").last()
    assert (note.from_state, note.to_state) == (State.RECEIVED, State.RECEIVED)
    assert "Nouvelle fiche de liaison" in note.comment and "Partir en Irlande." in note.comment
    second = Referral.objects.order_by("pk").last()
    message = SentMessage.objects.get(object_key=f"referral:{second.pk}")
    assert f"rattachée au dossier n° {dossier.pk}" in message.body
    assert SentMessage.objects.filter(object_key=f"dossier:{dossier.pk}").count() == 1
    assert several_open_dossiers() == []
    # The timeline shows the note; the dossier page still shows the first fiche.
    staff_page = client_for("reception").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Nouvelle fiche de liaison envoyée" in staff_page and "<strong>Note</strong>" in staff_page
    assert Dossier.objects.get().referral == Referral.objects.order_by("pk").first()


def test_fiche_from_another_structure_warns_without_link(client_for, users):
    client_for("counsellor").post(reverse("referrals:create"), fiche_data())
    dossier = Dossier.objects.get()
    other = client_for("other_counsellor")
    other.post(reverse("referrals:create"), fiche_data(action="draft"))
    draft = Referral.objects.get(structure=users["other_counsellor"].structure)
    page = other.get(reverse("referrals:edit", args=[draft.pk])).content.decode()
    assert "Ce jeune a déjà un dossier en cours (étape : Fiche reçue)" in page
    assert reverse("dossiers:detail", args=[dossier.pk]) not in page  # not their structure: no link
    response = other.post(reverse("referrals:edit", args=[draft.pk]), fiche_data(), follow=True)
    assert "Ce jeune a déjà un dossier en cours (étape : Fiche reçue) : votre fiche" in response.content.decode()
    assert Dossier.objects.count() == 1 and Referral.objects.get(pk=draft.pk).dossier == dossier


def test_fiche_after_a_closed_dossier_opens_a_new_one_with_valid_pieces(client_for, users):
    counsellor = client_for("counsellor")
    counsellor.post(reverse("referrals:create"), fiche_data())
    first = Dossier.objects.get()
    cv = piece(first, "CV en français", uploaded_days_ago=100)  # 12 months: still valid
    piece(first, "CV en anglais", uploaded_days_ago=500)  # expired
    piece(first, "Lettre de motivation en français", uploaded_days_ago=10)  # never carried over
    piece(first, "Carte vitale", uploaded_days_ago=10, status=DocumentStatus.REJECTED)  # not validated
    transitions.apply_transition(first, State.DROPPED, users["admin"])
    response = counsellor.post(reverse("referrals:create"), fiche_data(), follow=True)
    assert "déjà connu de la plateforme" in response.content.decode()
    second = Dossier.objects.exclude(pk=first.pk).get()
    assert second.state == State.RECEIVED
    carried = list(second.documents.select_related("document_type"))
    assert [d.document_type.name for d in carried] == ["CV en français"]
    copy = carried[0]
    assert copy.status == DocumentStatus.VALIDATED and copy.carried_over_from == cv
    assert copy.file.name != cv.file.name and copy.file.read() == MINIMAL_PDF  # its own copy of the file
    page = client_for("reception").get(reverse("dossiers:documents", args=[second.pk])).content.decode()
    assert f"reprise du dossier n° {first.pk}" in page
    assert several_open_dossiers() == []


def _two_youths(users):
    admin = users["admin"]
    keep = dossier_in_state(State.FILE_BUILDING, admin)
    old = dossier_in_state(State.RECEIVED, admin, youth__last_name="Traore", youth__first_name="Nathan",
                           youth__birth_date=keep.youth.birth_date, youth__email="nathan@exemple.fr")
    transitions.apply_transition(old, State.DROPPED, admin)
    return keep, old


def test_merge_moves_every_row_to_the_young_person_kept(client_for, users):
    keep, old = _two_youths(users)
    kept_youth, other_youth = keep.youth, old.youth
    piece(old, "CV en français", uploaded_days_ago=5)
    call = FollowUpCallFactory(dossier=old, month=1)
    SentMessage.objects.create(kind=SentMessage._meta.get_field("kind").choices[0][0], object_key="fusion",
                               recipient="jeune@example.org", body="Bonjour", status="echec", dossier=old)
    SensitiveAccess.objects.create(dossier=old, user=users["mobility"])
    referral = Referral.objects.create(counsellor=users["counsellor"], structure=old.structure,
                                       last_name="Traore", first_name="Nathan", birth_date=other_youth.birth_date,
                                       sex="M", youth=other_youth, dossier=old, motivation="x")
    staff = client_for("mobility")
    page = staff.get(reverse("dossiers:detail", args=[keep.pk])).content.decode()
    assert reverse("dossiers:youth_merge_search", args=[keep.pk]) in page
    search = staff.get(reverse("dossiers:youth_merge_search", args=[keep.pk])).content.decode()
    url = reverse("dossiers:youth_merge", args=[kept_youth.pk, other_youth.pk])
    assert url in search
    form = staff.get(url).content.decode()
    assert 'name="email" value="other"' in form and "nathan@exemple.fr" in form
    review = staff.post(url, {"step": "review", "email": "other", "last_name": "keep"}).content.decode()
    for line in ("1 dossiers", "1 fiches de liaison", "1 pièces déposées", "1 appels de suivi", "1 messages"):
        assert line in review
    assert Youth.objects.filter(pk=other_youth.pk).exists()  # nothing moved before confirmation
    response = staff.post(url, {"step": "confirm", "email": "other"})
    assert response.status_code == 302
    assert not Youth.objects.filter(pk=other_youth.pk).exists()
    kept_youth.refresh_from_db()
    assert kept_youth.email == "nathan@exemple.fr"
    assert kept_youth.last_name != "Traore"
    assert set(kept_youth.dossiers.values_list("pk", flat=True)) == {keep.pk, old.pk}
    referral.refresh_from_db()
    assert referral.youth == kept_youth and referral.dossier == old
    assert Document.objects.get(dossier=old).dossier.youth == kept_youth
    call.refresh_from_db()
    assert call.dossier.youth == kept_youth
    label = f"Fusion des jeunes n° {kept_youth.pk} et n° {other_youth.pk}"
    assert DossierEvent.objects.filter(dossier=old, comment__startswith=label).exists()
    assert DossierEvent.objects.filter(dossier=keep, comment__startswith=label).exists()
    assert kept_youth.history.first().email == "nathan@exemple.fr"
    assert several_open_dossiers() == []


def test_merge_refused_with_two_open_dossiers(client_for, users):
    admin = users["admin"]
    one = dossier_in_state(State.RECEIVED, admin)
    two = dossier_in_state(State.INFO_DONE, admin)
    url = reverse("dossiers:youth_merge", args=[one.youth_id, two.youth_id])
    staff = client_for("mobility")
    assert "chacun un dossier en cours" in staff.get(url).content.decode()
    response = staff.post(url, {"step": "confirm"})
    assert response.status_code == 400 and "Clôturez ou passez en abandon" in response.content.decode()
    assert Youth.objects.filter(pk__in=[one.youth_id, two.youth_id]).count() == 2


def test_merge_refused_for_an_erased_young_person(client_for, users):
    keep, old = _two_youths(users)
    anonymise_youth(old.youth)
    response = client_for("admin").post(reverse("dossiers:youth_merge", args=[keep.youth_id, old.youth_id]),
                                        {"step": "confirm"})
    assert response.status_code == 400 and "effacé" in response.content.decode()
    assert Dossier.objects.get(pk=old.pk).youth_id == old.youth_id


def test_a_counsellor_cannot_merge(client_for, users):
    keep, old = _two_youths(users)
    response = client_for("counsellor").post(reverse("dossiers:youth_merge", args=[keep.youth_id, old.youth_id]),
                                             {"step": "confirm"})
    assert response.status_code == 403
    assert Youth.objects.filter(pk=old.youth_id).exists()


def test_merge_of_two_people_who_both_have_a_space_account(client_for, users):
    """One account per person: the kept person's account stays, the other's goes with them (no error)."""
    from space.models import YouthAccount
    from space.services import account_for

    keep, old = _two_youths(users)
    kept_youth, other_youth = keep.youth, old.youth
    kept_account, other_account = account_for(kept_youth), account_for(other_youth)
    url = reverse("dossiers:youth_merge", args=[kept_youth.pk, other_youth.pk])
    response = client_for("mobility").post(url, {"step": "confirm"})
    assert response.status_code == 302
    assert not Youth.objects.filter(pk=other_youth.pk).exists()
    assert YouthAccount.objects.get(youth=kept_youth).pk == kept_account.pk
    assert not YouthAccount.objects.filter(pk=other_account.pk).exists()
