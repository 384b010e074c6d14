"""A property-based stateful test of the wheel (hypothesis ``RuleBasedStateMachine``): random sequences
of user actions driven through the services — send a fiche, invite, attend, diagnose, enrol, decide,
unenrol, plan the stay, sign, depart, visit, return, review, call, close, resend a fiche — with random
dates around « today » and a clock that moves forward (time-machine). A refused action is fine (the
rules refuse); after every step every dossier must pass the consistency checker
(``reporting.consistency.flagged_dossier_ids() == set()``).

The second test switches a rule off (the return date rule accepts anything) and asserts that hypothesis
finds a sequence the checker flags: the test can find the old bugs. See docs/integrity.md.
"""
import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from departures import rules as departure_rules
from departures import services as departures
from departures.models import HostOrganisation, SiteVisit, Stay
from departures.tests.factories import SchemeFactory
from dossiers import services as dossiers
from dossiers import transitions
from dossiers.enums import Decision, DiagnosticOutcome, Orientation
from dossiers.models import CommissionReview, CommissionSession, Diagnostic, Dossier
from dossiers.workflow import ACTIVE_STATES, AGENDA_STATES, CLOSABLE_STATES, FOLLOWUP_STATES, State
from followup import calls
from followup.calls import FollowUpError
from followup.enums import Situation
from followup.models import FollowUpCall
from ipm.enums import Role
from ipm.uploads import MINIMAL_PDF
from referrals import meetings
from referrals.meeting_enums import Attendance, MeetingKind
from referrals.meetings import MeetingError
from referrals.models import Invitation, Meeting
from referrals.services import ReferralError, submit_referral
from referrals.tests.factories import ReferralFactory, StructureFactory
from reporting import consistency
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

# The refusals of the services: a refused action is part of the game.
REFUSALS = (departures.DepartureError, dossiers.ServiceError, MeetingError, ReferralError, FollowUpError)
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone.utc)
MAX_DOSSIERS = 4

# Days around today: today itself half of the time (most actions are recorded the day they happen).
offsets = st.one_of(st.just(0), st.integers(min_value=-20, max_value=20))
picks = st.integers(min_value=0, max_value=10**6)


def pick(rows, index):
    rows = list(rows)
    return rows[index % len(rows)] if rows else None


def in_states(states):
    return Dossier.objects.filter(state__in=states).select_related("youth", "scheme").order_by("pk")


