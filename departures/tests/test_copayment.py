"""Co-payment: amount due, payments, balance, waiver with a reason; it never blocks a departure."""
from decimal import Decimal

import pytest
from django.utils import timezone

from departures import services
from departures.models import CoPayment
from dossiers.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(make_dossier):
    return make_dossier(State.ACCEPTED)


def test_balance_is_amount_due_minus_payments(dossier, users):
    services.set_copayment(dossier, Decimal("300"))
    services.record_payment(dossier, users["assistant"], timezone.localdate(), Decimal("100"), "especes")
    services.record_payment(dossier, users["assistant"], timezone.localdate(), Decimal("50.50"), "cheque")
    copayment = CoPayment.objects.get(dossier=dossier)
    assert copayment.paid == Decimal("150.50")
    assert copayment.balance == Decimal("149.50")
    assert not copayment.settled
    services.record_payment(dossier, users["assistant"], timezone.localdate(), Decimal("149.50"), "virement")
    assert CoPayment.objects.get(dossier=dossier).settled


def test_overpayment_leaves_no_negative_balance(dossier, users):
    services.set_copayment(dossier, Decimal("100"))
    services.record_payment(dossier, users["assistant"], timezone.localdate(), Decimal("120"), "especes")
    assert CoPayment.objects.get(dossier=dossier).balance == Decimal("0")


def test_default_amount_comes_from_the_scheme(dossier, users, scheme):
    scheme.default_copayment = Decimal("280")
    scheme.save()
    services.record_payment(dossier, users["assistant"], timezone.localdate(), Decimal("80"), "especes")
    assert CoPayment.objects.get(dossier=dossier).balance == Decimal("200")


def test_waiver_needs_a_reason_and_clears_the_balance(dossier, users):
    services.set_copayment(dossier, Decimal("300"))
    with pytest.raises(services.DepartureError):
        services.waive_copayment(dossier, users["assistant"], "  ")
    copayment = services.waive_copayment(dossier, users["assistant"], "Jeune sans ressources")
    assert copayment.balance == 0 and copayment.waived_by == users["assistant"]
    services.cancel_waiver(dossier)
    assert CoPayment.objects.get(dossier=dossier).balance == Decimal("300")


def test_copayment_page(dossier, client_for):
    client = client_for("assistant")
    url = f"/departs/dossier/{dossier.pk}/participation/"
    assert client.post(url, {"action": "amount", "amount_due": "300"}).status_code == 302
    response = client.post(url, {"action": "payment", "paid_on": timezone.localdate().isoformat(), "amount": "", "means": "especes"})
    assert response.status_code == 200 and "Rien n'a été enregistré" in response.content.decode()
    client.post(url, {"action": "payment", "paid_on": timezone.localdate().isoformat(), "amount": "120", "means": "especes"})
    response = client.get(url)
    assert "180,00 €" in response.content.decode() or "180.00 €" in response.content.decode()
    response = client.post(url, {"action": "waive", "reason": ""})
    assert response.status_code == 200
    assert not CoPayment.objects.get(dossier=dossier).waived
    client.post(url, {"action": "waive", "reason": "Situation financière"})
    assert CoPayment.objects.get(dossier=dossier).waived


def test_unpaid_copayment_does_not_block_departure(make_dossier, planned_stay, users):
    dossier = make_dossier(State.CONTRACT_SIGNED)
    planned_stay(dossier)
    services.set_copayment(dossier, Decimal("300"))
    services.record_departure(dossier, users["mobility"], timezone.localdate())
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD
