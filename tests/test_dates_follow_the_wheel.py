"""Dates follow the wheel (docs/integrity.md): each rule through the page a user would use — refused,
the French message in the page, nothing written — and the explicit override of a legitimate exception,
accepted with its reason and recorded."""
import datetime
import html

import pytest

from ipm.dates import add_months
from django.urls import reverse
from django.utils import timezone

from departures.models import Contract, Incident, SiteVisit, Stay
from departures.tests.factories import SchemeFactory
from dossiers.enums import Decision
from dossiers.models import CommissionReview, CommissionSession, DossierEvent
from dossiers.services import add_to_agenda
from dossiers.tests.factories import DossierFactory, dossier_in_state
from dossiers.workflow import State
from followup.models import FollowUpCall
from referrals.meeting_enums import Attendance
from referrals.meetings import invite
from referrals.models import Meeting, Referral

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def page_of(response):
    return html.unescape(response.content.decode())


def dossier_at(state, users, structure, **kwargs):
    kwargs.setdefault("scheme", SchemeFactory(name="Erasmus+ stage"))
    return dossier_in_state(state, users["admin"], structure=structure, **kwargs)


def stay_for(dossier, **kwargs):
    defaults = dict(scheme=dossier.scheme, country="IE", city="Dublin",
                    planned_start=TODAY() - 30 * DAY, planned_end=TODAY() + 60 * DAY)
    defaults.update(kwargs)
    return Stay.objects.create(dossier=dossier, **defaults)


def event_count(dossier):
    return DossierEvent.objects.filter(dossier=dossier).count()


# --- The sane range of every date -----------------------------------------------------------------

@pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001"])
def test_a_commission_dated_out_of_range_is_refused(client_for, typed):
    response = client_for("mobility").post(reverse("dossiers:commission_create"), {"date": typed, "status": "prevue"})
    assert response.status_code == 200
    page = page_of(response)
    assert "vérifiez l'année" in page
    assert not CommissionSession.objects.exists()


def test_an_event_date_before_the_first_year_or_too_far_ahead_is_refused(client_for, settings):
    client = client_for("reception")
    data = {"kind": "info_collective", "date": "15/06/2011", "start_time": "14:00", "place": "Salle 1"}
    page = page_of(client.post(reverse("referrals:meeting_create"), data))
    assert f"La date doit être en {settings.IPM_FIRST_YEAR} ou après" in page
    far = TODAY().replace(year=TODAY().year + 4)
    page = page_of(client.post(reverse("referrals:meeting_create"), {**data, "date": far.isoformat()}))
    assert "La date ne peut pas dépasser le" in page
    assert not Meeting.objects.exists()


def test_a_birth_date_before_1900_is_refused(client_for):
    response = client_for("counsellor").post(reverse("referrals:create"), {
        "last_name": "Martin", "first_name": "Léa", "birth_date": "31/12/1899", "action": "brouillon",
    })
    assert "La date de naissance doit être le 01/01/1900 ou après" in page_of(response)
    assert not Referral.objects.exists()


# --- Meetings and commission -------------------------------------------------------------------------

def test_present_is_recorded_only_once_the_meeting_has_taken_place(client_for, users, structure):
    dossier = DossierFactory(structure=structure, referring_counsellor=users["counsellor"])
    meeting = Meeting.objects.create(date=TODAY() + 2 * DAY, start_time=datetime.time(14), place="Salle 1")
    invitation = invite(meeting, [dossier], users["reception"], send_email=False).invited[0]
    response = client_for("reception").post(
        reverse("referrals:meeting_attendance", args=[meeting.pk]), {f"presence_{invitation.pk}": "present"},
        follow=True,
    )
    assert f"La réunion du {meeting.date:%d/%m/%Y} n'a pas encore eu lieu" in page_of(response)
    invitation.refresh_from_db()
    dossier.refresh_from_db()
    assert invitation.status == Attendance.INVITED and invitation.attendance_at is None
    assert dossier.state == State.INVITED


def _in_commission(users, structure, session):
    dossier = dossier_at(State.FILE_BUILDING, users, structure, referring_counsellor=users["counsellor"])
    return add_to_agenda(session, dossier, users["assistant"], "Pièces promises")


def test_no_decision_before_the_session(client_for, users, structure):
    session = CommissionSession.objects.create(date=TODAY() + 3 * DAY)
    review = _in_commission(users, structure, session)
    before = event_count(review.dossier)
    response = client_for("mobility").post(reverse("dossiers:review", args=[session.pk, review.pk]),
                                           {"decision": Decision.ACCEPTED, "comment": "Projet solide"})
    assert response.status_code == 200
    assert f"La commission du {session.date:%d/%m/%Y} n'a pas encore eu lieu" in page_of(response)
    review.refresh_from_db()
    assert review.decision == "" and review.dossier.state == State.IN_COMMISSION
    assert event_count(review.dossier) == before


