"""RGPD: the subject-access export and the erasure (anonymisation) of one young person, and retention.

- ``subject_access(youth, user)``: everything held on one young person, as sections of records — the
  identity, every dossier with its fiche, timeline, diagnostic (sensitive items only for a user who may
  see them), mobility project, documents (the list), meetings, commission decisions, contracts,
  co-payment, stay, visits, incidents, follow-up calls and messages sent. ``export_json`` and
  ``export_pdf`` render it.
- ``anonymise_youth(youth)``: erasure by anonymisation. Names, contact and address go; the birth date
  is replaced by the earliest date giving the same age at every fiche and departure (so that every
  report counts the same); free texts and uploaded files are deleted; the history rows of the audit
  trail (django-simple-history) of these records are scrubbed of the same values. What the reports
  need stays: sex, age at the fiche, levels, QPV/ZRR, dates, states, schemes, situations.
- ``retention_candidates`` / ``apply_retention``: young people all of whose dossiers are closed
  (« clos » or « abandon ») for more than ``IPM_RETENTION_YEARS`` years (default 5) are anonymised —
  by ``python manage.py apply_retention`` and monthly by Celery beat (task ``ipm.apply_retention``).

Nothing here decides who may do it: the views check the capabilities (``ipm.access``).
"""
import datetime
import json
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from ipm.pdf import html_to_pdf

log = logging.getLogger(__name__)

ANONYMOUS_NAME = "ANONYME"
ANONYMOUS_KEY_PREFIX = "anonyme|"


# --- Subject access ----------------------------------------------------------------------------------

@dataclass
class Section:
    key: str
    title: str
    records: list = field(default_factory=list)  # each: list of (name, label, value)
    note: str = ""


# Technical fields that say nothing about the person.
SKIPPED_FIELDS = {"match_key", "search_name", "version"}


def _value(obj, f):
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")() if getattr(obj, f.attname) not in (None, "") else ""
    value = getattr(obj, f.name) if not f.is_relation else getattr(obj, f.name, None)
    if isinstance(f, models.FileField):
        return value.name if value else ""
    if f.is_relation:
        return str(value) if value is not None else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "name") and hasattr(value, "code"):  # django-countries Country
        return value.name if value.code else ""
    if hasattr(value, "as_e164"):  # a phone number (ipm.phones), shown the French way
        return str(value)
    return value


def record(obj, exclude=()):
    """One object as a list of (field name, French label, value) over its concrete fields."""
    rows = []
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in SKIPPED_FIELDS or f.name in exclude:
            continue
        if f.is_relation and f.name in {"dossier", "youth", "diagnostic", "stay", "copayment", "review", "session"}:
            continue
        rows.append((f.name, str(f.verbose_name), _value(obj, f)))
    return rows


