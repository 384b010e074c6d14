"""Staff's side of the space: the copy of a contract accepted online, downloaded from the dossier page and
logged like every other download."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import SensitiveAccess
from dossiers.workflow import State
from space.services import accept_contract, account_for
from space.tests.factories import contract_for, youth_with_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(users, structure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    youth, dossier = youth_with_dossier(State.ACCEPTED, users["admin"], structure=structure)
    contract = contract_for(dossier, users["reception"])
    return dossier, contract


def test_staff_download_the_accepted_copy_from_the_dossier_page(client_for, users, accepted):
    dossier, contract = accepted
    url = reverse("space:accepted_contract_pdf", args=[dossier.pk, contract.version])
    client = client_for("mobility")
    assert client.get(url).status_code == 404  # not accepted yet
    assert url not in client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    accept_contract(contract, account_for(dossier.youth).user, "198.51.100.7", "Firefox")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "accepté en ligne" in page and "198.51.100.7" in page and url in page
    response = client.get(url)
    assert response.status_code == 200 and "-v1-accepte.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 3 and "198.51.100.7" in reader.pages[-1].extract_text()
    logged = SensitiveAccess.objects.get(user=users["mobility"], dossier=dossier, action=SensitiveAccess.DOWNLOAD)
    assert "Acceptation en ligne du contrat" in logged.item
    # The structure's counsellor reads the contract, so its copy too; another structure's: 404.
    assert client_for("counsellor").get(url).status_code == 200
    assert client_for("other_counsellor").get(url).status_code == 404
