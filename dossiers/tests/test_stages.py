"""Every transition of the stages before departure and who may apply it; work lists; the dossier page."""
import datetime

import pytest
from django.urls import reverse

from dossiers import transitions, workflow
from dossiers.tests.factories import DossierFactory, dossier_in_state, validate_all_pieces
from dossiers.models import Diagnostic
from dossiers.workflow import State

pytestmark = pytest.mark.django_db

STAFF = ["reception", "mobility", "assistant", "admin"]
MOBILITY = ["mobility", "admin"]
NOBODY_ELSE = ["counsellor", "manager"]

# (source, target, roles allowed) for the stages of this issue: information meeting to commission.
STAGE_TRANSITIONS = [
    (State.RECEIVED, State.INVITED, STAFF),
    (State.RECEIVED, State.INFO_DONE, STAFF),
    (State.INVITED, State.INFO_DONE, STAFF),
    (State.INVITED, State.RECEIVED, STAFF),
    (State.INFO_DONE, State.DIAGNOSED, MOBILITY),
    (State.INFO_DONE, State.ORIENTED, MOBILITY),
    (State.DIAGNOSED, State.ORIENTED, MOBILITY),
    (State.DIAGNOSED, State.FILE_BUILDING, STAFF),
    (State.ORIENTED, State.RECEIVED, STAFF),
    (State.ORIENTED, State.INFO_DONE, STAFF),
    (State.FILE_BUILDING, State.IN_COMMISSION, STAFF),
    (State.IN_COMMISSION, State.ACCEPTED, STAFF),
    (State.IN_COMMISSION, State.REFUSED, STAFF),
    (State.IN_COMMISSION, State.POSTPONED, STAFF),
    (State.IN_COMMISSION, State.FILE_BUILDING, STAFF),
    (State.POSTPONED, State.IN_COMMISSION, STAFF),
    (State.POSTPONED, State.FILE_BUILDING, STAFF),
    (State.REFUSED, State.ORIENTED, STAFF),
]


def test_the_table_holds_these_transitions():
    for source, target, _roles in STAGE_TRANSITIONS:
        assert (source, target) in workflow.TRANSITION_TABLE


@pytest.mark.parametrize("source,target,allowed", STAGE_TRANSITIONS, ids=lambda v: str(v) if isinstance(v, str) else None)
def test_transition_permission_per_role(users, structure, source, target, allowed):
    for role in STAFF + NOBODY_ELSE:
        dossier = dossier_in_state(source, users["admin"], structure=structure)
        if role in allowed:
            transitions.apply_transition(dossier, target, users[role])
            dossier.refresh_from_db()
            assert dossier.state == target, role
            event = dossier.events.last()
            assert (event.actor, event.from_state, event.to_state) == (users[role], source, target)
        else:
            with pytest.raises(workflow.TransitionError):
                transitions.apply_transition(dossier, target, users[role])
            dossier.refresh_from_db()
            assert dossier.state == source, role


def test_counsellor_cannot_post_a_transition(client_for, users, structure):
    dossier = DossierFactory(structure=structure, referring_counsellor=users["counsellor"])
    response = client_for("counsellor").post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.INVITED})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


# --- Work lists ---------------------------------------------------------------------------------------


def test_work_lists_per_stage(client_for, users, structure):
    to_invite = DossierFactory(structure=structure)
    to_diagnose = dossier_in_state(State.INFO_DONE, users["admin"], structure=structure)
    incomplete = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    complete = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(complete, users["assistant"])
    postponed = dossier_in_state(State.POSTPONED, users["admin"], structure=structure)
    come_back = dossier_in_state(State.ORIENTED, users["admin"], structure=structure)
    later = dossier_in_state(State.ORIENTED, users["admin"], structure=structure)
    Diagnostic.objects.create(dossier=come_back, come_back_on=datetime.date.today() - datetime.timedelta(days=1))
    Diagnostic.objects.create(dossier=later, come_back_on=datetime.date.today() + datetime.timedelta(days=30))
    dossier_in_state(State.FOLLOW_UP, users["admin"], structure=structure)  # month 6 not done: not « à clore »
    client = client_for("reception")
    expected = {
        "a_inviter": {to_invite}, "diagnostics": {to_diagnose}, "incomplets": {incomplete},
        "commission": {complete, postponed}, "orientes": {come_back}, "a_clore": set(),
        "retours": set(),
    }
    for name, dossiers in expected.items():
        response = client.get(reverse("dossiers:worklists"), {"liste": name})
        assert response.status_code == 200
        assert set(response.context["object_list"]) == dossiers, name
        counts = {key: count for key, _label, count in response.context["lists"]}
        assert counts == {key: len(value) for key, value in expected.items()}


def test_work_lists_closed_to_counsellors(client_for):
    assert client_for("counsellor").get(reverse("dossiers:worklists")).status_code == 403


def test_manager_reads_work_lists_without_invite_form(client_for, users, structure):
    DossierFactory(structure=structure)
    content = client_for("manager").get(reverse("dossiers:worklists")).content.decode()
    assert 'name="dossiers"' not in content


# --- The dossier page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF + ["manager", "counsellor"])
def test_dossier_page_renders_for_every_role_at_every_stage(client_for, users, structure, role):
    for state in (State.RECEIVED, State.INFO_DONE, State.FILE_BUILDING, State.IN_COMMISSION, State.ORIENTED):
        dossier = dossier_in_state(state, users["admin"], structure=structure, referring_counsellor=users["counsellor"])
        response = client_for(role).get(reverse("dossiers:detail", args=[dossier.pk]))
        assert response.status_code == 200
        assert "Prochaine étape" in response.content.decode() or state == State.ORIENTED