def subject_access(youth, user):
    """Everything held on ``youth``, as a list of ``Section``s (in the order of the wheel)."""
    from departures.models import Contract, CoPayment, Incident, Payment, SiteVisit, Stay
    from dossiers.models import (
        CommissionReview,
        CommissionScore,
        Diagnostic,
        Document,
        DossierEvent,
        MobilityProject,
        SensitiveAccess,
        SensitiveDiagnostic,
    )
    from dossiers.services import log_sensitive_access
    from followup.models import FollowUpCall, SentMessage
    from referrals.models import Invitation, Referral

    from ipm.access import can_see_sensitive

    dossiers = list(youth.dossiers.select_related("structure", "scheme", "referring_counsellor", "platform_counsellor")
                    .order_by("received_on", "pk"))
    ids = [d.pk for d in dossiers]

    def numbered(obj, dossier_id, exclude=()):
        return [("dossier", "dossier n°", dossier_id), *record(obj, exclude)]

    sections = [Section("identity", "Identité et coordonnées", [record(youth)])]
    sections.append(Section("dossiers", "Dossiers", [
        [("id", "dossier n°", d.pk), *record(d)] for d in dossiers
    ]))
    sections.append(Section("referrals", "Fiches de liaison", [
        numbered(r, r.dossier_id) for r in Referral.objects.filter(Q(youth=youth) | Q(dossier__in=ids)).distinct()
        .select_related("structure", "counsellor").order_by("created_at")
    ]))
    sections.append(Section("timeline", "Historique des étapes", [
        numbered(e, e.dossier_id) for e in DossierEvent.objects.filter(dossier__in=ids).select_related("actor")
    ]))
    diagnostics = list(Diagnostic.objects.filter(dossier__in=ids).select_related("conducted_by"))
    sections.append(Section("diagnostics", "Diagnostics de mobilité", [numbered(x, x.dossier_id) for x in diagnostics]))
    if can_see_sensitive(user):
        sensitive = list(SensitiveDiagnostic.objects.filter(diagnostic__in=diagnostics).select_related("diagnostic"))
        sections.append(Section("sensitive", "Éléments sensibles du diagnostic", [
            numbered(s, s.diagnostic.dossier_id) for s in sensitive
        ]))
        # The export is a read of the sensitive items: logged like any other read.
        for item in sensitive:
            log_sensitive_access(user, item.diagnostic.dossier, SensitiveAccess.READ, item="export RGPD (demande d'accès)")
    else:
        sections.append(Section("sensitive", "Éléments sensibles du diagnostic", [],
                                note="Réservés aux conseillers mobilité de la plateforme : non inclus."))
    sections.append(Section("projects", "Projets de mobilité", [
        numbered(p, p.dossier_id) for p in MobilityProject.objects.filter(dossier__in=ids).select_related("scheme")
    ]))
    sections.append(Section("documents", "Pièces du dossier (liste)", [
        numbered(doc, doc.dossier_id, exclude=("file",))
        for doc in Document.objects.filter(dossier__in=ids).select_related("document_type", "uploaded_by", "reviewed_by")
    ], note="La liste des pièces ; les fichiers eux-mêmes sont téléchargeables depuis le dossier."))
    sections.append(Section("meetings", "Réunions (invitations et présence)", [
        [("dossier", "dossier n°", i.dossier_id), ("meeting", "réunion", str(i.meeting)),
         ("meeting_date", "date", i.meeting.date), ("place", "lieu", i.meeting.place),
         *record(i, exclude=("meeting",))]
        for i in Invitation.objects.filter(dossier__in=ids).select_related("meeting", "invited_by", "attendance_by")
    ]))
    reviews = list(CommissionReview.objects.filter(dossier__in=ids).select_related("session", "decided_by", "added_by"))
    scores = {}
    for s in CommissionScore.objects.filter(review__in=reviews).select_related("criterion"):
        scores.setdefault(s.review_id, []).append(f"{s.criterion} : {s.score if s.score is not None else '—'}"
                                                 + (f" ({s.comment})" if s.comment else ""))
    sections.append(Section("commission", "Commissions et décisions", [
        [("dossier", "dossier n°", r.dossier_id), ("session", "commission", str(r.session)), *record(r),
         ("scores", "grille d'évaluation", " ; ".join(scores.get(r.pk, [])))]
        for r in reviews
    ]))
    sections.append(Section("contracts", "Contrats d'engagement", [
        numbered(c, c.dossier_id) for c in Contract.objects.filter(dossier__in=ids).select_related("generated_by")
    ]))
    copayments = list(CoPayment.objects.filter(dossier__in=ids))
    sections.append(Section("copayments", "Participation financière", [numbered(c, c.dossier_id) for c in copayments]))
    sections.append(Section("payments", "Paiements", [
        numbered(p, p.copayment.dossier_id) for p in Payment.objects.filter(copayment__in=copayments).select_related("copayment")
    ]))
    stays = list(Stay.objects.filter(dossier__in=ids).select_related("scheme", "host", "review_by"))
    sections.append(Section("stays", "Séjours", [numbered(s, s.dossier_id) for s in stays]))
    sections.append(Section("visits", "Visites in situ", [
        numbered(v, v.stay.dossier_id) for v in SiteVisit.objects.filter(stay__in=stays).select_related("stay", "visited_by")
    ]))
    sections.append(Section("incidents", "Incidents pendant le séjour", [
        numbered(i, i.stay.dossier_id) for i in Incident.objects.filter(stay__in=stays).select_related("stay", "recorded_by")
    ]))
    sections.append(Section("calls", "Suivi à six mois (contacts mensuels)", [
        numbered(c, c.dossier_id) for c in FollowUpCall.objects.filter(dossier__in=ids).select_related("assigned_to", "recorded_by")
    ]))
    from surveys.models import Answer as SurveyAnswer, Response as SurveyResponse
    responses = list(SurveyResponse.objects.filter(survey__dossier__in=ids).select_related("survey", "entered_by"))
    given = {}
    for answer in SurveyAnswer.objects.filter(response__in=responses).order_by("pk"):
        given.setdefault(answer.response_id, []).append(f"{answer.item_code} : {answer.text or answer.value}")
    sections.append(Section("surveys", "Questionnaire de satisfaction et enquêtes après le retour", [
        [("dossier", "dossier n°", r.survey.dossier_id), ("horizon", "moment", r.survey.get_horizon_display()),
         *record(r, exclude=("survey",)), ("answers", "réponses", " ; ".join(given.get(r.pk, [])))]
        for r in responses
    ]))
    sections.append(Section("messages", "Messages envoyés (courriels, SMS)", [
        numbered(m, m.dossier_id) for m in SentMessage.objects.filter(dossier__in=ids)
    ]))
    from network.rgpd import records as network_records

    sections.append(Section("network", "Réseau : ambassadeur et parrainage", [
        [("what", "quoi", str(x._meta.verbose_name)), *record(x)] for x in network_records(youth, ids)]))
    from space.models import ContractAcceptance, InvitationAnswer, RectificationRequest

    sections.append(Section("space", "Espace du jeune (réponses, acceptations, demandes de rectification)", [
        [("what", "quoi", str(x._meta.verbose_name)), *record(x)] for x in [
            *InvitationAnswer.objects.filter(invitation__dossier__in=ids).select_related("invitation__meeting"),
            *ContractAcceptance.objects.filter(contract__dossier__in=ids).select_related("contract", "user"),
            *RectificationRequest.objects.filter(youth=youth).select_related("handled_by")]
    ]))
    return sections


