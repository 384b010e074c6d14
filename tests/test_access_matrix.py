"""The access matrix: EVERY URL pattern of the project × every role, and the outcome each role gets.

Columns: anonymous; the counsellor of the dossier's structure; a counsellor of another structure;
reception; mobility counsellor; administrative assistant; manager; administrator.

Outcomes:
  OK     the page (200), or the action done / refused for a business reason (a redirect that is not to
         the login page, or the form shown again with its errors);
  LOGIN  redirect to the login page (anonymous);
  DENY   403 — the role may not use this page;
  HIDE   404 — the object belongs to another structure (it "does not exist" for this user).

Every request runs in a savepoint rolled back afterwards, so that one role's action does not change
what the next role sees. For POST-only endpoints, every refused POST (LOGIN, DENY, HIDE) must also
write nothing (row counts of every table, history included, and the dossiers' state are compared).

A URL pattern that is not in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix`` with its name:
add a line for the new page. Django's administration (``admin:``) has its own staff check, tested apart.
"""
import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import log_in
from departures.tests.factories import FundingAgreementFactory, HostOrganisationFactory, SchemeFactory, StayFactory
from departures.models import Contract, Incident, SiteVisit
from dossiers.tests.factories import dossier_in_state
from dossiers.models import CommissionCriterion, CommissionReview, CommissionSession, Document, DocumentType
from dossiers.workflow import State
from followup.tests.factories import FollowUpCallFactory
from followup.models import SentMessage
from followup.calls import answer_token
from ipm.enums import Role
from tests.factories import UserFactory
from ipm.uploads import MINIMAL_PDF
from referrals.tests.factories import ReferralFactory
from referrals.models import Invitation, Meeting, OutreachAction
from reporting.models import ExportSubscription, ImportJob, PopulationFigure
from space.models import ContractAcceptance, RectificationRequest

pytestmark = pytest.mark.django_db

OK, LOGIN, DENY, HIDE = "OK", "LOGIN", 403, 404
GET, POST = "GET", "POST"
ROLES = ("anonymous", "counsellor", "other_counsellor", "reception", "mobility", "assistant", "manager", "admin")

# Frequent rows (in ROLES order).
#                  anon   own    other  recep  mobil  assis  manag  admin
PUBLIC = (OK, OK, OK, OK, OK, OK, OK, OK)
ANY_USER = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
CASEWORK = (LOGIN, DENY, DENY, OK, OK, OK, DENY, OK)  # platform staff act (no object of a structure)
CASEWORK_DOSSIER = (LOGIN, DENY, DENY, OK, OK, OK, DENY, OK)  # the role check comes before the dossier
READ_ALL = (LOGIN, DENY, DENY, OK, OK, OK, OK, OK)  # staff and managers read
DOSSIER_READ = (LOGIN, OK, HIDE, OK, OK, OK, OK, OK)  # the structure's counsellor reads its own dossiers
COUNSELLOR = (LOGIN, OK, OK, DENY, DENY, DENY, DENY, OK)  # fiches de liaison
COUNSELLOR_OWN = (LOGIN, OK, HIDE, DENY, DENY, DENY, DENY, OK)  # one fiche of the structure
REPORTS = (LOGIN, OK, OK, OK, OK, OK, OK, OK)  # counsellors see their structure's figures
MANAGERS = (LOGIN, DENY, DENY, DENY, DENY, DENY, OK, OK)  # reference data, import, audit log
SCHEDULES = (LOGIN, HIDE, HIDE, HIDE, HIDE, HIDE, OK, OK)  # « Mes exports programmés »: hidden from the others
SCHEDULE_OWN = (LOGIN, HIDE, HIDE, HIDE, HIDE, HIDE, OK, HIDE)  # one subscription: its owner (the manager) only
YOUTH_ONLY = (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY)  # the young person's space (tests/test_access_youth.py)
PAIRING = (LOGIN, OK, OK, OK, OK, OK, DENY, OK)  # pairs: staff, and a counsellor for their structure
PAIRING_OWN = (LOGIN, OK, HIDE, OK, OK, OK, DENY, OK)

