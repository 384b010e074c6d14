"""Diagnostic: the grid, its transitions and their permission, the sensitive items' visibility per role
and the read log, the first-departure warning, the mobility project."""
import pytest
from django.urls import reverse

from departures.tests.factories import SchemeFactory
from dossiers.enums import DiagnosticOutcome, Orientation
from dossiers.tests.factories import dossier_in_state
from dossiers.models import Diagnostic, MobilityProject, SensitiveAccess, SensitiveDiagnostic
from dossiers.workflow import State

pytestmark = pytest.mark.django_db

SECRET_ALLERGY = "Allergie sévère aux arachides"
SECRET_RECORD = "Condamnation avec sursis 2023"


@pytest.fixture
def dossier(users, structure):
    return dossier_in_state(State.INFO_DONE, users["admin"], structure=structure, referring_counsellor=users["counsellor"])


def grid(**extra):
    data = {
        "conducted_on": "2026-11-20", "passport": "valide", "bank_card": "true", "mobility_experience": "false",
        "languages": "anglais", "language_level_self": "A2", "language_level_tested": "A1",
        "motivation": "Veut partir", "professional_project": "Cuisine",
        "sensible-allergies": SECRET_ALLERGY, "sensible-criminal_record": "mentions",
        "sensible-criminal_record_details": SECRET_RECORD, "sensible-special_diet": "Sans porc",
        "sensible-vaccinations": "À jour",
    }
    data.update(extra)
    return data


def test_ready_diagnostic_moves_to_diagnosed(client_for, users, dossier):
    response = client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(outcome="pret"))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.DIAGNOSED
    assert dossier.platform_counsellor == users["mobility"]
    diagnostic = Diagnostic.objects.get(dossier=dossier)
    assert diagnostic.conducted_by == users["mobility"] and diagnostic.bank_card is True
    assert diagnostic.sensitive.allergies == SECRET_ALLERGY
    assert SensitiveAccess.objects.filter(dossier=dossier, user=users["mobility"], action="modification").exists()


def test_not_ready_requires_orientation_and_moves_to_oriented(client_for, dossier):
    client = client_for("mobility")
    response = client.post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(outcome="pas_encore"))
    assert response.status_code == 200
    assert "Choisissez une orientation" in response.content.decode()
    assert SECRET_ALLERGY in response.content.decode()  # what was typed is kept
    dossier.refresh_from_db()
    assert dossier.state == State.INFO_DONE
    response = client.post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(
        outcome="pas_encore", orientation="formation", orientation_details="CAP cuisine", come_back_on="2027-06-01",
    ))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.ORIENTED
    assert "formation" in dossier.events.last().comment and "01/06/2027" in dossier.events.last().comment


def test_draft_diagnostic_keeps_the_state(client_for, dossier):
    client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid())
    dossier.refresh_from_db()
    assert dossier.state == State.INFO_DONE
    assert Diagnostic.objects.filter(dossier=dossier, outcome="").exists()


@pytest.mark.parametrize("role", ["reception", "assistant", "manager"])
def test_only_mobility_staff_fill_the_diagnostic(client_for, dossier, role):
    response = client_for(role).post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(outcome="pret"))
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == State.INFO_DONE
    assert not Diagnostic.objects.exists()


@pytest.mark.parametrize("role", ["counsellor", "other_counsellor"])
def test_counsellors_have_no_diagnostic_grid_page(client_for, dossier, role):
    assert client_for(role).get(reverse("dossiers:diagnostic", args=[dossier.pk])).status_code == 403


def test_diagnostic_outcome_goes_through_the_grid(client_for, dossier):
    """The generic action endpoint refuses the diagnostic transitions and points to the grid, which
    records the diagnostic with the state (mobility roles only, see above)."""
    page = client_for("mobility").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:diagnostic", args=[dossier.pk]) in page
    for role in ("reception", "mobility"):
        response = client_for(role).post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.DIAGNOSED})
        assert response.status_code == 302 and response["Location"] == reverse("dossiers:diagnostic", args=[dossier.pk])
        dossier.refresh_from_db()
        assert dossier.state == State.INFO_DONE


@pytest.fixture
def filled(client_for, dossier):
    client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(outcome="pret"))
    SensitiveAccess.objects.all().delete()
    return dossier