def test_counsellor_of_another_structure_gets_404(client_for, users, structure):
    dossier = DossierFactory(structure=structure)
    for name in ("detail", "documents"):
        assert client_for("other_counsellor").get(reverse(f"dossiers:{name}", args=[dossier.pk])).status_code == 404


def test_every_page_of_these_stages_renders(client_for, users, structure):
    from dossiers.models import CommissionSession
    from dossiers.services import add_to_agenda
    from referrals.models import Meeting

    meeting = Meeting.objects.create(date=datetime.date.today(), start_time=datetime.time(9), place="Salle 1")
    session = CommissionSession.objects.create(date=datetime.date.today())
    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    review = add_to_agenda(session, dossier, users["admin"], "démonstration")
    client = client_for("mobility")
    urls = [
        reverse("dossiers:worklists"), reverse("dossiers:checklist"), reverse("dossiers:commission_list"),
        reverse("dossiers:commission_create"), reverse("dossiers:commission_detail", args=[session.pk]),
        reverse("dossiers:commission_edit", args=[session.pk]), reverse("dossiers:review", args=[session.pk, review.pk]),
        reverse("dossiers:diagnostic", args=[dossier.pk]), reverse("dossiers:project", args=[dossier.pk]),
        reverse("dossiers:documents", args=[dossier.pk]), reverse("referrals:meeting_list"),
        reverse("referrals:meeting_create"), reverse("referrals:meeting_detail", args=[meeting.pk]),
        reverse("referrals:meeting_edit", args=[meeting.pk]), reverse("referrals:meeting_ics", args=[meeting.pk]),
        reverse("dossiers:inbox"), reverse("dossiers:detail", args=[dossier.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_commission_transitions_go_through_the_commission_screens(client_for, users, structure):
    from dossiers.models import CommissionSession
    from dossiers.services import add_to_agenda

    dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    client = client_for("assistant")
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.IN_COMMISSION})
    assert response["Location"] == reverse("dossiers:commission_list")
    dossier.refresh_from_db()
    assert dossier.state == State.FILE_BUILDING
    session = CommissionSession.objects.create(date=datetime.date.today())
    review = add_to_agenda(session, dossier, users["assistant"], "test")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    decide = reverse("dossiers:review", args=[session.pk, review.pk])
    assert decide in page
    response = client.post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.ACCEPTED})
    assert response["Location"] == decide
    dossier.refresh_from_db()
    assert dossier.state == State.IN_COMMISSION


def test_work_lists_and_commission_page_do_not_grow_with_the_data(client_for, users, structure):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.models import CommissionSession

    session = CommissionSession.objects.create(date=datetime.date.today())
    client = client_for("assistant")
    urls = [reverse("dossiers:worklists") + "?liste=incomplets", reverse("dossiers:worklists") + "?liste=commission",
            reverse("dossiers:commission_detail", args=[session.pk])]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    for index in range(2):
        dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
        if index:
            validate_all_pieces(dossier, users["assistant"])
    before = counts()
    for index in range(6):
        dossier = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
        if index % 2:
            validate_all_pieces(dossier, users["assistant"])
    assert counts() == before


def test_missing_piece_condition_agrees_with_completeness(users, structure):
    """The work lists decide "complete" in SQL (services.missing_piece_condition): same answer as the
    checklist of the dossier page for scheme pieces, optional and inactive types, rejected pieces."""
    from departures.tests.factories import SchemeFactory
    from dossiers import services
    from dossiers.enums import DocumentStatus
    from dossiers.models import Document, DocumentType, Dossier

    scheme, other_scheme = SchemeFactory(), SchemeFactory()
    DocumentType.objects.create(name="Lettre de motivation (dispositif)", scheme=scheme, required=True)
    DocumentType.objects.create(name="Pièce d'un autre dispositif", scheme=other_scheme, required=True)
    DocumentType.objects.create(name="Pièce facultative", required=False)
    DocumentType.objects.create(name="Pièce retirée", required=True, active=False)
    plain = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(plain, users["assistant"])
    with_scheme = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    Dossier.objects.filter(pk=with_scheme.pk).update(scheme=other_scheme)
    with_scheme.refresh_from_db()
    validate_all_pieces(with_scheme, users["assistant"])
    lacking_scheme_piece = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(lacking_scheme_piece, users["assistant"])
    Dossier.objects.filter(pk=lacking_scheme_piece.pk).update(scheme=scheme)
    rejected = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)
    validate_all_pieces(rejected, users["assistant"])
    Document.objects.filter(dossier=rejected).update(status=DocumentStatus.REJECTED)
    empty = dossier_in_state(State.FILE_BUILDING, users["admin"], structure=structure)

    dossiers = Dossier.objects.filter(state=State.FILE_BUILDING)
    in_python = {pk for pk, state in services.bulk_completeness(dossiers).items() if not state.complete}
    in_sql = set(dossiers.filter(services.missing_piece_condition()).values_list("pk", flat=True))
    assert in_python == {lacking_scheme_piece.pk, rejected.pk, empty.pk}
    assert in_sql == in_python
    assert set(dossiers.exclude(services.missing_piece_condition()).values_list("pk", flat=True)) == {
        plain.pk, with_scheme.pk,
    }