# url name → (method, objects used for the URL's arguments, outcome per role in ROLES order).
# The arguments name an entry of ``url_kwargs`` below.
MATRIX = {
    # --- Accounts ------------------------------------------------------------------------------------
    "home": (GET, None, ANY_USER),
    "login": (GET, None, PUBLIC),
    "accessibility": (GET, None, PUBLIC),
    "logout": (POST, None, (LOGIN,) * 8),  # logging out leads to the login page
    "password_change": (GET, None, ANY_USER),
    "password_change_done": (GET, None, ANY_USER),
    "password_reset": (GET, None, PUBLIC),
    "password_reset_done": (GET, None, PUBLIC),
    "password_reset_confirm": (GET, "reset_link", PUBLIC),
    "password_reset_complete": (GET, None, PUBLIC),
    "otp_verify": (GET, None, ANY_USER),
    "otp_setup": (GET, None, ANY_USER),
    "account_security": (GET, None, ANY_USER),
    "otp_backup_codes": (GET, None, ANY_USER),
    "otp_backup_codes_regenerate": (GET, None, ANY_USER),
    "privacy:audit_log": (GET, None, MANAGERS),
    # --- The API of the structures' systems (a token, never a session: tests in api/tests/) -------------
    "api:fiches": (GET, None, (401,) * 8),
    "api:fiche": (GET, "draft_id", (401,) * 8),
    "api:reports": (GET, None, (401,) * 8),
    "api:report": (GET, "report_name", (401,) * 8),
    "api:schema": (GET, None, PUBLIC),
    "api:docs": (GET, None, PUBLIC),
    "api:tokens": (GET, None, MANAGERS),
    "api:token_create": (GET, None, MANAGERS),
    "api:token_revoke": (GET, "api_token", MANAGERS),
    # --- Fiches de liaison and meetings ---------------------------------------------------------------
    "referrals:my_youths": (GET, None, COUNSELLOR),
    "referrals:create": (GET, None, COUNSELLOR),
    "referrals:edit": (GET, "draft", COUNSELLOR_OWN),
    "referrals:delete": (POST, "draft", COUNSELLOR_OWN),
    "referrals:outreach_actions": (GET, None, MANAGERS),  # the « aller-vers » actions (reference data)
    "referrals:outreach_action_create": (GET, None, MANAGERS),
    "referrals:outreach_action_edit": (GET, "outreach_action", MANAGERS),
    "referrals:outreach_action_delete": (GET, "outreach_action", MANAGERS),  # asks first (a used one: refused)
    "referrals:meeting_list": (GET, None, READ_ALL),
    "referrals:meeting_create": (GET, None, CASEWORK),
    "referrals:meeting_invite": (POST, None, CASEWORK),
    "referrals:meeting_detail": (GET, "meeting", READ_ALL),
    "referrals:meeting_edit": (GET, "meeting", CASEWORK),
    "referrals:meeting_delete": (POST, "meeting", CASEWORK),
    "referrals:meeting_cancel": (POST, "meeting", CASEWORK),
    "referrals:meeting_attendance": (POST, "meeting", CASEWORK),
    "referrals:meeting_ics": (GET, "meeting", READ_ALL),
    "referrals:invitation_ics": (GET, "invitation", READ_ALL),
    "referrals:invitation_withdraw": (POST, "invitation", CASEWORK),
    # --- Dossiers -------------------------------------------------------------------------------------
    "dossiers:inbox": (GET, None, READ_ALL),
    "dossiers:worklists": (GET, None, READ_ALL),
    "dossiers:detail": (GET, "dossier:received", DOSSIER_READ),
    "dossiers:transition": (POST, "dossier:received", CASEWORK_DOSSIER),
    "dossiers:diagnostic": (GET, "dossier:info_done", READ_ALL),  # sensitive items: mobility and admin only
    "dossiers:project": (GET, "dossier:building", CASEWORK_DOSSIER),
    "dossiers:documents": (GET, "dossier:building", DOSSIER_READ),
    "dossiers:document_upload": (POST, "upload_slot", (LOGIN, OK, HIDE, OK, OK, OK, DENY, OK)),  # + counsellor
    # The files (a health form…) go to platform staff only; the dossier is looked up first.
    "dossiers:document_download": (GET, "document", (LOGIN, DENY, HIDE, OK, OK, OK, DENY, OK)),
    "dossiers:document_review": (POST, "document", CASEWORK_DOSSIER),
    "dossiers:document_delete": (POST, "document", CASEWORK_DOSSIER),
    "dossiers:youth_merge_search": (GET, "dossier:received", CASEWORK_DOSSIER),
    "dossiers:youth_merge": (GET, "youth_pair", CASEWORK),
    "dossiers:checklist": (GET, None, READ_ALL),  # read by staff; changed by managers and admins
    "dossiers:document_type_create": (GET, None, MANAGERS),
    "dossiers:document_type_edit": (GET, "piece_type", MANAGERS),
    "dossiers:document_type_activation": (POST, "piece_type", MANAGERS),
    "dossiers:document_type_delete": (GET, "piece_type", MANAGERS),  # asks first (a used piece: deactivate)
    # RGPD: the subject-access export (mobility counsellors, admins) and the erasure (admins).
    "privacy:rgpd_export": (GET, "rgpd_export", (LOGIN, DENY, DENY, DENY, OK, DENY, DENY, OK)),
    "privacy:rgpd_erase": (POST, "dossier:received", (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, OK)),
    "dossiers:commission_list": (GET, None, READ_ALL),
    "dossiers:commission_create": (GET, None, CASEWORK),
    "dossiers:commission_detail": (GET, "session", READ_ALL),
    "dossiers:commission_edit": (GET, "session", CASEWORK),
    "dossiers:agenda_add": (POST, "session", CASEWORK),
    "dossiers:agenda_remove": (POST, "review", CASEWORK),
    "dossiers:review": (GET, "review", READ_ALL),
    "dossiers:minutes": (GET, "session", READ_ALL),
    "dossiers:criteria": (GET, None, MANAGERS),  # the commission's evaluation grid
    "dossiers:criterion_create": (GET, None, MANAGERS),
    "dossiers:criterion_edit": (GET, "criterion", MANAGERS),
    "dossiers:criterion_activation": (POST, "criterion", MANAGERS),
    "dossiers:criterion_delete": (GET, "criterion", MANAGERS),
    # --- Departures -----------------------------------------------------------------------------------
    "departures:stays": (GET, None, READ_ALL),
    "departures:upcoming": (GET, None, READ_ALL),
    "departures:accept": (GET, "dossier:accepted", CASEWORK_DOSSIER),
    "departures:stay_edit": (GET, "dossier:accepted", CASEWORK_DOSSIER),
    "departures:contract_generate": (POST, "dossier:accepted", CASEWORK_DOSSIER),
    "departures:contract_sign": (GET, "dossier:signed", CASEWORK_DOSSIER),
    "departures:contract_pdf": (GET, "contract", DOSSIER_READ),
    "departures:contract_scan": (GET, "contract", DOSSIER_READ),
    "departures:contract_scan_upload": (GET, "contract", CASEWORK_DOSSIER),
    "departures:copayment": (GET, "dossier:signed", CASEWORK_DOSSIER),
    "departures:departure": (GET, "dossier:signed", CASEWORK_DOSSIER),
    "departures:early_return": (GET, "dossier:abroad", CASEWORK_DOSSIER),
    "departures:return": (GET, "dossier:abroad", CASEWORK_DOSSIER),
    "departures:review": (GET, "dossier:returned", CASEWORK_DOSSIER),
    "departures:activity_report": (GET, "dossier:abroad", DOSSIER_READ),
    "departures:visit_add": (GET, "dossier:abroad", CASEWORK_DOSSIER),
    "departures:incident_add": (GET, "dossier:abroad", CASEWORK_DOSSIER),
    "departures:visit_edit": (GET, "visit", CASEWORK_DOSSIER),
    "departures:sitevisit_delete": (POST, "visit", CASEWORK_DOSSIER),
    "departures:incident_edit": (GET, "incident", CASEWORK_DOSSIER),
    "departures:incident_delete": (POST, "incident", CASEWORK_DOSSIER),
    "departures:hosts": (GET, None, READ_ALL),
    "departures:host_create": (GET, None, CASEWORK),
    "departures:host_detail": (GET, "host", READ_ALL),
    "departures:host_edit": (GET, "host", CASEWORK),
    "departures:funding": (GET, None, READ_ALL),  # read by staff; changed by managers and admins
    "departures:funding_create": (GET, None, MANAGERS),
    "departures:funding_edit": (GET, "funding", MANAGERS),
    "departures:funding_delete": (POST, "funding", MANAGERS),
    "departures:budget": (GET, "funding", READ_ALL),
    "departures:budget_download": (GET, "funding:csv", READ_ALL),
    "departures:platform_edit": (GET, None, MANAGERS),
    "departures:grant": (GET, "dossier:abroad", CASEWORK_DOSSIER),
    "departures:mobility_document": (GET, "dossier:abroad:europass", DOSSIER_READ),
    "departures:schemes": (GET, None, READ_ALL),
    "departures:scheme_create": (GET, None, MANAGERS),
    "departures:scheme_edit": (GET, "scheme", MANAGERS),
    # --- Follow-up ------------------------------------------------------------------------------------
    "followup:calls": (GET, None, CASEWORK),
    "followup:record": (GET, "call", CASEWORK),
    "followup:close": (POST, "dossier:follow_up", CASEWORK_DOSSIER),
    "followup:answer": (GET, "answer", PUBLIC),  # the young person's personal signed link, no account
    "followup:messages": (GET, None, CASEWORK),
    "followup:resend": (POST, "message", CASEWORK),
    "followup:my_notifications": (GET, None, COUNSELLOR),
    "followup:sms_webhook": (POST, "sms_webhook", (HIDE,) * 8),  # the provider's webhook: its secret, or 404
    # --- Reports and import ---------------------------------------------------------------------------
    "reporting:index": (GET, None, REPORTS),
    "reporting:erasmus": (GET, None, READ_ALL),
    "reporting:evaluation": (GET, None, REPORTS),
    "reporting:consistency": (GET, None, READ_ALL),
    "reporting:import": (GET, None, MANAGERS),
    "reporting:import_template": (GET, "import_format", MANAGERS),
    "reporting:import_detail": (GET, "import_job", MANAGERS),
    "reporting:import_progress": (GET, "import_job", MANAGERS),
    "reporting:import_confirm": (POST, "import_job", MANAGERS),
    "reporting:schedules": (GET, None, SCHEDULES),
    "reporting:schedule_create": (GET, None, SCHEDULES),
    "reporting:schedule_edit": (GET, "subscription", SCHEDULE_OWN),
    "reporting:schedule_delete": (POST, "subscription", SCHEDULE_OWN),
    "reporting:population": (GET, None, MANAGERS),  # the population of 16-25 per department (equity report)
    "reporting:population_create": (GET, None, MANAGERS),
    "reporting:population_edit": (GET, "population", MANAGERS),
    "reporting:population_delete": (GET, "population", MANAGERS),  # asks first
    "reporting:report": (GET, "report", REPORTS),
    "reporting:download": (GET, "report_file", REPORTS),
    # --- The young person's space (their own rows: tests/test_access_youth.py) ----------------------------
    "space:login": (GET, None, PUBLIC),
    "space:link": (GET, None, PUBLIC),  # without a token: « ce lien n'est plus valable »
    "space:home": (GET, None, YOUTH_ONLY),
    "space:dossier": (GET, "dossier:received", YOUTH_ONLY),
    "space:pieces": (GET, "dossier:building", YOUTH_ONLY),
    "space:piece_upload": (POST, "upload_slot", YOUTH_ONLY),
    "space:contract": (GET, "dossier:signed", YOUTH_ONLY),
    "space:contract_pdf": (GET, "contract", YOUTH_ONLY),
    "space:meeting": (GET, "space_invitation", YOUTH_ONLY),
    "space:meeting_ics": (GET, "space_invitation", YOUTH_ONLY),
    "space:followup": (GET, "space_call", YOUTH_ONLY),
    "space:send_link": (POST, "dossier:received", CASEWORK_DOSSIER),
    "space:accepted_contract_pdf": (GET, "contract", DOSSIER_READ),  # the copy with its acceptance page
    "space:my_data": (GET, None, YOUTH_ONLY),
    "space:my_data_export": (GET, "space_export", YOUTH_ONLY),
    "space:rectifications": (GET, None, CASEWORK),  # staff's work list of the rectification requests
    "space:rectification_handle": (POST, "rectification", CASEWORK),
    "space:preferences": (GET, None, YOUTH_ONLY),
    # --- Questionnaires and surveys after the return ---------------------------------------------------
    "surveys:answer": (GET, "survey", YOUTH_ONLY),
    "surveys:call_list": (GET, None, CASEWORK),
    "surveys:questionnaire": (GET, "questionnaire", READ_ALL),
    "surveys:response": (GET, "survey_response", DOSSIER_READ),
    "surveys:staff_entry": (GET, "survey_entry", CASEWORK_DOSSIER),
    # --- The network: ambassadors, parrainage, network meetings (docs/network.md) -------------------------
    "network:ambassador_list": (GET, None, REPORTS),  # a counsellor: their structure's ambassadors
    "network:ambassador_create": (GET, None, CASEWORK),
    "network:ambassador_detail": (GET, "ambassador", DOSSIER_READ),
    "network:ambassador_edit": (GET, "ambassador", CASEWORK_DOSSIER),
    "network:ambassador_withdraw": (GET, "ambassador", CASEWORK_DOSSIER),  # asks first
    "network:ambassador_speak": (POST, "ambassador", CASEWORK_DOSSIER),
    "network:speaker_presence": (POST, "speaker", CASEWORK_DOSSIER),
    "network:youth_withdraw": (GET, None, YOUTH_ONLY),
    "network:pairing_list": (GET, None, REPORTS),  # a counsellor: their structure's candidates' pairs
    "network:pairing_create": (GET, None, PAIRING),
    "network:pairing_detail": (GET, "pairing", DOSSIER_READ),
    "network:pairing_end": (GET, "pairing", PAIRING_OWN),  # « Binôme terminé »: asks the date first
    "network:pair_meeting_add": (GET, "pairing", PAIRING_OWN),
    "network:pair_meeting_delete": (GET, "pair_meeting", PAIRING_OWN),  # asks first
    "network:meeting_list": (GET, None, READ_ALL),
    "network:meeting_create": (GET, None, CASEWORK),
    "network:meeting_detail": (GET, "network_meeting", READ_ALL),
    "network:meeting_edit": (GET, "network_meeting", CASEWORK),
    "network:meeting_delete": (GET, "network_meeting", CASEWORK),  # asks first
    "network:meeting_cancel": (GET, "network_meeting", CASEWORK),  # asks first (says how many are told)
    "network:meeting_invite": (POST, "network_meeting", CASEWORK),
    "network:meeting_attendance": (POST, "network_meeting", CASEWORK),
    "network:meeting_minutes": (GET, "network_meeting", READ_ALL),
    "network:dashboard": (GET, None, READ_ALL),
}

