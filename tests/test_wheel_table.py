"""The workflow table (dossiers/workflow.py) is the one list of states: every state has its row (step,
colour, next step), the groups name only states, every screen the table names exists, the dossier page
and the generic action read it, and no template or stylesheet spells a state's value."""
import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from dossiers import transitions, workflow
from dossiers.tests.factories import dossier_in_state
from dossiers.workflow import State

ROOT = Path(__file__).resolve().parents[1]
SCREENED = [t for t in workflow.TRANSITIONS if t.screen]


def test_every_state_has_its_row_with_a_known_tone():
    assert list(workflow.STATES) == list(State)
    for state, row in workflow.STATES.items():
        assert row.tone in workflow.TONES, state
    for name, group in workflow.GROUPS.items():
        assert group and group <= set(State), name
    on_a_step = {state for _label, states in workflow.STEPS for state in states}
    assert on_a_step == set(State) - {State.DROPPED}


def test_every_screen_of_the_table_exists_and_has_a_hint():
    for transition in SCREENED:
        arguments = [[1], [], [1, 2]]  # a dossier's screen, a list screen, a commission's review
        for args in arguments:
            try:
                reverse(transition.screen, args=args)
                break
            except NoReverseMatch:
                continue
        else:
            pytest.fail(f"no URL named {transition.screen}")
        assert transition.hint, transition


def test_closing_and_the_commission_decisions_have_their_screens():
    for source in workflow.CLOSABLE_STATES:
        assert workflow.transition(source, State.CLOSED).screen == "followup:close"
    for target in workflow.DECIDED_STATES:
        assert workflow.transition(State.IN_COMMISSION, target).screen == "dossiers:review"


@pytest.mark.django_db
@pytest.mark.parametrize("transition", SCREENED, ids=lambda t: f"{t.source}->{t.target}")
def test_the_generic_action_refuses_a_transition_that_has_its_screen(client_for, users, transition):
    dossier = dossier_in_state(transition.source, users["admin"])
    events = dossier.events.count()
    url, _text = transitions.screen_link(dossier, transition.target)
    response = client_for("admin").post(
        reverse("dossiers:transition", args=[dossier.pk]),
        {"target": transition.target, "source": transition.source}, follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.state == transition.source and dossier.events.count() == events
    html = response.content.decode()
    assert "Cette étape se fait" in html
    if not transition.button:
        assert f'<a href="{url}">' in html  # the message links to the screen


@pytest.mark.django_db
def test_the_dossier_page_shows_the_colour_and_next_step_of_the_table(client_for, users):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"])
    html = client_for("mobility").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert f'state-badge tone-{workflow.tone(State.INFO_DONE)}"' in html
    assert workflow.STATES[State.INFO_DONE].next_step.replace("'", "&#x27;") in html
    assert reverse("dossiers:diagnostic", args=[dossier.pk]) in html
    # The abandon asks first, with the table's question.
    assert 'data-confirm="Confirmer l&#x27;abandon du dossier ?"' in html


VALUES = "|".join(re.escape(value) for value in State.values)
QUOTED = re.compile(rf"(?:['\"]|state=)(?:{VALUES})['\"&]")
CSS_CLASS = re.compile(rf"\.state-(?:{VALUES})\b")


def test_no_template_or_stylesheet_spells_a_state_value():
    offenders = []
    templates = [p for p in ROOT.glob("*/templates/**/*.html")] + list((ROOT / "templates").rglob("*.html"))
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ("state" in line or "target" in line) and QUOTED.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    for path in (ROOT / "static").rglob("*.css"):
        if "vendor" not in path.parts and CSS_CLASS.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_tables_of_docs_workflow_are_the_table():
    from dossiers.management.commands.wheel_table import DOC, refreshed

    text = DOC.read_text(encoding="utf-8")
    assert refreshed(text) == text, "run: manage.py wheel_table --write"
