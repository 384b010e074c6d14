"""RGPD erasure (privacy.rgpd.anonymise_youth) reaches the space: the reason given for declining a
meeting, the IP address and browser of a contract acceptance, and the account (closed)."""
import pytest

from dossiers.workflow import State
from privacy.rgpd import anonymise_youth
from space.models import Answer, ContractAcceptance, InvitationAnswer
from space.services import accept_contract, account_for, answer_invitation
from space.tests.factories import contract_for, invitation_for, youth_with_dossier

pytestmark = pytest.mark.django_db


def test_erasure_scrubs_the_space(users, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    youth, dossier = youth_with_dossier(State.ACCEPTED, users["admin"])
    user = account_for(youth).user
    answer_invitation(invitation_for(dossier, users["reception"]), Answer.DECLINED, "Rendez-vous médical")
    accept_contract(contract_for(dossier, users["reception"]), user, "203.0.113.5", "Mozilla/5.0 Pixel 8")
    kept = ContractAcceptance.objects.get().pdf
    assert kept and kept.storage.exists(kept.name)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_youth(youth)
    assert not kept.storage.exists(kept.name)
    assert InvitationAnswer.objects.get().reason == ""
    acceptance = ContractAcceptance.objects.get()
    assert acceptance.ip_address is None and acceptance.user_agent == "" and acceptance.version == 1
    assert not acceptance.pdf
    user.refresh_from_db()
    assert user.first_name == "" and not user.is_active
