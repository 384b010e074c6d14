"""Double submission: the same form posted twice (double click, « renvoyer ») creates nothing twice."""
import datetime
import re

import pytest
from django.urls import reverse

from departures.tests.factories import HostOrganisationFactory, SchemeFactory
from departures.models import Payment, SiteVisit, Stay
from dossiers.tests.factories import dossier_in_state
from dossiers.models import CommissionSession, Dossier, Youth
from dossiers.workflow import State
from ipm.models import FormSubmission
from referrals.models import Meeting, Referral

pytestmark = pytest.mark.django_db

ONCE = "déjà été envoyé (double clic ou page renvoyée)"


def token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def post_twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def test_each_display_of_an_empty_form_has_a_new_token(client_for):
    client = client_for("reception")
    url = reverse("referrals:meeting_create")
    assert token(client.get(url)) != token(client.get(url))


def test_fiche_sent_twice_creates_one_fiche_one_dossier(client_for):
    from referrals.tests.test_fiche import fiche_data

    client = client_for("counsellor")
    url = reverse("referrals:create")
    data = fiche_data(submission_token=token(client.get(url)))
    first, second = post_twice(client, url, data)
    assert first.status_code == 302
    assert ONCE in second.content.decode()
    assert second.redirect_chain[-1][0] == reverse("referrals:my_youths")
    assert (Referral.objects.count(), Youth.objects.count(), Dossier.objects.count()) == (1, 1, 1)


def test_draft_sent_twice_creates_one_draft(client_for):
    from referrals.tests.test_fiche import fiche_data

    client = client_for("counsellor")
    url = reverse("referrals:create")
    data = fiche_data(action="draft", submission_token=token(client.get(url)))
    first, second = post_twice(client, url, data)
    draft = Referral.objects.get()
    assert first["Location"] == reverse("referrals:edit", args=[draft.pk])
    assert second.redirect_chain[-1][0] == reverse("referrals:edit", args=[draft.pk])


def test_a_refused_fiche_keeps_its_token_and_is_then_created_once(client_for):
    from referrals.tests.test_fiche import fiche_data

    client = client_for("counsellor")
    url = reverse("referrals:create")
    sent = token(client.get(url))
    refused = client.post(url, fiche_data(phone="123", submission_token=sent))
    assert refused.status_code == 200 and token(refused) == sent  # nothing consumed by a refused form
    assert not FormSubmission.objects.exists()
    first, second = post_twice(client, url, fiche_data(submission_token=sent))
    assert first.status_code == 302 and ONCE in second.content.decode()
    assert Dossier.objects.count() == 1


def test_meeting_sent_twice_is_created_once(client_for):
    client = client_for("reception")
    url = reverse("referrals:meeting_create")
    data = {"kind": "info_collective", "date": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(),
            "start_time": "14:00", "place": "Salle A", "capacity": "12", "submission_token": token(client.get(url))}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert second.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert ONCE in second.content.decode()


def test_commission_session_sent_twice_is_created_once(client_for):
    client = client_for("mobility")
    url = reverse("dossiers:commission_create")
    data = {"date": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(), "time": "09:30",
            "place": "Salle du conseil", "status": "prevue", "submission_token": token(client.get(url))}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert CommissionSession.objects.count() == 1
    assert ONCE in second.content.decode()


def test_payment_sent_twice_is_recorded_once(client_for, users, structure):
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure, scheme=SchemeFactory())
    client = client_for("assistant")
    url = reverse("departures:copayment", args=[dossier.pk])
    page = client.get(url)
    data = {"action": "payment", "paid_on": datetime.date.today().isoformat(), "amount": "100", "means": "cheque",
            "submission_token": token(page)}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert Payment.objects.count() == 1
    assert ONCE in second.content.decode()
    # A second payment typed on a fresh page is a new payment.
    data["submission_token"] = token(client.get(url))
    assert client.post(url, data).status_code == 302
    assert Payment.objects.count() == 2


