"""RGPD: subject-access export (JSON, PDF), erasure by anonymisation (reports unchanged), retention."""
import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from departures.tests.factories import SchemeFactory
from departures.models import Contract, CoPayment, Incident, Payment, SiteVisit, Stay
from dossiers.tests.factories import DossierFactory, YouthFactory, dossier_in_state
from dossiers.models import (
    CommissionReview,
    CommissionSession,
    Diagnostic,
    Document,
    DocumentType,
    DossierEvent,
    SensitiveDiagnostic,
    Youth,
)
from dossiers.workflow import State
from followup.models import FollowUpCall, SentMessage
from privacy import rgpd
from ipm.uploads import MINIMAL_PDF
from referrals.tests.factories import ReferralFactory
from referrals.models import Invitation, Meeting
from reporting.filters import ReportFilters
from reporting.reports import REPORTS

pytestmark = pytest.mark.django_db

SECRET_ALLERGY = "Allergie aux arachides (épipen)"
SECRET_NOTE = "Suivi psychologique au CMP de Firminy"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def rich_youth(users, structure, closed_years_ago=None):
    """A young person with a bit of everything: fiche, timeline, diagnostic and its sensitive items,
    project, a document, a meeting, a commission decision, contract, co-payment, stay, visit, incident,
    follow-up call and a message; the dossier closed (``closed_years_ago`` years ago if given)."""
    actor = users["admin"]
    scheme = SchemeFactory(name="OUAT")
    youth = YouthFactory(last_name="Benali", first_name="Yasmine", birth_date=datetime.date(2002, 5, 17), sex="F",
                         email="yasmine.benali@exemple.fr", phone="0612345678", address="12 rue Victor Hugo",
                         postcode="42100", town="Saint-Étienne", qpv=True, zrr=False, qualification_level="IV")
    when = timezone.now() - datetime.timedelta(days=365 * closed_years_ago + 30) if closed_years_ago else timezone.now()
    with time_machine.travel(when, tick=False):
        dossier = dossier_in_state(State.CLOSED, actor, youth=youth, structure=structure, scheme=scheme,
                                   received_on=(when - datetime.timedelta(days=300)).date())
    DossierEvent.objects.filter(dossier=dossier).update(comment="Échange avec Yasmine Benali")
    ReferralFactory(youth=youth, dossier=dossier, structure=structure, last_name="Benali", first_name="Yasmine",
                    email="yasmine.benali@exemple.fr", motivation="Partir à Dublin avec ma cousine Leïla",
                    comments="Maman très présente")
    diagnostic = Diagnostic.objects.create(dossier=dossier, motivation="Très motivée, parle de sa sœur",
                                           professional_project="Aide-soignante")
    SensitiveDiagnostic.objects.create(diagnostic=diagnostic, allergies=SECRET_ALLERGY, health_notes=SECRET_NOTE)
    doc_type = DocumentType.objects.create(name="Pièce d'identité (test)")
    Document.objects.create(dossier=dossier, document_type=doc_type, file=ContentFile(MINIMAL_PDF, name="cni.pdf"),
                            original_name="CNI Yasmine Benali.pdf", size=len(MINIMAL_PDF))
    meeting = Meeting.objects.create(date=datetime.date(2025, 3, 4), start_time=datetime.time(14), place="Salle A")
    Invitation.objects.create(meeting=meeting, dossier=dossier, comment="Viendra avec sa mère")
    session = CommissionSession.objects.create(date=datetime.date(2025, 4, 1))
    CommissionReview.objects.create(session=session, dossier=dossier, decision="accepte",
                                    comment="Projet solide malgré sa situation familiale")
    Contract.objects.create(dossier=dossier, version=1, pdf=ContentFile(MINIMAL_PDF, name="contrat.pdf"),
                            copayment_amount=Decimal("300"))
    copayment = CoPayment.objects.create(dossier=dossier, amount_due=Decimal("300"), waiver_reason="")
    Payment.objects.create(copayment=copayment, paid_on=datetime.date(2025, 5, 2), amount=Decimal("100"),
                           means="cheque", notes="Chèque de sa tante")
    stay = Stay.objects.create(dossier=dossier, scheme=scheme, country="IE", city="Dublin",
                               departure_date=datetime.date(2025, 6, 1), return_date=datetime.date(2025, 8, 31),
                               accommodation="Famille O'Brien, 4 Main Street", review_notes="Bon bilan")
    SiteVisit.objects.create(stay=stay, visit_date=datetime.date(2025, 7, 1), assessment="bien", notes="RAS")
    Incident.objects.create(stay=stay, occurred_on=datetime.date(2025, 7, 10), kind="sante", description="Grippe")
    FollowUpCall.objects.create(dossier=dossier, month=6, due_date=datetime.date(2026, 2, 28), situation="emploi_cdi",
                                employer="Hôpital Nord", notes="CDI obtenu", done_at=timezone.now(), reached=True)
    SentMessage.objects.create(kind="lien_suivi", channel="email", object_key="call:1", dossier=dossier,
                               recipient="yasmine.benali@exemple.fr", subject="Votre suivi", body="Bonjour Yasmine")
    return youth, dossier


