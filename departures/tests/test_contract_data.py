"""Contracts only from complete data: destination, host and planned dates known; the co-payment printed is
the co-payment recorded; a host in another country than the stay needs a recorded reason. Through the pages."""
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from departures.models import Contract, CoPayment, HostOrganisation, Stay
from dossiers.workflow import State

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def pdf_text(contract):
    with contract.pdf.open("rb") as handle:
        data = handle.read()
    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def accepted(make_dossier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_dossier(State.ACCEPTED)


def generate(client, dossier):
    return client.post(reverse("departures:contract_generate", args=[dossier.pk]), follow=True)


def test_no_contract_without_a_stay(accepted, client_for):
    response = generate(client_for("assistant"), accepted)
    assert any("Le contrat n'a pas été généré : il manque le séjour" in text for text in texts(response))
    assert not Contract.objects.exists() and not CoPayment.objects.exists()


def test_no_contract_while_destination_host_or_dates_are_missing(accepted, client_for, scheme):
    Stay.objects.create(dossier=accepted, scheme=scheme, country="ES")
    response = generate(client_for("assistant"), accepted)
    [refusal] = [text for text in texts(response) if "n'a pas été généré" in text]
    for missing in ("la ville de destination", "la structure d'accueil", "la date de départ prévue",
                    "la date de retour prévue"):
        assert missing in refusal
    assert "le pays de destination" not in refusal
    assert "à préciser" not in refusal
    assert not Contract.objects.exists() and not CoPayment.objects.exists()


def test_contract_prints_the_recorded_copayment_created_from_the_scheme_default(accepted, client_for, planned_stay,
                                                                               scheme):
    scheme.default_copayment = 180
    scheme.save()
    planned_stay(accepted)
    assert not CoPayment.objects.exists()
    response = generate(client_for("assistant"), accepted)
    copayment = CoPayment.objects.get(dossier=accepted)
    assert copayment.amount_due == 180  # recorded, so the co-payment page knows it
    assert any("participation habituelle du dispositif (180.00 €) a été enregistrée" in text for text in texts(response))
    contract = Contract.objects.get(dossier=accepted)
    assert contract.copayment_amount == 180
    text = pdf_text(contract)
    assert "180,00 €" in text or "180.00 €" in text
    assert "à préciser" not in text
    page = client_for("assistant").get(reverse("departures:copayment", args=[accepted.pk])).content.decode()
    assert "180" in page
    # The amount changed on the co-payment page is the one the next version prints; nothing is said again.
    client_for("assistant").post(reverse("departures:copayment", args=[accepted.pk]),
                                 {"action": "amount", "amount_due": "95"})
    copayment.refresh_from_db()
    assert copayment.amount_due == 95
    response = generate(client_for("assistant"), accepted)
    assert not any("participation habituelle" in text for text in texts(response))
    second = Contract.objects.get(dossier=accepted, version=2)
    assert second.copayment_amount == 95
    assert "95,00 €" in pdf_text(second) or "95.00 €" in pdf_text(second)


def stay_form(host, country, **extra):
    today = timezone.localdate()
    data = {"host": host.pk, "country": country, "city": "Madrid",
            "planned_start": (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
            "planned_end": (today + datetime.timedelta(days=100)).strftime("%d/%m/%Y"),
            "europass_status": "non_commence"}
    data.update(extra)
    return data


def test_a_host_in_another_country_needs_a_recorded_reason(accepted, client_for):
    london = HostOrganisation.objects.create(name="Thames Works", country="GB", town="London")
    client = client_for("assistant")
    url = reverse("departures:stay_edit", args=[accepted.pk])
    response = client.post(url, stay_form(london, "ES"))
    assert response.status_code == 200
    assert "Structure d&#x27;accueil dans un autre pays : précisez pourquoi." in response.content.decode()
    assert not Stay.objects.filter(dossier=accepted).exists()
    response = client.post(url, stay_form(london, "ES", host_country_reason="Siège à Londres, stage à Madrid"))
    assert response.status_code == 302
    stay = Stay.objects.get(dossier=accepted)
    assert stay.host == london and stay.country == "ES"
    assert stay.host_country_reason == "Siège à Londres, stage à Madrid"
    response = generate(client, accepted)
    assert Contract.objects.filter(dossier=accepted).count() == 1


def test_a_host_in_the_stay_country_needs_no_reason(accepted, client_for):
    madrid = HostOrganisation.objects.create(name="Taller Sol", country="ES", town="Madrid")
    response = client_for("assistant").post(reverse("departures:stay_edit", args=[accepted.pk]),
                                            stay_form(madrid, "ES", host_country_reason="inutile"))
    assert response.status_code == 302
    assert Stay.objects.get(dossier=accepted).host_country_reason == ""


def test_contract_refused_for_a_host_abroad_with_no_reason(accepted, client_for, planned_stay):
    london = HostOrganisation.objects.create(name="Thames Works", country="GB", town="London")
    planned_stay(accepted, host=london, country="ES", city="Madrid")  # e.g. recorded before the rule
    response = generate(client_for("assistant"), accepted)
    assert any("le motif d'une structure d'accueil dans un autre pays" in text for text in texts(response))
    assert not Contract.objects.exists()