@pytest.mark.parametrize("role,sees", [
    ("mobility", True), ("admin", True),
    ("reception", False), ("assistant", False), ("manager", False), ("counsellor", False),
])
def test_sensitive_items_visibility_and_read_log(client_for, users, filled, role, sees):
    client = client_for(role)
    pages = [reverse("dossiers:detail", args=[filled.pk])]
    if role != "counsellor":
        pages.append(reverse("dossiers:diagnostic", args=[filled.pk]))
    seen = False
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        seen = seen or SECRET_ALLERGY in content or SECRET_RECORD in content
        assert "Sans porc" not in content or sees
    assert seen is sees
    log = SensitiveAccess.objects.filter(dossier=filled)
    if sees:
        entry = log.get()
        assert entry.user == users[role] and entry.action == "lecture" and entry.accessed_at
    else:
        assert not log.exists()


def test_each_read_is_logged(client_for, users, filled):
    client = client_for("mobility")
    for _ in range(3):
        client.get(reverse("dossiers:diagnostic", args=[filled.pk]))
    assert SensitiveAccess.objects.filter(dossier=filled, user=users["mobility"], action="lecture").count() == 3


def test_counsellor_sees_the_outcome_on_the_dossier_page(client_for, filled):
    content = client_for("counsellor").get(reverse("dossiers:detail", args=[filled.pk])).content.decode()
    assert "Prêt à partir" in content
    assert SECRET_ALLERGY not in content and SECRET_RECORD not in content
    assert reverse("dossiers:diagnostic", args=[filled.pk]) not in content


def test_sensitive_model_is_separate(filled):
    # The non-sensitive record carries no sensitive field.
    names = {f.name for f in Diagnostic._meta.get_fields()}
    assert not names & {"allergies", "special_diet", "vaccinations", "criminal_record", "health_notes"}
    assert SensitiveDiagnostic.objects.filter(diagnostic__dossier=filled).exists()


# --- Mobility project and the first-departure rule -----------------------------------------------------


def test_project_sets_scheme_and_warns_on_long_haul_first_departure(client_for, users, filled):
    scheme = SchemeFactory(name="Job")
    client = client_for("assistant")
    response = client.post(reverse("dossiers:project", args=[filled.pk]), {
        "scheme": scheme.pk, "country": "CA", "town": "Montréal", "sector": "Restauration", "duration_weeks": "12",
    }, follow=True)
    content = response.content.decode()
    assert "Première mobilité" in content and "Canada" in content
    filled.refresh_from_db()
    assert filled.scheme == scheme
    assert MobilityProject.objects.get(dossier=filled).country == "CA"
    # A European destination: no warning.
    response = client.post(reverse("dossiers:project", args=[filled.pk]), {
        "scheme": scheme.pk, "country": "IE", "town": "Dublin",
    }, follow=True)
    assert "Première mobilité" not in response.content.decode()


def test_no_long_haul_warning_with_earlier_experience(client_for, dossier):
    client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(mobility_experience="true"))
    response = client_for("assistant").post(reverse("dossiers:project", args=[dossier.pk]), {"country": "CA"}, follow=True)
    assert "Première mobilité" not in response.content.decode()


def test_project_period_checked(client_for, dossier):
    response = client_for("assistant").post(reverse("dossiers:project", args=[dossier.pk]), {
        "country": "ES", "period_start": "2027-03-01", "period_end": "2027-02-01",
    })
    assert response.status_code == 200
    assert "après son début" in response.content.decode()


@pytest.mark.parametrize("role", ["counsellor", "manager"])
def test_project_edit_refused_to_non_staff(client_for, dossier, role):
    assert client_for(role).post(reverse("dossiers:project", args=[dossier.pk]), {"country": "ES"}).status_code == 403


def test_oriented_young_person_can_return_to_the_wheel(client_for, dossier):
    client_for("mobility").post(reverse("dossiers:diagnostic", args=[dossier.pk]), grid(
        outcome="pas_encore", orientation=Orientation.INTERNSHIP,
    ))
    dossier.refresh_from_db()
    assert dossier.state == State.ORIENTED
    client_for("reception").post(reverse("dossiers:transition", args=[dossier.pk]), {"target": State.RECEIVED})
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert DiagnosticOutcome.NOT_YET == Diagnostic.objects.get(dossier=dossier).outcome