def export_json(youth, user, sections=None):
    """The subject-access export as JSON bytes (UTF-8, readable); ``sections``: another selection
    (the young person's own copy, ``privacy.own_data``)."""
    data = {
        "export": {
            "plateforme": settings.IPM_PLATFORM_NAME,
            "date": timezone.now(),
            "par": str(user),
            "jeune": str(youth),
        },
    }
    for section in subject_access(youth, user) if sections is None else sections:
        data[section.key] = {
            "titre": section.title,
            **({"remarque": section.note} if section.note else {}),
            "enregistrements": [{name: value for name, _label, value in rec} for rec in section.records],
        }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_pdf(youth, user, sections=None):
    """The subject-access export as a PDF (WeasyPrint), in French."""
    html = render_to_string("rgpd/export_pdf.html", {
        "youth": youth, "sections": subject_access(youth, user) if sections is None else sections, "user": user,
        "now": timezone.now(),
        "PLATFORM_NAME": settings.IPM_PLATFORM_NAME,
    })
    return html_to_pdf(html)


# --- Anonymisation -----------------------------------------------------------------------------------

def is_anonymised(youth):
    return youth.match_key.startswith(ANONYMOUS_KEY_PREFIX)


def _earliest_birth_date_for_age(day, age):
    """The earliest birth date giving ``age`` whole years on ``day``: the day after the anniversary of
    ``day`` in year ``day.year - age - 1``."""
    year = day.year - age - 1
    try:
        anniversary = day.replace(year=year)
    except ValueError:  # 29 February in a common year
        anniversary = datetime.date(year, 2, 28)
    return anniversary + datetime.timedelta(days=1)


def reduced_birth_date(youth):
    """A birth date that keeps the person's age at every fiche and every departure — all the reports
    need — and nothing more: the earliest date consistent with those ages (1 January of the birth
    year when the person has no dossier)."""
    from departures.models import Stay

    days = set(youth.dossiers.values_list("received_on", flat=True))
    days |= set(Stay.objects.filter(dossier__youth=youth, departure_date__isnull=False)
                .values_list("departure_date", flat=True))
    if not days:
        return datetime.date(youth.birth_date.year, 1, 1)
    return max(_earliest_birth_date_for_age(day, youth.age_on(day)) for day in days)


@dataclass
class Erasure:
    """What one anonymisation changed (for the command's report and the tests)."""
    youth_id: int
    dossiers: int = 0
    files_deleted: int = 0
    rows_scrubbed: int = 0


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _scrub(model, queryset_or_ids, values, erasure):
    """UPDATE the rows (no save(), so no new history row) and their history rows with ``values``."""
    ids = list(queryset_or_ids.values_list("pk", flat=True)) if hasattr(queryset_or_ids, "values_list") else list(queryset_or_ids)
    if not ids:
        return ids
    live = {k: v for k, v in values.items()}
    erasure.rows_scrubbed += model.objects.filter(pk__in=ids).update(**live)
    _scrub_history(model, ids, values, erasure)
    return ids


