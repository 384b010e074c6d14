"""The emails the lower apps ask for by signal go through the outbox: recorded in the sender's
transaction under a key (never twice), sent once it commits."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dossiers.enums import Decision
from dossiers.models import CommissionReview, CommissionSession
from dossiers.signals import decision_recorded
from dossiers.tests.factories import DossierFactory, YouthFactory, dossier_in_state
from dossiers.workflow import State
from followup.enums import Channel, MessageKind, MessageStatus
from followup.models import SentMessage
from referrals.meeting_enums import Attendance
from referrals.meetings import invite, record_attendance
from referrals.models import Meeting, Referral
from referrals.services import submit_referral
from referrals.signals import invitations_sent, referral_sent
from referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_new_fiche_one_email_to_every_reception_address_recorded_once(users, settings, eager_celery,
                                                                     django_capture_on_commit_callbacks):
    settings.IPM_RECEPTION_EMAIL = "accueil@plateforme.exemple.fr"
    referral = ReferralFactory(counsellor=users["counsellor"], last_name="Traoré", first_name="Nathan")
    with django_capture_on_commit_callbacks(execute=True):
        dossier, _ = submit_referral(referral, users["counsellor"])
    [email] = mail.outbox
    assert sorted(email.to) == sorted([users["reception"].email, "accueil@plateforme.exemple.fr"])
    assert email.subject == f"Nouvelle fiche de liaison — dossier n° {dossier.pk}"
    assert "Nathan T." in email.body and "Traoré" not in email.body
    assert reverse("dossiers:detail", args=[dossier.pk]) in email.body
    message = SentMessage.objects.get()
    assert (message.kind, message.object_key, message.status, message.dossier) == (
        MessageKind.NEW_REFERRAL, f"dossier:{dossier.pk}", MessageStatus.SENT, dossier)
    # The same signal again (a replay): nothing new recorded, nothing sent again.
    with django_capture_on_commit_callbacks(execute=True):
        referral_sent.send(sender=Referral, referral=referral, dossier=dossier)
    assert SentMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_nothing_is_recorded_when_the_fiche_is_rolled_back(users, eager_celery, django_capture_on_commit_callbacks):
    """Recorded in the sender's transaction: when the sending of the fiche fails after the message was
    written (here a later receiver of the same signal), the message goes with the rollback."""

    def fail(sender, **kwargs):
        raise RuntimeError("panne")

    referral = ReferralFactory(counsellor=users["counsellor"])
    referral_sent.connect(fail, dispatch_uid="test.fail")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            submit_referral(referral, users["counsellor"])
    finally:
        referral_sent.disconnect(dispatch_uid="test.fail")
    assert not SentMessage.objects.exists() and mail.outbox == []
    assert Referral.objects.get().dossier is None


def test_decision_email_to_the_referring_counsellor_recorded_once(users, structure, eager_celery,
                                                                  django_capture_on_commit_callbacks):
    dossier = dossier_in_state(State.IN_COMMISSION, users["admin"], structure=structure,
                               referring_counsellor=users["counsellor"])
    session = CommissionSession.objects.create(date=datetime.date(2026, 12, 3))
    review = CommissionReview.objects.create(session=session, dossier=dossier, decision=Decision.POSTPONED,
                                             comment="Attendre le test de langue")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            decision_recorded.send(sender=CommissionReview, review=review)
    [email] = mail.outbox
    assert email.to == [users["counsellor"].email]
    assert email.subject == f"Décision de la commission — dossier n° {dossier.pk}"
    assert "La commission du 03/12/2026" in email.body and "Attendre le test de langue" in email.body
    message = SentMessage.objects.get()
    assert (message.kind, message.object_key, message.period) == (MessageKind.DECISION, f"review:{review.pk}", "")


def test_invitation_recorded_once_renewed_invitation_sent_again(users, structure, eager_celery,
                                                                django_capture_on_commit_callbacks):
    youth = YouthFactory(email="lea.martin@exemple.fr", first_name="Léa")
    dossier = DossierFactory(youth=youth, structure=structure, referring_counsellor=users["counsellor"])
    meeting = Meeting.objects.create(date=datetime.date.today() + datetime.timedelta(days=7),
                                     start_time=datetime.time(14), place="Salle 2")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(meeting, [dossier], users["reception"]).invited[0]
    with django_capture_on_commit_callbacks(execute=True):
        invitations_sent.send(sender=type(invitation), invitations=[invitation])  # a replay
    assert len(mail.outbox) == 1
    message = SentMessage.objects.get(kind=MessageKind.INVITATION)
    assert (message.recipient, message.cc, message.channel) == (
        "lea.martin@exemple.fr", users["counsellor"].email, Channel.EMAIL)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    # Absent, then invited again to the same meeting: a new invitation, a new email.
    record_attendance(invitation, Attendance.ABSENT, users["reception"])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            assert invite(meeting, [dossier], users["reception"]).invited
    assert SentMessage.objects.filter(kind=MessageKind.INVITATION, status=MessageStatus.SENT).count() == 2
    assert [m.to for m in mail.outbox] == [["lea.martin@exemple.fr"]] * 2
    assert mail.outbox[1].attachments[0][0] == "invitation.ics"


def test_without_email_the_invitation_records_nothing(users, structure):
    dossier = DossierFactory(youth=YouthFactory(email=""), structure=structure, referring_counsellor=None)
    meeting = Meeting.objects.create(date=datetime.date.today() + datetime.timedelta(days=7),
                                     start_time=datetime.time(14))
    assert invite(meeting, [dossier], users["reception"]).invited
    assert not SentMessage.objects.exists()