class Wheel(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()  # each sequence in a savepoint, rolled back at its end
        self._atomic.__enter__()
        self._clock = time_machine.travel(START, tick=False)
        self._traveller = self._clock.start()
        structure = StructureFactory(name="Mission Locale de Saint-Étienne")
        self.counsellor = UserFactory(role=Role.COUNSELLOR, structure=structure)
        self.staff = UserFactory(role=Role.ADMIN)
        self.scheme = SchemeFactory(name="OUAT", early_return_tolerance_days=7)
        self.host = HostOrganisation.objects.create(name="Harbour Hotel", country="IE", town="Dublin")
        self.youths = []

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._clock.stop()

    def today(self):
        return timezone.localdate()

    def day(self, offset):
        return self.today() + datetime.timedelta(days=offset)

    def attempt(self, action):
        try:
            with transaction.atomic():
                return action()
        except REFUSALS:
            return None

    @initialize()
    def a_young_person_abroad(self):
        """The world starts with one young person taken abroad through the same actions, all dated today
        (so that every sequence reaches the stay and its return quickly)."""
        self.send_fiche()
        self.invite(0, 0)
        self.attend(0, True)
        self.diagnose(0, True)
        self.build_file(0)
        self.enrol(0, 0)
        self.decide(0, Decision.ACCEPTED)
        self.plan_stay(0, 0, 10)
        self.sign(0, 0)
        self.depart(0, 0)
        assert Dossier.objects.get().state == State.ABROAD

    # --- Time ------------------------------------------------------------------------------------

    @rule(days=st.integers(min_value=1, max_value=45))
    def wait(self, days):
        """Time passes — but not past the planned end of a stay not yet over: the staff record a return
        when it happens (a stay past its end with no return is the « retours à enregistrer » work list,
        which the checker lists too)."""
        ends = Stay.objects.filter(return_date__isnull=True, planned_end__isnull=False).values_list(
            "planned_end", flat=True)
        if ends:
            days = min(days, max((min(ends) - self.today()).days, 0))
        self._traveller.shift(datetime.timedelta(days=days))

    # --- Referrals -------------------------------------------------------------------------------

    @precondition(lambda self: Dossier.objects.count() < MAX_DOSSIERS)
    @rule()
    def send_fiche(self):
        referral = ReferralFactory(counsellor=self.counsellor, structure=self.counsellor.structure)
        dossier, _ = submit_referral(referral, self.counsellor)
        self.youths.append(dossier.youth)

    @precondition(lambda self: Dossier.objects.count() < MAX_DOSSIERS and Dossier.objects.exists())
    @rule(index=picks)
    def resend_fiche(self, index):
        """The same young person sent again — once their earlier dossier is over (with one open, the fiche
        is attached to it: the one-open-dossier change)."""
        youth = pick(self.youths, index)
        if Dossier.objects.filter(youth=youth, state__in=ACTIVE_STATES).exists():
            return
        referral = ReferralFactory(counsellor=self.counsellor, structure=self.counsellor.structure,
                                   last_name=youth.last_name, first_name=youth.first_name, birth_date=youth.birth_date)
        self.attempt(lambda: submit_referral(referral, self.counsellor))

    @precondition(lambda self: in_states([State.RECEIVED, State.INVITED]).exists())
    @rule(index=picks, offset=offsets)
    def invite(self, index, offset):
        dossier = pick(in_states([State.RECEIVED, State.INVITED]), index)
        meeting = Meeting.objects.create(kind=MeetingKind.INFO, date=self.day(offset), start_time=datetime.time(14, 0),
                                         place="Plateforme")
        self.attempt(lambda: meetings.invite(meeting, [dossier], self.staff, send_email=False))

    @precondition(lambda self: Invitation.objects.filter(status=Attendance.INVITED).exists())
    @rule(index=picks, present=st.booleans())
    def attend(self, index, present):
        invitation = pick(Invitation.objects.filter(status=Attendance.INVITED).order_by("pk"), index)
        status = Attendance.PRESENT if present else Attendance.ABSENT
        self.attempt(lambda: meetings.record_attendance(invitation, status, self.staff))

    # --- Dossiers --------------------------------------------------------------------------------

    @precondition(lambda self: in_states([State.INFO_DONE]).exists())
    @rule(index=picks, ready=st.booleans())
    def diagnose(self, index, ready):
        dossier = pick(in_states([State.INFO_DONE]), index)
        diagnostic = Diagnostic.objects.filter(dossier=dossier).first() or Diagnostic()
        diagnostic.outcome = DiagnosticOutcome.READY if ready else DiagnosticOutcome.NOT_YET
        diagnostic.orientation = "" if ready else Orientation.TRAINING
        self.attempt(lambda: dossiers.save_diagnostic(dossier, diagnostic, None, self.staff))

    @precondition(lambda self: in_states([State.DIAGNOSED]).exists())
    @rule(index=picks)
    def build_file(self, index):
        """The mobility project chose the scheme; the file is built."""
        dossier = pick(in_states([State.DIAGNOSED]), index)
        Dossier.objects.filter(pk=dossier.pk).update(scheme=self.scheme)
        transitions.apply_transition(dossier, State.FILE_BUILDING, self.staff, "Montage du dossier")

    @precondition(lambda self: in_states(AGENDA_STATES).exists())
    @rule(index=picks, offset=offsets)
    def enrol(self, index, offset):
        dossier = pick(in_states(AGENDA_STATES), index)
        session = CommissionSession.objects.create(date=self.day(offset), place="Salle du conseil")
        self.attempt(lambda: dossiers.add_to_agenda(session, dossier, self.staff, "Pièces promises"))

    def pending_reviews(self):
        return CommissionReview.objects.filter(decision="").select_related("session", "dossier").order_by("pk")

    @precondition(lambda self: self.pending_reviews().exists())
    @rule(index=picks, decision=st.sampled_from([Decision.ACCEPTED, Decision.ACCEPTED, Decision.REFUSED,
                                                 Decision.POSTPONED]))
    def decide(self, index, decision):
        review = pick(self.pending_reviews(), index)
        self.attempt(lambda: dossiers.record_decision(
            review, decision, self.staff, orientation=Orientation.TRAINING if decision == Decision.REFUSED else "",
            accept=departures.accept_dossier,
        ))

    @precondition(lambda self: self.pending_reviews().exists())
    @rule(index=picks)
    def unenrol(self, index):
        review = pick(self.pending_reviews(), index)
        self.attempt(lambda: dossiers.remove_from_agenda(review, self.staff))

    # --- Departures ------------------------------------------------------------------------------

    @precondition(lambda self: in_states([State.ACCEPTED]).filter(stay__isnull=True).exists())
    @rule(index=picks, start=st.integers(min_value=0, max_value=40), weeks=st.integers(min_value=2, max_value=30))
    def plan_stay(self, index, start, weeks):
        dossier = pick(in_states([State.ACCEPTED]).filter(stay__isnull=True), index)
        planned_start = self.day(start)
        Stay.objects.create(dossier=dossier, scheme=self.scheme, host=self.host, country="IE", city="Dublin",
                            planned_start=planned_start, planned_end=planned_start + datetime.timedelta(weeks=weeks))

    @precondition(lambda self: in_states([State.ACCEPTED]).filter(stay__isnull=False).exists())
    @rule(index=picks, offset=offsets)
    def sign(self, index, offset):
        dossier = pick(in_states([State.ACCEPTED]).filter(stay__isnull=False), index)
        self.attempt(lambda: departures.generate_contract(dossier, self.staff))
        self.attempt(lambda: departures.sign_contract(dossier, self.staff, self.day(offset)))

    @precondition(lambda self: in_states([State.CONTRACT_SIGNED]).exists())
    @rule(index=picks, offset=offsets)
    def depart(self, index, offset):
        dossier = pick(in_states([State.CONTRACT_SIGNED]), index)
        self.attempt(lambda: departures.record_departure(dossier, self.staff, self.day(offset)))

    def stays_with_a_departure(self):
        return Stay.objects.filter(departure_date__isnull=False).select_related("scheme", "dossier").order_by("pk")

    @precondition(lambda self: Stay.objects.filter(departure_date__isnull=False).exists())
    @rule(index=picks, offset=offsets)
    def visit(self, index, offset):
        """The visit page: the date rule (``departures.rules``) refuses, else the visit is saved."""
        stay = pick(self.stays_with_a_departure(), index)
        day = self.day(offset)
        if departure_rules.visit_date_error(stay, day) is None:
            SiteVisit.objects.create(stay=stay, visit_date=day, assessment="bien", notes="Visite", visited_by=self.staff)

    @precondition(lambda self: in_states([State.ABROAD]).exists())
    @rule(index=picks, offset=offsets, early=st.booleans())
    def come_back(self, index, offset, early):
        dossier = pick(in_states([State.ABROAD]), index)
        if early:
            self.attempt(lambda: departures.record_early_return(dossier, self.staff, self.day(offset), "Santé"))
        else:
            self.attempt(lambda: departures.record_return(dossier, self.staff, self.day(offset)))

    @precondition(lambda self: in_states([State.RETURNED]).exists())
    @rule(index=picks, offset=offsets)
    def review(self, index, offset):
        dossier = pick(in_states([State.RETURNED]), index)
        self.attempt(lambda: departures.record_return_review(dossier, self.staff, self.day(offset), "Bilan"))

    # --- Follow-up -------------------------------------------------------------------------------

    @precondition(lambda self: in_states(FOLLOWUP_STATES).exists())
    @rule(index=picks, reached=st.booleans())
    def call(self, index, reached):
        """The counsellor calls about the earliest open month of a dossier (the calls list's order)."""
        calls.create_due_calls()
        open_calls = FollowUpCall.objects.filter(done_at__isnull=True).order_by("dossier_id", "month")
        earliest = {}
        for row in open_calls:
            earliest.setdefault(row.dossier_id, row)
        call = pick(earliest.values(), index)
        if call is not None:
            self.attempt(lambda: calls.record_call(call, self.staff, reached=reached,
                                                   situation=Situation.CDI if reached else ""))

    @precondition(lambda self: in_states(CLOSABLE_STATES).exists())
    @rule(index=picks)
    def close(self, index):
        """Close a follow-up whose open calls have all been tried (closing marks the open months done)."""
        dossier = pick(in_states(CLOSABLE_STATES), index)
        calls.create_due_calls()
        if FollowUpCall.objects.filter(dossier=dossier, done_at__isnull=True, attempts=0).exists():
            return
        self.attempt(lambda: calls.close_followup(dossier, self.staff))

    # --- After every step ------------------------------------------------------------------------

    @invariant()
    def every_dossier_passes_the_checker(self):
        # ``flagged_dossier_ids()`` is the set of these dossiers; one run of the rules gives both.
        breaks = [(result.key, b.dossier_id, b.detail) for result in consistency.check() for b in result.breaks]
        assert {dossier_id for _, dossier_id, _ in breaks} == set(), breaks


@pytest.fixture
def quick_pdf(monkeypatch, settings, tmp_path):
    """Contracts without WeasyPrint (the contract's content has its own tests): the sequences stay fast."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(departures, "render_contract_pdf", lambda dossier, version, when=None: MINIMAL_PDF)


def run(max_examples, steps, phases=tuple(Phase)):
    run_state_machine_as_test(Wheel, settings=settings(
        max_examples=max_examples, stateful_step_count=steps, deadline=None, database=None, phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))


def test_random_sequences_of_user_actions_keep_every_dossier_consistent(quick_pdf):
    run(max_examples=6, steps=30)


def test_with_the_return_rule_switched_off_hypothesis_finds_a_broken_dossier(quick_pdf, monkeypatch):
    """The return date rule accepts anything: a return before the departure, or in the future, gets
    written, and the checker flags it — the state machine finds such a sequence."""
    monkeypatch.setattr(departure_rules, "return_date_error", lambda stay, day, today=None: None)
    with pytest.raises(AssertionError, match="return_before_departure|events_in_the_future"):
        run(max_examples=30, steps=20, phases=(Phase.generate,))
