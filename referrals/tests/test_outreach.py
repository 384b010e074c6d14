"""Outreach cohorts on the fiche de liaison: how the young person came (parcours habituel, repéré,
réactivé) and the « aller-vers » action, chosen from the list managers keep."""
import pytest
from django.urls import reverse

from dossiers.models import Dossier
from referrals.enums import OutreachKind
from referrals.models import OutreachAction, Referral

from .test_fiche import fiche_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(structure, other_structure):
    return {
        "own": OutreachAction.objects.create(name="Maraude Montreynaud", structure=structure, kind=OutreachKind.OUTSIDE),
        "other": OutreachAction.objects.create(name="Forum Part-Dieu", structure=other_structure, kind=OutreachKind.EVENT),
        "open": OutreachAction.objects.create(name="Live Instagram mobilité", kind=OutreachKind.ONLINE),
    }


def errors_of(response):
    return response.context["form"].errors


def test_a_spotted_young_person_needs_an_action(client_for, actions):
    client = client_for("counsellor")
    response = client.post(reverse("referrals:create"), fiche_data(origin="repere"))
    assert errors_of(response)["outreach_action"] == [
        "Choisissez l'action d'aller-vers par laquelle le jeune a été repéré."]
    response = client.post(reverse("referrals:create"), fiche_data(origin="reactive"))
    assert errors_of(response)["outreach_action"] == [
        "Choisissez l'action d'aller-vers par laquelle le jeune a été réactivé."]
    assert not Referral.objects.exists()


def test_the_usual_path_refuses_an_action(client_for, actions):
    response = client_for("counsellor").post(
        reverse("referrals:create"), fiche_data(origin="habituel", outreach_action=actions["own"].pk))
    assert errors_of(response)["outreach_action"][0].startswith("Un jeune venu par le parcours habituel n'a pas")
    assert not Referral.objects.exists()


def test_a_counsellor_picks_only_their_structures_actions_or_open_ones(client_for, actions):
    client = client_for("counsellor")
    page = client.get(reverse("referrals:create")).content.decode()
    assert "Maraude Montreynaud" in page and "Live Instagram mobilité" in page
    assert "Forum Part-Dieu" not in page
    response = client.post(reverse("referrals:create"), fiche_data(origin="repere", outreach_action=actions["other"].pk))
    assert "outreach_action" in errors_of(response)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("origin,action", [("repere", "own"), ("reactive", "open")])
def test_a_sent_fiche_gives_its_cohort_to_the_dossier(client_for, actions, origin, action):
    response = client_for("counsellor").post(
        reverse("referrals:create"), fiche_data(origin=origin, outreach_action=actions[action].pk), follow=True)
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert (referral.origin, referral.outreach_action) == (origin, actions[action])
    assert Dossier.objects.get().origin == origin


def test_a_fiche_without_origin_is_the_usual_path(client_for):
    client_for("counsellor").post(reverse("referrals:create"), fiche_data(), follow=True)
    assert Referral.objects.get().origin == "habituel"
    assert Dossier.objects.get().origin == "habituel"


def test_an_administrator_picks_an_action_of_the_chosen_structure(client_for, actions, structure, other_structure):
    client = client_for("admin")
    response = client.post(reverse("referrals:create"), fiche_data(
        structure=structure.pk, origin="repere", outreach_action=actions["other"].pk))
    assert "outreach_action" in errors_of(response)
    client.post(reverse("referrals:create"), fiche_data(
        structure=other_structure.pk, origin="repere", outreach_action=actions["other"].pk), follow=True)
    assert Referral.objects.get().outreach_action == actions["other"]


# --- The list managers keep ------------------------------------------------------------------------

def test_managers_list_search_create_and_edit_actions(client_for, actions, structure):
    client = client_for("manager")
    page = client.get(reverse("referrals:outreach_actions")).content.decode()
    assert all(a.name in page for a in actions.values())
    page = client.get(reverse("referrals:outreach_actions"), {"q": "maraude"}).content.decode()
    assert "Maraude Montreynaud" in page and "Forum Part-Dieu" not in page
    page = client.get(reverse("referrals:outreach_actions"), {"type": "en_ligne"}).content.decode()
    assert "Live Instagram mobilité" in page and "Maraude Montreynaud" not in page
    assert client.get(reverse("referrals:outreach_action_create")).status_code == 200
    data = {"name": "Tournée des lycées", "structure": structure.pk, "kind": "hors_murs"}
    response = client.post(reverse("referrals:outreach_action_create"), data, follow=True)
    assert "Action « Tournée des lycées » enregistrée." in response.content.decode()
    created = OutreachAction.objects.get(name="Tournée des lycées")
    assert created.structure == structure
    response = client.post(reverse("referrals:outreach_action_edit", args=[created.pk]),
                           {"name": "Tournée des lycées pros", "structure": "", "kind": "evenement"}, follow=True)
    created.refresh_from_db()
    assert (created.name, created.structure, created.kind) == ("Tournée des lycées pros", None, "evenement")


def test_an_action_without_name_is_refused_in_french(client_for):
    response = client_for("manager").post(reverse("referrals:outreach_action_create"), {"name": "", "kind": "autre"})
    assert response.context["form"].errors["name"] == ["Indiquez le nom de l'action."]
    assert not OutreachAction.objects.exists()


def test_deleting_asks_first_and_is_refused_for_a_used_action(client_for, actions, users):
    client = client_for("manager")
    unused = actions["open"]
    page = client.get(reverse("referrals:outreach_action_delete", args=[unused.pk])).content.decode()
    assert "sera supprimée définitivement" in page
    assert OutreachAction.objects.filter(pk=unused.pk).exists()
    client.post(reverse("referrals:outreach_action_delete", args=[unused.pk]))
    assert not OutreachAction.objects.filter(pk=unused.pk).exists()

    used = actions["own"]
    from referrals.tests.factories import ReferralFactory

    ReferralFactory(counsellor=users["counsellor"], origin="repere", outreach_action=used)
    page = client.get(reverse("referrals:outreach_action_delete", args=[used.pk])).content.decode()
    assert "ne peut pas être supprimée : 1 fiche de liaison la nomme." in page
    response = client.post(reverse("referrals:outreach_action_delete", args=[used.pk]), follow=True)
    assert "ne peut pas être supprimée" in response.content.decode()
    assert OutreachAction.objects.filter(pk=used.pk).exists()


@pytest.mark.parametrize("role", ["counsellor", "reception", "mobility"])
def test_only_managers_keep_the_list(client_for, role, actions):
    client = client_for(role)
    assert client.get(reverse("referrals:outreach_actions")).status_code == 403
    assert client.post(reverse("referrals:outreach_action_create"), {"name": "X", "kind": "autre"}).status_code == 403
    assert not OutreachAction.objects.filter(name="X").exists()