# --- Subject access ----------------------------------------------------------------------------------

def test_json_export_holds_everything(client_for, users, structure):
    youth, dossier = rich_youth(users, structure)
    response = client_for("mobility").get(reverse("privacy:rgpd_export", args=[dossier.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["identity"]["enregistrements"][0]["last_name"] == "Benali"
    assert data["identity"]["enregistrements"][0]["email"] == "yasmine.benali@exemple.fr"
    for key in ("dossiers", "referrals", "timeline", "diagnostics", "sensitive", "projects", "documents",
                "meetings", "commission", "contracts", "copayments", "payments", "stays", "visits", "incidents",
                "calls", "messages"):
        assert key in data, key
    assert data["referrals"]["enregistrements"][0]["motivation"].startswith("Partir à Dublin")
    assert data["sensitive"]["enregistrements"][0]["allergies"] == SECRET_ALLERGY
    assert data["documents"]["enregistrements"][0]["original_name"] == "CNI Yasmine Benali.pdf"
    assert data["meetings"]["enregistrements"][0]["place"] == "Salle A"
    assert data["commission"]["enregistrements"][0]["decision"] == "Accepté"
    assert data["stays"]["enregistrements"][0]["city"] == "Dublin"
    assert data["calls"]["enregistrements"][0]["employer"] == "Hôpital Nord"
    assert data["messages"]["enregistrements"][0]["body"] == "Bonjour Yasmine"
    assert len(data["timeline"]["enregistrements"]) == DossierEvent.objects.filter(dossier=dossier).count()


def test_pdf_export_in_french(client_for, users, structure):
    from pypdf import PdfReader

    youth, dossier = rich_youth(users, structure)
    response = client_for("admin").get(reverse("privacy:rgpd_export", args=[dossier.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Données personnelles détenues sur", "BENALI", "Fiches de liaison", "Historique des étapes",
                     "Éléments sensibles du diagnostic", "Arachides".lower(), "Dublin", "Hôpital Nord", "17/05/2002"):
        assert expected in text or expected in text.lower(), expected


def test_export_of_the_sensitive_items_is_logged_as_a_read(client_for, users, structure):
    from dossiers.models import SensitiveAccess

    youth, dossier = rich_youth(users, structure)
    client_for("mobility").get(reverse("privacy:rgpd_export", args=[dossier.pk, "json"]))
    log = SensitiveAccess.objects.get(dossier=dossier)
    assert (log.user, log.action, log.item) == (users["mobility"], SensitiveAccess.READ, "export RGPD (demande d'accès)")


def test_sensitive_items_only_for_those_who_may_see_them(users, structure):
    youth, _ = rich_youth(users, structure)
    for role, shown in (("mobility", True), ("reception", False), ("manager", False)):
        sections = {s.key: s for s in rgpd.subject_access(youth, users[role])}
        assert bool(sections["sensitive"].records) is shown, role
        assert (SECRET_ALLERGY in rgpd.export_json(youth, users[role]).decode()) is shown, role


@pytest.mark.parametrize("role, status", [
    ("counsellor", 403), ("other_counsellor", 403), ("reception", 403), ("assistant", 403), ("manager", 403),
    ("mobility", 200), ("admin", 200),
])
def test_export_is_for_mobility_staff_and_administrators(client_for, users, structure, role, status):
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=structure)
    assert client_for(role).get(reverse("privacy:rgpd_export", args=[dossier.pk, "json"])).status_code == status


def test_export_anonymous_goes_to_login(client, structure, users):
    dossier = DossierFactory(structure=structure)
    response = client.get(reverse("privacy:rgpd_export", args=[dossier.pk, "json"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_export_buttons_on_the_dossier_page(client_for, users, structure):
    dossier = dossier_in_state(State.RECEIVED, users["admin"], structure=structure)
    html = client_for("mobility").get(dossier.get_absolute_url()).content.decode()
    assert reverse("privacy:rgpd_export", args=[dossier.pk, "pdf"]) in html
    assert reverse("privacy:rgpd_erase", args=[dossier.pk]) not in html  # erasure: administrators only
    html = client_for("admin").get(dossier.get_absolute_url()).content.decode()
    assert reverse("privacy:rgpd_erase", args=[dossier.pk]) in html and "data-confirm" in html
    html = client_for("reception").get(dossier.get_absolute_url()).content.decode()
    assert "rgpd" not in html


# --- Anonymisation -----------------------------------------------------------------------------------

def all_text_of(youth_pk):
    """Every value stored about the person (live rows and, when present, history rows), as one string."""
    from django.apps import apps

    chunks = []
    for model in apps.get_models():
        if model._meta.app_label not in {"dossiers", "referrals", "departures", "followup"}:
            continue
        for row in model.objects.all().values():
            chunks.append(repr(row))
    return "\n".join(chunks)


def test_anonymisation_erases_personal_values(users, structure, media_in_tmp, django_capture_on_commit_callbacks):
    youth, dossier = rich_youth(users, structure)
    files = [Document.objects.get().file.path, Contract.objects.get().pdf.path]
    assert all(__import__("os").path.exists(f) for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        erasure = rgpd.anonymise_youth(youth)
    assert erasure is not None and erasure.dossiers == 1 and erasure.files_deleted == 2
    youth.refresh_from_db()
    assert youth.last_name == "ANONYME" and youth.first_name == "" and youth.email == "" and youth.phone == ""
    assert youth.address == "" and youth.postcode == "" and youth.town == ""
    assert (youth.sex, youth.qpv, youth.zrr, youth.qualification_level) == ("F", True, False, "IV")
    assert youth.birth_date != datetime.date(2002, 5, 17)
    text = all_text_of(youth.pk)
    for secret in ("Benali", "Yasmine", "yasmine.benali", "0612345678", "Victor Hugo", "Leïla", "Maman",
                   "sœur", SECRET_ALLERGY, SECRET_NOTE, "CNI", "situation familiale", "tante", "O'Brien",
                   "Hôpital Nord", "CDI obtenu", "Grippe", "avec sa mère", "Bonjour Yasmine"):
        assert secret not in text, secret
    assert not any(__import__("os").path.exists(f) for f in files)
    assert not Document.objects.exists() and not SensitiveDiagnostic.objects.exists()
    # What the reports need stays: states, dates, schemes, situations.
    dossier.refresh_from_db()
    assert dossier.state == State.CLOSED and dossier.scheme.name == "OUAT"
    assert FollowUpCall.objects.get().situation == "emploi_cdi"
    assert Stay.objects.get().departure_date == datetime.date(2025, 6, 1)
    # Idempotent.
    assert rgpd.anonymise_youth(youth) is None


def test_anonymised_birth_date_keeps_every_age_the_reports_use(users, structure):
    youth = YouthFactory(birth_date=datetime.date(2003, 9, 12))
    d1 = DossierFactory(youth=youth, structure=structure, received_on=datetime.date(2021, 9, 1))  # age 17
    d2 = DossierFactory(youth=youth, structure=structure, received_on=datetime.date(2024, 3, 1))
    stay = Stay.objects.create(dossier=d2, scheme=SchemeFactory(), departure_date=datetime.date(2024, 9, 20))
    before = [youth.age_on(d) for d in (d1.received_on, d2.received_on, stay.departure_date)]
    rgpd.anonymise_youth(youth)
    youth.refresh_from_db()
    assert [youth.age_on(d) for d in (d1.received_on, d2.received_on, stay.departure_date)] == before == [17, 20, 21]
    assert youth.birth_date != datetime.date(2003, 9, 12)


def test_anonymise_scrubs_the_history_rows(users, structure):
    youth, _ = rich_youth(users, structure)
    if getattr(Youth, "history", None) is None:
        pytest.skip("no history (django-simple-history) registered on Youth in this tree")
    Youth.objects.get(pk=youth.pk).save()  # at least one history row holding the names
    assert Youth.history.filter(id=youth.pk, last_name="Benali").exists()
    rgpd.anonymise_youth(youth)
    assert not Youth.history.filter(id=youth.pk, last_name="Benali").exists()
    assert not Youth.history.filter(id=youth.pk, email__contains="benali").exists()


def report_snapshot():
    """Every report of reporting/reports/, over every year, as plain data."""
    snapshot = {}
    for name, build in REPORTS.items():
        report = build(ReportFilters())
        snapshot[name] = (report.columns, [(row.kind, [str(c) for c in row.cells]) for row in report.rows],
                          report.years, json.dumps(report.chart, default=str, sort_keys=True))
    return snapshot


def test_reports_are_identical_after_anonymising_everyone(users, structure):
    call_command("generate_data", youths=120, years=7, seed=7, force=True, stdout=io.StringIO())
    rich_youth(users, structure)
    with time_machine.travel(datetime.date(2023, 2, 28)):
        young = YouthFactory(birth_date=datetime.date(2004, 2, 29))  # leap day, ages exactly at the birthday
        DossierFactory(youth=young, structure=structure, received_on=datetime.date(2022, 2, 28))
    assert Youth.objects.count() > 100
    before = report_snapshot()
    assert sum(len(rows) for _, rows, _, _ in before.values()) > 20
    for youth in Youth.objects.all():
        rgpd.anonymise_youth(youth)
    assert not Youth.objects.exclude(last_name="ANONYME").exists()
    assert report_snapshot() == before


# --- Erasure from the dossier page -------------------------------------------------------------------

def test_administrator_erases_from_the_dossier_page(client_for, users, structure):
    youth, dossier = rich_youth(users, structure)
    response = client_for("admin").post(reverse("privacy:rgpd_erase", args=[dossier.pk]), follow=True)
    assert response.status_code == 200
    assert "Données personnelles effacées" in response.content.decode()
    youth.refresh_from_db()
    assert youth.last_name == "ANONYME"


def test_erasure_refused_while_a_dossier_is_open(client_for, users, structure):
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    response = client_for("admin").post(reverse("privacy:rgpd_erase", args=[dossier.pk]), follow=True)
    assert "encore en cours" in response.content.decode()
    assert Youth.objects.get(pk=dossier.youth_id).last_name != "ANONYME"


@pytest.mark.parametrize("role", ["mobility", "manager", "reception", "counsellor"])
def test_erasure_is_for_administrators_only(client_for, users, structure, role):
    dossier = dossier_in_state(State.CLOSED, users["admin"], structure=structure)
    assert client_for(role).post(reverse("privacy:rgpd_erase", args=[dossier.pk])).status_code == 403
    assert client_for(role).get(reverse("privacy:rgpd_erase", args=[dossier.pk])).status_code in (403, 405)


# --- Retention ---------------------------------------------------------------------------------------

def closed_youth(users, structure, years_ago, state=State.CLOSED):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=int(365.25 * years_ago)), tick=False):
        dossier = dossier_in_state(state, users["admin"], structure=structure)
    return dossier.youth


def run(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_apply_retention(users, structure, settings):
    old = closed_youth(users, structure, 6)
    old_dropped = closed_youth(users, structure, 7, State.DROPPED)
    recent = closed_youth(users, structure, 3)
    # Closed long ago but came back: a newer dossier in progress keeps the person.
    returning = closed_youth(users, structure, 8)
    dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure, youth=returning)

    output = run("--dry-run")
    assert "2 jeune(s) à anonymiser" in output and "Rien n'a été modifié" in output
    assert not Youth.objects.filter(last_name="ANONYME").exists()

    output = run()
    assert "2 jeune(s) anonymisé(s)" in output
    anonymised = set(Youth.objects.filter(last_name="ANONYME").values_list("pk", flat=True))
    assert anonymised == {old.pk, old_dropped.pk}
    assert "0 jeune(s) anonymisé(s)" in run()  # idempotent

    assert "1 jeune(s) anonymisé(s)" in run("--years", "2")
    assert recent.pk in set(Youth.objects.filter(last_name="ANONYME").values_list("pk", flat=True))
    assert Youth.objects.get(pk=returning.pk).last_name != "ANONYME"


def test_retention_years_setting(users, structure, settings):
    closed_youth(users, structure, 4)
    assert "0 jeune(s)" in run("--dry-run")
    settings.IPM_RETENTION_YEARS = 3
    assert "1 jeune(s) à anonymiser" in run("--dry-run")


def test_retention_later_in_time(users, structure):
    """Time passes: a dossier closed today is anonymised five years and a day later, not before."""
    youth = closed_youth(users, structure, 0)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365 * 5 - 2)):
        assert "0 jeune(s) anonymisé(s)" in run()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365 * 5 + 3)):
        assert "1 jeune(s) anonymisé(s)" in run()
    assert Youth.objects.get(pk=youth.pk).last_name == "ANONYME"


def test_monthly_schedule_and_task(users, structure):
    from django_celery_beat.models import PeriodicTask

    from privacy.tasks import apply_retention

    task = PeriodicTask.objects.get(task="ipm.apply_retention")
    assert task.enabled and task.crontab.day_of_month == "1"
    from ipm.models import FormSubmission

    closed_youth(users, structure, 6)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        old_token = FormSubmission.objects.create(token="6f1c2b4e-0000-4000-8000-000000000001")
    recent_token = FormSubmission.objects.create(token="6f1c2b4e-0000-4000-8000-000000000002")
    assert apply_retention() == 1
    assert apply_retention() == 0
    assert list(FormSubmission.objects.all()) == [recent_token] and old_token.pk != recent_token.pk
