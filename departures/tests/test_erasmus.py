"""Erasmus+ identifiers, distance bands, grants from unit costs (worked by hand) and the budget."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from departures.enums import UnitCostKind
from departures.erasmus import agreement_stays
from departures.forms import FundingAgreementForm, HostOrganisationForm
from departures.grants import city_coordinates, compute_grant, distance_band, great_circle_km
from departures.budget import budget
from departures.models import GrantPayment, Payment, CoPayment, Platform, UnitCost
from departures.services import quota_for
from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, StayFactory
from dossiers.workflow import State

pytestmark = pytest.mark.django_db
YEAR = 2031  # a call year of the tests' own unit costs (the shipped ones are 2025)


@pytest.fixture
def rates():
    travel = {"10-99": 20, "100-499": 200, "500-1999": 300, "2000-2999": 400, "3000-3999": 500, "4000-7999": 1000, "8000+": 1500}
    for band, amount in travel.items():
        UnitCost.objects.create(call_year=YEAR, kind=UnitCostKind.TRAVEL, band=band, amount=amount)
        UnitCost.objects.create(call_year=YEAR, kind=UnitCostKind.GREEN_TRAVEL, band=band, amount=amount + 50)
    for group, amount in {"1": 80, "2": 70, "3": 60}.items():
        UnitCost.objects.create(call_year=YEAR, kind=UnitCostKind.INDIVIDUAL, country_group=group, amount=amount)
    UnitCost.objects.create(call_year=YEAR, kind=UnitCostKind.INCLUSION, amount=100)


@pytest.mark.parametrize("km,band", [
    (0, None), (9, None), (10, "10-99"), (99, "10-99"), (100, "100-499"), (499, "100-499"), (500, "500-1999"),
    (1999, "500-1999"), (2000, "2000-2999"), (2999, "2000-2999"), (3000, "3000-3999"), (3999, "3000-3999"),
    (4000, "4000-7999"), (7999, "4000-7999"), (8000, "8000+"), (15000, "8000+"),
])
def test_distance_bands_at_their_boundaries(km, band):
    assert distance_band(km) == band


def test_great_circle_distance_and_the_offline_gazetteer():
    assert round(great_circle_km(48.8566, 2.3522, 51.5074, -0.1278)) == 344  # Paris – London
    lyon, dublin = city_coordinates("FR", "Lyon"), city_coordinates("IE", "dublin")
    assert lyon and dublin
    assert 1150 < great_circle_km(*lyon, *dublin) < 1170  # about 1 160 km
    assert city_coordinates("ES", "Séville") == city_coordinates("ES", "Sevilla")  # French name found too
    assert city_coordinates("IE", "Nulle-Part-sur-Mer") is None


def test_the_shipped_unit_costs_of_call_2025_cite_their_source():
    travel = UnitCost.objects.get(call_year=2025, kind=UnitCostKind.TRAVEL, band="500-1999")
    assert travel.amount == Decimal("309") and "Guide du programme Erasmus+ 2025" in travel.source
    assert UnitCost.objects.get(call_year=2025, kind=UnitCostKind.GREEN_TRAVEL, band="500-1999").amount == Decimal("417")
    assert not UnitCost.objects.filter(call_year=2025, kind=UnitCostKind.GREEN_TRAVEL, band="8000+").exists()


def _stay(days=91, country="IE", city="Dublin", **kwargs):
    start = datetime.date(2031, 3, 1)
    return StayFactory(country=country, city=city, departure_date=start,
                       return_date=start + datetime.timedelta(days=days - 1), **kwargs)


def test_grant_worked_by_hand(rates):
    agreement = FundingAgreementFactory(year=YEAR, call_year=YEAR)
    # Dublin (group 1), 91 days, 1 200 km typed on the stay: travel 300 + 91 × 80 + inclusion 100.
    grant = compute_grant(_stay(distance_km_override=1200), agreement, fewer_opportunities=True)
    assert grant.problems == []
    assert [(line.label, line.amount) for line in grant.lines] == [
        ("Voyage", Decimal("300")), ("Soutien individuel", Decimal("7280")), ("Soutien à l'inclusion", Decimal("100"))]
    assert grant.total == Decimal("7680")
    # Green travel to Madrid (group 2), 30 days, 99 km: 20 + 50 green, 30 × 70, no inclusion.
    grant = compute_grant(_stay(30, "ES", "Madrid", distance_km_override=99, green_travel=True), agreement)
    assert grant.total == Decimal("70") + Decimal("2100")
    assert "bande 10 à 99 km, voyage écoresponsable" in grant.lines[0].detail


def test_grant_from_the_computed_distance_lyon_to_dublin(rates):
    Platform.objects.create(city="Lyon", country="FR")
    grant = compute_grant(_stay(10), FundingAgreementFactory(year=YEAR, call_year=YEAR))
    assert grant.band == "500-1999" and grant.lines[0].amount == Decimal("300")
    assert grant.total == Decimal("300") + 10 * Decimal("80")


def test_grant_says_what_is_missing_instead_of_inventing(rates):
    agreement = FundingAgreementFactory(year=YEAR, call_year=YEAR)
    grant = compute_grant(_stay(20, "IE", "Nulle-Part-sur-Mer"), agreement)
    assert grant.total is None
    assert any("distance inconnue" in p for p in grant.problems)
    grant = compute_grant(_stay(20, "US", "Boston", distance_km_override=5000), agreement)
    assert grant.total is None and any("hors des groupes de pays" in p for p in grant.problems)
    assert compute_grant(_stay(20), None).problems == ["aucune convention de financement Erasmus+ pour ce séjour"]


def test_oid_is_checked_with_a_french_message():
    data = {"name": "Hotel", "country": "IE", "town": "Cork", "active": True}
    form = HostOrganisationForm({**data, "oid": "E1234567"})
    assert not form.is_valid()
    assert "E suivi de huit chiffres" in form.errors["oid"][0]
    form = HostOrganisationForm({**data, "oid": "e12345678"})
    assert form.is_valid(), form.errors
    assert form.save().oid == "E12345678"


def test_grant_agreement_number_gives_call_year_and_action(scheme):
    data = {"funder": "erasmus", "year": 2026, "scheme": scheme.pk, "places": 10,
            "grant_agreement_number": "2025-1-fr01-ka122-vet-000123456"}
    form = FundingAgreementForm(data)
    assert form.is_valid(), form.errors
    agreement = form.save()
    assert (agreement.grant_agreement_number, agreement.call_year, agreement.action_type) == (
        "2025-1-FR01-KA122-VET-000123456", 2025, "KA122-VET")
    form = FundingAgreementForm({**data, "funder": "region", "grant_agreement_number": "2025-1-FR01-KA122-VET-000999999"})
    assert not form.is_valid() and "Agence Erasmus+" in form.errors["grant_agreement_number"][0]
    form = FundingAgreementForm({**data, "grant_agreement_number": "KA122-12"})
    assert not form.is_valid() and "2025-1-FR01-KA122-VET-000123456" in form.errors["grant_agreement_number"][0]


def test_budget_beside_the_places(rates, make_dossier, users):
    scheme = make_dossier(State.ABROAD).scheme
    agreement = FundingAgreementFactory(scheme=scheme, year=YEAR, call_year=YEAR, amount=Decimal("8000"),
                                        grant_agreement_number="2031-1-FR01-KA122-VET-000000001")
    start = datetime.date(YEAR, 3, 1)

    def stay(state, days):
        dossier = make_dossier(state)
        return StayFactory(dossier=dossier, scheme=scheme, departure_date=start if state == State.ABROAD else None,
                           planned_start=start, planned_end=start + datetime.timedelta(days=days - 1),
                           return_date=None, distance_km_override=1200)

    abroad = stay(State.ABROAD, 40)        # 300 + 40 × 80 = 3 500
    signed = stay(State.CONTRACT_SIGNED, 50)  # 300 + 50 × 80 = 4 300
    stay(State.DROPPED, 30)                # dropped before leaving: not committed
    assert len(agreement_stays(agreement)) == 3
    GrantPayment.objects.create(stay=abroad, paid_on=start, amount=Decimal("1000"))
    copayment = CoPayment.objects.create(dossier=abroad.dossier, amount_due=Decimal("300"))
    Payment.objects.create(copayment=copayment, paid_on=start, amount=Decimal("120"), means="especes")
    result = budget(agreement)
    assert (result.granted, result.committed, result.paid, result.left) == (
        Decimal("8000"), Decimal("7800"), Decimal("1000"), Decimal("200"))
    assert result.copayments_received == Decimal("120") and not result.over
    assert signed.pk in [line.stay.pk for line in result.lines if line.committed]
    agreement.amount = Decimal("7000")
    agreement.save()
    assert budget(agreement).over and budget(agreement).left == Decimal("-800")


def test_budget_page_and_downloads(rates, make_dossier, client_for):
    dossier = make_dossier(State.ABROAD)
    agreement = FundingAgreementFactory(scheme=dossier.scheme, year=YEAR, call_year=YEAR, amount=Decimal("1000"),
                                        grant_agreement_number="2031-1-FR01-KA122-VET-000000002")
    stay = StayFactory(dossier=dossier, scheme=dossier.scheme, departure_date=datetime.date(YEAR, 3, 1),
                       return_date=datetime.date(YEAR, 3, 10), distance_km_override=1200)
    page = client_for("manager").get(reverse("departures:budget", args=[agreement.pk])).content.decode()
    flat = page.replace("\u202f", "").replace("\xa0", "")
    assert "Dépassement" in page, flat[flat.find("<h1"):flat.find("<h1") + 1500]
    assert "1100,00 €" in flat  # 300 + 10 × 80
    assert "Places" in page and "Restantes" in page
    csv = client_for("mobility").get(reverse("departures:budget_download", args=[agreement.pk, "csv"])).content.decode()
    assert "montant accordé,1000.00" in csv and "montant engagé,1100.00" in csv and "montant restant,-100.00" in csv
    places = quota_for(dossier.scheme, YEAR)
    assert csv.splitlines() == [  # docs/report-formats.md describes this layout
        "poste,montant", f"places accordées,{places.granted}", f"places utilisées,{places.used}",
        f"places restantes,{places.left}", "montant accordé,1000.00", "montant engagé,1100.00", "montant versé,0.00",
        "montant restant,-100.00", "participations reçues,0.00", "mobilités engagées,",
        f"séjour n° {stay.pk} — {dossier.youth},1100.00",
    ]
    pdf = client_for("mobility").get(reverse("departures:budget_download", args=[agreement.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client_for("counsellor").get(reverse("departures:budget", args=[agreement.pk])).status_code == 403


def test_stay_and_grant_pages_show_the_calculation_and_record_payments(rates, make_dossier, client_for):
    dossier = make_dossier(State.ABROAD)
    FundingAgreementFactory(scheme=dossier.scheme, year=YEAR, call_year=YEAR,
                            grant_agreement_number="2031-1-FR01-KA122-VET-000000003")
    StayFactory(dossier=dossier, scheme=dossier.scheme, departure_date=datetime.date(YEAR, 3, 1),
                return_date=datetime.date(YEAR, 3, 10), distance_km_override=1200, host=HostOrganisationFactory())
    client = client_for("mobility")
    page = client.get(reverse("departures:stay_edit", args=[dossier.pk])).content.decode()
    assert "1200 km (saisie manuelle), bande 500 à 1 999 km" in page and "10 jours × 80" in page
    url = reverse("departures:grant", args=[dossier.pk])
    response = client.post(url, {"paid_on": "2026-11-20", "amount": "500", "means": "virement", "notes": "avance"})
    assert response.status_code == 302
    assert GrantPayment.objects.get(stay__dossier=dossier).amount == Decimal("500")
    assert "avance" in client.get(url).content.decode()
    assert client_for("counsellor").post(url, {"paid_on": "2026-11-20", "amount": "5"}).status_code in (403, 404)


def test_learning_agreement_and_europass_drafts_from_the_dossier_page(make_dossier, client_for):
    import io

    from pypdf import PdfReader

    dossier = make_dossier(State.ABROAD)
    host = HostOrganisationFactory(name="Cork Kitchens", town="Cork", oid="E10000002", contact_name="Mary Byrne")
    stay = StayFactory(dossier=dossier, scheme=dossier.scheme, host=host, review_notes="Autonomie en cuisine, anglais courant.")
    stay.visits.create(visit_date=stay.departure_date, assessment="tres_bien", notes="Très bonne intégration.", met_employer=True)
    client = client_for("mobility")
    panel = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("departures:mobility_document", args=[dossier.pk, "europass"]) in panel

    def text(kind):
        response = client.get(reverse("departures:mobility_document", args=[dossier.pk, kind]))
        assert response["Content-Type"] == "application/pdf"
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)

    agreement = text("contrat-pedagogique")
    for expected in ["Learning agreement", "Cork Kitchens", "OID E10000002", "Mary Byrne", "Tâches confiées",
                     "Acquis d'apprentissage attendus", "L'organisation d'accueil"]:
        assert expected in agreement, expected
    europass = text("europass")
    assert "Autonomie en cuisine, anglais courant." in europass and "Très bonne intégration." in europass
    assert client.get(reverse("departures:mobility_document", args=[dossier.pk, "autre"])).status_code == 404