def _scrub_history(model, ids, values, erasure):
    history = _history_model(model)
    if history is None or not ids:
        return
    names = {f.name for f in history._meta.concrete_fields}
    hist_values = {k: v for k, v in values.items() if k in names}
    if "history_change_reason" in names:
        hist_values["history_change_reason"] = None if history._meta.get_field("history_change_reason").null else ""
    if hist_values:
        pk_name = model._meta.pk.attname
        erasure.rows_scrubbed += history.objects.filter(**{f"{pk_name}__in": ids}).update(**hist_values)


def _delete_files(queryset, field_names, erasure):
    for obj in queryset:
        for name in field_names:
            fieldfile = getattr(obj, name)
            if fieldfile and fieldfile.name:
                fieldfile.storage.delete(fieldfile.name)
                erasure.files_deleted += 1


def _forget_cached_files(dossier_ids):
    from dossiers.minutes import forget_for_dossiers
    from reporting import cache as report_cache

    forget_for_dossiers(dossier_ids)
    report_cache.bump()


def anonymise_youth(youth):
    """Erase one young person by anonymisation (see the module docstring). Idempotent: a young person
    already anonymised is left as is (returns None)."""
    from departures.models import Contract, CoPayment, Incident, Payment, QuotaOverrun, SiteVisit, Stay
    from dossiers.models import (
        CommissionReview,
        CommissionScore,
        Diagnostic,
        Document,
        Dossier,
        DossierEvent,
        MobilityProject,
        SensitiveDiagnostic,
        Youth,
    )
    from followup.models import FollowUpCall, SentMessage
    from referrals.models import Invitation, Referral
    from ipm.models import User
    from reporting import jobs
    from space.models import ContractAcceptance, InvitationAnswer, RectificationRequest, YouthAccount

    with transaction.atomic():
        youth = Youth.objects.select_for_update().get(pk=youth.pk)
        if is_anonymised(youth):
            return None
        erasure = Erasure(youth.pk)
        birth = reduced_birth_date(youth)
        dossier_ids = list(Dossier.objects.filter(youth=youth).values_list("pk", flat=True))
        erasure.dossiers = len(dossier_ids)
        files_after_commit = []

        _scrub(Youth, [youth.pk], {
            "last_name": ANONYMOUS_NAME, "first_name": "", "birth_date": birth, "nationality": "",
            "email": "", "phone": "", "address": "", "postcode": "", "town": "",
            "match_key": f"{ANONYMOUS_KEY_PREFIX}{youth.pk}", "search_name": "anonyme",
        }, erasure)
        _scrub(Dossier, dossier_ids, {"legacy_reference": None}, erasure)
        referrals = Referral.objects.filter(Q(youth=youth) | Q(dossier__in=dossier_ids))
        _scrub(Referral, referrals, {
            "last_name": ANONYMOUS_NAME, "first_name": "", "birth_date": birth, "nationality": "",
            "email": "", "phone": "", "address": "", "postcode": "", "town": "", "resources_details": "",
            "languages": "", "wished_destination": "", "wished_sector": "", "motivation": "", "availability": "",
            "comments": "", "external_id": "",
        }, erasure)
        _scrub(DossierEvent, DossierEvent.objects.filter(dossier__in=dossier_ids), {"comment": ""}, erasure)
        diagnostics = Diagnostic.objects.filter(dossier__in=dossier_ids)
        _scrub(Diagnostic, diagnostics, {
            "languages": "", "mobility_experience_details": "", "motivation": "", "professional_project": "",
            "orientation_details": "", "passport_valid_until": None,
        }, erasure)
        sensitive = SensitiveDiagnostic.objects.filter(diagnostic__dossier__in=dossier_ids)
        sensitive_ids = _scrub(SensitiveDiagnostic, sensitive, {
            "special_diet": "", "allergies": "", "vaccinations": "", "health_notes": "", "criminal_record": "inconnu",
            "criminal_record_details": "",
        }, erasure)
        SensitiveDiagnostic.objects.filter(pk__in=sensitive_ids).delete()
        _scrub(MobilityProject, MobilityProject.objects.filter(dossier__in=dossier_ids), {"town": "", "sector": ""}, erasure)

        documents = Document.objects.filter(dossier__in=dossier_ids)
        files_after_commit.append((list(documents), ["file"]))
        doc_ids = _scrub(Document, documents, {"original_name": "", "rejection_reason": ""}, erasure)
        _scrub_history(Document, doc_ids, {"file": "", "original_name": "", "rejection_reason": ""}, erasure)
        Document.objects.filter(pk__in=doc_ids).delete()

        reviews = CommissionReview.objects.filter(dossier__in=dossier_ids)
        _scrub(CommissionReview, reviews, {"comment": "", "override_reason": "", "orientation_details": ""}, erasure)
        _scrub(CommissionScore, CommissionScore.objects.filter(review__in=reviews), {"comment": ""}, erasure)
        _scrub(Invitation, Invitation.objects.filter(dossier__in=dossier_ids), {"comment": ""}, erasure)
        # The young person's own space: their words, their machine, and their account (closed).
        _scrub(InvitationAnswer, InvitationAnswer.objects.filter(invitation__dossier__in=dossier_ids), {"reason": ""},
               erasure)
        acceptances = ContractAcceptance.objects.filter(contract__dossier__in=dossier_ids)
        files_after_commit.append((list(acceptances), ["pdf"]))
        _scrub(ContractAcceptance, acceptances, {"ip_address": None, "user_agent": "", "pdf": ""}, erasure)
        _scrub(RectificationRequest, RectificationRequest.objects.filter(youth=youth),
               {"wrong": "", "correct": "", "note": ""}, erasure)
        account_users = YouthAccount.objects.filter(youth=youth).values_list("user", flat=True)
        erasure.rows_scrubbed += User.objects.filter(pk__in=account_users).update(first_name="", is_active=False)

        contracts = Contract.objects.filter(dossier__in=dossier_ids)
        files_after_commit.append((list(contracts), ["pdf", "signed_scan"]))
        _scrub(Contract, contracts, {"pdf": "", "signed_scan": ""}, erasure)
        copayments = CoPayment.objects.filter(dossier__in=dossier_ids)
        _scrub(CoPayment, copayments, {"waiver_reason": ""}, erasure)
        _scrub(Payment, Payment.objects.filter(copayment__in=copayments), {"notes": ""}, erasure)
        _scrub(QuotaOverrun, QuotaOverrun.objects.filter(dossier__in=dossier_ids), {"comment": ""}, erasure)
        stays = Stay.objects.filter(dossier__in=dossier_ids)
        files_after_commit.append((list(stays), ["activity_report"]))
        _scrub(Stay, stays, {
            "interruption_reason": "", "accommodation": "", "travel": "", "review_notes": "", "activity_report": "",
        }, erasure)
        _scrub(SiteVisit, SiteVisit.objects.filter(stay__in=stays), {"notes": ""}, erasure)
        _scrub(Incident, Incident.objects.filter(stay__in=stays), {"description": "", "action_taken": ""}, erasure)
        _scrub(FollowUpCall, FollowUpCall.objects.filter(dossier__in=dossier_ids), {"employer": "", "notes": ""}, erasure)
        # The questionnaires and surveys: the young person's own words go, their choices stay (reports).
        from surveys.models import Answer as SurveyAnswer, Response as SurveyResponse
        _scrub(SurveyAnswer, SurveyAnswer.objects.filter(response__survey__dossier__in=dossier_ids), {"text": ""}, erasure)
        _scrub(SurveyResponse, SurveyResponse.objects.filter(survey__dossier__in=dossier_ids), {"employer": "", "comment": ""}, erasure)
        from network.rgpd import erase as erase_network
        erasure.rows_scrubbed += erase_network(youth, dossier_ids)  # the ambassador record goes
        _scrub(SentMessage, SentMessage.objects.filter(dossier__in=dossier_ids),
               {"recipient": "", "cc": "", "subject": "", "body": "", "attachments": [], "last_error": ""}, erasure)

        # The scrubbing writes with update() (no signal): the cached files go here, at once and again
        # after the commit — the minutes naming the person, and every report file (ages, counts).
        forget_cached_files = partial(_forget_cached_files, dossier_ids)
        forget_cached_files()

        def delete_files():
            forget_cached_files()
            for objects, names in files_after_commit:
                _delete_files(objects, names, erasure)
            # Files of unfinished imports may hold the person's row: deleted, their jobs « échoué ».
            erasure.files_deleted += jobs.forget_unfinished_files()

        # The files go once the anonymisation is committed (a rollback keeps them with their rows).
        transaction.on_commit(delete_files)
    log.info("RGPD : jeune n° %s anonymisé (%s dossier(s), %s ligne(s) nettoyée(s))", erasure.youth_id,
             erasure.dossiers, erasure.rows_scrubbed)
    return erasure