def test_a_decision_by_correspondence_needs_the_confirmed_reason_and_records_it(client_for, users, structure):
    session = CommissionSession.objects.create(date=TODAY() + 3 * DAY)
    review = _in_commission(users, structure, session)
    client = client_for("mobility")
    url = reverse("dossiers:review", args=[session.pk, review.pk])
    data = {"decision": Decision.ACCEPTED, "comment": "Projet solide", "confirm_exceptional_date": "on"}
    response = client.post(url, data)
    assert "Indiquez le motif de cette date exceptionnelle." in page_of(response)
    assert CommissionReview.objects.get(pk=review.pk).decision == ""
    response = client.post(url, {**data, "exceptional_reason": "Décision prise par correspondance (départ urgent)"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == Decision.ACCEPTED and review.dossier.state == State.ACCEPTED
    event = DossierEvent.objects.filter(dossier=review.dossier, to_state=State.ACCEPTED).get()
    assert "Date exceptionnelle confirmée : Décision prise par correspondance (départ urgent)" in event.comment
    assert "Projet solide" in event.comment


def test_a_decision_on_the_session_day_needs_no_override(client_for, users, structure):
    session = CommissionSession.objects.create(date=TODAY())
    review = _in_commission(users, structure, session)
    response = client_for("mobility").get(reverse("dossiers:review", args=[session.pk, review.pk]))
    assert "Je confirme cette date exceptionnelle" not in page_of(response)


# --- Contract, departure, return ---------------------------------------------------------------------

def _generated_contract(dossier, users):
    return Contract.objects.create(dossier=dossier, version=1, generated_by=users["mobility"], pdf="contrats/c.pdf")


def test_the_contract_is_not_signed_before_the_acceptance(client_for, users, structure):
    dossier = dossier_at(State.ACCEPTED, users, structure)
    contract = _generated_contract(dossier, users)
    accepted = timezone.localdate(DossierEvent.objects.get(dossier=dossier, to_state=State.ACCEPTED).created_at)
    response = client_for("mobility").post(reverse("departures:contract_sign", args=[dossier.pk]),
                                           {"signed_on": (accepted - DAY).isoformat()})
    assert f"La signature ne peut pas précéder l'acceptation du dossier par la commission ({accepted:%d/%m/%Y})" \
        in page_of(response)
    contract.refresh_from_db()
    dossier.refresh_from_db()
    assert contract.signed_on is None and dossier.state == State.ACCEPTED


def test_no_departure_before_the_signature(client_for, users, structure):
    dossier = dossier_at(State.CONTRACT_SIGNED, users, structure)
    contract = _generated_contract(dossier, users)
    contract.signed_on = TODAY() - 2 * DAY
    contract.save()
    stay_for(dossier)
    response = client_for("mobility").post(reverse("departures:departure", args=[dossier.pk]),
                                           {"departure_date": (TODAY() - 5 * DAY).isoformat()})
    assert f"Le départ ne peut pas précéder la signature du contrat ({contract.signed_on:%d/%m/%Y})" in page_of(response)
    dossier.refresh_from_db()
    assert dossier.state == State.CONTRACT_SIGNED and dossier.stay.departure_date is None


def test_no_return_before_the_departure_nor_in_the_future(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure)
    stay_for(dossier, departure_date=TODAY() - 10 * DAY, planned_end=TODAY())
    client = client_for("mobility")
    url = reverse("departures:return", args=[dossier.pk])
    page = page_of(client.post(url, {"return_date": (TODAY() - 11 * DAY).isoformat()}))
    assert "La date de retour ne peut pas précéder la date de départ" in page
    page = page_of(client.post(url, {"return_date": (TODAY() + DAY).isoformat()}))
    assert "La date de retour ne peut pas être dans le futur" in page
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD and dossier.stay.return_date is None


def test_an_early_return_is_an_interruption(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure)
    stay_for(dossier, departure_date=TODAY() - 40 * DAY, planned_end=TODAY() + 20 * DAY)
    client = client_for("mobility")
    response = client.post(reverse("departures:return", args=[dossier.pk]), {"return_date": TODAY().isoformat()})
    page = page_of(response)
    assert "plus de 7 jours avant la fin prévue du séjour" in page and "« Retour anticipé »" in page
    dossier.refresh_from_db()
    assert dossier.state == State.ABROAD and dossier.stay.return_date is None
    # The « Retour anticipé » screen records it, with its reason: an interrupted stay.
    response = client.post(reverse("departures:early_return", args=[dossier.pk]),
                           {"return_date": TODAY().isoformat(), "reason": "Mal du pays"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.INTERRUPTED and dossier.stay.interrupted


def test_the_early_return_tolerance_is_the_schemes(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure, scheme=SchemeFactory(early_return_tolerance_days=30))
    stay_for(dossier, departure_date=TODAY() - 40 * DAY, planned_end=TODAY() + 20 * DAY)
    response = client_for("mobility").post(reverse("departures:return", args=[dossier.pk]),
                                           {"return_date": TODAY().isoformat()})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED and not dossier.stay.interrupted


# --- Visits and incidents within the stay ------------------------------------------------------------

def test_a_visit_before_the_departure_is_refused_without_the_override(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure)
    stay = stay_for(dossier, departure_date=TODAY() - 5 * DAY)
    response = client_for("mobility").post(reverse("departures:visit_add", args=[dossier.pk]), {
        "visit_date": (TODAY() - 7 * DAY).isoformat(), "assessment": "bien", "notes": "Rencontre du tuteur",
    })
    page = page_of(response)
    assert "La visite se date pendant le séjour" in page and "Je confirme cette date exceptionnelle" in page
    assert not SiteVisit.objects.filter(stay=stay).exists()


def test_a_visit_just_before_departure_is_accepted_with_its_reason_recorded(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure)
    stay = stay_for(dossier, departure_date=TODAY() - 5 * DAY)
    response = client_for("mobility").post(reverse("departures:visit_add", args=[dossier.pk]), {
        "visit_date": (TODAY() - 7 * DAY).isoformat(), "assessment": "bien", "notes": "Rencontre du tuteur",
        "confirm_exceptional_date": "on", "exceptional_reason": "Visite de l'entreprise avant l'arrivée du jeune",
    })
    assert response.status_code == 302
    visit = SiteVisit.objects.get(stay=stay)
    assert visit.visit_date == TODAY() - 7 * DAY
    assert visit.notes.startswith("Date exceptionnelle confirmée : Visite de l'entreprise avant l'arrivée du jeune")
    assert "Rencontre du tuteur" in visit.notes


def test_an_incident_after_the_return_or_in_the_future_is_refused(client_for, users, structure):
    dossier = dossier_at(State.RETURNED, users, structure)
    stay = stay_for(dossier, departure_date=TODAY() - 60 * DAY, return_date=TODAY() - 10 * DAY)
    client = client_for("mobility")
    url = reverse("departures:incident_add", args=[dossier.pk])
    data = {"occurred_on": (TODAY() - 5 * DAY).isoformat(), "kind": "sante", "description": "Grippe"}
    assert "L'incident se date pendant le séjour" in page_of(client.post(url, data))
    page = page_of(client.post(url, {**data, "occurred_on": (TODAY() + DAY).isoformat()}))
    assert "La date de l'incident ne peut pas être dans le futur." in page
    assert not Incident.objects.filter(stay=stay).exists()


# --- Follow-up calls ---------------------------------------------------------------------------------

def test_a_call_is_not_recorded_before_its_month(client_for, users, structure):
    dossier = dossier_at(State.FOLLOW_UP, users, structure)
    returned = TODAY() - 20 * DAY
    stay_for(dossier, departure_date=TODAY() - 100 * DAY, return_date=returned)
    # Month 2 begins one month after the return (in about ten days): its call waits until then.
    call = FollowUpCall.objects.create(dossier=dossier, month=2, due_date=add_months(returned, 2))
    response = client_for("mobility").post(reverse("followup:record", args=[call.pk]), {
        "reached": "oui", "situation": "emploi_cdi", "employer": "", "notes": "",
        "dossier_version": dossier.version,
    })
    assert f"Le suivi du mois 2 se fait à partir du {add_months(returned, 1):%d/%m/%Y}" in page_of(response)
    call.refresh_from_db()
    assert call.done_at is None and call.attempts == 0
    # Month 1 runs from the return: its call may be recorded now, before its due date.
    first = FollowUpCall.objects.create(dossier=dossier, month=1, due_date=add_months(returned, 1))
    client_for("mobility").post(reverse("followup:record", args=[first.pk]), {
        "reached": "oui", "situation": "emploi_cdi", "employer": "", "notes": "",
        "dossier_version": dossier.version,
    })
    first.refresh_from_db()
    assert first.done_at is not None


def test_a_call_is_not_recorded_before_the_return(client_for, users, structure):
    dossier = dossier_at(State.ABROAD, users, structure)
    stay_for(dossier, departure_date=TODAY() - 30 * DAY)
    call = FollowUpCall.objects.create(dossier=dossier, month=1, due_date=TODAY() - DAY)
    response = client_for("mobility").post(reverse("followup:record", args=[call.pk]), {
        "reached": "non", "notes": "", "dossier_version": dossier.version,
    })
    assert "Le suivi commence après le retour du jeune" in page_of(response)
    call.refresh_from_db()
    assert call.attempts == 0 and call.last_attempt_at is None


def test_the_admin_refuses_an_impossible_date_too(client_for, users):
    """The administrators' back office gets the same sane range: a commission dated 31/12/9999 would
    break its page for good."""
    admin_client = client_for("admin")
    url = reverse("admin:dossiers_commissionsession_add")
    response = admin_client.post(url, {"date": "31/12/9999", "place": "Salle", "status": "prevue",
                                       "notes": "", "external_members": ""})
    assert response.status_code == 200
    assert not CommissionSession.objects.exists()
    page = response.content.decode()
    assert "La date ne peut pas dépasser le" in html.unescape(page)
    ok = admin_client.post(url, {"date": TODAY().strftime("%d/%m/%Y"), "place": "Salle", "status": "prevue",
                                 "notes": "", "external_members": ""})
    assert ok.status_code == 302 and CommissionSession.objects.count() == 1
