import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dossiers.workflow import State
from followup import calls
from followup.enums import CallSource, Channel, MessageKind, MessageStatus, Situation
from followup.tests.factories import returned_dossier
from followup.models import FollowUpCall, SentMessage

from .conftest import at

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def due_calls(users):
    """Two young people in follow-up: one whose month-1 call is due today, one overdue by two weeks."""
    today = timezone.localdate()
    mobility = users["mobility"]
    on_time = returned_dossier(users["admin"], calls.add_months(today, -1), counsellor=mobility,
                               last_name="Aujourdhui", phone="06 12 34 56 78")
    late = returned_dossier(users["admin"], calls.add_months(today - datetime.timedelta(days=14), -1),
                            counsellor=users["assistant"], last_name="Enretard")
    calls.create_due_calls(today)
    return on_time.followup_calls.get(), late.followup_calls.get()


def test_calls_due_today_and_overdue(client_for, due_calls):
    today_call, late_call = due_calls
    client = client_for("mobility")
    page = client.get(reverse("followup:calls")).content.decode()
    # The counsellor's own calls by default: to do (overdue and due today; the overdue one is not theirs).
    assert "AUJOURDHUI" in page and "ENRETARD" not in page
    assert "06 12 34 56 78" in page
    page = client.get(reverse("followup:calls"), {"view": "retard", "counsellor": ""}).content.decode()
    assert "ENRETARD" in page and "AUJOURDHUI" not in page and "en retard" in page
    page = client.get(reverse("followup:calls"), {"view": "ouverts", "counsellor": "", "q": "enret"}).content.decode()
    assert "ENRETARD" in page and "AUJOURDHUI" not in page


def test_the_list_opens_on_what_needs_doing_overdue_and_today_oldest_first(client_for, due_calls):
    today_call, late_call = due_calls
    client = client_for("assistant")  # the overdue call is theirs: « À faire » by default, not an empty today
    page = client.get(reverse("followup:calls")).content.decode()
    assert 'href="?view=a_faire&amp;counsellor=moi">À faire' in page and "ENRETARD" in page
    assert 'aria-current="page" href="?view=a_faire' in page
    # Everybody's calls: the overdue one first, then today's; the other tabs are still there.
    response = client.get(reverse("followup:calls"), {"counsellor": ""})
    page = response.content.decode()
    assert page.index("ENRETARD") < page.index("AUJOURDHUI")
    assert [c.pk for c in response.context["object_list"]] == [late_call.pk, today_call.pk]
    assert response.context["counts"]["a_faire"] == 2
    for tab in ("aujourdhui", "retard", "injoignables", "ouverts", "realises"):
        assert f"?view={tab}&amp;" in page
    page = client.get(reverse("followup:calls"), {"view": "aujourdhui", "counsellor": ""}).content.decode()
    assert "AUJOURDHUI" in page and "ENRETARD" not in page


def test_pages_closed_to_counsellors_and_managers(client_for, due_calls):
    today_call, _ = due_calls
    for role in ("counsellor", "manager"):
        client = client_for(role)
        assert client.get(reverse("followup:calls")).status_code == 403
        assert client.get(reverse("followup:record", args=[today_call.pk])).status_code == 403
        assert client.get(reverse("followup:messages")).status_code == 403


