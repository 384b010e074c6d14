"""No invented contacts, and messages only while they make sense (closing, Europass, overdue stays,
withdrawn invitations, cancelled and moved meetings)."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import StayFactory
from dossiers import transitions
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State
from followup import calls, reminders, tasks
from followup.enums import CallSource, MessageKind
from followup.models import SentMessage
from followup.tests.factories import returned_dossier
from referrals.meeting_enums import Attendance, MeetingKind
from referrals.models import Invitation, Meeting
from reporting.consistency import contact_never_attempted
from tests.factories import UserFactory

D = datetime.date
TODAY = timezone.localdate


@pytest.mark.django_db
def test_closing_marks_months_never_tried_non_realise_and_tried_ones_non_joint(users, client_for):
    admin = users["admin"]
    dossier = returned_dossier(admin, TODAY() - datetime.timedelta(days=200), counsellor=users["mobility"])
    calls.create_due_calls()
    month1, month2 = dossier.followup_calls.get(month=1), dossier.followup_calls.get(month=2)
    calls.record_call(month1, users["mobility"], reached=False)  # one attempt, not reached
    calls.record_call(month2, users["mobility"], reached=True, situation="etudes")
    calls.close_followup(dossier, users["mobility"])
    by_month = {c.month: c for c in dossier.followup_calls.all()}
    assert by_month[1].reached is False and by_month[1].source == CallSource.CLOSING and by_month[1].attempts == 1
    assert by_month[2].reached is True
    for month in (3, 4, 5, 6):
        assert by_month[month].reached is None and by_month[month].not_made and by_month[month].is_done
        assert by_month[month].contact_label == "non réalisé"
    assert by_month[1].contact_label == "non joint"
    # The checker flags only the invented contacts of old (CLOSING, not reached, no attempt).
    assert contact_never_attempted([dossier.pk]) == []
    dossier.followup_calls.filter(month=3).update(reached=False)
    assert [b.detail for b in contact_never_attempted([dossier.pk])] == ["mois 3 marqué comme un contact sans appel ni réponse"]
    dossier.followup_calls.filter(month=3).update(reached=None)
    page = client_for("admin").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert page.count("non réalisé") >= 4 and "non joint" in page


@pytest.mark.django_db(transaction=True)
def test_europass_only_during_a_stay_in_progress(users, eager_celery):
    admin = users["admin"]
    day = D(2026, 5, 10)
    ongoing = dossier_in_state(State.ABROAD, admin, youth__email="en-cours@exemple.fr")
    StayFactory(dossier=ongoing, departure_date=D(2026, 3, 1), planned_end=D(2026, 6, 30), return_date=None)
    overdue = dossier_in_state(State.ABROAD, admin, youth__email="en-retard@exemple.fr")
    StayFactory(dossier=overdue, departure_date=D(2024, 1, 10), planned_end=D(2024, 6, 30), return_date=None)
    back = dossier_in_state(State.ABROAD, admin, youth__email="rentre@exemple.fr")
    StayFactory(dossier=back, departure_date=D(2026, 3, 1), planned_end=D(2026, 6, 30), return_date=D(2026, 5, 1))
    tasks.europass_reminders(day=day.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["en-cours@exemple.fr"]
    assert reminders.europass_messages(day=D(2026, 7, 1)) == 0  # the planned end has passed


@pytest.mark.django_db
def test_overdue_stay_in_the_work_list_with_its_return_link(users, client_for):
    admin = users["admin"]
    overdue = dossier_in_state(State.ABROAD, admin)
    StayFactory(dossier=overdue, departure_date=D(2024, 1, 10), planned_end=D(2024, 6, 30), return_date=None)
    ongoing = dossier_in_state(State.ABROAD, admin)
    StayFactory(dossier=ongoing, departure_date=TODAY() - datetime.timedelta(days=5),
                planned_end=TODAY() + datetime.timedelta(days=30), return_date=None)
    page = client_for("admin").get(reverse("dossiers:worklists") + "?liste=retours").content.decode()
    assert "Retours à enregistrer" in page and "30/06/2024" in page
    assert reverse("departures:return", args=[overdue.pk]) in page
    assert reverse("departures:return", args=[ongoing.pk]) not in page


def meeting_in(days, **kwargs):
    return Meeting.objects.create(date=TODAY() + datetime.timedelta(days=days), start_time=datetime.time(14),
                                  place="Salle 2", **kwargs)


@pytest.mark.django_db(transaction=True)
def test_invitation_withdrawn_when_the_dossier_moves_on_and_no_reminder(users, eager_celery):
    admin = users["admin"]
    dossier = dossier_in_state(State.ABROAD, admin, youth__email="prep@exemple.fr")
    meeting = meeting_in(2, kind=MeetingKind.PREPARATION)
    invitation = Invitation.objects.create(meeting=meeting, dossier=dossier)
    transitions.apply_transition(dossier, State.RETURNED, admin)
    invitation.refresh_from_db()
    assert invitation.status == Attendance.WITHDRAWN and invitation.withdrawn_at is not None
    assert "De retour" in invitation.withdrawn_reason
    assert reminders.meeting_messages() == 0
    assert not SentMessage.objects.filter(kind=MessageKind.MEETING).exists()


def invited_with_counsellor(users, meeting):
    counsellor = UserFactory(username="referent", email="referent@exemple.fr")
    dossier = dossier_in_state(State.INVITED, users["admin"], youth__email="jeune@exemple.fr",
                               referring_counsellor=counsellor)
    return Invitation.objects.create(meeting=meeting, dossier=dossier)


@pytest.mark.django_db(transaction=True)
def test_meeting_moved_tells_the_youth_and_counsellor_once(users, client_for, eager_celery):
    meeting = meeting_in(10, kind=MeetingKind.INFO)
    invitation = invited_with_counsellor(users, meeting)
    client = client_for("admin")
    new_day = (TODAY() + datetime.timedelta(days=12)).isoformat()
    form = {"kind": MeetingKind.INFO, "date": new_day, "start_time": "10:00", "place": "Salle 2"}
    for _ in range(2):
        assert client.post(reverse("referrals:meeting_edit", args=[meeting.pk]), form).status_code == 302
    moved = SentMessage.objects.filter(kind=MessageKind.MEETING_MOVED, object_key=f"invitation:{invitation.pk}")
    assert moved.count() == 1
    message = moved.get()
    assert message.recipient == "jeune@exemple.fr" and message.cc == "referent@exemple.fr"
    assert "10:00" in message.body
    assert len([m for m in mail.outbox if m.subject.startswith("Nouvel horaire")]) == 1
    invitation.refresh_from_db()
    assert invitation.status == Attendance.INVITED  # still invited, at the new time


@pytest.mark.django_db(transaction=True)
def test_meeting_cancelled_tells_them_and_no_reminder(users, client_for, eager_celery):
    meeting = meeting_in(2, kind=MeetingKind.INFO)
    invitation = invited_with_counsellor(users, meeting)
    client = client_for("admin")
    page = client.get(reverse("referrals:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Annuler la réunion" in page and "data-confirm" in page
    for _ in range(2):
        assert client.post(reverse("referrals:meeting_cancel", args=[meeting.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Attendance.WITHDRAWN
    cancelled = SentMessage.objects.filter(kind=MessageKind.MEETING_CANCELLED)
    assert cancelled.count() == 1 and cancelled.get().cc == "referent@exemple.fr"
    assert reminders.meeting_messages() == 0
    assert "Réunion annulée le" in client.get(reverse("referrals:meeting_detail", args=[meeting.pk])).content.decode()


@pytest.mark.django_db
def test_outcomes_report_counts_not_reached_apart_from_never_called(users):
    from reporting import renderers, reports
    from reporting.filters import ReportFilters

    returned_on = TODAY() - datetime.timedelta(days=200)
    tried = returned_dossier(users["admin"], returned_on, counsellor=users["mobility"])
    never = returned_dossier(users["admin"], returned_on, counsellor=users["mobility"])
    calls.create_due_calls()
    calls.record_call(tried.followup_calls.get(month=6), users["mobility"], reached=False)
    for dossier in (tried, never):
        calls.close_followup(dossier, users["mobility"])
    report = reports.build("outcomes", ReportFilters(year_from=returned_on.year, year_to=returned_on.year))
    assert ("Dont inconnu : 1 jeune(s) appelé(s) mais non joint(s) au sixième mois, 1 contact(s) du sixième "
            "mois non réalisé(s) (aucun appel ni réponse enregistré).") in report.notes
    csv = renderers.to_csv(report).decode("utf-8")
    assert csv.startswith("Situation,Nombre,Pourcentage\n") and "inconnu,2,100.0" in csv
