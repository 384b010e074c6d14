"""Places used on a scheme: one per dossier accepted in the year, whatever happens next."""
import pytest
from django.utils import timezone

from departures import services
from departures.tests.factories import FundingAgreementFactory, SchemeFactory
from departures.models import QuotaOverrun
from dossiers import transitions, workflow
from dossiers.tests.factories import DossierFactory, YouthFactory
from dossiers.workflow import State

from .conftest import set_acceptance_year

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def row_for(scheme, year=THIS_YEAR):
    return next(r for r in services.quota_summary(year) if r.scheme == scheme)


def test_granted_sums_agreements_of_the_year_and_scheme(scheme):
    FundingAgreementFactory(scheme=scheme, places=8)
    FundingAgreementFactory(scheme=scheme, places=2, funder="region")
    FundingAgreementFactory(scheme=scheme, places=50, year=THIS_YEAR - 1)
    FundingAgreementFactory(scheme=SchemeFactory(name="Job"), places=5)
    row = row_for(scheme)
    assert (row.granted, row.used, row.left) == (10, 0, 10)


def test_accepted_dossiers_use_places_refused_and_not_yet_decided_do_not(make_dossier, scheme):
    FundingAgreementFactory(scheme=scheme, places=5)
    make_dossier(State.ACCEPTED)
    make_dossier(State.CONTRACT_SIGNED)
    make_dossier(State.REFUSED)
    make_dossier(State.IN_COMMISSION)
    make_dossier(State.POSTPONED)
    row = row_for(scheme)
    assert (row.granted, row.used, row.left) == (5, 2, 3)


def test_a_place_stays_used_after_interruption_or_drop(make_dossier, scheme):
    FundingAgreementFactory(scheme=scheme, places=5)
    make_dossier(State.INTERRUPTED)
    dropped = make_dossier(State.ACCEPTED)
    transitions.apply_transition(dropped, State.DROPPED, dropped.events.first().actor)
    make_dossier(State.FOLLOW_UP)
    assert row_for(scheme).used == 3


def test_a_second_departure_of_the_same_young_person_uses_a_second_place(make_dossier, scheme):
    youth = YouthFactory()
    make_dossier(State.FOLLOW_UP, youth=youth)
    make_dossier(State.ACCEPTED, youth=youth)
    assert row_for(scheme).used == 2


def test_a_dossier_counts_once_in_the_year_of_its_first_acceptance(make_dossier, scheme, users):
    dossier = make_dossier(State.ACCEPTED)
    set_acceptance_year(dossier, THIS_YEAR - 1)
    # A second acceptance event for the same dossier this year (e.g. after a correction): not a new place.
    from dossiers.models import DossierEvent

    DossierEvent.objects.create(dossier=dossier, actor=users["admin"], from_state=State.IN_COMMISSION, to_state=State.ACCEPTED)
    assert row_for(scheme, THIS_YEAR - 1).used == 1
    assert row_for(scheme, THIS_YEAR).used == 0


def test_places_are_counted_per_year_and_per_scheme(make_dossier, scheme):
    other = SchemeFactory(name="Chantier de jeunesse")
    last_year = make_dossier(State.ACCEPTED)
    set_acceptance_year(last_year, THIS_YEAR - 1)
    make_dossier(State.ACCEPTED)
    make_dossier(State.ACCEPTED, scheme=other)
    assert row_for(scheme).used == 1
    assert row_for(scheme, THIS_YEAR - 1).used == 1
    assert row_for(other).used == 1


def test_a_scheme_without_agreement_shows_no_quota(make_dossier, scheme):
    make_dossier(State.ACCEPTED)
    row = row_for(scheme)
    assert not row.has_quota and row.used == 1 and not row.over


def test_quota_summary_uses_a_fixed_number_of_queries(make_dossier, scheme, django_assert_max_num_queries):
    FundingAgreementFactory(scheme=scheme, places=5)
    for _ in range(3):
        make_dossier(State.ACCEPTED)
    with django_assert_max_num_queries(3):
        rows = services.quota_summary(THIS_YEAR)
    assert row_for(scheme).used == 3 and rows


def test_accepting_over_quota_asks_for_confirmation_then_records_it(make_dossier, scheme, users):
    FundingAgreementFactory(scheme=scheme, places=1)
    make_dossier(State.ACCEPTED)
    dossier = make_dossier(State.IN_COMMISSION)
    with pytest.raises(services.QuotaExceeded):
        services.accept_dossier(dossier, users["mobility"])
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION
    assert not QuotaOverrun.objects.exists()

    services.accept_dossier(dossier, users["mobility"], "Situation prioritaire", confirm_over_quota=True)
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    overrun = QuotaOverrun.objects.get()
    assert (overrun.dossier, overrun.confirmed_by, overrun.places_granted, overrun.places_used) == (
        dossier, users["mobility"], 1, 1)
    assert row_for(scheme).over


def test_accepting_within_quota_records_no_overrun(make_dossier, scheme, users):
    FundingAgreementFactory(scheme=scheme, places=2)
    dossier = make_dossier(State.IN_COMMISSION)
    services.accept_dossier(dossier, users["assistant"])
    assert not QuotaOverrun.objects.exists()
    assert row_for(scheme).left == 1


def test_accept_page_warns_and_needs_the_checkbox(client_for, make_dossier, scheme):
    FundingAgreementFactory(scheme=scheme, places=0)
    dossier = make_dossier(State.IN_COMMISSION)
    client = client_for("mobility")
    response = client.post(f"/departs/dossier/{dossier.pk}/accepter/", {"comment": ""})
    assert response.status_code == 200
    assert "Plus de place disponible" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION
    response = client.post(f"/departs/dossier/{dossier.pk}/accepter/", {"confirm_over_quota": "on"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    assert QuotaOverrun.objects.filter(dossier=dossier).exists()


def test_quota_panel_renders_places_for_the_year(client_for, make_dossier, scheme):
    from django.template import Context, Template

    FundingAgreementFactory(scheme=scheme, places=4)
    make_dossier(State.ACCEPTED)
    html = Template('{% include "departures/_quota_panel.html" %}').render(Context({"year": THIS_YEAR}))
    assert "OUAT" in html and ">4<" in html and ">1<" in html and ">3<" in html
    html = Template('{% include "departures/_quota_panel.html" %}').render(Context({}))
    assert f"Places {THIS_YEAR}" in html


def test_dossier_without_scheme_is_not_counted(users):
    dossier = DossierFactory()
    transitions.record_creation(dossier, users["admin"])
    for step in workflow.path_to(State.ACCEPTED):
        transitions.apply_transition(dossier, step, users["admin"])
    assert all(r.used == 0 for r in services.quota_summary(THIS_YEAR))


def test_a_refused_transition_records_no_overrun(make_dossier, scheme, users):
    FundingAgreementFactory(scheme=scheme, places=0)
    dossier = make_dossier(State.FILE_BUILDING)  # not in commission: the acceptance is refused
    with pytest.raises(services.DepartureError):
        services.accept_dossier(dossier, users["mobility"], confirm_over_quota=True)
    assert not QuotaOverrun.objects.exists()