# Pages of a URL pattern above opened with other arguments too (the repérage and equity reports show other
# tables, a map): (url name, arguments, outcome per role). The links sweep and the every-page accessibility
# test open them as well.
MORE_PAGES = [
    ("reporting:report", {"name": "reperage"}, REPORTS),
    ("reporting:report", {"name": "equity"}, REPORTS),
    ("reporting:download", {"name": "reperage", "fmt": "csv"}, REPORTS),
    ("reporting:download", {"name": "equity", "fmt": "csv"}, REPORTS),
]


def walk(resolver=None, namespace=""):
    """Every URL pattern's full name ('ns:name'), or its route when it has no name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue
            yield from walk(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<sans nom> {pattern.pattern}"


# --- The objects the URLs need --------------------------------------------------------------------------


@pytest.fixture
def world(users, structure, settings, tmp_path):
    """One dossier per state the pages need (all in the first counsellor's structure) and the objects
    hanging from them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = users["admin"]
    scheme = SchemeFactory(name="Erasmus+ matrice")

    def dossier(state):
        return dossier_in_state(state, admin, structure=structure, referring_counsellor=users["counsellor"],
                                scheme=scheme)

    w = SimpleNamespace(scheme=scheme)
    w.received = dossier(State.RECEIVED)
    w.info_done = dossier(State.INFO_DONE)
    w.building = dossier(State.FILE_BUILDING)
    w.in_commission = dossier(State.IN_COMMISSION)
    w.accepted = dossier(State.ACCEPTED)
    w.signed = dossier(State.CONTRACT_SIGNED)
    w.abroad = dossier(State.ABROAD)
    w.returned = dossier(State.RETURNED)
    w.follow_up = dossier(State.FOLLOW_UP)

    w.draft = ReferralFactory(counsellor=users["counsellor"], structure=structure)
    piece = DocumentType.objects.filter(scheme__isnull=True).order_by("order").first()
    w.piece_type = piece
    w.document = Document.objects.create(
        dossier=w.building, document_type=piece, file=ContentFile(MINIMAL_PDF, name="piece.pdf"),
        original_name="piece.pdf", size=len(MINIMAL_PDF), uploaded_by=admin,
    )
    w.session = CommissionSession.objects.create(date=datetime.date.today() + datetime.timedelta(days=7))
    w.review = CommissionReview.objects.create(session=w.session, dossier=w.in_commission, added_by=admin)
    w.criterion = CommissionCriterion.objects.create(name="Critère de la matrice", max_score=5)
    w.meeting = Meeting.objects.create(date=datetime.date.today() + datetime.timedelta(days=3),
                                       start_time=datetime.time(9, 30), place="Salle 1", created_by=admin)
    w.invitation = Invitation.objects.create(meeting=w.meeting, dossier=w.info_done, invited_by=admin)
    w.contract = Contract.objects.create(dossier=w.signed, version=1, generated_by=admin,
                                         pdf=ContentFile(MINIMAL_PDF, name="contrat.pdf"))
    w.contract.signed_scan.save("contrat-signe.pdf", ContentFile(MINIMAL_PDF), save=True)
    w.rectification = RectificationRequest.objects.create(youth=w.received.youth, wrong="Mon nom", correct="Martin")
    w.acceptance = ContractAcceptance.objects.create(contract=w.contract, version=1, text="J'ai lu le contrat",
                                                     pdf=ContentFile(MINIMAL_PDF, name="contrat-accepte.pdf"))
    w.stay = StayFactory(dossier=w.abroad, scheme=scheme)
    w.stay.activity_report.save("rapport.pdf", ContentFile(MINIMAL_PDF), save=True)
    StayFactory(dossier=w.returned, scheme=scheme)
    StayFactory(dossier=w.follow_up, scheme=scheme)
    w.visit = SiteVisit.objects.create(stay=w.stay, visit_date=datetime.date.today(), visited_by=admin,
                                       assessment=SiteVisit._meta.get_field("assessment").choices[0][0],
                                       notes="Tout va bien")
    w.incident = Incident.objects.create(stay=w.stay, occurred_on=datetime.date.today(), recorded_by=admin,
                                         kind=Incident._meta.get_field("kind").choices[0][0], description="Retard")
    w.host = HostOrganisationFactory()
    w.funding = FundingAgreementFactory(scheme=scheme)
    w.call = FollowUpCallFactory(dossier=w.follow_up, month=1)
    w.message = SentMessage.objects.create(kind=SentMessage._meta.get_field("kind").choices[0][0],
                                           object_key="matrice", recipient="jeune@example.org", body="Bonjour",
                                           status="echec", dossier=w.follow_up)
    w.outreach_action = OutreachAction.objects.create(name="Maraude de la matrice", structure=structure)
    w.population = PopulationFigure.objects.create(department="42", year=2024, population=70000, source="Matrice")
    w.import_job = ImportJob.objects.create(original_name="anciens.xlsx", created_by=admin,
                                            file=ContentFile(b"x", name="anciens.xlsx"))
    w.subscription = ExportSubscription.objects.create(owner=users["manager"], report="funnel")
    from surveys.tests.factories import answered

    w.survey = answered(w.follow_up).survey
    from network.tests.factories import network_world

    network_world(w, admin, users["counsellor"])

    from api.tokens import create_token

    w.api_token, _ = create_token(structure=structure, name="i-milo", counsellor=users["counsellor"], created_by=admin)
    return w


def url_kwargs(world, key):
    w = world
    return {
        None: {},
        "reset_link": {"uidb64": "MQ", "token": "lien-invalide"},
        "dossier:received": {"pk": w.received.pk},
        "dossier:info_done": {"pk": w.info_done.pk},
        "dossier:building": {"pk": w.building.pk},
        "dossier:in_commission": {"pk": w.in_commission.pk},
        "dossier:accepted": {"pk": w.accepted.pk},
        "dossier:signed": {"pk": w.signed.pk},
        "dossier:abroad": {"pk": w.abroad.pk},
        "dossier:returned": {"pk": w.returned.pk},
        "dossier:follow_up": {"pk": w.follow_up.pk},
        "draft": {"pk": w.draft.pk},
        "youth_pair": {"keep": w.received.youth_id, "other": w.info_done.youth_id},
        "rgpd_export": {"pk": w.received.pk, "fmt": "json"},
        "upload_slot": {"pk": w.building.pk, "type_pk": w.piece_type.pk},
        "piece_type": {"pk": w.piece_type.pk},
        "criterion": {"pk": w.criterion.pk},
        "document": {"pk": w.building.pk, "doc_pk": w.document.pk},
        "session": {"pk": w.session.pk},
        "review": {"pk": w.session.pk, "review_pk": w.review.pk},
        "meeting": {"pk": w.meeting.pk},
        "invitation": {"pk": w.invitation.pk},
        "contract": {"pk": w.signed.pk, "version": w.contract.version},
        "visit": {"pk": w.abroad.pk, "visit_pk": w.visit.pk},
        "incident": {"pk": w.abroad.pk, "incident_pk": w.incident.pk},
        "host": {"pk": w.host.pk},
        "funding": {"pk": w.funding.pk},
        "funding:csv": {"pk": w.funding.pk, "fmt": "csv"},
        "dossier:abroad:europass": {"pk": w.abroad.pk, "kind": "europass"},
        "scheme": {"pk": w.scheme.pk},
        "call": {"pk": w.call.pk},
        "answer": {"token": answer_token(w.call)},
        "message": {"pk": w.message.pk},
        "sms_webhook": {"token": "pas-le-bon-secret"},
        "import_job": {"pk": w.import_job.pk},
        "outreach_action": {"pk": w.outreach_action.pk},
        "population": {"pk": w.population.pk},
        "import_format": {"fmt": "xlsx"},
        "subscription": {"pk": w.subscription.pk},
        "report": {"name": "departures"},
        "report_file": {"name": "departures", "fmt": "csv"},
        "space_invitation": {"invitation_pk": w.meeting.pk},
        "space_call": {"call_pk": w.call.pk},
        "space_export": {"fmt": "json"},
        "rectification": {"pk": w.rectification.pk},  # the role check comes first: any id will do
        "survey": {"pk": w.survey.pk},
        "draft_id": {"id": w.draft.pk},
        "api_token": {"pk": w.api_token.pk},
        "report_name": {"key": "departures"},
        "questionnaire": {"pk": w.survey.version.questionnaire_id},
        "survey_response": {"pk": w.survey.pk},
        "survey_entry": {"pk": w.follow_up.pk, "horizon": "12"},  # not due yet: back to the dossier
        "ambassador": {"pk": w.ambassador.pk},
        "speaker": {"pk": w.speaker.pk},
        "pairing": {"pk": w.pairing.pk},
        "pair_meeting": {"pk": w.pairing.pk, "meeting_pk": w.pair_meeting.pk},
        "network_meeting": {"pk": w.network_meeting.pk},
    }[key]


# --- Running a request as a role ------------------------------------------------------------------------

SKIPPED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def fingerprint():
    """Row counts of every table (history and read log included) and every dossier's state."""
    counts = {}
    for model in apps.get_models():
        if model._meta.db_table in SKIPPED_TABLES or not model._meta.managed:
            continue
        counts[model._meta.label] = model._default_manager.count()
    from dossiers.models import Dossier

    counts["dossier states"] = tuple(Dossier.objects.order_by("pk").values_list("pk", "state", "updated_at"))
    return counts


def outcome_of(response):
    if response.status_code in (301, 302, 303):
        return LOGIN if response.url.split("?")[0] in (reverse("login"), reverse("space:login")) else OK
    if response.status_code in (200, 400, 410):  # 400: the form shown again with its errors
        return OK
    return response.status_code


def run_as(client, users, role, method, url, check_no_write=False):
    """The outcome of one request by ``role``, inside a savepoint rolled back afterwards. With
    ``check_no_write``, also whether the database changed."""
    client.logout()
    if role != "anonymous":
        log_in(client, users[role])
    with transaction.atomic():
        before = fingerprint() if check_no_write else None
        response = client.get(url) if method == GET else client.post(url, {})
        changed = check_no_write and fingerprint() != before
        transaction.set_rollback(True)
    return outcome_of(response), response, changed


# --- The tests ------------------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_matrix():
    missing = [name for name in walk() if name not in MATRIX]
    assert not missing, (
        "Ces pages ne sont pas dans la matrice d'accès (tests/test_access_matrix.py, MATRIX) : "
        + ", ".join(missing)
    )
    stale = sorted(set(MATRIX) - set(walk()))
    assert not stale, "La matrice cite des pages qui n'existent plus : " + ", ".join(stale)


def test_access_matrix(client, users, world):
    failures = []
    for name, (method, args, expected) in MATRIX.items():
        url = reverse(name, kwargs=url_kwargs(world, args))
        for role, want in zip(ROLES, expected):
            refused = want in (LOGIN, DENY, HIDE)
            got, response, wrote = run_as(client, users, role, method, url, check_no_write=method == POST and refused)
            if got != want:
                failures.append(f"{name} ({method} {url}) as {role}: got {got}, expected {want}")
            elif wrote:
                failures.append(f"{name} ({method} {url}) as {role}: refused but wrote to the database")
    assert not failures, "\n".join(failures)


def test_more_pages(client, users, world):
    """The pages of ``MORE_PAGES``: the repérage and equity reports follow the reports' row."""
    failures = []
    for name, kwargs, expected in MORE_PAGES:
        url = reverse(name, kwargs=kwargs)
        for role, want in zip(ROLES, expected):
            got, _response, _wrote = run_as(client, users, role, GET, url)
            if got != want:
                failures.append(f"{url} as {role}: got {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_admin_site_refuses_non_staff(client, users):
    for role in ("counsellor", "reception", "mobility", "assistant", "manager"):
        client.logout()
        log_in(client, users[role])
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url, role
        response = client.get("/admin/dossiers/dossier/")
        assert response.status_code == 302 and "/admin/login/" in response.url, role
    client.logout()
    assert client.get("/admin/").status_code == 302
    log_in(client, users["admin"])
    assert client.get("/admin/").status_code == 200


def test_a_staff_flag_alone_without_second_factor_does_not_open_the_admin(client, users):
    staff = UserFactory(username="staff_sans_otp", role=Role.RECEPTION, is_staff=True)
    client.force_login(staff)  # password only, no second factor
    response = client.get("/admin/")
    assert response.status_code == 302


# Pages open without a capability: the login pages, the young person's signed answer link, and the
# pages every signed-in user has (home dispatches by role; their own second factor).
WITHOUT_CAPABILITY = {
    "home", "accessibility", "login", "logout", "password_change", "password_change_done", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete", "otp_verify", "otp_setup",
    "account_security", "otp_backup_codes", "otp_backup_codes_regenerate", "followup:answer", "space:login", "space:link",
    "followup:sms_webhook",
    # The API: a structure's token decides (api/authentication.py), the schema is public.
    "api:fiches", "api:fiche", "api:reports", "api:report", "api:schema", "api:docs",
}


def test_every_other_view_goes_through_capability_required():
    """Access is decided in ipm/access.py: every view but the few above carries ``capability_required``."""
    resolver = get_resolver()

    def callbacks(res, namespace=""):
        for pattern in res.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from callbacks(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            else:
                yield f"{namespace}{pattern.name}", pattern.callback

    undecorated = [name for name, view in callbacks(resolver)
                   if name not in WITHOUT_CAPABILITY and not getattr(view, "capabilities", None)]
    assert not undecorated, "Vues sans capability_required : " + ", ".join(undecorated)