def test_record_reached_call(client_for, due_calls, users):
    call, _ = due_calls
    client = client_for("mobility")
    response = client.post(reverse("followup:record", args=[call.pk]), {
        "reached": "oui", "situation": Situation.CDD_LONG, "employer": "Hôpital Nord", "notes": "Très content"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.reached and call.done_at and call.situation == Situation.CDD_LONG
    assert call.employer == "Hôpital Nord" and "Très content" in call.notes
    assert call.recorded_by == users["mobility"] and call.source == CallSource.COUNSELLOR
    page = client.get(reverse("dossiers:detail", args=[call.dossier_id])).content.decode()
    assert "Suivi à six mois" in page and "Hôpital Nord" in page and "sortie positive" in page


def test_record_form_error_keeps_input(client_for, due_calls):
    call, _ = due_calls
    response = client_for("mobility").post(reverse("followup:record", args=[call.pk]),
                                           {"reached": "oui", "situation": "", "employer": "Boulangerie Paul"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez la situation du jeune" in page and "Boulangerie Paul" in page
    call.refresh_from_db()
    assert call.attempts == 0 and call.done_at is None


def test_unreached_after_attempts_is_flagged(client_for, due_calls, settings):
    settings.IPM_FOLLOWUP_MAX_ATTEMPTS = 2
    call, _ = due_calls
    client = client_for("mobility")
    for _ in range(2):
        client.post(reverse("followup:record", args=[call.pk]), {"reached": "non", "notes": "Répondeur"})
    call.refresh_from_db()
    assert call.attempts == 2 and call.done_at is None and call.unreachable
    page = client.get(reverse("followup:calls"), {"view": "injoignables"}).content.decode()
    assert "AUJOURDHUI" in page and "injoignable" in page


def test_close_dossier_from_panel_after_month_six(client_for, users):
    dossier = returned_dossier(users["admin"], timezone.localdate() - datetime.timedelta(days=200),
                               counsellor=users["mobility"])
    calls.create_due_calls()
    assert dossier.followup_calls.count() == 6
    client = client_for("mobility")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Clore le dossier (suivi terminé)" in page
    client.post(reverse("followup:close", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    assert dossier.events.last().comment == "Suivi à six mois terminé sans contact au mois 6. Résultat à six mois inconnu."


def test_youth_answers_through_signed_link(client, users):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"], first_name="Inès")
    calls.create_due_calls(D(2026, 2, 10))
    call = dossier.followup_calls.get()
    with time_machine.travel(at(D(2026, 2, 10)), tick=False):
        url = reverse("followup:answer", args=[calls.answer_token(call)])
    with time_machine.travel(at(D(2026, 2, 12)), tick=False):
        page = client.get(url)
        assert page.status_code == 200 and "Bonjour Inès" in page.content.decode()
        client.post(url, {"situation": Situation.TRAINING, "employer": "AFPA", "notes": "Formation de cuisinier"})
    call.refresh_from_db()
    assert call.reached and call.situation == Situation.TRAINING and call.source == CallSource.YOUTH
    assert call.employer == "AFPA" and "Formation de cuisinier" in call.notes
    with time_machine.travel(at(D(2026, 2, 13)), tick=False):
        assert "Déjà répondu" in client.get(url).content.decode()
    with time_machine.travel(at(D(2026, 4, 1)), tick=False):
        assert client.get(url).status_code == 410
    assert client.get(url[:-3] + "abc/").status_code == 404


def test_youth_month6_answer_waits_in_the_work_list_until_staff_close_the_dossier(client, client_for, users):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"], last_name="Sixmois")
    calls.create_due_calls(D(2026, 7, 10))
    month6 = dossier.followup_calls.get(month=6)
    with time_machine.travel(at(D(2026, 7, 10)), tick=False):
        url = reverse("followup:answer", args=[calls.answer_token(month6)])
        client.post(url, {"situation": Situation.CDI, "employer": "Boulangerie Martin"})
    dossier.refresh_from_db()
    assert dossier.state == State.FOLLOW_UP  # a self-declared answer is checked by staff first
    staff = client_for("mobility")
    to_close = reverse("dossiers:worklists") + "?liste=a_clore"
    page = staff.get(to_close).content.decode()
    assert "Suivis à clore" in page and "SIXMOIS" in page
    assert "SIXMOIS" not in staff.get(reverse("dossiers:worklists") + "?liste=a_inviter").content.decode()
    staff.post(reverse("followup:close", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    assert "situation à six mois : En emploi — CDI. Sortie positive." in dossier.events.last().comment
    assert "SIXMOIS" not in staff.get(to_close).content.decode()


def test_failed_message_visible_and_resent(client_for, users, django_capture_on_commit_callbacks):
    message = SentMessage.objects.create(
        kind=MessageKind.EUROPASS, channel=Channel.EMAIL, object_key="stay:1", period="2026-S07",
        recipient="perdu@exemple.fr", body="Texte", subject="Rappel", status=MessageStatus.FAILED, attempts=5,
        last_error="ConnectionRefusedError: refusé")
    client = client_for("assistant")
    page = client.get(reverse("followup:messages")).content.decode()
    assert "perdu@exemple.fr" in page and "ConnectionRefusedError" in page and 'data-confirm="Renvoyer' in page
    assert "en échec" in client.get(reverse("followup:calls")).content.decode()
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("followup:resend", args=[message.pk]))
    finally:
        app.conf.task_always_eager = False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_nav_link_for_platform_staff(client_for):
    assert "Suivi à six mois" in client_for("reception").get("/", follow=True).content.decode()
    assert "Suivi à six mois" not in client_for("counsellor").get("/", follow=True).content.decode()


def test_counsellor_sees_panel_read_only(client_for, users, structure):
    dossier = returned_dossier(users["admin"], D(2026, 1, 10), counsellor=users["mobility"], )
    type(dossier).objects.filter(pk=dossier.pk).update(structure=structure)
    calls.create_due_calls(D(2026, 3, 10))
    page = client_for("counsellor").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Suivi à six mois" in page and "Enregistrer l'appel" not in page
    assert FollowUpCall.objects.filter(dossier=dossier).count() == 2


def test_correcting_a_done_month(client_for, due_calls):
    call, _ = due_calls
    client = client_for("mobility")
    url = reverse("followup:record", args=[call.pk])
    client.post(url, {"reached": "oui", "situation": Situation.CDD_SHORT, "employer": "Intermarché"})
    page = client.get(url).content.decode()
    assert "déjà renseigné" in page and 'value="Intermarché"' in page
    client.post(url, {"reached": "oui", "situation": Situation.CDD_LONG, "employer": "Intermarché"})
    call.refresh_from_db()
    assert call.situation == Situation.CDD_LONG and call.attempts == 1
    client.post(url, {"reached": "non"})
    call.refresh_from_db()
    assert call.reached and call.done_at and call.situation == Situation.CDD_LONG


def test_panel_outcome_at_six_months(client_for, users):
    dossier = returned_dossier(users["admin"], timezone.localdate() - datetime.timedelta(days=200),
                               counsellor=users["mobility"])
    calls.create_due_calls()
    by_month = {c.month: c for c in dossier.followup_calls.all()}
    calls.record_call(by_month[2], users["mobility"], reached=True, situation=Situation.TEMPORARY)
    client = client_for("mobility")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Situation la plus récente" in page and "résultat à six mois pas encore connu" in page
    client.post(reverse("followup:record", args=[by_month[6].pk]), {"reached": "oui", "situation": Situation.CDI})
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Résultat à six mois" in page and "En emploi — CDI" in page
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED
    assert dossier.events.last().comment == "Suivi à six mois terminé — situation à six mois : En emploi — CDI. Sortie positive."