def test_site_visit_sent_twice_is_recorded_once(client_for, users, structure):
    scheme = SchemeFactory()
    dossier = dossier_in_state(State.ABROAD, users["admin"], structure=structure, scheme=scheme)
    Stay.objects.create(dossier=dossier, scheme=scheme, country="IE", city="Cork",
                        departure_date=datetime.date.today() - datetime.timedelta(days=20))
    client = client_for("mobility")
    url = reverse("departures:visit_add", args=[dossier.pk])
    data = {"visit_date": datetime.date.today().isoformat(), "met_employer": "on", "assessment": "bien",
            "notes": "Tout va bien.", "submission_token": token(client.get(url))}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert SiteVisit.objects.count() == 1
    assert ONCE in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sendings_create_one_payment(users, structure):
    """Two requests with the same token at the same moment (a double click on a slow server): the second
    waits on the unique constraint until the first commits, then creates nothing."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    from conftest import log_in

    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are tested on PostgreSQL (make test)")
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure, scheme=SchemeFactory())
    url = reverse("departures:copayment", args=[dossier.pk])
    clients = [log_in(Client(), users["assistant"]) for _ in range(2)]
    data = {"action": "payment", "paid_on": datetime.date.today().isoformat(), "amount": "100", "means": "cheque",
            "submission_token": token(clients[0].get(url))}
    start = threading.Barrier(2)
    statuses, errors = [], []

    def send(client):
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:  # shown by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert statuses == [302, 302]
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_different_first_payments_at_the_same_moment(users, structure):
    """Two different payments (two tokens) sent at once on a dossier without co-payment yet: both are
    recorded, on one co-payment — no error from the co-payment created twice."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    from conftest import log_in

    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are tested on PostgreSQL (make test)")
    dossier = dossier_in_state(State.CONTRACT_SIGNED, users["admin"], structure=structure, scheme=SchemeFactory())
    url = reverse("departures:copayment", args=[dossier.pk])
    clients = [log_in(Client(), users["assistant"]) for _ in range(2)]
    payloads = [{"action": "payment", "paid_on": datetime.date.today().isoformat(), "amount": amount,
                 "means": "cheque", "submission_token": token(c.get(url))} for c, amount in zip(clients, ("60", "40"))]
    start = threading.Barrier(2)
    statuses, errors = [], []

    def send(client, data):
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, payloads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and statuses == [302, 302]
    assert sorted(str(p.amount) for p in Payment.objects.all()) == ["40.00", "60.00"]


def test_host_organisation_and_funding_agreement_sent_twice_are_created_once(client_for):
    from departures.models import FundingAgreement, HostOrganisation

    client = client_for("mobility")
    url = reverse("departures:host_create")
    data = {"name": "Harbour Hotel", "country": "IE", "town": "Dublin", "active": "on",
            "submission_token": token(client.get(url))}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert HostOrganisation.objects.count() == 1  # (the second is also refused as the same name, country, town)

    client = client_for("manager")
    scheme = SchemeFactory(name="OUAT")
    url = reverse("departures:funding_create")
    data = {"funder": "erasmus", "year": "2026", "scheme": scheme.pk, "places": "200",
            "submission_token": token(client.get(url))}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert FundingAgreement.objects.count() == 1 and ONCE in second.content.decode()


def test_contract_generated_twice_from_the_same_page_makes_one_version(client_for, users, structure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from departures.models import Contract

    dossier = dossier_in_state(State.ACCEPTED, users["admin"], structure=structure, scheme=SchemeFactory())
    today = datetime.date.today()
    Stay.objects.create(dossier=dossier, scheme=dossier.scheme, host=HostOrganisationFactory(), country="IE",
                        city="Dublin", planned_start=today + datetime.timedelta(days=20),
                        planned_end=today + datetime.timedelta(days=110))  # a contract needs a complete stay
    client = client_for("assistant")
    html = client.get(dossier.get_absolute_url()).content.decode()
    seen = re.search(r'name="seen_version" value="(\d+)"', html).group(1)
    url = reverse("departures:contract_generate", args=[dossier.pk])
    first, second = post_twice(client, url, {"seen_version": seen})
    assert first.status_code == 302
    assert list(Contract.objects.values_list("version", flat=True)) == [1]
    assert "rien n" in second.content.decode()
    # « Régénérer » from the refreshed page makes version 2.
    html = client.get(dossier.get_absolute_url()).content.decode()
    seen = re.search(r'name="seen_version" value="(\d+)"', html).group(1)
    assert seen == "1"
    client.post(url, {"seen_version": seen})
    assert sorted(Contract.objects.values_list("version", flat=True)) == [1, 2]
