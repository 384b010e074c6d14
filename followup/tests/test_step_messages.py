"""The young person and their referring counsellor are told of each step, through the outbox, through the
staff pages that record the step: one message per recipient and channel, with the link into the space, never
twice when the action is repeated, SMS only when chosen, the counsellor's copy gone once turned off."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import SchemeFactory
from dossiers.enums import DocumentStatus
from dossiers.models import CommissionSession, Document, DocumentType
from dossiers.services import upload_document
from dossiers.tests.factories import YouthFactory, dossier_in_state, validate_all_pieces
from dossiers.workflow import State
from followup.contact import SMS_MAX, set_choice
from ipm.sms import segments
from followup.enums import Channel, ContactChoice, MessageKind
from followup.models import CopyOptOut, SentMessage
from ipm.uploads import MINIMAL_PDF, uploaded_file_for_tests

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "lea.martin@exemple.fr", "+33612345678"  # typed « 06 12 34 56 78 », sent in E.164


def young(choice=None, email=EMAIL, phone="06 12 34 56 78"):
    # « J'accepte de recevoir des SMS » given: without it no SMS goes (test_sms_provider.py).
    youth = YouthFactory(first_name="Léa", last_name="Martin", email=email, phone=phone,
                         sms_consent_at=timezone.now() if phone else None)
    if choice:
        set_choice(youth, choice)
    return youth


def dossier_of(users, structure, state, youth, **kwargs):
    return dossier_in_state(state, users["admin"], structure=structure, youth=youth,
                            referring_counsellor=users["counsellor"], **kwargs)


def messages(kind):
    return list(SentMessage.objects.filter(kind=kind).order_by("channel", "pk"))


def assert_told(kind, link, users, *, sms=True, cc=True):
    """One email to the young person (copy to the counsellor when ``cc``), one SMS when ``sms``; both carry
    the link into the space, the email its HTML alternative; no sign-in token anywhere."""
    rows = messages(kind)
    assert [row.channel for row in rows] == ([Channel.EMAIL, Channel.SMS] if sms else [Channel.EMAIL])
    email = rows[0]
    assert email.recipient == EMAIL
    assert email.cc == (users["counsellor"].email if cc else "")
    assert link in email.body and link in email.html_body and "<a href=" in email.html_body
    assert reverse("space:login") in email.body  # how to sign in, without a token in the message
    if sms:
        assert rows[1].recipient == PHONE and rows[1].body.endswith(link) and len(rows[1].body) <= SMS_MAX
        assert segments(rows[1].body) <= 2
    assert not any("sesame" in row.body or "sesame" in row.html_body for row in rows)
    return rows


def test_a_refused_piece_is_told_once_per_upload_with_its_reason(client_for, users, structure, eager_celery,
                                                                 django_capture_on_commit_callbacks):
    youth = young(ContactChoice.BOTH)
    dossier = dossier_of(users, structure, State.FILE_BUILDING, youth)
    cv = DocumentType.objects.get(name="CV en français", scheme__isnull=True)
    client = client_for("assistant")
    client.post(reverse("dossiers:document_upload", args=[dossier.pk, cv.pk]),
                {f"piece{cv.pk}-file": uploaded_file_for_tests("cv.pdf", MINIMAL_PDF)})
    document = Document.objects.get()
    url = reverse("dossiers:document_review", args=[dossier.pk, document.pk])
    refusal = {f"verif{cv.pk}-status": "refuse", f"verif{cv.pk}-reason": "Illisible — renvoyez une photo nette"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, refusal).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, refusal)  # the same refusal recorded again: told once
    email, text = assert_told(MessageKind.PIECE_REFUSED, reverse("space:pieces", args=[dossier.pk]), users)
    assert "CV en français" in email.body and "Illisible — renvoyez une photo nette" in email.body
    assert "renvoyez-la depuis votre espace" in email.body and "Illisible" in text.body
    [sent] = [m for m in mail.outbox if m.subject == "Pièce à renvoyer : CV en français"]
    assert sent.to == [EMAIL] and sent.cc == [users["counsellor"].email]
    assert sent.alternatives[0].mimetype == "text/html" and "Illisible" in sent.alternatives[0].content
    # Sent again, refused again: a new upload, a new message.
    upload_document(dossier, cv, uploaded_file_for_tests("cv.pdf", MINIMAL_PDF), youth_user(youth))
    client.post(url, refusal)
    assert len(messages(MessageKind.PIECE_REFUSED)) == 4


def youth_user(youth):
    from space.services import account_for

    return account_for(youth).user


def test_the_file_complete_is_told_once_by_email_only_by_default(client_for, users, structure):
    dossier = dossier_of(users, structure, State.FILE_BUILDING, young())
    validate_all_pieces(dossier, users["assistant"])
    last = Document.objects.filter(dossier=dossier).first()
    Document.objects.filter(pk=last.pk).update(status=DocumentStatus.RECEIVED)
    url = reverse("dossiers:document_review", args=[dossier.pk, last.pk])
    client = client_for("assistant")
    for _ in range(2):  # validated, then validated again
        assert client.post(url, {f"verif{last.document_type_id}-status": "valide"}).status_code == 302
    [email] = assert_told(MessageKind.FILE_COMPLETE, reverse("space:dossier", args=[dossier.pk]), users, sms=False)
    assert email.subject == "Dossier complet" and "commission" in email.body


def diagnostic_grid(**extra):
    return {"conducted_on": "2026-11-20", "passport": "valide", "bank_card": "true", "mobility_experience": "false",
            "languages": "anglais", "language_level_self": "A2", "language_level_tested": "A1",
            "motivation": "Veut partir", "professional_project": "Cuisine", "sensible-criminal_record": "neant",
            **extra}


def test_the_diagnostic_outcome_ready_or_oriented(client_for, users, structure):
    ready = dossier_of(users, structure, State.INFO_DONE, young(ContactChoice.BOTH))
    client = client_for("mobility")
    for _ in range(2):  # recorded, then the grid saved again
        assert client.post(reverse("dossiers:diagnostic", args=[ready.pk]), diagnostic_grid(outcome="pret")).status_code == 302
    email, _sms = assert_told(MessageKind.DIAGNOSTIC, reverse("space:dossier", args=[ready.pk]), users)
    assert "prêt(e) à partir" in email.body
    # Oriented, the young person told by SMS only: the counsellor gets the email alone, saying so.
    oriented = dossier_of(users, structure, State.INFO_DONE, young(ContactChoice.SMS, email="", phone=PHONE))
    client.post(reverse("dossiers:diagnostic", args=[oriented.pk]), diagnostic_grid(
        outcome="pas_encore", orientation="formation", orientation_details="CAP cuisine"))
    rows = SentMessage.objects.filter(kind=MessageKind.DIAGNOSTIC, dossier=oriented).order_by("channel")
    assert [(r.channel, r.recipient, r.cc) for r in rows] == [
        (Channel.EMAIL, users["counsellor"].email, ""), (Channel.SMS, PHONE, "")]
    assert "vers une formation (CAP cuisine)" in rows[0].body and "prévenu(e) de ce message par SMS" in rows[0].body
    assert "Ce n'est pas un refus" in rows[1].body and rows[1].body.endswith(reverse("space:dossier", args=[oriented.pk]))


@pytest.fixture
def session():
    return CommissionSession.objects.create(date=datetime.date.today() - datetime.timedelta(days=2))


def on_agenda(users, structure, session, youth):
    dossier = dossier_of(users, structure, State.FILE_BUILDING, youth, scheme=SchemeFactory(name="OUAT"))
    validate_all_pieces(dossier, users["assistant"])
    from dossiers.services import add_to_agenda

    return add_to_agenda(session, dossier, users["assistant"])


def test_a_refusal_tells_the_young_person_what_comes_next(client_for, users, structure, session):
    review = on_agenda(users, structure, session, young(ContactChoice.BOTH))
    url = reverse("dossiers:review", args=[session.pk, review.pk])
    client = client_for("mobility")
    data = {"decision": "refuse", "comment": "Projet à mûrir", "orientation": "formation",
            "orientation_details": "CAP cuisine"}
    assert client.post(url, data).status_code == 302
    client.post(url, data)  # the decision already recorded: refused, nothing told again
    link = reverse("space:dossier", args=[review.dossier_id])
    email, sms = assert_told(MessageKind.DECISION_YOUTH, link, users, cc=False)
    assert "Un refus n'est jamais définitif" in email.body and "vers une formation (CAP cuisine)" in email.body
    assert "jamais définitif" in sms.body
    # The counsellor has their own message (the existing one), once.
    [counsellor] = messages(MessageKind.DECISION)
    assert counsellor.recipient == users["counsellor"].email and "Projet à mûrir" in counsellor.body
    assert counsellor.html_body and "Projet à mûrir" in counsellor.html_body


def test_a_postponement_says_what_is_missing_and_an_acceptance_the_contract(client_for, users, structure, session):
    review = on_agenda(users, structure, session, young())
    Document.objects.filter(dossier=review.dossier, document_type__name="Carte vitale").update(
        status=DocumentStatus.REJECTED)
    client_for("mobility").post(reverse("dossiers:review", args=[session.pk, review.pk]),
                                {"decision": "ajourne", "comment": "Attendre la carte vitale"})
    [email] = assert_told(MessageKind.DECISION_YOUTH, reverse("space:dossier", args=[review.dossier_id]), users,
                          sms=False, cc=False)
    assert "ajourné" in email.body and "Carte vitale" in email.body and "Attendre la carte vitale" in email.body
    other = on_agenda(users, structure, session, young(email="autre@exemple.fr"))
    client_for("mobility").post(reverse("dossiers:review", args=[session.pk, other.pk]), {"decision": "accepte"})
    accepted = SentMessage.objects.get(kind=MessageKind.DECISION_YOUTH, object_key=f"review:{other.pk}")
    assert "votre projet est accepté" in accepted.body and "contrat" in accepted.body


def test_the_contract_ready_and_the_counsellor_turning_the_copy_off(client_for, users, structure, settings,
                                                                    tmp_path):
    from departures.models import HostOrganisation, Stay

    settings.MEDIA_ROOT = tmp_path
    scheme = SchemeFactory(name="OUAT")
    dossier = dossier_of(users, structure, State.ACCEPTED, young(ContactChoice.BOTH), scheme=scheme)
    today = timezone.localdate()
    host = HostOrganisation.objects.create(name="Harbour Hotel", country="IE", town="Dublin", sector="Hôtellerie")
    Stay.objects.create(dossier=dossier, scheme=scheme, host=host, country="IE", city="Dublin",
                        planned_start=today + datetime.timedelta(days=20),
                        planned_end=today + datetime.timedelta(days=110))
    client_for("assistant").post(reverse("departures:contract_generate", args=[dossier.pk]))
    email, _sms = assert_told(MessageKind.CONTRACT_READY, reverse("space:contract", args=[dossier.pk]), users)
    assert "version 1" in email.body
    # The counsellor turns off the contract copies on « Mes notifications » (reached from the menu).
    client = client_for("counsellor")
    page = client.get(reverse("referrals:my_youths")).content.decode()
    assert reverse("followup:my_notifications") in page
    assert client.post(reverse("followup:my_notifications"),
                       {"kinds": ["invitation", "decision", "dossier_complet"]}).status_code == 302
    assert CopyOptOut.objects.filter(user=users["counsellor"], kind=MessageKind.CONTRACT_READY).exists()
    assert not CopyOptOut.objects.filter(user=users["counsellor"], kind=MessageKind.DECISION).exists()
    client_for("assistant").post(reverse("departures:contract_generate", args=[dossier.pk]))
    second = SentMessage.objects.filter(kind=MessageKind.CONTRACT_READY).exclude(pk__in=[email.pk, _sms.pk])
    assert [(m.channel, m.recipient, m.cc) for m in second.order_by("channel")] == [
        (Channel.EMAIL, EMAIL, ""), (Channel.SMS, PHONE, "")]  # the young person is still told, no copy


def test_the_invitation_by_sms_when_chosen_and_without_copy_once_turned_off(users, structure):
    from referrals.meetings import invite
    from referrals.models import Meeting

    meeting = Meeting.objects.create(date=datetime.date.today() + datetime.timedelta(days=7),
                                     start_time=datetime.time(14), place="Salle 2")
    dossier = dossier_of(users, structure, State.RECEIVED, young(ContactChoice.BOTH))
    invitation = invite(meeting, [dossier], users["reception"]).invited[0]
    email, sms = assert_told(MessageKind.INVITATION, reverse("space:meeting", args=[invitation.pk]), users)
    assert email.attachments[0]["name"] == "invitation.ics" and "Salle 2" in sms.body
    CopyOptOut.objects.create(user=users["counsellor"], kind=MessageKind.INVITATION)
    other = dossier_of(users, structure, State.RECEIVED, young(email="sam@exemple.fr", phone=PHONE))
    invite(meeting, [other], users["reception"])
    [row] = SentMessage.objects.filter(kind=MessageKind.INVITATION, dossier=other)  # email only: the default
    assert (row.channel, row.recipient, row.cc) == (Channel.EMAIL, "sam@exemple.fr", "")


def test_the_departure_reminder_a_week_before(users, structure):
    from departures.models import Stay
    from followup.reminders import departure_messages

    scheme = SchemeFactory(name="OUAT")
    dossier = dossier_of(users, structure, State.CONTRACT_SIGNED, young(ContactChoice.BOTH), scheme=scheme)
    day = datetime.date(2027, 3, 1)
    stay = Stay.objects.create(dossier=dossier, scheme=scheme, country="IE", city="Dublin",
                               planned_start=day + datetime.timedelta(days=8))
    assert departure_messages(day) == 0  # eight days before: not yet
    assert departure_messages(day + datetime.timedelta(days=1)) == 2
    assert departure_messages(day + datetime.timedelta(days=2)) == 0  # the next day: nothing twice
    email, sms = assert_told(MessageKind.DEPARTURE, reverse("space:dossier", args=[dossier.pk]), users)
    assert "09/03/2027" in email.body and "Dublin" in email.body and "09/03/2027" in sms.body
    Stay.objects.filter(pk=stay.pk).update(planned_start=day + datetime.timedelta(days=10))  # moved
    assert departure_messages(day + datetime.timedelta(days=4)) == 2


def test_the_followup_link_reaches_the_young_person_by_sms_when_chosen(users, structure):
    from followup.calls import answer_url
    from followup.models import FollowUpCall
    from followup.reminders import followup_link_messages

    dossier = dossier_of(users, structure, State.RETURNED, young(ContactChoice.SMS))
    day = datetime.date(2027, 3, 1)
    call = FollowUpCall.objects.create(dossier=dossier, month=1, due_date=day)
    assert followup_link_messages(day) == 1
    assert followup_link_messages(day) == 0
    [sms] = SentMessage.objects.filter(kind=MessageKind.FOLLOWUP_LINK)
    assert sms.channel == Channel.SMS and sms.recipient == PHONE and len(sms.body) <= SMS_MAX
    assert segments(sms.body) <= 2
    assert answer_url(call).split("/reponse/")[0] + "/reponse/" in sms.body
    assert not SentMessage.objects.filter(kind=MessageKind.FOLLOWUP_LINK, channel=Channel.EMAIL).exists()


def test_the_outbox_keeps_the_html_to_resend_and_scrubs_a_secret_after_sending(eager_celery,
                                                                               django_capture_on_commit_callbacks):
    from followup import outbox

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_message(MessageKind.FILE_COMPLETE, Channel.EMAIL, "dossier:1", "", EMAIL, "Texte", "Objet",
                             html="<p>Texte</p>")
        outbox.queue_message(MessageKind.SPACE_LINK, Channel.EMAIL, "youth:1", "x", EMAIL, "Lien secret", "Lien",
                             html="<p>Lien secret</p>")
    kept, secret = SentMessage.objects.get(kind=MessageKind.FILE_COMPLETE), SentMessage.objects.get(
        kind=MessageKind.SPACE_LINK)
    assert kept.html_body == "<p>Texte</p>"  # enough to send it again as it was
    assert secret.html_body == "" and "Lien secret" not in secret.body
    assert [m.alternatives[0].content for m in mail.outbox] == ["<p>Texte</p>", "<p>Lien secret</p>"]
